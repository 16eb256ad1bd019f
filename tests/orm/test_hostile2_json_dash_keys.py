"""A JSON key starting with ``-`` (``"-1"``, ``"-a"``): MariaDB's JSON path parser reads
no such quoted key (``JSON_EXTRACT('{"-1": 12}', '$."-1"')`` is NULL, every other key
tried is found), so on MariaDB ``filter(data__-1=12)``, ``has_key("-1")`` and
``values("data__-1")`` answered "no row" / None, silently, where SQLite and PostgreSQL find
it. MariaDB now refuses such a key with a ``FieldError``; the others answer."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Everything


@pytest.mark.parametrize("key", ["-1", "-a", "-"])
async def test_a_key_starting_with_a_dash_is_found_or_refused(
    url: str, dialect: str, key: str
) -> None:
    async with opened(url):
        await Everything.create(data={key: 12, "b": 1})
        await Everything.create(data={"b": 2})
        queries: list[Any] = [
            Everything.filter(**{f"data__{key}": 12}),
            Everything.filter(data__has_key=key),
            Everything.filter(data__has_keys=["b", key]),
            Everything.filter(data__has_any_keys=[key]),
            Everything.filter(**{f"data__{key}__isnull": False}),
        ]
        for query in queries:
            if dialect == "mysql":
                with pytest.raises(errors.FieldError, match="MariaDB"):
                    await query.count()
            else:
                assert await query.count() == 1
        rows = Everything.all().order_by("id").values_list(f"data__{key}", flat=True)
        if dialect == "mysql":
            with pytest.raises(errors.FieldError, match="MariaDB"):
                await rows
        else:
            assert await rows == [12, None]
        assert await Everything.filter(data__b=2).count() == 1  # other keys still answer
