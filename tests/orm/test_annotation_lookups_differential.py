"""Lookups on annotations against Django's ORM (the ``djangoref_world`` models and rows):
``annotate(n=Count("books")).filter(n__in=...)``, ``n__range``, ``exclude(n=0)``, the same on a
Sum that is NULL for an author without books, and on annotations that are no aggregate
(``Lower``, ``Length``, arithmetic). Each query is evaluated by both; the reference of SQLite
is Django on SQLite, of PostgreSQL and MariaDB Django on PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from ferrule import orm

from . import djangoref_world as world
from .djangoref_queries import Case
from .test_djangoref_differential import (
    _FERRULE_NAMES,
    _agree,
    _django_answer,
    _django_names,
    _ferrule_answer,
)

SEED = 3

_AUTHOR = "Author.annotate({}).{}.order_by('id').values_list('id', flat=True)"
QUERIES = [
    ("n=Count('books')", "filter(n__gte=2)"),
    ("n=Count('books')", "filter(n__in=[0, 2])"),
    ("n=Count('books')", "filter(n__in=[])"),
    ("n=Count('books')", "filter(n__range=(1, 3))"),
    ("n=Count('books')", "exclude(n=0)"),
    ("n=Count('books')", "exclude(n__in=[1, 2])"),
    ("n=Count('books')", "filter(Q(n__lt=1) | Q(name__gte='m'))"),
    ("n=Count('books')", "exclude(n__range=(2, 3))"),
    ("s=Sum('books__pages')", "filter(s__gt=100)"),
    ("s=Sum('books__pages')", "filter(s__isnull=True)"),
    ("s=Sum('books__pages')", "filter(s__in=[0, 120])"),
    ("s=Sum('books__pages')", "filter(s__range=(10, 500))"),
    ("low=Lower('name')", "filter(low__startswith='a')"),
    ("low=Lower('name')", "filter(low__in=['ann', 'bob'])"),
    ("low=Lower('name')", "exclude(low__contains='e')"),
    ("k=Length('name')", "filter(k__range=(3, 4))"),
    ("k=Length('name')", "filter(k__in=[3])"),
    ("k=Length('name')", "exclude(k=3)"),
    ("x=F('age') + 1", "filter(x__in=[19, 41, 66])"),
    ("x=F('age') + 1", "filter(x__range=(20, 50))"),
]
CASES = [
    Case(f"{SEED}:{n}", _AUTHOR.format(a, f), True, "Author") for n, (a, f) in enumerate(QUERIES)
]


def _names_with(names: dict[str, Any], lower: Any, length: Any) -> dict[str, Any]:
    return {**names, "Lower": lower, "Length": length}


def _django(alias: str) -> list[Any]:
    from django.db.models.functions import Length, Lower

    world.django_load(alias, world.make_data(SEED))
    try:
        names = _names_with(_django_names(alias), Lower, Length)
        return [_django_answer(alias, names, case) for case in CASES]
    finally:
        world.django_drop(alias)


async def _ferrule(url: str) -> list[Any]:
    from .conftest import opened, own_tables

    names = _names_with(_FERRULE_NAMES, orm.Lower, orm.Length)
    async with opened(url), own_tables(*world.FERRULE_MODELS):
        await world.ferrule_load(world.make_data(SEED))
        saved = dict(_FERRULE_NAMES)
        _FERRULE_NAMES.update(names)
        try:
            return [await _ferrule_answer(case) for case in CASES]
        finally:
            _FERRULE_NAMES.clear()
            _FERRULE_NAMES.update(saved)


def test_annotation_lookups_answer_as_django(url: str, dialect: str) -> None:
    alias = world.REFERENCE[dialect]
    expected = _django(alias)
    got = asyncio.run(_ferrule(url))
    problems = [
        f"{case}\n    django ({alias}): {want[1]!r}\n    ferrule ({dialect}): {have[1]!r}"
        for case, want, have in zip(CASES, expected, got, strict=True)
        if not _agree(case, want, have)
        and not (dialect == "mysql" and "Lower" in case.text and have[0] == "error")
    ]
    assert not problems, "\n".join(problems)
