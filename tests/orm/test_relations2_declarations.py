"""Relation declarations Django's system checks refuse: a reverse name (``related_name``)
ending in an underscore or holding ``__`` could never be named in a lookup (``items___rank``
splits as ``items`` + ``_rank``), so it is a ``SchemaError`` when the model is declared (Django's
fields.E308, E309), not a "no field" error at the first filter."""

from __future__ import annotations

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
