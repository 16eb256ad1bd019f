"""``bulk_create``: many instances in one transaction, in as few statements as pays.

How each database is written to (chosen by measurement, ``benchmarks/bulk.py``):

- no keys wanted back: ``COPY`` on PostgreSQL (``unnest`` below, without ``RETURNING``, for
  a model with a JSON column: binary COPY has no encoder for ferrule's text ``jsonb`` codec);
  multi-row ``INSERT`` batches on SQLite (a one-row statement run per row costs SQLite
  twice the work, mostly the per-statement ``AUTOINCREMENT`` bookkeeping); the driver's
  ``executemany`` on MariaDB (asyncmy rewrites it into multi-row statements itself).
- generated keys wanted back: on PostgreSQL, from ``bulk_copy.COPY_KEYS_FROM`` rows, the
  keys taken from the key's sequence and the rows sent by ``COPY`` with them, where that
  stores what ``INSERT`` would (``bulk_copy``); else ``INSERT ... SELECT * FROM
  unnest($1::T[], ...) RETURNING`` (one array parameter per column: the server parses a
  short statement once, however many rows); multi-row ``INSERT ... RETURNING`` batches
  elsewhere. The keys come
  back in the order of the rows (the server inserts and returns the rows of a ``VALUES``
  list or of ``unnest`` in their order), and are set on the instances in that order; when
  the insert is rolled back (an error, a cancellation), they are taken back. On SQLite only
  the first batch reads its keys back: SQLite collects a ``RETURNING`` statement's rows in
  a temporary table first, which costs half as much again as the insert (callgrind, 50,000
  rows through ``sqlite3``: 780M instructions against 484M without). With the table
  then locked for writing by this transaction, the rows after it get keys that follow the
  last one in order (SQLite's rule, when ``_next_key`` says it holds), checked at the end.

Statements on SQLite carry ~8,000 parameters (2,000 rows of four columns): each
statement also costs ~150 us of its own however many rows it holds (measured through
``sqlite3`` and ferrule alike, 50k rows into an indexed table: 100-row statements 3.3 us a
row, 2,000-row ones 1.4 us), so fewer, longer statements win although preparing one costs
more per row the longer it is; a full batch is prepared once and reused from the statement
cache. Every instance is validated
first (one call into the core for all) and turned into a parameter row once.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from ferrule import sql
from ferrule.backends.json_text import dumps_positional
from ferrule.backends.params import Records
from ferrule.errors import FieldError, OperationalError, ORMError, TransactionRollbackError
from ferrule.models._core import PURE_PYTHON, force_setattr
from ferrule.orm import (
    bulk_copy,
    cache,
    held_expressions,
    instance_values,
    mariadb_upsert,
    persistence,
    upserts,
)
from ferrule.orm.columns import unsigned_zero
from ferrule.orm.databases import database_for
from ferrule.orm.expressions import shown
from ferrule.orm.instance_values import (
    as_input,
    clock_reading,
    filled_later,
    take_validated,
    unvalidated,
    values_to_validate,
)
from ferrule.orm.key_sequence import follow_given_keys
from ferrule.orm.persistence import _naming
from ferrule.orm.refusals import named_refusals, refuse_zero_key
from ferrule.orm.relations import row_of
from ferrule.orm.save_plans import answers_unset, slot_reader
from ferrule.orm.upserts import conflict_clause, conflict_target, upsert_keys
from ferrule.sql.types import column_type

__all__ = ["batch_rows", "bulk_create", "bulk_update", "model_store", "model_values"]

_native_values: Any
_native_store: Any
try:
    if PURE_PYTHON:
        raise ImportError
    from ferrule._ferrule import model_store as _native_store
    from ferrule._ferrule import model_values as _native_values
except ImportError:  # the pure core, or an extension without them
    _native_values = _native_store = None

_MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 32,767 per statement
#: parameters per statement when ``batch_size`` is not given (``benchmarks/bulk.py``; on
#: SQLite 2,000 gave 398k rows/s, 8,000 468k and 20,000 446k, orm.py's table); the servers'
#: parsers do not mind (MariaDB is fastest at the most rows a statement may take)
_STATEMENT_PARAMS = {"sqlite": 8_000}
#: rows per ``unnest`` statement (PostgreSQL, keys back): 5,000 to 10,000 measured best
_UNNEST_ROWS = 10_000
_TEXTS: dict[tuple[Any, ...], str] = {}
#: logical types sent to ``unnest`` as text and cast on the server (a JSON list would be
#: read by the driver as a dimension of the array); COPY cannot take them either (binary
#: COPY needs a binary encoder, and ferrule's ``jsonb`` codec is text)
_AS_TEXT = {"json"}


def _validate_all(model: Any, items: list[Any]) -> None:
    """Run the compiled schema over every instance's values (one ``validate_many``)."""
    if not items:
        return
    filled = filled_later(model)
    data = [values_to_validate(obj, filled) for obj in items]
    given_as = [as_input(model, d) for d in data]
    for obj, given, validated in zip(items, data, model.validate_many(given_as), strict=True):
        take_validated(obj, given, validated)


def _pure_values(model: Any, instances: Any, names: tuple[str, ...]) -> list[Any]:
    """The pure-Python twin of ``_ferrule.model_values``: the named fields of every instance
    (each of exactly ``model``), one flat list, row after row."""
    if not isinstance(instances, (list, tuple)):
        raise TypeError(
            f"model_values() needs a list or tuple of rows, not {type(instances).__name__}"
        )
    fields = model.model_fields
    for name in names:
        if name not in fields:
            raise ValueError(f"model_values(): {model.__name__} has no field {name}")
    out: list[Any] = []
    for obj in instances:
        if type(obj) is not model:
            raise TypeError(
                f"model_values(): expected {model.__name__} instances, not {type(obj).__name__}"
            )
        out.extend([getattr(obj, name) for name in names])
    return out


def model_values(model: Any, instances: list[Any], names: tuple[str, ...]) -> list[Any]:
    """The named fields of every instance, flat: the native core reads the slots."""
    if answers_unset(model):  # its slots: never its __getattr__'s answer for an unset one
        return _slot_values(model, instances, names)
    if _native_values is not None:  # (a class's own __getattribute__ is asked there too)
        found: list[Any] = _native_values(model, instances, names)
        return found
    return _pure_values(model, instances, names)


def _slot_values(model: Any, instances: list[Any], names: tuple[str, ...]) -> list[Any]:
    """``model_values`` from the slots (``save_plans.slot_reader``): ``AttributeError`` for
    one never set."""
    read = slot_reader(model, names)
    out: list[Any] = []
    for obj in instances:
        out.extend(read(obj))
    return out


def _pure_store(model: Any, instances: Any, name: str, values: Iterable[Any]) -> None:
    """The pure-Python twin of ``_ferrule.model_store``: ``values[i]`` stored as field
    ``name`` of ``instances[i]`` (each of exactly ``model``), without validation."""
    if not isinstance(instances, (list, tuple)):
        raise TypeError(
            f"model_store() needs a list or tuple of rows, not {type(instances).__name__}"
        )
    if name not in model.model_fields:
        raise ValueError(f"model_store(): {model.__name__} has no field {name}")
    given = iter(values)
    for obj in instances:
        value = next(given, _END)
        if value is _END:
            raise ValueError("model_store(): fewer values than instances")
        if type(obj) is not model:
            raise TypeError(
                f"model_store(): expected {model.__name__} instances, not {type(obj).__name__}"
            )
        force_setattr(obj, name, value)
    if next(given, _END) is not _END:
        raise ValueError("model_store(): more values than instances")


_END = object()


def model_store(model: Any, instances: list[Any], name: str, values: Iterable[Any]) -> None:
    """Set field ``name`` of every instance to the value at its position (the keys a bulk
    insert got), without validation: the native core writes the slots."""
    if _native_store is not None:
        _native_store(model, instances, name, values)
    else:
        _pure_store(model, instances, name, values)


class _Rows:
    """The parameter values of the rows, flat (``width`` values a row), converted to the
    dialect's storage; sliced into what each kind of statement takes."""

    __slots__ = ("count", "values", "width")

    def __init__(self, model: Any, items: list[Any], names: list[str], dialect: str) -> None:
        self.width = width = len(names)
        self.count = len(items)
        self.values = values = model_values(model, items, tuple(names))
        columns = model._meta.columns
        for index, name in enumerate(names):
            to_db = columns[name].converters(dialect)[0]
            if to_db is unsigned_zero:  # rare work: only a zero (== -0.0) is changed
                column = values[index::width]
                if 0.0 in column:  # (unsigned_zero, written out: no call per row)
                    values[index::width] = [v + 0.0 if type(v) is float else v for v in column]
            elif to_db is not None:
                values[index::width] = [v if v is None else to_db(v) for v in values[index::width]]

    def first(self) -> tuple[Any, ...]:
        return tuple(self.values[: self.width])

    def flat(self, start: int, stop: int) -> list[Any]:
        """The values of rows ``start`` to ``stop``, one list (a multi-row VALUES)."""
        return self.values[start * self.width : stop * self.width]

    def tuples(self, start: int, stop: int) -> list[tuple[Any, ...]]:
        """Rows ``start`` to ``stop`` as tuples (executemany, an upsert's rows)."""
        return list(self.stream(start, stop))

    def stream(self, start: int, stop: int) -> Records:
        """Rows ``start`` to ``stop`` as tuples made one at a time (COPY): each is dropped
        once sent, so none is left for the cyclic collector to walk (50,000 tuples made
        at once, with 50,000 young instances alive, set off collections costing ~0.5 us a
        row)."""
        flat = iter(self.flat(start, stop))
        return Records(zip(*[flat] * self.width, strict=True), self.width)

    def columns(self, start: int, stop: int) -> list[list[Any]]:
        """One list per column of rows ``start`` to ``stop`` (``unnest``)."""
        flat, width = self.flat(start, stop), self.width
        return [flat[index::width] for index in range(width)]


def _multi_row(one_row: str, dialect: str, width: int, count: int) -> str:
    """The text of a ``count``-row INSERT, from the compiler's one-row text."""
    head, _, rest = one_row.partition(" VALUES (")
    tail = rest[rest.index(")") + 1 :]
    if dialect == "postgres":
        groups = ", ".join(
            "(" + ", ".join(f"${k * width + j + 1}" for j in range(width)) + ")"
            for k in range(count)
        )
    else:
        mark = "?" if dialect == "sqlite" else "%s"
        groups = ", ".join(["(" + ", ".join([mark] * width) + ")"] * count)
    return f"{head} VALUES {groups}{tail}"


def _one_row(model: Any, names: list[str], dialect: str, sample: Any, returning: bool) -> str:
    """The compiler's text of a one-row INSERT of ``names``, checked to grow into a
    multi-row one by ``_multi_row`` (two rows of ``sample``)."""
    meta = model._meta
    columns = [meta.columns[n].column for n in names]

    def statement(rows: list[Any]) -> Any:
        made = sql.insert(meta.sql_table).values([dict(zip(columns, r, strict=True)) for r in rows])
        return made.returning(sql.column(meta.pk.column)) if returning else made

    one = statement([sample]).compile(dialect)[0]
    two = statement([sample, sample]).compile(dialect)[0]
    if _multi_row(one, dialect, len(names), 2) != two:
        raise ORMError(f"bulk_create: cannot batch {meta.name} on {dialect} (report this)")
    return str(one)


def _remember(key: tuple[Any, ...], text: str) -> str:
    if len(_TEXTS) >= 256:
        _TEXTS.clear()
    _TEXTS[key] = text
    return text


def _insert_text(
    model: Any, names: list[str], dialect: str, sample: Any, count: int, returning: bool
) -> str:
    """A ``count``-row ``INSERT`` text (``RETURNING`` the key if asked), made once per
    column set and row count."""
    key = (model, dialect, tuple(names), count, returning)
    found = _TEXTS.get(key)
    if found is not None:
        return found
    one = _one_row(model, names, dialect, sample, returning)
    return _remember(key, _multi_row(one, dialect, len(names), count))


def _unnest_text(model: Any, names: list[str], sample: Any, returning: bool = True) -> str:
    """``INSERT ... SELECT * FROM unnest($1::T1[], ...) RETURNING key`` (PostgreSQL)."""
    key = (model, "postgres", tuple(names), "unnest", returning)
    found = _TEXTS.get(key)
    if found is not None:
        return found
    columns = model._meta.columns
    one = _one_row(model, names, "postgres", sample, returning)
    head, _, rest = one.partition(" VALUES (")
    tail = rest[rest.index(")") + 1 :]
    arrays = []
    for index, name in enumerate(names, 1):
        logical = columns[name].logical
        # no length or precision: an explicit cast to VARCHAR(n) would cut a longer text
        # without a word; the insert's own assignment checks it (and rounds a NUMERIC) as
        # it does for a VALUES row
        kind = column_type(logical, "postgres").sql.partition("(")[0]
        text = "TEXT[]::" if logical.name in _AS_TEXT else ""
        arrays.append(f"${index}::{text}{kind}[]")
    return _remember(key, f"{head} SELECT * FROM unnest({', '.join(arrays)}){tail}")


def _as_text(model: Any, names: list[str]) -> bool:
    """Whether a column goes to PostgreSQL as text (``_AS_TEXT``): no ``COPY`` then."""
    columns = model._meta.columns
    return any(columns[n].logical.name in _AS_TEXT for n in names)


def _arrays(model: Any, names: list[str], rows: _Rows, start: int, stop: int) -> list[Any]:
    """One array parameter per column (``_unnest_text``); JSON as the ``jsonb`` codec writes
    it (``json_text.dumps_positional``), so a float comes back as the same float."""
    columns = model._meta.columns
    arrays = rows.columns(start, stop)
    for index, name in enumerate(names):
        if columns[name].logical.name in _AS_TEXT:
            arrays[index] = [None if v is None else dumps_positional(v) for v in arrays[index]]
    return arrays


def batch_rows(dialect: str, width: int, batch_size: int | None, unnest: bool = False) -> int:
    """Rows per statement: ``batch_size`` if given, within the parameter limit (``unnest``
    takes one parameter a column, whatever the rows)."""
    if unnest:
        return batch_size or _UNNEST_ROWS
    most = max(1, _MAX_PARAMS // max(1, width))
    return min(
        batch_size or max(1, _STATEMENT_PARAMS.get(dialect, _MAX_PARAMS) // max(1, width)), most
    )


def _take_db_defaults(meta: Any, items: list[Any]) -> None:
    """Give the instances that left a ``db_default`` field unset its value, as the one-row
    INSERT, which leaves the column out, gets it: the batched rows all name every column, so
    the column's DEFAULT would not apply, and NULL would be written (or refused). A default
    that is an SQL expression has no value here: an `ORMError` naming the field."""
    for column in meta.columns.values():
        default = column.db_default
        if default is sql.UNSET or column.identity:
            continue
        for obj in items:
            if getattr(obj, column.name, None) is not None:
                continue
            if instance_values.given_null(obj, column.name, column):
                continue
            if isinstance(default, sql.Expr):
                raise ORMError(
                    f"bulk_create() of {meta.name}: {column.name} is unset and its db_default"
                    " is an SQL expression, which only the database evaluates; give a value,"
                    " or save() such instances one by one"
                )
            force_setattr(obj, column.name, default)


async def bulk_create(
    model: Any, objs: Iterable[Any], using: Any, batch_size: int | None, on_conflict: Any
) -> list[Any]:
    """Insert many instances; keys generated by the database are set on them.

    With ``on_conflict=("update", [fields])``, each instance gets the key of its row,
    inserted or updated (two instances naming one unique key: both that row's); with
    ``on_conflict="ignore"`` the keys stay unset (a skipped row has no key to give). Keys set
    are taken back if the insert or a block around it rolls back."""
    if batch_size is not None:  # compared as the int it holds: its own < may lie
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise FieldError(f"batch_size must be a positive int, not {shown(batch_size)}")
        if int.__int__(batch_size) < 1:
            raise FieldError(f"batch_size must be a positive int, not {int.__int__(batch_size)}")
        batch_size = int.__int__(batch_size)
    db = database_for(model, using)
    conflict = conflict_clause(model._meta, on_conflict, db.dialect)  # before a row is read
    items = read_items(model, objs)
    if not items:
        return items
    with named_refusals(model, items):
        return await _insert(model, items, db, batch_size, on_conflict, conflict)


async def _insert(
    model: Any, items: list[Any], db: Any, batch_size: int | None, on_conflict: Any, conflict: Any
) -> list[Any]:
    """`bulk_create` of ``items``, its arguments checked (``conflict``: the clause maker)."""
    meta = model._meta
    pk = meta.pk
    given_keys = model_values(model, items, (pk.name,))
    missing = given_keys.count(None)
    if pk.identity and 0 < missing < len(items):
        raise ORMError(f"bulk_create() of {meta.name}: give every instance a key, or none")
    if missing and not pk.identity and pk.db_default is sql.UNSET:
        raise persistence.no_key(model)
    with_keys = missing == 0
    dialect = db.dialect
    if with_keys:
        refuse_zero_key(model, dialect, given_keys)
    for column in meta.columns.values():
        if column.auto_now or column.auto_now_add:
            now = clock_reading(column)
            for obj in items:
                if column.auto_now or getattr(obj, column.name, None) is None:
                    force_setattr(obj, column.name, now)
    _take_db_defaults(meta, items)
    if not model.model_config["validate_assignment"]:
        _validate_all(model, items)
    elif instance_values.MARKED[0]:  # construction and assignment validated the others
        _validate_all(model, [obj for obj in items if unvalidated(obj)])
    names = [n for n, c in meta.columns.items() if with_keys or not c.identity]
    try:
        rows = _Rows(model, items, names, dialect)
    except AttributeError as error:  # a field only()/defer() left out: named, as save() does
        _refuse_unloaded(model, items, error)
        raise
    # an upsert's keys: where RETURNING gives one row per input row, inserted or updated
    upserted_keys = (
        pk.identity and not with_keys and isinstance(on_conflict, tuple) and dialect in _RETURNS
    )
    want_keys = pk.identity and not with_keys and (conflict is None or upserted_keys)
    unnest = dialect == "postgres" and conflict is None
    size = batch_rows(dialect, len(names), batch_size, unnest)
    # its own transaction, rolled back whole by a deadlock (rows of racing upserts met in
    # other orders, on MariaDB): run again; inside the caller's, the caller's is gone: raised
    attempts = 1 if db.in_transaction() else _DEADLOCK_ATTEMPTS
    for attempt in range(attempts):
        tx = db.transaction()
        try:
            with _naming(model):
                async with tx:
                    if not names:  # nothing but the generated key: one DEFAULT VALUES row each
                        if conflict is not None:
                            raise ORMError(f"bulk_create() of {meta.name}: no column to upsert")
                        for obj in items:
                            await persistence._insert(db, obj)
                    elif conflict is not None:
                        keys = upsert_keys(meta, on_conflict)
                        back = items if upserted_keys else None
                        await _upsert(
                            db, model, rows, names, (conflict, keys), size, on_conflict, back
                        )
                    elif want_keys:
                        await _with_keys(db, model, items, rows, names, size, batch_size)
                    else:
                        await _without_keys(db, model, rows, names, size)
                    if with_keys and dialect == "postgres":
                        given = rows.values[names.index(pk.name) :: rows.width]
                        await follow_given_keys(db, model, given)
            if want_keys:  # taken back if a block around rolls back
                persistence.keys_made(db, model, items)
            break
        except BaseException as error:
            if want_keys and tx.committed is False:  # rolled back (also when cancelled): no keys
                for obj in items:
                    force_setattr(obj, pk.name, None)
            elif want_keys and tx.committed:  # cancelled as it ended, kept: as when it returns
                persistence.keys_made(db, model, items)
            if isinstance(error, TransactionRollbackError) and attempt < attempts - 1:
                continue
            if tx.committed is not False:  # cancelled as it committed, or commit unknown
                cache.invalidate(model, db)
            raise
    cache.invalidate(model, db)
    return items


def _refuse_unloaded(model: Any, items: list[Any], error: AttributeError) -> None:
    """The ``ORMError`` of ``save()`` for the first instance lacking a field (the reader's
    ``AttributeError`` was about it); nothing when every instance has every field."""
    for obj in items:
        left_out = persistence.not_loaded(obj)
        if left_out:
            raise persistence.refused_unloaded(model, left_out[0]) from error


def read_items(model: Any, objs: Iterable[Any]) -> list[Any]:
    """The instances of ``objs``, each checked as it is read (the first of another class stops
    the read: an endless generator of wrong objects is refused at once). bulk_create holds
    them all (it returns them, and runs its transaction again after a deadlock), as Django's
    ``list(objs)``; an iterator known never to end (``itertools.cycle``, ``itertools.repeat``
    without ``times``) is refused before a read, where reading it would grow without bound."""
    if isinstance(objs, itertools.cycle) or (isinstance(objs, itertools.repeat) and _unsized(objs)):
        raise ORMError(
            f"bulk_create() of {model.__name__}: a {type(objs).__name__} never ends, and "
            "bulk_create holds every instance it inserts; give a list, or slice it "
            "(itertools.islice)"
        )
    items: list[Any] = []
    append = items.append
    for obj in objs:  # not list(): it sizes the list by a __len__ that may lie
        if type(obj) is not model:
            raise ORMError(f"bulk_create() of {model.__name__} got a {type(obj).__name__}")
        append(obj)
    return items


def _unsized(repeat: Any) -> bool:
    """Whether an ``itertools.repeat`` was made without ``times`` (it has no length)."""
    try:
        itertools.repeat.__length_hint__(repeat)  # (operator.length_hint answers 0 there)
    except TypeError:
        return True
    return False


#: how many times ``bulk_create`` runs its own transaction after the server rolled it back
_DEADLOCK_ATTEMPTS = 5


#: the dialects whose upsert's ``RETURNING`` gives a row for each row sent, in their order,
#: inserted or updated (MariaDB's ``ON DUPLICATE KEY UPDATE ... RETURNING`` too: 10.5 and
#: later, which the single insert's ``RETURNING`` needs already)
_RETURNS = ("postgres", "sqlite", "mysql")


async def _upsert(
    db: Any,
    model: Any,
    rows: _Rows,
    names: list[str],
    conflict: Any,
    size: int,
    on: Any,
    items: list[Any] | None = None,
) -> None:
    """The rows' INSERT ... ON CONFLICT, batch by batch (``conflict``: the clause maker and
    the key columns of an ``("update", ...)``, else None). With ``items`` (the instances, an
    ``("update", ...)``), each statement returns the key of each of its rows, the row
    inserted or the row updated, in the order sent: set on the instance each row came from
    (Django 5's ``update_conflicts``)."""
    meta = model._meta
    columns = [meta.columns[n].column for n in names]
    clause, keys = conflict
    tuples = rows.tuples(0, rows.count)
    order = list(range(rows.count))
    if db.dialect != "sqlite":  # (one writer at a time there: no lock order to keep)
        order = _in_key_order(meta, names, on, tuples)
    pk = meta.pk
    for start in range(0, rows.count, size):
        for piece in _once_each(order[start : start + size], tuples, columns, keys):
            statement = clause(
                sql.insert(meta.sql_table).values(
                    [dict(zip(columns, tuples[i], strict=True)) for i in piece]
                )
            )
            try:
                if items is None:
                    await db.execute(statement)
                    continue
                returned = await db.fetch_tuples(statement.returning(sql.column(pk.column)))
            except OperationalError as exc:
                clash = None if keys is None else mariadb_upsert.key_clash(exc, meta.name, keys)
                if clash is None or db.dialect != "mysql":
                    raise
                raise clash from exc
            if len(returned) != len(piece):
                raise ORMError(
                    f"bulk_create() of {meta.name}: the upsert returned {len(returned)} keys"
                    f" for {len(piece)} rows (report this)"
                )
            model_store(model, [items[i] for i in piece], pk.name, [r[0] for r in returned])


def _once_each(
    order: list[int], rows: list[tuple[Any, ...]], columns: list[str], keys: list[str] | None
) -> list[list[int]]:
    """The rows ``order`` names (indexes into ``rows``), cut where a row's upsert key repeats
    one before it in the same piece: as separate statements, a later row updates the row an
    earlier one wrote, as SQLite and MariaDB do within one statement (PostgreSQL refuses a
    statement that "affects a row a second time"). A key holding NULL conflicts with
    nothing. (Rows sorted by their key, ``_in_key_order``, keep their order among equal
    keys.)"""
    if keys is None or not all(k in columns for k in keys):
        return [order]
    places = [columns.index(k) for k in keys]
    pieces: list[list[int]] = [[]]
    seen: set[tuple[Any, ...]] = set()
    for index in order:
        row = rows[index]
        key = tuple(row[i] for i in places)
        if key in seen:
            pieces.append([])
            seen = set()
        if None not in key:
            seen.add(key)
        pieces[-1].append(index)
    return pieces


def _in_key_order(meta: Any, names: list[str], on_conflict: Any, rows: list[Any]) -> list[int]:
    """The indexes of the upserted ``rows``, sorted by the unique key they are about (when
    its values sort): racing upserts of the same keys then lock them in one order, where
    rows sent in other orders deadlock each other (the keys returned go back to each
    instance by its index)."""
    order = list(range(len(rows)))
    try:
        if isinstance(on_conflict, tuple) and len(on_conflict) == 3:
            key = [meta.column(n).column for n in on_conflict[2]]
        else:
            key = conflict_target(meta)
    except FieldError:  # several unique keys, none named
        return order
    by_column = {meta.columns[n].column: i for i, n in enumerate(names)}
    if not all(c in by_column for c in key):
        return order
    pick = operator.itemgetter(*(by_column[c] for c in key))
    try:
        return sorted(order, key=lambda i: pick(rows[i]))
    except TypeError:  # None, or values of kinds that do not compare
        return order


async def _without_keys(db: Any, model: Any, rows: _Rows, names: list[str], size: int) -> None:
    meta = model._meta
    dialect = db.dialect
    sample = rows.first()
    if dialect == "postgres":
        if _as_text(model, names):
            text = _unnest_text(model, names, sample, returning=False)
            for start in range(0, rows.count, size):
                await db.execute(text, _arrays(model, names, rows, start, start + size))
            return
        columns = [meta.columns[n].column for n in names]
        await db.copy_records(meta.table, columns, rows.stream(0, rows.count))
    elif dialect == "mysql":
        one = _insert_text(model, names, dialect, sample, 1, False)
        await db.execute_many(one, rows.tuples(0, rows.count))
    else:
        for start in range(0, rows.count, size):
            params = rows.flat(start, start + size)
            count = len(params) // rows.width
            await db.execute(_insert_text(model, names, dialect, sample, count, False), params)


async def _with_keys(
    db: Any,
    model: Any,
    items: list[Any],
    rows: _Rows,
    names: list[str],
    size: int,
    batch_size: int | None,
) -> None:
    dialect = db.dialect
    pk_name = model._meta.pk.name
    if (
        dialect == "postgres"
        and rows.count >= bulk_copy.COPY_KEYS_FROM
        and not _as_text(model, names)
    ):
        keys = await bulk_copy.copy_with_keys(db, model, items, rows.values, names)
        if keys is not None:
            model_store(model, items, pk_name, keys)
            return
    sample = rows.first()
    for start in range(0, rows.count, size):
        if start == size and dialect == "sqlite":  # once, after the first batch
            following = await _next_key(db, model, names, items[start - 1], rows.count - start)
            if following is not None:
                await _keys_in_order(db, model, items, rows, names, start, following, size)
                return
        stop = min(start + size, rows.count)
        if dialect == "postgres":
            text = _unnest_text(model, names, sample)
            params = _arrays(model, names, rows, start, stop)
        else:
            text = _insert_text(model, names, dialect, sample, stop - start, True)
            params = rows.flat(start, stop)
        keys = await db.fetch_tuples(text, params)
        if len(keys) != stop - start:
            raise ORMError("bulk_create: the database returned fewer keys than rows")
        model_store(model, items[start:stop], pk_name, [key[0] for key in keys])


#: triggers on a table, in the main and the temporary schema (a trigger may write into the
#: table, taking keys SQLite would otherwise have given to the rows inserted)
_TRIGGERS = (
    "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 "
    "COLLATE NOCASE) + (SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' "
    "AND tbl_name = ?1 COLLATE NOCASE)"
)
_LAST_KEY = 2**63 - 1


async def _next_key(db: Any, model: Any, names: list[str], last: Any, remaining: int) -> int | None:
    """SQLite, after the first batch (its keys read back, the table now locked for writing
    by this transaction): the key SQLite would give the next row, when it is known to be one
    more than the last key it gave, for each of the ``remaining`` rows: the last key given
    is the table's largest, no trigger can insert into the table meanwhile, and the keys do
    not reach SQLite's last (where it would pick at random, or refuse). ``None`` otherwise:
    the rest is inserted with ``RETURNING`` as the first batch was (also when another
    column than the key is left to the database)."""
    meta = model._meta
    key = getattr(last, meta.pk.name)
    if type(key) is not int or key + remaining > _LAST_KEY or "." in meta.table:
        return None
    if [name for name in meta.columns if name != meta.pk.name] != names:
        return None
    pk = sql.column(meta.pk.column)
    top = await db.fetch_val(sql.select(sql.func.max(pk)).from_(meta.sql_table))
    if top != key or await db.fetch_val(_TRIGGERS, [meta.table]):
        return None
    return key + 1


async def _keys_in_order(
    db: Any,
    model: Any,
    items: list[Any],
    rows: _Rows,
    names: list[str],
    start: int,
    key: int,
    size: int,
) -> None:
    """Rows ``start`` on, in statements without ``RETURNING``: SQLite gives each row one
    more than the largest key of the table (or of ``AUTOINCREMENT``'s sequence, now the
    same, ``_next_key``), so the rows get ``key``, ``key + 1``, ... in their order. Checked:
    every row was inserted, and the table's largest key is then the last row's (keys that
    only grow, all above ``key``, the last ``key + count - 1``: exactly those)."""
    meta = model._meta
    sample = rows.first()
    for begin in range(start, rows.count, size):
        stop = min(begin + size, rows.count)
        text = _insert_text(model, names, "sqlite", sample, stop - begin, False)
        if await db.execute(text, rows.flat(begin, stop)) != stop - begin:
            raise ORMError("bulk_create: the database inserted fewer rows than it was sent")
    last = key + rows.count - start - 1
    top = await db.fetch_val(
        sql.select(sql.func.max(sql.column(meta.pk.column))).from_(meta.sql_table)
    )
    if top != last:
        raise ORMError(f"bulk_create: {meta.name}'s keys did not follow in order (report this)")
    model_store(model, items[start:], meta.pk.name, range(key, last + 1))


async def bulk_update(model: Any, objs: Iterable[Any], fields: Sequence[str], using: Any) -> int:
    """Write ``fields`` of each instance (one UPDATE per instance, in one transaction); the
    count is of rows updated. Of two instances of one row only the first is written, as
    Django documents."""
    items = [obj for obj in objs]  # not list(): it sizes the list by a __len__ that may lie
    # the real type: an object may claim the model as its __class__ (isinstance believes it)
    wrong = next((obj for obj in items if not row_of(obj, model)), None)  # its table too
    if wrong is not None:
        raise ORMError(f"bulk_update() of {model.__name__} got a {type(wrong).__name__}")
    given = upserts.names_given(fields)  # its items, read once: its __len__ may lie
    if not given:
        raise FieldError("bulk_update() needs a list of field names")
    meta = model._meta
    names = [meta.column(n).name for n in given]
    if meta.pk.name in names:
        raise FieldError(f"{meta.name}: bulk_update() cannot change the primary key")
    db = database_for(model, using)
    total = 0
    written = set()
    try:
        async with db.transaction():
            for obj in items:
                if obj.pk is None:
                    raise ORMError(f"bulk_update(): an unsaved {model.__name__}")
                if obj.pk in written:
                    continue
                written.add(obj.pk)
                absent = [n for n in persistence.not_loaded(obj) if n in names]
                if absent:
                    raise persistence.refused_unloaded(model, absent[0])
                holding = held_expressions.held(obj)
                if not holding:
                    instance_values.validate_instance(obj)
                    statement = (
                        sql.update(meta.sql_table)
                        .set(persistence._row(obj, db.dialect, names))
                        .where(sql.column(meta.pk.column) == obj.pk)
                    )
                    total += int(await db.execute(statement))
                    continue
                # expressions in fields it names: computed for its row, as Django's CASE
                held_expressions.validate_around(obj, holding)
                exprs = {n: getattr(obj, n) for n in names if n in holding}
                plain = [n for n in names if n not in holding]
                row = persistence._row(obj, db.dialect, plain)
                values = {n: row[meta.columns[n].column] for n in plain}
                total += await held_expressions.update(db, model, exprs, values, obj.pk)
    finally:  # (also when cancelled as it committed)
        cache.invalidate(model, db)
    return total
