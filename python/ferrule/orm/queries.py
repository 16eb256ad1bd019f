"""The class-level API of ORM models: ``Author.filter(...)``, ``await Author.get(id=1)``,
``Author.bulk_create([...])``. Each query method starts a fresh `QuerySet`; the ones that
run at once are coroutines. Kept in a mixin of its own so that type checkers see every
method with its types (``QuerySet[Author]``, ``Author``)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Sequence
from typing import Any

from typing_extensions import Self

from ferrule.backends.defaults import default_database
from ferrule.errors import FieldError, IntegrityError
from ferrule.models._core import force_setattr
from ferrule.orm import (
    bulk,
    cache,
    creating,
    loading,
    persistence,
    raw_reads,
    save_plans,
    shapes,
    upserts,
)
from ferrule.orm.databases import database_for
from ferrule.orm.expressions import Aggregate, Q, plain_keywords
from ferrule.orm.inputs import KNOWN, refuse_unknown
from ferrule.orm.instance_values import MARKED, unvalidated
from ferrule.orm.prefetching import Prefetch
from ferrule.orm.queryset import QuerySet, fresh
from ferrule.orm.refusals import REFUSALS, named_refusals, reraise_named
from ferrule.orm.relations import DATABASES_GIVEN, own_database, remember_database
from ferrule.orm.signals import post_save, pre_save
from ferrule.orm.stored_as import held_flag

__all__ = ["Queries"]


class Queries:
    """Mixed into ``orm.Model``; every method is a classmethod."""

    __slots__ = ()

    # -- QuerySets ------------------------------------------------------------------------

    @classmethod
    def all(cls) -> QuerySet[Self]:
        query = fresh(cls)
        query._key = (cls,)  # `QuerySet._key`
        return query

    @classmethod
    def filter(cls, /, *args: Q, **kwargs: Any) -> QuerySet[Self]:
        query = fresh(cls)
        if args or (kwargs and not plain_keywords(kwargs)):
            query._where = (Q(*args, **kwargs),)  # a fresh QuerySet: no copy needed
        elif kwargs:
            query._where = (Q.of_keywords(kwargs),)
            query._key = (cls, "f", tuple(kwargs))  # `QuerySet._key`
        else:
            query._key = (cls,)
        return query

    @classmethod
    def none(cls) -> QuerySet[Self]:
        return QuerySet(cls).none()

    @classmethod
    def exclude(cls, /, *args: Q, **kwargs: Any) -> QuerySet[Self]:
        return QuerySet(cls).exclude(*args, **kwargs)

    @classmethod
    def using(cls, db: Any) -> QuerySet[Self]:
        return QuerySet(cls).using(db)

    @classmethod
    def order_by(cls, *names: str) -> QuerySet[Self]:
        return QuerySet(cls).order_by(*names)

    @classmethod
    def limit(cls, count: int) -> QuerySet[Self]:
        return QuerySet(cls).limit(count)

    @classmethod
    def offset(cls, count: int) -> QuerySet[Self]:
        return QuerySet(cls).offset(count)

    @classmethod
    def distinct(cls) -> QuerySet[Self]:
        return QuerySet(cls).distinct()

    @classmethod
    def only(cls, *names: str) -> QuerySet[Self]:
        return QuerySet(cls).only(*names)

    @classmethod
    def defer(cls, *names: str) -> QuerySet[Self]:
        return QuerySet(cls).defer(*names)

    @classmethod
    def select_related(cls, *names: str) -> QuerySet[Self]:
        return QuerySet(cls).select_related(*names)

    @classmethod
    def prefetch_related(cls, *names: str | Prefetch) -> QuerySet[Self]:
        return QuerySet(cls).prefetch_related(*names)

    @classmethod
    def annotate(cls, /, *unnamed: Any, **annotations: Any) -> QuerySet[Self]:
        return QuerySet(cls).annotate(*unnamed, **annotations)

    @classmethod
    def select_for_update(
        cls, *, skip_locked: bool = False, nowait: bool = False
    ) -> QuerySet[Self]:
        return QuerySet(cls).select_for_update(skip_locked=skip_locked, nowait=nowait)

    @classmethod
    def values(cls, /, *names: str, **expressions: Any) -> QuerySet[Any]:
        return QuerySet(cls).values(*names, **expressions)

    @classmethod
    def values_list(cls, *names: str, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        return QuerySet(cls).values_list(*names, flat=flat, named=named)

    @classmethod
    def iterator(cls, chunk_size: int = 1000) -> AsyncGenerator[Self, None]:
        return QuerySet(cls).iterator(chunk_size)

    # -- running at once ------------------------------------------------------------------

    @classmethod
    async def count(cls) -> int:
        return await QuerySet(cls).count()

    @classmethod
    async def exists(cls, /, *args: Q, **kwargs: Any) -> bool:
        """Whether any row matches (the filters, Tortoise's ``Model.exists(name=...)``)."""
        query = QuerySet(cls)
        return await (query.filter(*args, **kwargs) if args or kwargs else query).exists()

    @classmethod
    async def first(cls) -> Self | None:
        return await QuerySet(cls).first()

    @classmethod
    async def last(cls) -> Self | None:
        return await QuerySet(cls).last()

    @classmethod
    async def in_bulk(
        cls, keys: Iterable[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, Self]:
        return await QuerySet(cls).in_bulk(keys, field_name=field_name)

    @classmethod
    async def aggregate(cls, /, *unnamed: Aggregate, **aggregates: Aggregate) -> dict[str, Any]:
        return await QuerySet(cls).aggregate(*unnamed, **aggregates)

    @classmethod
    async def get(cls, /, *args: Q, **kwargs: Any) -> Self:
        """The one matching instance; ``DoesNotExist`` / ``MultipleObjectsReturned``."""
        if args or not kwargs:
            return await QuerySet(cls).get(*args, **kwargs)
        model: Any = cls
        db = default_database() or database_for(model, None)
        found = shapes.get_entry(model, db.dialect, kwargs)
        if found is None:
            return await QuerySet(cls).get(**kwargs)
        entry, params = found
        validate = model._meta.options.validate
        fused = None if validate else db._instances(entry.text, params, model, entry.plan)
        if fused is not None:  # the list at once, or an awaitable of it
            rows = fused if type(fused) is list else await fused
            if len(rows) == 1:
                one: Self = rows[0]
                return one
        else:
            rows = await db._text("fetch_tuples", entry.text, params)
            if len(rows) == 1:
                built: Self = loading.build(model, rows, entry.plan, validate=validate)[0]
                return built
        return await QuerySet(cls).get(**kwargs)  # none or several: its error messages

    @classmethod
    async def get_or_none(cls, /, *args: Q, **kwargs: Any) -> Self | None:
        return await QuerySet(cls).get_or_none(*args, **kwargs)

    @classmethod
    async def create(cls, /, *, using: Any = None, **values: Any) -> Self:
        """Validate, insert and return a new instance (through the model's own ``save()``,
        when it has one, as Django's ``create()``: ``save(force_insert=True, using=...)``).

        A plain model's insert of a new key, once ``persistence.save`` has made and cached its
        text and while no save receiver is registered, is written out here: one coroutine,
        then the database's (what ``save`` does for it, without a coroutine of its own)."""
        known = KNOWN.get(cls)  # (`refuse_unknown`, written out: create() is a hot path)
        if known is None or not values.keys() <= known:  # (issuperset would copy them)
            values = _create_values(cls, values)
        instance = cls(**values)  # validated here: save() need not check it again
        # (an expression given to a field: held, save() writes it; `held_expressions`)
        holds = MARKED[0] > 0 and unvalidated(instance)
        model: Any = cls
        if model.save is not persistence.save_method:  # the model's own save(): Django's
            own: Any = instance  # create() calls it
            await own.save(force_insert=True, using=using)
            return instance
        db = database_for(model, using) if using is not None else None
        if db is None:
            if DATABASES_GIVEN[0]:  # one it follows (relations.follow_database)
                db = own_database(instance)
            if db is None:
                db = default_database() or database_for(model)
        plan = save_plans.PLANS.get((model, db.dialect))
        insert = None if plan is None else plan.insert
        if insert is not None and not (pre_save._receivers or post_save._receivers or holds):
            try:
                row = plan.read(instance)  # type: ignore[union-attr]
            except AttributeError:  # a field never set: the general path says what to do
                row = (0,)
            if row[-1] is None:  # no key given: the database makes it
                text, back = insert
                try:  # `persistence.insert_key`, written out: one coroutine less
                    found = plan.insert_key  # type: ignore[union-attr]
                    if found is None or db._observed or db._binding.get() is None:
                        rows = await db._text("fetch_tuples", text, row[:-1])
                    else:
                        rows = await db._text("fetch_key", found[0], row[:-1], *found[1:])
                except IntegrityError as exc:
                    raise persistence.named(model, exc) from exc
                except REFUSALS as exc:
                    reraise_named(model, exc, (instance,))
                    raise
                finally:  # (also an insert cancelled as it ended: it may have committed)
                    cache.invalidate(model, db)
                key = plan.key_back  # type: ignore[union-attr]
                if key is not None and rows:
                    made = rows[0][0]
                    force_setattr(instance, key, made)
                    scope = db._binding.get()  # `persistence.keys_made`, written out
                    if scope is not None:
                        undo = scope.undo if scope.transaction else None
                        taker = undo[-1] if undo else None
                        if type(taker) is persistence.TakeBack and plan.identity:  # type: ignore[union-attr]
                            taker.made += (instance, key, made)
                        else:
                            persistence.keys_made(db, model, (instance,))
                else:
                    persistence.read_back(instance, back, rows)
                    persistence.keys_made(db, model, (instance,))
                if using is not None:
                    remember_database((instance,), using)
                return instance
        with named_refusals(model, (instance,)):
            await persistence.save(instance, db, None, True, False, validate=holds)
        if using is not None:
            remember_database((instance,), using)
        return instance

    @classmethod
    async def get_or_create(
        cls, /, defaults: dict[str, Any] | None = None, *, using: Any = None, **lookup: Any
    ) -> tuple[Self, bool]:
        """``(instance, created)``: the row matching ``lookup``, or a new one made from
        ``lookup`` and ``defaults`` (a concurrent insert of the same row is found, not
        duplicated, when a unique constraint covers the lookup). On its own, an insert the
        server rolls back for a deadlock (racing inserts on MariaDB) is run again; inside the
        caller's transaction, which the deadlock rolled back whole, it is raised."""
        return await creating.get_or_create(QuerySet(cls), defaults, using, lookup)

    @classmethod
    async def update_or_create(
        cls,
        /,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        *,
        using: Any = None,
        **lookup: Any,
    ) -> tuple[Self, bool]:
        """``(instance, created)``: update the matching row with ``defaults``, or create it
        from the lookup and ``create_defaults`` (``defaults`` when that is None: Django 5.0's).

        Safe to race: a concurrent create of the same row (under a unique constraint that
        covers ``lookup``) is found and updated. On its own, the row is locked and updated in
        one transaction, and a missing row is inserted in another, so no lock on a gap is
        held while inserting (two such inserts deadlock on MariaDB); a deadlock is run again.
        Inside the caller's transaction it runs in a savepoint, and a deadlock, which the
        server answers by rolling back the caller's whole transaction, is raised."""
        return await creating.update_or_create(
            QuerySet(cls), defaults, using, lookup, create_defaults
        )

    @classmethod
    async def bulk_create(
        cls,
        objs: Iterable[Self],
        *,
        batch_size: int | None = None,
        on_conflict: Any = None,
        using: Any = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Sequence[str] | None = None,
        unique_fields: Sequence[str] | None = None,
    ) -> list[Self]:
        """Insert many instances in one transaction (``COPY`` on PostgreSQL when no keys
        are needed back); ``on_conflict="ignore"`` or ``("update", [fields])``.

        Generated keys are set on the instances. An ``("update", [fields])`` upsert sets
        them on PostgreSQL and SQLite, each instance the key of its row, inserted or updated
        (as Django 5's ``update_conflicts``); on MariaDB, which cannot say which key each
        row got, the keys stay unset. ``"ignore"`` leaves them unset everywhere: a skipped
        row has no key to give. Django's ``ignore_conflicts``/``update_conflicts``,
        ``update_fields`` and ``unique_fields`` (Tortoise's ``update_fields`` with
        ``on_conflict=[keys]``) spell the same two rules (``upserts.spelled_conflict``)."""
        on_conflict = upserts.spelled_conflict(
            on_conflict, ignore_conflicts, update_conflicts, update_fields, unique_fields
        )
        return await bulk.bulk_create(cls, objs, using, batch_size, on_conflict)

    @classmethod
    async def bulk_update(
        cls,
        objs: Iterable[Self],
        fields: Sequence[str],
        *,
        batch_size: int | None = None,
        using: Any = None,
    ) -> int:
        """Write ``fields`` of each instance, all in one transaction; ``batch_size`` (Django's
        and Tortoise's) is checked and changes nothing: every row is its own UPDATE."""
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
        ):
            raise FieldError(f"batch_size must be a positive int, not {batch_size!r}")
        items = [obj for obj in objs]
        with named_refusals(cls, items):
            return await bulk.bulk_update(cls, items, fields, using)

    @classmethod
    async def raw(cls, query: str, params: Any = None, *, using: Any = None) -> list[Self]:
        """Instances from your own SQL: columns are matched to fields by name, and each value
        is checked against its field (``ValidationError``); the other columns are kept on
        each instance as annotations, as Django does."""
        model: Any = cls
        db = database_for(model, using)
        by_column = {c.column: c for c in model._meta.columns.values()}
        if raw_reads.marked(db.dialect, by_column):
            rows = await raw_reads.fetch(db, query, params, by_column)
        else:
            rows = await db.fetch_all(query, params)
        selected = list(getattr(rows, "columns", ()) or ())
        # a column selected twice: a field's would be read twice, another's keep its last value
        twice = next(
            (name for index, name in enumerate(selected) if name in selected[:index]), None
        )
        if twice is not None:
            raise FieldError(f"{model.__name__}.raw(): the query selects the column {twice} twice")
        names, positions, converters, extra = [], [], [], []
        for index, name in enumerate(selected):
            column = by_column.get(name)
            if column is not None:
                names.append(column.name)
                positions.append(index)
                read = column.converters(db.dialect)[1] or held_flag(column, db.dialect)
                converters.append(read)
            else:
                extra.append((index, name))
        if rows and model._meta.pk.name not in names:
            raise FieldError(f"{model.__name__}.raw(): the query must select the primary key")
        _refuse_unreadable_extras(model, [name for _, name in extra])
        plan = (tuple(names), tuple(positions), tuple(converters))
        # its columns are what the SQL made them, not the model's: every value checked
        instances = loading.build(model, rows, plan, validate=True)
        if extra:
            from ferrule.orm.relations import loaded

            for instance, row in zip(instances, rows, strict=True):
                loaded(instance).update(("@" + name, row[index]) for index, name in extra)
        return instances


def _refuse_unreadable_extras(model: Any, names: list[str]) -> None:
    """raw()'s columns that are no field are read back as attributes: one the model already
    answers (a field's name, a relation, ``pk``, a method) would never be read at all."""
    for name in names:
        if (
            name in model._meta.columns
            or model._meta.relation(name) is not None
            or hasattr(model, name)
        ):
            raise FieldError(
                f"{model.__name__}.raw(): the column {name} conflicts with a field or "
                f"attribute of {model.__name__}; select it under another name"
            )


def _to_many_given(model: Any, name: str) -> FieldError:
    """The error of ``create(name=...)`` for a relation no column of the row holds (Django:
    "Direct assignment to the forward side of a many-to-many set is prohibited")."""
    relation = model._meta.relation(name)
    if relation.kind == "m2m":
        how = f"link them after: `await obj.{name}.set(...)` (or .add())"
    else:
        how = f"the {relation.owner.__name__} rows hold the key: set their {relation.name}"
    return FieldError(
        f"{model.__name__}.create({name}=...): {name} is a relation no column of "
        f"{model.__name__} holds, and would be dropped; {how}"
    )


def _create_values(cls: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``create()``'s keywords when one is not a field name: ``pk`` stands for the primary
    key (Django's), a to-many relation or a name that is no field is refused by name."""
    meta = cls._meta
    if "pk" in values and meta.pk.name not in values and "pk" not in cls.model_fields:
        values = {meta.pk.name if k == "pk" else k: v for k, v in values.items()}
    for name in values:  # no column holds these: the constructor would drop them
        if name in meta.reverse or name in meta.many_to_many:
            raise _to_many_given(cls, name)
    refuse_unknown(cls, values, "create")
    return values
