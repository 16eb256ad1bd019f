"""Filters on window annotations (``orm.window_filters``): each lookup, ``exclude()``, ``Q``
with ``&``, filters on fields before the windows wherever they come in the chain, and what
reads the rows (count, exists, first, slices, order_by a window, values, aggregate, update,
delete), checked against the windows computed in Python from the rows and then filtered, on
SQLite, PostgreSQL and MariaDB. Mixed OR, expressions as values and hostile values are
``FieldError``s; cancelled at each await point, a window-filtered query leaves the pool sound."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables
from .models import Author, Post
from .test_query_cancellation import _cancel_each_step, _skip_in_flight, _trap
from .test_window import (
    BY_VIEWS,
    ROWS,
    Order,
    Row,
    Scored,
    _fill,
    _shift,
    _sum,
    reference,
)

W, F, Q = orm.Window, orm.F, orm.Q

#: (label, annotation, partition, order, reference function, values to compare with)
CASES: list[tuple[str, Any, str | None, Order, Callable[..., Any], list[Any]]] = [
    (
        "row_number",
        W(orm.RowNumber(), partition_by="grp", order_by=["-views"]),
        "grp",
        BY_VIEWS,
        lambda p, i, f, s: i + 1,
        [1, 2, 3],
    ),
    (
        "lag",
        W(orm.Lag("views"), partition_by=["grp"], order_by=[F("views").desc()]),
        "grp",
        BY_VIEWS,
        _shift("views", -1),
        [7, 10, 2**40 + 1],
    ),
    (
        "running_sum",
        W(orm.Sum("views"), order_by=[F("views").desc()]),
        None,
        BY_VIEWS,
        _sum("views"),
        [2**41 + 1, 2**41 + 30],
    ),
]

LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda v, x: v == x,
    "lt": lambda v, x: v < x,
    "lte": lambda v, x: v <= x,
    "gt": lambda v, x: v > x,
    "gte": lambda v, x: v >= x,
}


def _conditions(values: list[Any]) -> list[tuple[str, Any, Callable[[Any], bool]]]:
    """(lookup, value, test of a window value) for one case's values."""
    out: list[tuple[str, Any, Callable[[Any], bool]]] = []
    for lookup, test in LOOKUPS.items():
        for x in values:
            out.append((lookup, x, lambda v, x=x, t=test: v is not None and t(v, x)))
    low, high = values[0], values[-1]
    out.append(("in", [low, high, None], lambda v: v in (low, high)))
    out.append(("range", (low, high), lambda v: v is not None and low <= v <= high))
    out.append(("isnull", True, lambda v: v is None))
    out.append(("isnull", False, lambda v: v is not None))
    return out


def _expected(
    keep_row: Callable[[Row], bool],
    partition: str | None,
    order: Order,
    fn: Callable[..., Any],
    test: Callable[[Any], bool],
) -> dict[int, Any]:
    """The window over the rows ``keep_row`` keeps, then the rows whose value ``test`` keeps."""
    computed = reference([r for r in ROWS if keep_row(r)], partition, order, fn)
    return {i: v for i, v in computed.items() if test(v)}


async def test_window_filters_match_python_on_every_database(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        mistakes: list[Any] = []
        checked = 0
        for label, window, partition, order, fn, values in CASES:
            base = Scored.all().annotate(w=window)
            for lookup, value, test in _conditions(values):
                where = f"{label} w__{lookup}={value!r}"
                chosen = base.filter(**{f"w__{lookup}": value})
                found = dict(await chosen.values_list("id", "w"))
                want = _expected(lambda r: True, partition, order, fn, test)
                if found != want:
                    mistakes.append((where, found, want))
                if lookup != "isnull":  # the complement, NULLs kept
                    left = dict(
                        await base.exclude(**{f"w__{lookup}": value}).values_list("id", "w")
                    )
                    kept = _expected(
                        lambda r: True, partition, order, fn, lambda v, t=test: not t(v)
                    )
                    if left != kept:
                        mistakes.append((f"exclude {where}", left, kept))
                # a filter on a field, after it in the chain: before the window all the same
                later = chosen.filter(views__gte=7)
                within = _expected(
                    lambda r: r.views is not None and r.views >= 7, partition, order, fn, test
                )
                got = {s.id: s.w for s in await later}  # type: ignore[attr-defined]
                if got != within:
                    mistakes.append((f"then views>=7 {where}", got, within))
                if await later.count() != len(within) or await later.exists() != bool(within):
                    mistakes.append((f"count/exists {where}", await later.count(), len(within)))
                checked += 1
        assert not mistakes, mistakes[:3]
        assert checked == sum(len(_conditions(c[5])) for c in CASES)


async def test_reading_the_rows_of_a_window_filter(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        rank = W(orm.RowNumber(), partition_by="grp", order_by=["-views"])
        numbers = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        top = Scored.all().annotate(r=rank).filter(r__lte=2)
        want = {i: n for i, n in numbers.items() if n <= 2}
        by_rank = sorted(want, key=lambda i: (want[i], -i))  # order_by("r", "-id")
        ordered = top.order_by("r", "-id")
        assert [s.id for s in await ordered] == by_rank  # type: ignore[attr-defined]
        assert await ordered.values_list("id", flat=True) == by_rank
        assert await ordered[1:4].values_list("id", flat=True) == by_rank[1:4]
        assert (await ordered.first()).id == by_rank[0]  # type: ignore[union-attr]
        assert (await ordered.last()).id == by_rank[-1]  # type: ignore[union-attr]
        assert (await top.first()).id == min(want)  # type: ignore[union-attr]
        assert (await ordered[2]).id == by_rank[2]
        assert await top.count() == len(want)
        assert await top.order_by("-r")[:3].count() == 3
        assert await top.filter(r__gt=5).exists() is False
        # the window alias not selected: ordered by it all the same
        assert await top.order_by("-r", "id").values("id") == [
            {"id": i} for i in sorted(want, key=lambda i: (-want[i], i))
        ]
        rows = await top.order_by("id").values()
        assert [(r["id"], r["r"]) for r in rows] == sorted(want.items())
        assert {s.id async for s in top.iterator(chunk_size=2)} == set(want)
        # Q with &, OR of window conditions, and the mixed OR refused
        both = top.filter(Q(r__gte=2) & Q(grp="a"))
        grp_a = reference([r for r in ROWS if r.grp == "a"], "grp", BY_VIEWS, lambda *a: a[1] + 1)
        assert sorted(await both.values_list("id", flat=True)) == sorted(
            i for i, n in grp_a.items() if n == 2
        )
        either = Scored.all().annotate(r=rank).filter(Q(r=1) | Q(r__gte=3))
        assert sorted(await either.values_list("id", flat=True)) == sorted(
            i for i, n in numbers.items() if n == 1 or n >= 3
        )
        # an OR/NOT mixing both kinds: computed after the windows (over every row the ANDed
        # filters keep), the fields read from the row as the window saw it; NULL makes a
        # condition false
        row = {r.id: r for r in ROWS}

        def below(i: int, n: int) -> bool:
            return row[i].views is not None and row[i].views < n  # type: ignore[operator]

        mixes: list[tuple[Any, Callable[[int, dict[int, int]], bool]]] = [
            (Q(r=1) | Q(grp="a"), lambda i, n: n[i] == 1 or row[i].grp == "a"),
            (~Q(r=1, grp="a"), lambda i, n: not (n[i] == 1 and row[i].grp == "a")),
            (~(Q(r=1) & Q(views__lt=8)), lambda i, n: not (n[i] == 1 and below(i, 8))),
            (
                Q(r__gte=3) | Q(views__lt=8, grp__in=["a", "b"]),
                lambda i, n: n[i] >= 3 or (below(i, 8) and row[i].grp in ("a", "b")),
            ),
        ]
        some = [r for r in ROWS if r.views is not None]
        narrowed = reference(some, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        for mixed, keep in mixes:
            alone = Scored.all().annotate(r=rank).filter(mixed).order_by("id")
            found = await alone.values_list("id", flat=True)
            assert found == sorted(i for i in numbers if keep(i, numbers)), mixed
            # a field filter ANDed to it narrows the rows first
            both = alone.filter(views__isnull=False)
            found = await both.values_list("id", flat=True)
            assert found == sorted(i for i in narrowed if keep(i, narrowed)), mixed
        # aggregate() over the rows kept
        found = await top.aggregate(total=orm.Sum("views"), most=orm.Max("r"), n=orm.Count("*"))
        views = [r.views for r in ROWS if r.id in want and r.views is not None]
        assert found == {"total": sum(views), "most": 2, "n": len(want)}


async def test_update_and_delete_write_the_rows_after_the_window(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        rank = W(orm.RowNumber(), partition_by="grp", order_by=["-views"])
        numbers = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        changed = await Scored.all().annotate(r=rank).filter(r=1).update(title="best")
        best = {i for i, n in numbers.items() if n == 1}
        assert changed == len(best)
        assert set(await Scored.filter(title="best").values_list("id", flat=True)) == best
        gone = await Scored.all().annotate(r=rank).filter(r__gt=2).delete()
        assert gone == sum(1 for n in numbers.values() if n > 2)
        left = await Scored.order_by("id").values_list("id", flat=True)
        assert left == sorted(i for i, n in numbers.items() if n <= 2)
        with pytest.raises(FieldError, match="locked"):
            async with orm.transaction():  # (outside one, any lock is refused first)
                await Scored.all().annotate(r=rank).filter(r=1).select_for_update()


async def test_window_filters_with_relations(url: str) -> None:
    async with opened(url):
        ann, bo = await Author.create(name="ann"), await Author.create(name="bo")
        posts = [("p1", ann, 5), ("p2", ann, 9), ("p3", ann, 7), ("p4", bo, 1), ("p5", bo, 3)]
        for title, author, views in posts:
            await Post.create(title=title, author=author, views=views)
        best = Post.all().annotate(
            r=W(orm.RowNumber(), partition_by=["author"], order_by=["-views", "title"])
        )
        kept = best.filter(r__lte=2).order_by("author__name", "-views")
        assert await kept.values_list("title", "author__name", "r") == [
            ("p2", "ann", 1),
            ("p3", "ann", 2),
            ("p5", "bo", 1),
            ("p4", "bo", 2),
        ]
        # a filter through the relation applies before the window
        assert await best.filter(r=2, author__name="bo").values_list("title", flat=True) == ["p4"]
        assert await best.filter(r=1).select_related("author").order_by("title").values_list(
            "title", flat=True
        ) == ["p2", "p5"]
        either = best.filter(Q(r=1) | Q(author__name="bo")).order_by("title")
        assert await either.values_list("title", flat=True) == ["p2", "p4", "p5"]
        joined = await best.filter(r=1).select_related("author").order_by("title")
        assert [p.author.name for p in joined] == ["ann", "bo"]


class Lying:
    def __eq__(self, other: object) -> bool:
        return True

    def __index__(self) -> int:
        return 1

    def __int__(self) -> int:
        return 1

    __hash__ = object.__hash__


class LyingInt(int):
    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 99

    def __le__(self, other: object) -> bool:
        raise RuntimeError("lied")


async def test_bad_window_filters_are_field_errors(url: str) -> None:
    async with opened(url), own_tables(Scored):
        await _fill()
        ranked = Scored.all().annotate(r=W(orm.RowNumber(), order_by="id"))
        for bad, words in (
            (ranked.filter(r__lte=F("views") + 1), "compared with values"),
            (ranked.filter(r__in=[1, orm.Value(2)]), "compared with values"),
            (ranked.filter(r__lte=F("price")), "each database compares"),
            (ranked.filter(r__gt=F("day")), "each database compares"),
            (ranked.filter(r__lte=F("viewz")), "views"),
            (ranked.filter(r__lte=Lying()), "compares with"),
            (ranked.filter(r__in=[Lying()]), "compares with"),
            (ranked.filter(r__lte="3"), "compares with"),
            (ranked.filter(r__lte=True), "compares with"),
            (ranked.filter(r__contains=1), "lookups"),
            (ranked.filter(r__isnull=1), "True or False"),
            (ranked.filter(Q(r=1) | Q(day__year=2024)), "date part"),
            (ranked.filter(Q(r=1) | Q(views=F("id"))), "expression"),
            (ranked.filter(Q(r=1) | Q(orm.Exists(Scored.filter(id=1)))), "Exists"),
            (ranked.filter(Q(r=1) | Q(viewz=1)), "views"),
        ):
            with pytest.raises(FieldError, match=words):
                await bad
        # an int subclass is the number it holds
        assert (
            await ranked.filter(r__lte=LyingInt(2)).order_by("id").values_list("id", flat=True)
            == sorted(r.id for r in ROWS)[:2]
        )


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_a_cancelled_window_filter_leaves_the_pool(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db, own_tables(Scored):
        await _fill()
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        ranked = (
            Scored.all()
            .annotate(n=W(orm.RowNumber(), partition_by="grp", order_by=["-views"]))
            .filter(n__lte=2)
        )
        numbers = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        expected = {i: n for i, n in numbers.items() if n <= 2}

        async def work() -> Any:
            first = dict(await ranked.values_list("id", "n"))
            return first, await ranked.count()

        async def check(outcome: str, result: Any) -> None:
            if outcome == "ok":
                assert result == (expected, len(expected))
            assert dict(await ranked.values_list("id", "n")) == expected

        await _cancel_each_step(db, how, trap, work, check)


async def test_window_filters_compose(url: str) -> None:
    """Aliases of a window, arithmetic on one, only(), a subquery of a window filter, a
    union, the query cache and a frame: the same rows as computed in Python."""
    async with opened(url), own_tables(Scored):
        await _fill()
        rank = W(orm.RowNumber(), partition_by="grp", order_by=["-views"])
        numbers = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        ones = sorted(i for i, n in numbers.items() if n == 1)
        views = {r.id: r.views for r in ROWS}
        aliased = Scored.all().annotate(r=rank, s=F("r")).filter(s__lte=1).order_by("id")
        assert await aliased.values_list("id", "s") == [(i, 1) for i in ones]
        shifted = Scored.all().annotate(s=rank + 10).filter(s__lte=11).order_by("id")
        assert await shifted.values_list("id", "s") == [(i, 11) for i in ones]
        base = Scored.all().annotate(r=rank)
        deferred = await base.only("title").filter(r=1).order_by("views", "id")
        by_views = sorted(ones, key=lambda i: (views[i] is not None, views[i] or 0, i))
        assert [s.id for s in deferred] == by_views
        inside = Scored.filter(pk__in=base.filter(r=1)).order_by("id")
        assert await inside.values_list("id", flat=True) == ones
        either = (
            base.filter(r=1)
            .values_list("id", flat=True)
            .union(Scored.filter(id=1).values_list("id", flat=True))
        )
        assert sorted(await either) == sorted({*ones, 1})
        assert await base.filter(r=1).cached().order_by("id").values_list("id", flat=True) == ones
        framed = Scored.all().annotate(
            s=W(orm.Sum("views"), order_by="id", frame=orm.RowRange(-1, 0))
        )
        by_id = sorted(ROWS, key=lambda r: r.id)
        sums = {}
        for n, row in enumerate(by_id):
            near = [r.views for r in by_id[max(0, n - 1) : n + 1] if r.views is not None]
            sums[row.id] = sum(near) if near else None
        found = await framed.filter(s__gt=20).order_by("id").values_list("id", "s")
        assert found == [(i, s) for i, s in sorted(sums.items()) if s is not None and s > 20]


async def test_a_window_filter_in_a_subquery(url: str, dialect: str) -> None:
    """The fields' filters, an ``OuterRef`` among them, apply before the window: the top row
    of the outer row's group. MariaDB's derived tables cannot read the outer query."""
    async with opened(url), own_tables(Scored):
        await _fill()
        rank = W(orm.RowNumber(), partition_by="grp", order_by=["-views"])
        top = Scored.all().annotate(r=rank).filter(r=1, grp=orm.OuterRef("grp")).values("id")
        query = Scored.all().annotate(best=orm.Subquery(top[:1])).values_list("id", "best")
        if dialect == "mysql":
            with pytest.raises(FieldError, match="MariaDB"):
                await query
            return
        numbers = reference(ROWS, "grp", BY_VIEWS, lambda p, i, f, s: i + 1)
        first = {r.grp: r.id for r in ROWS if numbers[r.id] == 1 and r.grp is not None}
        assert dict(await query) == {r.id: first.get(r.grp) for r in ROWS}  # type: ignore[arg-type]


async def test_a_window_compared_with_a_field(url: str) -> None:
    """``F()`` of a field or of another annotation, read from the derived table: filter and
    exclude (the complement of filter: it keeps the rows where either side is NULL, as for
    other annotations and fields)."""
    async with opened(url), own_tables(Scored):
        await _fill()
        before = W(orm.Lag("views"), partition_by="grp", order_by=[F("views").desc()])
        lags = reference(ROWS, "grp", BY_VIEWS, _shift("views", -1))
        views = {r.id: r.views for r in ROWS}
        query = Scored.all().annotate(w=before)
        for lookup, test in LOOKUPS.items():
            found = await query.filter(**{f"w__{lookup}": F("views")}).values_list("id", flat=True)
            want = [
                i
                for i, v in lags.items()
                if v is not None and views[i] is not None and test(v, views[i])
            ]
            assert sorted(found) == sorted(want), lookup
            left = await query.exclude(**{f"w__{lookup}": F("views")}).values_list("id", flat=True)
            kept = [
                i for i, v in lags.items() if v is None or views[i] is None or not test(v, views[i])
            ]
            assert sorted(left) == sorted(kept), f"exclude {lookup}"
        # another annotation, not selected: read all the same
        doubled = query.annotate(v2=F("views") * 2).filter(w__gte=F("v2")).values("id")
        assert sorted(r["id"] for r in await doubled) == sorted(
            i
            for i, v in lags.items()
            if v is not None and views[i] is not None and v >= 2 * views[i]  # type: ignore[operator]
        )
