"""One model field as a column: its logical type (the table in ``ferrule.sql.types``), its
options, and the conversions a dialect's storage needs on the way in and out.

A value is converted only where the backend cannot hold the Python type itself (``storage``
of the logical type is not ``native``) or where the model holds a richer type than the
column (an ``Enum`` member, stored as its value). Everything else goes to the driver as is."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable
from typing import Any

from ferrule import sql
from ferrule.backends import json_text
from ferrule.backends.params import RefusedValue, refuse_offset
from ferrule.backends.plain import plain_value
from ferrule.errors import DataError, InterfaceError, SchemaError, ValidationError
from ferrule.models.fields import CONSTRAINTS, FieldInfo
from ferrule.orm import json_types, readers
from ferrule.orm.fields import ColumnInfo, Relation
from ferrule.sql.ddl import UNSET
from ferrule.sql.types import LogicalType, column_type, logical_type

__all__ = [
    "INT_RANGES",
    "Column",
    "bounded_column",
    "build_column",
    "column_constraints",
    "flag_integer",
    "read_column",
    "unsigned_zero",
]

Convert = Callable[[Any], Any] | None
_UTC = dt.timezone.utc
_MICRO = dt.timedelta(microseconds=1)

#: schema type -> logical type name, for annotation-style fields
_BY_SCHEMA = {
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "date": "date",
    "time": "time",
    "timedelta": "timedelta",
    "uuid": "uuid",
    "dict": "json",
    "list": "json",
    "any": "json",
}


#: the values each integer column type holds, on every database
INT_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "int": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def column_constraints(
    info: FieldInfo, tag: str, schema: dict[str, Any] | None = None, where: str = "an int field"
) -> dict[str, Any]:
    """The bounds (``ge``, ``le``) of the integer column a field whose schema type is ``tag``
    is stored in, and ``allow_inf_nan=False`` for a float column (unless the field says
    otherwise); none for any other. Added to the field's schema (``Model``'s
    ``__ferrule_column_constraints__``), they make a value the column cannot hold a
    ``ValidationError`` on every database: SQLite stored it, the servers refused it each
    with its own error.

    A float column holds the finite doubles: MariaDB's ``DOUBLE`` has no NaN nor infinity,
    SQLite stores NULL for a NaN, and only PostgreSQL keeps all three, so each is refused
    everywhere (``sql.type_checks`` refuses an infinite result of arithmetic on SQLite, as
    the servers do). Its zero is unsigned: ``-0.0`` is written as ``0.0``
    (``Column.converters``), which SQLite and MariaDB store anyway and which is ``==``.

    ``schema`` is the field's own type schema (its user bounds, ``Annotated`` ones too) and
    ``where`` names the field: an int field of no declared column type is stored in the
    column its bounds need (`bounded_column`). A datetime ``db_default`` of the other kind
    than its field (naive or aware) is refused here, as the model is defined."""
    if tag == "datetime" and isinstance(info, ColumnInfo):
        kind = "datetime_tz" if info.tz else "datetime"
        _db_default(where, logical_type(kind), info.db_default)  # refused as it is defined
    if tag == "float":
        given = info.constraints.get("allow_inf_nan")
        return {"allow_inf_nan": False} if given is None else {}
    if tag != "int":
        return {}
    bounds = INT_RANGES.get(_int_column(info, schema, where) or "")
    return {"ge": bounds[0], "le": bounds[1]} if bounds is not None else {}


def _int_column(
    info: FieldInfo, schema: dict[str, Any] | None = None, where: str = "an int field"
) -> str | None:
    """The column type of an int field, as `build_column` picks it (None: not an integer
    column, such as an encrypted field's text): the declared one (``IntField``, ...), a
    relation's target key's, else the one its bounds need."""
    bounds = schema if schema is not None else info.constraints
    if isinstance(info, ColumnInfo):
        if info.encryption is not None or info.logical in ("text", "json"):
            return None
        if info.relation is not None:
            return _key_column(info.relation.target)
        if info.logical in INT_RANGES:
            _within_declared(info.logical, bounds, where)
            return info.logical
    return bounded_column(bounds, where)


def bounded_column(bounds: Any, where: str) -> str:
    """The integer column of a field that declares no column type: ``INTEGER``, or
    ``BIGINT`` when its bounds (``ge``/``gt``/``le``/``lt`` of ``bounds``) allow a value
    beyond 32 bits, so a value the user's own bound accepts is one the column holds. Never
    narrower than ``INTEGER`` (a bounded field keeps the column it always had). A bound
    beyond 64 bits is a `SchemaError`: no column holds the values it allows exactly."""
    low, high = _bound(bounds, "ge", "gt", 1), _bound(bounds, "le", "lt", -1)
    lowest, highest = INT_RANGES["bigint"]
    if (low is not None and low < lowest) or (high is not None and high > highest):
        raise SchemaError(
            f"{where}: its bounds allow integers beyond 64 bits ({low}..{high}), which no"
            f" integer column holds: bound it within {lowest}..{highest}"
        )
    int_low, int_high = INT_RANGES["int"]
    if (low is not None and low < int_low) or (high is not None and high > int_high):
        return "bigint"
    return "int"


_DECLARED = {"smallint": "SmallIntField", "int": "IntField", "bigint": "BigIntField"}


def _within_declared(column: str, bounds: Any, where: str) -> None:
    """A `SchemaError` when the user's bounds allow integers the declared ``column`` type
    cannot hold: the bound and the type contradict each other, and which one is meant is
    not ferrule's to guess."""
    low, high = _bound(bounds, "ge", "gt", 1), _bound(bounds, "le", "lt", -1)
    lowest, highest = INT_RANGES[column]
    if (low is not None and low < lowest) or (high is not None and high > highest):
        raise SchemaError(
            f"{where}: {_DECLARED[column]} holds {lowest}..{highest}, but its bounds allow"
            f" {low if low is not None else '...'}..{high if high is not None else '...'}:"
            " declare a wider field class or bound it within the column"
        )


def _bound(bounds: Any, inclusive: str, exclusive: str, step: int) -> int | None:
    """The inclusive bound of ``bounds`` on one side (``gt=0`` is ``ge=1``); None for none
    (or one that is not an int, which the schema itself refuses or checks)."""
    given = bounds.get(inclusive)
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    given = bounds.get(exclusive)
    if isinstance(given, int) and not isinstance(given, bool):
        return given + step
    return None


def _key_column(target: Any) -> str | None:
    """The type of a relation's key column: its target's primary key's. A target named, not
    yet a class, may have any integer key: the widest range then (the database checks)."""
    if isinstance(target, type):
        declared: dict[str, Any] = getattr(target, "__ferrule_declared__", {})
        for info in declared.values():
            if isinstance(info, ColumnInfo) and info.primary_key:
                return _int_column(info)
    return "bigint"


class Column:
    """A model field stored in a column of the model's table."""

    __slots__ = (
        "_checker",
        "_storage",
        "_writer",
        "auto_now",
        "auto_now_add",
        "column",
        "db_default",
        "encryption",
        "enum",
        "identity",
        "index",
        "logical",
        "model",
        "name",
        "nullable",
        "password",
        "primary_key",
        "relation",
        "schema",
        "unique",
    )

    def __init__(
        self,
        name: str,
        column: str,
        logical: LogicalType,
        *,
        nullable: bool,
        primary_key: bool = False,
        identity: bool = False,
        unique: bool = False,
        index: bool = False,
        db_default: Any = UNSET,
        relation: Relation | None = None,
        auto_now: bool = False,
        auto_now_add: bool = False,
        enum_cls: type[enum.Enum] | None = None,
    ) -> None:
        self.name = name
        self.column = column
        self.logical = logical
        self.nullable = nullable
        self.primary_key = primary_key
        self.identity = identity
        self.unique = unique
        self.index = index
        self.db_default = db_default
        self.relation = relation
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        self.enum = enum_cls
        #: an EncryptedField's conversions (`orm.secrets.Cipher`), set by build_column
        self.encryption: Any = None
        #: a PasswordField's to-database check (only hashes are written), set by build_column
        self.password: Any = None
        self._storage: dict[str, tuple[Convert, Convert]] = {}
        #: the field's validation schema (set by build_column), for values in filters
        self.schema: dict[str, Any] | None = None
        self._checker: Any = None
        self._writer: Any = None
        #: the model class whose table holds the column (set by its ModelInfo)
        self.model: Any = None

    def check(self, value: Any, owner: str) -> Any:
        """``value`` validated as this field's *type* (``ValidationError`` naming the field):
        a filter value must be one the field's type can hold, and an integer one its
        column's range (`INT_RANGES`: ``filter(num=2**40)`` of a 32-bit column is refused,
        whatever the lookup). The field's constraints and validators do not apply:
        ``filter(rating=-1)`` with ``ge=0`` simply matches nothing."""
        if self.schema is None:
            return value
        exact, validate = self.checker(owner)
        return value if type(value) is exact else validate(value)

    def checker(self, owner: str) -> tuple[type | None, Callable[[Any], Any]]:
        """``(exact, validate)``: a value of type ``exact`` passes ``check`` as it is, any
        other goes through ``validate`` (for a field with a schema)."""
        return self._made_checker(owner)[:2]

    def int_range(self, owner: str) -> tuple[int, int] | None:
        """The bounds an ``int`` (exactly) passes ``check`` within, as it is, when the
        field's type is a plain int of a ranged column (`INT_RANGES`); else None."""
        return self._made_checker(owner)[2]  # type: ignore[no-any-return]

    def _made_checker(self, owner: str) -> tuple[Any, ...]:
        checker = self._checker
        if checker is None:
            assert self.schema is not None
            checker = self._checker = self._compiled(type_only(self.schema), owner)
        return checker  # type: ignore[no-any-return]

    def _compiled(
        self, plain: dict[str, Any], owner: str, exact_passes: bool = True
    ) -> tuple[Any, ...]:
        """``(exact, validate, in_range)`` for the schema ``plain``, within the column's
        integer range (`INT_RANGES`); ``exact_passes=False``: every value is validated."""
        from ferrule.models._core import SchemaValidator

        exact = _EXACT.get(plain.get("type", "")) if exact_passes else None
        bounds = INT_RANGES.get(self.logical.name)
        in_range = None
        if bounds is not None:
            in_range = bounds if plain.get("type") == "int" else None
            plain = _in_range(plain, bounds)
            exact = None  # an int is checked too
        validator = SchemaValidator(plain, f"{owner}.{self.name}")
        return exact, validator.validate_python, in_range

    def check_written(self, value: Any, owner: str) -> Any:
        """``value`` validated as ``check`` does, and against the limits the column's own
        type has (``max_length`` of a varchar, ``max_digits``/``decimal_places`` of a
        numeric): a value ``update()`` writes, which ``create()`` would refuse too. Without
        it PostgreSQL and MariaDB rounded a Decimal to the column's scale, and SQLite stored
        text longer than the column, both without a word."""
        if self.schema is None:
            return value
        writer = self._writer
        if writer is None:
            limited = type_only(self.schema, keep=_COLUMN_LIMITS)
            if limited == type_only(self.schema):
                writer = self._writer = self.checker(owner)
            else:
                writer = self._writer = self._compiled(limited, owner, exact_passes=False)[:2]
        exact, validate = writer
        return value if type(value) is exact else validate(value)

    def __repr__(self) -> str:
        return f"<Column {self.name} ({self.column}) {self.logical.name}>"

    def converters(self, dialect: str) -> tuple[Convert, Convert]:
        """``(to_db, from_db)`` for ``dialect``: callables for non-None values, or None."""
        found = self._storage.get(dialect)
        if found is None:
            found = self._storage[dialect] = self._make_converters(dialect)
        return found

    def stored_converters(self, dialect: str) -> tuple[Convert, Convert]:
        """`converters` of the storage alone: a typed JSON field's without its value's
        conversion (`orm.json_types`), for a value read inside it, which is plain JSON."""
        return self._make_converters(dialect, typed=False)

    def _make_converters(self, dialect: str, typed: bool = True) -> tuple[Convert, Convert]:
        if self.encryption is not None:  # a text column of tokens on every dialect
            return self.encryption.to_db, self.encryption.from_db
        if self.password is not None:
            return self.password, None
        storage = column_type(self.logical, dialect).storage
        name = self.logical.name
        where = f"{getattr(self.model, '__name__', '?')}.{self.name}"
        to_db: Convert = None
        from_db: Convert = None
        if storage == "text":  # uuid as text
            to_db, from_db = _uuid_text, readers.uuid_reader(where)
        elif storage == "hex":  # uuid as its 32 hex digits
            to_db, from_db = _uuid_hex, readers.uuid_reader(where, hex_digits=True)
        elif storage == "json_text":
            to_db, from_db = _json_dumps, readers.json_reader(where)
        elif storage == "utc":
            to_db, from_db = _to_naive_utc, _attach_utc
        elif storage == "micros":
            to_db, from_db = _to_micros, readers.micros_reader(where)
        if name == "datetime_tz" and storage == "native":
            # SQLite keeps the text, offset and all: in UTC, equal instants are equal text and
            # text order is time order (the servers compare instants themselves)
            to_db = _in_utc if dialect == "sqlite" else _aware
        if name == "datetime_tz":
            to_db = _within_years(
                to_db or _aware, f"{getattr(self.model, '__name__', '?')}.{self.name}"
            )
        elif name == "datetime":
            to_db = _naive
        elif name == "float" and dialect == "postgres":
            to_db = unsigned_zero  # the others keep no sign (``column_constraints``)
        elif name == "time" and dialect == "sqlite":
            to_db = _naive_time  # the servers' backends refuse it themselves
        elif name in ("uuid", "uuid_hex") and dialect == "postgres":
            from_db = _stdlib_uuid  # asyncpg hands out its own UUID subclass
        elif name == "uuid" and dialect == "sqlite":
            from_db = readers.uuid_reader(where)  # text, in a column not declared UUID
        elif name == "bool" and dialect in ("sqlite", "mysql"):
            from_db = readers.flag_reader(where)  # an integer: `read_column`
        elif name == "json" and dialect == "sqlite":
            # the text, whatever the column is declared: `read_column` keeps the driver from
            # decoding a column declared JSON (Django's JSONField is a ``text`` column)
            to_db, from_db = _json_dumps, readers.json_reader(where)
        elif name == "decimal" and dialect == "sqlite":
            # SQLite keeps a double: 9.5 comes back as Decimal('9.5'), where the servers'
            # DECIMAL(p, 2) answers Decimal('9.50')
            from_db = readers.decimal_reader(self.logical.scale or 0, where)
        if name in _TEXT_MOMENTS and dialect == "sqlite":
            # the text (`read_column`): in the form filters compare, of the field's kind
            from_db = readers.text_moment_reader(name, where)
        elif name in ("datetime", "datetime_tz") and dialect == "postgres":
            # a timestamp or timestamptz of the other kind, in a column another program made
            from_db = readers.moment_reader(name == "datetime_tz", where)
        elif name == "decimal" and dialect == "postgres":
            from_db = readers.finite_decimal(where)  # a numeric column holds NaN, Infinity
        if name in ("datetime", "datetime_tz") and to_db is not None:
            to_db = _titled(to_db, where)  # a naive/aware mismatch names the field
        elif name == "timedelta":
            to_db = _in_micros(to_db, where)
        schema = self.schema
        if typed and name == "json" and schema is not None and not json_types.is_plain(schema):
            to_db, from_db = json_types.converters(schema, where, to_db, from_db)
        if self.enum is not None:
            members = self.enum

            def enum_out(value: Any) -> Any:
                return value.value if isinstance(value, members) else members(value).value

            to_db, from_db = enum_out, readers.enum_reader(members, where)
        return to_db, from_db


#: the logical types SQLite keeps as text that filters compare
_TEXT_MOMENTS = frozenset({"datetime", "datetime_tz", "date", "time"})


def read_column(column: Column, qualifier: str | None, dialect: str, result: bool = True) -> Any:
    """``column`` as the ORM reads it in a result (``result``) or compares it.

    On SQLite a JSON field's column is ``+column``, wherever it is named: the driver decodes
    a column by its declared type, so a ferrule table's ``JSON TEXT`` came decoded and a
    ``text`` column (Django's JSONField) as its text, which the field could not tell from a
    string value. An expression has no declared type, so the field always gets the text and
    decodes it itself (``+`` is SQLite's no-op).

    A date, time or datetime field's column, in a result on SQLite, is its text: filters
    compare that text, so `readers.text_moment_reader` reads only the form ferrule writes.

    A boolean field's column, in a result on SQLite and MariaDB, is its integer (``+column``;
    ``column + 0``, as MariaDB hands ``+column`` of a ``tinyint(1)`` over as a bool too): the
    drivers made any non-zero value True, which ``filter(flag=True)`` (``= 1``) does not find,
    and `readers.flag_reader` refuses it. A comparison keeps the bare column (and its index).

    An integer field's column, in a result on MariaDB, is ``column + 0`` too: asyncmy's
    description makes any ``tinyint(1)`` a boolean (hand-written tables use it for small
    numbers), and the backend read 5 there as True.

    In a result the expression keeps the column's name (``AS``), which a query over it as a
    derived table (``orm.grouping``, ``orm.window_filters``) reads it by."""
    found = sql.column(column.column, qualifier)
    name = column.logical.name
    if result and dialect == "mysql" and name in INT_RANGES and column.encryption is None:
        return sql.raw("? + 0", found).label(column.column)  # a tinyint(1): not a bool
    if column.encryption is not None or column.enum is not None:
        return found
    if (dialect == "sqlite" and name == "json") or (
        result and dialect == "sqlite" and name in _TEXT_MOMENTS
    ):
        made = sql.raw("+?", found)
    elif result and name == "bool" and dialect in ("sqlite", "mysql"):
        made = flag_integer(column, found, dialect)
    else:
        return found
    return made.label(column.column) if result else made


def flag_integer(column: Column, expr: Any, dialect: str) -> Any:
    """``expr``, the bare column of ``column``, as its integer where it is a boolean of SQLite
    or MariaDB (``+col``, ``col + 0``), else as it is: what an ``F()`` of the field and the
    ``Min``/``Max`` of it read, so that `readers.flag_reader` sees a stored 2 (the drivers
    made it True, which ``filter(flag=True)`` does not find), as `read_column` does."""
    if column.logical.name != "bool" or column.enum is not None or column.encryption is not None:
        return expr
    if dialect == "sqlite":
        return sql.raw("+?", expr)
    return sql.raw("? + 0", expr) if dialect == "mysql" else expr


#: schema types whose values of exactly this Python type pass the type check unchanged
_EXACT = {"int": int, "str": str, "float": float, "bool": bool, "bytes": bytes}
_WRAPPERS = ("function_after", "function_before", "function_wrap")


#: the constraints a column's own type holds (varchar(n), numeric(p, s))
_COLUMN_LIMITS = ("max_length", "max_digits", "decimal_places", "allow_inf_nan")


def type_only(schema: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """A field schema without its constraints (but those in ``keep``) and validators: what
    a filter value is checked against."""
    kind = schema.get("type")
    if kind in _WRAPPERS:
        return type_only(schema["schema"], keep)
    if kind == "function_plain":
        return {"type": "any"}
    out = {k: v for k, v in schema.items() if k not in CONSTRAINTS or k in keep}
    for key in ("schema", "items", "keys", "values"):
        if isinstance(out.get(key), dict):
            out[key] = type_only(out[key], keep)
    return out


def _in_range(schema: dict[str, Any], bounds: tuple[int, int]) -> dict[str, Any]:
    """An int (or nullable int) schema bounded by ``bounds``; any other as it is."""
    if schema.get("type") == "nullable":
        return {**schema, "schema": _in_range(schema["schema"], bounds)}
    if schema.get("type") != "int":
        return schema
    return {**schema, "ge": bounds[0], "le": bounds[1]}


def unsigned_zero(value: Any) -> Any:
    """A float with its zero unsigned (``-0.0 + 0.0`` is ``0.0``); anything else as it is:
    PostgreSQL's ``to_db`` of a float column (``column_constraints`` says why)."""
    return value + 0.0 if type(value) is float else value


def _stdlib_uuid(value: Any) -> uuid.UUID:
    return value if type(value) is uuid.UUID else uuid.UUID(int=value.int)


def _json_dumps(value: Any) -> str:
    return json_text.dumps(value)


def _zone_error(value: dt.datetime, kind: str, message: str) -> ValidationError:
    """pydantic's ``timezone_aware``/``timezone_naive`` error (titled by `_titled`)."""
    return ValidationError("", [((), kind, value, None, message)])


def _aware(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise _zone_error(
            value,
            "timezone_aware",
            f"naive datetime {value.isoformat()} for a time-zone aware column: give it a tzinfo "
            "(or declare the field with tz=False)",
        )
    return value


def _naive(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        raise _zone_error(
            value,
            "timezone_naive",
            f"aware datetime {value.isoformat()} for a column declared tz=False: convert it "
            "to naive first, or declare the field time-zone aware",
        )
    return value


#: the durations every database holds: SQLite and MariaDB keep a 64-bit count of microseconds
_MICROS_HIGH = dt.timedelta(microseconds=2**63 - 1)
_MICROS_LOW = dt.timedelta(microseconds=-(2**63))


def _in_micros(convert: Convert, where: str) -> Callable[[Any], Any]:
    """``convert`` (or nothing, on PostgreSQL), a duration past what a 64-bit count of
    microseconds holds being a ``ValidationError`` on every database (PostgreSQL's interval
    would keep it; the others cannot), as an int past its column is."""

    def checked(value: Any) -> Any:
        if isinstance(value, dt.timedelta) and not _MICROS_LOW <= value <= _MICROS_HIGH:
            kind, ctx = (
                ("less_than_equal", {"le": _MICROS_HIGH})
                if value > _MICROS_HIGH
                else ("greater_than_equal", {"ge": _MICROS_LOW})
            )
            raise ValidationError(where, [((), kind, value, ctx, None)])
        return value if convert is None else convert(value)

    return checked


def _titled(convert: Callable[[Any], Any], where: str) -> Callable[[Any], Any]:
    """``convert``, its zone errors titled ``Model.field``, as a field's own errors are."""

    def titled(value: Any) -> Any:
        try:
            return convert(value)
        except ValidationError as exc:
            raise ValidationError(where, exc._raw) from None

    return titled


def _naive_time(value: Any) -> Any:
    """A time column keeps no offset on PostgreSQL and MariaDB; SQLite would keep the text,
    and compare it as text: refused there too, with the servers' error."""
    if isinstance(value, dt.time):
        try:
            refuse_offset(value, "time")
        except RefusedValue as exc:
            raise InterfaceError(str(exc)) from None
    return value


def _within_years(convert: Callable[[Any], Any], where: str) -> Callable[[Any], Any]:
    """``convert`` of an aware datetime, refused with a ``DataError`` naming ``where`` when
    its instant in UTC, which every database keeps, is before year 1 or after 9999 (Python's
    own range: ``astimezone`` raised a bare OverflowError on SQLite and MariaDB, asyncpg a
    DataError naming a query argument). Only a value in year 1 or 9999 can be one."""

    def to_db(value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.year in (1, 9999) and value.tzinfo:
            try:
                value.astimezone(_UTC)
            except OverflowError:
                raise DataError(
                    f"{where}: {value.isoformat(' ')} is outside the years 1-9999 in UTC,"
                    " where every database keeps an aware datetime"
                ) from None
        return convert(value)

    return to_db


def _in_utc(value: Any) -> Any:
    # the datetime a subclass instance holds (plain_value): its own astimezone may lie
    return _aware(plain_value(value)).astimezone(_UTC) if isinstance(value, dt.datetime) else value


def _to_naive_utc(value: Any) -> Any:
    return _aware(plain_value(value)).astimezone(_UTC).replace(tzinfo=None)


def _attach_utc(value: Any) -> Any:
    return value.replace(tzinfo=_UTC) if isinstance(value, dt.datetime) else value


def _to_micros(value: Any) -> int:
    if not isinstance(value, dt.timedelta):
        return value  # type: ignore[no-any-return]
    held: dt.timedelta = plain_value(value)  # what it holds: its own __floordiv__ may lie
    return held // _MICRO


def _uuid_text(value: Any) -> str:
    return str(plain_value(value))  # (a UUID subclass's __str__ may lie)


def _uuid_hex(value: Any) -> str:
    return plain_value(value).hex  # type: ignore[no-any-return]


def _strip_nullable(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The type schema a column stores (the user's after, before and wrap validators
    change values, not the type they are checked as) and whether it takes None."""
    nullable = False
    while True:
        kind = schema.get("type")
        if kind == "nullable":
            nullable = True
        elif kind not in _WRAPPERS:
            return schema, nullable
        schema = schema["schema"]


def _literal_type(where: str, values: list[Any]) -> LogicalType:
    """The column of a ``Literal[...]`` field: its texts as an enum's (a VARCHAR as long as
    the longest), its ints in an integer column."""
    if values and all(isinstance(v, str) for v in values):
        return logical_type("enum", values=values)
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return logical_type(_int_values_column(where, values, False))
    raise SchemaError(f"{where}: a Literal column needs all-str or all-int values")


def _int_values_column(where: str, values: list[int], flag: bool) -> str:
    """The integer column of a field that takes these values (a flag: also every
    combination of them, up to all bits set): ``INTEGER``, else ``BIGINT``; no column
    holds values past 64 bits (a `SchemaError`, as for an int field's bounds)."""
    if flag:
        combined = 0
        for value in values:
            combined |= value
        values = [*values, combined]
    low, high = min(values), max(values)
    lowest, highest = INT_RANGES["bigint"]
    if low < lowest or high > highest:
        raise SchemaError(
            f"{where}: its values reach {low if low < lowest else high}, past what a 64-bit"
            " integer column holds"
        )
    return bounded_column({"ge": low, "le": high}, where)


def _db_default(where: str, lt: LogicalType, default: Any) -> Any:
    """A field's ``db_default`` as its column holds it: a datetime of an aware field as the
    instant in UTC, as ferrule writes its values (SQLite would keep the text with its offset,
    and compare it as text with the UTC text of every other row); a datetime of the other
    kind (naive for an aware field, aware for a ``tz=False`` one) is refused, as ``create()``
    refuses it: each database read it back its own way."""
    if not isinstance(default, dt.datetime) or lt.name not in ("datetime", "datetime_tz"):
        return default
    aware = default.utcoffset() is not None
    if lt.name == "datetime_tz" and not aware:
        raise SchemaError(
            f"{where}: db_default {default.isoformat()} is a naive datetime for a time-zone"
            " aware column: give it a tzinfo (or declare the field with tz=False)"
        )
    if lt.name == "datetime" and aware:
        raise SchemaError(
            f"{where}: db_default {default.isoformat()} is an aware datetime for a column"
            " declared tz=False: give it without a tzinfo, or declare the field time-zone aware"
        )
    if not aware:
        return default
    try:
        return default.astimezone(_UTC)
    except OverflowError:
        raise SchemaError(
            f"{where}: db_default {default.isoformat()} is outside the years 1-9999 in UTC,"
            " where every database keeps an aware datetime"
        ) from None


#: a decimal key column's digits until it takes its target key's (`build_column`)
_KEY_DIGITS = (65, 30)

#: the logical types save() can set from the clock (``auto_now``, ``auto_now_add``)
_CLOCKED = frozenset({"date", "time", "datetime", "datetime_tz"})


def build_column(owner: str, name: str, info: ColumnInfo | None, field: dict[str, Any]) -> Column:
    """The column of field ``name`` (schema entry ``field``; ``info`` its declaration when it
    is an ``orm.Field`` or a field class)."""
    where = f"{owner}.{name}"
    schema, nullable = _strip_nullable(field["schema"])
    kind = str(schema.get("type"))
    explicit = info.logical if info is not None else None
    enum_cls = None
    encryption = info.encryption if info is not None else None
    if encryption is not None:
        lt = logical_type("text")
    elif kind == "enum":
        enum_cls = schema["cls"]
        values = [member.value for member in enum_cls]
        if all(isinstance(v, str) for v in values):
            lt = logical_type("enum", values=values)
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            lt = logical_type(_int_values_column(where, values, issubclass(enum_cls, enum.Flag)))
        else:
            raise SchemaError(f"{where}: an enum column needs all-str or all-int values")
    elif kind == "literal" and explicit is None:
        lt = _literal_type(where, schema["expected"])
    elif explicit in ("int", "bigint", "smallint", "text", "json") or (
        explicit is not None and explicit == _BY_SCHEMA.get(kind)
    ):
        lt = logical_type(explicit)
    elif explicit == "uuid_hex" and kind == "uuid":  # UUIDField(hex=True)
        lt = logical_type("uuid_hex")
    elif kind == "int" and explicit is None:  # its final bounds lie within its column
        lt = logical_type(bounded_column(schema, where))
    elif kind == "str":
        length = schema.get("max_length")
        lt = logical_type("str", length=length) if length is not None else logical_type("text")
    elif kind == "decimal":
        digits, places = schema.get("max_digits"), schema.get("decimal_places")
        if (digits is None or places is None) and info is not None and info.relation is not None:
            # a key to a decimal key (its field typed Decimal once the target was known):
            # the caller gives it the target key's type (``ModelInfo._build_columns``)
            digits, places = _KEY_DIGITS
        if digits is None or places is None:  # without places, 1.5 would be rounded to 2
            raise SchemaError(f"{where}: a decimal column needs max_digits and decimal_places")
        lt = logical_type("decimal", precision=digits, scale=places)
    elif kind == "datetime":
        aware = info.tz if info is not None else True
        lt = logical_type("datetime_tz" if aware else "datetime")
    elif kind in _BY_SCHEMA:
        lt = logical_type(_BY_SCHEMA[kind])
    elif kind == "function_plain":
        raise SchemaError(
            f"{where}: a plain validator replaces the field's type check, so its column type"
            " is not known: declare it with a field class (orm.IntField(), orm.CharField(...))"
        )
    else:
        raise SchemaError(f"{where}: no column type for a field of type {kind!r}")
    if info is not None and (info.auto_now or info.auto_now_add) and lt.name not in _CLOCKED:
        option = "auto_now" if info.auto_now else "auto_now_add"
        raise SchemaError(
            f"{where}: {option} is for a date, time or datetime field, not a {lt.name} column"
        )
    primary_key = bool(info and info.primary_key)
    relation = info.relation if info is not None else None
    null = info.null if info is not None else None
    column = Column(
        name,
        (info.db_column if info is not None and info.db_column else None) or name,
        lt,
        nullable=(null if null is not None else nullable) and not primary_key,
        primary_key=primary_key,
        identity=primary_key and lt.name in ("int", "bigint", "smallint"),
        unique=bool(info and info.unique),
        index=bool(info and info.index),
        db_default=_db_default(where, lt, info.db_default) if info is not None else UNSET,
        relation=relation,
        auto_now=bool(info and info.auto_now),
        auto_now_add=bool(info and info.auto_now_add),
        enum_cls=enum_cls,
    )
    column.schema = field["schema"]
    if encryption is not None:
        from ferrule.orm.secrets import Cipher

        column.encryption = Cipher(encryption, where, column.column, type_only(schema))
    if info is not None and info.password is not None:
        from ferrule.orm.secrets import password_guard

        column.password = password_guard(where, info.password)
    return column
