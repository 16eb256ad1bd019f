"""A decimal column needs ``decimal_places`` as well as ``max_digits`` (Django's DecimalField
check, fields.E130): the column's scale is the places, and a field without them validated
``Decimal("1.5")`` that the databases then rounded to 2 (and ``update()`` stored 1.5 on SQLite,
2 on the servers). It is a ``SchemaError`` naming ``Model.field`` when the columns are made.
"""

from __future__ import annotations

import decimal

import pytest

from ferrule import orm
from ferrule.errors import SchemaError


def test_a_decimal_column_without_places_is_refused() -> None:
    class Loose(orm.Model):
        id: int = orm.Field(primary_key=True)
        amount: decimal.Decimal = orm.Field(max_digits=5, default=decimal.Decimal(0))

    with pytest.raises(SchemaError, match=r"Loose\.amount.*decimal_places"):
        Loose._meta.columns  # noqa: B018

    class Classic(orm.Model):
        id = orm.IntField(pk=True)
        amount = orm.DecimalField(max_digits=5, decimal_places=0, default=decimal.Decimal(0))

    assert Classic._meta.columns["amount"].logical.scale == 0
