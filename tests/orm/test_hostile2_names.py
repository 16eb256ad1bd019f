"""Names given to the ORM by objects whose methods lie or raise: a ``str`` subclass whose
``__eq__`` says it is every name (it was taken for ``"pk"``: values(), save(update_fields=)
and Count() silently read or wrote the key or every row), or whose ``__repr__`` raises
inside the error that names it (the caller saw that ``RuntimeError``, not the
``FieldError``), and objects that are no names at all."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors, orm
from ferrule.orm.expressions import F

from .conftest import opened
from .models import Author, Post


class EqualsAll(str):
    """A name that says it equals anything (``"pk"`` and ``"*"`` among them)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


class Unprintable(str):
    """A name whose repr and format raise."""

    def __repr__(self) -> str:
        raise RuntimeError("repr raised")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("format raised")


class NoName:
    def __repr__(self) -> str:
        raise RuntimeError("repr raised")


LIE = "x') OR 1=1 --"


async def test_a_name_that_equals_every_name_is_read_as_its_text(url: str) -> None:
    async with opened(url):
        author = await Author.create(name="a", rating=3)
        with pytest.raises(errors.FieldError, match="no field or relation"):
            await Author.all().values(EqualsAll(LIE))
        with pytest.raises(errors.FieldError, match="no field or relation"):
            await Author.all().values_list(EqualsAll(LIE), flat=True)
        with pytest.raises(errors.FieldError, match="no field or relation"):
            await Author.all().annotate(n=orm.Count(EqualsAll(LIE)))
        with pytest.raises(errors.FieldError, match="no field"):
            await author.save(update_fields=[EqualsAll(LIE)])
        with pytest.raises(errors.FieldError, match="no field"):
            await author.refresh_from_db(fields=[EqualsAll(LIE)])
        with pytest.raises(errors.FieldError, match="no relation"):
            await Post.all().select_related(EqualsAll(LIE))
        rows: Any = await Author.all().values(EqualsAll("rating"))
        assert rows == [{"rating": 3}]


@pytest.mark.parametrize(
    "call",
    [
        lambda: Author.all().values(Unprintable("nope")),
        lambda: Author.all().order_by(F(Unprintable("nope")) + 1),
        lambda: Author.create(**{Unprintable("nope"): 1}),
        lambda: Author.all().update(**{Unprintable("nope"): 1}),
        lambda: Author.filter(**{Unprintable("nope"): 1}),
        lambda: Author.all().annotate(n=orm.Count(Unprintable("nope"))),
        lambda: Author.bulk_update([Author(id=1, name="a")], [Unprintable("nope")]),
    ],
)
async def test_an_unprintable_name_gets_the_error_naming_its_text(url: str, call: Any) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError, match="'nope'"):
            await call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: Author.all().values_list(NoName()),
        lambda: Author.bulk_update([Author(id=1, name="a")], [NoName()]),
        lambda: Author.all().only(NoName()),
        lambda: Post.all().select_related(NoName()),
        lambda: Author(id=1, name="a").refresh_from_db(fields=[NoName()]),
    ],
)
async def test_what_is_no_name_is_refused_by_its_type(url: str, call: Any) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError, match="NoName object"):
            await call()


async def test_bulk_update_of_what_is_no_instance_is_refused(url: str) -> None:
    async with opened(url):
        with pytest.raises(errors.ORMError, match="bulk_update\\(\\) of Author got a NoName"):
            await Author.bulk_update([NoName()], ["name"])  # type: ignore[list-item]
