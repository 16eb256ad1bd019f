"""Expressions compared with ``==``: ``F("x") == F("x")`` was False (object identity), so an
expression was not found in a list or a set of equal ones. Django's ``F`` is equal to another
of the same name, and its expressions to another of the same type made of the same arguments
(they hash alike); ferrule's now are too. Constants compare with their type. A ``Q``, and so
an expression holding one, compares by what it is made of too (``test_expression_equality``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ferrule.orm import (
    Case,
    Coalesce,
    Count,
    ExtractYear,
    F,
    Lower,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from ferrule.orm.subqueries import OuterRef

EQUAL: list[tuple[Any, Any]] = [
    (F("views"), F("views")),
    (F("author__name"), F("author__name")),
    (OuterRef("id"), OuterRef("id")),
    (Value(1), Value(1)),
    (Value("a"), Value("a")),
    (Value(Decimal("1.50")), Value(Decimal("1.50"))),
    (Value(0.5), Value(0.5)),
    (F("views") + 1, F("views") + 1),
    (F("views") * F("id") - 2, F("views") * F("id") - 2),
    (Lower("title"), Lower("title")),
    (Coalesce(F("a"), Value(0)), Coalesce(F("a"), Value(0))),
    (Count("id", distinct=True), Count("id", distinct=True)),
    (Sum(F("views") * 2), Sum(F("views") * 2)),
    (ExtractYear("created"), ExtractYear("created")),
    (Count("id", filter=Q(views=1)), Count("id", filter=Q(views=1))),
]

DIFFERENT: list[tuple[Any, Any]] = [
    (F("views"), F("id")),
    (F("views"), OuterRef("views")),
    (Value(1), Value(True)),
    (Value(1), Value(1.0)),
    (Value(Decimal("1.0")), Value(Decimal("1.00"))),  # the places reach the SQL
    (Value(0.0), Value(-0.0)),
    (F("views") + 1, F("views") - 1),
    (F("views") + 1, 1 + F("views")),
    (Lower("title"), Lower("body")),
    (Count("id"), Count("id", distinct=True)),
    (Max("id"), Count("id")),
    (Count("id", filter=Q(views=1)), Count("id", filter=Q(views=2))),
    (F("views"), "views"),
]


@pytest.mark.parametrize(("left", "right"), EQUAL)
def test_equal_expressions(left: Any, right: Any) -> None:
    assert left is not right
    assert left == right
    assert (left != right) is False
    assert hash(left) == hash(right)
    assert right in [F("other"), left]
    assert len({left, right}) == 1
    assert {left: 1}[right] == 1


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_different_expressions(left: Any, right: Any) -> None:
    assert left != right
    assert (left == right) is False
    assert right not in [left]


def test_case_is_equal_to_an_equal_case() -> None:
    case = Case(When(views=1, then=Value(2)), default=Value(0))
    assert case == case
    assert hash(case) == hash(case)
    same = Case(When(views=1, then=Value(2)), default=Value(0))
    assert case == same and hash(case) == hash(same)
    assert case != Case(When(views=1, then=Value(3)), default=Value(0))
