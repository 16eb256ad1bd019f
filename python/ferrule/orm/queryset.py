"""``QuerySet``: a lazy, immutable, chainable query of one model. Every method returns a new
QuerySet; awaiting one runs it (``await Author.filter(name="x")`` is a list).

A QuerySet compiles through ``ferrule.sql`` (shape-cached there), runs on the model's
database (``using``, else the default) and turns rows into instances in one pass
(``orm.loading``; a plain fetch of instances on SQLite has the driver build them straight from
the rows, ``Database._instances``)."""

from __future__ import annotations

import contextlib
import math
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable
from typing import Any, Generic, TypeVar

from ferrule import sql
from ferrule.backends.database import compile_query
from ferrule.backends.defaults import default_database
from ferrule.errors import FieldError, ORMError
from ferrule.models._core import PURE_PYTHON
from ferrule.orm import (
    cache,
    counting,
    django_spellings,
    ends,
    explaining,
    expression_order,
    expressions,
    in_bulk,
    loading,
    named,
    refs,
    related_fields,
    related_order,
    results,
    selecting,
    shapes,
    slices,
    streams,
    subqueries,
    writes,
)
from ferrule.orm.combining import Combining
from ferrule.orm.compiler import Scope, has_aggregate
from ferrule.orm.creating import Creating
from ferrule.orm.databases import checked_database, database_for
from ferrule.orm.date_lists import DateLists
from ferrule.orm.django_spellings import Spellings
from ferrule.orm.expressions import Aggregate, Q, plain_keywords
from ferrule.orm.named import annotated as annotated_names
from ferrule.orm.prefetching import Prefetch
from ferrule.orm.refusals import named_refusals
from ferrule.orm.relations import remember_database
from ferrule.orm.value_names import value_names

__all__ = ["QuerySet", "fresh"]

_new = object.__new__

M = TypeVar("M")

_STATE = (
    "_model",
    "_db",
    "_where",
    "_order",
    "_offset",
    "_limit",
    "_single",
    "_distinct",
    "_fields",
    "_related",
    "_related_fields",
    "_prefetch",
    "_values",
    "_flat",
    "_annotations",
    "_aliased",
    "_group",
    "_annotated_at",
    "_lock",
    "_validate",
    "_cache",
    "_key",
)


#: single order_by() names (plain str, not a subclass) that passed its checks
_CHECKED_ORDERS: set[str] = set()
_MAX_CHECKED = 1024


class QuerySet(Combining, DateLists, Spellings, Creating[M], Generic[M]):
    __slots__ = _STATE

    def __init__(self, model: type[M]) -> None:
        self._model: Any = model
        self._db: Any = None
        self._where: tuple[Q, ...] = ()
        self._order: tuple[str, ...] | None = None
        self._offset: int | None = None
        self._limit: int | None = None
        self._single = False
        self._distinct = False
        self._fields: tuple[str, ...] | None = None  # only()/defer(): the loaded fields
        self._related: tuple[str, ...] = ()
        #: only()/defer() of related fields: path -> the fields loaded (orm.related_fields)
        self._related_fields: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._prefetch: tuple[str | Prefetch, ...] = ()
        self._values: tuple[str, ...] | None = None
        self._flat: str | None = None  # None: instances; "dict", "tuple", "flat"
        self._annotations: dict[str, Any] = {}
        self._aliased: frozenset[str] = frozenset()  # alias(): annotations never read
        #: values() named before annotate(): the GROUP BY of the aggregates (None: the model's)
        self._group: tuple[str, ...] | None = None
        self._annotated_at: int | None = None  # how many filters preceded the first aggregate
        self._lock: tuple[bool, bool, bool] | None = None  # skip_locked, nowait, shared
        options: Any = getattr(model, "_meta").options  # noqa: B009 - any model class
        self._validate: bool = options.validate
        self._cache: float | None = options.cache
        #: the calls that made this QuerySet from ``Model.filter``/``Model.all``, as a flat
        #: tuple (``shapes.keyed``), or None: every other call (any ``_clone``) drops it
        self._key: tuple[Any, ...] | None = None

    def _clone(self, slot: str | None = None, value: Any = None) -> QuerySet[M]:
        """A copy, with the state ``slot`` (an attribute name) set to ``value`` when given
        (a chained call changes one thing; a call that changes more sets them on the copy)."""
        if _copy is not None and type(self) is QuerySet:
            out: QuerySet[M] = _copy(self)  # the same, member by member, in one native call
            out._key = None
            if slot is not None:
                setattr(out, slot, value)
            return out
        out = _new(type(self))  # an EmptyQuerySet copies as one (`orm.empty`)
        out._model = self._model
        out._db = self._db
        out._where = self._where
        out._order = self._order
        out._offset = self._offset
        out._limit = self._limit
        out._single = self._single
        out._distinct = self._distinct
        out._fields = self._fields
        out._related = self._related
        out._related_fields = self._related_fields
        out._prefetch = self._prefetch
        out._values = self._values
        out._flat = self._flat
        out._annotations = self._annotations
        out._aliased = self._aliased
        out._group = self._group
        out._annotated_at = self._annotated_at
        out._lock = self._lock
        out._validate = self._validate
        out._cache = self._cache
        out._key = None
        if slot is not None:
            setattr(out, slot, value)
        return out

    def __repr__(self) -> str:
        return f"<QuerySet {self._model.__name__}>"

    # -- building ---------------------------------------------------------------------------

    def using(self, db: Any) -> QuerySet[M]:
        """Run on ``db`` instead of the default database."""
        if db is None:
            return self
        return self._clone("_db", checked_database(db, f"{self._model.__name__}.using()"))

    def all(self) -> QuerySet[M]:
        return self._clone()

    def filter(self, /, *args: Q, **kwargs: Any) -> QuerySet[M]:
        """Keep rows matching every condition (``field__lookup=value``, ``Q`` objects)."""
        if not args and not kwargs:
            return self._clone()
        ends.unsliced(self, "filter")
        key = self._key
        if args or key is None or not plain_keywords(kwargs):
            return self._clone("_where", (*self._where, Q(*args, **kwargs)))
        out = self._clone("_where", (*self._where, Q.of_keywords(kwargs)))
        out._key = (*key, "f", tuple(kwargs))
        return out

    def exclude(self, /, *args: Q, **kwargs: Any) -> QuerySet[M]:
        ends.unsliced(self, "exclude", bool(args or kwargs))
        return self._clone("_where", (*self._where, ~Q(*args, **kwargs)))

    def reverse(self) -> QuerySet[M]:
        """Django's ``reverse()``: the ordering (``order_by()``'s, else ``Meta.ordering``)
        turned round; an unordered query stays unordered. Refused on a slice."""
        ends.unsliced(self, "reverse")
        order = self._order_names()
        if not order:
            return self._clone()
        return self.order_by(*(o[1:] if o.startswith("-") else f"-{o}" for o in order))

    def order_by(self, *names: Any) -> QuerySet[M]:
        """``order_by("-created", "title")``, or expressions (``orm.expression_order``:
        ``Case(...)``, ``F("a").desc()``); no names: unordered."""
        if self._limit is not None or self._offset:
            ends.unsliced(self, "order_by")  # raises
        if len(names) == 1 and type(names[0]) is str and names[0] in _CHECKED_ORDERS:
            key = self._key
            if _copy is not None and type(self) is QuerySet:  # `_clone`, written out
                out: QuerySet[M] = _copy(self)
                out._order = names
            else:
                out = self._clone("_order", names)  # one plain name, checked before
            out._key = None if key is None else (*key, "o", names)
            return out
        exact = []
        for name in names:
            if not isinstance(name, str):  # an expression, asc()/desc()
                return expression_order.ordered(self, names)
            text = str.__str__(name)  # the text a str subclass holds, whatever it overrides
            bare = text[1:] if text[:1] == "-" else text
            if not bare or bare[:1] == "-":
                raise FieldError(
                    f"order_by() takes a field name after at most one '-', not {text!r}"
                )
            if bare == "?":  # (rather than "no field '?'")
                raise FieldError(django_spellings.NO_RANDOM_ORDER.format(self._model.__name__))
            exact.append(text)
        if len(names) == 1 and type(names[0]) is str:
            if len(_CHECKED_ORDERS) >= _MAX_CHECKED:
                _CHECKED_ORDERS.clear()
            _CHECKED_ORDERS.add(names[0])
        out = self._clone("_order", tuple(exact))
        if self._key is not None:  # keyed by the order it keeps (plain texts)
            out._key = (*self._key, "o", out._order)
        return out

    def limit(self, count: int) -> QuerySet[M]:
        if type(count) is int and 0 <= count <= slices.MOST_ROWS:  # `slices.count`, written out
            key = self._key
            if _copy is not None and type(self) is QuerySet:  # `_clone`, written out
                out: QuerySet[M] = _copy(self)
                out._limit = count
            else:
                out = self._clone("_limit", count)
            out._key = None if key is None else (*key, "l", count)
            return out
        return self._clone("_limit", slices.count(count, "limit"))

    def offset(self, count: int) -> QuerySet[M]:
        return self._clone("_offset", slices.count(count, "offset"))

    def __getitem__(self, key: Any) -> QuerySet[M]:
        """``qs[10:20]`` (a QuerySet) or ``qs[3]`` (await it for one instance, IndexError if
        there is none). Negative indexes are refused, as in Django."""
        start = self._offset or 0
        if isinstance(key, slice):
            low, high = slices.bounds(key)  # plain ints; a step is a FieldError
            if low < 0 or (high is not None and high < 0):
                raise FieldError("negative indexing is not supported")
            limit = None if high is None else max(0, high - low)
            if self._limit is not None:  # never past the slice's own end
                limit = max(0, min(self._limit - low, self._limit if limit is None else limit))
            out = self._clone("_offset", slices.count(start + low, "a slice's start") or None)
            out._limit = None if limit is None else slices.count(limit, "a slice's length")
            return out
        if isinstance(key, int) and not isinstance(key, bool):
            key = int.__index__(key)  # the int it holds: a subclass's < and + may lie
            if key < 0:
                raise FieldError("negative indexing is not supported")
            out = self._clone("_offset", slices.count(start + key, "an index") or None)
            out._limit, out._single = int(self._limit is None or key < self._limit), True
            return out
        raise TypeError(f"QuerySet indices must be ints or slices, not {type(key).__name__}")

    def distinct(self) -> QuerySet[M]:
        return ends.unsliced(self, "distinct")._clone("_distinct", True)

    def only(self, *names: str) -> QuerySet[M]:
        """Load only these fields (and the primary key); reading another raises. A forward
        relation's name stands for its key column, and ``author__name`` for a field of a
        select_related() model (``orm.related_fields``), as in Django."""
        fields, related = related_fields.only(self._model, names)
        out = self._clone("_fields", fields)
        out._related_fields = related
        return out

    def defer(self, *names: str) -> QuerySet[M]:
        fields, related = related_fields.defer(
            self._model, names, self._fields, self._related_fields
        )
        out = self._clone("_fields", fields)
        out._related_fields = related
        return out

    def select_related(self, *names: str | None) -> QuerySet[M]:
        """Load these forward relations in the same query (a JOIN each); with no name,
        every relation that cannot be NULL, and theirs (five deep), as Django's; ``None``
        forgets the ones asked for before."""
        from ferrule.orm.prefetch import check_select_related, non_null_paths, refuse_after_values

        if len(names) == 1 and names[0] is None:  # (not == (None,): a name's __eq__ may lie)
            return self._clone("_related", ())
        if self._values is not None:
            refuse_after_values(self._model, "select_related")
        if not names:
            names = non_null_paths(self._model)
        names = check_select_related(self._model, names)
        return self._clone("_related", (*self._related, *names))

    def prefetch_related(self, *names: str | Prefetch) -> QuerySet[M]:
        """Load these relations with one extra query each (keys batched with IN)."""
        from ferrule.orm.prefetch import check_prefetch, refuse_after_values

        if self._values is not None:
            refuse_after_values(self._model, "prefetch_related")
        check_prefetch(self._model, (*self._prefetch, *names))
        return self._clone("_prefetch", (*self._prefetch, *names))

    def values(self, /, *names: str, **expressions: Any) -> QuerySet[Any]:
        """Rows as dicts of these fields (all columns when none are named) and of the
        ``expressions`` (``up=Upper("name")``), which are annotated first, as in Django."""
        key = self._key
        if key is not None and not expressions and plain_keywords(names):
            return self._keyed_values(key, names, "dict")
        source = self.annotate(**expressions) if expressions else self
        out: QuerySet[Any] = source._clone("_values", value_names(source, (*names, *expressions)))
        out._flat = "dict"
        return out

    def values_list(self, *names: Any, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        """Rows as tuples (``flat=True`` with one name: the values themselves; ``named=True``:
        named tuples, ``orm.named``); an expression among the names is annotated first, named
        as Django names it (``Upper("name")``: ``upper1``, its place among them counted)."""
        if flat and len(names) != 1:
            raise FieldError("values_list(flat=True) takes exactly one field")
        key = self._key
        if key is not None and not (flat and named) and plain_keywords(names):
            return self._keyed_values(key, names, "flat" if flat else "named" if named else "tuple")
        source, names = annotated_names(self, names)
        out: QuerySet[Any] = source._clone("_values", value_names(source, names))
        out._flat = "flat" if flat else "tuple"
        if named:
            from ferrule.orm.named import as_named

            as_named(out, flat)
        return out

    def _keyed_values(
        self, key: tuple[Any, ...], names: tuple[str, ...], kind: str
    ) -> QuerySet[Any]:
        """``values()``/``values_list()`` (rows of ``kind``) of a QuerySet that has a
        ``_key`` (made by ``Model.filter``, ``order_by``, ``limit``: no annotations, no
        grouping), keyed by its calls, the kind and the names (``shapes.keyed``). For names
        that are plain ``str``s only: a subclass may compare equal to another name's text,
        and the general path checks it."""
        if _copy is not None and type(self) is QuerySet:  # `_clone`, written out
            out: QuerySet[Any] = _copy(self)
        else:
            out = self._clone()
        out._values = names or tuple(self._model._meta.columns)
        if kind == "named":
            named.plain_row_class(out._values, self._model.__name__)  # its check, remembered
        out._flat = kind
        out._key = (*key, "v", kind, names)
        return out

    def annotate(self, /, *unnamed: Any, **annotations: Any) -> QuerySet[M]:
        """Add computed values (``n=orm.Count("posts")``): on instances as attributes, in
        ``values()`` as keys. Aggregates group by the model's columns, or after ``values()``
        by the values named there (the annotations then join the output keys), as in Django.
        Filters naming an aggregate annotation (``n__gt=1``) are HAVING conditions."""
        meta = self._model._meta
        django_spellings.refuse_unnamed(meta.name, unnamed)
        # each name as the text it holds: a str subclass's methods may lie to the checks
        annotations = {str.__str__(name): value for name, value in annotations.items()}
        for name, value in annotations.items():
            if not name.isidentifier() or name.startswith("_") or "__" in name:
                raise FieldError(f"{meta.name}: annotation name {name!r} is not an identifier")
            if name in meta.columns or meta.relation(name) is not None:  # Django's words
                raise FieldError(f"The annotation {name!r} conflicts with a field on the model.")
            if not isinstance(value, expressions.EXPRESSIONS):
                raise FieldError(f"annotate({name}=...) takes F, Value, Case or an aggregate")
        out = self._clone("_annotations", refs.merged(self._annotations, annotations))
        out._aliased = self._aliased.difference(annotations)  # annotate(x=F("x")): now read
        if out._annotated_at is None and any(has_aggregate(v) for v in annotations.values()):
            out._annotated_at = len(self._where)
        if self._values is not None:
            if self._group is None:
                if self._aggregates():  # row annotations may be grouped by
                    raise FieldError(
                        f"{meta.name}: annotate() after values() on a queryset aggregated "
                        "before values() is not supported: annotate on one side of values()"
                    )
                out._group = self._values
            out._values = (*self._values, *(n for n in annotations if n not in self._values))
        return out

    def select_for_update(
        self, *, skip_locked: bool = False, nowait: bool = False, of: Any = (), no_key: bool = False
    ) -> QuerySet[M]:
        """Lock the rows read until the transaction ends (SQLite: a no-op, writes lock it all)."""
        django_spellings.lock_options(self._model, skip_locked, nowait, of, no_key)
        return self._clone("_lock", (skip_locked, nowait, False))

    def _select_for_share(self) -> QuerySet[M]:
        """Read the latest committed rows, share-locked until the transaction ends: what a
        lost race to insert looks for (a MariaDB transaction's plain reads keep to its
        snapshot, and ``FOR UPDATE`` deadlocks the losers, who each hold a share lock on the
        duplicate key)."""
        return self._clone("_lock", (False, False, True))

    def cached(self, ttl: float | None = 60.0) -> QuerySet[M]:
        """Serve this query from ``orm.query_cache`` for ``ttl`` seconds (``None``: its
        entry never expires); any write ferrule makes to a table the query reads empties its
        entries."""
        seconds = math.inf if ttl is None else cache.ttl_seconds(ttl)
        if seconds is None:
            raise FieldError(
                "cached(ttl=...) takes a positive number of seconds (None: never expires), "
                f"not {expressions.shown(ttl)}"
            )
        return self._clone("_cache", seconds)

    def validate_on_load(self, flag: bool = True) -> QuerySet[M]:
        """Re-check every loaded value with the model's constraints (slower)."""
        return self._clone("_validate", bool(flag))

    # -- compiling --------------------------------------------------------------------------

    @property
    def _database(self) -> Any:
        db = self._db
        return db if db is not None else database_for(self._model, None)

    def _scope(
        self, dialect: str, aggregates: tuple[Aggregate, ...] = ()
    ) -> tuple[Scope, Any, Any]:
        """The query's tables, its WHERE and its HAVING (``orm.selecting.scope``)."""
        return selecting.scope_of(self, dialect, aggregates)

    def _aggregates(self) -> bool:
        """Whether an annotation aggregates rows (then the query is grouped)."""
        return any(has_aggregate(v) for v in self._annotations.values())

    def _order_names(self) -> tuple[str, ...]:
        """order_by(), else the model's ordering (not for values().annotate(): it would
        change the groups, so Django drops it there too)."""
        if self._order is not None:
            names = self._order
        elif self._group is not None:
            return ()
        else:
            names = self._model._meta.options.ordering
        return related_order.expanded(self._model, names, self._annotations)

    def _ordering(self, scope: Scope) -> list[Any]:
        return selecting.ordering(self, scope)

    def _select(
        self, dialect: str, columns: list[Any] | None = None, labeled: bool = False
    ) -> tuple[Any, list[Any]]:
        """The SELECT and what each selected column is (``orm.selecting.select``)."""
        return selecting.select(self, dialect, columns, labeled)

    def _subquery(self, dialect: str) -> Any:
        """This QuerySet as ``x IN (SELECT ...)``: its one value column, without NULLs (one
        NULL makes ``x NOT IN (...)`` unknown for every x, so exclude() kept no row)."""
        with subqueries.nested(self._model):
            return self._subquery_select(dialect)

    def _subquery_select(self, dialect: str) -> Any:
        if self._group is not None:
            if self._values is None or len(self._values) != 1:
                raise FieldError(
                    f"{self._model.__name__}: a values().annotate() queryset used as a "
                    "subquery must select one field: add .values('name')"
                )
        elif self._values is None or len(self._values) != 1:
            pk = self._model._meta.pk.name  # its keys, a slice's too, as below
            return self.values_list(pk, flat=True)._subquery_select(dialect)
        if self._limit is not None or self._offset:
            # the slice's rows, then their NULLs out; a derived table also because MariaDB
            # refuses a LIMIT directly inside IN (...)
            (value,) = (sub := self._select(dialect)[0].subquery("sliced")).c
            return sql.select(value).from_(sub).where(value.is_not(None))
        return self.filter(**{f"{self._values[0]}__isnull": False})._select(dialect)[0]

    def compile(self, dialect: str) -> tuple[str, list[Any]]:
        """The SQL this QuerySet runs on ``dialect``, with its parameters."""
        query: Any = self._select(dialect)[0]
        result: tuple[str, list[Any]] = query.compile(dialect)
        return result

    # -- running ----------------------------------------------------------------------------

    def __await__(self) -> Generator[Any, None, Any]:
        if self._single or self._cache:
            return (yield from self._run().__await__())
        db = self._db
        if db is None:  # `_database`, written out
            db = default_database() or database_for(self._model, None)
        # The common case, with no coroutine of its own: a shape met before (`shapes.keyed`),
        # whose instances the driver builds at once.
        found = shapes.keyed(self, db.dialect) if self._key is not None else None
        if found is not None:
            entry, params = found
            make = entry.rows
            if make is not None:  # values()/values_list(): rows made at once
                rows = db._tuples(entry.text, params)  # the list at once, or an awaitable
                return make(rows if type(rows) is list else (yield from rows.__await__()))
            if not self._validate and not self._prefetch:
                got = db._instances(entry.text, params, self._model, entry.plan)
                if got is not None:  # the list at once, or an awaitable of it
                    if type(got) is not list:
                        got = yield from got.__await__()
                    if self._db is not None:
                        remember_database(got, self._db)
                    return got
        return (yield from self._fetch_rows(db, found).__await__())

    async def _run(self) -> Any:
        if self._single:
            found = await self._fetch()
            if not found:
                raise IndexError(f"{self._model.__name__} query: index out of range")
            return found[0]
        return await self._fetch()

    async def _fetch(self) -> list[Any]:
        if self._cache:
            return await self._fetch_cached()
        return await self._fetch_rows(self._database)

    def _locks_in(self, db: Any) -> None:
        """Refuse a ``select_for_update`` read outside a transaction on ``db``: its lock would
        end with the statement, locking nothing."""
        if self._lock is not None and not db.in_transaction():
            raise ORMError(
                f"{self._model.__name__}: select_for_update() outside a transaction would lock"
                " nothing (the lock ends with the statement): read it inside"
                " orm.transaction()"
            )

    async def _fetch_cached(self) -> list[Any]:
        db = self._database
        self._locks_in(db)
        if db.in_transaction():  # its own writes, or its snapshot: not what others may see
            return await self._fetch_rows(db)
        query, described = self._select(db.dialect)
        text, params = query.compile(db.dialect)
        if not all(type(p) in cache.KEY_TYPES for p in params):
            return await self._fetch_rows(db)  # the value's own __eq__/__hash__ would decide
        typed = tuple((type(p), p) for p in params)
        # the database itself (weakly): an id outlives its object and may name the next one
        key = (weakref.ref(db), text, typed, self._flat, self._validate)
        entry = cache.query_cache.get(key)
        if entry is None:
            tables = cache.tables_read(query._node())
            version = cache.query_cache.version(tables)
            rows = await db.fetch_tuples(query)
            entry = (rows, cache.holds_mutable(rows))
            assert self._cache is not None
            cache.query_cache.put(key, tables, self._cache, entry, version)
        rows, mutable = entry
        return await self._materialize(db, cache.unshared(rows) if mutable else rows, described)

    async def _fetch_rows(self, db: Any, found: Any = None) -> list[Any]:
        """The rows of this QuerySet on ``db``, as its instances or values; ``found``: the
        cached entry of its shape and its parameters, when the caller has them."""
        if self._lock is not None:
            self._locks_in(db)
        dialect = db.dialect
        if found is None:
            found = shapes.find(self, dialect)
            if found is not None:
                entry, values = found
                found = entry, entry.params(values, self._limit, self._offset)
        if found is not None:
            entry, params = found
            if entry.rows is not None:  # values()/values_list()
                made: list[Any] = entry.rows(await db._text("fetch_tuples", entry.text, params))
                return made
            if entry.plan is not None and not self._related and not self._validate:
                got = db._instances(entry.text, params, self._model, entry.plan)
                if got is not None:  # the list at once, or an awaitable of it
                    if type(got) is not list:
                        got = await got
                    return await self._prefetched(db, got) if self._prefetch or self._db else got
            rows = await db._text("fetch_tuples", entry.text, params)
            return await self._materialize(db, rows, entry.described, entry.plan)
        query, described = self._select(dialect)
        text, params = compile_query(query, None, dialect)
        if self._plain():
            fields = tuple(d[1] for d in described if d[0] == "field")
            plan = loading.plan_for(self._model, fields, dialect)
            got = db._instances(text, params, self._model, plan)
            if got is not None:
                return await self._prefetched(db, got if type(got) is list else await got)
        rows = await db._text("fetch_tuples", text, params)
        return await self._materialize(db, rows, described)

    def _plain(self) -> bool:
        """Whether the rows are loaded as instances and nothing else: no values(), joined
        relations, annotations or validate_on_load (the driver may build them)."""
        return (
            self._flat is None
            and not self._related
            and not self._annotations
            and not self._validate
        )

    async def _prefetched(self, db: Any, instances: list[Any]) -> list[Any]:
        """``instances`` with their ``prefetch_related`` relations loaded (and the database
        given by ``using()`` remembered on them)."""
        if self._db is not None:
            remember_database(instances, self._db)
        if self._prefetch and instances:
            from ferrule.orm.prefetch import prefetch

            await prefetch(instances, self._prefetch, db)
        return instances

    async def _materialize(
        self, db: Any, rows: Any, described: list[Any], plan: Any = None
    ) -> list[Any]:
        if self._flat is not None:
            return results.values_of(rows, described, self._flat, db.dialect)
        model = self._model
        if plan is None:
            fields = tuple(d[1] for d in described if d[0] == "field")
            plan = loading.plan_for(model, fields, db.dialect)
        instances = loading.build(model, rows, plan, validate=self._validate)
        if self._related:
            from ferrule.orm.prefetch import attach_joined

            attach_joined(instances, rows, described, db.dialect, self._validate)
        annotations = self._annotations and [
            (i, d[1], d[2]) for i, d in enumerate(described) if d[0] == "annotation"
        ]
        if annotations:
            from ferrule.orm.relations import loaded

            for instance, row in zip(instances, rows, strict=True):
                cache = loaded(instance)
                for index, name, convert in annotations:
                    value = row[index]
                    cache["@" + name] = convert(value) if convert and value is not None else value
        return await self._prefetched(db, instances)

    async def __aiter__(self) -> AsyncIterator[Any]:
        async with contextlib.aclosing(self.iterator()) as items:
            async for item in items:
                yield item

    async def iterator(self, chunk_size: int = 1000) -> AsyncGenerator[Any, None]:
        """Stream the results in chunks of ``chunk_size`` rows (bounded memory)."""
        chunk_size = slices.count(chunk_size, "chunk_size")
        if not 1 <= chunk_size <= 2**31 - 1:  # a fetch's row count is a C int (SQLite, asyncpg)
            raise FieldError(f"chunk_size must be from 1 to 2**31 - 1, not {chunk_size}")
        db = self._database
        self._locks_in(db)
        query, described = self._select(db.dialect)
        if self._prefetch and streams.one_connection(db):
            async with contextlib.aclosing(
                streams.held(streams.chunks(self, db, query, described, chunk_size), db)
            ) as items:
                async for item in items:
                    yield item
            return
        stream = streams.chunks(self, db, query, described, chunk_size)
        async with contextlib.aclosing(stream) as chunks:
            async for chunk in chunks:
                for item in chunk:
                    yield item

    async def get(self, /, *args: Q, **kwargs: Any) -> M:
        """The one matching instance: ``Model.DoesNotExist`` / ``MultipleObjectsReturned``;
        of a slice, its one row (conditions are refused there, as by ``filter()``)."""
        ends.unsliced(self, "get", bool(args or kwargs))
        where = (*self._where, Q(*args, **kwargs)) if args or kwargs else self._where
        query = self._clone("_where", where)
        query._limit = 2 if self._limit is None else min(self._limit, 2)  # within the slice
        found = await query._fetch()
        if len(found) == 1:
            result: M = found[0]
            return result
        model = self._model
        shown = ", ".join(f"{k}={expressions.shown(v)}" for k, v in kwargs.items()) or "the query"
        if not found:
            raise model.DoesNotExist(f"{model.__name__} matching {shown} does not exist")
        raise model.MultipleObjectsReturned(f"more than one {model.__name__} matches {shown}")

    async def get_or_none(self, /, *args: Q, **kwargs: Any) -> M | None:
        try:
            return await self.get(*args, **kwargs)
        except self._model.DoesNotExist:
            return None

    async def first(self) -> M | None:
        return await ends.first(self)

    async def last(self) -> M | None:
        return await ends.last(self)

    async def latest(self, *names: str) -> M:
        """The last instance by ``names`` (``Meta.get_latest_by`` when none); raises
        ``DoesNotExist`` when there is none, as Django does."""
        return await ends.end(self, "latest", names, descending=True)

    async def earliest(self, *names: str) -> M:
        return await ends.end(self, "earliest", names, descending=False)

    async def in_bulk(
        self, keys: Iterable[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, M]:
        """``{value: instance}`` of the rows whose ``field_name`` (the key or a unique field)
        is one of ``keys`` (None: all rows; a QuerySet: a subquery), in batches (``in_bulk``)."""
        return await in_bulk.in_bulk(self, keys, field_name)

    def _ordered(self) -> bool:
        return bool(self._order_names())

    def _first_order(self) -> tuple[str, ...]:
        """What first()/last() order an unordered query by: the primary key, or the grouped
        values of values().annotate() (ordering by the key would split every group)."""
        if self._group is not None and self._aggregates():
            return tuple(n for n in self._group if n not in self._annotations)
        return (self._model._meta.pk.name,)

    async def count(self) -> int:
        return await counting.count(self)

    def _count_query(self, dialect: str) -> Any:
        return counting.count_query(self, dialect)

    async def exists(self) -> bool:
        return await counting.exists(self)

    async def aggregate(self, /, *unnamed: Aggregate, **aggregates: Aggregate) -> dict[str, Any]:
        """``{"total": ...}`` over the matching rows: ``aggregate(total=orm.Sum("views"))``;
        an unnamed one under Django's default name (``aggregate(Sum("views"))``:
        ``views__sum``)."""
        return await counting.aggregate(self, django_spellings.default_names(unnamed, aggregates))

    async def explain(self, **options: Any) -> str:
        """The database's plan for this query, as text; Django's ``format=`` and options
        (``analyze=True``...), checked per database (``orm.explaining``)."""
        return await explaining.explain(self, options)

    # -- writing ----------------------------------------------------------------------------

    async def update(self, /, **values: Any) -> int:
        """``UPDATE`` the matching rows (``views=orm.F("views") + 1``); the row count."""
        with named_refusals(self._model, (values,)):
            return await writes.update(self, values)

    async def delete(self) -> int:
        """``DELETE`` the matching rows; the row count."""
        return await writes.delete(self)


def _copier() -> Any:
    """``SlotCopier.copy`` for ``QuerySet``s where the native core proved their layout, else
    None (the pure core, fast paths off): ``_clone`` then copies each member in Python."""
    if PURE_PYTHON:
        return None
    try:
        from ferrule._ferrule import SlotCopier
    except ImportError:  # an extension without it
        return None
    copier = SlotCopier.of(QuerySet, _STATE)
    return None if copier is None else copier.copy


_copy = _copier()


#: model -> a QuerySet made by ``QuerySet(model)``, copied by ``fresh`` (never changed itself)
_BLANK: dict[Any, QuerySet[Any]] = {}


def fresh(model: type[M]) -> QuerySet[M]:
    """``QuerySet(model)``, copied in one native call from the one made for ``model`` before
    while the model's options are still the very ones it read (else made again)."""
    blank = _BLANK.get(model)
    if blank is not None:
        options = blank._model._meta.options  # (`_model` is `model`, typed Any)
        if blank._validate is options.validate and blank._cache is options.cache:
            out: QuerySet[M] = _copy(blank)
            return out
    made = QuerySet(model)
    if _copy is not None:
        if len(_BLANK) >= _MAX_CHECKED:
            _BLANK.clear()
        _BLANK[model] = made
        return _copy(made)  # type: ignore[no-any-return]
    return made
