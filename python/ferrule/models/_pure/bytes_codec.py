"""Bytes as text both ways (``val_json_bytes``/``ser_json_bytes``): base64 (either alphabet,
padding optional, written URL-safe and padded) and hex, with pydantic's error texts. The native
core's ``src/serialize/bytes_codec.rs`` follows the same rules."""

from __future__ import annotations

import base64
import binascii

__all__ = ["decode", "encode"]

_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SYMBOLS = {byte: index for index, byte in enumerate(_STANDARD)}
_SYMBOLS.update({ord("-"): 62, ord("_"): 63})
_PAD = ord("=")


def encode(raw: bytes, encoding: str) -> str:
    """``raw`` as the text ``encoding`` writes (utf8 may raise `UnicodeDecodeError`)."""
    if encoding == "base64":
        return base64.urlsafe_b64encode(raw).decode("ascii")
    if encoding == "hex":
        return raw.hex()
    return raw.decode("utf-8")


def decode(text: str, encoding: str) -> bytes:
    """The bytes ``text`` stands for; `ValueError` with pydantic's reason when it is not valid."""
    raw = text.encode("utf-8")
    if encoding == "hex":
        return _hex(raw)
    return _base64(raw)


def _hex(raw: bytes) -> bytes:
    if len(raw) % 2:
        raise ValueError("Odd number of digits")
    for index, byte in enumerate(raw):
        if byte not in b"0123456789abcdefABCDEF":
            raise ValueError(f"Invalid character {chr(byte)!r} at position {index}")
    return binascii.unhexlify(raw)


def _base64(raw: bytes) -> bytes:
    end = raw.find(b"=")
    data = raw if end < 0 else raw[:end]
    for index, byte in enumerate(data):
        if byte not in _SYMBOLS:
            raise ValueError(f"Invalid symbol {byte}, offset {index}.")
    count = len(data)
    if end >= 0:
        padding = len(raw) - end
        if count % 4 in (0, 1) or raw[end:] != b"=" * padding or padding > 4 - count % 4:
            raise ValueError(f"Invalid symbol {_PAD}, offset {end}.")
    elif count % 4 == 1:
        raise ValueError(f"Invalid input length: {count}")
    if count % 4 in (2, 3):
        last = data[-1]
        value = _SYMBOLS[last]
        if value & (0b1111 if count % 4 == 2 else 0b11):
            raise ValueError(
                f"Invalid last symbol {last:#x} ({chr(last)!r}) at offset {count - 1}, "
                f"decoded as {value:#010b}."
            )
    standard = data.replace(b"-", b"+").replace(b"_", b"/")
    return base64.b64decode(standard + b"=" * (-count % 4))
