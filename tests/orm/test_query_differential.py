"""Differential test of filtering, ordering and slicing: hypothesis makes rows and queries
from the public API, and every answer (rows in order, count(), exists(), first(), last(),
values_list(flat=True)) is checked against the same query evaluated over the rows in Python,
by ferrule's documented semantics:

* a lookup on a NULL is false (but ``isnull``, ``exact=None``); ``~``, ``exclude()`` and
  ``|``/``&`` are then plain boolean logic, so ``exclude(c)`` is the complement of
  ``filter(c)`` (Django's rule, ``Scope.condition``); ``in`` ignores None items;
* text compares code point by code point; the ``i`` lookups lower each code point on its
  own (``unicode_lower``: ``İ`` is ``i``, ``ß`` stays); ``regex`` is ``re.search`` (the
  patterns are the plain ASCII core the three engines share, ``sql.nodes``);
* NULL sorts as the smallest value (``QuerySet._ordering``), aware datetimes as instants.

Orders can tie, so rows are compared by their sort keys, not by id."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import Phase, given
from hypothesis import strategies as st

from ferrule import orm
from ferrule.backends.sqlite_functions import unicode_lower
from ferrule.errors import DataError, FieldError, ORMError, ValidationError
from ferrule.orm import mariadb_fold
from ferrule.orm.text_functions import _MAYBE_CASED

from .conftest import differential_settings, loop_with_tables, opened, own_tables

D = decimal.Decimal
UTC = dt.timezone.utc
ZONES = (UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-3)))


class Sample(orm.Model):
    id: int = orm.Field(primary_key=True)
    n = orm.IntField(null=True)
    t = orm.TextField(null=True)
    f = orm.FloatField(default=0.0)
    d = orm.DecimalField(max_digits=6, decimal_places=2, default=D("0"))
    b = orm.BooleanField(default=False)
    day = orm.DateField(default=dt.date(2024, 1, 1))
    at = orm.DateTimeField(default=dt.datetime(2024, 1, 1, tzinfo=UTC))

    class Meta:
        table = "ormt_qdiff"


FIELDS = ("n", "t", "f", "d", "b", "day", "at")
ORDERABLE = ("n", "t", "f", "d", "b", "day", "at", "id")

# -- values -----------------------------------------------------------------------------------

WORDS = (
    "",
    " ",
    "a",
    "A",
    "a ",
    " a",
    "ab",
    "aB",
    "é",
    "É",
    "ß",
    "SS",
    "ss",
    "ẞ",
    "İ",
    "i",
    "I",
    "\u0131",  # dotless i
    "😀",
    "%",
    "_",
    "\\",
    "'",
    '"',
    "a%b",
    "a_b",
    "x\\y",
    "O'Neil",
    "Straße",
    "STRASSE",
    "ärger",
    "Ärger",
    "naïve",
    "Σ",
    "\u03c3",  # sigma
    "ς",
    "z",
    "Z",
    "aa",
)
ALPHABET = "aAbzZ éÉßİ\u0131i%_\\'\" 😀Σ\u03c3!\n["
texts = st.one_of(st.sampled_from(WORDS), st.text(alphabet=ALPHABET, max_size=4))
ints = st.integers(-3, 3)
WIDE_INTS = (2**31, -(2**31) - 1)  # past IntField's range: a ValidationError
#: compared with the DECIMAL(6, 2) column: more places, more digits (exact answers)
FINE_DECIMALS = tuple(D(x) for x in ("2.505", "-0.001", "123456.5", "-99999.999"))
floats = st.sampled_from((-2.5, -1.0, -0.0, 0.0, 0.1, 0.25, 1.0, 3.5, 1e20))
decimals = st.sampled_from(
    tuple(D(x) for x in ("-9999.99", "-1.5", "0", "0.01", "0.1", "2.5", "2.50", "99.99", "9999.99"))
)
days = st.dates(dt.date(2023, 12, 30), dt.date(2024, 1, 3))


@st.composite
def moments(draw: Any) -> dt.datetime:
    minute = draw(st.sampled_from((0, 1, 30)))
    micro = draw(st.sampled_from((0, 1, 500_000)))
    base = dt.datetime(2024, 1, 1, 12, minute, 0, micro, tzinfo=UTC)
    base += dt.timedelta(hours=draw(st.integers(-2, 2)))
    return base.astimezone(draw(st.sampled_from(ZONES)))


VALUES: dict[str, Any] = {
    "n": ints,
    "t": texts,
    "f": floats,
    "d": decimals,
    "b": st.booleans(),
    "day": days,
    "at": moments(),
}
NULLABLE = {"n", "t"}

rows_st = st.lists(
    st.fixed_dictionaries(
        {name: (st.none() | VALUES[name]) if name in NULLABLE else VALUES[name] for name in FIELDS}
    ),
    min_size=2,
    max_size=8,
)

#: short needles, so that contains/startswith/endswith often match
NEEDLES = st.one_of(st.sampled_from(WORDS), st.text(alphabet=ALPHABET, max_size=2))
PATTERNS = ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith")
ORDERED_LOOKUPS = ("exact", "in", "gt", "gte", "lt", "lte", "range", "isnull")
TEXT_LOOKUPS = (
    *ORDERED_LOOKUPS,
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
)
LOOKUPS = {name: ORDERED_LOOKUPS for name in FIELDS} | {
    "t": TEXT_LOOKUPS,
    "b": ("exact", "in", "isnull"),
}

# plain ASCII regex atoms in the core every engine shares (sql.nodes)
ATOMS = (
    "a",
    "A",
    "b",
    "z",
    ".",
    "\\.",
    "[.$]",
    "[ab]",
    "[^a]",
    "a*",
    "b+",
    "a?",
    "(a|z)",
    " ",
    "[a-z]",
)


@st.composite
def regexes(draw: Any) -> str:
    body = "".join(draw(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=3)))
    return draw(st.sampled_from(("", "^"))) + body + draw(st.sampled_from(("", "$")))


@st.composite
def leaves(draw: Any) -> tuple[str, str, Any]:
    name = draw(st.sampled_from((*FIELDS, "t", "t", "t", "n")))  # text has the most lookups
    lookup = draw(st.sampled_from(LOOKUPS[name]))
    values = NEEDLES if lookup in PATTERNS else VALUES[name]
    rare = draw(st.integers(0, 9)) == 0  # now and then a value past the column's own
    if rare and name == "n":
        values = st.sampled_from(WIDE_INTS)
    elif rare and name == "d":
        values = st.sampled_from(FINE_DECIMALS)
    if lookup == "isnull":
        value: Any = draw(st.booleans())
    elif lookup == "in":
        value = draw(st.lists(values | st.none(), max_size=3))
    elif lookup == "range":
        value = (draw(values), draw(values))
    elif lookup == "regex":
        value = draw(regexes())
    elif lookup == "exact":
        value = draw(values | st.none()) if name in NULLABLE else draw(values)
    else:
        value = draw(values)
    return name, lookup, value


def _extend(children: Any) -> Any:
    pair = st.tuples(children, children)
    return (
        st.tuples(st.just("and"), pair)
        | st.tuples(st.just("or"), pair)
        | st.tuples(st.just("not"), children)
    )


#: now and then an empty Q(): no condition, dropped from a combination (as in Django)
conditions = st.recursive(
    st.tuples(st.just("leaf"), leaves()) | st.just(("empty", None)), _extend, max_leaves=4
)
#: several keywords of one call, ANDed: filter(n__gt=1, t__isnull=True)
keywords = st.tuples(
    st.just("kw"),
    st.lists(leaves(), min_size=2, max_size=3, unique_by=lambda leaf: leaf[:2]).map(tuple),
)


@dataclass
class Query:
    steps: list[tuple[str, Any]]  # ("filter" | "exclude", condition)
    order: tuple[str, ...] | None
    window: tuple[int, int | None] | None  # [a:b]
    column: str  # for values_list(flat=True)
    #: after an ordered slice: ("slice", c, d), ("index", k), or a refused ("filter", cond),
    #: ("exclude", cond), ("order_by", names)
    then: tuple[Any, ...] | None = None


@st.composite
def queries(draw: Any) -> Query:
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(("filter", "exclude")), conditions | keywords), max_size=2
        )
    )
    order = None
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(ORDERABLE), min_size=1, max_size=2, unique=True))
        order = tuple(draw(st.sampled_from(("", "-"))) + n for n in names)
    window = None
    if draw(st.booleans()):
        low = draw(st.integers(0, 4))
        window = (low, draw(st.none() | st.integers(0, 6)))
    then = None
    if order is not None and window not in (None, (0, None)):
        then = draw(
            st.tuples(st.just("slice"), st.integers(0, 3), st.none() | st.integers(0, 4))
            | st.tuples(st.just("index"), st.integers(0, 3))
            | st.tuples(st.sampled_from(("filter", "exclude")), conditions)
            | st.tuples(st.just("order_by"), st.just(("-id",)))
        )
    return Query(steps, order, window, draw(st.sampled_from(FIELDS)), then)


# -- the reference ------------------------------------------------------------------------------


def _match(row: dict[str, Any], name: str, lookup: str, value: Any) -> bool:
    """One lookup on one row, two-valued: a comparison with NULL is false."""
    x = row[name]
    if lookup == "isnull":
        return (x is None) is value
    if lookup == "exact" and value is None:
        return x is None
    if x is None:
        return False
    if lookup == "exact":
        return bool(x == value)
    if lookup == "in":
        return any(x == v for v in value if v is not None)
    if lookup == "gt":
        return bool(x > value)
    if lookup == "gte":
        return bool(x >= value)
    if lookup == "lt":
        return bool(x < value)
    if lookup == "lte":
        return bool(x <= value)
    if lookup == "range":
        return bool(value[0] <= x <= value[1])
    if lookup == "regex":
        return re.search(value, x) is not None
    folded = lookup.startswith("i")
    a, b = (unicode_lower(x), unicode_lower(value)) if folded else (x, value)
    test = lookup.removeprefix("i")
    if test == "exact":
        return bool(a == b)
    if test == "contains":
        return b in a
    if test == "startswith":
        return bool(a.startswith(b))
    return bool(a.endswith(b))


def _holds(row: dict[str, Any], cond: Any) -> bool | None:
    """Whether ``row`` meets ``cond``; None: no condition (an empty ``Q()``, alone or
    combined only with empty ones), which filter() and exclude() both keep every row for."""
    kind, body = cond
    if kind == "empty":
        return None
    if kind == "leaf":
        return _match(row, *body)
    if kind == "not":
        inner = _holds(row, body)
        return None if inner is None else not inner
    if kind == "kw":
        return all(_match(row, *leaf) for leaf in body)
    sides = [h for h in (_holds(row, c) for c in body) if h is not None]
    if not sides:
        return None
    return all(sides) if kind == "and" else any(sides)


def _kept(row: dict[str, Any], steps: list[tuple[str, Any]]) -> bool:
    for kind, cond in steps:
        held = _holds(row, cond)
        if held is not None and held != (kind == "filter"):
            return False
    return True


def _keywords(cond: Any) -> dict[str, Any] | None:
    """A leaf or a keyword group as keyword arguments (else None: a Q tree)."""
    kind, body = cond
    leaves = (body,) if kind == "leaf" else body if kind == "kw" else None
    return None if leaves is None else {f"{n}__{lookup}": v for n, lookup, v in leaves}


def _q(cond: Any) -> orm.Q:
    kind, body = cond
    if kind == "empty":
        return orm.Q()
    if kind in ("leaf", "kw"):
        return orm.Q(**_keywords(cond) or {})
    if kind == "not":
        return ~_q(body)
    left, right = (_q(c) for c in body)
    return (left & right) if kind == "and" else (left | right)


def _wide(cond: Any) -> bool:
    """Whether ``cond`` compares the int column with a value no INT column holds."""
    kind, body = cond
    if kind == "empty":
        return False
    if kind == "leaf":
        name, lookup, value = body
        held = value if lookup in ("in", "range") else (value,)
        return name == "n" and lookup != "isnull" and any(v in WIDE_INTS for v in held)
    if kind == "kw":
        return any(_wide(("leaf", leaf)) for leaf in body)
    return any(_wide(c) for c in (body if kind in ("and", "or") else (body,)))


def _sorted(rows: list[dict[str, Any]], order: tuple[str, ...]) -> list[dict[str, Any]]:
    out = list(rows)
    for term in reversed(order):
        name = term.lstrip("-")
        out.sort(
            key=lambda r, n=name: (r[n] is not None, r[n] if r[n] is not None else 0),
            reverse=term.startswith("-"),
        )
    return out


def _keys(rows: list[dict[str, Any]], order: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [tuple(r[o.lstrip("-")] for o in order) for r in rows]


def _slice(rows: list[Any], window: tuple[int, int | None] | None) -> list[Any]:
    return rows if window is None else rows[window[0] : window[1]]


# -- running ------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("FERRULE_QDIFF_EXAMPLES", "120"))
QUERIES = 4
RAN: dict[str, int] = {}
#: FERRULE_QDIFF_SHRINK=0 skips shrinking (a quicker, larger counterexample while debugging)
PHASES = (
    tuple(Phase)
    if os.environ.get("FERRULE_QDIFF_SHRINK", "1") != "0"
    else (Phase.explicit, Phase.reuse, Phase.generate)
)


def _build(query: Query, order: tuple[str, ...] | None = None) -> Any:
    """The query, by keywords where a step has them (``Model.filter(**kw)``: the keyed path
    whose statements are cached by shape, ``orm.shapes``), else by ``Q`` trees."""
    qs: Any = Sample
    for kind, cond in query.steps:
        kw = _keywords(cond)
        qs = getattr(qs, kind)(**kw) if kw is not None else getattr(qs, kind)(_q(cond))
    qs = qs.all()
    order = order or query.order
    if order is not None:
        qs = qs.order_by(*order)
    if query.window is not None:
        qs = qs[query.window[0] : query.window[1]]
    return qs


async def _check(rows: list[dict[str, Any]], query: Query, dialect: str) -> None:
    kept = [r for r in rows if _kept(r, query.steps)]
    order = query.order or ("id",)
    expected = _slice(_sorted(kept, order), query.window)
    qs = _build(query)
    refusals: tuple[type[Exception], ...] = ()
    if any(_wide(c) for _, c in query.steps):  # beyond the column's range
        refusals += (ValidationError,)
    if refusals:  # whichever is met first
        with pytest.raises(refusals):
            await qs.count()
        return
    if query.then is not None:
        await _check_then(qs, expected, query, dialect)
    what = f"{query!r}\n{qs.compile(dialect)[0]}"
    by_id = {r["id"]: r for r in rows}
    found = [by_id[i] for i in await qs.values_list("id", flat=True)]
    if query.order is None and query.window is None:
        assert sorted(r["id"] for r in found) == sorted(r["id"] for r in kept), what
    elif query.order is None:  # an unordered slice: which rows is open, not how many
        assert len(found) == len(expected) and all(r in kept for r in found), what
    else:
        assert len({r["id"] for r in found}) == len(found), what
        assert all(r in kept for r in found), what
        assert _keys(found, order) == _keys(expected, order), what
    assert await qs.count() == len(expected), what
    assert await qs.exists() == bool(expected), what
    if query.order is not None or query.window is None:  # else: which rows is open
        first = await qs.first()
        want = expected[0] if expected else None
        assert (first is None) == (want is None), what
        if first is not None and want is not None:
            assert _keys([by_id[first.id]], order) == _keys([want], order), what
    if query.window not in (None, (0, None)):  # turning a slice round is refused (orm.ends)
        with pytest.raises(ORMError):
            await qs.last()
    else:
        last = await qs.last()
        want = expected[-1] if expected else None
        assert (last is None) == (want is None), what
        if last is not None and want is not None:
            assert _keys([by_id[last.id]], order) == _keys([want], order), what
    # values_list(flat=True) with the order made total by the key: one exact answer
    total = (*order, "id") if "id" not in order else order
    flat = await _build(query, total).values_list(query.column, flat=True)
    assert flat == [r[query.column] for r in _slice(_sorted(kept, total), query.window)], what


async def _check_then(qs: Any, expected: list[Any], query: Query, dialect: str) -> None:
    """What follows an ordered slice: a slice or index of it, or a refused change."""
    assert query.then is not None and query.order is not None
    kind, *args = query.then
    what = f"{query!r}"
    if kind == "slice":
        inner = qs[args[0] : args[1]]
        want = expected[args[0] : args[1]]
        found = await inner
        assert _keys([r.model_dump() for r in found], query.order) == _keys(want, query.order)
        assert await inner.count() == len(want), what
        assert await inner.exists() == bool(want), what
    elif kind == "index":
        if args[0] < len(expected):
            one = (await qs[args[0]]).model_dump()
            assert _keys([one], query.order) == _keys([expected[args[0]]], query.order), what
        else:
            with pytest.raises(IndexError):
                await qs[args[0]]
    else:
        with pytest.raises(ORMError, match="slice"):
            if kind == "order_by":
                qs.order_by(*args[0])
            else:
                getattr(qs, kind)(_q(args[0]))


def test_queries_answer_as_the_reference(url: str, dialect: str) -> None:
    async def example(rows: list[dict[str, Any]], qs: list[Query]) -> None:
        await Sample.all().delete()
        made = [Sample(id=i + 1, **row) for i, row in enumerate(rows)]
        if made:
            await Sample.bulk_create(made)
        keyed = [{"id": i + 1, **row} for i, row in enumerate(rows)]
        for query in qs:
            await _check(keyed, query, dialect)

    @differential_settings(EXAMPLES, phases=PHASES)
    @given(rows_st, st.lists(queries(), min_size=1, max_size=QUERIES))
    def run(rows: list[dict[str, Any]], qs: list[Query]) -> None:
        RAN[dialect] = RAN.get(dialect, 0) + 1
        loop.run_until_complete(example(rows, qs))

    with loop_with_tables(url, Sample) as loop:
        run()
    print(f"{dialect}: {RAN.get(dialect, 0)} examples")


# -- regressions the differential test found (plain tests, one per bug) -------------------------


async def _three() -> None:
    await Sample.bulk_create([Sample(id=i, n=i) for i in (1, 2, 3)])


async def test_an_empty_slice_has_no_first_last_or_existence(url: str) -> None:
    """``qs[a:a]`` has no rows: exists() is False and first() None (their LIMIT 1 replaced the
    slice's LIMIT 0, so both answered for a row outside it)."""
    async with opened(url), own_tables(Sample):
        await _three()
        for empty in (Sample.all()[0:0], Sample.all().order_by("n")[2:2], Sample.all()[1:][:0]):
            assert await empty.values_list("id", flat=True) == []
            assert await empty.count() == 0
            assert await empty.exists() is False
            assert await empty.first() is None
        with pytest.raises(ORMError):
            await empty.last()


async def test_last_latest_earliest_of_a_slice_are_refused(url: str) -> None:
    """Reversing a slice's order gave the last row of the whole query (``[0:2].last()`` was
    row 3): an ORMError now, as Django refuses it."""
    async with opened(url), own_tables(Sample):
        await _three()
        window = Sample.all().order_by("n")[0:2]
        assert [s.id for s in await window] == [1, 2]
        assert (await window.first()).id == 1
        for call in (window.last, lambda: window.latest("n"), lambda: window.earliest("n")):
            with pytest.raises(ORMError, match="slice"):
                await call()
        assert (await Sample.all().order_by("n").last()).id == 3


async def test_case_blind_lookups_fold_as_python_on_mariadb_too(url: str) -> None:
    """MariaDB's LOWER() leaves ``ẞ`` (and 736 other capitals, ``orm.mariadb_fold``) as it
    is, so ``t__iexact="ß"`` missed the row ``ẞ`` there; every database folds as Python now."""
    async with opened(url), own_tables(Sample):
        words = ("ẞ", "ß", "Ƞ", "ƞ", "Straße", "STRAẞE", "É", "é", "İ", "i", "ss", "%ẞ_")
        await Sample.bulk_create([Sample(id=i, t=w) for i, w in enumerate(words, 1)])
        cases = [
            ("iexact", "ß"),
            ("icontains", "ẞ"),
            ("istartswith", "ƞ"),
            ("iendswith", "ßE"),
            ("iexact", "straẞe"),
            ("icontains", "%ß_"),
            ("iexact", "é"),
            ("icontains", "İ"),
            ("istartswith", "STRA"),
        ]
        for lookup, needle in cases:
            query = Sample.filter(**{f"t__{lookup}": needle}).order_by("id")
            rows = [r for r in words if _match({"t": r}, "t", lookup, needle)]
            assert await query.values_list("t", flat=True) == rows, (lookup, needle)


async def test_mariadb_fold_table_is_the_servers(url: str, dialect: str) -> None:
    """``orm.mariadb_fold`` lists exactly the code points the server's LOWER() (in the tables'
    collation) leaves unlowered though ``unicode_lower`` lowers them; it lowers the rest as
    Python does."""
    if dialect != "mysql":
        pytest.skip("MariaDB's case table")
    points = [p for r in _MAYBE_CASED for p in r if p and not 0xD800 <= p < 0xE000]
    unlowered, other = set(), []
    async with opened(url) as db:
        for at in range(0, len(points), 8000):
            text = "".join(chr(p) for p in points[at : at + 8000])
            folded = await db.fetch_val(
                "SELECT LOWER(CONVERT(%s USING utf8mb4) COLLATE utf8mb4_nopad_bin)", [text]
            )
            assert len(folded) == len(text)
            for ch, low in zip(text, folded, strict=True):
                if low != unicode_lower(ch):
                    (unlowered.add(ch) if low == ch else other.append(ch))
    assert other == []
    assert unlowered == mariadb_fold.unlowered()


async def _five() -> Any:
    await Sample.bulk_create([Sample(id=i, n=i) for i in range(1, 6)])
    return Sample.all().order_by("n")


async def test_a_slice_of_a_slice_stays_inside_it(url: str) -> None:
    """``qs[1:3][3]`` was row 5 (the index ignored the slice's end) and ``qs[1:3][5:]`` a
    negative LIMIT (an SQLError): both are past the two rows of the slice."""
    async with opened(url), own_tables(Sample):
        ordered = await _five()
        window = ordered[1:3]
        assert [s.n for s in await window[0:10]] == [2, 3]
        assert [s.n for s in await window[1:]] == [3]
        assert await window[5:] == []
        assert await window[5:9].count() == 0
        assert (await window[1]).n == 3
        with pytest.raises(IndexError):
            await window[2]
        with pytest.raises(IndexError):
            await window[3]


async def test_filtering_or_reordering_a_slice_is_refused(url: str) -> None:
    """``qs[0:2].filter(n__gt=1)`` filtered before slicing (rows 2 and 3, where the slice
    holds 1 and 2) and ``qs[0:2].order_by("-n")`` reordered before it (rows 5 and 4): an
    ORMError now, as Django refuses them."""
    async with opened(url), own_tables(Sample):
        ordered = await _five()
        for change in (
            lambda s: s.filter(n__gt=1),
            lambda s: s.exclude(n=1),
            lambda s: s.order_by("-n"),
        ):
            for window in (ordered[0:2], ordered[1:], ordered[:3]):
                with pytest.raises(ORMError, match="slice"):
                    change(window)
        assert [s.n for s in await ordered.filter(n__gt=1)[0:2]] == [2, 3]


async def test_a_sliced_subquery_keeps_its_rows(url: str) -> None:
    """``n__in=values_list("n")[:2]`` of rows ``None, 1, 2`` is the two first rows' values
    (``{None, 1}``: 1 matches); dropping the NULLs before the LIMIT took ``{1, 2}``."""
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=i, n=n) for i, n in enumerate((None, 1, 2), 1)])
        inner = Sample.all().order_by("id").values_list("n", flat=True)[:2]
        assert await Sample.filter(n__in=inner).values_list("id", flat=True) == [2]
        assert sorted(await Sample.exclude(n__in=inner).values_list("id", flat=True)) == [1, 3]


async def test_regex_reads_newlines_as_python_re(url: str) -> None:
    """PostgreSQL's ``.`` matched a newline and its ``$`` only the very end, so ``a$`` missed
    ``"a\\n"`` and ``a.b`` found ``"a\\nb"`` there; every database answers ``re.search`` now."""
    words = ("a\n", "\na", "a\nb", "a", "😀", "\r\n", "a\r", "ab", "a$")
    patterns = ("a$", "^a", "a.b", "^.$", "^..$", "a\\$", "^[^a]$", "^$", "b*$", "[.$]", "a[$]")
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=i, t=w) for i, w in enumerate(words, 1)])
        for pattern in patterns:
            found = Sample.filter(t__regex=pattern).order_by("id").values_list("t", flat=True)
            assert await found == [w for w in words if re.search(pattern, w)], pattern


class _Lying(str):
    """A pattern whose str methods lie about its text."""

    def __getitem__(self, key: Any) -> str:
        return "."

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Any:
        return iter("$")


async def test_a_str_subclass_pattern_is_read_as_its_text(url: str) -> None:
    """The pattern rewriting reads the text a ``str`` subclass holds, not what it says."""
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=1, t="a\nb"), Sample(id=2, t="a.b")])
        found = Sample.filter(t__regex=_Lying("a\\.b")).values_list("id", flat=True)
        assert await found == [2]
        found = Sample.filter(t__icontains=_Lying("A.")).values_list("id", flat=True)
        assert await found == [2]


async def test_a_range_with_a_none_bound_is_refused(url: str) -> None:
    """``n__range=(None, 3)`` was ``BETWEEN NULL AND 3``: unknown for every row, so filter()
    kept none and exclude() dropped the row ``n=1`` too (not the complement); None is refused
    as in ``__gt``."""
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=1, n=1), Sample(id=2, n=None)])
        for bounds in ((None, 3), (0, None), (None, None)):
            for method in (Sample.filter, Sample.exclude):
                with pytest.raises(FieldError, match="None"):
                    await method(n__range=bounds).count()


async def test_a_nul_in_a_pattern_or_a_row_matches_exactly(url: str, dialect: str) -> None:
    """SQLite's LIKE reads a pattern and a value only up to a NUL: ``t__contains="\\x00"``
    matched every row and ``"a\\x00b"`` did not end with ``b``. Those are matched in Python
    there now (``ferrule_like``); PostgreSQL holds no NUL in text (a DataError)."""
    words = ("a\x00b", "b", "A\x00B", "a", "\x00")
    cases = [
        ("contains", "\x00"),
        ("endswith", "b"),
        ("startswith", "a"),
        ("iendswith", "b"),
        ("icontains", "\x00B"),
        ("iexact", "a\x00B"),
        ("exact", "a\x00b"),
        ("contains", "a"),
        ("startswith", "\x00"),
    ]
    async with opened(url), own_tables(Sample):
        if dialect == "postgres":
            with pytest.raises(DataError):
                await Sample.create(id=1, t="a\x00b")
            with pytest.raises(DataError):
                await Sample.filter(t__contains="\x00").count()
            return
        await Sample.bulk_create([Sample(id=i, t=w) for i, w in enumerate(words, 1)])
        for lookup, needle in cases:
            query = Sample.filter(**{f"t__{lookup}": needle}).order_by("id")
            rows = [w for w in words if _match({"t": w}, "t", lookup, needle)]
            assert await query.values_list("t", flat=True) == rows, (lookup, needle)
            others = [w for w in words if w not in rows]
            query = Sample.exclude(**{f"t__{lookup}": needle}).order_by("id")
            assert await query.values_list("t", flat=True) == others, (lookup, needle)


async def test_an_empty_q_is_no_condition_inside_a_combination(url: str) -> None:
    """``Q()`` is no condition: ``Q() & Q(n=1)`` is ``Q(n=1)`` (it kept no row: the empty
    side became a NULL), so ``~(Q() | Q(n=1))`` and its exclude() keep the rows where ``n`` is
    not 1, the NULL one included (they kept none)."""
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=1, n=1), Sample(id=2, n=None), Sample(id=3, n=3)])
        Q = orm.Q
        cases = [
            (Sample.filter(Q() & Q(n=1)), [1]),
            (Sample.filter(Q(n=1) & Q()), [1]),
            (Sample.filter(Q() | Q(n=1)), [1]),
            (Sample.filter(~(Q() | Q(n=1))), [2, 3]),
            (Sample.exclude(Q() | Q(n=1)), [2, 3]),
            (Sample.exclude(Q() & Q(n=3)), [1, 2]),
            (Sample.filter(Q(n=3) | (Q() & ~Q())), [3]),
            (Sample.filter(Q()), [1, 2, 3]),
            (Sample.exclude(Q()), [1, 2, 3]),
            (Sample.filter(~Q()), [1, 2, 3]),
        ]
        for query, ids in cases:
            assert sorted(await query.values_list("id", flat=True)) == ids, query


async def test_slice_bounds_are_ints(url: str) -> None:
    """``qs[1.5:2]`` reached the database (a syntax error on MariaDB, "datatype mismatch" on
    SQLite) and ``qs["1":]`` a comparison's TypeError: a TypeError naming the slice now."""
    async with opened(url), own_tables(Sample):
        ordered = await _five()
        for key in (slice(1.5, 2), slice("1", None), slice(0, 2.0), slice(None, "3")):
            with pytest.raises(TypeError, match="slice"):
                ordered[key]
        assert [s.n for s in await ordered[True:3]] == [2, 3]  # a bool is an int, as in lists


async def test_distinct_of_a_slice_is_refused(url: str) -> None:
    """``values_list("n")[0:3].distinct()`` of ``1, 1, 1, 2, 3`` took DISTINCT before the LIMIT
    (``[1, 2, 3]`` where the slice's distinct values are ``[1]``): an ORMError now, as Django
    refuses it; distinct() then slicing is answered."""
    async with opened(url), own_tables(Sample):
        await Sample.bulk_create([Sample(id=i, n=n) for i, n in enumerate((1, 1, 1, 2, 3), 1)])
        values = Sample.all().order_by("n").values_list("n", flat=True)
        with pytest.raises(ORMError, match="slice"):
            values[0:3].distinct()
        assert await values.distinct()[0:2] == [1, 2]
