"""Window frames (``orm.frames``): every ``RowRange`` and ``ValueRange`` shape over the rows of
``test_window`` (ties, NULLs, one-row and all-NULL partitions, values near 2**40), for the
aggregates and the value functions, checked against the frame computed in Python from the
rows, on SQLite, PostgreSQL and MariaDB. Bad and hostile frames are ``FieldError``s."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError, FieldError

from .conftest import opened, own_tables, refusal_mistakes
from .test_window import ROWS, Order, Row, Scored, _compare, _fill, _sorted, _values

D = decimal.Decimal
W, F = orm.Window, orm.F
Bound = int | None


def _peers(part: list[Row], i: int, order: Order) -> list[int]:
    key = tuple(getattr(part[i], f) for f, _ in order)
    return [j for j, r in enumerate(part) if tuple(getattr(r, f) for f, _ in order) == key]


def _range(part: list[Row], i: int, order: Order, start: Bound, end: Bound) -> list[Row]:
    """The rows of ``RANGE BETWEEN start AND end`` (the standard's meaning, by value)."""
    peers = _peers(part, i, order)
    low = 0 if start is None else min(peers)
    high = len(part) if end is None else max(peers) + 1
    if not (start or end):
        return part[low:high]
    (field, descending) = order[0]
    value = getattr(part[i], field)
    if value is None:  # an offset from NULL: its NULL peers
        return part[low:high]
    sign = -1 if descending else 1

    def within(j: int, offset: int, side: int) -> bool:
        other = getattr(part[j], field)
        # ascending: start <= other - value <= end; descending the other way round. NULL
        # is the smallest value: before every bound ascending, after every one descending
        apart = float("-inf") if other is None else other - value
        return side * sign * apart >= side * offset

    if start is not None:
        found = [j for j in range(len(part)) if within(j, start, 1)]
        low = found[0] if found else len(part)
    if end is not None:
        found = [j for j in range(len(part)) if within(j, end, -1)]
        high = found[-1] + 1 if found else 0
    return part[low:high]


def reference(
    partition: str | None,
    order: Order,
    frame: tuple[str, Bound, Bound],
    fn: Callable[..., Any],
    rows_: list[Row] = ROWS,
) -> dict[int, Any]:
    """``fn(frame rows)`` for each row: rows in order then by id (the tie-break)."""
    mode, start, end = frame
    groups: dict[Any, list[Row]] = {}
    for row in rows_:
        groups.setdefault(getattr(row, partition) if partition else None, []).append(row)
    out = {}
    for members in groups.values():
        part = _sorted(members, order)
        for i, row in enumerate(part):
            if mode == "rows":
                low = 0 if start is None else max(0, i + start)
                high = len(part) if end is None else max(0, min(len(part), i + end + 1))
                rows = part[low:high] if low < high else []
            else:
                rows = _range(part, i, order, start, end)
            out[row.id] = fn(rows)
    return out


def _sum(field: str) -> Callable[[list[Row]], Any]:
    return lambda rows: sum(_values(field, rows)) if _values(field, rows) else None


def _pick(field: str, pick: Callable[..., Any]) -> Callable[[list[Row]], Any]:
    return lambda rows: pick(_values(field, rows)) if _values(field, rows) else None


def _avg_views(rows: list[Row]) -> Any:
    found = _values("views", rows)
    return float(sum(found)) / len(found) if found else None


def _avg_price(rows: list[Row]) -> Any:
    found = _values("price", rows)
    if not found:
        return None
    return (sum(found) / len(found)).quantize(D("0.0000001"), rounding=decimal.ROUND_HALF_UP)


AGGREGATES: dict[str, tuple[Any, Callable[[list[Row]], Any]]] = {
    "count": (orm.Count("*"), len),
    "count_views": (orm.Count("views"), lambda rows: len(_values("views", rows))),
    "sum": (orm.Sum("views"), _sum("views")),
    "sum_price": (orm.Sum("price"), _sum("price")),
    "avg": (orm.Avg("views"), _avg_views),
    "avg_price": (orm.Avg("price"), _avg_price),
    "min_day": (orm.Min("day"), _pick("day", min)),
    "max_price": (orm.Max("price"), _pick("price", max)),
    "min_views": (orm.Min("views"), _pick("views", min)),
}
VALUES: dict[str, tuple[Any, Callable[[list[Row]], Any]]] = {
    "first": (orm.FirstValue("price"), lambda rows: rows[0].price if rows else None),
    "last": (orm.LastValue("views"), lambda rows: rows[-1].views if rows else None),
    "nth2": (orm.NthValue("day", 2), lambda rows: rows[1].day if len(rows) >= 2 else None),
    "nth3": (orm.NthValue("price", 3), lambda rows: rows[2].price if len(rows) >= 3 else None),
}
ROW_FRAMES: list[tuple[Bound, Bound]] = [
    (-2, 0),
    (-1, 1),
    (None, 0),
    (0, None),
    (None, None),
    (1, 3),
    (-3, -1),
    (None, -1),
    (2, None),
    (0, 0),
]
#: by views (ints, NULLs, ties and values near 2**40): offsets in values
VALUE_FRAMES: list[tuple[Bound, Bound]] = [
    (None, 0),
    (0, 0),
    (0, None),
    (None, None),
    (-10, 0),
    (-10, 10),
    (1, 20),
    (None, -5),
    (0, 1),
    (-(2**31) + 1, -1),
]
ORDERS: list[tuple[Order, Any]] = [
    ([("views", True)], [F("views").desc()]),
    ([("views", False), ("day", True)], ["views", "-day"]),
]


def _frame_cases() -> list[tuple[str, str | None, Order, Any, Any, tuple[str, Bound, Bound]]]:
    """(label, partition, order, order_by, make frame, frame as a tuple)."""
    cases = []
    for partition in ("grp", None):
        for order, spelled in ORDERS:
            for start, end in ROW_FRAMES:
                cases.append(
                    (f"rows{start, end}/{partition}/{order}", partition, order, spelled,
                     orm.RowRange(start=start, end=end), ("rows", start, end))
                )  # fmt: skip
        for order, spelled in ([("views", True)], "-views"), ([("views", False)], ["views"]):
            for start, end in VALUE_FRAMES:
                cases.append(
                    (f"range{start, end}/{partition}/{order}", partition, order, spelled,
                     orm.ValueRange(start, end), ("range", start, end))
                )  # fmt: skip
        for start, end in [(None, 0), (0, 0), (0, None)]:
            order, spelled = ORDERS[1]
            cases.append(
                (f"range{start, end}/{partition}/two terms", partition, order, spelled,
                 orm.ValueRange(start, end), ("range", start, end))
            )  # fmt: skip
    return cases


async def test_frames_match_python_on_every_database(url: str, dialect: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        mismatches: list[Any] = []
        checked = 0
        for label, partition, order, spelled, frame, shape in _frame_cases():
            functions = dict(AGGREGATES)
            if shape[0] == "rows":
                functions.update(VALUES)
            pby = [partition] if partition else None
            windows = {
                name: W(expr, partition_by=pby, order_by=spelled, frame=frame)
                for name, (expr, _) in functions.items()
            }
            rows = await Scored.all().annotate(**windows).values("id", *functions)
            for name, (_, fn) in functions.items():
                found = {r["id"]: r[name] for r in rows}
                want = reference(partition, order, shape, fn)
                mismatches += _compare(f"{name} {label}", found, want)
                checked += 1
        assert not mismatches, mismatches[:5]
        assert checked > 500


async def test_a_frame_without_order_by_takes_rows_by_key(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        query = Scored.all().annotate(
            s=W(orm.Sum("views"), partition_by="grp", frame=orm.RowRange(-1, 0)),
            w=W(orm.Count("*"), partition_by="grp", frame=orm.ValueRange(0, 0)),
        )
        found = {r["id"]: (r["s"], r["w"]) for r in await query.values("id", "s", "w")}
        by_key = reference("grp", [], ("rows", -1, 0), _sum("views"))
        everyone = reference("grp", [], ("range", None, None), len)
        assert found == {i: (by_key[i], everyone[i]) for i in by_key}


class LyingInt(int):
    def __int__(self) -> int:
        return -5

    def __index__(self) -> int:
        return -5

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("lied")

    def __gt__(self, other: object) -> bool:
        raise RuntimeError("lied")

    def __repr__(self) -> str:
        raise RuntimeError("lied")


class Indexed:
    def __index__(self) -> int:
        return 1

    def __int__(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def test_a_lying_int_is_the_number_it_holds() -> None:
    frame = orm.RowRange(LyingInt(3), 4)
    assert (frame.start, frame.end, type(frame.start)) == (3, 4, int)
    assert frame.bounds == ("rows", 3, 4)
    with pytest.raises(FieldError, match="start is after the end"):
        orm.RowRange(LyingInt(3), 2)


async def test_bad_frames_are_field_errors(url: str, dialect: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        S = orm.Sum("views")
        cases: dict[str, tuple[Callable[[], Any], str]] = {
            "start after end": (lambda: orm.RowRange(1, 0), "after the end"),
            "start after end range": (lambda: orm.ValueRange(0, -1), "after the end"),
            "bool": (lambda: orm.RowRange(True, 1), "int"),
            "float": (lambda: orm.RowRange(-1.0, 0), "int"),
            "str": (lambda: orm.ValueRange("-1", 0), "int"),
            "index object": (lambda: orm.RowRange(Indexed(), 2), "int"),
            "huge": (lambda: orm.RowRange(-(2**31), 0), "too large"),
            "huge end": (lambda: orm.ValueRange(0, 2**63), "too large"),
            "a tuple": (lambda: W(S, order_by="id", frame=("rows", -1, 0)), "RowRange"),
            "a class": (lambda: W(S, order_by="id", frame=orm.RowRange), "RowRange"),
            "rank": (lambda: W(orm.Rank(), order_by="id", frame=orm.RowRange(-1, 0)), "effect"),
            "lag": (lambda: W(orm.Lag("views"), order_by="id", frame=orm.RowRange()), "effect"),
            "row number": (
                lambda: W(orm.RowNumber(), order_by="id", frame=orm.ValueRange()),
                "effect",
            ),
            "first value range": (
                lambda: W(orm.FirstValue("views"), order_by="id", frame=orm.ValueRange(-1, 0)),
                "peer groups",
            ),
            "offset two terms": (
                lambda: Scored.all().annotate(
                    x=W(S, order_by=["views", "id"], frame=orm.ValueRange(-1, 0))
                ),
                "exactly one",
            ),
            "offset no order": (
                lambda: Scored.all().annotate(x=W(S, frame=orm.ValueRange(0, 2))),
                "exactly one",
            ),
            "offset text": (
                lambda: Scored.all().annotate(x=W(S, order_by="title", frame=orm.ValueRange(-1))),
                "int or a decimal",
            ),
            "offset date": (
                lambda: Scored.all().annotate(x=W(S, order_by="day", frame=orm.ValueRange(-1))),
                "int or a decimal",
            ),
            "offset float": (
                lambda: Scored.all().annotate(x=W(S, order_by="ratio", frame=orm.ValueRange(-1))),
                "float",
            ),
            "sum floats framed": (
                lambda: Scored.all().annotate(
                    x=W(orm.Sum("ratio"), order_by="id", frame=orm.RowRange(-1, 0))
                ),
                "floats",
            ),
            "avg floats framed": (
                lambda: Scored.all().annotate(
                    x=W(orm.Avg("ratio"), order_by="id", frame=orm.RowRange(-1, 0))
                ),
                "floats",
            ),
        }
        mistakes = await refusal_mistakes(cases)
        assert not mistakes, mistakes
        by_price = Scored.all().annotate(x=W(S, order_by="price", frame=orm.ValueRange(-1, 1)))
        if dialect == "sqlite":
            with pytest.raises(FieldError, match="double"):
                await by_price
        else:  # exact decimals: the offsets added to them exactly
            found = dict(await by_price.values_list("id", "x"))
            rows = sorted(ROWS, key=lambda r: r.id)
            want = {}
            for row in rows:
                if row.price is None:
                    near = [r for r in rows if r.price is None]
                else:
                    price = row.price
                    near = [r for r in rows if r.price is not None and abs(r.price - price) <= 1]
                want[row.id] = _sum("views")(near)
            assert found == want


def test_frame_sql_is_one_shape(dialect: str) -> None:
    """Offsets are written (never bound), ROWS ordered by the key after the terms."""
    frame = orm.RowRange(-2, 3)
    query = Scored.all().annotate(n=W(orm.Count("*"), order_by="-views", frame=frame))
    text, params = query.compile(dialect)
    assert "ROWS BETWEEN 2 PRECEDING AND 3 FOLLOWING" in text
    assert params == []
    ranged = Scored.all().annotate(
        n=W(orm.Max("views"), order_by="views", frame=orm.ValueRange(None, 5))
    )
    assert "RANGE BETWEEN UNBOUNDED PRECEDING AND 5 FOLLOWING" in ranged.compile(dialect)[0]
    assert repr(frame) == "RowRange(start=-2, end=3)"
    assert orm.RowRange(-2, 3) == frame and orm.ValueRange(-2, 3) != frame


#: views at the ends of BIGINT, where ``views + offset`` leaves its range
EDGES = [2**63 - 1, 2**63 - 2, 2**63 - 1000, -(2**63), -(2**63) + 1, 0, None, 2**63 - 1]


async def test_value_offsets_at_the_ends_of_bigint(url: str, dialect: str) -> None:
    """MariaDB adds the offset in a DECIMAL (in BIGINT it failed with error 1690); SQLite in
    a double there, whose rounding took rows in or out of the frame: a ``DataError``."""
    async with opened(url), own_tables(Scored):
        rows = [Row(n + 1, "a", v, None, None) for n, v in enumerate(EDGES)]
        for row in rows:
            await Scored.create(id=row.id, grp="a", views=row.views)
        for start, end in [(0, 2), (-2, 0), (-1, 1), (None, -1), (1, None), (-(2**31) + 1, 5)]:
            for order, spelled in ([("views", False)], "views"), ([("views", True)], "-views"):
                frame = orm.ValueRange(start, end)
                query = Scored.all().annotate(
                    n=W(orm.Count("*"), order_by=spelled, frame=frame),
                    top=W(orm.Max("views"), order_by=spelled, frame=frame),
                )
                if dialect == "sqlite":
                    with pytest.raises(DataError, match="64-bit"):
                        await query
                    continue
                found = {r["id"]: (r["n"], r["top"]) for r in await query.values("id", "n", "top")}
                counts = reference(None, order, ("range", start, end), len, rows)
                tops = reference(None, order, ("range", start, end), _pick("views", max), rows)
                assert found == {i: (counts[i], tops[i]) for i in counts}, (start, end, order)
