"""``values_list(..., named=True)``: each row a named tuple (Django's ``Row``) whose fields are
the names asked for, in order, with the values ``values_list()`` gives, on SQLite, PostgreSQL
and MariaDB; ``flat`` with ``named`` and names a named tuple cannot hold (a keyword, a repeat:
Django's ``namedtuple("Row", names)`` raises there too) are typed errors, checked before any
text reaches code generation."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post

AUTHORS = [("ann", 3, dt.date(1970, 5, 1)), ("bob", 5, None), ("cy", 0, dt.date(2001, 1, 31))]


async def _rows() -> None:
    for name, rating, born in AUTHORS:
        author = await Author.create(name=name, rating=rating, born=born)
        for i in range(rating % 3):
            await Post.create(title=f"{name}{i}", views=i * 7, author=author)


async def test_named_rows_have_the_asked_names_and_values(url: str) -> None:
    async with opened(url):
        await _rows()
        rows = await Author.order_by("name").values_list("name", "rating", "born", named=True)
        assert [tuple(r) for r in rows] == AUTHORS
        assert all(type(r).__name__ == "Row" and isinstance(r, tuple) for r in rows)
        assert [(r.name, r.rating, r.born) for r in rows] == AUTHORS
        assert rows[0]._fields == ("name", "rating", "born")
        assert rows[0]._asdict() == {"name": "ann", "rating": 3, "born": dt.date(1970, 5, 1)}
        assert len({type(r) for r in rows}) == 1  # one class for the query, not one a row

        # across a relation, with an annotation, the key named pk
        posts = await Post.order_by("title").values_list("pk", "author__name", "views", named=True)
        expected = sorted(
            (f"{name}{i}", name, i * 7) for name, rating, _ in AUTHORS for i in range(rating % 3)
        )
        assert [(r.author__name, r.views) for r in posts] == [(e[1], e[2]) for e in expected]
        assert all(isinstance(r.pk, int) for r in posts)
        counted = await (
            Author.annotate(n=orm.Count("posts"))
            .order_by("name")
            .values_list("name", "n", named=True)
        )
        assert [(r.name, r.n) for r in counted] == [(n, r % 3) for n, r, _ in AUTHORS]

        # no names: every column, then the annotations
        everything = (
            await Author.annotate(twice=orm.F("rating") * 2).order_by("id").values_list(named=True)
        )
        assert everything[0]._fields == ("id", "name", "born", "rating", "twice")
        assert [(r.name, r.twice) for r in everything] == [(n, 2 * r) for n, r, _ in AUTHORS]

        # values_list(...).annotate(...): the annotation joins the names
        grouped = await (
            Post.values_list("author__name", named=True)
            .annotate(total=orm.Sum("views"))
            .order_by("author__name")
        )
        assert [tuple(r) for r in grouped] == [("bob", 0 + 7)]  # ann 3 % 3 = 0 posts
        assert grouped[0]._fields == ("author__name", "total")

        streamed = [r async for r in Author.order_by("name").values_list("name", named=True)]
        assert [r.name for r in streamed] == ["ann", "bob", "cy"]
        top = await Author.values_list("name", named=True).order_by("-name")[:2]
        assert [r.name for r in top] == ["cy", "bob"]
        one = await Author.filter(name="bob").values_list("name", "rating", named=True).first()
        assert one is not None and one.rating == 5
        again = pickle.loads(pickle.dumps(rows[1]))
        assert again == rows[1] and again.born is None and again._fields == rows[1]._fields


async def test_named_errors(url: str) -> None:
    async with opened(url):
        await _rows()
        with pytest.raises(FieldError, match="flat"):
            Author.values_list("name", flat=True, named=True)
        with pytest.raises(FieldError, match=r"Author.*'name'.*twice"):
            Author.values_list("name", "name", named=True)
        keyword = Author.annotate(**{"class": orm.F("rating")})
        with pytest.raises(FieldError, match=r"Author.*'class'"):
            keyword.values_list("class", named=True)
        with pytest.raises(FieldError, match=r"Author.*'class'"):
            await keyword.values_list(named=True)
        with pytest.raises(FieldError, match="nonsense"):
            await Author.values_list("nonsense", named=True)
        # a keyword annotation stays readable where no name is made of it
        assert sorted(await keyword.values_list("class", flat=True)) == [0, 3, 5]


class _Lying(str):
    """A str subclass whose methods disagree with the text it holds."""

    def __str__(self) -> str:
        return "x=0): pass\nimport os  #"

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


async def test_a_str_subclass_names_the_field_it_holds(url: str) -> None:
    async with opened(url):
        await _rows()
        rows: Any = await Author.order_by("name").values_list(_Lying("name"), named=True)
        assert [r.name for r in rows] == ["ann", "bob", "cy"]
        assert rows[0]._fields == ("name",)
