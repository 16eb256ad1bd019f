"""Window expressions in ``annotate()`` (``orm.windows``): every function and aggregate over
partitions with ties, NULLs (in the partition, in the order, in the values), one-row and
all-NULL partitions, checked against the same answer computed in Python from the rows, with
its type; the same on SQLite, PostgreSQL and MariaDB. Bad input is a ``FieldError``;
cancelled at each await point, a window query leaves the pool sound."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables, refusal_mistakes
from .models import Author, Post
from .test_query_cancellation import _cancel_each_step, _skip_in_flight, _trap

D = decimal.Decimal


class Scored(orm.Model):
    id = orm.IntField(pk=True)
    grp = orm.CharField(max_length=10, null=True)
    views = orm.BigIntField(null=True)
    price = orm.DecimalField(max_digits=12, decimal_places=3, null=True)
    ratio = orm.FloatField(null=True)
    day = orm.DateField(null=True)
    title = orm.CharField(max_length=20, default="")

    class Meta:
        table = "ormt_window"


@dataclasses.dataclass
class Row:
    id: int
    grp: str | None
    views: int | None
    price: D | None
    day: dt.date | None
    title: str = ""


def _day(n: int | None) -> dt.date | None:
    return None if n is None else dt.date(2024, 1, 1) + dt.timedelta(days=n)


#: (grp, views, price, day): ties in views, NULL views, a NULL partition, a one-row
#: partition, an all-NULL partition; ids are given out of views order
RAW = [
    ("a", 10, "1.000", 3),
    ("a", 30, "2.500", 1),
    ("a", 10, "0.001", None),
    ("a", None, None, 2),
    ("a", 20, "-1.250", 5),
    ("a", 30, "1.000", 0),
    ("a", None, "3.333", 4),
    ("b", 5, "9.999", 7),
    (None, 7, "0.010", 2),
    (None, 7, "0.020", None),
    ("c", None, None, None),
    ("c", None, None, None),
    ("d", 2**40, "999999.999", 9),
    ("d", 2**40 + 1, "999999.998", 8),
    ("d", 2**40 + 1, "999999.998", 8),
]
IDS = [12, 3, 7, 1, 15, 9, 4, 2, 11, 6, 14, 5, 8, 13, 10]
#: titles ordered by code point (upper case before lower, accents and emoji after)
TITLES = ["b", "B", "a", "é", "Z", "e", "ä", "A", "😀", "z", "É", "b", "ab", "a b", "Ab"]
ROWS = [
    Row(i, g, v, None if p is None else D(p), _day(d), t)
    for i, (g, v, p, d), t in zip(IDS, RAW, TITLES, strict=True)
]


async def _fill() -> None:
    for row in ROWS:
        await Scored.create(
            id=row.id,
            grp=row.grp,
            views=row.views,
            price=row.price,
            day=row.day,
            ratio=0.5,
            title=row.title,
        )


# -- the reference, in Python ------------------------------------------------------------------

Order = list[tuple[str, bool]]  # (field, descending)


def _key(value: Any, descending: bool) -> Any:
    return (value is not None, value) if value is not None else (False, 0)


def _sorted(rows: list[Row], order: Order) -> list[Row]:
    out = sorted(rows, key=lambda r: r.id)  # the tie-break
    for field, descending in reversed(order):
        out.sort(key=lambda r: _key(getattr(r, field), descending), reverse=descending)
    return out


def _peers_key(row: Row, order: Order) -> tuple[Any, ...]:
    return tuple(getattr(row, f) for f, _ in order)


def reference(
    rows: list[Row], partition: str | None, order: Order, fn: Callable[..., Any]
) -> dict[int, Any]:
    """``fn(part, index, frame)`` for each row: ``part`` its partition in window order,
    ``frame`` the default frame's rows (to the last peer; the partition without order)."""
    out: dict[int, Any] = {}
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(getattr(row, partition) if partition else None, []).append(row)
    for members in groups.values():
        part = _sorted(members, order)
        for index, row in enumerate(part):
            if order:
                peers = [
                    i for i, r in enumerate(part) if _peers_key(r, order) == _peers_key(row, order)
                ]
                frame = part[: max(peers) + 1]
            else:
                peers, frame = list(range(len(part))), part
            out[row.id] = fn(part, index, frame, peers)
    return out


def _rank(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> int:
    return min(peers) + 1


def _dense(order: Order) -> Callable[..., int]:
    def dense(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> int:
        return len({_peers_key(r, order) for r in part[: min(peers) + 1]})

    return dense


def _ntile(n: int) -> Callable[..., int]:
    def ntile(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> int:
        q, r = divmod(len(part), n)
        if i < r * (q + 1):
            return i // (q + 1) + 1
        return (i - r * (q + 1)) // q + r + 1

    return ntile


def _shift(field: str, by: int, default: Any = None) -> Callable[..., Any]:
    def shifted(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> Any:
        j = i + by
        return getattr(part[j], field) if 0 <= j < len(part) else default

    return shifted


def _values(field: str, frame: list[Row]) -> list[Any]:
    return [getattr(r, field) for r in frame if getattr(r, field) is not None]


def _sum(field: str) -> Callable[..., Any]:
    def total(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> Any:
        found = _values(field, frame)
        return sum(found) if found else None

    return total


def _avg_int(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> Any:
    found = _values("views", frame)
    return float(sum(found)) / len(found) if found else None


def _avg_price(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> Any:
    found = _values("price", frame)
    if not found:
        return None
    exact = sum(found) / len(found)
    return exact.quantize(D("0.0000001"), rounding=decimal.ROUND_HALF_UP)


def _extreme(field: str, pick: Callable[..., Any]) -> Callable[..., Any]:
    def extreme(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> Any:
        found = _values(field, frame)
        return pick(found) if found else None

    return extreme


W, F = orm.Window, orm.F
BY_VIEWS: Order = [("views", True)]
BY_TWO: Order = [("views", False), ("day", True)]


def _cases() -> list[tuple[str, Any, str | None, Order, Callable[..., Any]]]:
    """(label, Window, partition field, order, reference function)."""
    cases: list[tuple[str, Any, str | None, Order, Callable[..., Any]]] = []
    for partition in ("grp", None):
        pby = [partition] if partition else None
        for order, spelled in (
            (BY_VIEWS, [F("views").desc()]),
            (BY_TWO, ["views", "-day"]),
        ):

            def add(
                label: str,
                expr: Any,
                fn: Callable[..., Any],
                order: Order = order,
                spelled: Any = spelled,
                partition: str | None = partition,
                pby: Any = pby,
            ) -> None:
                window = W(expr, partition_by=pby, order_by=spelled)
                cases.append((f"{label}/{partition}/{order}", window, partition, order, fn))

            add("row_number", orm.RowNumber(), lambda p, i, f, s: i + 1)
            add("rank", orm.Rank(), _rank)
            add("dense_rank", orm.DenseRank(), _dense(order))
            add("ntile3", orm.Ntile(3), _ntile(3))
            add("ntile20", orm.Ntile(20), _ntile(20))
            add("lag", orm.Lag("views"), _shift("views", -1))
            add("lag2d", orm.Lag("views", 2, -1), _shift("views", -2, -1))
            add(
                "lead_price",
                orm.Lead("price", offset=1, default=D("0.5")),
                _shift("price", 1, D("0.500")),
            )
            add("lead_day", orm.Lead("day", 3), _shift("day", 3))
            add("first", orm.FirstValue("price"), lambda p, i, f, s: p[0].price)
            add("last", orm.LastValue("views"), lambda p, i, f, s: f[-1].views)
            add("last_price", orm.LastValue(F("price")), lambda p, i, f, s: f[-1].price)
            add(
                "nth2", orm.NthValue("day", 2), lambda p, i, f, s: f[1].day if len(f) >= 2 else None
            )
            add("count", orm.Count("*"), lambda p, i, f, s: len(f))
            add("count_views", orm.Count("views"), lambda p, i, f, s: len(_values("views", f)))
            add("sum", orm.Sum("views"), _sum("views"))
            add("sum_price", orm.Sum("price"), _sum("price"))
            add("avg", orm.Avg("views"), _avg_int)
            add("avg_price", orm.Avg("price"), _avg_price)
            add("min_day", orm.Min("day"), _extreme("day", min))
            add("max_price", orm.Max("price"), _extreme("price", max))
        # no order: the whole partition
        for label, expr, fn in (
            ("count_all", orm.Count("*"), lambda p, i, f, s: len(f)),
            ("sum_all", orm.Sum("views"), _sum("views")),
            ("avg_price_all", orm.Avg("price"), _avg_price),
            ("max_views_all", orm.Max("views"), _extreme("views", max)),
        ):
            cases.append((f"{label}/{partition}", W(expr, partition_by=pby), partition, [], fn))
        by_title: Order = [("title", True), ("views", False)]
        for label, expr, fn in (
            ("row_number_title", orm.RowNumber(), lambda p, i, f, s: i + 1),
            ("last_title", orm.LastValue("title"), lambda p, i, f, s: f[-1].title),
        ):
            window = W(expr, partition_by=pby, order_by=["-title", "views"])
            cases.append((f"{label}/{partition}", window, partition, by_title, fn))
    return cases


def _typed(value: Any) -> Any:
    return (type(value).__name__, str(value))


def _compare(label: str, found: dict[int, Any], expected: dict[int, Any]) -> list[Any]:
    bad = {i: (found.get(i), v) for i, v in expected.items() if _typed(found.get(i)) != _typed(v)}
    return [(label, bad)] if bad or set(found) != set(expected) else []


async def test_windows_match_python_on_every_database(url: str, dialect: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        cases = _cases()
        mismatches = []
        for label, window, partition, order, fn in cases:  # each alone
            found = dict(await Scored.all().annotate(w=window).values_list("id", "w"))
            mismatches += _compare(label, found, reference(ROWS, partition, order, fn))
        # together, sharing sorts: the windows over one partition
        grouped = [case for case in cases if case[2] == "grp"]
        query = Scored.all().annotate(**{f"w{n}": case[1] for n, case in enumerate(grouped)})
        rows = await query.values("id", *(f"w{n}" for n in range(len(grouped))))
        for n, (label, _, partition, order, fn) in enumerate(grouped):
            found = {r["id"]: r[f"w{n}"] for r in rows}
            mismatches += _compare(
                f"together {label}", found, reference(ROWS, partition, order, fn)
            )
        assert not mismatches, mismatches
        # on instances, after a filter (the window reads the filtered rows), and sliced
        ranked = Scored.filter(grp="a").annotate(
            r=W(orm.Rank(), partition_by=[F("grp")], order_by=[F("views").desc(nulls_last=True)])
        )
        rows = await ranked.order_by("id")
        a_rows = [r for r in ROWS if r.grp == "a"]
        want = reference(a_rows, "grp", BY_VIEWS, _rank)
        assert [(r.id, r.r) for r in rows] == sorted(want.items())  # type: ignore[attr-defined]
        top = await ranked.order_by("r", "id")[:2].values_list("id", "r")
        assert top == sorted(((i, r) for i, r in want.items()), key=lambda x: (x[1], x[0]))[:2]
        assert await Scored.filter(views__lt=-1).annotate(r=W(orm.RowNumber(), order_by="id")) == []
        assert await ranked.count() == len(a_rows)
        # arithmetic on a window, and a window over an annotation
        shifted = Scored.all().annotate(
            v2=F("views") * 2, r=W(orm.Sum("v2"), partition_by="grp") + 1
        )
        sums = dict(await shifted.values_list("id", "r"))
        total = reference(ROWS, "grp", [], _sum("views"))
        assert sums == {i: (None if t is None else 2 * t + 1) for i, t in total.items()}
        doubled = Scored.all().annotate(
            v2=F("views") * 2, before=W(orm.Lag("v2", 1, -1), partition_by="grp", order_by="v2")
        )
        previous = reference(ROWS, "grp", [("views", False)], _shift("views", -1, None))
        first = reference(ROWS, "grp", [("views", False)], lambda p, i, f, s: i == 0)
        assert dict(await doubled.values_list("id", "before")) == {
            i: -1 if first[i] else (None if v is None else 2 * v) for i, v in previous.items()
        }


async def test_the_readme_shape_with_relations(url: str) -> None:
    async with opened(url):
        ann, bo = await Author.create(name="ann"), await Author.create(name="bo")
        for title, author, views in (
            ("p1", ann, 5),
            ("p2", ann, 9),
            ("p3", ann, 5),
            ("p4", bo, 1),
        ):
            await Post.create(title=title, author=author, views=views)
        ranked = Post.all().annotate(
            rank=orm.Window(
                orm.Rank(), partition_by=[orm.F("author")], order_by=[orm.F("views").desc()]
            ),
            by_name=orm.Window(orm.DenseRank(), order_by=["author__name"]),
        )
        found = {p.title: (p.rank, p.by_name) for p in await ranked}  # type: ignore[attr-defined]
        assert found == {"p1": (2, 1), "p2": (1, 1), "p3": (2, 1), "p4": (1, 2)}
        numbered = W(orm.RowNumber(), order_by="name")
        for repeated in (
            Author.all().annotate(n=W(orm.Count("posts"))),
            Author.filter(posts__views__gt=1).annotate(n=numbered),
            Author.all().annotate(n=W(orm.RowNumber(), order_by="posts__views")),
        ):
            with pytest.raises(FieldError, match="to-many"):
                await repeated
        kept = Author.filter(orm.Exists(Post.filter(author=orm.OuterRef("pk"), views__gt=1)))
        assert await kept.annotate(n=numbered).values_list("name", "n") == [("ann", 1)]


class Evil(str):
    def __str__(self) -> str:
        raise RuntimeError("lied")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("lied")

    def __hash__(self) -> int:
        raise RuntimeError("lied")


class LyingList(list[Any]):
    def __iter__(self) -> Any:
        raise RuntimeError("lied")

    def __len__(self) -> int:
        raise RuntimeError("lied")


class LyingInt(int):
    def __int__(self) -> int:
        return 99

    def __repr__(self) -> str:
        raise RuntimeError("lied")


async def test_bad_windows_are_field_errors(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        R = orm.Rank()
        cases: dict[str, tuple[Callable[[], Any], str]] = {
            "unknown order": (lambda: Scored.all().annotate(x=W(R, order_by=["viewz"])), "views"),
            "unknown partition": (
                lambda: Scored.all().annotate(x=W(R, partition_by=["grpp"], order_by="id")),
                "grp",
            ),
            "injection": (
                lambda: Scored.all().annotate(
                    x=W(R, partition_by=['grp"; DROP TABLE x; --'], order_by="id")
                ),
                "field",
            ),
            "two dashes": (lambda: Scored.all().annotate(x=W(R, order_by="--views")), "'-'"),
            "offset str": (lambda: orm.Lag("views", offset="1"), "offset"),
            "offset negative": (lambda: orm.Lag("views", offset=-1), "offset"),
            "offset zero": (lambda: orm.Lead("views", 0), "offset"),
            "offset bool": (lambda: orm.Lead("views", True), "offset"),
            "offset float": (lambda: orm.Lag("views", 1.0), "offset"),
            "offset huge": (lambda: orm.Lag("views", 2**40), "large"),
            "ntile zero": (lambda: orm.Ntile(0), "num_buckets"),
            "nth none": (lambda: orm.NthValue("views", None), "nth"),
            "not an expression": (lambda: W("views"), "window function"),
            "an F": (lambda: W(F("views")), "window function"),
            "an object": (lambda: W(object()), "window function"),
            "partition value": (lambda: W(R, partition_by=[1]), "partition_by"),
            "order object": (lambda: W(R, order_by=[object()]), "order_by"),
            "frame": (lambda: W(orm.Sum("views"), frame=("rows", None, 0)), "frame"),
            "no order": (lambda: W(orm.RowNumber()), "order_by"),
            "rank no order": (lambda: W(orm.Rank(), partition_by="grp"), "order_by"),
            "lag no order": (lambda: W(orm.Lag("views"), partition_by="grp"), "order_by"),
            "distinct": (lambda: W(orm.Count("views", distinct=True)), "distinct"),
            "filter": (lambda: W(orm.Count("views", filter=orm.Q(views__gt=1))), "filter"),
            "bare function": (lambda: Scored.all().annotate(x=orm.Rank()), "inside Window"),
            "sum floats": (lambda: Scored.all().annotate(x=W(orm.Sum("ratio"))), "floats"),
            "avg floats": (lambda: Scored.all().annotate(x=W(orm.Avg("ratio"))), "floats"),
            "min text": (lambda: Scored.all().annotate(x=W(orm.Min("title"))), "Min/Max"),
            "sum text": (lambda: Scored.all().annotate(x=W(orm.Sum("title"))), "number"),
            "lag mixed": (
                lambda: Scored.all().annotate(x=W(orm.Lag("views", 1, 0.5), order_by="id")),
                "int",
            ),
            "lag text default": (
                lambda: Scored.all().annotate(
                    x=W(orm.Lag("views", 1, orm.Value("x")), order_by="id")
                ),
                "same type",
            ),
            "filtered with Exists": (  # a filter on a window alone: orm.window_filters
                lambda: (
                    Scored.all()
                    .annotate(x=W(R, order_by="views"))
                    .filter(orm.Q(x=1) | orm.Q(orm.Exists(Scored.filter(views=1))))
                ),
                "Exists",
            ),
            "grouped": (
                lambda: Scored.all().annotate(n=orm.Count("id"), x=W(R, order_by="views")),
                "aggregate",
            ),
            "aggregate inside": (
                lambda: Scored.all().annotate(x=W(R, order_by=[orm.Sum("views")])),
                "aggregate",
            ),
            "nested": (
                lambda: Scored.all().annotate(x=W(orm.Lag(W(R, order_by="id")), order_by="id")),
                "window inside",
            ),
            "summed window": (
                lambda: Scored.all().annotate(x=orm.Sum(W(R, order_by="id"))),
                "window",
            ),
            "nulls last ascending": (lambda: F("views").asc(nulls_last=True), "smallest"),
            "nulls first descending": (lambda: F("views").desc(nulls_first=True), "smallest"),
            "nulls truthy": (lambda: F("views").asc(nulls_first=1), "smallest"),
            "order a value": (lambda: orm.Value(1).desc(), "expression"),
            "hostile name": (lambda: W(R, order_by=[Evil("views")]), ""),
            "hostile offset": (lambda: orm.Lag("views", LyingInt(-3)), "offset"),
            "hostile list": (
                lambda: Scored.all().annotate(x=W(R, order_by=LyingList(["viewz"]))),
                "did you mean",
            ),
        }
        mistakes = await refusal_mistakes(cases, may_pass=frozenset({"hostile name"}))
        assert not mistakes, mistakes
        with pytest.raises(FieldError, match="did you mean 'views'"):
            await Scored.all().annotate(x=W(R, order_by=["viewz"]))
        windowed = Scored.all().annotate(x=W(orm.Rank(), order_by="views"))
        with pytest.raises(FieldError, match="window"):
            await windowed.aggregate(total=orm.Sum("x"))
        with pytest.raises(FieldError, match="aggregate"):
            await Scored.all().aggregate(total=W(orm.Sum("views")))  # type: ignore[arg-type]
        with pytest.raises(FieldError, match="window"):
            await Scored.all().update(views=W(orm.RowNumber(), order_by="id"))
        assert sorted(await Scored.values_list("views", flat=True), key=str) == sorted(
            (r.views for r in ROWS), key=str
        )


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_a_cancelled_window_query_leaves_the_pool(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db, own_tables(Scored):
        await _fill()
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        window = W(orm.RowNumber(), partition_by="grp", order_by=["-views"])
        expected = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)

        async def work() -> Any:
            first = dict(await Scored.all().annotate(n=window).values_list("id", "n"))
            ranks = [s.n for s in await Scored.all().annotate(n=window).order_by("id")]
            return first, ranks

        async def check(outcome: str, result: Any) -> None:
            if outcome == "ok":
                assert result == (expected, [expected[i] for i in sorted(expected)])
            found = dict(await Scored.all().annotate(n=window).values_list("id", "n"))
            assert found == expected

        await _cancel_each_step(db, how, trap, work, check)


def test_window_sql_is_one_shape(dialect: str) -> None:
    """The order terms spell NULL as the smallest value on PostgreSQL, and order text by code
    point there; counts and offsets are written, not bound."""
    query = Scored.all().annotate(
        n=W(orm.Lag("views", 2), partition_by="grp", order_by=[F("day").desc()])
    )
    text, params = query.compile(dialect)
    assert "LAG(" in text and "OVER (PARTITION BY" in text and ", 2)" in text
    if dialect == "postgres":
        assert "DESC NULLS LAST" in text
    assert params == []
    by_title = Scored.all().annotate(n=W(orm.Rank(), order_by="title")).compile(dialect)[0]
    # whatever the database's collation, text in code point order
    assert ('COLLATE "C"' in by_title) is (dialect == "postgres")


async def test_windows_mariadb_would_mix_up_are_refused_there(url: str, dialect: str) -> None:
    """MariaDB 10.11 read ``Count`` over (grp, views ORDER BY -id) in the sort of the
    ``RowNumber`` beside it (both start like the ``Count`` over grp): refused there, answered
    elsewhere."""
    async with opened(url), own_tables(Scored):
        await _fill()
        query = Scored.all().annotate(
            a=W(orm.Count("*"), partition_by=["grp", "views"], order_by=["-id"]),
            c=W(orm.Count("*"), partition_by="grp"),
            b=W(orm.RowNumber(), partition_by="grp", order_by=["views", "-day"]),
        )
        if dialect == "mysql":
            with pytest.raises(FieldError, match="MariaDB"):
                await query
            return
        rows = await query.values("id", "a", "b", "c")

        def running(part: list[Row], i: int, frame: list[Row], peers: list[int]) -> int:
            return sum(1 for r in frame if r.views == part[i].views)

        expected = {
            "a": reference(ROWS, "grp", [("views", False), ("id", True)], running),
            "b": reference(
                ROWS, "grp", [("views", False), ("day", True)], lambda p, i, f, s: i + 1
            ),
            "c": reference(ROWS, "grp", [], lambda p, i, f, s: len(p)),
        }
        assert {k: {r["id"]: r[k] for r in rows} for k in expected} == expected
