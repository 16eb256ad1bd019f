"""``bulk_create``'s conflict rule and ``bulk_update``'s fields given by hostile objects: a str
subclass equal to every string was read as what it claimed (``on_conflict=<"bogus">`` ignored
conflicts in silence, ``(<"bogus">, [fields])`` upserted, Tortoise's ``on_conflict=[<"name">]``
was refused as if it said ``"update"``); ``("update", 5)`` was ``TypeError: 'int' object is not
iterable``; a list of field names whose ``__len__`` says 0 was refused as empty. Each is now
read by the text and the items it holds; what is no rule is a ``FieldError``."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author


class Liar(str):
    """Equal to every string."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__


class NoLength(list[Any]):
    def __len__(self) -> int:
        return 0


async def _ratings() -> list[tuple[str, int]]:
    return list(await Author.all().order_by("name").values_list("name", "rating"))


@pytest.mark.parametrize(
    "rule",
    [
        Liar("bogus"),
        (Liar("bogus"), ["rating"]),
        ("update", 5),
        ("update", ["rating"], 5),
        ("update", "rating"),
        ["ignore"],
    ],
    ids=repr,
)
async def test_what_is_no_conflict_rule_is_refused(url: str, rule: Any) -> None:
    async with opened(url):
        await Author.create(name="a", rating=1)
        with pytest.raises(FieldError, match="on_conflict"):
            await Author.bulk_create([Author(name="a", rating=5)], on_conflict=rule)
        assert await _ratings() == [("a", 1)]


async def test_a_rule_is_read_by_its_text_and_items(url: str) -> None:
    async with opened(url):
        await Author.bulk_create([Author(name="a", rating=1), Author(name="b", rating=1)])
        await Author.bulk_create(
            [Author(name="a", rating=2)],
            on_conflict=(Liar("update"), NoLength([Liar("rating")]), [Liar("name")]),
        )
        assert await _ratings() == [("a", 2), ("b", 1)]
        await Author.bulk_create(
            [Author(name="b", rating=3)],
            update_conflicts=True,
            update_fields=NoLength(["rating"]),
            unique_fields=NoLength(["name"]),
        )
        assert await _ratings() == [("a", 2), ("b", 3)]
        # Tortoise's spelling: on_conflict names the key, update_fields what changes
        await Author.bulk_create(
            [Author(name="a", rating=4)], on_conflict=[Liar("name")], update_fields=["rating"]
        )
        assert await _ratings() == [("a", 4), ("b", 3)]
        await Author.bulk_create([Author(name="a", rating=9)], on_conflict=Liar("ignore"))
        assert await _ratings() == [("a", 4), ("b", 3)]


async def test_bulk_update_reads_the_field_names_not_their_length(url: str) -> None:
    async with opened(url):
        made = await Author.create(name="a", rating=1)
        made.rating = 6
        assert await Author.bulk_update([made], NoLength(["rating"])) == 1
        assert await _ratings() == [("a", 6)]
        with pytest.raises(FieldError, match="field names"):
            await Author.bulk_update([made], 5)  # type: ignore[arg-type]
