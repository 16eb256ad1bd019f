"""``orm.Func``, ``orm.RawSQL``, ``orm.Sqrt``, ``orm.LPad``/``orm.RPad`` (``orm.raw_functions``)
on SQLite, PostgreSQL and MariaDB, each answer computed in Python from the rows; a function
name that is no plain identifier, and raw SQL's values, never reach the SQL text."""

from __future__ import annotations

import math
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables

F = orm.F
V = orm.Value


class Rf(orm.Model):
    id: int = orm.Field(primary_key=True)
    s = orm.CharField(max_length=40, null=True)
    n = orm.IntField(null=True)
    f = orm.FloatField(default=0.0)

    class Meta:
        table = "ormt_rf"


ROWS: list[dict[str, Any]] = [
    dict(s="hello", n=16, f=2.0),
    dict(s="ΣΊΣ😀", n=2, f=0.5),
    dict(s="", n=-4, f=-1.0),
    dict(s="a long text here", n=0, f=1e300),
    dict(s=None, n=None, f=3.0),
]


def _lpad(s: str | None, n: int, fill: str) -> str | None:
    if s is None:
        return None
    return s[:n] if len(s) >= n else (fill * n)[: n - len(s)] + s


def _rpad(s: str | None, n: int, fill: str) -> str | None:
    if s is None:
        return None
    return s[:n] if len(s) >= n else s + (fill * n)[: n - len(s)]


def _sqrt(x: float | None) -> float | None:
    return None if x is None or x < 0 else math.sqrt(x)


async def _column(qs: Any, name: str) -> list[Any]:
    return list(await qs.order_by("id").values_list(name, flat=True))


async def test_sqrt_is_math_sqrt_and_none_below_zero(url: str) -> None:
    async with opened(url), own_tables(Rf):
        for row in ROWS:
            await Rf.create(**row)
        assert await _column(Rf.annotate(r=orm.Sqrt("n")), "r") == [_sqrt(r["n"]) for r in ROWS]
        assert await _column(Rf.annotate(r=orm.Sqrt("f")), "r") == [_sqrt(r["f"]) for r in ROWS]
        assert await _column(Rf.annotate(r=orm.Sqrt(F("n") * 2)), "r") == [
            _sqrt(None if r["n"] is None else r["n"] * 2) for r in ROWS
        ]
        got = await _column(Rf.annotate(r=orm.Sqrt("n")).filter(r__gt=1), "s")
        assert got == [r["s"] for r in ROWS if (_sqrt(r["n"]) or 0) > 1]
        with pytest.raises(FieldError):
            await Rf.annotate(r=orm.Sqrt("s")).values_list("r")


@pytest.mark.parametrize("length", [0, 1, 3, 8, 20])
@pytest.mark.parametrize("fill", [None, "*", "ab", "😀x"])
async def test_lpad_rpad_are_sql_pads_in_code_points(url: str, length: int, fill: Any) -> None:
    async with opened(url), own_tables(Rf):
        for row in ROWS:
            await Rf.create(**row)
        given = fill if fill is None else V(fill)
        qs = Rf.annotate(left=orm.LPad("s", length, given), right=orm.RPad("s", length, given))
        rows = await qs.order_by("id").values_list("left", "right")
        text = " " if fill is None else fill
        assert [tuple(r) for r in rows] == [
            (_lpad(r["s"], length, text), _rpad(r["s"], length, text)) for r in ROWS
        ]


async def test_pads_in_filters_and_updates(url: str) -> None:
    async with opened(url), own_tables(Rf):
        for row in ROWS:
            await Rf.create(**row)
        got = await _column(Rf.annotate(p=orm.LPad("s", 6, V("0"))).filter(p__startswith="0"), "s")
        assert got == [r["s"] for r in ROWS if (_lpad(r["s"], 6, "0") or "").startswith("0")]
        await Rf.filter(n=16).update(s=orm.RPad("s", 7, V("!")))
        assert (await Rf.get(n=16)).s == "hello!!"


@pytest.mark.parametrize(
    ("make", "wanted"),
    [
        (lambda: orm.LPad("s", -1), "length"),
        (lambda: orm.LPad("s", 2, V("")), "fill_text"),
        (lambda: orm.RPad("s", 2, F("s")), "fill_text"),
        (lambda: orm.RPad("s", "3"), "length"),
        (lambda: orm.LPad("s", 1_000_001), "length"),
    ],
)
def test_pad_arguments_are_checked(make: Any, wanted: str) -> None:
    with pytest.raises(FieldError, match=wanted):
        make()


def test_sqrt_takes_one_expression() -> None:
    with pytest.raises(TypeError):
        orm.Sqrt()  # type: ignore[call-arg]


async def test_func_calls_the_named_function(url: str) -> None:
    async with opened(url), own_tables(Rf):
        for row in ROWS:
            await Rf.create(**row)
        got = await _column(Rf.annotate(r=orm.Func("n", function="ABS")), "r")
        assert got == [None if r["n"] is None else abs(r["n"]) for r in ROWS]
        got = await _column(
            Rf.annotate(r=orm.Func("n", V(3), function="COALESCE", output_field=orm.IntField())),
            "r",
        )
        assert got == [3 if r["n"] is None else r["n"] for r in ROWS]
        got = await _column(Rf.annotate(r=orm.Func("n", function="abs")).filter(r__gte=4), "s")
        assert got == [r["s"] for r in ROWS if r["n"] is not None and abs(r["n"]) >= 4]
        with pytest.raises(FieldError, match="output_field"):
            await Rf.annotate(r=orm.Func("n", "s", function="COALESCE")).values_list("r")


@pytest.mark.parametrize(
    "name",
    ["", "ABS(1); DROP TABLE ormt_rf; --", "abs ", "1abs", "a.b", 'a"b', "ab-s", None, 7],
)
def test_func_names_are_plain_identifiers(name: Any) -> None:
    with pytest.raises(FieldError, match="function"):
        orm.Func("n", function=name)


def test_func_refuses_templates() -> None:
    with pytest.raises(FieldError, match="template"):
        orm.Func("n", function="ABS", template="%(function)s(%(expressions)s) OR 1=1")


async def test_rawsql_binds_its_params(url: str) -> None:
    async with opened(url), own_tables(Rf):
        for row in ROWS:
            await Rf.create(**row)
        hostile = "x'); DROP TABLE ormt_rf; --"
        qs = Rf.annotate(
            r=orm.RawSQL("%s", (hostile,), output_field=orm.TextField()),
            k=orm.RawSQL("%s + %s", (40, 2), output_field=orm.IntField()),
            m=orm.RawSQL("100 %% 7", (), output_field=int),
            q=orm.RawSQL("CASE WHEN %s = '?' THEN 1 ELSE 0 END", ("?",), output_field=int),
        )
        rows = await qs.order_by("id").values_list("r", "k", "m", "q")
        assert [tuple(r) for r in rows] == [(hostile, 42, 2, 1)] * len(ROWS)
        got = await _column(
            Rf.annotate(x=orm.RawSQL("%s * 2", (21,), output_field=int)).filter(x=42), "s"
        )
        assert got == [r["s"] for r in ROWS]
        assert await Rf.all().count() == len(ROWS)


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("%s", ()), "placeholders"),
        (("1", (1,)), "placeholders"),
        (("50%", ()), "lone"),
        (("", ()), "sql"),
        (("%s", "a"), "params"),
        (("%s", (object(),)), "param"),
    ],
)
def test_rawsql_arguments_are_checked(args: Any, wanted: str) -> None:
    with pytest.raises(FieldError, match=wanted):
        orm.RawSQL(*args, output_field=int)


def test_rawsql_needs_its_type() -> None:
    with pytest.raises(FieldError, match="output_field"):
        orm.RawSQL("1", ())
