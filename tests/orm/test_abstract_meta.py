"""The ``class Meta`` of an abstract model, inherited as Django inherits it.

A model that declares no ``Meta`` of its own inherits its abstract parent's (but ``abstract``
and ``table``): its ``unique_together``, ``indexes``, ``ordering``, ``get_latest_by``. The
Django spelling ``class Meta(Base.Meta):`` extends it. Before, the child's table silently
lost the parent's ``unique_together`` (duplicates were stored) and its indexes, and
``Base.Meta`` was an AttributeError.
"""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError
from ferrule.orm.schema import create_table_statements

from .conftest import opened, own_tables


class Coded(orm.Model):
    id: int = orm.Field(primary_key=True)
    org: str = orm.Field(max_length=10)
    code: str = orm.Field(max_length=10)

    class Meta:
        abstract = True
        unique_together = [("org", "code")]
        indexes = [("code",)]
        ordering = ["-code"]


class Plain(Coded):
    """No Meta: the parent's, but ``abstract`` (and the table is its own)."""

    note: str = ""


class Extended(Coded):
    class Meta(Coded.Meta):
        table = "ormt_abstract_extended"
        get_latest_by = "code"


class Own(Coded):
    """A Meta of its own, not derived from the parent's: Django keeps none of the parent's
    constraints or indexes (ferrule keeps ``ordering``, as for every parent)."""

    class Meta:
        table = "ormt_abstract_own"


async def _duplicate_refused(model: type[Coded]) -> None:
    await model.create(org="a", code="x")
    await model.create(org="b", code="x")
    with pytest.raises(IntegrityError):
        await model.create(org="a", code="x")
    assert await model.count() == 2


async def test_a_child_without_meta_keeps_the_abstract_parents_options(url: str) -> None:
    assert not Plain._meta.abstract and Plain._meta.table == "plain"
    async with opened(url), own_tables(Plain, Extended, Own):
        await _duplicate_refused(Plain)
        await _duplicate_refused(Extended)
        await Plain.create(org="a", code="z")
        assert (await Plain.all())[0].code == "z"  # ordering -code
        await Own.create(org="a", code="x")
        await Own.create(org="a", code="x")
        assert await Own.count() == 2
        assert (await Extended.all().latest()).code == "x"


def test_the_parents_indexes_are_made_for_the_child() -> None:
    for model in (Plain, Extended):
        texts = [str(s) for s in create_table_statements(model, dialect="postgres")]
        assert any("CREATE INDEX" in t and '"code"' in t for t in texts), texts
    texts = [str(s) for s in create_table_statements(Own, dialect="postgres")]
    assert not any("CREATE INDEX" in t for t in texts), texts
