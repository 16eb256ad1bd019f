"""A model class whose metaclass says it equals another class (``__eq__``/``__hash__``):
ferrule keys the blank QuerySet of each model, compiled statement shapes and its caches by
the class, so with the native core ``Book.filter(title="x")`` and ``Book.all()`` made a
QuerySet of ``Author`` (its table, its fields: ``FieldError: Author has no field 'title'``,
or rows of the wrong table where the names matched), while the pure twin made Book's. A
metaclass that redefines a class's equality is now refused when the model is declared."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import SchemaError

from .models import Author

_ModelMetaclass: Any = type(Author)


class _ClaimsAuthor(_ModelMetaclass):  # type: ignore[misc]
    def __eq__(cls, other: object) -> bool:
        return True

    def __hash__(cls) -> int:
        return hash(Author)


class _HashOnly(_ModelMetaclass):  # type: ignore[misc]
    def __hash__(cls) -> int:
        return 0


@pytest.mark.parametrize("metaclass", [_ClaimsAuthor, _HashOnly], ids=lambda m: m.__name__)
def test_a_metaclass_redefining_class_equality_is_refused(metaclass: Any) -> None:
    Author.filter(name="x")  # Author's blank QuerySet is made
    with pytest.raises(SchemaError, match=r"Book.*__eq__/__hash__"):

        class Book(orm.Model, metaclass=metaclass):  # type: ignore[metaclass]
            id: int = orm.Field(primary_key=True)
            title: str = ""

            class Meta:
                table = "ormt_hostile4_book"


def test_a_metaclass_keeping_class_equality_is_taken() -> None:
    class Plain(_ModelMetaclass):  # type: ignore[misc]
        pass

    class Paper(orm.Model, metaclass=Plain):
        id: int = orm.Field(primary_key=True)
        title: str = ""

        class Meta:
            table = "ormt_hostile4_paper"

    Paper.filter(title="x")
    assert Paper.filter(title="x")._model is Paper
    assert Paper.all()._model is Paper
