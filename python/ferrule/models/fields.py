"""`Field(...)`: per-field options, kept as data until `_introspect` turns them into a schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule.models.aliases import AliasChoices, AliasPath

__all__ = ["MISSING", "Field", "FieldInfo"]


class _Missing:
    """Sentinel for "no default": distinct from None, which is a valid default."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

#: Options that constrain the value, grouped by the kinds of type they make sense for.
NUMBER_OPTIONS = ("gt", "ge", "lt", "le", "multiple_of")
LENGTH_OPTIONS = ("min_length", "max_length")
STRING_OPTIONS = ("pattern", "email", "url", "strip_whitespace", "to_lower", "to_upper")
DECIMAL_OPTIONS = ("max_digits", "decimal_places")
FLOAT_OPTIONS = ("allow_inf_nan",)
CONSTRAINTS = NUMBER_OPTIONS + LENGTH_OPTIONS + STRING_OPTIONS + DECIMAL_OPTIONS + FLOAT_OPTIONS
_CONSTRAINT_NAMES = frozenset(CONSTRAINTS)


class FieldInfo:
    """Everything declared about one field. Created by `Field()`, read once per class."""

    __slots__ = (
        "alias",
        "constraints",
        "default",
        "default_factory",
        "description",
        "discriminator",
        "error_messages",
        "examples",
        "exclude",
        "frozen",
        "json_schema_extra",
        "secret",
        "serialization_alias",
        "strict",
        "title",
        "union_mode",
        "validate_default",
        "validation_alias",
    )

    def __init__(
        self,
        default: Any = MISSING,
        *,
        default_factory: Callable[[], Any] | None = None,
        alias: str | None = None,
        validation_alias: str | AliasPath | AliasChoices | None = None,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        examples: list[Any] | None = None,
        frozen: bool = False,
        exclude: bool = False,
        strict: bool | None = None,
        error_messages: dict[str, str] | None = None,
        secret: bool = False,
        json_schema_extra: dict[str, Any] | Callable[..., None] | None = None,
        validate_default: bool | None = None,
        discriminator: Any = None,
        union_mode: str | None = None,
        **constraints: Any,
    ) -> None:
        if constraints and not _CONSTRAINT_NAMES.issuperset(constraints):
            unknown = sorted(set(constraints) - _CONSTRAINT_NAMES)
            raise TypeError(f"Field() got unknown option(s): {', '.join(unknown)}")
        self._declare(
            default,
            default_factory,
            alias,
            validation_alias,
            serialization_alias,
            title,
            description,
            examples,
            frozen,
            exclude,
            strict,
            error_messages,
            secret,
            json_schema_extra,
            validate_default,
            discriminator,
            union_mode,
            {k: v for k, v in constraints.items() if v is not None},
        )

    def _declare(
        self,
        default: Any,
        default_factory: Callable[[], Any] | None,
        alias: str | None,
        validation_alias: str | AliasPath | AliasChoices | None,
        serialization_alias: str | None,
        title: str | None,
        description: str | None,
        examples: list[Any] | None,
        frozen: bool,
        exclude: bool,
        strict: bool | None,
        error_messages: dict[str, str] | None,
        secret: bool,
        json_schema_extra: dict[str, Any] | Callable[..., None] | None,
        validate_default: bool | None,
        discriminator: Any,
        union_mode: str | None,
        constraints: dict[str, Any],
    ) -> None:
        """Check and store the options, passed by position: `Field()` calls this directly
        (forwarding its 33 keywords through ``__init__`` was a third of a small class's body)."""
        if default not in (MISSING, Ellipsis) and default_factory is not None:
            raise TypeError("Field() takes either default or default_factory, not both")
        if default_factory is not None and not callable(default_factory):
            raise TypeError("Field(default_factory=...) must be callable")
        if alias is not None and (not isinstance(alias, str) or not alias):
            raise TypeError("Field(alias=...) must be a non-empty string")
        if validation_alias is not None and not isinstance(
            validation_alias, (str, AliasPath, AliasChoices)
        ):
            kinds = "`str`, `AliasChoices`, or `AliasPath`"
            raise TypeError(f"Invalid `validation_alias` type. it should be {kinds}")
        if serialization_alias is not None and not isinstance(serialization_alias, str):
            raise TypeError("Invalid `serialization_alias` type. it should be `str`")
        if error_messages is not None and not (
            isinstance(error_messages, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in error_messages.items())
        ):
            raise TypeError("Field(error_messages=...) must map error codes to message strings")
        if not isinstance(secret, bool):
            raise TypeError("Field(secret=...) must be True or False")
        if json_schema_extra is not None and not (
            isinstance(json_schema_extra, dict) or callable(json_schema_extra)
        ):
            raise TypeError("Field(json_schema_extra=...) must be a dict or a function")
        if validate_default not in (None, True, False):
            raise TypeError("Field(validate_default=...) must be True, False or None")
        if union_mode not in (None, "smart", "left_to_right"):
            raise TypeError("Field(union_mode=...) must be 'smart' or 'left_to_right'")
        # `Field(...)` and `x: int = ...` declare a required field, as in pydantic
        self.default = MISSING if default is Ellipsis else default
        self.default_factory = default_factory
        self.alias = alias
        # as in pydantic, `alias` stands for either one not given
        self.validation_alias = alias if validation_alias is None else validation_alias
        self.serialization_alias = alias if serialization_alias is None else serialization_alias
        self.title = title
        self.description = description
        self.examples = examples
        self.frozen = frozen
        self.exclude = exclude
        self.strict = strict
        self.error_messages = error_messages
        self.secret = secret
        self.json_schema_extra = json_schema_extra
        self.validate_default = validate_default
        self.discriminator = discriminator  # a field name, or a `Discriminator` (see unions.py)
        self.union_mode = union_mode
        self.constraints = constraints

    def own_validators(self) -> list[tuple[str, Callable[[Any], Any]]]:
        """Validators the declaration itself brings, run after the user's (none here; an
        ``orm.PasswordField`` hashes its value)."""
        return []

    def column_options(self) -> tuple[str, ...]:
        """The database column options given (none: a plain field; see ``ferrule.orm``)."""
        return ()

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is None

    def merged(self, other: FieldInfo) -> FieldInfo:
        """Combine two declarations (``Annotated[int, Field(gt=0)] = Field(default=1)``)."""
        out = FieldInfo()
        for name in FieldInfo.__slots__:
            if name == "constraints":
                continue
            mine, theirs = getattr(self, name), getattr(other, name)
            untouched = theirs is MISSING or theirs is None or theirs is False
            setattr(out, name, mine if untouched else theirs)
        out.constraints = {**self.constraints, **other.constraints}
        return out

    def __repr__(self) -> str:
        parts = [f"default={self.default!r}"] if self.default is not MISSING else []
        if self.default_factory is not None:
            parts.append(f"default_factory={self.default_factory!r}")
        if self.alias:
            parts.append(f"alias={self.alias!r}")
        parts.extend(f"{k}={v!r}" for k, v in self.constraints.items())
        return f"FieldInfo({', '.join(parts)})"


def Field(
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    alias: str | None = None,
    validation_alias: str | AliasPath | AliasChoices | None = None,
    serialization_alias: str | None = None,
    title: str | None = None,
    description: str | None = None,
    examples: list[Any] | None = None,
    frozen: bool = False,
    exclude: bool = False,
    strict: bool | None = None,
    error_messages: dict[str, str] | None = None,
    secret: bool = False,
    json_schema_extra: dict[str, Any] | Callable[..., None] | None = None,
    validate_default: bool | None = None,
    discriminator: Any = None,
    union_mode: str | None = None,
    gt: Any = None,
    ge: Any = None,
    lt: Any = None,
    le: Any = None,
    multiple_of: Any = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    email: bool | None = None,
    url: bool | None = None,
    strip_whitespace: bool | None = None,
    to_lower: bool | None = None,
    to_upper: bool | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    allow_inf_nan: bool | None = None,
) -> Any:
    """Declare a field's default, alias, documentation and constraints.

    ``validation_alias`` (a str, `AliasPath` or `AliasChoices`) is where input is read from and
    ``serialization_alias`` the key of ``by_alias`` dumps; ``alias`` stands for either not given.

    ``secret=True`` keeps the value out of ``repr``, dumps and error reports: it is written as
    ``"**********"`` unless ``model_dump(reveal_secrets=True)`` (or ``model_dump_json``) asks.

    ``json_schema_extra``: a dict merged into the field's JSON Schema, or a function that
    changes it in place; ``validate_default=True``: the default is validated when it is used.
    ``discriminator`` (a field name or a `Discriminator`) makes a union of models a tagged
    union; ``union_mode="left_to_right"`` makes a plain union take its first valid choice.

    Returns ``Any`` so that ``name: str = Field(min_length=2)`` type-checks.
    """
    constraints = (
        gt,
        ge,
        lt,
        le,
        multiple_of,
        min_length,
        max_length,
        pattern,
        email,
        url,
        strip_whitespace,
        to_lower,
        to_upper,
        max_digits,
        decimal_places,
        allow_inf_nan,
    )
    info = FieldInfo.__new__(FieldInfo)
    info._declare(
        default,
        default_factory,
        alias,
        validation_alias,
        serialization_alias,
        title,
        description,
        examples,
        frozen,
        exclude,
        strict,
        error_messages,
        secret,
        json_schema_extra,
        validate_default,
        discriminator,
        union_mode,
        {k: v for k, v in zip(CONSTRAINTS, constraints, strict=True) if v is not None},
    )
    return info
