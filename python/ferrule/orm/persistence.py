"""Writing instances: insert, update, delete, refresh, and the bulk forms.

An instance is validated before it is written (the compiled schema, as on construction), its
values converted to the column storage of the dialect, and its database-generated key read
back with ``RETURNING``. When signal receivers are registered, the statement and its
``post_*`` receivers run in one transaction (a savepoint inside a block), so a receiver that
raises leaves nothing written."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ferrule import sql
from ferrule.backends.defaults import default_database
from ferrule.errors import FieldError, IntegrityError, ORMError, ProtectedError
from ferrule.models._core import force_setattr
from ferrule.models.fields import MISSING
from ferrule.orm import cache, cascades, held_expressions, signals
from ferrule.orm.columns import read_column
from ferrule.orm.databases import database_for
from ferrule.orm.in_doubt import (
    doubt,
    mark,
    refuse_in_doubt,
)
from ferrule.orm.inputs import update_field_names
from ferrule.orm.instance_values import (
    MARKED,
    UNVALIDATED,
    clock_reading,
    given_null,
    marked,
    unvalidated,
    validate_instance,
)
from ferrule.orm.key_sequence import follow_given_keys
from ferrule.orm.refusals import REFUSALS, named_refusals, refuse_zero_key, reraise_named
from ferrule.orm.relations import (
    own_database,
    related_cache,
    remember_database,
)
from ferrule.orm.save_plans import INSERTS as _INSERTS
from ferrule.orm.save_plans import PLANS, answers_unset, slot_reader
from ferrule.orm.save_plans import TEXTS as _TEXTS
from ferrule.orm.save_plans import Plan as _Plan
from ferrule.orm.save_plans import cached_text as _cached_text
from ferrule.orm.save_plans import plain_values as _plain_values
from ferrule.orm.save_plans import plan_of as _plan
from ferrule.orm.save_plans import steps as _steps

__all__ = ["delete", "save"]


def _row(instance: Any, dialect: str, names: Iterable[str]) -> dict[str, Any]:
    columns = type(instance)._meta.columns
    out = {}
    for name in names:
        column = columns[name]
        value = getattr(instance, name, None)
        if value is not None:
            to_db = column.converters(dialect)[0]
            if to_db is not None:
                value = to_db(value)
        out[column.column] = value
    return out


def named(model: Any, exc: IntegrityError) -> IntegrityError:
    """The violation, its message starting with the model's name (the server names the
    constraint)."""
    if str(exc).startswith(f"{model.__name__}: "):
        return exc
    kind = type(exc) if isinstance(exc, ProtectedError) else IntegrityError
    return kind(f"{model.__name__}: {exc}", exc.constraint)


@contextlib.contextmanager
def _naming(model: Any) -> Iterator[None]:
    """A constraint violation names the model (see ``named``)."""
    try:
        yield
    except IntegrityError as exc:
        renamed = named(model, exc)
        if renamed is exc:
            raise
        raise renamed from exc


async def _in_transaction(
    db: Any, watched: bool, work: Any, failed: Callable[[bool | None], None] | None = None
) -> Any:
    """``work()``, in a transaction of its own (a savepoint inside a block) when ``watched``.
    If it raises, ``failed(committed)`` first says what became of the work: ``False`` rolled
    back, ``True`` kept although the call raised (a cancellation that arrived as the block
    ended: the end runs uncut, the cancellation after it), ``None`` unknown."""
    if not watched:
        return await work()
    tx = db.transaction()
    try:
        async with tx:
            return await work()
    except BaseException:
        if failed is not None:
            failed(tx.committed)
        raise


async def save_method(
    self: Any,
    *,
    using: Any = None,
    update_fields: Any = None,
    force_insert: bool = False,
    force_update: bool = False,
) -> None:
    """Insert (no key yet, or no row with it) or update the row; ``update_fields``
    limits an update to those fields. Validates the instance first.

    ``Model.save`` itself: the update of a plain model's existing row (nothing to validate,
    no receiver, its UPDATE text cached) is written out here, one coroutine in all, as
    ``save`` runs it; everything else is ``save``."""
    cls = type(self)
    using = own_database(self, using)
    if (
        update_fields is None
        and not force_insert
        and not force_update
        and not signals.pre_save._receivers
        and not signals.post_save._receivers
        and cls.model_config["validate_assignment"]
        and not (MARKED[0] and marked(self))  # (marked: unvalidated, or in doubt)
    ):
        db = (
            database_for(cls, using)
            if using is not None
            else default_database() or database_for(cls)
        )
        plan = PLANS.get((cls, db.dialect))
        text = None if plan is None else plan.update
        if text is not None:
            try:
                values = plan.read(self)  # type: ignore[union-attr]
            except AttributeError:  # a field never set: the general path says what to do
                values = (None,)
            key = values[-1]
            if key is not None:
                try:
                    if not await db._text("execute", text, values):
                        await _not_updated(db, self, key, False)
                except IntegrityError as exc:
                    raise named(cls, exc) from exc
                except REFUSALS as exc:
                    reraise_named(cls, exc, (self,))
                    raise
                finally:  # (also a write cancelled as it ended: it may have committed)
                    cache.invalidate(cls, db)
                return
    if MARKED[0]:
        refuse_in_doubt(self, "save")
    with named_refusals(cls, (self,)):
        await save(self, using, update_fields, force_insert, force_update)
    if using is not None:
        remember_database((self,), using)


async def save(
    instance: Any,
    using: Any,
    update_fields: Any,
    force_insert: bool,
    force_update: bool,
    validate: bool = True,
) -> None:
    cls = type(instance)
    if update_fields is not None and not isinstance(update_fields, str):
        update_fields = update_field_names(cls, update_fields)  # its items: __len__ may lie
    if force_insert and (force_update or update_fields):  # Django's check, before the next
        raise ORMError(
            f"{cls.__name__}.save(): force_insert=True makes a new row, which excludes "
            f"{'force_update' if force_update else 'update_fields'} (Django refuses both too)"
        )
    if update_fields is not None and not isinstance(update_fields, str) and not update_fields:
        return  # Django: "an empty update_fields iterable will skip the save"
    db = database_for(cls, using)
    expressions: frozenset[str] = frozenset()
    if validate and (
        not cls.model_config["validate_assignment"] or (MARKED[0] and unvalidated(instance))
    ):
        expressions = held_expressions.held(instance)  # (orm.held_expressions)
        if expressions:
            held_expressions.validate_around(instance, expressions)
        else:
            validate_instance(instance)
            cache_of = related_cache(instance)
            if cache_of is not None:
                cache_of.pop(UNVALIDATED, None)
    if expressions:
        await _save(db, instance, update_fields, force_insert, force_update, *expressions)
        return
    if update_fields is None and not signals.watching_saves(cls):
        plan = PLANS.get((cls, db.dialect)) or _plan(cls, db.dialect)
        values = plan.values(instance)
        if values is not None:  # a plain model: its cached INSERT or UPDATE, when made
            key = values[-1]
            try:
                if force_insert or (key is None and not force_update):
                    if key is None and plan.insert is not None:
                        text, back = plan.insert
                        rows = await insert_key(db, plan, text, values[:-1])
                        read_back(instance, back, rows)
                        keys_made(db, cls, (instance,))
                        return
                elif plan.update is not None or plan.find_update() is not None:
                    if not await db._text("execute", plan.update, values):
                        await _not_updated(db, instance, key, force_update)
                    return
            except IntegrityError as exc:
                raise named(cls, exc) from exc
            except BaseException as exc:  # cancelled on its way: in doubt (a new row only)
                if key is None:
                    doubt(instance, "save", exc)
                raise
            finally:  # (also a write cancelled as it ended: it may have committed)
                cache.invalidate(cls, db)
    keyless = getattr(instance, cls._meta.pk.name, None) is None
    await _save(db, instance, update_fields, force_insert, force_update)
    if keyless:
        keys_made(db, cls, (instance,))


def keys_made(db: Any, model: Any, instances: Sequence[Any]) -> None:
    """``instances`` were just inserted with keys the database made: if the transaction block
    they were made in rolls back, their keys are set back to None (the rows are gone, and
    SQLite gives a rolled-back key to the next row, which a later ``save()`` of the stale
    instance would overwrite). A key changed in the meantime is left as it is."""
    callbacks = db.rollback_callbacks()
    if callbacks is None:  # (outside a block: committed already)
        return
    pk = model._meta.pk
    if not pk.identity:
        return
    taker = callbacks[-1] if callbacks else None
    if type(taker) is not TakeBack:  # one for the inserts in a row of a block
        taker = TakeBack()
        callbacks.append(taker)
    name = pk.name
    made = taker.made
    for obj in instances:  # flat: no tuple per insert for the collector to count
        made += (obj, name, getattr(obj, name, None))


class TakeBack:
    """``keys_made``'s callback (``Model.create`` appends to it itself): each instance's
    key back to None, if it is still the one the database made."""

    __slots__ = ("made",)

    def __init__(self) -> None:
        #: (instance, key field's name, key) of each insert, one after another
        self.made: list[Any] = []

    def __call__(self) -> None:
        made = self.made
        for at in range(0, len(made), 3):
            obj, name, key = made[at : at + 3]
            if key is not None and getattr(obj, name, None) == key:
                force_setattr(obj, name, None)


async def insert_key(db: Any, plan: _Plan, text: str, values: Sequence[Any]) -> Any:
    """The rows a plain model's cached INSERT ``text`` returns: on SQLite, where the key is
    all it returns, inside a transaction, read without ``RETURNING`` (``fetch_key``; not while
    hooks or the slow-query log watch: they see the statement that runs)."""
    found = plan.insert_key
    if found is None or db._observed or db._binding.get() is None:
        return await db._text("fetch_tuples", text, values)
    return await db._text("fetch_key", found[0], values, *found[1:])


def read_back(instance: Any, back: list[tuple[str, Any]], rows: Any) -> None:
    """Set the columns an INSERT returned (``back``: name, from_db) on ``instance``."""
    if not rows:
        raise ORMError(f"{type(instance).__name__}: the INSERT returned no row")
    for (name, from_db), value in zip(back, rows[0], strict=True):
        force_setattr(instance, name, value if from_db is None or value is None else from_db(value))


async def _not_updated(db: Any, instance: Any, key: Any, force_update: bool) -> None:
    """An UPDATE by key matched nothing: the row is there unchanged (MariaDB counts changed
    rows), or it is gone: then insert it, unless ``force_update``."""
    cls = type(instance)
    if await _exists(db, cls._meta, key):
        return
    if force_update:
        raise cls.DoesNotExist(
            f"{cls.__name__} with {cls._meta.pk.name}={key!r} does not exist: nothing was updated"
        )
    await _insert(db, instance)


async def _save(
    db: Any, instance: Any, update_fields: Any, force_insert: bool, force_update: bool, *exprs: str
) -> None:
    """``save`` in general: signal receivers, ``update_fields``, every kind of column, the
    fields holding expressions (``exprs``: ``orm.held_expressions``)."""
    expressions: frozenset[str] = frozenset(exprs)
    cls = type(instance)
    meta = cls._meta
    if update_fields is not None:
        if isinstance(update_fields, str):
            update_fields = [update_fields]
        fields = [meta.column(name).name for name in update_fields]
        if meta.pk.name in fields:  # Django: no primary key in update_fields
            raise FieldError(
                f"{cls.__name__}.save(update_fields=...): {meta.pk.name!r} is the primary key, "
                "which an update by key does not write: a new key is a new row (set pk and "
                "save() it whole), or update(pk=...) on a QuerySet"
            )
    else:
        fields = None
    key = instance.pk
    insert = force_insert or (key is None and not force_update)
    if insert and fields is not None:
        raise ORMError(
            f"{cls.__name__}: save(update_fields=...) updates a saved row, and this instance "
            "has no key (as Django: no update without a primary key); save() it whole"
        )
    reading = held_expressions.reads_rows(instance, expressions) if insert else None
    if reading:
        raise held_expressions.refused_insert(cls, reading)
    absent = not_loaded(instance)
    if absent:  # only()/defer(): as Django, the update of the loaded fields
        if insert:
            raise refused_unloaded(cls, absent[0])
        if fields is None:
            fields = [n for n in meta.columns if n not in absent and n != meta.pk.name]
        refused = [n for n in fields if n in absent]
        if refused:
            raise refused_unloaded(cls, refused[0])
    watched = signals.watching_saves(cls)
    if not watched:  # one statement, no transaction of its own
        try:
            if insert:
                await _insert(db, instance, expressions)
            else:
                await _write(db, instance, insert, fields, force_update, expressions)
        except IntegrityError as exc:
            raise named(cls, exc) from exc
        except BaseException as exc:  # cancelled on its way: in doubt (a new row only)
            if key is None:
                doubt(instance, "save", exc)
            raise
        finally:  # (also a write cancelled as it ended: it may have committed)
            cache.invalidate(cls, db)
        return

    async def work() -> None:
        await signals.pre_save.send(cls, instance, update_fields=fields, using=db)
        created = await _write(db, instance, insert, fields, force_update, expressions)
        await signals.post_save.send(cls, instance, created=created, update_fields=fields, using=db)

    def failed(committed: bool | None) -> None:
        """A key the database made stays only with its row (``save`` sees none of this)."""
        if key is not None or not meta.pk.identity:
            return  # a key given names the row meant: it stays (as keys_made's rule)
        if getattr(instance, meta.pk.name, None) is None:
            return
        if committed is False:  # a receiver raised, or cancelled: the row is gone
            force_setattr(instance, meta.pk.name, None)
        elif committed:  # joined the block around, which may still roll back
            keys_made(db, cls, (instance,))

    try:
        with _naming(cls):
            await _in_transaction(db, watched, work, failed)
    finally:  # (also a write cancelled as it ended: it may have committed)
        cache.invalidate(cls, db)


def not_loaded(instance: Any) -> list[str]:
    """The columns ``only()``/``defer()`` left out of ``instance`` (none, for most): by their
    slots for a model whose own ``__getattr__`` answers for them (``answers_unset``)."""
    cls = type(instance)
    if not answers_unset(cls):
        return [n for n in cls._meta.columns if getattr(instance, n, MISSING) is MISSING]
    return [n for n in cls._meta.columns if not _holds(slot_reader(cls, (n,)), instance)]


def _holds(read: Any, instance: Any) -> bool:
    try:
        read(instance)
    except AttributeError:
        return False
    return True


def refused_unloaded(cls: Any, name: str) -> ORMError:
    return ORMError(
        f"{cls.__name__}.{name} was not loaded (only()/defer() left it out), so it cannot be"
        " saved: leave it out of the fields to write, or load it"
    )


async def _write(
    db: Any, instance: Any, insert: bool, fields: Any, force_update: bool, expressions: Any
) -> bool:
    """Insert or update the row; whether it was inserted."""
    if insert:
        await _insert(db, instance, expressions)
        return True
    if await _update(db, instance, fields, expressions):
        return False
    cls = type(instance)
    reading = expressions and held_expressions.reads_rows(instance, expressions)
    if force_update or fields is not None or reading:  # (reading: no row to apply to)
        raise cls.DoesNotExist(
            f"{cls.__name__} with {cls._meta.pk.name}={instance.pk!r} does not exist: "
            "nothing was updated"
        )
    await _insert(db, instance, expressions)
    return True


#: (model, dialect, statement kind, column names) -> SQL text whose parameters are the
#: values in that order (checked against the full compiler when first made)
def no_key(cls: Any) -> ORMError:
    """The error for an instance without a key that the database does not make (only an
    integer key, or a column with a ``db_default``, is made there)."""
    return ORMError(
        f"{cls.__name__}.{cls._meta.pk.name} is None: only an integer primary key is made by"
        " the database; give it a value, or declare a default_factory (such as uuid.uuid4)"
    )


async def _insert(db: Any, instance: Any, expressions: frozenset[str] = frozenset()) -> None:
    """Insert the row (with the fields holding ``expressions``: ``orm.held_expressions``); a
    key it was given moves PostgreSQL's key sequence past it (``orm.key_sequence``)."""
    key = getattr(instance, type(instance)._meta.pk.name, None)
    if key is not None:
        refuse_zero_key(type(instance), db.dialect, (key,))
    if expressions:
        await held_expressions.insert(db, instance, expressions)
    else:
        await _insert_row(db, instance)
    if key is not None and db.dialect == "postgres":
        await follow_given_keys(db, type(instance), (key,))


#: `inserted_value`'s answer for a column the database fills
FILLED: Any = object()


def inserted_value(instance: Any, step: tuple[str, Any, bool, int, Any]) -> Any:
    """What an INSERT of ``instance`` sends for one column (``step``: a plan's, ``Plan``):
    its value converted for the column, a timestamp it takes now (set on the instance too),
    or ``FILLED`` where the database fills it; an instance without a key the database does
    not make is refused (``no_key``)."""
    name, to_db, filled, auto, column = step
    value = getattr(instance, name, None)
    if auto and (auto == 2 or value is None):
        value = clock_reading(column)
        force_setattr(instance, name, value)
    if value is None:
        if filled and not given_null(instance, name, column):
            return FILLED
        if column is type(instance)._meta.pk:
            raise no_key(type(instance))
    elif to_db is not None:
        value = to_db(value)
    return value


async def _insert_row(db: Any, instance: Any) -> None:
    cls = type(instance)
    dialect = db.dialect
    plain = _plain_values(cls, dialect, instance)
    if plain is not None:
        names_sent, values, key_filled = plain
        if key_filled and values[-1] is None:  # the database makes the key: the rest is sent
            found = _INSERTS.get((cls, dialect, names_sent))
            if found is not None:
                await _run_insert(db, instance, found, list(values[:-1]))
                return
    names: list[str] = []
    params: list[Any] = []
    for step in _steps(cls, dialect):
        value = inserted_value(instance, step)
        if value is not FILLED:
            names.append(step[0])
            params.append(value)
    found = _INSERTS.get((cls, dialect, tuple(names)))
    if found is None:
        await _insert_compiled(db, instance, names, params)
        return
    await _run_insert(db, instance, found, params)


async def _run_insert(
    db: Any, instance: Any, found: tuple[str, list[tuple[str, Any]]], params: list[Any]
) -> None:
    """Run a cached INSERT and set the columns it returns on ``instance``."""
    text, back = found
    row = await db.fetch_one(text, params)
    if row is None:
        raise ORMError(f"{type(instance).__name__}: the INSERT returned no row")
    for (name, from_db), value in zip(back, row, strict=True):
        if from_db is not None and value is not None:
            value = from_db(value)
        force_setattr(instance, name, value)


async def _insert_compiled(db: Any, instance: Any, names: list[str], params: list[Any]) -> None:
    """The first insert of a column set (or one the cache cannot hold): built and compiled,
    and its text cached when its parameters are exactly ``params``."""
    cls = type(instance)
    meta = cls._meta
    dialect = db.dialect
    back = [c for n, c in meta.columns.items() if n not in names]
    row = {meta.columns[n].column: v for n, v in zip(names, params, strict=True)}
    statement: Any = sql.insert(meta.sql_table)
    if names:
        statement = statement.values(row)
    else:  # every column is filled by the database: let the key be generated
        generated = None if dialect == "sqlite" else sql.raw("DEFAULT")
        statement = statement.values({meta.pk.column: generated})
    if back:
        statement = statement.returning(*(read_column(c, None, dialect) for c in back))
    key = (cls, dialect, "insert", tuple(names))
    text = _cached_text(key, statement, dialect, params)
    if isinstance(text, str) and back:
        if len(_INSERTS) >= 4096:
            _INSERTS.clear()
        made = (text, [(c.name, c.converters(dialect)[1]) for c in back])
        _INSERTS[(cls, dialect, tuple(names))] = made
        plan = _plan(cls, dialect)
        if plan.read is not None and plan.key_filled and tuple(names) == plan.names:
            plan.insert = made
            (name, from_db), *more = made[1]
            plan.key_back = name if from_db is None and not more else None
            if plan.key_back is not None and dialect == "sqlite" and meta.pk.identity:
                plain = sql.insert(meta.sql_table).values(row)
                bare = _cached_text(
                    (cls, dialect, "insert_key", tuple(names)), plain, dialect, params
                )
                if isinstance(bare, str):
                    plan.insert_key = (bare, text, meta.table, meta.pk.column)
    query: Any = (text, params) if isinstance(text, str) else (text,)
    if back:
        returned = await db.fetch_one(*query)
        if returned is None:
            raise ORMError(f"{cls.__name__}: the INSERT returned no row")
        for column, value in zip(back, returned, strict=True):
            convert = column.converters(dialect)[1]
            if convert is not None and value is not None:
                value = convert(value)
            force_setattr(instance, column.name, value)
    else:
        await db.execute(*query)


async def _update(
    db: Any, instance: Any, fields: Sequence[str] | None, expressions: frozenset[str]
) -> bool:
    cls = type(instance)
    meta = cls._meta
    pk = meta.pk
    dialect = db.dialect
    held: dict[str, Any] = {}
    if fields is None and not expressions:
        plain = _plain_values(cls, dialect, instance)
        if plain is not None:
            names_set, row, _ = plain
            text = _TEXTS.get((cls, dialect, "update", names_set))
            if text is not None:
                if await db.execute(text, list(row)):
                    return True
                return await _exists(db, meta, row[-1])
    names: list[str] = []
    params: list[Any] = []
    key_value: Any = None
    for name, to_db, _filled, auto, column in _steps(cls, dialect):
        if column.primary_key:
            key_value = getattr(instance, name)
            key_value = key_value if to_db is None else to_db(key_value)
            continue
        if fields is not None and name not in fields:
            continue
        if expressions and name in expressions:
            held[name] = getattr(instance, name)
            continue
        if auto == 2:
            value: Any = clock_reading(column)
            force_setattr(instance, name, value)
        else:
            value = getattr(instance, name, None)
        if value is not None and to_db is not None:
            value = to_db(value)
        names.append(name)
        params.append(value)
    if held:
        written = dict(zip(names, params, strict=True))
        if await held_expressions.update(db, cls, held, written, key_value):
            return True
        return await _exists(db, meta, key_value)
    if not names:
        return True
    params.append(key_value)
    cache_key = (cls, dialect, "update", tuple(names))
    text = _TEXTS.get(cache_key)
    if text is not None:
        count = await db.execute(text, params)
    else:
        values = {meta.columns[n].column: v for n, v in zip(names, params[:-1], strict=True)}
        statement = sql.update(meta.sql_table).set(values).where(sql.column(pk.column) == key_value)
        made = _cached_text(cache_key, statement, dialect, params)
        count = await (db.execute(made, params) if isinstance(made, str) else db.execute(made))
    if count:
        return True
    return await _exists(db, meta, key_value)


async def _exists(db: Any, meta: Any, key_value: Any) -> bool:
    """Whether the row with this key is there (an UPDATE that matched nothing: gone, or on
    MariaDB one that changed nothing, since it counts changed rows)."""
    exists = (
        sql.select(sql.raw("1"))
        .from_(meta.sql_table)
        .where(sql.column(meta.pk.column) == key_value)
    )
    return await db.fetch_one(exists) is not None


async def delete(instance: Any, using: Any) -> int:
    """``Model.delete``: the number of its model's rows deleted (1, or 0 when it was gone,
    and the rows of its own model its cascade removed: a tree's children, as Django counts)."""
    cls = type(instance)
    meta = cls._meta
    if MARKED[0]:
        refuse_in_doubt(instance, "delete")
    key = instance.pk
    if key is None:
        raise ORMError(f"cannot delete an unsaved {cls.__name__}")
    db = database_for(cls, own_database(instance, using))
    watched = signals.pre_delete.has_receivers(cls) or signals.post_delete.has_receivers(cls)
    cascaded = cascades.watched(cls)  # rows the cascade removes that a receiver hears of
    # a restricting key below: Django's answer on every database (orm.cascades)
    checked = watched or cascaded or cascades.checks_restricted(cls, db.dialect)

    doomed: cascades.Doomed | None = None
    count = 0

    async def work() -> None:
        nonlocal doomed, count
        removing = None
        if checked:  # refused before any signal, as Django's collector does
            removing = await cascades.refuse_restricted(cls, [key], db)
        doomed = await cascades.collect(cls, [key], db) if cascaded else None
        if doomed is not None:  # Django's order: the dependent rows' signals first
            await doomed.send_pre(db)
        await signals.pre_delete.send(cls, instance, using=db)
        if removing:
            await cascades.release_own_keys(removing, db)  # MariaDB's rows naming themselves
            await cascades.delete_dependents_first(cls, removing, db)
            await cascades.delete_trees_first(cls, [key], removing, db)
        statement = sql.delete(meta.sql_table).where(
            sql.column(meta.pk.column) == _row(instance, db.dialect, [meta.pk.name])[meta.pk.column]
        )
        count = await db.execute(statement)
        if count:  # the children its cascade removed, a tree's (Django counts them)
            count = cascades.own_rows_removed(cls, removing, count)
        if doomed is not None:
            await doomed.send_post(db)
        await signals.post_delete.send(cls, instance, using=db)

    def deleted() -> None:
        # Django's rule: a deleted instance has no key (a later save() makes a new row);
        # back if the block the delete ran in rolls back, and the row with it
        cascades.drop_keys([(cls, instance)], db.at_rollback)
        if doomed is not None:
            doomed.drop_keys(db.at_rollback)

    def failed(committed: bool | None) -> None:
        if committed:  # deleted, the cancellation after its end
            deleted()
        elif committed is None:  # the reply to its own COMMIT was lost: gone, or not
            mark(instance, "delete")

    try:
        with _naming(cls):
            await _in_transaction(db, checked, work, failed)
    except BaseException as exc:  # cancelled on its way, outside any block: in doubt
        doubt(instance, "delete", exc)
        raise
    finally:  # (also a delete cancelled as it ended: it may have committed)
        cache.invalidate(cls, db)
        cascades.invalidate(cls, db)  # the tables its on_delete rules wrote
    deleted()
    return count


_UNSET = sql.UNSET
