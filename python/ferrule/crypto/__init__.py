"""``ferrule.crypto``: thin, safe helpers over well-kept libraries (no primitive is implemented
here). Random tokens and UUIDs, hashes and HMAC, AEAD tokens with key rotation, HKDF/PBKDF2,
and password hashing.

Importing this package imports none of the optional libraries; the first call that needs one
imports it, or raises `MissingDependencyError` naming the extra: ``pip install ferrule[crypto]``.
The modules: ``random`` (tokens, UUIDs), ``hashing`` (hashes, HMAC, comparison), ``aead``
(encryption and the token format), ``kdf`` (HKDF, PBKDF2), ``passwords`` (hash strings and
their policies), ``compat`` (the seed project's names).
"""

from ferrule.crypto.aead import AEAD_ALGORITHMS, Aead, Keyring, key_id_of
from ferrule.crypto.compat import AeadCipher, PasswordHasher, SecureRandom
from ferrule.crypto.hashing import (
    HASH_ALGORITHMS,
    HMAC_ALGORITHMS,
    Hasher,
    compare_digest,
    hash,
    hmac,
)
from ferrule.crypto.kdf import hkdf, pbkdf2
from ferrule.crypto.passwords import (
    DEFAULT_PARAMS,
    Argon2Params,
    BcryptParams,
    Pbkdf2Params,
    hash_password,
    needs_rehash,
    verify_password,
)
from ferrule.crypto.random import random_bytes, token, uuid4, uuid7
from ferrule.errors import CryptoError, CryptoTypeError, DecryptionError, MissingDependencyError

__all__ = [
    "AEAD_ALGORITHMS",
    "DEFAULT_PARAMS",
    "HASH_ALGORITHMS",
    "HMAC_ALGORITHMS",
    "Aead",
    "AeadCipher",
    "Argon2Params",
    "BcryptParams",
    "CryptoError",
    "CryptoTypeError",
    "DecryptionError",
    "Hasher",
    "Keyring",
    "MissingDependencyError",
    "PasswordHasher",
    "Pbkdf2Params",
    "SecureRandom",
    "compare_digest",
    "hash",
    "hash_password",
    "hkdf",
    "hmac",
    "key_id_of",
    "needs_rehash",
    "pbkdf2",
    "random_bytes",
    "token",
    "uuid4",
    "uuid7",
    "verify_password",
]
