"""Seeded differential test of querysets over every field type at once: a fixed list of seeds
makes rows (NULLs, extremes, ties) of a model with nullable and non-null int, float, decimal
and text, bool, date, aware datetime, UUID and JSON fields and a nullable key to a second
model, and a few hundred random querysets per database, each answered over the rows in
Python by ferrule's documented semantics and compared with what the database gave.

What the other differential tests do not already reach, and this one does: NULLs in every
type (not only int and text), UUID and JSON fields, ``F()`` on the other side of a lookup
(plain, shifted by a value, across the key), lookups across the key (``owner__name__...``),
the parts of dates and datetimes (``day__year``, ``at__week_day``, ``at__date``), ``iregex``,
``values()``/``values_list()`` of several fields, ``distinct()`` over them (counted and
sliced), XOR, ``__in`` a QuerySet holding NULLs, aggregates with ``filter=`` and
``distinct=``, ``annotate()`` grouped by a field across the key with a HAVING filtered or
excluded. Some queries must be refused with a ``FieldError``/``ValidationError`` (no exact
answer: a text lookup on a number, a decimal compared with a float, a date with an instant
that is not midnight); a value of another type may be refused or answered as Python would.
``FERRULE_DFIELDS_SEEDS=a:b`` runs other seeds (a longer hunt).

The reference (documented semantics):

* a lookup on a NULL is false but for ``isnull``/``exact=None``; ``exclude(c)`` keeps exactly
  the rows ``filter(c)`` drops, NULL rows included: Django documents ``exclude()`` as
  ``NOT (condition)`` and, for a nullable column, adds ``IS NOT NULL`` inside the NOT, so
  ``exclude(n=1)`` keeps ``n IS NULL`` (``orm.compiler``), and since its ticket #23797 also
  for a nullable ``F()`` on the other side; across a NULL key a related field is NULL;
* text compares by code point (PostgreSQL's text is ``COLLATE "C"``), the ``i`` lookups lower
  each code point on its own (``unicode_lower``), ``regex`` is ``re.search`` and ``iregex``
  ``re.search`` with ``re.IGNORECASE`` (``orm.regex_core``);
* a part of an aware datetime is taken in UTC (``orm.datetimes``), ``week_day`` is 1 = Sunday;
* a UUID orders as its 128-bit number, JSON ``exact``/``in`` compare as JSON values
  (``orm.json_lookups``), a key lookup as ``orm.json_keys`` says;
* NULL sorts as the smallest value; ties are broken by the key, so every answer is exact;
* ``Count`` counts non-NULL values, ``Sum``/``Min``/``Max``/``Avg`` skip NULLs and are None over
  none; ``Avg`` of ints is a double, of decimals the exact mean rounded half away from zero to
  the scale + 4 places (``arithmetic.decimal_mean``)."""

from __future__ import annotations

import os
import random
from typing import Any

from ferrule import orm
from ferrule.errors import FieldError, ValidationError

from .conftest import opened, own_tables
from .differential_fields_reference import (
    World,
    aggregate,
    holds,
    is_f,
    kept_rows,
    ordered,
    same,
    same_rows,
    sort_key,
)
from .differential_fields_world import FIELDS, FUNCS, MIXED, DfOwner, DfRow, make_query, make_rows

# -- the ORM side -----------------------------------------------------------------------------


def _orm_value(value: Any) -> Any:
    if is_f(value):
        _, other, shift = value
        return orm.F(other) + orm.Value(shift) if shift else orm.F(other)
    return value


def _keyword(leaf: tuple[str, str, Any]) -> tuple[str, Any]:
    name, lookup, value = leaf
    if isinstance(value, tuple) and value and value[0] == "SUB":
        _, source, field, where = value
        qs = (DfRow if source == "rows" else DfOwner).all()
        if where is not None:
            qs = qs.filter(**{f"{where[0]}__{where[1]}": where[2]})
        return f"{name}__{lookup}", qs.values(field)
    if isinstance(value, tuple) and value and value[0] == "X":
        value = [value[1]] if lookup == "in" else value[1]
    elif lookup in ("in", "range") and not isinstance(value, bool):
        value = type(value)(_orm_value(v) for v in value)
    return f"{name}__{lookup}", _orm_value(value)


def refused(cond: Any) -> bool:
    """Whether ``cond`` holds a cross-typed value only a refusal answers exactly."""
    kind, body = cond
    leaves = [body] if kind == "leaf" else list(body) if kind == "kw" else []
    for name, _, value in leaves:
        if isinstance(value, tuple) and value and value[0] == "X" and value[2] is None:
            return True
        values = value if isinstance(value, (list, tuple)) and not is_f(value) else [value]
        if any(is_f(v) and (name, v[1]) in MIXED for v in values):
            return True
    if kind == "not":
        return refused(body)
    return kind in ("and", "or", "xor") and any(refused(c) for c in body)


def to_q(cond: Any) -> orm.Q:
    kind, body = cond
    if kind == "leaf":
        return orm.Q(**dict([_keyword(body)]))
    if kind == "kw":
        return orm.Q(**dict(_keyword(leaf) for leaf in body))
    if kind == "not":
        return ~to_q(body)
    left, right = (to_q(c) for c in body)
    return {"and": left & right, "or": left | right, "xor": left ^ right}[kind]


def build(q: dict[str, Any]) -> Any:
    qs: Any = DfRow.all()
    for kind, cond in q["steps"]:
        qs = getattr(qs, kind)(to_q(cond))
    return qs


def _aggregates(q: dict[str, Any]) -> dict[str, Any]:
    exprs = {}
    for n, (function, field, cond, distinct) in enumerate(q["aggs"]):
        extra: dict[str, Any] = {} if cond is None else {"filter": to_q(cond)}
        if distinct:
            extra["distinct"] = True
        exprs[f"a{n}"] = FUNCS[function](field, **extra)
    return exprs


async def check(w: World, q: dict[str, Any], dialect: str, where: str) -> None:
    kept = kept_rows(w, q)
    total = (*q["order"], "id")
    mode = q["mode"]
    qs = build(q)
    what = f"{where} {q!r}\n{qs.compile(dialect)[0]}"
    if mode in ("rows", "slice"):
        want = ordered(w, kept, total)
        ordered_qs = qs.order_by(*total)
        if mode == "slice":
            low, high = q["window"]
            want, ordered_qs = want[low:high], ordered_qs[low:high]
        found = await ordered_qs.values_list(*FIELDS)
        assert same_rows(found, [tuple(r[n] for n in FIELDS) for r in want], FIELDS), what
        assert await ordered_qs.count() == len(want), what
        assert await ordered_qs.exists() == bool(want), what
    elif mode == "count":
        assert await qs.count() == len(kept), what
        assert await qs.exists() == bool(kept), what
    elif mode == "values":
        fields = q["fields"]
        found = await qs.order_by(*total).values(*fields)
        want = [{n: w.get(r, n) for n in fields} for r in ordered(w, kept, total)]
        rows = [tuple(x[n] for n in fields) for x in found]
        assert same_rows(rows, [tuple(x[n] for n in fields) for x in want], fields), what
    elif mode == "distinct":
        fields = q["fields"]
        found = await qs.values_list(*fields).distinct().order_by(*fields)
        seen: list[tuple[Any, ...]] = []
        for r in ordered(w, kept, fields):
            key = tuple(w.get(r, n) for n in fields)
            if key not in seen:
                seen.append(key)
        assert same_rows(found, seen, fields), what
        distinct = qs.values_list(*fields).distinct()
        assert await distinct.count() == len(seen), f"{what} count"
        window = distinct.order_by(*(f"-{n}" for n in fields))[1:3]
        assert same_rows(await window, seen[::-1][1:3], fields), f"{what} [1:3]"
        assert await window.count() == len(seen[::-1][1:3]), f"{what} [1:3] count"
    elif mode == "agg":
        exprs, want_agg = _aggregates(q), {}
        for n, (function, field, cond, distinct) in enumerate(q["aggs"]):
            rows = kept if cond is None else [r for r in kept if holds(w, r, cond)]
            want_agg[f"a{n}"] = aggregate(w, rows, function, field, distinct)
        got = await qs.aggregate(**exprs)
        assert all(same(got[k], v) for k, v in want_agg.items()), f"{what}\n{got} {want_agg}"
    elif mode == "group":
        await _check_groups(w, q, qs, kept, what)
    else:
        assert mode == "ends"
        want = ordered(w, kept, total)
        for end, one in (("first", want[:1]), ("last", want[-1:])):
            got = await getattr(qs.order_by(*total), end)()
            assert (got.id if got else None) == (one[0]["id"] if one else None), f"{what} {end}"


#: a HAVING value per aggregate: the first aggregate's groups compared with it
HAVING = {"count": 1, "sum": 0, "avg": 0, "min": None, "max": None}


async def _check_groups(
    w: World, q: dict[str, Any], qs: Any, kept: list[dict[str, Any]], what: str
) -> None:
    """``values(group).annotate(aggregates)``, maybe with a HAVING on the first aggregate,
    in the group's order or the first aggregate's (then the group's)."""
    group = q["group"]
    exprs = _aggregates(q)
    keys: list[Any] = []
    for r in ordered(w, kept, (group,)):
        if w.get(r, group) not in keys:
            keys.append(w.get(r, group))
    want = []
    for key in keys:
        members = [r for r in kept if w.get(r, group) == key]
        one = {group: key}
        for n, (function, field, cond, distinct) in enumerate(q["aggs"]):
            rows = members if cond is None else [r for r in members if holds(w, r, cond)]
            one[f"a{n}"] = aggregate(w, rows, function, field, distinct)
        want.append(one)
    grouped = qs.values(group).annotate(**exprs)
    having, first = q["having"], q["aggs"][0]
    bound = HAVING[first[0]]
    keep = q["having_kind"] == "filter"  # exclude(): the groups filter() drops
    if having == "isnull":
        grouped = getattr(grouped, q["having_kind"])(a0__isnull=False)
        want = [x for x in want if (x["a0"] is not None) == keep]
    elif having is not None and bound is not None:
        grouped = getattr(grouped, q["having_kind"])(**{f"a0__{having}": bound})
        test = (lambda v: v > bound) if having == "gt" else (lambda v: v <= bound)
        want = [x for x in want if (x["a0"] is not None and test(x["a0"])) == keep]
    if q["by_agg"]:
        grouped = grouped.order_by("-a0", group)
        want.sort(key=lambda x: sort_key(x["a0"]), reverse=True)  # stable: groups in order
    else:
        grouped = grouped.order_by(group)
    found = await grouped
    names = (group, *exprs)
    got = [tuple(x[n] for n in names) for x in found]
    assert same_rows(got, [tuple(x[n] for n in names) for x in want], names), (
        f"{what}\n{found}\n{want}"
    )


#: FERRULE_DFIELDS_SEEDS=a:b runs seeds a..b-1 (a longer hunt); the suite runs a fixed list
_SPAN = os.environ.get("FERRULE_DFIELDS_SEEDS", "0:20").split(":")
SEEDS = tuple(range(int(_SPAN[0]), int(_SPAN[1])))
QUERIES_PER_SEED = 30


async def test_querysets_answer_as_the_reference(url: str, dialect: str) -> None:
    async with opened(url), own_tables(DfOwner, DfRow):
        for seed in SEEDS:
            rng = random.Random(seed)
            owners, rows = make_rows(rng)
            await DfRow.all().delete()
            await DfOwner.all().delete()
            await DfOwner.bulk_create([DfOwner(**o) for o in owners])
            await DfRow.bulk_create([DfRow(**r) for r in rows])
            w = World(owners, rows)
            for n in range(QUERIES_PER_SEED):
                await check_or_refused(w, make_query(rng), dialect, f"seed {seed} query {n}:")


def _conditions(q: dict[str, Any]) -> list[Any]:
    return [c for _, c in q["steps"]] + [a[2] for a in q.get("aggs", ()) if a[2] is not None]


def _crossed(cond: Any) -> bool:
    kind, body = cond
    if kind in ("leaf", "kw"):
        leaves = [body] if kind == "leaf" else body
        return any(isinstance(v, tuple) and v and v[0] == "X" for _, _, v in leaves) or refused(
            cond
        )
    return any(_crossed(c) for c in ((body,) if kind == "not" else body))


async def check_or_refused(w: World, q: dict[str, Any], dialect: str, where: str) -> None:
    """``check``; where a value of another type is compared, a typed refusal (FieldError,
    ValidationError) is also right, and where no answer is exact it is the only right one."""
    conds = _conditions(q)
    if not any(_crossed(c) for c in conds):
        await check(w, q, dialect, where)
        return
    if any(refused(c) for c in conds):  # no reference answer: asked for, it must be refused
        try:
            qs = build(q)
            await qs.count()
            if "aggs" in q:
                await qs.aggregate(**_aggregates(q))
        except (FieldError, ValidationError):
            return
        raise AssertionError(f"{where} accepted: {q!r}")
    try:
        await check(w, q, dialect, where)
    except (FieldError, ValidationError):
        return
