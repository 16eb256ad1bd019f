"""pydantic's constrained type names, as ``Annotated`` types over ferrule's own checks.

``PositiveInt`` is ``Annotated[int, Field(gt=0)]``: usable anywhere a type is (fields, inside
``list[...]``, `TypeAdapter`), with pydantic's error types. The value types (URLs, secrets, IP
"any" types, ``ByteSize``, ``Json``, paths that must exist) live in `ferrule.models` modules and
are listed here under pydantic's names; the standard library's own (``ipaddress``, ``Path``,
``re.Pattern``, ``deque``, ``TypedDict``...) are used as they are. ``EmailStr`` is ferrule's
e-mail check (one ``@``, a dotted domain, no spaces), not the email-validator package's grammar:
pydantic's error type and reason, the domain lower-cased, ``"Name <addr>"`` read as ``addr``.
"""

from __future__ import annotations

from decimal import Decimal
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from typing import Annotated, Any

from ferrule.models.bytesize import ByteSize
from ferrule.models.fields import Field
from ferrule.models.json_type import Json
from ferrule.models.network import (
    AnyHttpUrl,
    AnyUrl,
    EmailStr,
    HttpUrl,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    NameEmail,
)
from ferrule.models.paths import DirectoryPath, FilePath, NewPath
from ferrule.models.secret import SecretBytes, SecretStr

__all__ = [
    "AnyHttpUrl",
    "AnyUrl",
    "ByteSize",
    "DirectoryPath",
    "EmailStr",
    "FilePath",
    "FiniteFloat",
    "HttpUrl",
    "IPv4Address",
    "IPv4Interface",
    "IPv4Network",
    "IPv6Address",
    "IPv6Interface",
    "IPv6Network",
    "IPvAnyAddress",
    "IPvAnyInterface",
    "IPvAnyNetwork",
    "Json",
    "NameEmail",
    "NegativeFloat",
    "NegativeInt",
    "NewPath",
    "NonNegativeFloat",
    "NonNegativeInt",
    "NonPositiveFloat",
    "NonPositiveInt",
    "PositiveFloat",
    "PositiveInt",
    "SecretBytes",
    "SecretStr",
    "StrictBool",
    "StrictBytes",
    "StrictFloat",
    "StrictInt",
    "StrictStr",
    "condecimal",
    "confloat",
    "conint",
    "conlist",
    "constr",
]

PositiveInt = Annotated[int, Field(gt=0)]
NegativeInt = Annotated[int, Field(lt=0)]
NonNegativeInt = Annotated[int, Field(ge=0)]
NonPositiveInt = Annotated[int, Field(le=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NegativeFloat = Annotated[float, Field(lt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
NonPositiveFloat = Annotated[float, Field(le=0)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
StrictInt = Annotated[int, Field(strict=True)]
StrictFloat = Annotated[float, Field(strict=True)]
StrictStr = Annotated[str, Field(strict=True)]
StrictBool = Annotated[bool, Field(strict=True)]
StrictBytes = Annotated[bytes, Field(strict=True)]


def conint(
    *,
    strict: bool | None = None,
    gt: int | None = None,
    ge: int | None = None,
    lt: int | None = None,
    le: int | None = None,
    multiple_of: int | None = None,
) -> Any:
    """``Annotated[int, Field(...)]`` with these bounds (pydantic's ``conint``)."""
    return Annotated[int, Field(strict=strict, gt=gt, ge=ge, lt=lt, le=le, multiple_of=multiple_of)]


def confloat(
    *,
    strict: bool | None = None,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    multiple_of: float | None = None,
    allow_inf_nan: bool | None = None,
) -> Any:
    """``Annotated[float, Field(...)]`` (pydantic's ``confloat``)."""
    return Annotated[
        float,
        Field(
            strict=strict,
            gt=gt,
            ge=ge,
            lt=lt,
            le=le,
            multiple_of=multiple_of,
            allow_inf_nan=allow_inf_nan,
        ),
    ]


def condecimal(
    *,
    strict: bool | None = None,
    gt: Decimal | int | None = None,
    ge: Decimal | int | None = None,
    lt: Decimal | int | None = None,
    le: Decimal | int | None = None,
    multiple_of: Decimal | int | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
) -> Any:
    """``Annotated[Decimal, Field(...)]`` (pydantic's ``condecimal``)."""
    return Annotated[
        Decimal,
        Field(
            strict=strict,
            gt=gt,
            ge=ge,
            lt=lt,
            le=le,
            multiple_of=multiple_of,
            max_digits=max_digits,
            decimal_places=decimal_places,
        ),
    ]


def constr(
    *,
    strict: bool | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    strip_whitespace: bool | None = None,
    to_lower: bool | None = None,
    to_upper: bool | None = None,
) -> Any:
    """``Annotated[str, Field(...)]`` (pydantic's ``constr``)."""
    return Annotated[
        str,
        Field(
            strict=strict,
            min_length=min_length,
            max_length=max_length,
            pattern=pattern,
            strip_whitespace=strip_whitespace,
            to_lower=to_lower,
            to_upper=to_upper,
        ),
    ]


def conlist(item_type: Any, *, min_length: int | None = None, max_length: int | None = None) -> Any:
    """``Annotated[list[item_type], Field(min_length=, max_length=)]`` (pydantic's ``conlist``)."""
    return Annotated[list[item_type], Field(min_length=min_length, max_length=max_length)]
