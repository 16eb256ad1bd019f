"""The JSON text ferrule sends for a JSON value, and the canonical text JSON equality compares.

Every backend writes a ``dict``/``list`` parameter, and the ORM a JSON field's value, with
`dumps`: compact, UTF-8 as it is (a lone surrogate is then refused by the backend, as in any
text, instead of being escaped into a pair PostgreSQL would join into another character), and
exact:

* a value of no JSON type (a ``Decimal``, a ``set``, a key that is no text) is refused
  (`InterfaceError`, on every backend, as the driver of PostgreSQL refused it);
* NaN and infinities are refused (`InterfaceError`): JSON has no such numbers, and the
  databases answered in three ways (SQLite stored the non-JSON ``NaN``, PostgreSQL and
  MariaDB refused with a parse error or a CHECK violation);
* ``-0.0`` is written ``0.0``: a JSON number is a decimal value and PostgreSQL's ``numeric``
  has no negative zero, so it could come back as ``-0.0`` from two databases and ``0.0`` from
  the third; ``0.0 == -0.0``, so no value changes under Python's ``==``;
* for PostgreSQL (`dumps_positional`), a float is written in positional notation with a
  fractional digit, from its shortest ``repr`` digits (``1e16`` as ``10000000000000000.0``,
  ``5e-324`` as ``0.000...5``): ``jsonb`` keeps a number as ``numeric``, which prints no
  exponent, so ``1e16`` came back as the int 10000000000000000; ``numeric`` keeps the scale,
  so the text comes back with its ``.0`` and reads as the same float. Ints are written as
  they are and come back as ints.

`canonical` is the text that two JSON values share exactly when they are equal as JSON values:
object keys sorted, numbers by their exact decimal value (``1``, ``1.0`` and ``1e0`` alike,
``10**20`` and ``1e20`` alike: as ``jsonb`` compares them, and as Python's ``==`` does for
the floats and ints ferrule writes, which are written by their shortest ``repr``), ``true``
and ``false`` apart from the numbers (as in ``jsonb`` and JSON Schema; Python's ``True == 1``
is the one difference), strings by code point. SQLite's connections carry it as the SQL
function ``json_canonical()`` (``sqlite_functions``).
"""

from __future__ import annotations

import decimal
import json
import math
import re
from typing import Any

from ferrule import errors

__all__ = ["canonical", "canonical_value", "dumps", "dumps_positional"]

_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode

#: what json.dumps writes only for a float written with an exponent or for -0.0 (a string may
#: hold it too: `_rewrite` then reads token by token)
_EXPONENT_OR_NEGATIVE_ZERO = re.compile(r"\d[eE][-+]\d|-0\.0(?!\d)")
_NEGATIVE_ZERO = re.compile(r"-0\.0(?!\d)")
#: a string (kept as it is) or a number of json.dumps's output
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')


def dumps(value: Any) -> str:
    """``value`` as JSON text (the module docstring: NaN refused, ``-0.0`` as ``0.0``)."""
    text = _encode(value)
    if "-0.0" not in text or _NEGATIVE_ZERO.search(text) is None:  # `in` first: cheaper
        return text
    return _rewrite(text, positional=False)


def dumps_positional(value: Any) -> str:
    """`dumps`, with floats in positional notation (for PostgreSQL's ``numeric``)."""
    text = _encode(value)
    if ("e+" not in text and "e-" not in text and "-0.0" not in text) or (
        _EXPONENT_OR_NEGATIVE_ZERO.search(text) is None
    ):  # json.dumps writes an exponent as e+NN or e-NN; `in` is far cheaper than the search
        return text
    return _rewrite(text, positional=True)


#: text a number no float holds may be in: an exponent (``1e400``), ``NaN`` or ``Infinity``
_MAY_OVERFLOW = re.compile(r"\d[eE]|NaN|Infinity")
_MAY_OVERFLOW_BYTES = re.compile(rb"\d[eE]|NaN|Infinity")


def _finite(token: str) -> float:
    number = float(token)
    if number in (math.inf, -math.inf):
        raise ValueError(f"the JSON number {token:.40} is beyond a float's range")
    return number


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no JSON number")


def loads(text: str | bytes) -> Any:
    """``json.loads``, a value nesting past the interpreter's stack being an
    ``InterfaceError`` (as one written is), not a ``RecursionError``. A number no float holds
    (``1e400``, which ``json.loads`` made ``inf``; the non-JSON ``NaN`` and ``Infinity``),
    written by another program, is a ``ValueError``: no value read stands in for it."""
    search = _MAY_OVERFLOW_BYTES.search if isinstance(text, bytes) else _MAY_OVERFLOW.search
    try:
        if search(text) is None:  # type: ignore[arg-type]
            return json.loads(text)
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise errors.InterfaceError(
            "a JSON value read back nests too deeply to be read (past the interpreter's stack)"
        ) from None


def _encode(value: Any) -> str:
    try:
        text: str = _ENCODE(value)
    except RecursionError:
        raise errors.InterfaceError(
            "this value nests too deeply to be stored as JSON (past the interpreter's stack)"
        ) from None
    except ValueError as exc:
        if "Out of range float" in str(exc):
            raise errors.InterfaceError(
                f"JSON has no NaN or Infinity, so this value cannot be stored as JSON: {exc}"
            ) from None
        raise errors.InterfaceError(f"this value cannot be stored as JSON: {exc}") from None
    except TypeError as exc:  # a value of no JSON type (Decimal, set), a key that is no text
        raise errors.InterfaceError(f"this value cannot be stored as JSON: {exc}") from None
    return text


def _rewrite(text: str, *, positional: bool) -> str:
    def number(match: re.Match[str]) -> str:
        token = match.group()
        if token[0] == '"':
            return token
        if token == "-0.0":
            return "0.0"
        if positional and ("e" in token or "E" in token):
            written = format(decimal.Decimal(token), "f")
            return written if "." in written else written + ".0"
        return token

    return _TOKEN.sub(number, text)


def canonical(text: Any) -> str:
    """The canonical text (the module docstring) of stored JSON text. A number is taken as it
    is (SQLite's numeric affinity made one of a column declared ``JSON``). Raises
    ``ValueError`` for text that is not JSON."""
    if isinstance(text, bytes):
        text = text.decode()
    if isinstance(text, str):
        return _canonical(json.loads(text, parse_float=decimal.Decimal, parse_constant=_constant))
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return _number(text)
    raise ValueError(f"a {type(text).__name__} is not JSON text")


def _constant(name: str) -> decimal.Decimal:
    """``NaN``/``Infinity`` in text ferrule did not write: a value of its own, equal to
    nothing ferrule sends (`dumps` refuses them)."""
    return decimal.Decimal(name)


def canonical_value(value: Any) -> str:
    """The canonical text of a Python value, as `dumps` writes it."""
    return canonical(dumps(value))


def _canonical(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return _ENCODE(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return _number(value)
    if isinstance(value, list):
        return "[" + ",".join(map(_canonical, value)) + "]"
    items = sorted(value.items())
    return "{" + ",".join(_ENCODE(k) + ":" + _canonical(v) for k, v in items) + "}"


def _number(value: int | float | decimal.Decimal) -> str:
    """``value``'s exact decimal value as ``<digits>e<exponent>``, with no zero at either end
    of the digits (``0`` for zero): one text for each value."""
    if isinstance(value, float):
        value = decimal.Decimal(repr(value))
    elif isinstance(value, int):
        value = decimal.Decimal(value)
    if not value.is_finite():
        return str(value)  # NaN or Infinity: no value ferrule sends is one
    sign, digit_tuple, exponent = value.as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits or not isinstance(exponent, int):
        return "0"
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return f"{'-' if sign else ''}{stripped}e{exponent}"
