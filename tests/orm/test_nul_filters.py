"""A U+0000 in a filter's value: SQLite and MariaDB store such text and match it as any
other; PostgreSQL's text cannot hold one, and a filter holding one was its raw DataError
("invalid byte sequence for encoding UTF8: 0x00"), naming no field, where ``create()`` named
it. Every filter path now refuses it as ``create()`` does, in the same words."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables


class NulRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.CharField(max_length=20, default="")
    body: str = orm.TextField(default="")

    class Meta:
        table = "ormt_nul_filters"


ROWS = {1: ("a", "x"), 2: ("a\x00b", "\x00"), 3: ("b", "")}

#: label -> (the query, the field named, the ids a Python filter of ROWS gives)
CASES: dict[str, tuple[Any, str, list[int]]] = {
    "exact": (lambda: NulRow.filter(name="a\x00b"), "name", [2]),
    "in": (lambda: NulRow.filter(name__in=["b", "a\x00b"]), "name", [2, 3]),
    "contains": (lambda: NulRow.filter(name__contains="\x00"), "name", [2]),
    "startswith": (lambda: NulRow.filter(body__startswith="\x00"), "body", [2]),
    "exclude": (lambda: NulRow.exclude(body="\x00"), "body", [1, 3]),
    "Q or": (lambda: NulRow.filter(orm.Q(name="a\x00b") | orm.Q(id=3)), "name", [2, 3]),
    "iexact": (lambda: NulRow.filter(name__iexact="A\x00B"), "name", [2]),
}


def _stored(dialect: str) -> dict[int, tuple[str, str]]:
    """What is written: PostgreSQL cannot hold the NUL rows (see test_written_edges)."""
    if dialect == "postgres":
        return {k: v for k, v in ROWS.items() if "\x00" not in "".join(v)}
    return ROWS


@pytest.mark.parametrize("label", list(CASES))
async def test_a_nul_in_a_filter_is_matched_or_refused_naming_the_field(
    url: str, dialect: str, label: str
) -> None:
    make, field, expected = CASES[label]
    async with opened(url), own_tables(NulRow):
        for key, (name, body) in _stored(dialect).items():
            await NulRow.create(id=key, name=name, body=body)
        assert await NulRow.filter(name="a").count() == 1  # the same shape, compiled before
        if dialect != "postgres":
            assert sorted(await make().values_list("id", flat=True)) == expected
            return
        with pytest.raises(DataError) as refused:
            await make().values_list("id", flat=True)
        with pytest.raises(DataError) as written:
            await NulRow.create(id=9, **{field: "\x00"})
        assert str(refused.value) == str(written.value)
        assert str(refused.value).startswith(f"NulRow.{field}: ")
        with pytest.raises(DataError, match=f"NulRow.{field}: "):
            await make().count()
        with pytest.raises(DataError, match=f"NulRow.{field}: "):
            await make().update(body="ok")
        assert await NulRow.all().values_list("body", flat=True) == ["x", ""]


async def test_a_cached_get_or_read_refuses_a_nul_naming_the_field(url: str, dialect: str) -> None:
    """``get()`` and a plain read of a shape met before send their values through the shape
    cache, not the compiler: the same answer."""
    async with opened(url), own_tables(NulRow):
        await NulRow.create(id=1, name="a")
        for _ in range(2):  # the second time from the cache
            assert (await NulRow.get(name="a")).id == 1
            assert [r.id for r in await NulRow.filter(name="a")] == [1]
        if dialect != "postgres":
            assert await NulRow.get_or_none(name="a\x00") is None
            assert await NulRow.filter(name="a\x00") == []
            return
        with pytest.raises(DataError, match=r"^NulRow\.name: .*U\+0000"):
            await NulRow.get(name="a\x00")
        with pytest.raises(DataError, match=r"^NulRow\.name: .*U\+0000"):
            await NulRow.filter(name="a\x00")
