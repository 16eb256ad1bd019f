"""``Coalesce``, ``Greatest`` and ``Least`` of many expressions: SQLite takes at most 127
arguments per function (a build may allow more), so past that each was an OperationalError
("too many arguments on function COALESCE"), where PostgreSQL and MariaDB answer. The
arguments are now taken in nested groups there (each of the three is associative, NULLs
included; a group of one is the argument itself, as ``max(x)`` of one would aggregate)."""

from __future__ import annotations

import pytest

from ferrule import orm

from .conftest import opened, own_tables

F, Value = orm.F, orm.Value


class Wide(orm.Model):
    id: int = orm.Field(primary_key=True)
    a: int | None = None
    b: int | None = None

    class Meta:
        table = "ormt_oi2_wide"


ROWS = [(1, None, 4), (2, 7, -3), (3, None, None)]


def _coalesce(values: list[int | None]) -> int | None:
    return next((v for v in values if v is not None), None)


def _extreme(pick: object, values: list[int | None]) -> int | None:
    return None if None in values else pick(values)  # type: ignore[operator]


@pytest.mark.parametrize("count", [128, 129, 300, 1_001])
async def test_many_arguments(url: str, count: int) -> None:
    async with opened(url), own_tables(Wide):
        for key, a, b in ROWS:
            await Wide.create(id=key, a=a, b=b)
        names = ["a" if i % 2 else "b" for i in range(count - 1)] + ["a"]
        terms = [F(n) + i for i, n in enumerate(names)]
        for made, reference in (
            (orm.Coalesce, _coalesce),
            (orm.Greatest, lambda vs: _extreme(max, vs)),
            (orm.Least, lambda vs: _extreme(min, vs)),
        ):
            qs = Wide.annotate(x=made(*terms)).order_by("id").values_list("x", flat=True)
            expected = []
            for _, a, b in ROWS:
                row = {"a": a, "b": b}
                values = [None if row[n] is None else row[n] + i for i, n in enumerate(names)]
                expected.append(reference(values))
            assert await qs == expected, made
