"""Arithmetic, ``Value`` and ``Case`` in ``annotate()``, ``filter()``, ``values()``,
``order_by()``, ``update()`` and aggregates: every answer computed from the rows in Python
(Django's result types; ``orm.arithmetic`` states the rules where the databases differ) and
compared on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DatabaseError, FieldError, InterfaceError

from .conftest import opened, own_tables
from .models import Author, Post


class Item(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    a = orm.IntField(default=0)  # 32 bits: PostgreSQL would overflow at 2**31 unwidened
    b = orm.IntField(default=0)
    big = orm.BigIntField(default=0)
    f = orm.FloatField(default=0.0)
    p = orm.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    q = orm.DecimalField(max_digits=8, decimal_places=3, default=Decimal(0))

    class Meta:
        table = "ormt_item"


ROWS = [
    dict(name="x", a=7, b=2, big=2**40, f=1.5, p=Decimal("10.25"), q=Decimal("0.125")),
    dict(name="y", a=-7, b=2, big=-3, f=0.1, p=Decimal("-3.10"), q=Decimal("2.000")),
    dict(name="z", a=2**31 - 1, b=0, big=2**31 - 1, f=2.0, p=Decimal("0.01"), q=Decimal("-1.5")),
    dict(name="w", a=100, b=-3, big=2**31, f=-4.25, p=Decimal("99999.99"), q=Decimal("1234.567")),
]


def _div(x: int, y: int) -> int | None:
    """Integer division truncated toward zero (None for a zero divisor): ferrule's rule."""
    if y == 0:
        return None
    quotient = abs(x) // abs(y)
    return quotient if (x >= 0) == (y > 0) else -quotient


def _fdiv(x: float, y: float) -> float | None:
    return None if y == 0 else x / y


F = orm.F
#: annotation -> what it gives for a row, as Python computes it
CASES: dict[str, tuple[Any, Any]] = {
    "sum_ab": (F("a") + F("b"), lambda r: r["a"] + r["b"]),
    "twice": (F("a") + F("a"), lambda r: r["a"] * 2),  # past 2**31 on z
    "prod": (F("a") * F("b"), lambda r: r["a"] * r["b"]),
    "times2": (F("a") * 2, lambda r: r["a"] * 2),
    "rsub": (10 - F("a"), lambda r: 10 - r["a"]),
    "neg": (-F("a"), lambda r: -r["a"]),
    "div": (F("a") / F("b"), lambda r: _div(r["a"], r["b"])),
    "div_const": (F("a") / 2, lambda r: _div(r["a"], 2)),
    "with_big": (F("a") * F("big"), lambda r: r["a"] * r["big"]),
    "value": (F("a") + orm.Value(3), lambda r: r["a"] + 3),
    "none": (F("a") * None, lambda r: None),
    "by_none": (F("p") / orm.Value(None), lambda r: None),
    "float_sum": (F("a") + F("f"), lambda r: r["a"] + r["f"]),
    "float_div": (F("a") / F("f"), lambda r: _fdiv(r["a"], r["f"])),
    "float_by_int": (F("f") / F("b"), lambda r: _fdiv(r["f"], r["b"])),
    "float_const": (F("a") * 0.5, lambda r: r["a"] * 0.5),
    "dec_sum": (F("p") + F("q"), lambda r: r["p"] + r["q"]),
    "dec_prod": (F("p") * F("q"), lambda r: r["p"] * r["q"]),
    "dec_int": (F("p") * F("a"), lambda r: r["p"] * r["a"]),
    "dec_minus": (F("p") - 1, lambda r: r["p"] - 1),
    "dec_const": (F("p") * Decimal("1.5"), lambda r: r["p"] * Decimal("1.5")),
}


async def _items() -> None:
    for row in ROWS:
        await Item.create(**row)


def _typed(value: Any) -> tuple[type, Any]:
    """A value with its type and, for a Decimal, its exponent (the scale Django gives)."""
    if isinstance(value, Decimal):
        return Decimal, value.as_tuple().exponent
    return type(value), value


async def test_arithmetic_annotations_match_python(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        annotations = {name: expression for name, (expression, _) in CASES.items()}
        rows = await Item.annotate(**annotations).order_by("id").values("name", *CASES)
        assert [r["name"] for r in rows] == [r["name"] for r in ROWS]
        for got, row in zip(rows, ROWS, strict=True):
            for name, (_, compute) in CASES.items():
                expected = compute(row)
                if isinstance(expected, Decimal):
                    scale = {"dec_sum": 3, "dec_prod": 5, "dec_int": 2, "dec_minus": 2}
                    expected = expected.quantize(Decimal(1).scaleb(-scale.get(name, 3)))
                assert got[name] == expected, (name, row["name"])
                assert _typed(got[name]) == _typed(expected), (name, row["name"])
        # on instances too, with the same types
        items = await Item.annotate(total=F("a") + F("b"), d=F("p") * 2).order_by("id")
        assert [(i.total, i.d) for i in items] == [(r["a"] + r["b"], r["p"] * 2) for r in ROWS]


async def test_filter_order_and_values_over_an_annotation(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        total = Item.annotate(total=F("a") + F("b"))
        by_total = sorted(ROWS, key=lambda r: -(r["a"] + r["b"]))
        ordered = await total.order_by("-total").values_list("name", flat=True)
        assert ordered == [r["name"] for r in by_total]
        big = await total.filter(total__gt=5).order_by("name").values_list("name", flat=True)
        assert big == sorted(r["name"] for r in ROWS if r["a"] + r["b"] > 5)
        small = await total.exclude(total__gt=5).values_list("name", flat=True)
        assert sorted(small) == sorted(r["name"] for r in ROWS if r["a"] + r["b"] <= 5)
        # an F comparison with arithmetic in a plain filter uses the same rules
        beyond = await Item.filter(a__gt=F("b") * 3).order_by("name").values_list("name")
        assert beyond == sorted((r["name"],) for r in ROWS if r["a"] > r["b"] * 3)
        halves = await Item.filter(a__gt=F("b") / 2 + 3).order_by("name").values_list("name")
        assert halves == sorted((r["name"],) for r in ROWS if r["a"] > r["b"] // 2 + 3)
        with pytest.raises(FieldError, match="compares with"):
            await total.filter(total="7")


async def test_integer_division_updates_as_everywhere(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        changed = await Item.exclude(b=0).update(a=F("a") / F("b"))
        assert changed == 3
        got = dict(await Item.order_by("id").values_list("name", "a"))
        assert got == {r["name"]: _div(r["a"], r["b"]) if r["b"] else r["a"] for r in ROWS}


async def test_aggregates_over_expressions_and_annotations(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        found = await Item.aggregate(
            s=orm.Sum(F("a") * F("b")),
            d=orm.Sum(F("p") * F("a")),
            m=orm.Max(F("f") * F("b")),
            lo=orm.Min(F("p") + F("q")),
            n=orm.Count(F("a") / F("b")),  # the None of a zero divisor is not counted
            gap=orm.Sum("a") - orm.Sum("b"),
        )
        assert found == {
            "s": sum(r["a"] * r["b"] for r in ROWS),
            "d": sum(r["p"] * r["a"] for r in ROWS),
            "m": max(r["f"] * r["b"] for r in ROWS),
            "lo": min(r["p"] + r["q"] for r in ROWS),
            "n": sum(1 for r in ROWS if r["b"]),
            "gap": sum(r["a"] for r in ROWS) - sum(r["b"] for r in ROWS),
        }
        assert type(found["s"]) is int and type(found["d"]) is Decimal
        assert found["d"].as_tuple().exponent == -2
        assert type(found["gap"]) is int
        # an aggregate over a row annotation (plain and grouped querysets)
        over = await Item.annotate(t=F("a") + F("b")).aggregate(s=orm.Sum("t"), m=orm.Max("t"))
        assert over == {
            "s": sum(r["a"] + r["b"] for r in ROWS),
            "m": max(r["a"] + r["b"] for r in ROWS),
        }
        assert type(over["s"]) is int
        hi = await Item.filter(b__gt=0).annotate(t=F("p") * 2).aggregate(s=orm.Sum("t"))
        assert hi == {"s": sum(r["p"] * 2 for r in ROWS if r["b"] > 0)}


async def test_aggregate_over_an_aggregate_annotation(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada")
        bob = await Author.create(name="Bob")
        await Author.create(name="Cy")
        for i in range(3):
            await Post.create(title=f"a{i}", author=ada, views=i)
        await Post.create(title="b", author=bob, views=10)
        counted = Author.annotate(n=orm.Count("posts"))
        assert await counted.aggregate(m=orm.Max("n"), s=orm.Sum("n")) == {"m": 3, "s": 4}
        viewed = Author.annotate(v=orm.Sum("posts__views") * 2 + orm.Count("posts"))
        rows = await viewed.order_by("name").values_list("name", "v")
        assert rows == [("Ada", 2 * 3 + 3), ("Bob", 2 * 10 + 1), ("Cy", None)]
        assert await viewed.filter(v__gt=10).values_list("name", flat=True) == ["Bob"]


async def test_case_when(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()

        def kind(row: dict[str, Any]) -> str:
            return "hot" if row["a"] >= 7 else ("neg" if row["a"] < 0 else "cold")

        case = orm.Case(
            orm.When(a__gte=7, then=orm.Value("hot")),
            orm.When(orm.Q(a__lt=0), then=orm.Value("neg")),
            default=orm.Value("cold"),
        )
        labelled = Item.annotate(kind=case)
        rows = await labelled.order_by("id").values_list("name", "kind")
        assert rows == [(r["name"], kind(r)) for r in ROWS]
        hot = await labelled.filter(kind="hot").order_by("name").values_list("name", flat=True)
        assert hot == sorted(r["name"] for r in ROWS if kind(r) == "hot")
        assert await labelled.filter(kind="HOT").count() == 0  # compared as written
        groups = await labelled.values("kind").annotate(n=orm.Count("id")).order_by("kind")
        expected: dict[str, int] = {}
        for r in ROWS:
            expected[kind(r)] = expected.get(kind(r), 0) + 1
        assert groups == [{"kind": k, "n": n} for k, n in sorted(expected.items())]
        # numbers: the branches' common type; a missing default is None
        safe = orm.Case(orm.When(b=0, then=0), default=F("a") / F("b"))
        mixed = orm.Case(orm.When(b__gt=0, then=F("p")), default=F("a"))
        bare = orm.Case(orm.When(b__gt=0, then=orm.Value(True)))
        rows = (
            await Item.annotate(safe=safe, mixed=mixed, bare=bare)
            .order_by("id")
            .values("safe", "mixed", "bare")
        )
        assert rows == [
            {
                "safe": 0 if r["b"] == 0 else _div(r["a"], r["b"]),
                "mixed": r["p"] if r["b"] > 0 else Decimal(r["a"]).quantize(Decimal("0.01")),
                "bare": True if r["b"] > 0 else None,
            }
            for r in ROWS
        ]
        assert all(type(r["mixed"]) is Decimal and type(r["safe"]) is int for r in rows)
        count = await Item.aggregate(hot=orm.Sum(orm.Case(orm.When(a__gte=7, then=1), default=0)))
        assert count == {"hot": sum(1 for r in ROWS if r["a"] >= 7)}


async def test_values_are_bound_and_names_checked(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        hostile = "x'); DROP TABLE ormt_item; --"
        rows = await Item.annotate(v=orm.Value(hostile)).values_list("v", flat=True)
        assert rows == [hostile] * len(ROWS)
        text, params = Item.annotate(v=orm.Value(hostile)).compile("sqlite")
        assert hostile not in text and hostile in params
        with pytest.raises(FieldError, match="did you mean"):
            Item.annotate(v=F("aa") + 1).compile("sqlite")
        assert await Item.count() == len(ROWS)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (F("p") / F("q"), "divides decimals"),
        (F("p") / 2, "divides decimals"),
        (F("p") + F("f"), "mixes a decimal and a float"),
        (F("p") * 1.5, "mixes a decimal and a float"),
        (F("name") + 1, "arithmetic takes numbers"),
        (F("a") + "1", "arithmetic takes numbers"),
        (F("name") + None, "arithmetic takes numbers"),
        (orm.Avg("a") + 1, "Avg"),
        (orm.Case(orm.When(a=1, then=orm.Value("x")), default=0), "one type"),
        (orm.Sum("name"), "not a number"),
    ],
    ids=repr,
)
def test_refused_with_a_reason(expression: Any, message: str) -> None:
    for dialect in ("sqlite", "postgres", "mysql"):
        with pytest.raises(FieldError, match=message):
            Item.annotate(v=expression).compile(dialect)


def test_refused_names_and_non_expressions() -> None:
    with pytest.raises(ValueError, match="The annotation 'a' conflicts with a field on the model"):
        Item.annotate(a=F("b") + 1)
    with pytest.raises(FieldError, match="takes F, Value, Case or an aggregate"):
        Item.annotate(v=3)
    with pytest.raises(FieldError, match="Value"):
        orm.Value(object())
    with pytest.raises(FieldError, match="When"):
        orm.Case(orm.Value(1))  # type: ignore[arg-type]
    with pytest.raises(FieldError):
        Post.annotate(v=orm.Case(orm.When(tags__label="x", then=1), default=0)).compile("sqlite")


async def test_past_64_bits_raises(url: str) -> None:
    async with opened(url), own_tables(Item):
        await _items()
        with pytest.raises(DatabaseError):
            await Item.annotate(v=F("big") * F("big") * F("big")).values_list("v")


async def test_decimals_past_what_sqlite_holds(url: str, dialect: str) -> None:
    """PostgreSQL and MariaDB answer exactly; SQLite, whose decimals are doubles, raises
    rather than round (``orm.arithmetic``)."""
    async with opened(url), own_tables(Item):
        await _items()
        cubed = Item.filter(name="w").annotate(v=F("p") * F("p") * F("p")).values_list("v")
        if dialect == "sqlite":
            with pytest.raises(InterfaceError, match="14 digits"):
                await cubed
        else:
            assert await cubed == [(Decimal("99999.99") ** 3,)]
        small = Item.filter(name="x").annotate(v=F("p") * F("p") * F("p")).values_list("v")
        assert await small == [(Decimal("10.25") ** 3,)]


async def test_subtracting_the_smallest_int(url: str) -> None:
    """``0 - (-2**63)`` is past 64 bits: an error everywhere (MariaDB answered -2**63 when
    the left side is 0); with a negative left side it fits."""
    async with opened(url), own_tables(Item):
        await Item.create(name="min", big=-(2**63), a=0, b=-1)
        for past in (-F("big"), F("a") - F("big"), orm.Value(0) - F("big"), 1 - F("big")):
            with pytest.raises(DatabaseError):
                await Item.annotate(v=past).values_list("v")
        fits = Item.annotate(v=F("b") - F("big"), w=F("big") - F("b"), z=F("a") - F("a"))
        assert await fits.values_list("v", "w", "z") == [(2**63 - 1, -(2**63) + 1, 0)]
