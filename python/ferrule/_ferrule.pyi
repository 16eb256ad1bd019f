"""Type stubs for the native extension `ferrule._ferrule`."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

from typing_extensions import Self

__version__: str

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

#: include=/exclude=: a set of keys, or a dict of key -> True/... or a nested IncEx.
IncEx = set[int] | set[str] | frozenset[str] | list[str] | dict[Any, Any]

# --- models -------------------------------------------------------------------------------------

class SchemaValidator:
    """A schema compiled into a native validator (see ferrule.models.schema)."""

    def __init__(self, schema: dict[str, Any], title: str | None = None) -> None: ...
    def validate_python(
        self,
        value: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
        strings: bool = False,
    ) -> Any: ...
    def validate_json(
        self,
        data: str | bytes | bytearray | memoryview,
        *,
        strict: bool | None = None,
        context: Any = None,
    ) -> Any: ...
    def validate_assignment(self, instance: Any, name: str, value: Any) -> None: ...
    def validate_field(self, instance: Any, name: str, value: Any) -> Any: ...
    def validate_many(
        self, items: Iterable[Any], *, collect: bool
    ) -> tuple[list[Any], list[tuple[int, Any]]]: ...
    def validate_json_many(
        self, data: str | bytes | bytearray | memoryview, *, collect: bool, lines: bool = False
    ) -> tuple[list[Any], list[tuple[int, Any]]]: ...
    def to_python(
        self,
        value: Any,
        *,
        mode: Literal["python", "json"] = "python",
        by_alias: bool = False,
        exclude_none: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> Any: ...
    def to_json(
        self,
        value: Any,
        *,
        by_alias: bool = False,
        exclude_none: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        indent: int | None = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> bytes: ...

class ValidationInfo:
    """What a validator taking ``info`` is told (see ferrule.models.validators docs)."""

    @property
    def config(self) -> dict[str, Any]: ...
    @property
    def context(self) -> Any: ...
    @property
    def data(self) -> dict[str, Any] | None: ...
    @property
    def field_name(self) -> str | None: ...
    @property
    def mode(self) -> Literal["python", "json", "string"]: ...

class ValidatorCallable:
    """A wrap validator's ``handler``: runs the validation it wraps."""

    def __call__(self, value: Any, outer_location: str | int | None = None) -> Any: ...

class ModelBase:
    """Native base of ferrule.Model: validating construction and assignment."""

    def __new__(cls, **data: Any) -> Self: ...
    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
    ) -> Self: ...
    @classmethod
    def model_validate_json(
        cls,
        data: str | bytes | bytearray | memoryview,
        *,
        strict: bool | None = None,
        context: Any = None,
    ) -> Self: ...
    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        by_alias: bool = False,
        exclude_none: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> dict[str, Any]: ...
    def json_bytes(
        self,
        *,
        indent: int | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> bytes: ...
    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> str: ...
    from_dict = model_validate
    validate = model_validate
    validate_json = model_validate_json
    dict = model_dump
    json = model_dump_json

def new_instance(cls: type[_T]) -> _T: ...
def force_setattr(obj: object, name: str, value: Any) -> None: ...
def keep_gc_tracked(instance: object, value: object) -> None: ...
def install_fast_call(cls: type) -> bool: ...
def remove_fast_call(cls: type) -> None: ...

#: Whether the CPython layout fast paths are on (off with FERRULE_NO_FAST_PATHS=1 or on an
#: interpreter whose layout the core does not know).
FAST_PATHS: bool

def bound_class_method(cls: type, name: str, /) -> Callable[..., Any]: ...

# --- sql ----------------------------------------------------------------------------------------
# ferrule.sql: compile a query node tree to (sql, params); the shape cache lives in the core.
def sql_compile(node: tuple[Any, ...], dialect: str, /) -> tuple[str, list[Any]]: ...
def sql_cache_clear() -> None: ...
def sql_register_constant_type(cls: type, /) -> None: ...
def sql_dialect_facts(name: str, /) -> dict[str, Any] | None: ...
def install_errors_method(cls: type, messages: dict[str, str], /) -> None: ...

class RawErrors:
    """The error lines of a native ValidationError: raw tuples made when read."""

    def __len__(self) -> int: ...
    def __getitem__(
        self, index: int, /
    ) -> tuple[tuple[int | str, ...], str, Any, dict[str, Any] | None, str | None]: ...

def _panic_inside_guard() -> None: ...
def _pattern_translation(pattern: str, /) -> tuple[str, str | None] | None: ...

class JsonSchemaCore:
    """A JSON Schema plan (ferrule.json._schema_plan) compiled into native checks."""

    def __init__(self, plan: list[Any], multiple_of: Callable[[Any, Any], bool]) -> None: ...
    def is_valid(self, value: Any) -> bool: ...
    def errors(
        self, value: Any
    ) -> list[tuple[tuple[str | int, ...], str, Any, dict[str, Any] | None]]: ...

def json_loads(
    data: str | bytes | bytearray | memoryview,
    /,
    *,
    allow_nan: bool = False,
    duplicate_keys: Literal["error", "last"] = "error",
    decimal: bool = False,
    max_depth: int = 1000,
) -> Any: ...
def crypto_hash(
    constructors: dict[str, Callable[..., Any]],
    checked: Callable[[Any, Any], bytes],
    full: _F,
    signature: str,
) -> _F: ...
def crypto_compare_digest(
    library: Callable[[Any, Any], bool],
    checked: Callable[[Any, Any], bool],
    full: _F,
    signature: str,
) -> _F: ...
def json_read_value(
    data: bytes,
    start: int,
    /,
    *,
    allow_nan: bool = False,
    last_key_wins: bool = False,
    decimal: bool = False,
    max_depth: int = 1000,
) -> tuple[Any, int] | None: ...
def json_dumps(
    obj: Any,
    /,
    *,
    indent: int | None = None,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    allow_nan: bool = False,
) -> str: ...
def json_dumps_bytes(
    obj: Any,
    /,
    *,
    indent: int | None = None,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    allow_nan: bool = False,
) -> bytes: ...
def model_rows(
    cls: type[Any],
    rows: Sequence[Any],
    names: tuple[str, ...],
    positions: tuple[int, ...],
    converters: tuple[Callable[[Any], Any] | None, ...],
    /,
) -> list[Any]: ...
def model_values(
    cls: type[Any], instances: Sequence[Any], names: tuple[str, ...], /
) -> list[Any]: ...
def model_store(
    cls: type[Any], instances: Sequence[Any], name: str, values: Iterable[Any], /
) -> None: ...

class FieldReader:
    """``operator.attrgetter(*names)`` for one model class's fields, read from their slots
    (``orm.persistence``)."""

    def __init__(
        self, cls: type[Any], names: tuple[str, ...], unsign: Sequence[int] = ..., /
    ) -> None: ...
    def __call__(self, obj: Any, /) -> tuple[Any, ...]: ...

def hold_assigned(
    types: tuple[type, ...],
    takes: Callable[[Any, str], bool],
    construct: Callable[[type, dict[str, Any]], tuple[Any, tuple[str, ...]] | None] | None = None,
    /,
) -> bool:
    """An assignment of one of ``types`` that a field's validation refuses is stored as it
    is where ``takes(instance, name)`` says so (``orm.held_expressions``); constructor
    keywords refused while holding one go to ``construct(cls, keywords)``."""

class SQLitePendingRows:
    """The rows of a ``SQLiteStatements.fetch`` left after its time budget."""

    def fetch_rest(self) -> list[Any]: ...
    def close(self) -> None: ...

class SlotCopier:
    """Shallow copies of instances of one ``__slots__`` class (``orm.queryset``)."""

    @staticmethod
    def of(cls: type, names: Sequence[str]) -> SlotCopier | None: ...
    def copy(self, obj: _T) -> _T: ...

def install_chain(
    cls: type,
    names: Sequence[str],
    checked_orders: set[str],
    order_by: Callable[..., Any],
    limit: Callable[..., Any],
) -> bool:
    """Native ``order_by``/``limit`` fast paths on the ``QuerySet`` class (``orm.queryset``)."""

def install_filter(
    owner: type,
    q_cls: type,
    q_names: Sequence[str],
    names: Sequence[str],
    blanks: dict[Any, Any],
    plain_names: set[str],
    and_word: str,
    python: Callable[..., Any],
) -> bool:
    """The native ``Model.filter`` fast path on the models' query mixin (``orm.queries``)."""

class SQLiteStatements:
    """ferrule's prepared statements on one ``sqlite3`` connection (``backends.sqlite_native``)."""

    @staticmethod
    def attach(
        module: Any, connection: Any, capacity: int, error_names: dict[int, str] | None = None
    ) -> SQLiteStatements | None: ...
    def fetch(
        self,
        sql: str,
        params: Any,
        budget: float | None = None,
        limit: int | None = None,
    ) -> Any: ...
    def execute(self, sql: str, params: Any) -> Any: ...
    def insert(self, sql: str, params: Any) -> tuple[int, int, tuple[int, int]] | Any:
        """``(rowcount, last insert rowid, statement version)``, or ``NotImplemented``."""
    @property
    def last_description(self) -> tuple[tuple[Any, ...], ...] | None: ...
    def autocommit(self) -> bool | None: ...
    def clear(self) -> None: ...
    def stats(self) -> dict[str, int]: ...

def records(cls: type[tuple[Any, ...]], rows: Sequence[Any], /) -> list[Any]:
    """``[cls(row) for row in rows]``: one allocation a row for a plain tuple subclass."""
