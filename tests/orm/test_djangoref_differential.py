"""Differential test of ferrule.orm against Django's ORM: the same models (``djangoref_world``),
the same seeded rows, and a thousand seeded querysets per seed (``djangoref_queries``: lookups
across relations, ``Q`` with ``&``/``|``/``~``, ``F``, ordering with NULLs, ``distinct``,
``values``/``values_list``, ``annotate``/``aggregate``, ``update``/``delete`` row counts,
slices, ``first``/``last``, ``count``/``exists``) evaluated by both, each over its own tables.

The reference of ferrule on SQLite is Django on SQLite, of ferrule on PostgreSQL and MariaDB
Django on PostgreSQL. Django's answers are read once per process, synchronously, outside any
event loop; then ferrule's, in one ``asyncio.run``. A failure prints each case that differs:
its seed (``<data seed>:<query number>``, ``make_case`` makes it again) and its text, with both
answers. ``FERRULE_DJANGOREF_QUERIES`` sets the number of queries per data seed,
``FERRULE_DJANGOREF_SEEDS`` the data seeds (``1,2``).

Where the two differ by design, the case is passed over, or the answer allowed, by a rule
here that says why (``_passed_over``, ``_deliberate``)."""

from __future__ import annotations

import asyncio
import datetime
import os
import re
from typing import Any

import pytest

from ferrule import orm

from . import djangoref_world as world
from .conftest import opened, own_tables
from .djangoref_queries import Case, canonical, make_case, same, sort_key

DATA_SEEDS = tuple(int(s) for s in os.environ.get("FERRULE_DJANGOREF_SEEDS", "1,2").split(","))
QUERIES = int(os.environ.get("FERRULE_DJANGOREF_QUERIES", "1000"))

Answer = tuple[str, Any]  # ("ok", canonical value) or ("error", "Type: message")

_FERRULE_NAMES = {
    "Book": world.Book,
    "Author": world.Author,
    "Tag": world.Tag,
    "Q": orm.Q,
    "F": orm.F,
    "Count": orm.Count,
    "Sum": orm.Sum,
    "Avg": orm.Avg,
    "Min": orm.Min,
    "Max": orm.Max,
    "Decimal": world.D,
    "datetime": datetime,
}


def _django_names(alias: str) -> dict[str, Any]:
    from django.db import models

    return {
        "Book": world.DBook.objects.using(alias),
        "Author": world.DAuthor.objects.using(alias),
        "Tag": world.DTag.objects.using(alias),
        "Q": models.Q,
        "F": models.F,
        "Count": models.Count,
        "Sum": models.Sum,
        "Avg": models.Avg,
        "Min": models.Min,
        "Max": models.Max,
        "Decimal": world.D,
        "datetime": datetime,
    }


def _failed(error: Exception) -> Answer:
    return ("error", f"{type(error).__name__}: {error}")


def _django_answer(alias: str, names: dict[str, Any], case: Case) -> Answer:
    from django.db import transaction
    from django.db.models import QuerySet

    def read(value: Any) -> Any:
        return list(value) if isinstance(value, QuerySet) else value

    try:
        if case.after is None:
            return ("ok", canonical(read(eval(case.django_text, names))))
        with transaction.atomic(using=alias):
            result = eval(case.django_text, names)
            if isinstance(result, tuple):  # delete(): (total, per model); the root's count
                result = result[1].get(f"{world.APP}.D{case.root}", 0)
            after = read(eval(case.after, names))
            transaction.set_rollback(True, using=alias)
        return ("ok", canonical([result, after]))
    except Exception as error:
        return _failed(error)


_REFERENCES: dict[tuple[str, int], list[Answer]] = {}


def _reference(alias: str, seed: int, cases: list[Case]) -> list[Answer]:
    """Django's answers on ``alias`` (made once per process)."""
    key = (alias, seed)
    if key not in _REFERENCES:
        world.django_load(alias, world.make_data(seed))
        try:
            names = _django_names(alias)
            _REFERENCES[key] = [_django_answer(alias, names, case) for case in cases]
        finally:
            world.django_drop(alias)
    return _REFERENCES[key]


class _RolledBack(Exception):
    pass


async def _read(value: Any) -> Any:
    if asyncio.iscoroutine(value):
        return await value
    if isinstance(value, orm.QuerySet):
        return await value
    return value


async def _ferrule_answer(case: Case) -> Answer:
    try:
        if case.after is None:
            return ("ok", canonical(await _read(eval(case.text, _FERRULE_NAMES))))
        try:
            async with orm.transaction():
                result = await _read(eval(case.text, _FERRULE_NAMES))
                after = await _read(eval(case.after, _FERRULE_NAMES))
                raise _RolledBack(result, after)
        except _RolledBack as done:
            return ("ok", canonical(list(done.args)))
    except Exception as error:
        return _failed(error)


async def _ferrule_answers(url: str, seed: int, cases: list[Case]) -> list[Answer]:
    async with opened(url), own_tables(*world.FERRULE_MODELS):
        await world.ferrule_load(world.make_data(seed))
        return [await _ferrule_answer(case) for case in cases]


#: Django on SQLite matches with LIKE, which SQLite makes blind to ASCII case and to no other
#: (Django's documented "SQLite doesn't support case-sensitive LIKE"): its answers to the
#: case-sensitive pattern lookups, and to the case-blind ones with a letter beyond ASCII,
#: are not Django's meaning; PostgreSQL's reference judges those
_SQLITE_LIKE = re.compile(r"__(contains|startswith|endswith)=")
_SQLITE_FOLD = re.compile(r"__i(exact|contains|startswith|endswith)='[^']*[^\x00-\x7f]")


def _passed_over(case: Case, alias: str) -> bool:
    if case.multiplied:  # Django's answer is multiplied by a join (`djangoref_queries.Query`)
        return True
    if alias == "default":
        return bool(_SQLITE_LIKE.search(case.text) or _SQLITE_FOLD.search(case.text))
    return False


def _deliberate(case: Case, want: Answer, have: Answer) -> bool:
    """ferrule refuses, with a typed error, what Django answers wrongly: an aggregate that a
    to-many join would multiply (README: "Where Django would silently multiply an aggregate
    through two to-many joins ... ferrule answers exactly ... or raises a FieldError"), and
    a Sum or Avg of text or dates (Django on SQLite adds the numbers SQLite reads from them;
    on PostgreSQL it raises)."""
    refused = have[0] == "error" and have[1].startswith("FieldError")
    return refused and ("multipl" in have[1] or "is not a number" in have[1])


def _agree(case: Case, want: Answer, have: Answer) -> bool:
    if want[0] == "error" or have[0] == "error":
        return want[0] == have[0]
    left, right = want[1], have[1]
    if not case.ordered and isinstance(left, list) and isinstance(right, list):
        left, right = sorted(left, key=sort_key), sorted(right, key=sort_key)
    return same(left, right)


@pytest.mark.parametrize("seed", DATA_SEEDS)
def test_same_answers_as_django(url: str, dialect: str, seed: int) -> None:
    cases = [make_case(seed, number) for number in range(QUERIES)]
    alias = world.REFERENCE[dialect]
    expected = _reference(alias, seed, cases)
    got = asyncio.run(_ferrule_answers(url, seed, cases))
    problems = [
        f"{case}\n    django ({alias}): {want[1]!r}\n    ferrule ({dialect}): {have[1]!r}"
        for case, want, have in zip(cases, expected, got, strict=True)
        if not _passed_over(case, alias)
        and not _agree(case, want, have)
        and not _deliberate(case, want, have)
    ]
    shown = "\n".join(problems[:25])
    assert not problems, f"{len(problems)} of {len(cases)} answers differ from Django's:\n{shown}"
