"""Column declarations: ``orm.Field(...)`` on an annotated field, or a field class
(``orm.CharField(max_length=200)``) that also supplies the annotation. Both give a
`ColumnInfo`, a `FieldInfo` that also carries the column options, so both styles compile to
the same model schema and the same table.

Relations (`ForeignKeyField`, `OneToOneField`, `ManyToManyField`) are declarations the ORM's
metaclass expands: a foreign key ``author`` becomes the column field ``author_id`` plus the
relation attribute ``author`` (see ``orm.relations``)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any, Literal, overload

from ferrule.errors import SchemaError
from ferrule.models.fields import MISSING, FieldInfo
from ferrule.sql.ddl import UNSET

__all__ = [
    "BigIntField",
    "BinaryField",
    "BooleanField",
    "CharField",
    "ColumnInfo",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EnumField",
    "Field",
    "FloatField",
    "ForeignKeyField",
    "IntField",
    "JSONField",
    "ManyToManyField",
    "OneToOneField",
    "Relation",
    "SmallIntField",
    "TextField",
    "TimeField",
    "TimedeltaField",
    "UUIDField",
]

_ON_DELETE = ("cascade", "protect", "restrict", "set null", "set default", "no action")


def _placeheld(related_name: str) -> str:
    """``related_name`` with Django's ``%(class)s`` (the owner's name, lower case) taken as
    a word, for the identifier check."""
    return related_name.replace("%(class)s", "x")


class Relation:
    """A declared relation: ``kind`` is ``fk``, ``o2o`` or ``m2m``; ``target`` a model class
    or its name (resolved when that class is defined); ``name`` the attribute on the model."""

    __slots__ = (
        "accessor",
        "db_column",
        "declared_through",
        "kind",
        "link_source",
        "link_target",
        "name",
        "null",
        "on_delete",
        "owner",
        "related_name",
        "symmetrical",
        "target",
        "through",
        "through_fields",
    )

    def __init__(
        self,
        kind: str,
        target: Any,
        *,
        related_name: str | None,
        on_delete: str,
        null: bool,
        db_column: str | None,
        through: Any,
        through_fields: tuple[str, str] | None = None,
        symmetrical: bool = False,
    ) -> None:
        if not (isinstance(target, str) and target) and not isinstance(target, type):
            raise SchemaError(f"a relation needs a model class or its name, not {target!r}")
        key = on_delete.strip().lower().replace("_", " ") if isinstance(on_delete, str) else None
        if key not in _ON_DELETE:
            raise SchemaError(
                f"on_delete must be one of {', '.join(_ON_DELETE)}, not {on_delete!r}"
            )
        if key == "set null" and not null:
            raise SchemaError('on_delete="set null" needs null=True')
        if related_name is not None and not (
            isinstance(related_name, str)
            and (_placeheld(related_name).isidentifier() or related_name == "+")
        ):
            raise SchemaError(f"related_name must be an identifier, not {related_name!r}")
        if related_name is not None and (related_name.endswith("_") or "__" in related_name):
            raise SchemaError(  # Django's checks refuse it too (fields.E308, E309)
                f"related_name={related_name!r} ends with '_' or holds '__': filter() names "
                "split at '__', so no lookup could name this reverse relation"
            )
        self.kind = kind
        self.target: Any = target
        self.related_name = related_name
        self.on_delete = key
        self.null = null
        self.db_column = db_column
        self.through: Any = through
        self.declared_through: Any = through
        #: a through model's keys to the owner and to the target, by name (Django's)
        self.through_fields = through_fields
        #: a many-to-many of a model with itself whose links go both ways (Django's "self")
        self.symmetrical = symmetrical
        self.name = ""
        self.owner: Any = None
        #: the reverse accessor's name on the target ("" for none), set once resolved
        self.accessor = ""
        #: many-to-many: the link model's relations to the owner and to the target
        self.link_source: Relation | None = None
        self.link_target: Relation | None = None

    def for_child(self) -> Relation:
        """This relation as declared, for a concrete child of the abstract model that
        declares it (Django copies such a field into each child): its own owner, reverse
        accessor and link model."""
        copy = Relation(
            self.kind,
            self.target,
            related_name=self.related_name,
            on_delete=str(self.on_delete),
            null=self.null,
            db_column=self.db_column,
            through=self.declared_through,
            through_fields=self.through_fields,
            symmetrical=self.symmetrical,
        )
        copy.name = self.name
        return copy

    @property
    def attname(self) -> str:
        """The column field of a foreign key: ``author`` -> ``author_id``."""
        return f"{self.name}_id"

    def __repr__(self) -> str:
        target = self.target if isinstance(self.target, str) else self.target.__name__
        return f"<Relation {self.kind} {self.name} -> {target}>"


#: Options `ColumnInfo` keeps beside `FieldInfo`'s own.
_COLUMN_SLOTS = (
    "auto_now",
    "auto_now_add",
    "db_column",
    "db_default",
    "encryption",
    "index",
    "logical",
    "null",
    "password",
    "primary_key",
    "python_type",
    "relation",
    "tz",
    "unique",
)


class ColumnInfo(FieldInfo):
    """A field that is a database column: `FieldInfo` plus the column options."""

    __slots__ = _COLUMN_SLOTS

    def __init__(
        self,
        default: Any = MISSING,
        *,
        primary_key: bool = False,
        unique: bool = False,
        index: bool = False,
        db_column: str | None = None,
        db_default: Any = UNSET,
        null: bool | None = None,
        auto_now: bool = False,
        auto_now_add: bool = False,
        tz: bool = True,
        logical: str | None = None,
        python_type: Any = None,
        relation: Relation | None = None,
        encryption: Any = None,
        password: Any = None,
        **options: Any,
    ) -> None:
        for flag, value in (
            ("primary_key", primary_key),
            ("unique", unique),
            ("index", index),
            ("auto_now", auto_now),
            ("auto_now_add", auto_now_add),
            ("tz", tz),
        ):
            if not isinstance(value, bool):
                raise SchemaError(f"{flag} must be True or False, not {value!r}")
        if null is not None and not isinstance(null, bool):
            raise SchemaError(f"null must be True or False, not {null!r}")
        if db_column is not None and not (isinstance(db_column, str) and db_column):
            raise SchemaError(f"db_column must be a non-empty string, not {db_column!r}")
        if callable(default) and not isinstance(default, enum.Enum):
            # a column holds data, never a function: a callable default is called for each
            # instance, as Django's and Tortoise's are (`default=uuid.uuid4`, `default=dict`)
            if options.get("default_factory") is not None:
                raise SchemaError("Field() takes either default or default_factory, not both")
            default, options["default_factory"] = MISSING, default
        factory = options.get("default_factory") is not None
        if null and default is MISSING and not factory:
            default = None
        filled_later = primary_key or auto_now or auto_now_add or db_default is not UNSET
        if filled_later and default is MISSING and not factory:
            # filled by the database (identity, the column's DEFAULT), by save(), or given:
            # a db_default field is optional, as in Django
            default = None
        try:
            super().__init__(default, **options)
        except TypeError as exc:
            raise SchemaError(str(exc)) from None
        self.primary_key = primary_key
        self.unique = unique
        self.index = index
        self.db_column = db_column
        self.db_default = db_default
        self.null = null
        self.auto_now = auto_now
        self.auto_now_add = auto_now_add
        self.tz = tz
        self.logical = logical
        self.python_type = python_type
        self.relation = relation
        #: `orm.secrets.Encryption` of an EncryptedField; the password policy of a PasswordField
        self.encryption = encryption
        self.password = password

    def own_validators(self) -> list[tuple[str, Any]]:
        if self.password is None:
            return []
        from ferrule.orm.secrets import password_hasher

        return [("after", password_hasher(self.password))]

    def column_options(self) -> tuple[str, ...]:
        given = [
            name
            for name in ("primary_key", "unique", "index", "auto_now", "auto_now_add")
            if getattr(self, name)
        ]
        given += [n for n in ("db_column", "null", "relation") if getattr(self, n) is not None]
        if self.db_default is not UNSET:
            given.append("db_default")
        return tuple(given) or ("column",)

    def merged(self, other: FieldInfo) -> FieldInfo:
        out = super().merged(other)
        mine = ColumnInfo.__new__(ColumnInfo)
        for name in FieldInfo.__slots__:
            setattr(mine, name, getattr(out, name))
        source = other if isinstance(other, ColumnInfo) else self
        for name in _COLUMN_SLOTS:
            setattr(mine, name, getattr(source, name))
        return mine


@overload
def Field(
    default: Any = ...,
    *,
    primary_key: Literal[True],
    init: Literal[False] = False,
    **options: Any,
) -> Any: ...
@overload
def Field(
    default: Any = ..., *, pk: Literal[True], init: Literal[False] = False, **options: Any
) -> Any: ...
@overload
def Field(
    default: Any = ..., *, auto_now: Literal[True], init: Literal[False] = False, **options: Any
) -> Any: ...
@overload
def Field(
    default: Any = ...,
    *,
    auto_now_add: Literal[True],
    init: Literal[False] = False,
    **options: Any,
) -> Any: ...
@overload
def Field(default: Any = ..., *, init: bool = True, **options: Any) -> Any: ...
def Field(
    default: Any = MISSING,
    *,
    primary_key: bool = False,
    pk: bool = False,
    unique: bool = False,
    index: bool = False,
    db_column: str | None = None,
    db_default: Any = UNSET,
    null: bool | None = None,
    auto_now: bool = False,
    auto_now_add: bool = False,
    tz: bool = True,
    init: bool = True,
    **options: Any,
) -> Any:
    """A model field that is a column: ``ferrule.Field``'s options plus ``primary_key``
    (``pk``), ``unique``, ``index``, ``db_column``, ``db_default`` (the column's DEFAULT),
    ``null``, ``auto_now``/``auto_now_add`` (datetimes set by ``save()``) and ``tz`` (a
    ``datetime`` column keeps time zones; ``tz=False`` stores naive values).

    For type checkers, a database-generated key and the ``auto_now`` fields are not
    constructor arguments (``init`` is typing-only: at run time they may still be given)."""
    return ColumnInfo(
        default,
        primary_key=primary_key or pk,
        unique=unique,
        index=index,
        db_column=db_column,
        db_default=db_default,
        null=null,
        auto_now=auto_now,
        auto_now_add=auto_now_add,
        tz=tz,
        **options,
    )


def _column(
    python_type: Any, logical: str | None, default: Any, *, pk: bool = False, **options: Any
) -> Any:
    """The `ColumnInfo` of a field class: its Python type (the annotation it supplies) and
    logical column type (None: read from the schema, as for datetimes and enums)."""
    if pk:
        options["primary_key"] = True
    return ColumnInfo(default, logical=logical, python_type=python_type, **options)


def IntField(default: Any = MISSING, *, pk: bool = False, **options: Any) -> Any:
    """A 32-bit integer column (auto-incrementing as a primary key); a value beyond its range
    is a ``ValidationError``, as for every integer column (``orm.columns.INT_RANGES``)."""
    return _column(int, "int", default, pk=pk, **options)


def BigIntField(default: Any = MISSING, *, pk: bool = False, **options: Any) -> Any:
    """A 64-bit integer column (auto-incrementing as a primary key)."""
    return _column(int, "bigint", default, pk=pk, **options)


def SmallIntField(default: Any = MISSING, *, pk: bool = False, **options: Any) -> Any:
    """A 16-bit integer column."""
    return _column(int, "smallint", default, pk=pk, **options)


def FloatField(default: Any = MISSING, **options: Any) -> Any:
    return _column(float, "float", default, **options)


def DecimalField(
    default: Any = MISSING, *, max_digits: int, decimal_places: int, **options: Any
) -> Any:
    """An exact decimal column, ``DECIMAL(max_digits, decimal_places)``."""
    return _column(
        decimal.Decimal,
        "decimal",
        default,
        max_digits=max_digits,
        decimal_places=decimal_places,
        **options,
    )


def BooleanField(default: Any = MISSING, **options: Any) -> Any:
    return _column(bool, "bool", default, **options)


def CharField(default: Any = MISSING, *, max_length: int, **options: Any) -> Any:
    """A ``VARCHAR(max_length)`` column; the length is also validated."""
    return _column(str, "str", default, max_length=max_length, **options)


def TextField(default: Any = MISSING, **options: Any) -> Any:
    return _column(str, "text", default, **options)


def BinaryField(default: Any = MISSING, **options: Any) -> Any:
    return _column(bytes, "bytes", default, **options)


def DateTimeField(default: Any = MISSING, **options: Any) -> Any:
    """A datetime column, time-zone aware unless ``tz=False``; ``auto_now_add`` sets it on
    insert, ``auto_now`` on every save."""
    return _column(dt.datetime, None, default, **options)


def DateField(default: Any = MISSING, **options: Any) -> Any:
    return _column(dt.date, "date", default, **options)


def TimeField(default: Any = MISSING, **options: Any) -> Any:
    return _column(dt.time, "time", default, **options)


def TimedeltaField(default: Any = MISSING, **options: Any) -> Any:
    return _column(dt.timedelta, "timedelta", default, **options)


def UUIDField(default: Any = MISSING, *, hex: bool = False, **options: Any) -> Any:
    """A UUID: PostgreSQL's ``uuid``; elsewhere its text, ``str(uuid)`` (36 characters), or
    with ``hex=True`` its 32 hex digits (``uuid.hex``), as Django stores it on SQLite and on
    MariaDB before 10.7 (``char(32)``). Filters compare that text, so a field reads only the
    form it writes: another form is an ``UnreadableValueError`` naming the option."""
    if not isinstance(hex, bool):
        raise SchemaError(f"UUIDField(hex=...) takes True or False, not {hex!r}")
    return _column(uuid.UUID, "uuid_hex" if hex else "uuid", default, **options)


def JSONField(default: Any = MISSING, **options: Any) -> Any:
    """Any JSON value (``JSONB`` on PostgreSQL)."""
    return _column(Any, "json", default, **options)


def EnumField(enum_type: type[enum.Enum], default: Any = MISSING, **options: Any) -> Any:
    """An enum stored as its value (a checked string, or an integer for int values)."""
    if not (isinstance(enum_type, type) and issubclass(enum_type, enum.Enum)):
        raise SchemaError(f"EnumField needs an Enum class, not {enum_type!r}")
    return _column(enum_type, None, default, **options)


def _key_options(kind: str, options: dict[str, Any], carried: tuple[str, ...]) -> None:
    """A relation's key column is made from ``null``, ``index``, ``unique`` and
    ``db_column`` only (``orm.model``): any other option would be dropped in silence."""
    dropped = sorted(set(options) - set(carried))
    if dropped:
        raise SchemaError(
            f"{kind}() takes no option {', '.join(dropped)}: its key column is made from "
            "null, index, unique, db_column and the target's key only (a default key, or a "
            "relation as the primary key, is not supported: give the model a key of its own)"
        )


def ForeignKeyField(
    to: Any,
    *,
    related_name: str | None = None,
    on_delete: str = "cascade",
    null: bool = False,
    db_column: str | None = None,
    index: bool = True,
    **options: Any,
) -> Any:
    """A many-to-one relation: the column ``<name>_id`` and the attribute ``<name>``; the
    target gets the reverse accessor ``related_name`` (default ``<model>_set``)."""
    relation = Relation(
        "fk",
        to,
        related_name=related_name,
        on_delete=on_delete,
        null=null,
        db_column=db_column,
        through=None,
    )
    _key_options("ForeignKeyField", options, ("unique",))
    return ColumnInfo(relation=relation, null=null, index=index, **options)


def OneToOneField(
    to: Any,
    *,
    related_name: str | None = None,
    on_delete: str = "cascade",
    null: bool = False,
    db_column: str | None = None,
    **options: Any,
) -> Any:
    """A foreign key that is unique: the target's reverse accessor is one instance."""
    relation = Relation(
        "o2o",
        to,
        related_name=related_name,
        on_delete=on_delete,
        null=null,
        db_column=db_column,
        through=None,
    )
    _key_options("OneToOneField", options, ("index",))
    return ColumnInfo(relation=relation, null=null, unique=True, **options)


def ManyToManyField(
    to: Any,
    *,
    related_name: str | None = None,
    through: Any = None,
    through_fields: tuple[str, str] | None = None,
    symmetrical: bool | None = None,
) -> Any:
    """A many-to-many relation through a link table (made automatically, or ``through=`` a
    model with one foreign key to each side, or more: ``through_fields=("group", "user")``
    names the through model's keys to this model and to ``to``, as Django's). As in Django,
    ``ManyToManyField("self")`` is symmetrical (``a.friends.add(b)`` makes a b's friend
    too, and there is no reverse accessor) unless ``symmetrical=False``."""
    if symmetrical is None:
        symmetrical = to == "self" and through is None
    elif symmetrical and (to != "self" or through is not None):
        raise SchemaError(
            'symmetrical=True is for ManyToManyField("self") with its automatic link table'
        )
    if through_fields is not None:
        if through is None:
            raise SchemaError("through_fields= names the keys of a through= model: give one")
        pair = tuple(through_fields) if isinstance(through_fields, (tuple, list)) else ()
        if len(pair) != 2 or not all(isinstance(n, str) and n for n in pair):
            raise SchemaError(
                f"through_fields= is the pair of key names (to this model, to the target), "
                f"not {through_fields!r}"
            )
        through_fields = (pair[0], pair[1])
    relation = Relation(
        "m2m",
        to,
        related_name=related_name,
        on_delete="cascade",
        null=False,
        db_column=None,
        through=through,
        through_fields=through_fields,
        symmetrical=bool(symmetrical),
    )
    return ColumnInfo(relation=relation)
