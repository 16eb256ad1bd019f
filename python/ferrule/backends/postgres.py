"""PostgreSQL through asyncpg: its own prepared-statement cache, binary protocol and COPY.

Rows are ``asyncpg.Record`` objects, passed through untouched (they index, iterate and compare
like tuples, and ``record["name"]`` works): copying them into tuples would cost more than the
fetch itself. ``json``/``jsonb`` are decoded to Python values and encoded from them (by
``json_text.dumps_positional``: a float comes back from ``jsonb`` as the same float); ``time``
refuses a value with a UTC offset (asyncpg would drop it; ``timetz`` keeps it); ``date``,
``timestamp`` and ``timestamptz`` are sent and read as the values they are, never as
``±infinity`` (``backends.postgres_types``); every other type already matches the table in
``backends.base``. ``iterate`` uses a server-side cursor inside
a transaction (an implicit one when none is open).

A connection whose session state may have changed (``backends.base.changes_session``) is reset
on release with ``RESET_SESSION``: what asyncpg's own pool runs (``Connection.get_reset_query``:
advisory locks, cursors, ``LISTEN``, settings), plus the session authorization, temporary
tables, sequence state and the statements ``PREPARE``d in SQL. ``DEALLOCATE ALL`` (and so
``DISCARD ALL``) would also drop asyncpg's cached statements, so only those with ``from_sql``
go, by name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from ferrule import errors
from ferrule.backends.base import Row, Rows, TransactionControl
from ferrule.backends.in_flight import unsent
from ferrule.backends.json_text import dumps_positional
from ferrule.backends.params import check_records, encoding_error, refuse_offset
from ferrule.backends.plain import int_past_text, plain_params
from ferrule.backends.postgres_statements import RETRIED, Statements
from ferrule.backends.postgres_types import Unreadable, codecs, find_unreadable
from ferrule.backends.url import DatabaseURL

__all__ = ["PostgresBackend", "PostgresConnection", "translate"]

_model_rows: Any  # rows -> ORM instances (orm.loading's plans); None in the pure core
try:
    if errors.pure_python_requested():
        raise ImportError
    from ferrule._ferrule import model_rows as _model_rows
except ImportError:
    _model_rows = None

_ISOLATION_SQL = {
    "read_uncommitted": "READ UNCOMMITTED",
    "read_committed": "READ COMMITTED",
    "repeatable_read": "REPEATABLE READ",
    "serializable": "SERIALIZABLE",
}
_DISCONNECT_STATES = ("57P01", "57P02", "57P03")
_SETTLE_TIMEOUT = 10.0  # seconds an interrupted statement may take to answer its cancel request
# serialization_failure and deadlock_detected: the server rolled the transaction back
_ROLLED_BACK_STATES = frozenset(("40001", "40P01"))
_OPERATIONAL_CLASSES = ("40", "53", "54", "55", "57", "58", "XX", "HV")
# 42 syntax error or access rule violation (undefined table/column/function, duplicate table,
# ...), 26 invalid SQL statement name, 34 invalid cursor name, 3F invalid schema name; and
# 2201B, an invalid regular expression (as MariaDB's 1139 and SQLite's regexp() report it).
_PROGRAMMING_CLASSES = ("42", "26", "34", "3F", "2201B")
# InternalClientError: asyncpg's protocol state broke, e.g. when the server killed the backend
# while a statement was on its way; the connection is unusable.
_DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    OSError,
    UnicodeError,  # a lone surrogate in the SQL text or a parameter: nothing was sent
    RecursionError,  # a value nesting past the stack (asyncpg's own error path recurses too)
)


def translate(exc: BaseException) -> errors.DatabaseError:
    message = str(exc)
    if isinstance(exc, UnicodeError):
        return encoding_error(exc)
    if isinstance(exc, RecursionError):
        return errors.InterfaceError(
            "a value nests too deeply for the driver to read or write (past the interpreter's "
            "stack)"
        )
    if type(exc) is asyncpg.exceptions.DataError and exc.__cause__ is not None:
        # asyncpg could not encode a parameter (a lone surrogate, our codecs' RefusedValue, a
        # type it cannot send, an int out of range): reported as SQLSTATE 22000, raised from
        # the encoder's exception; nothing was sent
        if isinstance(exc.__cause__, UnicodeError):
            return encoding_error(exc.__cause__)
        if isinstance(exc.__cause__, OverflowError):  # a number past the parameter's type
            return errors.DataError(message)
        return errors.InterfaceError(message)
    if isinstance(exc, asyncpg.exceptions.InvalidCachedStatementError):
        # asyncpg prepares it again by itself outside a transaction: this is inside one
        return errors.StaleStatementError(
            "a table this statement reads changed (ALTER TABLE, or DROP and CREATE) since it"
            " was prepared on this connection, and inside a transaction PostgreSQL cannot"
            " prepare it again: the transaction is aborted; run the transaction again (the"
            f" statement is forgotten). The server said: {message}"
        )
    if isinstance(exc, asyncpg.PostgresError):
        state = exc.sqlstate or ""
        if state.startswith("23"):
            return errors.IntegrityError(message, getattr(exc, "constraint_name", None))
        if state.startswith(_PROGRAMMING_CLASSES):
            return errors.ProgrammingError(message)
        if state.startswith("22"):  # data exception: out of range, too long, division by zero
            return errors.DataError(message)
        if state.startswith("08") or state in _DISCONNECT_STATES:
            return errors.ConnectionError(message)
        if state.startswith("25"):
            return errors.TransactionError(message)
        if state in _ROLLED_BACK_STATES:
            return errors.TransactionRollbackError(message)
        if state.startswith(_OPERATIONAL_CLASSES):
            return errors.OperationalError(message)
        return errors.DatabaseError(message)
    if isinstance(
        exc, asyncpg.ConnectionDoesNotExistError | asyncpg.exceptions.InternalClientError | OSError
    ):
        return errors.ConnectionError(message or type(exc).__name__)
    if isinstance(exc, asyncpg.InterfaceError):
        if message.endswith("connection is closed"):  # asyncpg's check before it sends
            return unsent(errors.ConnectionError(message))
        if "closed" in message or "connection was lost" in message:
            return errors.ConnectionError(message)
        if message.startswith("the server expects"):  # N arguments for this query, M passed
            return errors.ArgumentError(message)
        return errors.InterfaceError(message)
    return errors.DatabaseError(message)


RESET_SESSION = """\
SELECT pg_advisory_unlock_all();
CLOSE ALL;
UNLISTEN *;
RESET ALL;
SET SESSION AUTHORIZATION DEFAULT;
DISCARD TEMP;
DISCARD SEQUENCES;
DO $ferrule$DECLARE name text; BEGIN
  FOR name IN SELECT s.name FROM pg_prepared_statements s WHERE s.from_sql LOOP
    EXECUTE 'DEALLOCATE ' || quote_ident(name);
  END LOOP;
END$ferrule$"""


def _sendable(sql: str) -> str:
    """PostgreSQL reads statement text as a C string: a NUL would cut the message short and the
    server would drop the connection. Refuse it before anything is sent."""
    if "\x00" in sql:
        raise errors.InterfaceError(
            "the SQL text contains a NUL character, which PostgreSQL cannot receive: pass the"
            " value as a parameter"
        )
    return sql


# Table definitions this process changed through ferrule (CREATE, ALTER, DROP; counted when
# run, and again when the transaction that ran them commits): a connection that has not seen
# the latest count forgets its cached statements before its next one (see _DDL_WORDS).
_ddl_count = 0
# A statement that may change a table's definition. asyncpg keeps each cached statement's
# parameter types: after DROP TABLE t; CREATE TABLE t (x text) where x was an int, the old
# INSERT would still encode x as an int (a str refused, 1.5 sent as 1 to a new numeric x);
# only a changed *result* type is caught by the server. DDL takes no parameters, so only
# statements without any are searched.
_DDL_WORDS = re.compile(r"\b(?:CREATE|ALTER|DROP)\b", re.IGNORECASE)


def _changed_tables() -> None:
    global _ddl_count
    _ddl_count += 1


def _rowcount(status: str) -> int:
    tail = status.rpartition(" ")[2]
    return int(tail) if tail.isdigit() else -1


class _Stream:
    """The cursor of an open ``iterate`` loop in its implicit transaction; ``rest`` holds
    its unread rows once ``settle_stream`` read them (and ended that transaction)."""

    __slots__ = ("rest", "rows", "settled")

    def __init__(self, rows: Any) -> None:
        self.rows = rows
        self.rest: list[Any] | None = None
        self.settled = False


class PostgresConnection(TransactionControl):
    def __init__(
        self,
        raw: asyncpg.Connection,
        unreadable: list[Unreadable] | None = None,
        statement_cache_size: int = 256,
    ) -> None:
        self._raw = raw
        # statements with parameters, and every fetch: straight on the protocol
        self._statements = statements = Statements(raw, statement_cache_size)
        self._run = statements.run
        # what this connection's decoders could not read (postgres_types): looked for in the
        # rows only when not empty
        self._unreadable: list[Unreadable] = [] if unreadable is None else unreadable
        self.created_at = self.last_used = 0.0
        self.session_changed = False
        self._status = ""  # the command tag of the last _simple statement
        self._ddl_seen = _ddl_count  # the count of table changes its cache is good for
        self._ran_ddl = False  # a table change in the open transaction: count it at COMMIT
        #: the rows of an ``iterate`` loop in its own (implicit) transaction, while it is open
        self._stream: _Stream | None = None
        # what raw.is_in_transaction() asks, without its frame: read before every statement
        # of a block (blocks.Hold), so the protocol's own method when there is one
        protocol = getattr(raw, "_protocol", None)
        self._in_transaction = getattr(protocol, "is_in_transaction", raw.is_in_transaction)
        usable = protocol is not None and hasattr(protocol, "is_connected")
        self._protocol = protocol if usable and hasattr(raw, "_aborted") else None

    @property
    def in_transaction(self) -> bool:
        return bool(self._in_transaction())

    def is_closed(self) -> bool:
        # asyncpg's Connection.is_closed, written out where its parts are there (every pool
        # borrow and return asks); and the transport's own word: the server's FATAL read while
        # idle (pg_terminate_backend, a shutdown) closes the transport at once, asyncpg says
        # "closed" only some loop turns later, and a statement started meanwhile fails
        # ("another operation is in progress") with nothing sent
        raw = self._raw
        protocol = self._protocol
        if protocol is None:
            return bool(raw.is_closed()) or raw._transport.is_closing()
        return bool(raw._aborted or not protocol.is_connected()) or raw._transport.is_closing()

    async def execute(self, sql: str, params: Sequence[Any]) -> int:
        if "\x00" in sql:  # _sendable's test, written out: no call per statement
            _sendable(sql)  # raises
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        if not params and _DDL_WORDS.search(sql) is not None:
            return await self._table_change(sql)
        try:
            if params:  # `run`, without its coroutine where the statement is kept
                started = self._statements.started(sql, params, 0, True)
                if started is None:
                    return _rowcount((await self._run(sql, params, 0, True))[1].decode())
                try:
                    done = await started
                except RETRIED as exc:
                    done = await self._statements.again(exc, sql, params, 0, True)
                return _rowcount(done[1].decode())
            return _rowcount(await self._raw.execute(sql))
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except ValueError as exc:  # (plain.int_past_text says which)
            past = int_past_text(exc)
            if past is None:
                raise
            raise past from exc
        except AttributeError as exc:  # asyncpg reads the status of an empty statement (None)
            if params:
                raise
            raise errors.ProgrammingError(
                "the statement is empty: there is nothing to run"
            ) from exc

    async def fetch_all(self, sql: str, params: Sequence[Any]) -> Rows:
        if "\x00" in sql:  # _sendable's test, written out: no call per statement
            _sendable(sql)  # raises
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:
            records = await self._run(sql, params, 0, False)
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        if self._unreadable:
            self._check(records)
        return Rows(records, tuple(records[0].keys()) if records else ())

    async def fetch_tuples(self, sql: str, params: Sequence[Any]) -> list[Any]:
        if "\x00" in sql:  # _sendable's test, written out: no call per statement
            _sendable(sql)  # raises
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:  # `run`, without its coroutine where the statement is kept
            started = self._statements.started(sql, params)
            if started is None:
                records: list[Any] = await self._run(sql, params, 0, False)
            else:
                try:
                    records = await started
                except RETRIED as exc:
                    records = await self._statements.again(exc, sql, params, 0, False)
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except ValueError as exc:  # (plain.int_past_text says which)
            past = int_past_text(exc)
            if past is None:
                raise
            raise past from exc
        if self._unreadable:
            self._check(records)
        return records

    async def fetch_instances(
        self,
        sql: str,
        params: Sequence[Any],
        model: Any,
        plan: tuple[Any, ...],
        pool: Any = None,
    ) -> list[Any]:
        """Instances of ``model`` built by ``model_rows`` straight from asyncpg's records
        (``plan`` as there), for a backend that ``builds_instances``: ``fetch_tuples`` and
        the build in one coroutine, whose statement is awaited on the protocol itself where
        it can be (``Statements.started``). A converter's error is raised as it is.
        ``pool``: the pool this connection was borrowed from, given back to it here once
        done (reset first after an error), as ``Database._settle`` does: one coroutine less
        for the ORM's common query."""
        try:
            if "\x00" in sql:  # _sendable's test, written out: no call per statement
                _sendable(sql)  # raises
            if self._ddl_seen != _ddl_count:
                self._forget_statements()
            try:
                started = self._statements.started(sql, params)
                if started is None:
                    records = await self._run(sql, params, 0, False)
                else:
                    try:
                        records = await started
                    except RETRIED as exc:
                        records = await self._statements.again(exc, sql, params, 0, False)
            except _DRIVER_ERRORS as exc:
                raise translate(exc) from exc
            except ValueError as exc:  # (plain.int_past_text says which)
                past = int_past_text(exc)
                if past is None:
                    raise
                raise past from exc
            if self._unreadable:
                self._check(records)
            built: list[Any] = _model_rows(model, records, *plan)
        except BaseException as exc:
            if pool is not None:
                await pool.release_dirty(self, exc)
            raise
        if pool is not None:
            back = pool.give_back(self)
            if back is not None:
                await back
        return built

    async def fetch_one(self, sql: str, params: Sequence[Any]) -> Row | None:
        if "\x00" in sql:  # _sendable's test, written out: no call per statement
            _sendable(sql)  # raises
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:
            first = await self._run(sql, params, 1, False)
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        row: Row | None = first[0] if first else None
        if self._unreadable and row is not None:
            self._check((row,))
        return row

    async def fetch_val(self, sql: str, params: Sequence[Any]) -> Any:
        if "\x00" in sql:  # _sendable's test, written out: no call per statement
            _sendable(sql)  # raises
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:
            first = await self._run(sql, params, 1, False)  # fetchval, with the name
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        if not first:
            return None
        row = first[0]
        if self._unreadable:
            self._check(((row[0],),), (next(iter(row.keys())),))
        return row[0]

    async def _table_change(self, sql: str) -> int:
        """``execute`` of a statement that may change a table's definition: every cached
        statement of this process's connections is forgotten (see ``_ddl_count``)."""
        raw = self._raw
        try:
            status = await raw.execute(sql)
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except AttributeError as exc:  # an empty statement: see execute
            raise errors.ProgrammingError(
                "the statement is empty: there is nothing to run"
            ) from exc
        finally:
            _changed_tables()
            self._forget_statements()
            if raw.is_in_transaction():
                self._ran_ddl = True
        return _rowcount(status)

    def _forget_statements(self) -> None:
        """Drop asyncpg's cached statements (closed on the server before the next one)."""
        self._ddl_seen = _ddl_count
        self._statements.forget()
        drop = getattr(self._raw, "_drop_local_statement_cache", None)
        if drop is not None:
            drop()

    async def iterate(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncIterator[Row]:
        raw, sql = self._raw, _sendable(sql)
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        implicit = not raw.is_in_transaction()
        stream = None
        try:
            if implicit:
                await raw.execute("BEGIN READ ONLY")
            rows = raw.cursor(sql, *plain_params(params), prefetch=batch_size).__aiter__()
            if implicit:
                stream = self._stream = _Stream(rows)
            while True:
                if stream is not None and stream.rest is not None:
                    rest, stream.rest = stream.rest, []  # read by settle_stream
                    for row in rest:
                        if self._unreadable:
                            self._check((row,), keep=True)
                        yield row
                    break
                try:
                    row = await rows.__anext__()
                except StopAsyncIteration:
                    break
                if self._unreadable:  # this row, or a later one of its batch
                    self._check((row,), keep=True)
                yield row
            if implicit and (stream is None or not stream.settled):
                await raw.execute("COMMIT")
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        finally:
            if stream is not None and self._stream is stream:
                self._stream = None
        # On an early exit the implicit transaction stays open; the pool's reset rolls it back.

    async def settle_stream(self) -> None:
        """Before another statement on this connection while an ``iterate`` loop outside a
        transaction is open (its task runs it between batches, in a ``db.connection()``
        block): the loop's cursor lives in a read-only transaction of its own, where the
        statement would fail (a write) or be held back until the loop ends. The rest of the
        loop's rows are read now and that transaction ends; the statement runs on its own,
        as outside the loop, and the loop goes on with the rows read (its bounded memory is
        what the statement costs, as in Django, whose cursor outlives commits)."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.rest = [row async for row in stream.rows]
            await self._raw.execute("COMMIT")
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        stream.settled = True

    def _check(
        self, rows: Sequence[Any], names: Sequence[str] | None = None, keep: bool = False
    ) -> None:
        """Raise ``UnreadableValueError`` for a value the decoders could not read in ``rows``;
        forget the decoders' notes (unless ``keep``: more rows of the same result follow)."""
        error = find_unreadable(rows, names)
        if error is not None or not keep:
            self._unreadable.clear()
        if error is not None:
            raise error

    async def execute_many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:
            rows = [plain_params(row) for row in params]
            await self._raw.executemany(_sendable(sql), rows)  # atomic: one implicit transaction
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        schema, _, name = _sendable(table).rpartition(".")
        for column in columns:
            _sendable(column)  # asyncpg writes them into the COPY statement's text
        if self._ddl_seen != _ddl_count:
            self._forget_statements()
        try:
            status = await self._raw.copy_records_to_table(
                name,
                records=check_records(records, len(columns)),
                columns=list(columns),
                schema_name=schema or None,
            )
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except errors.FerruleError:
            raise  # a record refused by check_records
        except (TypeError, ValueError, OverflowError) as exc:
            # COPY encodes each value as it streams and lets the encoder's own exception through
            # (a query wraps it in a DataError): the statement was aborted, nothing was written
            raise errors.InterfaceError(
                f"copy_records: a value cannot be sent to PostgreSQL: {exc}"
            ) from exc
        return _rowcount(status)

    async def _simple(self, sql: str) -> None:
        try:
            self._status = await self._raw.execute(sql)
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc

    async def commit(self) -> None:
        self._status = ""
        try:
            await super().commit()
        finally:
            if self._ran_ddl:
                self._tables_settled()
        if self._status == "ROLLBACK":  # an error inside aborted it: the server rolled back
            raise errors.TransactionError(
                "COMMIT found the transaction aborted by an earlier error: rolled back"
            )

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            if self._ran_ddl:
                self._tables_settled()

    def _tables_settled(self) -> None:
        """The transaction that changed tables ended: what was prepared meanwhile, here
        (against its changes) or elsewhere (against the tables before), may no longer fit."""
        self._ran_ddl = False
        _changed_tables()

    async def begin(self, isolation: str | None, readonly: bool) -> None:
        sql = "BEGIN"
        if isolation is not None:
            sql += " ISOLATION LEVEL " + _ISOLATION_SQL[isolation]
        if readonly:
            sql += " READ ONLY"
        await self._simple(sql)

    async def ping(self) -> None:
        await self._simple("SELECT 1")

    async def reset(self) -> bool:
        raw = self._raw
        if raw.is_closed():
            return False
        try:
            protocol = raw._protocol  # an interrupted statement: wait for its answer first, as
            if protocol._is_cancelling():  # asyncpg's own pool does, or the state is a guess
                await protocol._wait_for_cancellation(_SETTLE_TIMEOUT)
            if raw.is_in_transaction():
                await raw.execute("ROLLBACK")
            if self._ran_ddl:
                self._tables_settled()
            if self.session_changed:
                await raw.execute(RESET_SESSION)
                self.session_changed = False
        except Exception:
            return False  # e.g. a cancelled query still in progress: close, do not reuse
        return True

    async def close(self) -> None:
        try:
            await self._raw.close(timeout=2)
        except Exception:
            self._raw.terminate()

    def terminate(self) -> None:
        self._raw.terminate()

    def statement_cache_stats(self) -> dict[str, Any]:
        cache = getattr(self._raw, "_stmt_cache", None)
        if cache is None:
            return {"capacity": None, "size": None, "hits": None, "misses": None}
        return {"capacity": cache.get_max_size(), "size": len(cache), "hits": None, "misses": None}


def _encode_time(value: dt.time) -> tuple[int]:
    """``time`` keeps no UTC offset: refuse a tz-aware value (asyncpg would drop the offset)."""
    if not isinstance(value, dt.time):
        raise TypeError(f"expected a datetime.time, not {type(value).__name__}")
    refuse_offset(value, "PostgreSQL time (timetz keeps it)")
    return ((value.hour * 3600 + value.minute * 60 + value.second) * 1_000_000 + value.microsecond,)


def _decode_time(value: tuple[int]) -> dt.time:
    seconds, micro = divmod(value[0], 1_000_000)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


async def _init_connection(raw: asyncpg.Connection, unreadable: list[Unreadable]) -> None:
    for name in ("json", "jsonb"):
        await raw.set_type_codec(
            name, encoder=dumps_positional, decoder=json.loads, schema="pg_catalog", format="text"
        )
    await raw.set_type_codec(
        "time", encoder=_encode_time, decoder=_decode_time, schema="pg_catalog", format="tuple"
    )
    for name, (encoder, decoder) in codecs(unreadable).items():
        await raw.set_type_codec(
            name, encoder=encoder, decoder=decoder, schema="pg_catalog", format="tuple"
        )


class PostgresBackend:
    dialect = "postgres"
    capabilities = frozenset(
        {
            "parameter_types",  # the server says each parameter's column type: checked
            "returning",
            "savepoints",
            "json_type",
            "uuid_type",
            "tz_datetime",
            "copy",
            "server_side_cursor",
            "isolation_levels",
            "concurrent_connections",
            "kill_connection",
            "server",
            "transactional_ddl",
        }
    )

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        #: ``PostgresConnection.fetch_instances`` builds ORM instances from the records,
        #: and gives a pooled connection back itself
        self.builds_instances = self.instances_give_back = _model_rows is not None
        query = url.query
        hosts = url.hosts
        self._kwargs: dict[str, Any] = {
            "host": [h for h, _ in hosts] if len(hosts) > 1 else (hosts[0][0] if hosts else None),
            "port": [p for _, p in hosts] if len(hosts) > 1 else (hosts[0][1] if hosts else None),
            "user": url.user,
            "password": url.password,
            "database": url.database,
            "statement_cache_size": url.options.statement_cache_size,
            "timeout": url.options.connect_timeout,
        }
        if "sslmode" in query:
            self._kwargs["ssl"] = query["sslmode"]
        if "passfile" in query:
            self._kwargs["passfile"] = query["passfile"]
        if "target_session_attrs" in query:
            self._kwargs["target_session_attrs"] = query["target_session_attrs"]
        if "application_name" in query:
            self._kwargs["server_settings"] = {"application_name": query["application_name"]}

    async def connect(self) -> PostgresConnection:
        try:
            raw = await asyncpg.connect(**self._kwargs)
        except (*_DRIVER_ERRORS, asyncpg.ClientConfigurationError) as exc:
            if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError | OSError):
                raise errors.ConnectionError(f"cannot connect to PostgreSQL: {exc}") from exc
            if isinstance(exc, asyncpg.ClientConfigurationError):
                raise errors.ConfigurationError(str(exc)) from exc
            raise errors.ConnectionError(f"cannot connect to PostgreSQL: {exc}") from exc
        unreadable: list[Unreadable] = []
        try:
            await _init_connection(raw, unreadable)
        except BaseException:
            raw.terminate()
            raise
        conn = PostgresConnection(raw, unreadable, self.url.options.statement_cache_size)
        conn.created_at = conn.last_used = time.monotonic()
        return conn

    def is_disconnect(self, exc: BaseException) -> bool:
        return isinstance(exc, errors.ConnectionError)

    def stats(self) -> dict[str, Any]:
        return {}

    async def aclose(self) -> None:
        return None
