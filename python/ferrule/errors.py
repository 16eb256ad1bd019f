"""The whole ferrule exception tree: every error a public entry point raises is one of these.

    FerruleError
    ├── ConfigurationError            bad settings or URL (also a ValueError)
    ├── SchemaError                   a model class ferrule cannot enforce (also a TypeError)
    ├── ValidationError               data that does not fit a model (also a ValueError)
    ├── PydanticCustomError           a validator's own error type and message (a ValueError)
    ├── SQLError
    │   ├── ExpressionError           a plain value where an expression belongs (a TypeError)
    │   ├── IdentifierError           a name the dialect cannot hold exactly (too long, NUL, ...)
    │   └── UnsupportedFeatureError   a construct the chosen dialect cannot express
    ├── JSONError                     bytes that are not JSON, values JSON cannot hold
    │   ├── SerializationError        a user serializer (field_serializer, ...) raised
    │   ├── JSONPointerError          a JSON Pointer that is malformed or names no value
    │   ├── JSONPatchError            a JSON Patch operation that is malformed or fails
    │   └── JSONSchemaError           a JSON Schema that is malformed (the keyword and where)
    ├── CryptoError                   a bad argument to ``ferrule.crypto`` (also a ValueError)
    │   ├── CryptoTypeError           bytes expected and something else given (a TypeError)
    │   └── DecryptionError           a token that does not decrypt, whatever the reason
    ├── MissingDependencyError        an optional extra is not installed (an ImportError)
    ├── DatabaseError                 anything a database or its driver reported
    │   ├── InterfaceError            misuse of the API; a value the driver cannot send
    │   │   └── ArgumentError         a query or parameters of the wrong type or count (TypeError)
    │   ├── ProgrammingError          the statement is wrong: syntax, unknown table or column
    │   ├── IntegrityError            constraint violations (``.constraint`` when known)
    │   │   └── ProtectedError        a delete an ``on_delete="protect"`` key refuses
    │   ├── DataError                 a value the column or operation cannot hold (out of range)
    │   ├── OperationalError          server-side failures (lock timeouts, deadlocks, ...)
    │   │   └── TransactionRollbackError  the server rolled the transaction back (deadlock, ...)
    │   │       └── StaleStatementError   a prepared statement's table changed in a transaction
    │   ├── UnreadableValueError      a value read with no Python form (also a ValueError)
    │   ├── ConnectionError           cannot reach or lost the server
    │   │   └── CircuitOpenError      failing fast while the server is known to be down
    │   ├── PoolTimeoutError          no connection free within the acquire timeout
    │   └── TransactionError          transaction misuse or a failed commit/rollback
    │       └── CommitUnknownError    the connection was lost after COMMIT was sent
    ├── ORMError                      misuse of ``ferrule.orm``
    │   ├── FieldError                an unknown field, lookup or relation name (a ValueError)
    │   ├── DoesNotExist              ``get()`` matched no row (a LookupError)
    │   ├── MultipleObjectsReturned   ``get()`` matched several rows (a LookupError)
    │   ├── RelationNotLoadedError    a relation read before it was loaded (an AttributeError)
    │   ├── NotAwaitedError           a QuerySet used as a list, not awaited (a TypeError)
    │   ├── NoDatabaseError           a model used before any database was opened
    │   └── WriteInDoubtError         an instance whose write was cut in flight (cancelled, lost)
    └── InternalError                 a bug in ferrule itself (a Rust panic caught at the boundary)

``ferrule.crypto`` never names a key, password or plaintext in a message, and a library's own
exception never escapes it (nor is it chained: its text may quote a secret); only the failed
import behind a `MissingDependencyError` is kept as its cause.

When a driver reported the problem, its exception is chained (``__cause__``): nothing is
hidden. The same problem raises the same class on every backend; the class follows the server's
code (SQLSTATE on PostgreSQL, the error number on MariaDB/MySQL, the result code and message on
SQLite), never the driver's own choice of class.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

__all__ = [
    "ArgumentError",
    "CircuitOpenError",
    "CommitUnknownError",
    "ConfigurationError",
    "ConnectionError",
    "CryptoError",
    "CryptoTypeError",
    "DataError",
    "DatabaseError",
    "DecryptionError",
    "DoesNotExist",
    "ExpressionError",
    "FerruleError",
    "FieldError",
    "IdentifierError",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "JSONError",
    "JSONPatchError",
    "JSONPointerError",
    "JSONSchemaError",
    "MissingDependencyError",
    "MultipleObjectsReturned",
    "NoDatabaseError",
    "NotAwaitedError",
    "ORMError",
    "OperationalError",
    "PoolTimeoutError",
    "ProgrammingError",
    "ProtectedError",
    "PydanticCustomError",
    "RelationNotLoadedError",
    "SQLError",
    "SchemaError",
    "SerializationError",
    "StaleStatementError",
    "TransactionError",
    "TransactionRollbackError",
    "UnreadableValueError",
    "UnsupportedFeatureError",
    "ValidationError",
    "WriteInDoubtError",
]


class FerruleError(Exception):
    """Root of every ferrule exception."""


class ConfigurationError(FerruleError, ValueError):
    """A setting, option or URL is malformed; the message names the bad part."""


class SchemaError(FerruleError, TypeError):
    """A model declares an annotation or option ferrule cannot enforce."""


class SQLError(FerruleError):
    """A query cannot be built or compiled."""


class ExpressionError(SQLError, TypeError):
    """A plain value (``"name"``) given where an SQL expression belongs: binding it as a
    parameter would select the text or sort by a constant, silently."""


class IdentifierError(SQLError):
    """A table, column or alias name the dialect cannot hold exactly: longer than its limit
    (the server would truncate it, and two long names would collide) or containing NUL.

    ``problem`` is the same text from both compilers; ``limit`` is the dialect's maximum length
    when that is the problem, else None."""

    def __init__(self, dialect: str, name: str, problem: str, limit: int | None = None) -> None:
        super().__init__(f"identifier {name!r} {problem} ({dialect} dialect)")
        self.dialect = dialect
        self.name = name
        self.problem = problem
        self.limit = limit


class UnsupportedFeatureError(SQLError):
    """The dialect cannot express a construct; never silently emit wrong SQL."""

    def __init__(self, dialect: str, feature: str) -> None:
        super().__init__(f"{feature} is not supported by the {dialect} dialect")
        self.dialect = dialect
        self.feature = feature


class JSONError(FerruleError, ValueError):
    """Invalid JSON input, or a value that cannot be encoded as JSON.

    A refused document says where: ``offset`` (bytes into its UTF-8 text), ``line`` and
    ``column`` (from 1; the column counts characters). All three are None for an encoding
    error."""

    def __init__(
        self,
        message: str,
        offset: int | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.offset = offset
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.offset, self.line, self.column))


class SerializationError(JSONError):
    """A serializer function (``field_serializer``, ``model_serializer``, ``PlainSerializer``,
    ...) raised while a model was dumped (pydantic's ``PydanticSerializationError``). The
    function's own exception is the ``__cause__``; the message names the function."""


class JSONPointerError(JSONError):
    """A JSON Pointer (RFC 6901) that is malformed, or that names no value in the document.

    ``pointer`` is the pointer's text and ``problem`` says what is wrong with it (``offset``,
    ``line`` and ``column`` are None: a pointer works on Python data, not on JSON text)."""

    def __init__(self, pointer: str, problem: str) -> None:
        super().__init__(f"JSON pointer {pointer!r}: {problem}")
        self.pointer = pointer
        self.problem = problem

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.pointer, self.problem))


class JSONPatchError(JSONError):
    """A JSON Patch (RFC 6902) that is malformed, or an operation of it that cannot be applied
    (a ``test`` that fails, a path that names nothing, ...). Nothing of the patch was applied.

    ``index`` is the position of the failing operation in the patch and ``op`` its name, when
    known (None for a patch that is not a list, or an operation without a valid ``op``);
    ``offset``, ``line`` and ``column`` are None, as for `JSONPointerError`."""

    def __init__(self, problem: str, index: int | None = None, op: str | None = None) -> None:
        where = "" if index is None else f"operation {index}{'' if op is None else f' ({op})'}: "
        super().__init__(where + problem)
        self.problem = problem
        self.index = index
        self.op = op

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem, self.index, self.op))


class JSONSchemaError(JSONError):
    """A JSON Schema that cannot be compiled: a keyword of the wrong type, a ``$ref`` to
    nothing, a bad regular expression. ``pointer`` is the JSON Pointer of the bad keyword
    inside the schema (``"/properties/age/minimum"``); ``problem`` says what is wrong."""

    def __init__(self, problem: str, pointer: str) -> None:
        super().__init__(f"invalid JSON Schema at {pointer or '(the root)'!s}: {problem}")
        self.problem = problem
        self.pointer = pointer

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem, self.pointer))


class CryptoError(FerruleError, ValueError):
    """A bad argument to ``ferrule.crypto``: an unknown algorithm, a key of the wrong length, a
    size out of range, a password hash in no known format. The message names the argument,
    never its value (it may be a key or a password)."""


class CryptoTypeError(CryptoError, TypeError):
    """Bytes were expected and something else was given: ``str`` (encode it first), ``int``, an
    object whose buffer cannot be read. Also a ``TypeError``, as Python raises."""


class DecryptionError(CryptoError):
    """A token did not decrypt: tampered with, truncated, made with another key or other
    associated data, an unknown version or key id. One class and one message for every
    reason, so that a caller cannot be made into an oracle that tells them apart."""


class MissingDependencyError(FerruleError, ImportError):
    """A feature needs an optional extra that is not installed; ``extra`` names it and the
    message says how to install it (``pip install ferrule[crypto]``)."""

    def __init__(self, message: str, extra: str) -> None:
        super().__init__(message)
        self.extra = extra


class DatabaseError(FerruleError):
    """Anything the database or its driver reported."""


class InterfaceError(DatabaseError):
    """The API was misused (a closed connection, a released transaction, ...), or a value
    cannot be sent as given (a lone surrogate, NUL in PostgreSQL SQL text, a type the driver
    has no encoding for, a tz-aware time for a column that would drop the offset). Raised
    before anything reaches the server: the connection stays usable."""


class ArgumentError(InterfaceError, TypeError):
    """A query or its parameters have the wrong type or count: parameters that are not a
    sequence (a ``str``, ``dict``, ``int``, ``set``, ...), not one per placeholder, a query that
    is neither SQL text nor compilable, ``copy_records`` records of the wrong width. Also a
    ``TypeError``, as Python raises for a call with arguments of the wrong type or number."""


class ProgrammingError(DatabaseError):
    """The statement is wrong: a syntax error, an unknown table, column or function, a table
    that already exists (SQLSTATE class 42 and its equivalents)."""


class DataError(DatabaseError):
    """A value does not fit where it goes: a number past its column's range or an integer
    result past 64 bits, text longer than its column, a division by zero the server refuses
    (PostgreSQL SQLSTATE class 22, MariaDB/MySQL errors such as 1264, 1406 and 1690; SQLite's
    own integer overflow, and the range checks ferrule's SQLite tables carry). Nothing of the
    statement was written."""


class IntegrityError(DatabaseError):
    """A constraint was violated; ``constraint`` names it when the server says which."""

    def __init__(self, message: str, constraint: str | None = None) -> None:
        super().__init__(message)
        self.constraint = constraint


class ProtectedError(IntegrityError):
    """A delete refused by an ``on_delete="protect"`` key still naming a row it removes
    (Django's ``ProtectedError``): nothing was deleted."""


class OperationalError(DatabaseError):
    """The server failed to run a statement (lock timeout, deadlock, disk full, ...)."""


class TransactionRollbackError(OperationalError):
    """The server rolled the whole transaction back to break a deadlock or a serialization
    conflict (PostgreSQL SQLSTATE 40001 and 40P01, MariaDB/MySQL error 1213). Nothing of the
    transaction committed: running it again from the start is safe and is what the server
    asks for. Raised where the transaction's block ends, or at once outside a block."""


class StaleStatementError(TransactionRollbackError):
    """A statement prepared on this connection (asyncpg caches them) reads a table whose
    definition changed since (``ALTER TABLE``, or ``DROP`` and ``CREATE`` by another process),
    inside a transaction: PostgreSQL refuses to run the old plan and cannot prepare it again
    there, and the transaction is aborted. The statement is forgotten: running the transaction
    again from the start prepares it afresh. Outside a transaction it is prepared again at once
    and no error is raised."""


class UnreadableValueError(DatabaseError, ValueError):
    """The database returned a value that has no Python form, so no value stands in for it:
    PostgreSQL's ``infinity`` and ``-infinity`` dates and timestamps, a date or timestamp
    outside Python's years 1-9999. ``column`` names the result column. The statement ran (a
    write with ``RETURNING`` wrote); the connection and its transaction stay usable. Select the
    column in a form Python has (``CASE WHEN isfinite(x) THEN x END``, ``x::text``)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


class ConnectionError(DatabaseError):
    """The server cannot be reached, or the connection was lost. Inside a transaction block
    nothing of the block committed (see ``CommitUnknownError`` for a lost COMMIT); a single
    write outside any block that was on its way when the connection went may or may not have
    been applied (the server commits it on its own): the error then carries a note saying so
    (``__notes__``), the ORM instance it wrote is in doubt (``WriteInDoubtError``): check, or
    write inside a block. Raised before anything was sent (the server unreachable), it has no
    such note: nothing ran."""


class CircuitOpenError(ConnectionError):
    """Repeated connection failures: calls fail fast until the back-off period ends."""


class PoolTimeoutError(DatabaseError):
    """No pooled connection became free within the acquire timeout."""


class TransactionError(DatabaseError):
    """A transaction was misused or could not be committed or rolled back."""


class CommitUnknownError(TransactionError):
    """The connection was lost after COMMIT was sent: the transaction may or may not have
    committed, and only the database can tell. Check before retrying (an idempotency key, a
    read-back). Any other error raised by a transaction block means nothing of it committed."""


class ORMError(FerruleError):
    """``ferrule.orm`` was used in a way it cannot honour; the message names model and field."""


class FieldError(ORMError, ValueError):
    """A name that is no field, lookup or relation of the model (with a "did you mean")."""


class DoesNotExist(ORMError, LookupError):
    """``get()`` found no row. Each ORM model has its own subclass, ``Model.DoesNotExist``."""


class MultipleObjectsReturned(ORMError, LookupError):
    """``get()`` found more than one row (``Model.MultipleObjectsReturned`` per model)."""


class RelationNotLoadedError(ORMError, AttributeError):
    """A relation was read that no query loaded: ferrule never runs a hidden query. Add
    ``select_related``/``prefetch_related`` or ``await obj.fetch_related(...)``."""


class NotAwaitedError(ORMError, TypeError):
    """A QuerySet iterated, sized or tested for truth as a list: its rows are read with
    ``await qs``, ``async for``, ``await qs.count()`` or ``await qs.exists()``."""


class NoDatabaseError(ORMError):
    """A model was used before any database was opened (``await ferrule.connect(url)``)."""


class WriteInDoubtError(ORMError):
    """The instance's last ``save()`` or ``delete()`` ran outside any transaction block and
    was cancelled, or lost its connection, while its statement was on its way to the
    database: it may or may not have committed, so the instance is not trusted to say what
    the database holds. Its next ``save()``, ``delete()`` or ``refresh_from_db()`` raises this
    (the message says what to do) instead of duplicating a row or bringing a deleted one
    back."""


class InternalError(FerruleError):
    """A bug in ferrule: a Rust panic was caught at the boundary. Please report it."""


# --- validation errors -------------------------------------------------------------------------

#: One template per stable error code. Both validation cores emit only codes and context values;
#: the messages are formatted here, once, so the native core and the pure-Python twin cannot drift.
MESSAGES: dict[str, str] = {
    "missing": "Field required",
    "extra_forbidden": "Extra inputs are not permitted",
    "model_type": "Input should be a valid dictionary or instance of {class_name}",
    "frozen_instance": "Instance is frozen",
    "frozen_field": "Field is frozen",
    "no_such_attribute": "Object has no attribute '{attribute}'",
    "int_type": "Input should be a valid integer",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "int_parsing_size": "Unable to parse input string as an integer, exceeded maximum size",
    "float_type": "Input should be a valid number",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "finite_number": "Input should be a finite number",
    "bool_type": "Input should be a valid boolean",
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "string_type": "Input should be a valid string",
    "string_unicode": (
        "Input should be a valid string, unable to parse raw data as a unicode string"
    ),
    "string_too_short": "String should have at least {min_length} character{s}",
    "string_too_long": "String should have at most {max_length} character{s}",
    "string_pattern_mismatch": "String should match pattern '{pattern}'",
    "email_invalid": "Value is not a valid email address",
    "url_parsing": "Input should be a valid URL, {error}",
    "bytes_type": "Input should be a valid bytes",
    "bytes_too_short": "Data should have at least {min_length} byte{s}",
    "bytes_too_long": "Data should have at most {max_length} byte{s}",
    "bytes_invalid_encoding": "Data should be valid {encoding}: {encoding_error}",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "multiple_of": "Input should be a multiple of {multiple_of}",
    "datetime_type": "Input should be a valid datetime",
    "datetime_parsing": "Input should be a valid datetime, {error}",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, {error}",
    "date_type": "Input should be a valid date",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD, {error}",
    "date_from_datetime_parsing": "Input should be a valid date or datetime, {error}",
    "date_from_datetime_inexact": (
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "time_type": "Input should be a valid time",
    "time_parsing": "Input should be in a valid time format, {error}",
    "time_delta_type": "Input should be a valid timedelta",
    "time_delta_parsing": "Input should be a valid timedelta, {error}",
    "uuid_type": "UUID input should be a string, bytes or UUID object",
    "uuid_parsing": "Input should be a valid UUID, {error}",
    "decimal_type": "Decimal input should be an integer, float, string or Decimal object",
    "decimal_parsing": "Input should be a valid decimal",
    "decimal_max_digits": "Decimal input should have no more than {max_digits} digit{s} in total",
    "decimal_max_places": (
        "Decimal input should have no more than {decimal_places} decimal place{s}"
    ),
    "decimal_whole_digits": (
        "Decimal input should have no more than {whole_digits} digit{s} before the decimal point"
    ),
    "is_instance_of": "Input should be an instance of {class}",
    "needs_python_object": (
        "Cannot check `{method_name}` when validating from json, "
        "use a JsonOrPython validator instead"
    ),
    "enum": "Input should be {expected}",
    "literal_error": "Input should be {expected}",
    "list_type": "Input should be a valid list",
    "tuple_type": "Input should be a valid tuple",
    "set_type": "Input should be a valid set",
    "frozen_set_type": "Input should be a valid frozenset",
    "set_item_not_hashable": "Set items should be hashable",
    "dict_key_not_hashable": "Dictionary keys should be hashable",
    "dict_type": "Input should be a valid dictionary",
    "too_short": "{field_type} should have at least {min_length} item{s} after validation, "
    "not {actual_length}",
    "too_long": "{field_type} should have at most {max_length} item{s} after validation, "
    "not {actual_length}",
    "union_tag_invalid": (
        "Input tag '{tag}' found using {discriminator} does not match any of the expected "
        "tags: {expected_tags}"
    ),
    "union_tag_not_found": "Unable to extract tag using discriminator {discriminator}",
    "get_attribute_error": "Error extracting attribute: {error}",
    "model_attributes_type": (
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "json_invalid": "Invalid JSON: {error}",
    "recursion_loop": "Recursion error - cyclic reference detected",
    "value_error": "Value error, {error}",
    "iteration_error": "Error iterating over object, error: {error}",
    "ip_v4_address": "Input is not a valid IPv4 address",
    "ip_v6_address": "Input is not a valid IPv6 address",
    "ip_any_address": "value is not a valid IPv4 or IPv6 address",
    "ip_v4_network": "Input is not a valid IPv4 network",
    "ip_v6_network": "Input is not a valid IPv6 network",
    "ip_any_network": "value is not a valid IPv4 or IPv6 network",
    "ip_v4_interface": "Input is not a valid IPv4 interface",
    "ip_v6_interface": "Input is not a valid IPv6 interface",
    "ip_any_interface": "value is not a valid IPv4 or IPv6 interface",
    "path_type": "Input is not a valid path",
    "path_not_file": "Path does not point to a file",
    "path_not_directory": "Path does not point to a directory",
    "path_exists": "Path already exists",
    "pattern_type": "Input should be a valid pattern",
    "pattern_regex": "Input should be a valid regular expression",
    "sequence_str": "'{type_name}' instances are not allowed as a Sequence value",
    "deque_type": "Input should be a valid deque",
    "name_email_type": "Input is not a valid NameEmail",
    "named_tuple_type": "Input should be a tuple, list, dictionary or an instance of {class_name}",
    "dataclass_type": "Input should be a dictionary or an instance of {class_name}",
    "url_type": "URL input should be a string or URL",
    "url_scheme": "URL scheme should be {expected_schemes}",
    "url_too_long": "URL should have at most {max_length} character{s}",
    "byte_size": "could not parse value and unit from byte string",
    "byte_size_unit": "could not interpret byte unit: {unit}",
    "json_type": "JSON input should be string, bytes or bytearray",
    "assertion_error": "Assertion failed, {error}",
}

#: Messages of codes that also come without their context (a union with no choices).
_WITHOUT_CTX = {"union_tag_invalid": "Input does not match any member of the union"}

#: A raw error as the cores produce it: (loc, type, input, ctx, custom message or None).
RawError = tuple[tuple[int | str, ...], str, Any, "dict[str, Any] | None", "str | None"]


def format_message(error_type: str, ctx: dict[str, Any] | None) -> str:
    """Render the message for one error code with its context values."""
    template = MESSAGES.get(error_type, error_type)
    if not ctx:
        return _WITHOUT_CTX.get(error_type, template)
    values = dict(ctx)
    for key in ("min_length", "max_length", "max_digits", "decimal_places", "whole_digits"):
        if key in values:
            values.setdefault("s", "" if values[key] == 1 else "s")
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


class ValidationError(FerruleError, ValueError):
    """Input did not fit a model. ``errors()`` lists every problem, never only the first.

    The cores hand over raw ``(loc, type, input, ctx, message)`` tuples (the native core as a
    compact sequence that makes them when read); messages are rendered lazily, so collecting
    errors stays cheap until somebody reads them. With the native core, ``errors()`` is a C
    method installed below.
    """

    def __init__(self, title: str, raw_errors: Sequence[RawError]) -> None:
        # everything lives in args: the native core creates instances without calling __init__
        super().__init__(title, list(raw_errors))

    @property
    def title(self) -> str:
        """The name of the model (or schema) that was validated."""
        title: str = self.args[0]
        return title

    @property
    def _raw(self) -> list[RawError]:
        # the native core keeps its lines in a compact sequence; everything else sees a list
        raw = self.args[1]
        return raw if isinstance(raw, list) else list(raw)

    def errors(
        self, *, include_url: bool = True, include_context: bool = True, include_input: bool = True
    ) -> list[dict[str, Any]]:
        """Every error as a dict with ``loc``, ``type``, ``msg``, ``input`` (and ``ctx``).

        pydantic's flags: ``include_context``/``include_input`` drop those keys; ferrule has no
        error pages, so there is no ``url`` to include (the flag is accepted, as pydantic code
        passes it)."""
        for name, flag in (
            ("include_url", include_url),
            ("include_context", include_context),
            ("include_input", include_input),
        ):
            if type(flag) is not bool:
                raise TypeError(f"errors(): {name} must be True or False")
        out: list[dict[str, Any]] = []
        for loc, error_type, value, ctx, custom in self._raw:
            item: dict[str, Any] = {
                "type": error_type,
                "loc": tuple(loc),
                "msg": custom if custom is not None else format_message(error_type, ctx),
            }
            if include_input:
                item["input"] = value
            if ctx and include_context:
                item["ctx"] = dict(ctx)
            out.append(item)
        return out

    def error_count(self) -> int:
        return len(self.args[1])

    def json(
        self,
        *,
        indent: int | None = None,
        include_url: bool = True,
        include_context: bool = True,
        include_input: bool = True,
    ) -> str:
        """`errors()` as JSON text (pydantic's ``ValidationError.json()``); an input or context
        value JSON has no form for is written as its ``str()``."""
        found = self.errors(
            include_url=include_url, include_context=include_context, include_input=include_input
        )
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(
            found, indent=indent, separators=separators, default=_as_text, ensure_ascii=False
        )

    def __str__(self) -> str:
        count = len(self._raw)
        lines = [f"{count} validation error{'s' if count != 1 else ''} for {self.title}"]
        for error in self.errors():
            where = ".".join(str(part) for part in error["loc"]) or "<root>"
            shown = _short_repr(error["input"])
            lines.append(f"  {where}: {error['msg']} [type={error['type']}, input={shown}]")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ValidationError({self.title!r}, {len(self._raw)} errors)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.title, self._raw))


class PydanticCustomError(FerruleError, ValueError):
    """Raised in a validator: an error of the validator's own ``error_type``, whose message is
    ``message_template`` with ``{name}`` filled from ``context`` (also the error's ``ctx``).
    pydantic_core's name and signature, so such validators move unchanged."""

    def __init__(
        self, error_type: str, message_template: str, context: dict[str, Any] | None = None
    ) -> None:
        if not isinstance(error_type, str) or not isinstance(message_template, str):
            raise TypeError("PydanticCustomError(error_type, message_template) takes two str")
        if context is not None and not isinstance(context, dict):
            raise TypeError("PydanticCustomError context must be a dict or None")
        super().__init__(error_type, message_template, context)
        self.type = error_type
        self.message_template = message_template
        self.context = context

    def message(self) -> str:
        """The template with each ``{name}`` of the context replaced by its ``str()``."""
        text = self.message_template
        for key, value in (self.context or {}).items():
            text = text.replace("{" + str(key) + "}", _as_text(value))
        return text

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"{self.message()} [type={self.type}, context={self.context!r}]"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.type, self.message_template, self.context))


def pure_python_requested() -> bool:
    """Whether ``FERRULE_PURE_PYTHON`` asks for the pure-Python twins of the native core: "1"
    yes, "0" or unset no. The one reader of the variable (the lowest layer, so that models,
    errors and SQL all give it this meaning); any other value is a `ConfigurationError`."""
    value = os.environ.get("FERRULE_PURE_PYTHON", "")
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ConfigurationError(
        "FERRULE_PURE_PYTHON must be 1 (the pure-Python core) or 0 or unset (the native "
        f"core), not {value!r}"
    )


def _install_native_errors() -> None:
    """Swap `ValidationError.errors` for the core's C method (same output, no Python frame),
    unless the pure-Python twin was asked for."""
    if pure_python_requested():
        return
    try:
        from ferrule._ferrule import install_errors_method
    except ImportError:  # pragma: no cover - the extension is always built with the package
        return

    install_errors_method(ValidationError, MESSAGES)


_install_native_errors()


def _as_text(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # an input whose __str__ fails is still an error to report
        return f"<{type(value).__name__} object>"


def _short_repr(value: Any, limit: int = 60) -> str:
    try:
        text = repr(value)
    except Exception:  # a user object whose __repr__ fails must not hide the real error
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
