"""Differential test of the aggregating and value-returning side of the ORM: hypothesis makes
rows and queries from the public API, and every answer (``aggregate()``, grouped
``values().annotate()``, ``values()``/``values_list()``/``distinct()``, ``count()``,
``exists()``, ``F``/``Value``/``Case`` annotations) is checked against the same query
evaluated over the rows in Python, by ferrule's documented semantics:

* ``Count`` counts the non-NULL values (``"*"``: the rows), 0 over no row; ``Sum``, ``Avg``,
  ``Min``, ``Max`` skip NULLs and are None over no (non-NULL) value (Django's rule);
* ``Sum`` of ints is an int, of decimals an exact ``Decimal`` at the field's scale
  (``orm.results``); ``Avg`` of ints is a float in double precision (``orm.compiler``), of
  decimals the exact mean rounded half away from zero to the scale + 4 places
  (``arithmetic.decimal_mean``); of floats what the database adds (the floats here are
  dyadic and small, so every order of addition is exact);
* arithmetic (``orm.arithmetic``): int op int an int, ``/`` truncating toward zero, a
  division by zero None; int or decimal with a decimal a ``Decimal`` at the larger scale
  (``+``/``-``) or the sum of the scales (``*``); None on either side None;
* a filter after ``annotate()`` of an aggregate is a HAVING; NULL sorts as the smallest
  value; text compares code point by code point."""

from __future__ import annotations

import datetime as dt
import decimal
import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrule import orm
from ferrule.errors import DataError, InterfaceError

from .conftest import differential_settings, loop_with_tables, opened, own_tables

D = decimal.Decimal
UTC = dt.timezone.utc
MEAN_PLACES = 4  # backends.sqlite_functions.MEAN_PLACES: Avg of decimals at scale + 4
SQLITE_DIGITS = 14  # the digits of a decimal expression SQLite's doubles answer exactly


class Agg(orm.Model):
    id: int = orm.Field(primary_key=True)
    g = orm.IntField(null=True)  # a small group key, NULL now and then
    k = orm.TextField(null=True)
    n = orm.IntField(null=True)
    m = orm.IntField(null=True)
    d = orm.DecimalField(max_digits=6, decimal_places=2, null=True)
    e = orm.DecimalField(max_digits=5, decimal_places=1, null=True)
    f = orm.FloatField(null=True)
    day = orm.DateField(null=True)
    at = orm.DateTimeField(null=True)
    span = orm.TimedeltaField(null=True)  # not generated: the regression tests' own
    flag = orm.BooleanField(null=True)  # likewise

    class Meta:
        table = "ormt_adiff"


FIELDS = ("g", "k", "n", "m", "d", "e", "f", "day", "at")
ZONES = (UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-3)))


@st.composite
def moments(draw: Any) -> dt.datetime:
    base = dt.datetime(2024, 1, 1, 12, draw(st.sampled_from((0, 1, 30))), 0, tzinfo=UTC)
    base += dt.timedelta(hours=draw(st.integers(-2, 2)), microseconds=draw(st.sampled_from((0, 7))))
    return base.astimezone(draw(st.sampled_from(ZONES)))


VALUES: dict[str, Any] = {
    "g": st.integers(0, 2),
    "k": st.sampled_from(("", "a", "A", "a ", "b", "é", "z", "ab")),
    "n": st.integers(-5, 5) | st.sampled_from((2**31 - 1, -(2**31))),
    "m": st.integers(-3, 3),
    "d": st.sampled_from(
        tuple(D(x) for x in ("-9999.99", "-1.5", "0", "0.01", "0.33", "2.5", "9999.99"))
    ),
    "e": st.sampled_from(tuple(D(x) for x in ("-0.5", "0", "0.1", "3.3", "9999.9"))),
    "f": st.sampled_from((-2.5, -1.0, 0.0, 0.25, 1.0, 3.5, 1024.0)),
    "day": st.dates(dt.date(2023, 12, 30), dt.date(2024, 1, 3)),
    "at": moments(),
}
rows_st = st.lists(
    st.fixed_dictionaries({name: st.none() | VALUES[name] for name in FIELDS}),
    max_size=7,
)

NUMERIC = ("n", "m", "d", "e", "f")
ORDERED = (*NUMERIC, "k", "day", "at", "g")
aggs_st = st.one_of(
    st.tuples(st.just("count"), st.sampled_from(("*", "id", *FIELDS)), st.booleans()),
    st.tuples(st.sampled_from(("sum", "avg")), st.sampled_from(NUMERIC), st.booleans()),
    st.tuples(st.sampled_from(("min", "max")), st.sampled_from(ORDERED), st.booleans()),
)
#: a filter before the aggregate: (field, lookup, value)
filters_st = st.none() | st.one_of(
    st.tuples(st.just("g"), st.sampled_from(("exact", "lt")), st.integers(0, 2)),
    st.tuples(st.just("g"), st.just("isnull"), st.booleans()),
    st.tuples(st.just("n"), st.sampled_from(("gt", "lte")), st.integers(-3, 3)),
    st.tuples(st.just("k"), st.just("isnull"), st.booleans()),
)


@dataclass
class Query:
    where: tuple[str, str, Any] | None
    aggs: list[tuple[str, str, bool]]
    group: tuple[str, ...]
    having: tuple[str, int] | None  # ("c" | "s", value): c__gte / s__gt
    order: str | None  # "c", "-c", "s", "-s"
    arith: tuple[str, str, str]  # (left, op, right) over n, m, d, e or a Value
    window: tuple[int, int | None] | None = None  # aggregate() of an ordered [a:b]
    nest: tuple[str, str] | None = None  # (op, operand): (left op right) op operand


queries = st.builds(
    Query,
    filters_st,
    st.lists(aggs_st, min_size=1, max_size=4),
    st.lists(st.sampled_from(("g", "k", "day", "at")), min_size=1, max_size=2, unique=True).map(
        tuple
    ),
    st.none() | st.tuples(st.sampled_from(("c", "s", "a")), st.integers(-2, 3)),
    st.none() | st.sampled_from(("c", "-c", "s", "-s")),
    st.tuples(
        st.sampled_from(("n", "m", "d", "e", "f", "1", "D2.5")),
        st.sampled_from(("+", "-", "*", "/")),
        st.sampled_from(("n", "m", "d", "e", "f", "0", "D0.25")),
    ),
    st.none() | st.tuples(st.integers(0, 3), st.none() | st.integers(0, 5)),
    st.none()
    | st.tuples(
        st.sampled_from(("+", "-", "*", "/", "%", "%")), st.sampled_from(("n", "m", "d", "1"))
    ),
)

# -- the reference ------------------------------------------------------------------------------


def _match(row: dict[str, Any], where: tuple[str, str, Any] | None) -> bool:
    if where is None:
        return True
    name, lookup, value = where
    x = row[name]
    if lookup == "isnull":
        return (x is None) is bool(value)
    if x is None:
        return False
    return bool({"exact": x == value, "lt": x < value, "gt": x > value, "lte": x <= value}[lookup])


SCALE = {"d": 2, "e": 1}


def _aggregate(rows: list[dict[str, Any]], function: str, field: str, distinct: bool) -> Any:
    """One aggregate over rows, by the documented rules."""
    if field == "*":
        return len(rows)
    values = [r[field] for r in rows if r[field] is not None]
    if distinct:
        unique: list[Any] = []
        for v in values:  # aware datetimes are equal as instants, as in the database
            if v not in unique:
                unique.append(v)
        values = unique
    if function == "count":
        return len(values)
    if not values:
        return None
    if function == "min":
        return min(values)
    if function == "max":
        return max(values)
    total = sum(values[1:], values[0])
    if function == "sum":
        return D(total).quantize(D(1).scaleb(-SCALE[field])) if field in SCALE else total
    if field in SCALE:  # Avg of decimals: exact, half away from zero at scale + 4
        mean = D(total) / D(len(values))
        exact = Fraction(total) / len(values)
        unit = D(1).scaleb(-(SCALE[field] + MEAN_PLACES))
        with decimal.localcontext() as ctx:
            ctx.prec = 50
            mean = (D(exact.numerator) / D(exact.denominator)).quantize(unit, decimal.ROUND_HALF_UP)
        return mean
    return float(Fraction(total) / len(values))  # ints: a double; floats: exact here


def _loaded(row: dict[str, Any]) -> dict[str, Any]:
    """A row as it loads: its decimals at their field's scale."""
    return {
        k: v.quantize(D(1).scaleb(-SCALE[k])) if k in SCALE and v is not None else v
        for k, v in row.items()
    }


def _aggregate_expr(function: str, field: str, distinct: bool) -> Any:
    cls = {"count": orm.Count, "sum": orm.Sum, "avg": orm.Avg, "min": orm.Min, "max": orm.Max}
    return cls[function](field, distinct=distinct) if field != "*" else orm.Count("*")


def _same(a: Any, b: Any) -> bool:
    """Equal with the same type (a Decimal's scale too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, D):
        return a.as_tuple().exponent == b.as_tuple().exponent and a == b
    return bool(a == b)


def _operand(name: str) -> tuple[Any, Any]:
    """(expression, a function of a row to its value and scale) of an arithmetic side."""
    if name == "1":
        return orm.Value(1), lambda r: (1, None)
    if name == "0":
        return orm.Value(0), lambda r: (0, None)
    if name.startswith("D"):
        number = D(name[1:])
        return orm.Value(number), lambda r, n=number: (n, -number.as_tuple().exponent)
    if name == "f":
        return orm.F(name), lambda r: (r["f"], "float")
    return orm.F(name), lambda r, n=name: (r[n], SCALE.get(n))


def _arith(row: dict[str, Any], left: Any, op: str, right: Any) -> Any:
    (a, sa), (b, sb) = left(row), right(row)
    if sa is None and sb is None:  # int op int: 64 bits, / truncating, / 0 None
        if a is None or b is None:
            return None
        if op in ("/", "%"):
            if b == 0:
                return None
            q = abs(a) // abs(b)
            q = q if (a >= 0) == (b > 0) else -q
            return q if op == "/" else a - b * q  # truncated: the dividend's sign
        return {"+": a + b, "-": a - b, "*": a * b}[op]
    if "float" in (sa, sb):  # a float with an int: a double; with a decimal: refused
        if isinstance(sa, int) or isinstance(sb, int):
            return "refused"
        if a is None or b is None or (op == "/" and b == 0):
            return None
        return float({"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0}[op])
    if op == "/":
        return "refused"
    if a is None or b is None or (op == "%" and b == 0):
        return None
    if op == "%":  # Decimal's % truncates, as SQL's MOD does
        return (D(a) % D(b)).quantize(D(1).scaleb(-max(sa or 0, sb or 0)))
    scale = (sa or 0) + (sb or 0) if op == "*" else max(sa or 0, sb or 0)
    exact = {"+": D(a) + D(b), "-": D(a) - D(b), "*": D(a) * D(b)}[op]
    return exact.quantize(D(1).scaleb(-scale))


def _scale_of(probe: Any, left: Any, op: str, right: Any) -> Any:
    """The scale of ``left op right`` (None: an int; "float": a float)."""
    if isinstance(probe, float):
        return "float"
    if not isinstance(probe, D):
        return None
    (_, sa), (_, sb) = left({n: 1 for n in FIELDS}), right({n: 1 for n in FIELDS})
    return (sa or 0) + (sb or 0) if op == "*" else max(sa or 0, sb or 0)


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _mod(a: int | None, b: int | None) -> int | None:
    """SQL's MOD of ints: truncated (the dividend's sign); None for a zero divisor."""
    return _arith({}, lambda _r: (a, None), "%", lambda _r: (b, None))


def _neg(a: int | None) -> int | None:
    return None if a is None else -a


def _group_key(row: dict[str, Any], group: tuple[str, ...]) -> tuple[Any, ...]:
    """The ascending sort key of a group's values, NULL first."""
    return tuple((row[g] is not None, row[g] if row[g] is not None else 0) for g in group)


def _dm(row: dict[str, Any]) -> Any:
    """``F("d") * F("m")`` of a row: a Decimal of 2 places, or None."""
    return None if row["d"] is None or row["m"] is None else row["d"] * row["m"]


def _norm(value: Any) -> str:
    """A row's text with aware datetimes in UTC and each Decimal with its scale."""
    if isinstance(value, dict):
        return repr({k: _norm(v) for k, v in value.items()})
    if isinstance(value, tuple):
        return repr(tuple(_norm(v) for v in value))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return repr(value.astimezone(UTC))
    return repr(value + 0 if isinstance(value, D) else value)  # -0.00 is 0.00


def _past(value: Any, dialect: str) -> bool:
    """Whether ``value`` has no exact answer (documented refusals, ``orm.arithmetic``): an
    int past 64 bits; on SQLite (doubles) a decimal of more than 14 digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return not -(2**63) <= value < 2**63
    if isinstance(value, D) and dialect == "sqlite":
        return abs(value) >= D(10) ** (SQLITE_DIGITS + value.as_tuple().exponent)
    return False


def _summed(values: list[Any], wants: list[Any]) -> Any:
    if not values:
        return None
    total = sum(values[1:], values[0])
    return total.quantize(values[0]) if isinstance(total, D) else total


def _mean(values: list[Any]) -> Any:
    if not values:
        return None
    if isinstance(values[0], D):  # the exact mean, half away from zero at scale + 4
        scale = -values[0].as_tuple().exponent
        exact = Fraction(sum(values, D(0))) / len(values)
        with decimal.localcontext() as ctx:
            ctx.prec = 50
            unit = D(1).scaleb(-(scale + MEAN_PLACES))
            return (D(exact.numerator) / D(exact.denominator)).quantize(unit, decimal.ROUND_HALF_UP)
    return float(Fraction(sum(values)) / len(values))


# -- running ------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("FERRULE_ADIFF_EXAMPLES", "250"))
RAN: dict[str, int] = {}


def _shown(v: Any) -> Any:
    return repr(v)


async def _check(rows: list[dict[str, Any]], query: Query, dialect: str) -> None:
    kept = [r for r in rows if _match(r, query.where)]
    qs = (
        Agg.all()
        if query.where is None
        else Agg.filter(**{f"{query.where[0]}__{query.where[1]}": query.where[2]})
    )
    what = repr(query)
    # aggregate()
    names = {f"a{i}": spec for i, spec in enumerate(query.aggs)}
    found = await qs.aggregate(**{k: _aggregate_expr(*spec) for k, spec in names.items()})
    for key, spec in names.items():
        want = _aggregate(kept, *spec)
        assert _same(found[key], want), (what, spec, found[key], want)
    if query.window is not None:  # over the rows of an ordered slice
        a, b = query.window
        window = sorted(kept, key=lambda r: r["id"])[a:b]
        plain = {k: v for k, v in names.items() if True}
        found = await qs.order_by("id")[a:b].aggregate(
            **{k: _aggregate_expr(*spec) for k, spec in plain.items()}
        )
        for key, spec in plain.items():
            want = _aggregate(window, *spec)
            assert _same(found[key], want), (what, "slice", spec, found[key], want)
    counted = await qs.aggregate(x=orm.Count("id", filter=orm.Q(n__gt=0)))
    assert counted == {"x": sum(1 for r in kept if r["n"] is not None and r["n"] > 0)}, what
    # values(group).annotate(c=Count("id"), s=Sum("n")), HAVING, order_by the aggregate
    grouped = qs.values(*query.group).annotate(
        c=orm.Count("id"),
        s=orm.Sum("n"),
        a=orm.Avg("d"),
        x=orm.Max("at"),
        y=orm.Sum(orm.F("d") * orm.F("m")),
    )
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in kept:
        groups.setdefault(tuple(r[g] for g in query.group), []).append(r)
    expected = [
        {
            **dict(zip(query.group, key, strict=True)),
            "c": len(members),
            "s": _aggregate(members, "sum", "n", False),
            "a": _aggregate(members, "avg", "d", False),
            "x": _aggregate(members, "max", "at", False),
            "y": _summed(*[[v for r in members if (v := _dm(r)) is not None]] * 2),
        }
        for key, members in groups.items()
    ]
    if query.having is not None:
        name, bound = query.having
        grouped = grouped.filter(**{f"{name}__gte": bound})
        expected = [e for e in expected if e[name] is not None and e[name] >= bound]
    if query.order is not None:
        grouped = grouped.order_by(query.order)
    got = await grouped
    assert sorted(map(_norm, got)) == sorted(map(_norm, expected)), (what, got, expected)
    if query.order is not None:
        name = query.order.lstrip("-")
        keys = [(e[name] is not None, e[name] or 0) for e in got]
        assert keys == sorted(keys, reverse=query.order.startswith("-")), (what, got)
    assert await grouped.count() == len(expected), what
    if query.order is not None and query.window is not None:  # an ordered slice of groups
        a, b = query.window
        name = query.order.lstrip("-")
        total = grouped.order_by(query.order, *query.group)
        ranked = sorted(expected, key=lambda e: _group_key(e, query.group))
        ranked.sort(key=lambda e: (e[name] is not None, e[name] or 0))
        if query.order.startswith("-"):  # descending by the aggregate, ties ascending
            ranked = sorted(
                expected,
                key=lambda e: (
                    -(e[name] is not None),
                    -(e[name] or 0),
                    _group_key(e, query.group),
                ),
            )
        window = await total[a:b]
        assert list(map(_norm, window)) == list(map(_norm, ranked[a:b])), (what, window)
        assert await total[a:b].count() == len(ranked[a:b]), what
    over = await grouped.aggregate(
        t=orm.Sum("c"), u=orm.Avg("c"), v=orm.Max("s"), w=orm.Avg("s"), z=orm.Count("s")
    )
    over_want = {
        "t": _aggregate(expected, "sum", "c", False),
        "u": _aggregate(expected, "avg", "c", False),
        "v": _aggregate(expected, "max", "s", False),
        "w": _aggregate(expected, "avg", "s", False),
        "z": _aggregate(expected, "count", "s", False),
    }
    assert all(_same(over[k], over_want[k]) for k in over_want), (what, over, over_want)
    assert await grouped.exists() == bool(expected), what
    # values(), values_list() flat/named, distinct()
    ordered = qs.order_by("id")
    by_id = sorted(kept, key=lambda r: r["id"])
    assert await ordered.values("id", *query.group) == [
        {"id": r["id"], **{g: r[g] for g in query.group}} for r in by_id
    ], what
    column = query.group[0]
    assert await ordered.values_list(column, flat=True) == [r[column] for r in by_id], what
    named = await ordered.values_list("id", column, named=True)
    assert [(t.id, getattr(t, column)) for t in named] == [(r["id"], r[column]) for r in by_id]
    distinct = await qs.values_list(*query.group).distinct()
    assert sorted(map(_norm, distinct)) == sorted(
        {_norm(tuple(r[g] for g in query.group)) for r in kept}
    ), what
    assert await qs.values(*query.group).distinct().count() == len(groups), what
    # annotate() with F arithmetic, Value and Case/When
    left_name, op, right_name = query.arith
    (left, lf), (right, rf) = _operand(left_name), _operand(right_name)
    expr = {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[op]
    wants = [_arith(r, lf, op, rf) for r in by_id]
    shape_refused = _arith({n: 1 for n in FIELDS}, lf, op, rf) == "refused"
    inner = list(wants)
    if query.nest is not None:
        op2, name2 = query.nest
        third, tf = _operand(name2)
        probe = _arith({n: 1 for n in FIELDS}, lf, op, rf)
        inner_scale = _scale_of(probe, lf, op, rf)
        if op2 == "%" and inner_scale == "float":
            op2 = "+"  # orm.Mod of ints and decimals here: truncated, the dividend's sign
        expr = {
            "+": expr + third,
            "-": expr - third,
            "*": expr * third,
            "/": expr / third,
            "%": orm.Mod(expr, third),
        }[op2]
        outer = (
            _arith(dict.fromkeys(FIELDS, 1), lambda _r: (probe, inner_scale), op2, tf)
            if not shape_refused
            else None
        )
        shape_refused = shape_refused or outer == "refused"
        wants = [
            "refused"
            if w == "refused" or probe == "refused"
            else _arith(r, lambda _r, w=w: (w, inner_scale), op2, tf)
            for w, r in zip(wants, by_id, strict=True)
        ]
    kept_x = [w for w in wants if w is not None]
    if "refused" in wants or shape_refused:
        with pytest.raises(orm.FieldError):
            await ordered.annotate(x=expr).values_list("x", flat=True)
    elif any(_past(w, dialect) for w in (*inner, *wants)):
        with pytest.raises((DataError, InterfaceError)):
            await ordered.annotate(x=expr).values_list("x", flat=True)
    else:
        got_x = await ordered.annotate(x=expr).values_list("x", flat=True)
        assert len(got_x) == len(wants) and all(map(_same, got_x, wants)), (what, got_x, wants)
        over = {
            "lo": (orm.Min, min(kept_x, default=None)),
            "hi": (orm.Max, max(kept_x, default=None)),
            "s": (orm.Sum, _summed(kept_x, wants)),
            "a": (orm.Avg, _mean(kept_x)),
        }
        for key, (function, want) in over.items():
            # a Sum of ints past 64 bits: exact on PostgreSQL and MariaDB (numeric, DECIMAL),
            # an overflow DataError on SQLite
            summed = key == "s" and isinstance(want, int) and dialect != "sqlite"
            if _past(want, dialect) and not summed:
                with pytest.raises((DataError, InterfaceError)):
                    await ordered.aggregate(x=function(expr))
            else:
                found = (await ordered.aggregate(x=function(expr)))["x"]
                assert _same(found, want), (what, key, found, want)
    # Mod of a compound int dividend or divisor, on every example (the nested draws rarely
    # give one): truncated, None for a zero divisor
    for dividend, divisor, reference in (
        (orm.F("n") + orm.F("m"), orm.F("m"), lambda r: (_add(r["n"], r["m"]), r["m"])),
        (orm.F("n") - orm.F("m"), orm.Value(3), lambda r: (_add(r["n"], _neg(r["m"])), 3)),
        (orm.F("n"), orm.F("m") - orm.Value(1), lambda r: (r["n"], _add(r["m"], -1))),
    ):
        mods = [_mod(*reference(r)) for r in by_id]
        found = await ordered.annotate(x=orm.Mod(dividend, divisor)).values_list("x", flat=True)
        assert found == mods, (what, dividend, divisor, found, mods)
    case = orm.Case(
        orm.When(n__gt=0, then=orm.Value(1)),
        orm.When(g__isnull=True, then=orm.Value(2)),
        default=orm.Value(0),
    )
    marks = await ordered.annotate(x=case).values_list("x", flat=True)
    assert marks == [
        1 if r["n"] is not None and r["n"] > 0 else 2 if r["g"] is None else 0 for r in by_id
    ], what


def test_aggregates_answer_as_the_reference(url: str, dialect: str) -> None:
    async def example(rows: list[dict[str, Any]], qs: list[Query]) -> None:
        await Agg.all().delete()
        if rows:
            await Agg.bulk_create([Agg(id=i + 1, **row) for i, row in enumerate(rows)])
        keyed = [{"id": i + 1, **_loaded(row)} for i, row in enumerate(rows)]
        for query in qs:
            await _check(keyed, query, dialect)

    @differential_settings(EXAMPLES)
    @given(rows_st, st.lists(queries, min_size=1, max_size=2))
    def run(rows: list[dict[str, Any]], qs: list[Query]) -> None:
        RAN[dialect] = RAN.get(dialect, 0) + 1
        loop.run_until_complete(example(rows, qs))

    with loop_with_tables(url, Agg) as loop:
        run()
    print(f"{dialect}: {RAN.get(dialect, 0)} examples")


# -- regressions the differential test found (plain tests, one per bug) -------------------------


async def _thirds() -> None:
    await Agg.bulk_create(
        [Agg(id=1, g=1, n=0, m=0, d=D("0.01")), Agg(id=2, g=1, n=0, m=0), Agg(id=3, g=2, n=1, m=0)]
    )


async def test_avg_of_an_int_expression_is_a_double(url: str) -> None:
    """``Avg(F("n") + F("m"))`` (and ``Avg`` of an int annotation, of the counts of groups)
    was each database's own AVG: a float on SQLite, a Decimal of 16 places on PostgreSQL and
    one rounded to 4 places on MariaDB (0.3333 for a third); a float in double precision on
    every database now, as ``Avg`` of an int field is."""
    async with opened(url), own_tables(Agg):
        await _thirds()
        third = 1 / 3
        found = await Agg.all().aggregate(a=orm.Avg(orm.F("n") + orm.F("m")))
        assert found == {"a": third} and type(found["a"]) is float
        summed = Agg.all().annotate(q=orm.F("n") * orm.Value(1))
        assert await summed.aggregate(a=orm.Avg("q")) == {"a": third}
        groups = Agg.all().values("g").annotate(c=orm.Count("id"))
        found = await groups.aggregate(a=orm.Avg("c"))
        assert found == {"a": 1.5} and type(found["a"]) is float


async def test_avg_and_sum_over_a_slice_are_as_over_the_table(url: str) -> None:
    """``qs[0:3].aggregate(Avg("n"))`` read the slice as a subquery with a bare AVG: a
    Decimal of 4 places on MariaDB (0.3333), of 16 on PostgreSQL; the same answer and type
    as over the table now (a double of ints, the exact mean of decimals)."""
    async with opened(url), own_tables(Agg):
        await _thirds()
        window = Agg.all().order_by("id")[0:3]
        found = await window.aggregate(a=orm.Avg("n"), s=orm.Sum("d"), m=orm.Avg("d"))
        assert found == await Agg.all().aggregate(a=orm.Avg("n"), s=orm.Sum("d"), m=orm.Avg("d"))
        assert found == {"a": 1 / 3, "s": D("0.01"), "m": D("0.010000")}
        assert type(found["a"]) is float and str(found["m"]) == "0.010000"


async def test_an_int_division_of_a_sum_divides_the_sum_on_mariadb(url: str) -> None:
    """``(F("n") + F("m")) / 2`` was ``n + m DIV 2`` on MariaDB (DIV binds tighter than +):
    ``n + (m DIV 2)``, a silent wrong answer; the dividend is parenthesised now."""
    async with opened(url), own_tables(Agg):
        await Agg.bulk_create([Agg(id=1, n=3, m=5), Agg(id=2, n=-7, m=2)])
        F, V = orm.F, orm.Value
        cases = [
            ((F("n") + F("m")) / V(2), [4, -2]),
            ((F("n") - F("m")) / F("m"), [0, -4]),
            ((F("n") * F("m") + V(1)) / (F("m") - V(1)), [4, -13]),
            (V(100) / (F("m") + F("n")), [12, -20]),
        ]
        for expr, want in cases:
            found = Agg.all().order_by("id").annotate(x=expr).values_list("x", flat=True)
            assert await found == want, expr


async def test_count_of_star_distinct_is_refused(url: str) -> None:
    """``Count("*", distinct=True)`` reached the database as ``COUNT(DISTINCT *)``, a syntax
    error on each; rows are always distinct, so it is a FieldError naming a field instead."""
    async with opened(url), own_tables(Agg):
        await _thirds()
        with pytest.raises(orm.FieldError, match="distinct"):
            await Agg.all().aggregate(x=orm.Count("*", distinct=True))
        assert await Agg.all().aggregate(x=orm.Count("*")) == {"x": 3}


async def test_a_date_shifted_by_a_sum_of_durations_on_mariadb(url: str) -> None:
    """``F("day") + (F("span") + F("span"))`` took the whole days of ``span + span`` as
    ``span + (span DIV a day)`` on MariaDB (3 days for a span of 3 microseconds, a date
    overflow for a span of a day); the duration is parenthesised now."""
    spans = (dt.timedelta(microseconds=3), dt.timedelta(microseconds=-1))
    spans += (dt.timedelta(days=1, microseconds=1),)
    day = dt.date(2024, 2, 28)
    async with opened(url), own_tables(Agg):
        await Agg.bulk_create([Agg(id=i, day=day, span=s) for i, s in enumerate(spans, 1)])
        shifted = (
            Agg.all().order_by("id").annotate(x=orm.F("day") + (orm.F("span") + orm.F("span")))
        )
        # a date moves by the duration's whole days, rounded down (Python's date + timedelta)
        assert await shifted.values_list("x", flat=True) == [day + (s + s) for s in spans]


async def test_a_compound_operand_of_a_raw_fragment_keeps_its_parentheses(url: str) -> None:
    """A compound expression put into an SQL fragment lost its parentheses: ``Mod(n + m, 4)``
    was ``n + m % 4`` on SQLite and ``F("at") - (F("span") + F("span"))`` was ``at - span +
    span`` on PostgreSQL (the datetime unmoved); every fragment's operand is parenthesised
    now (``sql.raw``)."""
    at = dt.datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    span = dt.timedelta(days=1, hours=1)
    async with opened(url), own_tables(Agg):
        await Agg.create(id=1, n=5, m=4, at=at, span=span)
        F, V = orm.F, orm.Value
        cases = [
            (orm.Mod(F("n") + F("m"), V(4)), 1),
            (orm.Mod(V(7), F("n") - F("m")), 0),
            (F("at") - (F("span") + F("span")), at - 2 * span),
            (F("at") + (F("span") - F("span")), at),
        ]
        for expr, want in cases:
            found = await Agg.all().annotate(x=expr).values_list("x", flat=True)
            assert found == [want], expr


async def test_min_max_of_bools_over_a_slice_or_groups(url: str) -> None:
    """``qs[0:3].aggregate(Min("flag"))`` and an aggregate of a bool over grouped rows read
    the rows as a subquery with a bare MIN, which PostgreSQL has no boolean version of (a
    ProgrammingError); they answer as over the table now (the min/max of their integers there)."""
    async with opened(url), own_tables(Agg):
        flags = (True, False, None)
        await Agg.bulk_create([Agg(id=i, flag=f, g=i % 2) for i, f in enumerate(flags, 1)])
        whole = await Agg.all().aggregate(lo=orm.Min("flag"), hi=orm.Max("flag"))
        assert whole == {"lo": False, "hi": True}
        window = Agg.all().order_by("id")[0:3]
        assert await window.aggregate(lo=orm.Min("flag"), hi=orm.Max("flag")) == whole
        groups = Agg.all().values("flag").annotate(c=orm.Count("id"))
        assert await groups.aggregate(lo=orm.Min("flag"), hi=orm.Max("flag")) == whole


async def test_a_sum_of_ints_past_64_bits(url: str, dialect: str) -> None:
    """Each value fits in 64 bits, their sum does not: SQLite's SUM raises "integer overflow"
    (a DataError), never a rounded double, and so do PostgreSQL and MariaDB, which add
    exactly (numeric, DECIMAL) an int no integer column holds (explore5: one answer on the
    three, tests/orm/test_explore5_sum_range.py)."""
    async with opened(url), own_tables(Agg):
        big = 2**31 - 1
        await Agg.bulk_create([Agg(id=i, n=big) for i in (1, 2, 3)])
        square = orm.F("n") * orm.F("n") * orm.Value(2)  # 2 * (2**31 - 1)**2 < 2**63
        with pytest.raises(DataError):
            await Agg.all().aggregate(s=orm.Sum(square))
        assert await Agg.filter(id=1).aggregate(s=orm.Sum(square)) == {"s": 2 * big * big}
