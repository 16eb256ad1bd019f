"""``model_config`` options that an ORM model cannot keep are refused when the class is made.

``extra="allow"`` keeps undeclared values on an instance, and a table has no column for them:
``Item.create(n=1, other="x")`` stored ``n`` only, and the row read back had no ``other``,
without a word. It is a ``SchemaError`` naming the model (``"ignore"`` and ``"forbid"`` stay).
"""

from __future__ import annotations

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import SchemaError


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
