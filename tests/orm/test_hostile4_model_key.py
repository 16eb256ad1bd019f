"""A model (or a mixin before ``orm.Model``) that defines its own ``pk``: the ORM reads an
instance's key as ``instance.pk`` for ``delete()``, ``refresh_from_db()`` and more, so a
``pk`` property answering another key made ``await obj.delete()`` delete that other row, and
``refresh_from_db()`` load it into ``obj``, in silence. A ``pk`` other than ``orm.Model``'s
is now refused when the model is declared (the key field is named as any field is)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import SchemaError


class _KeyMixin:
    @property
    def pk(self) -> Any:
        return 999


def test_a_model_defining_pk_is_refused() -> None:
    with pytest.raises(SchemaError, match=r"Keyed\.pk"):

        class Keyed(orm.Model):
            id: int = orm.Field(primary_key=True)

            @property  # type: ignore[misc]
            def pk(self) -> Any:
                return 999

            class Meta:
                table = "ormt_hostile4_keyed"

    with pytest.raises(SchemaError, match=r"Mixed\.pk"):

        class Mixed(_KeyMixin, orm.Model):
            id: int = orm.Field(primary_key=True)

            class Meta:
                table = "ormt_hostile4_mixed"


def test_a_model_keeping_pk_is_taken() -> None:
    class Plain(orm.Model):
        id: int = orm.Field(primary_key=True)

        class Meta:
            table = "ormt_hostile4_plain"

    assert Plain(id=3).pk == 3
