"""The seed project's names, as thin aliases over the rest of ``ferrule.crypto``.

``SecureRandom().generate_token(32, urlsafe=True)``, ``Hasher("blake3")``,
``AeadCipher("aes256gcm", key).encrypt(plaintext, aad)`` and
``PasswordHasher("argon2").hash_password(pw)`` keep working; each produces exactly what the
function it wraps produces (the same tokens, the same hash strings), so data made through either
name reads through the other.
"""

from __future__ import annotations

from ferrule.crypto._args import choice
from ferrule.crypto.aead import Aead
from ferrule.crypto.passwords import (
    Argon2Params,
    BcryptParams,
    Params,
    Pbkdf2Params,
    hash_password,
    needs_rehash,
    verify_password,
)
from ferrule.crypto.random import token
from ferrule.errors import CryptoTypeError

__all__ = ["AeadCipher", "PasswordHasher", "SecureRandom"]


class SecureRandom:
    """Random tokens from the operating system's CSPRNG (see `ferrule.crypto.token`)."""

    __slots__ = ()

    def generate_token(self, nbytes: int = 32, urlsafe: bool = True) -> str:
        return token(nbytes, urlsafe)

    def __repr__(self) -> str:
        return "SecureRandom()"


_AEAD_NAMES = {
    "aes256gcm": "aes-256-gcm",
    "chacha20poly1305": "chacha20-poly1305",
    "aes-256-gcm": "aes-256-gcm",
    "chacha20-poly1305": "chacha20-poly1305",
}


class AeadCipher(Aead):
    """`Aead` under the seed's algorithm names (``"aes256gcm"``, ``"chacha20poly1305"``)."""

    __slots__ = ()

    def __init__(self, algorithm: str, key: bytes, *, key_id: int = 0) -> None:
        super().__init__(choice(algorithm, "AEAD algorithm", _AEAD_NAMES), key, key_id=key_id)


_POLICIES: dict[str, type[Params]] = {
    "argon2": Argon2Params,
    "argon2id": Argon2Params,
    "bcrypt": BcryptParams,
    "pbkdf2": Pbkdf2Params,
}


class PasswordHasher:
    """`hash_password`/`verify_password`/`needs_rehash` with one scheme's policy: ``"argon2"``
    (argon2id), ``"bcrypt"`` or ``"pbkdf2"`` (PBKDF2-HMAC-SHA256), OWASP's parameters unless
    `params` gives others. Verification accepts a hash of any scheme."""

    __slots__ = ("algorithm", "params")

    algorithm: str
    params: Params

    def __init__(self, algorithm: str = "argon2", params: Params | None = None) -> None:
        policy = choice(algorithm, "password hashing algorithm", _POLICIES)
        if params is None:
            params = policy()
        elif type(params) is not policy:
            raise CryptoTypeError(
                f"params for {algorithm!r} must be {policy.__name__}, not {type(params).__name__}"
            )
        self.algorithm = algorithm
        self.params = params

    def hash_password(self, password: str | bytes) -> str:
        return hash_password(password, self.params)

    def verify_password(self, password: str | bytes, hashed: str | bytes) -> bool:
        return verify_password(password, hashed)

    def needs_rehash(self, hashed: str | bytes) -> bool:
        return needs_rehash(hashed, self.params)

    def __repr__(self) -> str:
        return f"PasswordHasher({self.algorithm!r}, {self.params!r})"
