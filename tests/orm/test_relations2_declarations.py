"""Relation declarations refused when they are made. A reverse name (``related_name``)
ending in an underscore or holding ``__`` could never be named in a lookup (``items___rank``
splits as ``items`` + ``_rank``): a ``SchemaError`` (Django's checks E308, E309), not a "no
field" error at the first filter. A foreign key's or one-to-one's key column takes ``null``,
``index``, ``unique`` and ``db_column``; any other option (Django's ``default=``,
``primary_key=True`` of a one-to-one, ``description=``) was dropped in silence (a row made
without the relation was then refused as missing it, a one-to-one "primary key" left the
model without one): a ``SchemaError`` naming it."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import SchemaError


@pytest.mark.parametrize("name", ["items_", "a__b", "x__"])
def test_a_reverse_name_lookups_cannot_read_is_refused(name: str) -> None:
    with pytest.raises(SchemaError, match="related_name"):
        orm.ForeignKeyField("Anything", related_name=name)
    with pytest.raises(SchemaError, match="related_name"):
        orm.ManyToManyField("Anything", related_name=name)


def test_reverse_names_lookups_read_are_taken() -> None:
    for name in ("items", "_items", "my_items", "%(class)s_items", "+"):
        orm.ForeignKeyField("Anything", related_name=name)


@pytest.mark.parametrize(
    "options",
    [{"default": 1}, {"primary_key": True}, {"description": "the owner"}, {"db_default": 1}],
)
@pytest.mark.parametrize("kind", [orm.ForeignKeyField, orm.OneToOneField])
def test_a_key_column_option_that_would_be_dropped_is_refused(
    kind: Any, options: dict[str, Any]
) -> None:
    with pytest.raises(SchemaError, match=next(iter(options))):
        kind("Anything", **options)


def test_the_key_column_options_are_taken() -> None:
    orm.ForeignKeyField("Anything", null=True, unique=True, db_column="o", on_delete="set null")
    orm.OneToOneField("Anything", null=True, index=False, db_column="o", on_delete="set null")
    orm.ForeignKeyField("Anything", index=False)
