"""``bulk_create(objs, on_conflict=("update", [fields]))`` sets the primary keys on the
instances on PostgreSQL, SQLite and MariaDB, as Django 5 does for ``update_conflicts``: each
input row's key, whether it was inserted or updated, in input order, across batches, and
for a key named twice in one batch (both instances name the one row). The reference is the
database's own rows, read by name after the upsert.

MariaDB's ``INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING`` gives a row for each row
sent, the updated one's key included (10.5 and later, which ferrule's inserts need anyway);
``on_conflict="ignore"`` leaves the keys unset everywhere (a skipped row has no key to
give)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables
from .models import Author

#: where the database gives each upserted row's key back
KEYED = ("postgres", "sqlite", "mysql")


async def _ids_by_name() -> dict[str, Any]:
    return dict(await Author.values_list("name", "id"))


def _expected(dialect: str, objs: list[Any], stored: dict[str, Any]) -> list[Any]:
    return [stored[o.name] if dialect in KEYED else None for o in objs]


@pytest.mark.parametrize("batch_size", [None, 2, 1])
async def test_an_upsert_sets_every_rows_key_in_input_order(
    url: str, dialect: str, batch_size: int | None
) -> None:
    async with opened(url):
        old = {n: (await Author.create(name=n, rating=1)).id for n in ("b", "d", "f")}
        # out of key order (PostgreSQL's batches are sent sorted by key), new and old mixed
        objs = [Author(name=n, rating=5) for n in ("g", "d", "a", "b", "e", "f", "c")]
        made = await Author.bulk_create(
            objs, on_conflict=("update", ["rating"]), batch_size=batch_size
        )
        assert made is objs or made == objs
        stored = await _ids_by_name()
        assert [o.id for o in objs] == _expected(dialect, objs, stored)
        assert {n: stored[n] for n in old} == old  # the existing rows kept their keys
        assert dict(await Author.values_list("name", "rating")) == dict.fromkeys(stored, 5)


@pytest.mark.parametrize("batch_size", [None, 3])
async def test_a_key_named_twice_gives_both_instances_its_row(
    url: str, dialect: str, batch_size: int | None
) -> None:
    async with opened(url):
        await Author.create(name="b", rating=1)
        objs = [Author(name=n, rating=r) for n, r in (("a", 2), ("b", 3), ("a", 4), ("b", 5))]
        await Author.bulk_create(objs, on_conflict=("update", ["rating"]), batch_size=batch_size)
        stored = await _ids_by_name()
        assert [o.id for o in objs] == _expected(dialect, objs, stored)
        assert sorted(await Author.values_list("name", "rating")) == [("a", 4), ("b", 5)]


async def test_ignore_leaves_the_keys_unset(url: str) -> None:
    async with opened(url):
        await Author.create(name="b", rating=1)
        objs = [Author(name=n, rating=2) for n in ("a", "b", "c")]
        await Author.bulk_create(objs, on_conflict="ignore")
        assert [o.id for o in objs] == [None, None, None]
        assert sorted(await Author.values_list("name", "rating")) == [
            ("a", 2),
            ("b", 1),
            ("c", 2),
        ]


async def test_keys_of_an_upsert_rolled_back_are_taken_back(url: str, dialect: str) -> None:
    async with opened(url) as db:
        await Author.create(name="b", rating=1)
        objs = [Author(name=n, rating=2) for n in ("a", "b")]
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await Author.bulk_create(objs, on_conflict=("update", ["rating"]))
                if dialect in KEYED:
                    assert None not in [o.id for o in objs]
                raise RuntimeError("roll back")
        assert [o.id for o in objs] == [None, None]
        assert await Author.values_list("name", "rating") == [("b", 1)]


class UkRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    code = orm.CharField(max_length=5, unique=True)
    tag = orm.CharField(max_length=5, unique=True)
    n: int = 0

    class Meta:
        table = "ormt_uk_row"


async def test_a_failed_upsert_leaves_no_key_set(url: str) -> None:
    """The second batch clashes on the other unique key: nothing is written, and the keys
    the first batch got are taken back."""
    async with opened(url), own_tables(UkRow):
        await UkRow.create(code="a", tag="t")
        objs = [UkRow(code="b", tag="u", n=1), UkRow(code="c", tag="t", n=2)]
        with pytest.raises(IntegrityError):
            await UkRow.bulk_create(objs, on_conflict=("update", ["n"], ["code"]), batch_size=1)
        assert [o.id for o in objs] == [None, None]
        assert await UkRow.values_list("code", flat=True) == ["a"]
