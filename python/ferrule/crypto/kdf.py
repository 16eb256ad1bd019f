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
    name = choice(algo, "HKDF algorithm", {a: a for a in HKDF_ALGORITHMS})
    ikm = frozen(key_material, "key_material")
    if not ikm:
        raise CryptoError("key_material must not be empty")
    length = integer(length, "length", 1, 255 * _DIGEST_SIZES[name])
    salt_bytes = None if salt is None else frozen(salt, "salt")
    info_bytes = frozen(info, "info")
    hkdf_module = load("cryptography.hazmat.primitives.kdf.hkdf", "hkdf")
    hashes = load("cryptography.hazmat.primitives.hashes", "hkdf")
    derive: Any = hkdf_module.HKDF(
        algorithm=getattr(hashes, _HKDF_HASHES[name])(),
        length=length,
        salt=salt_bytes,
        info=info_bytes,
    )
    key: bytes = derive.derive(ikm)
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
    name = choice(algo, "PBKDF2 algorithm", {name: name for name in PBKDF2_ALGORITHMS})
    secret = secret_text(password, "password")
    salt_bytes = frozen(salt, "salt")
    if not salt_bytes:
        raise CryptoError("salt must not be empty")
    iterations = integer(iterations, "iterations", 1, MAX_ITERATIONS)
    length = integer(length, "length", 1, MAX_PBKDF2_LENGTH)
    return hashlib.pbkdf2_hmac(name, secret, salt_bytes, iterations, length)
