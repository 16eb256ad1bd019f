"""An object whose ``__class__`` claims to be ``F`` (``isinstance`` believes it) is a value,
as Django takes anything without ``resolve_expression``: ``filter(rating=fake)`` and
``update(rating=fake)`` compiled it as an F and raised a bare ``AttributeError`` (it has no
``name``), on both cores; the pure twin's assignment held it as an expression (the native
core's validation refused it), and ``save()`` then raised the same ``AttributeError``. Each is
now judged by its real type: the field's ``ValidationError``."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import ValidationError
from ferrule.orm.expressions import F

from .conftest import opened
from .models import Author


class Claiming:
    """Not an expression; its ``__class__`` says it is one."""

    @property  # type: ignore[misc]
    def __class__(self) -> Any:  # type: ignore[override]
        return F

    def __repr__(self) -> str:
        return "Claiming()"


async def test_a_claimed_expression_is_a_value_everywhere(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann", rating=1)
        assert isinstance(Claiming(), F)  # (what each path was misled by)
        with pytest.raises(ValidationError, match="rating"):
            await Author.filter(rating=Claiming()).count()
        with pytest.raises(ValidationError, match="rating"):
            await Author.filter(name="ann").update(rating=Claiming())
        with pytest.raises(ValidationError, match="rating"):
            ann.rating = Claiming()
        with pytest.raises(ValidationError, match="rating"):
            await Author.create(name="bo", rating=Claiming())
        await ann.save()
        assert await Author.values_list("name", "rating") == [("ann", 1)]


async def test_real_expressions_still_compile(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann", rating=1)
        assert await Author.filter(name="ann").update(rating=F("rating") + 2) == 1
        assert await Author.filter(rating=F("rating")).count() == 1
        ann.rating = F("rating") + 1
        await ann.save()
        await ann.refresh_from_db()
        assert ann.rating == 4
