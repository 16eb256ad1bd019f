"""Key derivation: HKDF (RFC 5869, from ``cryptography``) and PBKDF2-HMAC (RFC 8018, from
``hashlib``, i.e. OpenSSL).

HKDF turns key material that is already random (a master key, a shared secret) into keys for
separate purposes, told apart by ``info``. PBKDF2 stretches a password; to store passwords,
use `ferrule.crypto.hash_password` (argon2id) instead, which also picks the salt.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ferrule.crypto._args import choice, frozen, integer, secret_text
from ferrule.crypto._deps import load
from ferrule.errors import CryptoError

__all__ = ["HKDF_ALGORITHMS", "MAX_ITERATIONS", "PBKDF2_ALGORITHMS", "hkdf", "pbkdf2"]

HKDF_ALGORITHMS = ("sha256", "sha384", "sha512")
#: sha1 is here for keys that other systems derived with it (RFC 6070); new uses take sha256
PBKDF2_ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")
#: hundreds of millions of rounds is a mistake (or a hostile stored hash), not a policy
MAX_ITERATIONS = 100_000_000
#: the longest PBKDF2 output handed out (a few keys' worth)
MAX_PBKDF2_LENGTH = 1024

_DIGEST_SIZES = {"sha1": 20, "sha256": 32, "sha384": 48, "sha512": 64}
_HKDF_HASHES = {"sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512"}
_HKDF_NAMES = {name: name for name in HKDF_ALGORITHMS}
_PBKDF2_NAMES = {name: name for name in PBKDF2_ALGORITHMS}
_HKDF_MODULE = "cryptography.hazmat.primitives.kdf.hkdf"
_HASHES_MODULE = "cryptography.hazmat.primitives.hashes"


def hkdf(
    key_material: bytes,
    *,
    length: int = 32,
    salt: bytes | None = None,
    info: bytes = b"",
    algo: str = "sha256",
) -> bytes:
    """`length` bytes derived from `key_material` (RFC 5869): extract with `salt` (None: a
    block of zeros, as the RFC says), expand with `info`. At most 255 hash lengths."""
    # What the library does not check (an exact str name, a non-empty key, an int that is not
    # a bool, info not None) is checked here; salt and info it reads through the buffer
    # protocol, refusing what has none. Anything else, or anything it raises, goes to
    # `_hkdf_checked`, which raises the typed error.
    spec = _hkdf_specs.get(algo) if type(algo) is str else None
    if (
        spec is not None
        and type(key_material) is bytes
        and key_material
        and type(length) is int
        and 0 < length <= spec[2]
        and info is not None
    ):
        try:
            # HKDF(algorithm, length, salt, info), positionally: keywords cost more here
            key: bytes = spec[0](spec[1], length, salt, info).derive(key_material)
            return key
        except Exception:
            pass
    return _hkdf_checked(key_material, length, salt, info, algo)


#: algorithm -> (the HKDF class, its hash object, the longest output), filled on first use:
#: the hash objects hold no state (a name and sizes), so one serves every call
_hkdf_specs: dict[str, tuple[Any, Any, int]] = {}


def _hkdf_checked(key_material: Any, length: Any, salt: Any, info: Any, algo: Any) -> bytes:
    name = choice(algo, "HKDF algorithm", _HKDF_NAMES)
    ikm = frozen(key_material, "key_material")
    if not ikm:
        raise CryptoError("key_material must not be empty")
    longest = 255 * _DIGEST_SIZES[name]
    length = integer(length, "length", 1, longest)
    salt_bytes = None if salt is None else frozen(salt, "salt")
    info_bytes = frozen(info, "info")
    spec = _hkdf_specs.get(name)
    if spec is None:
        hkdf_class = load(_HKDF_MODULE, "hkdf").HKDF
        hash_object = getattr(load(_HASHES_MODULE, "hkdf"), _HKDF_HASHES[name])()
        spec = _hkdf_specs[name] = (hkdf_class, hash_object, longest)
    key: bytes = spec[0](spec[1], length, salt_bytes, info_bytes).derive(ikm)
    return key


def pbkdf2(
    password: str | bytes,
    salt: bytes,
    *,
    iterations: int,
    length: int = 32,
    algo: str = "sha256",
) -> bytes:
    """PBKDF2-HMAC-`algo` (RFC 8018) of `password` (``str`` is taken as UTF-8) and `salt`."""
    name = _PBKDF2_NAMES.get(algo) if type(algo) is str else None
    if name is None:
        name = choice(algo, "PBKDF2 algorithm", _PBKDF2_NAMES)
    secret = password if type(password) is bytes else secret_text(password, "password")
    salt_bytes = salt if type(salt) is bytes else frozen(salt, "salt")
    if not salt_bytes:
        raise CryptoError("salt must not be empty")
    if type(iterations) is not int or not 0 < iterations <= MAX_ITERATIONS:
        iterations = integer(iterations, "iterations", 1, MAX_ITERATIONS)
    if type(length) is not int or not 0 < length <= MAX_PBKDF2_LENGTH:
        length = integer(length, "length", 1, MAX_PBKDF2_LENGTH)
    return hashlib.pbkdf2_hmac(name, secret, salt_bytes, iterations, length)
