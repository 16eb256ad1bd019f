"""Argument checks shared by every ``ferrule.crypto`` entry point.

Bytes arguments are read through the buffer protocol only: ``__bytes__``, ``__len__`` and
``__index__`` of a bytes-like object are never consulted, so an object whose dunders lie or
raise cannot change what is hashed, encrypted or measured. ``str`` is refused where bytes
belong (an implicit encoding would be a guess); passwords are the one place text is taken, as
UTF-8. Messages name the argument and its type, never its value.
"""

from __future__ import annotations

import operator
from typing import Any, NoReturn

from ferrule.errors import CryptoError, CryptoTypeError


def type_name(value: object) -> str:
    """The type's name for a message, even if the class lies about it."""
    name = type.__dict__["__name__"].__get__(type(value))
    return name if isinstance(name, str) else "object"


def _not_bytes(value: object, name: str) -> NoReturn:
    if isinstance(value, str):
        raise CryptoTypeError(f"{name} must be bytes, not str: encode it first")
    raise CryptoTypeError(
        f"{name} must be bytes-like (bytes, bytearray, memoryview), not {type_name(value)}"
    )


def buffer(value: Any, name: str) -> bytes | memoryview:
    """`value` as something hashlib and cryptography read without a copy: bytes as they are,
    any other object with the buffer protocol as a flat byte view of it."""
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        _not_bytes(value, name)
    try:
        view = memoryview(value)
    except Exception:  # no buffer, or a __buffer__ that raises: the same typed error,
        view = None  # raised below, outside this handler, so that it chains nothing
    if view is None:
        _not_bytes(value, name)
    if view.ndim == 1 and view.format == "B" and view.c_contiguous:
        return view
    return view.tobytes()  # any other layout: its bytes in C order, as hashlib would read them


def frozen(value: Any, name: str) -> bytes:
    """`value` copied into immutable bytes: keys, salts and anything kept past the call (a
    caller's bytearray may change after it is handed over)."""
    if type(value) is bytes:
        return value
    view = buffer(value, name)
    return view if type(view) is bytes else bytes(view)


def secret_text(value: Any, name: str) -> bytes:
    """A password: ``str`` as UTF-8 (never through an overridden ``encode``), or bytes-like."""
    if isinstance(value, str):
        try:
            return str.encode(value, "utf-8")
        except UnicodeEncodeError:
            # from None: the encoder's own error quotes the text, and the text is a secret
            raise CryptoError(f"{name} is not valid Unicode text (a lone surrogate)") from None
    return frozen(value, name)


def integer(value: Any, name: str, low: int, high: int) -> int:
    """An ``int`` (not ``bool``) in ``[low, high]``; ``__index__`` is read once."""
    if type(value) is int:
        number: int = value
    elif isinstance(value, bool):
        raise CryptoTypeError(f"{name} must be an int, not bool")
    else:
        try:
            # an int subclass is read from its value (its __index__ is not called); any other
            # object's __index__ is called once and must return an int
            number = int.__index__(operator.index(value))
        except Exception:
            raise CryptoTypeError(f"{name} must be an int, not {type_name(value)}") from None
    if not low <= number <= high:
        raise CryptoError(f"{name} must be between {low} and {high}")
    return number


def choice(value: object, name: str, options: dict[str, Any]) -> Any:
    """``options[value]``; anything else names the argument and the accepted values. A ``str``
    subclass (a ``StrEnum`` member) is read as its plain text: no user ``__eq__`` or
    ``__hash__`` takes part in the lookup."""
    if type(value) is not str and isinstance(value, str):
        value = str.__str__(value)
    if type(value) is str and value in options:
        return options[value]
    accepted = ", ".join(repr(option) for option in options)
    if type(value) is str:
        raise CryptoError(f"unknown {name} {value[:40]!r}: expected one of {accepted}")
    raise CryptoTypeError(f"{name} must be a str, not {type_name(value)} (one of {accepted})")
