"""``model_config`` options that an ORM model cannot keep are refused when the class is made.

``extra="allow"`` keeps undeclared values on an instance, and a table has no column for them:
``Item.create(n=1, other="x")`` stored ``n`` only, and the row read back had no ``other``,
without a word. It is a ``SchemaError`` naming the model (``"ignore"`` and ``"forbid"`` stay).
"""

from __future__ import annotations

import pytest

from ferrule import ConfigDict, orm
from ferrule.alias_generators import to_camel
from ferrule.errors import SchemaError

from .conftest import opened, own_tables


def test_extra_allow_is_refused() -> None:
    with pytest.raises(SchemaError, match=r"Loose.*extra"):

        class Loose(orm.Model):
            model_config = ConfigDict(extra="allow")
            id: int = orm.Field(primary_key=True)

    class Strict(orm.Model):
        model_config = ConfigDict(extra="forbid")
        id: int = orm.Field(primary_key=True)

    with pytest.raises(ValueError):
        Strict(other=1)  # type: ignore[call-arg]


class Person(orm.Model):
    """Aliases from a generator, without populate_by_name: constructed by alias only."""

    model_config = ConfigDict(alias_generator=to_camel, validate_assignment=False)
    id: int = orm.Field(primary_key=True)
    full_name: str = orm.Field(max_length=20)
    nick_name: str | None = None

    class Meta:
        table = "ormt_config_person"


async def test_aliased_fields_are_checked_again_by_their_aliases(url: str) -> None:
    """The ORM checks an instance again before it writes it (``validate_assignment=False``,
    ``model_construct``, ``bulk_update``) with the values keyed as the model takes them, by
    alias. Before, they were keyed by field name, so every such write of a model with an
    alias generator was a ValidationError ("fullName: Field required"), and so was the
    create of ``get_or_create``/``update_or_create``, whose lookups name fields."""
    async with opened(url), own_tables(Person):
        ann = await Person.create(fullName="Ann")
        ann.nick_name = "a"
        await ann.save()
        built = Person.model_construct(full_name="Bob")
        await built.save()
        ann.nick_name = "b"
        assert await Person.bulk_update([ann], ["nick_name"]) == 1
        await Person.bulk_create([Person.model_construct(full_name="Cy")])
        made, created = await Person.get_or_create(full_name="Dee", defaults={"nick_name": "d"})
        assert created and (made.full_name, made.nick_name) == ("Dee", "d")
        assert (await Person.get_or_create(full_name="Dee"))[1] is False
        _, created = await Person.update_or_create(full_name="Eve", defaults={"nick_name": "e"})
        assert created
        rows = await Person.order_by("id").values_list("full_name", "nick_name")
        assert rows == [("Ann", "b"), ("Bob", None), ("Cy", None), ("Dee", "d"), ("Eve", "e")]
