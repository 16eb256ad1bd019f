"""``Q``, ``When``, ``Case`` and aggregates with ``filter=`` compared as Django compares them:
by what they are made of, with a hash that agrees (users dedupe and cache them). ``Q(a=1) ==
Q(a=1)`` was False, and so was every expression holding a Q. Each case's expected answer is
Django's, asked in this process; where ferrule answers otherwise on purpose, the table says
why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm

from . import djangoref_world  # noqa: F401  (configures Django in this process)


def _table(m: Any) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """The cases, built from module ``m`` (Django's ``django.db.models`` or ``ferrule.orm``)."""
    Q, F, V, When, Case = m.Q, m.F, m.Value, m.When, m.Case
    return {
        "keywords": (lambda: Q(a=1), lambda: Q(a=1)),
        "keywords in another order": (lambda: Q(a=1, b=2), lambda: Q(b=2, a=1)),
        "another value": (lambda: Q(a=1), lambda: Q(a=2)),
        "another name": (lambda: Q(a=1), lambda: Q(b=1)),
        "1 and True": (lambda: Q(a=1), lambda: Q(a=True)),
        "1.0 and 1": (lambda: Q(a=1.0), lambda: Q(a=1)),
        "and": (lambda: Q(a=1) & Q(b=2), lambda: Q(a=1) & Q(b=2)),
        "and, other order": (lambda: Q(a=1) & Q(b=2), lambda: Q(b=2) & Q(a=1)),
        "and of keywords": (lambda: Q(a=1) & Q(b=2), lambda: Q(a=1, b=2)),
        "or and and": (lambda: Q(a=1) | Q(b=2), lambda: Q(a=1) & Q(b=2)),
        "xor": (lambda: Q(a=1) ^ Q(b=2), lambda: Q(a=1) ^ Q(b=2)),
        "not": (lambda: ~Q(a=1), lambda: ~Q(a=1)),
        "not and plain": (lambda: ~Q(a=1), lambda: Q(a=1)),
        "not not": (lambda: ~~Q(a=1), lambda: Q(a=1)),
        "nested": (
            lambda: (Q(a=1) | Q(b=2)) & ~Q(c=3),
            lambda: (Q(a=1) | Q(b=2)) & ~Q(c=3),
        ),
        "or of three": (lambda: Q(a=1) | Q(b=2) | Q(c=3), lambda: Q(a=1) | (Q(b=2) | Q(c=3))),
        "empty": (lambda: Q(), lambda: Q()),
        "in a list": (lambda: Q(a__in=[1, 2]), lambda: Q(a__in=[1, 2])),
        "in a list and a tuple": (lambda: Q(a__in=[1, 2]), lambda: Q(a__in=(1, 2))),
        "in a set": (lambda: Q(a__in={1, 2}), lambda: Q(a__in={2, 1})),
        "range of a list": (lambda: Q(a__range=[1, 2]), lambda: Q(a__range=[1, 2])),
        "a dict": (lambda: Q(data={"k": [1]}), lambda: Q(data={"k": [1]})),
        "a dict in another order": (
            lambda: Q(data={"a": 1, "b": 2}),
            lambda: Q(data={"b": 2, "a": 1}),
        ),
        "bytearray": (lambda: Q(a=bytearray(b"x")), lambda: Q(a=bytearray(b"x"))),
        "F": (lambda: F("a"), lambda: F("a")),
        "another F": (lambda: F("a"), lambda: F("b")),
        "F in Q": (lambda: Q(a=F("b")), lambda: Q(a=F("b"))),
        "Value": (lambda: V(1), lambda: V(1)),
        "Value 1 and True": (lambda: V(1), lambda: V(True)),
        "When": (lambda: When(a=1, then=V("x")), lambda: When(a=1, then=V("x"))),
        "When of Q": (
            lambda: When(Q(a=1) | Q(b=2), then=F("c")),
            lambda: When(Q(a=1) | Q(b=2), then=F("c")),
        ),
        "another When": (lambda: When(a=1, then=V("x")), lambda: When(a=2, then=V("x"))),
        "Case": (
            lambda: Case(When(a=1, then=V(1)), default=V(0)),
            lambda: Case(When(a=1, then=V(1)), default=V(0)),
        ),
        "Count with filter": (
            lambda: m.Count("id", filter=Q(a=1)),
            lambda: m.Count("id", filter=Q(a=1)),
        ),
        "Count, another filter": (
            lambda: m.Count("id", filter=Q(a=1)),
            lambda: m.Count("id", filter=Q(a=2)),
        ),
        "Sum with filter of keywords": (
            lambda: m.Sum("n", filter=Q(a=1, b__in=[3])),
            lambda: m.Sum("n", filter=Q(b__in=[3], a=1)),
        ),
        "Count distinct": (lambda: m.Count("id", distinct=True), lambda: m.Count("id")),
        "Count and Sum": (lambda: m.Count("id"), lambda: m.Sum("id")),
        "Q and Count": (lambda: Q(a=1), lambda: m.Count("a")),
    }


#: where ferrule answers otherwise, and why: a constant keeps its type (``Value(1)`` is not
#: ``Value(True)``, already: on PostgreSQL one is an integer, the other a boolean), and a
#: dict its order (the JSON text sent differs): equal things must compile to the same SQL
_UNEQUAL = {"1 and True", "1.0 and 1", "Value 1 and True", "a dict in another order"}


def _answer(make: tuple[Callable[[], Any], Callable[[], Any]]) -> tuple[bool, bool]:
    """(equal, same hash): hashes of two equal objects must agree."""
    a, b = make[0](), make[1]()
    return a == b, (hash(a) == hash(b)) if a == b else False


def _django_answers() -> dict[str, tuple[bool, bool]]:
    from django.db import models

    return {label: _answer(make) for label, make in _table(models).items()}


@pytest.mark.parametrize("label", sorted(_table(orm)))
def test_equality_and_hash_as_django(label: str) -> None:
    want = _django_answers()[label]
    if label in _UNEQUAL:
        assert want == (True, True)  # (Django's, so the table still says what differs)
        want = (False, False)
    make = _table(orm)[label]
    assert _answer(make) == want
    a, b = make[0](), make[1]()
    assert (a != b) is not want[0]
    assert len({a, b}) == (1 if want[0] else 2)


def test_an_unhashable_value_as_django() -> None:
    """A value that is neither hashable nor a list, tuple, set or dict: hashing the Q raises
    ``TypeError`` (as Django's does; Python's answer for an unhashable thing), and equality
    still answers (Django's raises)."""

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Unhashable)

    a, b = orm.Q(a=Unhashable()), orm.Q(a=Unhashable())
    assert a == b
    with pytest.raises(TypeError):
        hash(a)
    assert orm.Q(a__in=[[1, 2], [3]]) == orm.Q(a__in=[[1, 2], [3]])
    assert hash(orm.Q(a__in=[[1, 2], [3]])) == hash(orm.Q(a__in=[[1, 2], [3]]))


def test_a_q_is_not_equal_to_other_things() -> None:
    assert orm.Q(a=1) != ("a", 1)
    assert orm.Q(a=1) != orm.F("a")
    assert orm.Q() != None  # noqa: E711
