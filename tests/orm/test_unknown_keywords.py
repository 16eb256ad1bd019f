"""An ORM model refuses a keyword no field takes, as Django's (``TypeError``) and Tortoise's
models do: ``Post(titel=...)`` or ``Post(tags=[...])`` (a to-many relation, set through its
manager) was dropped in silence, the instance then saved without it. A model may still say
``extra="ignore"`` itself, and its children inherit what it says."""

from __future__ import annotations

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import ValidationError

from .models import Author, Post, Tag


def _refused(error: ValidationError) -> list[tuple[object, str]]:
    return [(e["loc"], e["type"]) for e in error.errors()]


def test_a_misspelt_field_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Post(titel="x", title="t", author_id=1)
    assert _refused(caught.value) == [(("titel",), "extra_forbidden")]
    with pytest.raises(ValidationError) as caught:
        Author.model_validate({"name": "ann", "nmae": "x"})
    assert _refused(caught.value) == [(("nmae",), "extra_forbidden")]


def test_a_to_many_relation_is_no_constructor_keyword() -> None:
    with pytest.raises(ValidationError) as caught:
        Post(title="t", author_id=1, tags=[Tag(label="x")])
    assert _refused(caught.value) == [(("tags",), "extra_forbidden")]
    with pytest.raises(ValidationError):
        Author(name="ann", posts=[])


class UkBase(orm.Model):
    model_config = ConfigDict(extra="ignore")
    id = orm.IntField(pk=True)

    class Meta:
        abstract = True


class UkLoose(UkBase):
    name = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_uk_loose"


class UkStrictBase(orm.Model):
    id = orm.IntField(pk=True)

    class Meta:
        abstract = True


class UkStrict(UkStrictBase):
    model_config = ConfigDict(frozen=False)
    name = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_uk_strict"


class UkSaid(orm.Model, extra="ignore"):
    id = orm.IntField(pk=True)

    class Meta:
        table = "ormt_uk_said"


def test_a_model_saying_extra_keeps_it_and_children_inherit() -> None:
    assert UkLoose(name="a", other=1).name == "a"
    assert UkSaid(other=1).id is None
    with pytest.raises(ValidationError):
        UkStrict(name="a", other=1)
    assert UkStrict.model_config["extra"] == "forbid"
