"""The world of the seeded differential test (``test_differential_fields``): its two models,
the values their rows take (NULLs, extremes, ties, text that LIKE and case folding treat
specially) and the random conditions and queries asked of them. Plain data: the reference
(``differential_fields_reference``) answers it in Python, the test through the ORM."""

from __future__ import annotations

import datetime as dt
import decimal
import random
import uuid
from typing import Any

from ferrule import orm

D = decimal.Decimal
UTC = dt.timezone.utc


class DfOwner(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.TextField(null=True)
    rank = orm.IntField(null=True)

    class Meta:
        table = "ormt_dfowner"


class DfRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    i = orm.IntField(null=True)
    j = orm.IntField()
    f = orm.FloatField(null=True)
    g = orm.FloatField()
    d = orm.DecimalField(max_digits=8, decimal_places=2, null=True)
    e = orm.DecimalField(max_digits=8, decimal_places=2)
    s = orm.TextField(null=True)
    k = orm.TextField()
    b = orm.BooleanField(null=True)
    day = orm.DateField(null=True)
    at = orm.DateTimeField(null=True)
    u = orm.UUIDField(null=True)
    js = orm.JSONField(null=True)
    owner = orm.ForeignKeyField(DfOwner, null=True, related_name="rows", on_delete="set null")

    class Meta:
        table = "ormt_dfrow"


# -- values -----------------------------------------------------------------------------------

WORDS = (
    "",
    " ",
    "a",
    "A",
    "a ",
    "ab",
    "aB",
    "é",
    "É",
    "ß",
    "SS",
    "İ",
    "i",
    "\u0131",
    "Σ",
    "\u03c3",
    "ς",
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
    "z",
    "Z",
)
PART_DATES = (dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 2, 29))
INTS = (-(2**31), -1, 0, 1, 2, 7, 2**31 - 1)
FLOATS = (-1e300, -1.5, 0.0, 0.5, 1.0, 2.5, 1e300)
DECIMALS = tuple(D(x) for x in ("-999999.99", "-1.50", "0.00", "0.01", "1.50", "2.00", "999999.99"))
DAYS = (
    dt.date(1, 1, 1),
    dt.date(1999, 12, 31),
    dt.date(2000, 2, 29),
    dt.date(2024, 1, 1),
    dt.date(2024, 12, 29),
    dt.date(9999, 12, 31),
)
_Z = (UTC, dt.timezone(dt.timedelta(hours=-3)), dt.timezone(dt.timedelta(hours=5, minutes=30)))
MOMENTS = (
    dt.datetime(2023, 12, 31, 23, 30, tzinfo=_Z[1]),  # 2024-01-01 02:30 UTC
    dt.datetime(2024, 1, 1, 2, 30, tzinfo=UTC),
    dt.datetime(2024, 1, 1, 3, 0, 0, 1, tzinfo=_Z[2]),  # 2023-12-31 21:30:00.000001 UTC
    dt.datetime(2024, 2, 29, 12, 0, 59, 999999, tzinfo=UTC),
    dt.datetime(1970, 1, 1, tzinfo=UTC),
    dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=_Z[1]),
    dt.datetime(1, 1, 1, tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    dt.datetime(2024, 1, 1, 5, 29, 59, 999999, tzinfo=_Z[2]),  # 2023-12-31 23:59:59.999999 UTC
)
UUIDS = (
    uuid.UUID(int=0),
    uuid.UUID("7fffffff-ffff-ffff-ffff-ffffffffffff"),
    uuid.UUID("80000000-0000-0000-0000-000000000000"),
    uuid.UUID("0123abcd-0000-4000-8000-00000000000a"),
    uuid.UUID(int=2**128 - 1),
)
JSONS: tuple[Any, ...] = (
    {"a": 1},
    {"a": 1.0, "b": "x"},
    {"a": "x"},
    {"a": None},
    {"a": 1.0},
    {"a": 2**63},
    {"a": 0.1},
    {"a": -1e300},
    {"a": "1"},
    {"a": "É"},
    {"a": [1, {"b": None}]},
    {"b": [1, 2]},
    [1, 2],
    1,
    "a",
    True,
)
NAMES = (None, "a", "A", "é", "", "b")


def _pick(rng: random.Random, choices: tuple[Any, ...], null: bool = True) -> Any:
    if null and rng.random() < 0.2:
        return None
    return rng.choice(choices)


def make_rows(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    owners = [
        {"id": n, "name": _pick(rng, NAMES, False), "rank": _pick(rng, (-1, 0, 1, 2))}
        for n in (1, 2, 3)
    ]
    rows = []
    for n in range(1, rng.randint(6, 14)):
        rows.append(
            {
                "id": n,
                "i": _pick(rng, INTS),
                "j": rng.choice(INTS[1:5]),
                "f": _pick(rng, FLOATS),
                "g": rng.choice(FLOATS),
                "d": _pick(rng, DECIMALS),
                "e": rng.choice(DECIMALS),
                "s": _pick(rng, WORDS),
                "k": rng.choice(WORDS),
                "b": _pick(rng, (True, False)),
                "day": _pick(rng, DAYS),
                "at": _pick(rng, MOMENTS),
                "u": _pick(rng, UUIDS),
                "js": _pick(rng, JSONS),
                "owner_id": _pick(rng, (1, 2, 3)),
            }
        )
    return owners, rows


# -- conditions -------------------------------------------------------------------------------

ORDERED = ("exact", "in", "gt", "gte", "lt", "lte", "range", "isnull")
PATTERNS = ("iexact", "contains", "icontains", "startswith", "istartswith", "endswith")
TEXT = (*ORDERED, *PATTERNS, "iendswith", "regex", "iregex")
KINDS = {
    "i": ("int", INTS),
    "j": ("int", INTS),
    "f": ("float", FLOATS),
    "g": ("float", FLOATS),
    "d": ("dec", DECIMALS),
    "e": ("dec", DECIMALS),
    "s": ("text", WORDS),
    "k": ("text", WORDS),
    "b": ("bool", (True, False)),
    "day": ("date", DAYS),
    "at": ("moment", MOMENTS),
    "u": ("uuid", UUIDS),
    "js": ("json", JSONS),
    "owner__name": ("text", NAMES[1:]),
    "owner__rank": ("int", (-1, 0, 1, 2)),
    "owner": ("key", (1, 2, 3)),
    "at__date": ("date", PART_DATES),
    "day__year": ("int", (1, 1999, 2024)),
}
NULLABLE = {"i", "f", "d", "s", "b", "day", "at", "u", "js", "owner__name", "owner__rank", "owner"}
LOOKUPS = {
    "int": ORDERED,
    "float": ORDERED,
    "dec": ORDERED,
    "text": TEXT,
    "bool": ("exact", "in", "isnull"),
    "date": ORDERED,
    "moment": ORDERED,
    "uuid": ORDERED,
    "json": ("exact", "in", "isnull"),
    "key": ("exact", "in", "isnull"),
}
DATE_PARTS = ("year", "month", "day", "week_day", "iso_week_day", "week", "iso_year", "quarter")
MOMENT_PARTS = (*DATE_PARTS, "hour", "minute", "second", "date")
PART_VALUES = {
    "year": (1, 1970, 1999, 2000, 2023, 2024, 9999),
    "iso_year": (1970, 2000, 2023, 2024, 2025),
    "month": (1, 2, 6, 12),
    "day": (1, 29, 30, 31),
    "week_day": (1, 2, 6, 7),
    "iso_week_day": (1, 5, 7),
    "week": (1, 9, 26, 52),
    "quarter": (1, 2, 4),
    "hour": (0, 2, 12, 21),
    "minute": (0, 30, 59),
    "second": (0, 59),
    "date": PART_DATES,
}
#: ASCII regex atoms every engine reads as Python's re (orm.regex_core)
ATOMS = ("a", "A", "b", "z", "Z", ".", "\\.", "[ab]", "[^a]", "a*", "s+", "i", "(a|z)", "\\%", "_")


#: a value of another type than the field's: (field, value, what Python compares it as; None
#: where no answer is exact: a date with an instant, a naive datetime). A typed refusal is
#: always right; an answer must be Python's for the value it is compared as.
CROSS: tuple[tuple[str, Any, Any], ...] = (
    ("i", 1.5, 1.5),
    ("i", 2.0, 2.0),
    ("i", D("1.5"), D("1.5")),
    ("i", "1", 1),
    ("j", True, True),
    ("f", D("0.5"), D("0.5")),
    ("f", 1, 1),
    ("f", "0.5", 0.5),
    ("s", 1, "1"),
    ("b", 1, True),
    ("b", "true", True),
    # a datetime at midnight is its date (docs/validation.md: "at exactly midnight")
    ("day", dt.datetime(2024, 1, 1, tzinfo=UTC), dt.date(2024, 1, 1)),
    ("day", dt.datetime(2024, 1, 1, 12, tzinfo=UTC), None),
    ("at", dt.datetime(2024, 1, 1, 2, 30), None),
    ("at", dt.date(2024, 1, 1), None),
    ("u", str(UUIDS[3]), UUIDS[3]),
    ("u", UUIDS[3].int, UUIDS[3]),
    ("d", 0.5, D("0.5")),
)


#: ``name__in=<a QuerySet's values(field)>``: (name, "rows" | "owners", field, a filter of
#: the subquery's rows as (field, lookup, value) or None); NULLs among the values included
SUBQUERIES = (
    ("i", "rows", "j", ("i", "gt", 0)),
    ("j", "rows", "i", None),
    ("j", "owners", "rank", None),
    ("owner", "owners", "id", ("rank", "gte", 1)),
    ("i", "owners", "rank", ("name", "isnull", False)),
    ("owner__rank", "rows", "i", ("s", "isnull", False)),
)


def make_leaf(rng: random.Random) -> tuple[str, str, Any]:
    """(name, lookup, value), where value may be ("F", other name, shift)."""
    if rng.random() < 0.03:  # a text lookup on a field that is not text: refused
        name = rng.choice(("i", "f", "d", "b", "day", "at", "u", "owner", "owner__rank"))
        lookup = rng.choice((*PATTERNS, "iendswith", "regex", "iregex"))
        return name, lookup, ("X", rng.choice(("1", "2024", "a")), None)
    if rng.random() < 0.05:
        name, given, same = rng.choice(CROSS)
        lookup = rng.choice(("exact", "in") if name in ("b", "u") else ("exact", "gt", "lte", "in"))
        return name, lookup, ("X", given, same)
    name = rng.choice((*KINDS, "s", "s", "k", "day", "at", "parts", "parts", "F", "F", "jskey"))
    if rng.random() < 0.06:
        name, source, field, where = rng.choice(SUBQUERIES)
        return name, "in", ("SUB", source, field, where)
    if name == "parts":
        field = rng.choice(("day", "at"))
        part = rng.choice(DATE_PARTS if field == "day" else MOMENT_PARTS)
        lookup = rng.choice(("exact", "in", "gt", "lte", "range", "exact"))
        values = PART_VALUES[part]
        return f"{field}__{part}", lookup, _shaped(rng, lookup, values)
    if name == "F":
        return _f_leaf(rng)
    if name == "jskey":
        lookup = rng.choice(("exact", "gt", "lt", "isnull", "in"))
        values: tuple[Any, ...] = (1, 0, 2, "x", "a", None, 1.0, 2**63, 0.1, "1", [1, {"b": None}])
        if lookup in ("gt", "lt"):
            values = (0, 1, 1.5, "a", "w", 2**63 - 1, 0.1, -1e33, "É", "1")  # MariaDB: < 1e34
        if lookup == "isnull":
            return "js__a", "isnull", rng.random() < 0.5
        return "js__a", lookup, _shaped(rng, lookup, values)
    kind, values = KINDS[name]
    lookup = rng.choice(LOOKUPS[kind])
    if kind == "text" and lookup in (*PATTERNS, "iendswith"):
        values = (*values, "A", "S", "%", "_", "\\", "'", "b", "İ", "Σ")
    if lookup in ("regex", "iregex"):
        pattern = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 3)))
        return name, lookup, rng.choice(("", "^")) + pattern + rng.choice(("", "$"))
    if lookup == "exact" and name in NULLABLE and rng.random() < 0.2:
        return name, lookup, None
    return name, lookup, _shaped(rng, lookup, values)


def _shaped(rng: random.Random, lookup: str, values: tuple[Any, ...]) -> Any:
    if lookup == "isnull":
        return rng.random() < 0.5
    if lookup == "in":
        return [rng.choice((*values, None)) for _ in range(rng.randint(0, 3))]
    if lookup == "range":
        return (rng.choice(values), rng.choice(values))
    return rng.choice(values)


#: comparable pairs of fields for F(): (left, right, shift the right may take)
F_PAIRS = (
    ("i", "j", (0, 1, -1)),
    ("j", "i", (0, 1)),
    ("i", "owner__rank", (0, 1)),
    ("f", "g", (0,)),
    ("d", "e", (0, D("0.01"))),
    ("e", "d", (0,)),
    ("s", "k", (None,)),
    ("k", "owner__name", (None,)),
    ("at__date", "day", (None,)),
    ("day__year", "j", (None, 2023)),
    ("u", "u", (None,)),
    ("d", "f", (None,)),  # a decimal with a float: refused (MIXED)
    ("g", "e", (None, 1)),
)
#: pairs only a refusal answers exactly: a decimal compared with a float (as doubles)
MIXED = frozenset({("d", "f"), ("g", "e")})


def _f_leaf(rng: random.Random) -> tuple[str, str, Any]:
    left, right, shifts = rng.choice(F_PAIRS)
    lookup = rng.choice(("exact", "gt", "gte", "lt", "lte", "range", "in"))
    f = ("F", right, rng.choice(shifts))
    if lookup == "range":
        values = KINDS[left][1]
        return left, lookup, rng.choice(((f, rng.choice(values)), (rng.choice(values), f)))
    if lookup == "in":
        return left, lookup, [f, rng.choice(KINDS[left][1])]
    return left, lookup, f


def make_cond(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth >= 3 or roll < 0.4 + 0.15 * depth:
        return ("leaf", make_leaf(rng))
    if roll < 0.45:  # several keywords of one Q, ANDed (distinct names)
        leaves = {leaf[:2]: leaf for leaf in (make_leaf(rng) for _ in range(3))}
        return ("kw", tuple(leaves.values()))
    if roll < 0.6:
        return ("not", make_cond(rng, depth + 1))
    connector = rng.choice(("and", "or", "and", "or", "xor"))
    return (connector, (make_cond(rng, depth + 1), make_cond(rng, depth + 1)))


# -- queries ----------------------------------------------------------------------------------

FIELDS = ("i", "j", "f", "g", "d", "e", "s", "k", "b", "day", "at", "u", "js", "owner_id")
ORDER_KEYS = ("i", "j", "f", "g", "d", "e", "s", "k", "b", "day", "at", "u", "owner__name")
ORDER_KEYS += ("owner__rank", "owner")
GROUPS = ("b", "s", "owner__name", "owner__rank", "day", "u")
FUNCS = {"count": orm.Count, "sum": orm.Sum, "avg": orm.Avg, "min": orm.Min, "max": orm.Max}
#: what each aggregate takes: Sum/Avg of exact numbers only (a float sum depends on its order)
AGG_FIELDS = {
    "count": ("id", "i", "f", "d", "s", "b", "day", "at", "u", "js", "owner", "owner__name"),
    "sum": ("i", "j", "d", "e", "owner__rank"),
    "avg": ("i", "j", "d", "e"),
    "min": ("i", "f", "g", "d", "s", "k", "b", "day", "at", "u", "owner__name"),
    "max": ("i", "f", "g", "d", "s", "k", "b", "day", "at", "u", "owner__name"),
}


def make_query(rng: random.Random) -> dict[str, Any]:
    steps = [
        (rng.choice(("filter", "exclude")), make_cond(rng)) for _ in range(rng.choice((0, 1, 1, 2)))
    ]
    order = tuple(
        rng.choice(("", "-")) + name for name in rng.sample(ORDER_KEYS, rng.randint(0, 3))
    )
    modes = ("rows", "rows", "count", "slice", "ends", "values", "distinct", "agg", "group")
    mode = rng.choice(modes)
    q: dict[str, Any] = {"steps": steps, "order": order, "mode": mode}
    if mode == "slice":
        q["window"] = (rng.randint(0, 4), rng.choice((None, rng.randint(0, 8))))
    if mode in ("values", "distinct"):
        pool = (*FIELDS, "owner__name", "js__a") if mode == "values" else (*GROUPS, "k", "i")
        q["fields"] = tuple(rng.sample(pool, rng.randint(1, 2)))
    if mode in ("agg", "group"):
        aggs = []
        for _ in range(rng.randint(1, 3)):
            function = rng.choice(tuple(FUNCS))
            field = rng.choice(AGG_FIELDS[function])
            where = make_cond(rng, 1) if rng.random() < 0.5 else None
            distinct = field not in ("id", "js")  # JSON: refused (tested elsewhere)
            aggs.append((function, field, where, distinct and rng.random() < 0.25))
        q["aggs"] = aggs
        q["group"] = rng.choice(GROUPS)
        #: a HAVING on the first aggregate (grouped), and whether the groups sort by it
        q["having"] = rng.choice((None, "gt", "lte", "isnull")) if mode == "group" else None
        q["having_kind"] = rng.choice(("filter", "exclude"))
        q["by_agg"] = mode == "group" and rng.random() < 0.5
    return q
