"""Random bytes, tokens and UUIDs, all from the operating system's CSPRNG (``os.urandom``).

``uuid7`` follows RFC 9562, section 5.7: a 48-bit Unix timestamp in milliseconds, the version
(7), 12 bits ``rand_a``, the variant (``10``) and 62 bits ``rand_b``. Within a process the
values only increase (section 6.2, method 1, as CPython 3.14 does it): the 12 bits of
``rand_a`` and the top 30 of ``rand_b`` are a 42-bit counter that starts at a random value
below 2**41 each new millisecond and goes up by one for every UUID made in the same
millisecond (or while the clock stands behind the last timestamp); the last 32 bits are fresh
random bits for every UUID.
"""

from __future__ import annotations

import binascii
import os
import threading
import uuid
from time import time_ns as _time_ns

from ferrule.crypto._args import integer, type_name
from ferrule.errors import CryptoTypeError

__all__ = ["MAX_NBYTES", "random_bytes", "token", "uuid4", "uuid7", "uuid7_from_parts"]

#: The largest ``nbytes`` a token or random string may ask for: more is a mistake, not a need.
MAX_NBYTES = 1024

_URLSAFE = bytes.maketrans(b"+/", b"-_")


def random_bytes(nbytes: int = 32) -> bytes:
    """``nbytes`` random bytes (1 to `MAX_NBYTES`), e.g. a fresh AEAD key."""
    if type(nbytes) is not int or not 0 < nbytes <= MAX_NBYTES:
        nbytes = integer(nbytes, "nbytes", 1, MAX_NBYTES)
    return os.urandom(nbytes)


def token(nbytes: int = 32, urlsafe: bool = True) -> str:
    """A random token of ``nbytes`` bytes of entropy: base64url without padding (43 characters
    for 32 bytes), or lowercase hex with ``urlsafe=False``."""
    if type(nbytes) is not int or not 0 < nbytes <= MAX_NBYTES:
        nbytes = integer(nbytes, "nbytes", 1, MAX_NBYTES)
    raw = os.urandom(nbytes)
    if urlsafe is True:
        return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=").decode()
    if urlsafe is False:
        return raw.hex()
    raise CryptoTypeError(f"urlsafe must be True or False, not {type_name(urlsafe)}")


#: A random (version 4) UUID: the standard library's, which reads ``os.urandom``.
uuid4 = uuid.uuid4

_COUNTER_BITS = 42
_COUNTER_MAX = (1 << _COUNTER_BITS) - 1
_lock = threading.Lock()
_last_ms = -1
_counter = 0


def _fresh_counter() -> int:
    """A random start below 2**41: at least 2**41 UUIDs fit in the millisecond after it."""
    return int.from_bytes(os.urandom(6), "big") >> (48 - _COUNTER_BITS + 1)


def _forget_state() -> None:
    """In a forked child: the next UUID starts a fresh counter instead of the parent's."""
    global _last_ms
    _last_ms = -1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_state)


def uuid7() -> uuid.UUID:
    """A time-ordered (version 7) UUID; later calls in this process sort after earlier ones."""
    global _last_ms, _counter
    with _lock:
        ms = _time_ns() // 1_000_000
        if ms > _last_ms:
            counter = _fresh_counter()
        else:  # the same millisecond, or the clock went back: keep counting from the last
            ms = _last_ms
            counter = _counter + 1
            if counter > _COUNTER_MAX:  # 2**41 UUIDs in one millisecond: borrow the next one
                ms += 1
                counter = _fresh_counter()
        _last_ms = ms
        _counter = counter
    tail = int.from_bytes(os.urandom(4), "big")
    return _layout(ms, counter >> 30, ((counter & 0x3FFF_FFFF) << 32) | tail)


def uuid7_from_parts(unix_ts_ms: int, rand_a: int, rand_b: int) -> uuid.UUID:
    """The UUIDv7 with these fields (RFC 9562, section 5.7): the layout alone, for tests and
    for callers that keep their own clock."""
    unix_ts_ms = integer(unix_ts_ms, "unix_ts_ms", 0, (1 << 48) - 1)
    rand_a = integer(rand_a, "rand_a", 0, (1 << 12) - 1)
    rand_b = integer(rand_b, "rand_b", 0, (1 << 62) - 1)
    return _layout(unix_ts_ms, rand_a, rand_b)


def _layout(unix_ts_ms: int, rand_a: int, rand_b: int) -> uuid.UUID:
    value = (unix_ts_ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return uuid.UUID(int=value)
