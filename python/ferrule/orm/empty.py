"""``QuerySet.none()``: a queryset that matches no row, answered without a statement.

Django's answers: every read is empty (``[]``, ``first()`` None, ``get()``/``latest()``
``DoesNotExist``, an index ``IndexError``), ``count()`` 0, ``exists()`` False, ``update()`` and
``delete()`` 0, ``in_bulk()`` ``{}``, ``aggregate()`` None per key but 0 for a ``Count``.
Chaining keeps it empty (an `EmptyQuerySet` copies as one). ``explain()`` is an ``ORMError``:
there is no statement, so no plan (Django fails there too, with an accidental IndexError).

It runs the same code as any queryset, on a stand-in database (`Nothing`) that holds no row and
sends nothing: so every name, lookup and value is checked as the query would check it (a typo
is the same ``FieldError``), in the dialect of the database the query would have run on (SQLite
when none is open). The one statement it may send: ``aggregate()`` of an expression over
aggregates (``Count("id") + 1``), whose value over no rows is the database's to compute, runs
over no rows (``WHERE 1 = 0``), as Django runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import Self

from ferrule.backends.defaults import default_database
from ferrule.errors import ORMError
from ferrule.orm import django_spellings, explaining, writes
from ferrule.orm.databases import checked_database
from ferrule.orm.expressions import Aggregate
from ferrule.orm.queryset import QuerySet

if TYPE_CHECKING:
    from ferrule.orm.expressions import Q

__all__ = ["EmptyQuerySet", "Nothing", "emptied"]

M = TypeVar("M")


class Nothing:
    """A database with no rows that sends nothing: what an `EmptyQuerySet` runs on. It keeps
    the database the query would have used (``real``: None for the default) for its dialect."""

    __slots__ = ("real",)

    def __init__(self, real: Any) -> None:
        self.real = real

    @property
    def dialect(self) -> str:
        db = self.real if self.real is not None else default_database()
        return "sqlite" if db is None else str(db.dialect)

    def in_transaction(self) -> bool:
        return True  # never served from (nor stored in) the query cache

    def _instances(self, sql: str, args: Any, model: Any, plan: Any) -> None:
        return None  # the caller then asks `_text`

    async def _text(self, op: str, sql: str, params: Any, *extra: Any) -> list[Any]:
        return []

    async def fetch_tuples(self, query: Any, params: Any = None) -> list[Any]:
        return []

    async def fetch_all(self, query: Any, params: Any = None) -> list[Any]:
        return []

    async def fetch_one(self, query: Any, params: Any = None) -> None:
        return None

    async def iterate(
        self, /, query: Any, params: Any = None, **options: Any
    ) -> AsyncIterator[Any]:
        return
        yield

    def __repr__(self) -> str:
        return "<no rows>"


class EmptyQuerySet(QuerySet[M]):
    """What ``none()`` returns (``isinstance(qs, orm.EmptyQuerySet)`` tells it, as in
    Django): a `QuerySet` whose every answer is that of no rows."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<EmptyQuerySet {self._model.__name__}>"

    def using(self, db: Any) -> QuerySet[M]:
        if db is None:
            return self
        return self._clone("_db", Nothing(checked_database(db, f"{self._model.__name__}.using()")))

    def none(self) -> Self:
        return self._clone()  # type: ignore[return-value]

    async def count(self) -> int:
        self._select(self._db.dialect)  # every name checked, as the query would
        return 0

    async def aggregate(self, /, *unnamed: Aggregate, **aggregates: Aggregate) -> dict[str, Any]:
        aggregates = django_spellings.default_names(unnamed, aggregates)  # aggregate(Avg("x"))
        found = await super().aggregate(**aggregates)  # checked, over no row: all None
        out: dict[str, Any] = {}
        computed: dict[str, Aggregate] = {}
        for name, value in aggregates.items():
            if isinstance(value, Aggregate):  # Count over no row: 0; the others: None
                out[name] = 0 if value.function == "count" else found[name]
            else:  # an expression over aggregates: the database's answer over no rows
                computed[name] = value
        if computed:
            real = self._clone("_where", (*self._where, _NO_ROW))
            real.__class__ = QuerySet
            real._db = self._db.real
            over_none = await real.aggregate(**computed)
            out = {name: out[name] if name in out else over_none[name] for name in aggregates}
        return out

    async def explain(self, **options: Any) -> str:
        """An ``ORMError``: no statement is sent, so there is no plan ("" read as one)."""
        explaining.prefix(self._model.__name__, self._db.dialect, options)  # checked first
        self._select(self._db.dialect)  # every name checked, as the query would
        raise ORMError(
            f"{self._model.__name__}: none() matches no row without sending a query, so it "
            "has no plan to explain: explain() the queryset before none()"
        )

    async def update(self, /, **values: Any) -> int:
        db = self._db
        writes.assignments(self, db.dialect, values)
        await writes.target_keys(self, db)
        return 0

    async def delete(self) -> int:
        await writes.target_keys(self, self._db)
        return 0


def _no_row() -> Q:
    from ferrule.orm.expressions import Q

    return Q(pk__in=[])  # `1 = 0` (compiler: an empty IN matches nothing)


_NO_ROW = _no_row()


def emptied(qs: QuerySet[M]) -> QuerySet[M]:
    """``qs.none()``: ``qs`` as an `EmptyQuerySet` on a `Nothing` in place of its database."""
    out = qs._clone()
    out.__class__ = EmptyQuerySet
    out._db = Nothing(qs._db)
    return out
