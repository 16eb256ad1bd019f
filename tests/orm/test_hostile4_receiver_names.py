"""Fields named ``cls`` or ``self`` (both allowed on a model) given as keywords to the ORM's
entry points: each method's own first parameter took the keyword, so ``Model.filter(cls=1)``
was ``TypeError: got multiple values for argument 'cls'`` from the Python classmethod, and a
QuerySet from the native ``Model.filter`` once ``cls`` had been met as a filter name (the two
disagreed); ``create(cls=...)``, ``qs.filter(self=...)``, ``update(self=...)``,
``orm.Q(self=...)`` failed the same way. The first parameter is now positional-only: the
keyword is the field's."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError
from ferrule.orm import native_paths

from .conftest import opened, own_tables


class Named(orm.Model):
    id: int = orm.Field(primary_key=True)
    cls: int = 0
    self: int = 0

    class Meta:
        table = "ormt_hostile4_named"


async def test_fields_named_cls_and_self_are_keywords_like_any_other(url: str) -> None:
    async with opened(url), own_tables(Named):
        made = await Named.create(cls=1, self=2)
        await Named.all().create(cls=3, self=4)
        assert (made.cls, made.self) == (1, 2)
        assert [n.self for n in await Named.filter(cls=1)] == [2]
        assert [n.self for n in await Named.filter(cls=1)] == [2]  # the native path, if any
        assert [n.cls for n in await Named.all().filter(self=4)] == [3]
        assert [n.cls for n in await Named.exclude(self=4)] == [1]
        assert (await Named.get(cls=3)).self == 4
        assert (await Named.all().get(self=2)).cls == 1
        assert (await Named.get_or_none(cls=9)) is None
        assert await Named.exists(self=4)
        assert [
            n.cls for n in await Named.filter(orm.Q(self=2) | orm.Q(cls=3)).order_by("cls")
        ] == [1, 3]
        assert await Named.filter(cls=1).update(self=7) == 1
        assert await Named.all().order_by("cls").values_list("cls", "self") == [(1, 7), (3, 4)]


def test_native_and_python_filter_agree_on_a_keyword_named_cls() -> None:
    """``cls`` met first as a QuerySet filter's name (which puts it among the names the
    native ``Model.filter`` takes as given), then given to ``Model.filter``: the same
    QuerySet from both, holding the condition."""
    from .models import Author

    Author.all().filter(cls=1)
    made: list[Any] = []
    for call in (lambda: Author.filter(cls=1), lambda: native_paths.PYTHON_FILTER(Author, cls=1)):
        qs = call()
        made.append((qs._key, [list(q.children) for q in qs._where]))
    assert made[0] == made[1] == ((Author, "f", ("cls",)), [[("cls", 1)]])


async def test_a_keyword_named_cls_on_a_model_without_it_names_the_field(url: str) -> None:
    from .models import Author

    async with opened(url):
        with pytest.raises(FieldError, match="cls"):
            await Author.filter(cls=1)
