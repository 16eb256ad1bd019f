"""Scalar validators: int, float, bool, str, bytes, decimal, uuid, enum, literal, any."""

from __future__ import annotations

import contextlib
import math
import re
from decimal import Decimal, DecimalException
from enum import Enum
from fractions import Fraction
from typing import Any
from uuid import UUID

from ferrule.errors import RawError
from ferrule.models._pure import bytes_codec
from ferrule.models._pure.core import (
    LAX,
    STRICT,
    LineErrors,
    State,
    Validator,
    builder,
    error,
)

__all__ = ["expected_text"]

# Matched against the text after str.strip() (the spec's `\s` is str.isspace()).
_INT_TEXT = re.compile(r"[+-]?[0-9]+(\.0*)?", re.ASCII)
_FLOAT_TEXT = re.compile(
    r"[+-]?([0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?|inf|infinity|nan)",
    re.ASCII | re.IGNORECASE,
)
# pydantic's int_parsing_size test, on the text as given (before stripping): an optional "-",
# then more than 4300 digits, the first not 0.
_INT_TOO_LONG = re.compile(r"-?[1-9][0-9]{4300}", re.ASCII)
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_HEX = frozenset("0123456789abcdefABCDEF")
# The most digits an integer may have: int() of more is quadratic (and refused by int(str)).
_MAX_INT_DIGITS = 4300


def expected_text(values: list[Any]) -> str:
    """``'a', 'b' or 'c'``: how enum and literal errors list what was expected."""
    shown = [repr(value) for value in values]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


# --- numbers ---------------------------------------------------------------------------------


class _Bounds:
    """gt, ge, lt, le, multiple_of: checked in that order, each failure its own error."""

    __slots__ = ("checks", "multiple_of")

    def __init__(self, schema: dict[str, Any], *, decimal: bool = False) -> None:
        self.checks: list[tuple[str, str, Any]] = [
            (key, kind, schema[key])
            for key, kind in (
                ("gt", "greater_than"),
                ("ge", "greater_than_equal"),
                ("lt", "less_than"),
                ("le", "less_than_equal"),
            )
            if schema.get(key) is not None
        ]
        self.multiple_of = schema.get("multiple_of")
        if decimal and self.multiple_of is not None:
            # Decimal % float is a TypeError: the step becomes a Decimal (also in the error ctx)
            self.multiple_of = Decimal(str(self.multiple_of))

    def __bool__(self) -> bool:
        return bool(self.checks) or self.multiple_of is not None

    def errors(self, value: Any, original: Any) -> list[RawError]:
        found: list[RawError] = []
        for key, kind, bound in self.checks:
            try:
                if key == "gt":
                    ok = value > bound
                elif key == "ge":
                    ok = value >= bound
                elif key == "lt":
                    ok = value < bound
                else:
                    ok = value <= bound
            except (TypeError, DecimalException):
                ok = False
            if not ok:
                found.append(((), kind, original, {key: bound}, None))
        if self.multiple_of is not None and not _is_multiple(value, self.multiple_of):
            found.append(((), "multiple_of", original, {"multiple_of": self.multiple_of}, None))
        return found


def _is_multiple(value: Any, step: Any) -> bool:
    try:
        if isinstance(value, float):
            return _float_multiple(value, float(step))
        if isinstance(value, Decimal):
            return _decimal_multiple(value, step)
        if isinstance(step, int) and step == 0:
            return True
        return bool(value % step == 0)  # an int: exact, whatever the step's type
    except (ArithmeticError, TypeError, ValueError):
        return False


def _float_multiple(value: float, step: float) -> bool:
    """``value % step`` within 1e-9 relative to ``step`` of 0 or ``step`` (step > 0)."""
    if not (math.isfinite(value) and math.isfinite(step)) or step <= 0:
        return False
    remainder = value % step
    tolerance = 1e-9 * step
    return remainder <= tolerance or step - remainder <= tolerance


def _decimal_multiple(value: Decimal, step: Decimal) -> bool:
    try:
        return bool(value % step == 0)
    except DecimalException:  # the quotient needs more digits than the context has
        if value.adjusted() - step.adjusted() > _MAX_INT_DIGITS:
            return False
        return Fraction(value) % Fraction(step) == 0


def _checked(value: Any, original: Any, bounds: _Bounds) -> Any:
    if bounds:
        found = bounds.errors(value, original)
        if found:
            raise LineErrors(found)
    return value


class IntValidator(Validator):
    __slots__ = ("bounds", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))
        self.bounds = _Bounds(schema)

    def validate(self, value: Any, state: State) -> Any:
        kind = type(value)
        if kind is int:
            return _checked(value, value, self.bounds)
        strict = state.strict_for(self.strict)
        if kind is bool:
            if strict:
                raise error("int_type", value)
            state.floor(LAX)
            result = int(value)
        elif isinstance(value, int):  # a subclass: the number it holds, as the core reads
            state.floor(STRICT)  # it (int's own __int__), whatever the subclass's __int__ says
            result = int.__int__(value)
        elif strict:
            raise error("int_type", value)
        else:
            state.floor(LAX)
            result = _lax_int(value)
        return _checked(result, value, self.bounds)


def _lax_int(value: Any) -> int:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise error("finite_number", value)
        if not value.is_integer():
            raise error("int_from_float", value)
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise error("finite_number", value)
        if value != value.to_integral_value():
            raise error("int_from_float", value)
        if value.adjusted() >= _MAX_INT_DIGITS:  # int() of it is quadratic
            raise error("int_parsing_size", value)
        return int(value)
    if isinstance(value, (str, bytes, bytearray)):
        return _parse_int(value)
    raise error("int_type", value)


def _parse_int(value: str | bytes | bytearray) -> int:
    try:
        text = value if isinstance(value, str) else bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        raise error("int_parsing", value) from None
    if _INT_TOO_LONG.match(text) is not None:
        raise error("int_parsing_size", value)
    text = text.strip()
    if _INT_TEXT.fullmatch(text) is None:
        raise error("int_parsing", value)
    number = text.split(".", 1)[0]
    sign = "-" if number[0] == "-" else ""
    digits = number.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_INT_DIGITS:
        raise error("int_parsing", value)
    number = sign + (digits or "0")
    # int(str) refuses more digits than sys.get_int_max_str_digits(), which a program may lower
    # to 640; Decimal has no such limit
    return int(number) if len(number) <= 640 else int(Decimal(number))


class FloatValidator(Validator):
    __slots__ = ("allow_inf_nan", "bounds", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))
        self.allow_inf_nan = bool(schema.get("allow_inf_nan", True))
        self.bounds = _Bounds(schema)

    def validate(self, value: Any, state: State) -> Any:
        kind = type(value)
        strict = state.strict_for(self.strict)
        if kind is float:
            result = value
        elif kind is bool:
            if strict:
                raise error("float_type", value)
            state.floor(LAX)
            result = float(value)
        elif isinstance(value, float):  # a subclass: the number it holds, as the core reads
            state.floor(STRICT)  # it (PyFloat_AsDouble), whatever its __float__ says
            result = float.__float__(value)
        elif isinstance(value, int):
            state.floor(STRICT)
            try:
                result = float(value)
            except OverflowError:  # an int too large for a float
                raise error("finite_number", value) from None
        elif strict:
            raise error("float_type", value)
        else:
            state.floor(LAX)
            result = _lax_float(value)
        if not self.allow_inf_nan and not math.isfinite(result):
            raise error("finite_number", value)
        return _checked(result, value, self.bounds)


def _lax_float(value: Any) -> float:
    if isinstance(value, (str, bytes, bytearray)):
        return _parse_float(value)
    if isinstance(value, Decimal):
        try:
            return float(value)
        except ValueError:  # a signalling NaN has no float value
            raise error("float_parsing", value) from None
    raise error("float_type", value)


def _parse_float(value: str | bytes | bytearray) -> float:
    try:
        text = value if isinstance(value, str) else bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        raise error("float_parsing", value) from None
    text = text.strip()
    if _FLOAT_TEXT.fullmatch(text) is None:
        raise error("float_parsing", value)
    return float(text)


class DecimalValidator(Validator):
    __slots__ = ("bounds", "decimal_places", "max_digits", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))
        self.bounds = _Bounds(schema, decimal=True)
        self.max_digits: int | None = schema.get("max_digits")
        self.decimal_places: int | None = schema.get("decimal_places")

    def validate(self, value: Any, state: State) -> Any:
        if type(value) is Decimal:
            result = value
        elif isinstance(value, Decimal):  # a subclass: an exact Decimal of its number
            state.floor(STRICT)
            result = Decimal(value)
        elif state.json:  # JSON numbers and strings, in strict mode too
            state.floor(STRICT)
            result = _json_decimal(value)
        elif state.strict_for(self.strict):
            raise error("is_instance_of", value, {"class": "Decimal"})
        else:
            state.floor(LAX)
            result = _lax_decimal(value)
        if not result.is_finite():
            raise error("finite_number", value)
        found = self.bounds.errors(result, value) if self.bounds else []
        if self.max_digits is not None or self.decimal_places is not None:
            found.extend(self._digit_errors(result, value))
        if found:
            raise LineErrors(found)
        return result

    def _digit_errors(self, result: Decimal, value: Any) -> list[RawError]:
        """Each limit fails only when the digits as written and without trailing zeros both
        exceed it; with both limits, the digits before the point are limited too."""
        _, digit_tuple, exponent = result.as_tuple()
        assert isinstance(exponent, int)  # finite
        zeros = len(digit_tuple) - len(bytes(digit_tuple).rstrip(b"\0"))
        written = _count(len(digit_tuple), exponent)
        if zeros == len(digit_tuple):
            trimmed = _count(1, 0)  # zero
        else:
            trimmed = _count(len(digit_tuple) - zeros, exponent + zeros)
        counts = (written, trimmed)
        found: list[RawError] = []
        max_digits, places = self.max_digits, self.decimal_places
        if max_digits is not None and all(c[0] > max_digits for c in counts):
            found.append(((), "decimal_max_digits", value, {"max_digits": max_digits}, None))
        if places is not None and all(c[1] > places for c in counts):
            found.append(((), "decimal_max_places", value, {"decimal_places": places}, None))
        if max_digits is not None and places is not None:
            whole = max(max_digits - places, 0)
            if all(c[0] - c[1] > whole for c in counts):
                found.append(((), "decimal_whole_digits", value, {"whole_digits": whole}, None))
        return found


def _count(length: int, exponent: int) -> tuple[int, int]:
    """(digits in all, digits after the point) of a `length`-digit coefficient * 10**exponent."""
    if exponent >= 0:
        return length + exponent, 0
    return max(length, -exponent), -exponent


def _lax_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise error("decimal_type", value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        return _parse_decimal(value)
    raise error("decimal_type", value)


def _json_decimal(value: Any) -> Decimal:
    if isinstance(value, str):
        return _parse_decimal(value)
    if isinstance(value, bool):
        raise error("decimal_type", value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _float_text_decimal(value)
    raise error("decimal_type", value)


def _float_text_decimal(number: float) -> Decimal:
    """The float's shortest repr written without an exponent, as the native core (Rust's float
    formatting, which pydantic uses): ``100.0`` is ``Decimal("100")``, ``1e22`` has 23 digits."""
    if not math.isfinite(number):
        return Decimal(number)
    sign, digits, exponent = Decimal(repr(number)).as_tuple()
    assert isinstance(exponent, int)  # finite
    while exponent < 0 and digits[-1] == 0:
        digits = digits[:-1] or (0,)
        exponent += 1
    if exponent > 0:
        digits += (0,) * exponent
        exponent = 0
    return Decimal((sign, digits, exponent))


def _parse_decimal(value: str) -> Decimal:
    text = value.strip()
    if not text.isascii():  # Decimal() would take Unicode digits
        raise error("decimal_parsing", value)
    try:
        return Decimal(text)
    except (DecimalException, ValueError):
        raise error("decimal_parsing", value) from None


# --- bool, str, bytes --------------------------------------------------------------------------


class BoolValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if type(value) is bool:
            return value
        if state.strict_for(self.strict):
            raise error("bool_type", value)
        state.floor(LAX)
        if isinstance(value, (int, float)):
            if value == 0:
                return False
            if value == 1:
                return True
            raise error("bool_parsing", value)
        if isinstance(value, (str, bytes)):
            # str stripped; bytes as written, and only UTF-8 (pydantic's answers)
            try:
                text = value.strip().lower() if isinstance(value, str) else value.decode().lower()
            except UnicodeDecodeError:
                raise error("bool_parsing", value) from None
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise error("bool_parsing", value)
        if isinstance(value, Decimal):
            return _decimal_bool(value)
        raise error("bool_type", value)


def _decimal_bool(value: Decimal) -> bool:
    """0 or 1 at any exponent; NaN (or a subclass whose methods raise) is no number at all."""
    try:
        finite = value.is_finite()
        zero, one = value == 0, value == 1
    except Exception:
        raise error("bool_type", value) from None
    if not finite:
        raise error("bool_type", value)
    if zero or one:
        return bool(one)
    raise error("bool_parsing", value)


def _has_space(text: str) -> bool:
    return any(char.isspace() for char in text)


def _email_ok(text: str) -> bool:
    if text.count("@") != 1 or _has_space(text):
        return False
    local, domain = text.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(labels)


_URL_SCHEMES = (b"http", b"https", b"ftp", b"ws", b"wss")


def _url_error(text: str) -> str | None:
    """The ``url_parsing`` reason for ``text``, or ``None`` when it is a valid URL."""
    if _has_space(text):
        return "URL must not contain whitespace"
    scheme, separator, rest = text.partition("://")
    if not separator:
        return "relative URL without a base"
    if scheme.encode("utf-8", "surrogatepass").lower() not in _URL_SCHEMES:
        return "URL scheme should be 'http', 'https', 'ftp', 'ws' or 'wss'"
    if not re.split(r"[/?#]", rest, maxsplit=1)[0]:
        return "empty host"
    return None


class StrValidator(Validator):
    __slots__ = (
        "email",
        "has_checks",
        "max_length",
        "min_length",
        "pattern",
        "strict",
        "strip",
        "to_lower",
        "to_upper",
        "url",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))
        self.strip = bool(schema.get("strip_whitespace"))
        self.to_lower = bool(schema.get("to_lower"))
        self.to_upper = bool(schema.get("to_upper"))
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")
        pattern = schema.get("pattern")
        self.pattern = re.compile(pattern) if pattern is not None else None
        self.email = bool(schema.get("email"))
        self.url = bool(schema.get("url"))
        self.has_checks = any(
            (
                self.strip,
                self.to_lower,
                self.to_upper,
                self.min_length is not None,
                self.max_length is not None,
                self.pattern is not None,
                self.email,
                self.url,
            )
        )

    def validate(self, value: Any, state: State) -> Any:
        if isinstance(value, str):
            # JSON text may stand for another type (a UUID, a date): not an exact match
            if state.json or type(value) is not str:
                state.floor(STRICT)
            # a subclass: a plain str of its text (str's own __str__), as pydantic gives
            result = value if type(value) is str else str.__str__(value)
        elif state.strict_for(self.strict) or not isinstance(value, (bytes, bytearray)):
            raise error("string_type", value)
        else:
            state.floor(LAX)
            try:
                result = bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                raise error("string_unicode", value) from None
        if self.has_checks:
            try:
                result.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: the checks need real text
                raise error("string_unicode", value) from None
            return self._options(result, value)
        return result

    def _options(self, result: str, value: Any) -> str:
        if self.strip:
            result = result.strip()
        if self.to_lower:
            result = result.lower()
        elif self.to_upper:
            result = result.upper()
        found: list[RawError] = []
        if self.min_length is not None and len(result) < self.min_length:
            found.append(((), "string_too_short", value, {"min_length": self.min_length}, None))
        if self.max_length is not None and len(result) > self.max_length:
            found.append(((), "string_too_long", value, {"max_length": self.max_length}, None))
        if self.pattern is not None and self.pattern.search(result) is None:
            ctx = {"pattern": self.pattern.pattern}
            found.append(((), "string_pattern_mismatch", value, ctx, None))
        if self.email and not _email_ok(result):
            found.append(((), "email_invalid", value, None, None))
        if self.url:
            reason = _url_error(result)
            if reason is not None:
                found.append(((), "url_parsing", value, {"error": reason}, None))
        if found:
            raise LineErrors(found)
        return result


class BytesValidator(Validator):
    __slots__ = ("encoding", "max_length", "min_length", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))
        self.encoding: str = schema.get("encoding", "utf8")
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")

    def validate(self, value: Any, state: State) -> Any:
        strict = state.strict_for(self.strict)
        if type(value) is bytes:
            result = value
        elif isinstance(value, bytes):
            state.floor(STRICT)
            result = bytes(value)
        elif isinstance(value, str) and (not strict or state.json):
            state.floor(STRICT if state.json else LAX)
            if self.encoding != "utf8":
                try:
                    result = bytes_codec.decode(value, self.encoding)
                except UnicodeEncodeError:  # lone surrogates
                    raise error("bytes_type", value) from None
                except ValueError as exc:
                    ctx = {"encoding": self.encoding, "encoding_error": str(exc)}
                    raise error("bytes_invalid_encoding", value, ctx) from None
            else:
                try:
                    result = value.encode("utf-8")
                except UnicodeEncodeError:  # lone surrogates
                    raise error("bytes_type", value) from None
        elif isinstance(value, bytearray) and not strict:
            state.floor(LAX)
            result = bytes(value)
        else:
            raise error("bytes_type", value)
        found: list[RawError] = []
        if self.min_length is not None and len(result) < self.min_length:
            found.append(((), "bytes_too_short", value, {"min_length": self.min_length}, None))
        if self.max_length is not None and len(result) > self.max_length:
            found.append(((), "bytes_too_long", value, {"max_length": self.max_length}, None))
        if found:
            raise LineErrors(found)
        return result


# --- uuid, enum, literal, any --------------------------------------------------------------


def _uuid_hex(text: str) -> str:
    """The 32 hex digits of ``8-4-4-4-12`` or plain text; raises ValueError with the reason."""
    size = len(text.encode("utf-8"))
    if size == 32:
        digits = text
    elif size == 36:
        raw = text.encode("utf-8")
        if any(raw[index] != 0x2D for index in (8, 13, 18, 23)):
            raise ValueError("invalid group separator")
        digits = text.replace("-", "")
    else:
        raise ValueError("invalid length")
    if len(digits) == 32 and all(char in _HEX for char in digits):
        return digits
    raise ValueError("invalid character")


class UuidValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if isinstance(value, UUID):
            return value
        if state.json:
            pass  # JSON text is the one form of a UUID there: an exact match (pydantic)
        elif state.strict_for(self.strict):
            raise error("is_instance_of", value, {"class": "UUID"})
        else:
            state.floor(LAX)
        if isinstance(value, str):
            try:
                return UUID(_uuid_hex(value))
            except UnicodeEncodeError:  # lone surrogates
                raise error("uuid_parsing", value) from None
            except ValueError as exc:
                raise error("uuid_parsing", value, {"error": str(exc)}) from None
        if isinstance(value, bytes):
            raw = bytes(value)  # the real contents: a subclass's __len__ may lie
            if len(raw) == 16:
                return UUID(bytes=raw)
            try:  # the text as UTF-8 bytes (pydantic)
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise error("uuid_parsing", value, {"error": "invalid length"}) from None
            try:
                return UUID(_uuid_hex(text))
            except ValueError as exc:
                raise error("uuid_parsing", value, {"error": str(exc)}) from None
        raise error("uuid_type", value)


class EnumValidator(Validator):
    __slots__ = ("by_value", "cls", "expected", "members", "mixin", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: Any = schema["cls"]
        self.strict = bool(schema.get("strict"))
        members = schema.get("members") or list(self.cls.__members__.values())
        self.members: list[Any] = list(members)
        self.mixin: str | None = schema.get("mixin")
        self.expected = expected_text([member.value for member in members])
        self.by_value: dict[Any, Any] = {}
        for member in members:
            with contextlib.suppress(TypeError):  # unhashable values: cls(value) finds them
                self.by_value.setdefault(member.value, member)

    def validate(self, value: Any, state: State) -> Any:
        if isinstance(value, self.cls):
            return value
        if state.strict_for(self.strict) and not state.json:
            raise error("enum", value, {"expected": self.expected})
        state.floor(LAX)
        try:
            member = self.by_value.get(value)
        except TypeError:  # unhashable input
            raise error("enum", value, {"expected": self.expected}) from None
        if member is not None:
            return member
        try:
            return self.cls(value)  # the enum's own lookup, including _missing_
        except (ValueError, TypeError):
            pass
        member = None if state.strict_for(self.strict) else self._from_text(value)
        if member is None:
            raise error("enum", value, {"expected": self.expected})
        return member

    def _from_text(self, value: Any) -> Any:
        """The member whose value the text (or bytes) stands for, read as the mixed-in type."""
        if self.mixin is None or not isinstance(value, (str, bytes)):
            return None
        try:
            if self.mixin == "int":
                converted: Any = _lax_int(value)
            elif self.mixin == "float":
                converted = _parse_float(value)
            elif isinstance(value, bytes):
                converted = value.decode("utf-8")
            else:
                return None
        except (LineErrors, UnicodeDecodeError):
            return None
        for member in self.members:
            if member.value == converted:
                return member
        return None


class LiteralValidator(Validator):
    __slots__ = ("expected", "text")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.expected: list[Any] = list(schema["expected"])
        self.text = expected_text(self.expected)

    def validate(self, value: Any, state: State) -> Any:
        kind = type(value)
        for choice in self.expected:
            if type(choice) is kind and choice == value:
                return choice
            # JSON has no enums: a JSON value matches an enum member by the member's value
            if state.json and isinstance(choice, Enum):
                member_value = choice.value
                if type(member_value) is kind and member_value == value:
                    state.floor(LAX)
                    return choice
        raise error("literal_error", value, {"expected": self.text})


class AnyValidator(Validator):
    __slots__ = ()

    def validate(self, value: Any, state: State) -> Any:
        state.floor(STRICT)  # in a union, a choice that takes the value as it is wins
        return value


builder("int")(IntValidator)
builder("float")(FloatValidator)
builder("decimal")(DecimalValidator)
builder("bool")(BoolValidator)
builder("str")(StrValidator)
builder("bytes")(BytesValidator)
builder("uuid")(UuidValidator)
builder("enum")(EnumValidator)
builder("literal")(LiteralValidator)
builder("any")(lambda schema: AnyValidator())
