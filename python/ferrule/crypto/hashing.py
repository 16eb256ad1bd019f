"""Hashes, HMAC and constant-time comparison over ``hashlib``, ``hmac`` and ``blake3``.

SHA-2 and BLAKE2b come from the standard library (OpenSSL and CPython's own BLAKE2); BLAKE3
from the ``blake3`` package (the Rust reference implementation), imported on first use. Each
name maps to exactly one constructor: nothing here computes a hash itself, and no algorithm
stands in for another.

On the native core, ``hash`` and ``compare_digest`` are C functions (``src/py/crypto_entry.rs``)
that make the same calls as the Python functions below, in the same order, through the same
table and checked paths: on a 64-byte input the Python frame of a wrapper alone costs more
than the 10% a helper may add to the library call. ``FERRULE_PURE_PYTHON=1`` keeps these.
"""

from __future__ import annotations

import hashlib
import hmac as _hmac
from collections.abc import Callable
from typing import Any

from ferrule.crypto._args import buffer, choice, type_name
from ferrule.crypto._deps import load
from ferrule.errors import CryptoError, CryptoTypeError, pure_python_requested

__all__ = ["HASH_ALGORITHMS", "HMAC_ALGORITHMS", "Hasher", "compare_digest", "hash", "hmac"]

HASH_ALGORITHMS = ("sha256", "sha384", "sha512", "blake2b", "blake3")
HMAC_ALGORITHMS = ("sha256", "sha384", "sha512")

#: algorithm -> constructor; blake3's is added on first use (its import is the optional one)
_constructors: dict[str, Callable[..., Any]] = {
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
    "blake2b": hashlib.blake2b,
}
_HASH_NAMES = {name: name for name in HASH_ALGORITHMS}
_HMAC_NAMES = {name: name for name in HMAC_ALGORITHMS}
_compare_digest: Callable[[Any, Any], bool] = _hmac.compare_digest
_hmac_openssl: Callable[[Any, Any, str], bytes]

try:  # OpenSSL's one-shot HMAC, which `hmac.digest` calls after a Python-level check of its own
    from _hashlib import hmac_digest as _hmac_openssl
except ImportError:  # a CPython built without OpenSSL: the standard library's own fallback
    _hmac_openssl = _hmac.digest


def _constructor(algo: object) -> Callable[..., Any]:
    """The constructor for `algo` (the slow path: first blake3 use, or a bad name)."""
    name = choice(algo, "hash algorithm", _HASH_NAMES)
    if name == "blake3":
        _constructors[name] = load("blake3", "the blake3 hash").blake3
    return _constructors[name]


def hash(data: bytes, algo: str = "sha256") -> bytes:
    """The digest of `data` with `algo` (one of `HASH_ALGORITHMS`)."""
    # The library reads `data` through the buffer protocol and refuses what has none; anything
    # it raises sends the call to `_hash_checked`, which raises the typed error or hashes a
    # layout the library refused. An exact ``str`` name only: a subclass's __hash__/__eq__
    # never takes part in the lookup. ``None`` is refused here (blake3 takes it as no data).
    if type(algo) is str and data is not None:
        try:
            digest: bytes = _constructors[algo](data).digest()
            return digest
        except Exception:
            pass  # not raised from here: the library's error is neither shown nor chained
    return _hash_checked(data, algo)


def _hash_checked(data: object, algo: object) -> bytes:
    ctor = _constructor(algo)
    digest: bytes = ctor(buffer(data, "data")).digest()
    return digest


class Hasher:
    """An incremental hash: ``update`` with chunks, then ``digest``/``hexdigest`` (which do not
    end it); ``copy`` forks the state, e.g. to hash a shared prefix once."""

    __slots__ = ("_algo", "_state")

    _algo: str
    _state: Any

    def __init__(self, algo: str = "sha256", data: bytes | None = None) -> None:
        ctor = _constructors.get(algo) if type(algo) is str else None
        if ctor is None:
            algo = choice(algo, "hash algorithm", _HASH_NAMES)
            ctor = _constructor(algo)
        self._algo = algo
        self._state = ctor()
        if data is not None:
            self.update(data)

    def update(self, data: bytes) -> None:
        """Add `data` (bytes-like) to the hash."""
        if type(data) is not bytes:
            data = buffer(data, "data")  # type: ignore[assignment]
        self._state.update(data)

    def digest(self) -> bytes:
        digest: bytes = self._state.digest()
        return digest

    def hexdigest(self) -> str:
        digest: str = self._state.hexdigest()
        return digest

    def copy(self) -> Hasher:
        clone = Hasher.__new__(Hasher)
        clone._algo = self._algo
        clone._state = self._state.copy()
        return clone

    @property
    def algo(self) -> str:
        """The algorithm's name, one of `HASH_ALGORITHMS`."""
        return self._algo

    @property
    def digest_size(self) -> int:
        """Bytes in the digest (32 for sha256 and blake3, 64 for blake2b and sha512)."""
        size: int = self._state.digest_size
        return size

    def __repr__(self) -> str:
        return f"Hasher({self.algo!r})"


def hmac(key: bytes, data: bytes, algo: str = "sha256") -> bytes:
    """HMAC (RFC 2104) of `data` under `key` with `algo` (one of `HMAC_ALGORITHMS`)."""
    # the checks the library does not make (an exact str name, a non-empty key read as bytes),
    # then the library's own checks, whose errors send the call to `_hmac_checked`
    if type(algo) is str and algo in _HMAC_NAMES and type(key) is bytes and key:
        try:
            return _hmac_openssl(key, data, algo)
        except Exception:
            pass
    return _hmac_checked(key, data, algo)


def _hmac_checked(key: object, data: object, algo: object) -> bytes:
    name = choice(algo, "HMAC algorithm", _HMAC_NAMES)
    secret = buffer(key, "key")
    if not secret:
        raise CryptoError("key must not be empty")
    return _hmac.digest(secret, buffer(data, "data"), name)


def compare_digest(a: bytes | str, b: bytes | str) -> bool:
    """Whether `a` equals `b`, in time that depends on their length only (never stop at the
    first differing byte when comparing MACs, tokens or hashes). Both bytes-like, or both
    ASCII ``str``."""
    # the standard library's comparison accepts exactly these (two buffers, or two ASCII str)
    # and raises for anything else, which `_compare_checked` then turns into the typed error
    try:
        return _compare_digest(a, b)
    except Exception:
        pass
    return _compare_checked(a, b)


def _compare_checked(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        if not (isinstance(a, str) and isinstance(b, str)):
            raise CryptoTypeError(
                f"compare_digest needs two str or two bytes, not {type_name(a)} and {type_name(b)}"
            )
        if not (str.isascii(a) and str.isascii(b)):
            raise CryptoError("compare_digest compares ASCII text only: encode it first")
        return _compare_digest(a, b)
    return _compare_digest(buffer(a, "a"), buffer(b, "b"))


if not pure_python_requested():
    from ferrule._ferrule import crypto_compare_digest, crypto_hash

    hash = crypto_hash(_constructors, _hash_checked, hash, "(data, algo='sha256')")
    compare_digest = crypto_compare_digest(
        _compare_digest, _compare_checked, compare_digest, "(a, b)"
    )
