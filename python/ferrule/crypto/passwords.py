"""Password hashing: argon2id for new hashes; argon2, bcrypt and PBKDF2 hashes all verify.

Defaults follow the OWASP Password Storage Cheat Sheet (its advice since 2023: "Use Argon2id with
a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism";
bcrypt "a work factor of 10 or more"; PBKDF2-HMAC-SHA256 600,000 iterations, -SHA512 210,000;
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).

Hash strings, all self-describing (the scheme and its parameters travel with the hash):

- argon2 (``argon2-cffi``): the PHC string, ``$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>``
  (standard base64 without padding).
- bcrypt (``bcrypt``): ``$2b$12$`` + 22 characters of salt + 31 of hash (also ``$2a$``, ``$2y$``).
- PBKDF2 (``hashlib``): ``$pbkdf2-sha256$<iterations>$<salt>$<hash>`` (also ``pbkdf2-sha512``),
  salt and hash in passlib's "adapted base64": the standard alphabet with ``.`` for ``+``, no
  padding; the hash is one digest long (32 bytes for sha256). Iterations are decimal, without
  leading zeros. This is the format passlib writes, so its hashes verify here and back.

A stored hash can ask for any amount of work; one that asks for more than the limits below
(``MAX_*``) is refused with `CryptoError` rather than run. bcrypt reads only the first 72 bytes
of a password: `hash_password` refuses longer ones (they would be silently cut), while
`verify_password` cuts them as every bcrypt did when the stored hash was made.
Comparisons are constant-time (in the libraries, and ``hmac.compare_digest`` for PBKDF2); no
password is kept, cached, or put in a message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias

from ferrule.crypto._args import choice, frozen, integer, secret_text, type_name
from ferrule.crypto._deps import load
from ferrule.errors import CryptoError, CryptoTypeError

__all__ = [
    "DEFAULT_PARAMS",
    "MAX_PASSWORD_BYTES",
    "Argon2Params",
    "BcryptParams",
    "Pbkdf2Params",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

#: longer passwords are refused: no person types 4 KiB, and hashing cost grows with length
MAX_PASSWORD_BYTES = 4096
#: limits on what a stored hash (or a policy) may ask for
MAX_ARGON2_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_ARGON2_TIME_COST = 100
MAX_ARGON2_PARALLELISM = 64
MAX_BCRYPT_ROUNDS = 20
MAX_PBKDF2_ITERATIONS = 10_000_000
BCRYPT_MAX_PASSWORD = 72

#: OWASP's PBKDF2 iteration counts per hash (see the module docstring)
PBKDF2_OWASP_ITERATIONS = {"sha256": 600_000, "sha512": 210_000}
_PBKDF2_DIGEST_SIZES = {"sha256": 32, "sha512": 64}
_MALFORMED = "password hash is malformed"


@dataclass(frozen=True)
class Argon2Params:
    """argon2id parameters; the defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane)."""

    time_cost: int = 2
    memory_cost: int = 19 * 1024  # KiB
    parallelism: int = 1
    hash_len: int = 32
    salt_len: int = 16

    def __post_init__(self) -> None:
        parallelism = integer(self.parallelism, "parallelism", 1, MAX_ARGON2_PARALLELISM)
        checked = {
            "time_cost": integer(self.time_cost, "time_cost", 1, MAX_ARGON2_TIME_COST),
            # the argon2 minimum: 8 KiB per lane
            "memory_cost": integer(
                self.memory_cost, "memory_cost", 8 * parallelism, MAX_ARGON2_MEMORY_KIB
            ),
            "parallelism": parallelism,
            "hash_len": integer(self.hash_len, "hash_len", 16, 128),
            "salt_len": integer(self.salt_len, "salt_len", 16, 128),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class BcryptParams:
    """bcrypt's cost (log2 of its rounds): 12 by default, above OWASP's minimum of 10."""

    rounds: int = 12

    def __post_init__(self) -> None:
        object.__setattr__(self, "rounds", integer(self.rounds, "rounds", 4, MAX_BCRYPT_ROUNDS))


@dataclass(frozen=True)
class Pbkdf2Params:
    """PBKDF2-HMAC parameters; ``iterations=None`` takes OWASP's count for `algo`."""

    algo: str = "sha256"
    iterations: int | None = None
    salt_len: int = 16

    def __post_init__(self) -> None:
        algo = choice(self.algo, "PBKDF2 algorithm", {a: a for a in PBKDF2_OWASP_ITERATIONS})
        iterations = PBKDF2_OWASP_ITERATIONS[algo] if self.iterations is None else self.iterations
        object.__setattr__(self, "algo", algo)
        object.__setattr__(
            self, "iterations", integer(iterations, "iterations", 1, MAX_PBKDF2_ITERATIONS)
        )
        object.__setattr__(self, "salt_len", integer(self.salt_len, "salt_len", 16, 128))


Params: TypeAlias = "Argon2Params | BcryptParams | Pbkdf2Params"

#: the policy `hash_password` and `needs_rehash` use unless told otherwise
DEFAULT_PARAMS = Argon2Params()


# --- reading arguments ---------------------------------------------------------------------


def _password(password: Any) -> bytes:
    secret = secret_text(password, "password")
    if len(secret) > MAX_PASSWORD_BYTES:
        raise CryptoError(f"password is longer than {MAX_PASSWORD_BYTES} bytes")
    return secret


def _hash_text(hashed: Any) -> str:
    """The stored hash as ``str`` (bytes-like is read as ASCII, as bcrypt returns it)."""
    if type(hashed) is str:
        text = hashed
    elif isinstance(hashed, str):
        text = str.__str__(hashed)
    else:
        raw = frozen(hashed, "hashed")
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            raise CryptoError(_MALFORMED) from None
    if not text.isascii():
        raise CryptoError(_MALFORMED)
    return text


def _params(params: Any) -> Params:
    if not isinstance(params, (Argon2Params, BcryptParams, Pbkdf2Params)):
        raise CryptoTypeError(
            f"params must be Argon2Params, BcryptParams or Pbkdf2Params, not {type_name(params)}"
        )
    return params


# --- the three schemes ---------------------------------------------------------------------

_ARGON2 = re.compile(
    r"\$argon2(id|i|d)\$(?:v=(\d{1,3})\$)?m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})"
    r"\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{6,})\Z"
)
_BCRYPT = re.compile(r"\$(2[aby])\$(\d\d)\$[./A-Za-z0-9]{53}\Z")
_PBKDF2 = re.compile(
    r"\$pbkdf2-(sha256|sha512)\$([1-9][0-9]{0,9})\$([./A-Za-z0-9]+)\$([./A-Za-z0-9]+)\Z"
)


def _scheme(text: str) -> str:
    if text.startswith(("$argon2id$", "$argon2i$", "$argon2d$")):
        return "argon2"
    if text.startswith("$2"):
        return "bcrypt"
    if text.startswith("$pbkdf2-"):
        return "pbkdf2"
    raise CryptoError(
        "password hash is in no known format (argon2id, argon2i, argon2d, bcrypt, "
        "pbkdf2-sha256, pbkdf2-sha512)"
    )


def _ab64_encode(data: bytes) -> str:
    return base64.b64encode(data).rstrip(b"=").replace(b"+", b".").decode("ascii")


def _ab64_decode(text: str) -> bytes:
    return _b64_decode(text.replace(".", "+"))


def _b64_decode(text: str) -> bytes:
    """Unpadded standard base64 (the PHC strings' encoding), strictly."""
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise CryptoError(_MALFORMED) from None


class _Argon2Hash(NamedTuple):
    variant: str
    version: int
    memory_cost: int
    time_cost: int
    parallelism: int
    salt_len: int
    hash_len: int


def _argon2_parts(text: str) -> _Argon2Hash:
    """The fields of a PHC argon2 string, checked strictly (argon2-cffi's own parser lets
    characters outside base64 through) and against the limits."""
    match = _ARGON2.match(text)
    if match is None:
        raise CryptoError(_MALFORMED)
    variant, version, memory, time_cost, lanes, salt, digest = match.groups()
    found = _Argon2Hash(
        variant,
        int(version or 16),
        int(memory),
        int(time_cost),
        int(lanes),
        len(_b64_decode(salt)),
        len(_b64_decode(digest)),
    )
    if (
        found.memory_cost > MAX_ARGON2_MEMORY_KIB
        or found.time_cost > MAX_ARGON2_TIME_COST
        or found.parallelism > MAX_ARGON2_PARALLELISM
    ):
        raise CryptoError("password hash asks for more work than the argon2 limits allow")
    return found


def _bcrypt_parts(text: str) -> tuple[str, int]:
    match = _BCRYPT.match(text)
    if match is None:
        raise CryptoError(_MALFORMED)
    rounds = int(match.group(2))
    if not 4 <= rounds <= MAX_BCRYPT_ROUNDS:
        raise CryptoError(f"bcrypt hash cost is outside 4 to {MAX_BCRYPT_ROUNDS}")
    return match.group(1), rounds


def _pbkdf2_parts(text: str) -> tuple[str, int, bytes, bytes]:
    match = _PBKDF2.match(text)
    if match is None:
        raise CryptoError(_MALFORMED)
    algo, iterations = match.group(1), int(match.group(2))
    if iterations > MAX_PBKDF2_ITERATIONS:
        raise CryptoError(f"pbkdf2 hash asks for more than {MAX_PBKDF2_ITERATIONS} iterations")
    salt, digest = _ab64_decode(match.group(3)), _ab64_decode(match.group(4))
    if len(digest) != _PBKDF2_DIGEST_SIZES[algo]:
        raise CryptoError(_MALFORMED)
    return algo, iterations, salt, digest


# --- public ---------------------------------------------------------------------------------


def hash_password(password: str | bytes, params: Params = DEFAULT_PARAMS) -> str:
    """A salted hash of `password` (``str`` is taken as UTF-8) under `params`: argon2id with
    OWASP's parameters unless told otherwise. Store the whole string."""
    secret = _password(password)
    params = _params(params)
    if isinstance(params, Argon2Params):
        argon2 = load("argon2", "argon2 password hashing")
        hasher = argon2.PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_cost,
            parallelism=params.parallelism,
            hash_len=params.hash_len,
            salt_len=params.salt_len,
            type=argon2.Type.ID,
        )
        hashed: str = hasher.hash(secret)
        return hashed
    if isinstance(params, BcryptParams):
        if len(secret) > BCRYPT_MAX_PASSWORD:
            raise CryptoError(
                f"bcrypt reads only the first {BCRYPT_MAX_PASSWORD} bytes of a password and this "
                "one is longer: use argon2id (Argon2Params)"
            )
        bcrypt = load("bcrypt", "bcrypt password hashing")
        hashed_bytes: bytes = bcrypt.hashpw(secret, bcrypt.gensalt(params.rounds, b"2b"))
        return hashed_bytes.decode("ascii")
    salt = os.urandom(params.salt_len)
    assert params.iterations is not None  # set by __post_init__
    digest = hashlib.pbkdf2_hmac(params.algo, secret, salt, params.iterations)
    return f"$pbkdf2-{params.algo}${params.iterations}${_ab64_encode(salt)}${_ab64_encode(digest)}"


def verify_password(password: str | bytes, hashed: str | bytes) -> bool:
    """Whether `password` matches `hashed` (argon2, bcrypt or PBKDF2, told by its prefix).
    A hash in no known format, or malformed, is a `CryptoError`, never a quiet False."""
    secret = _password(password)
    text = _hash_text(hashed)
    scheme = _scheme(text)
    if scheme == "argon2":
        _argon2_parts(text)
        argon2 = load("argon2", "argon2 password hashing")
        try:
            return bool(argon2.PasswordHasher().verify(text, secret))
        except argon2.exceptions.VerifyMismatchError:
            return False
        except Exception:  # VerificationError, InvalidHashError: the hash does not decode
            raise CryptoError(_MALFORMED) from None
    if scheme == "bcrypt":
        _bcrypt_parts(text)
        bcrypt = load("bcrypt", "bcrypt password verification")
        try:
            return bool(bcrypt.checkpw(secret[:BCRYPT_MAX_PASSWORD], text.encode("ascii")))
        except ValueError:  # "Invalid salt" and the like
            raise CryptoError(_MALFORMED) from None
    algo, iterations, salt, expected = _pbkdf2_parts(text)
    actual = hashlib.pbkdf2_hmac(algo, secret, salt, iterations)
    return hmac.compare_digest(actual, expected)


def needs_rehash(hashed: str | bytes, params: Params = DEFAULT_PARAMS) -> bool:
    """Whether `hashed` was made otherwise than `params` says (another scheme, or other
    parameters, stronger or weaker): if so, hash the password again at the next login."""
    text = _hash_text(hashed)
    params = _params(params)
    scheme = _scheme(text)
    if scheme == "argon2":
        found = _argon2_parts(text)
        return bool(
            not isinstance(params, Argon2Params)
            or found.variant != "id"
            or found.version != 19
            or (
                found.time_cost,
                found.memory_cost,
                found.parallelism,
                found.hash_len,
                found.salt_len,
            )
            != (
                params.time_cost,
                params.memory_cost,
                params.parallelism,
                params.hash_len,
                params.salt_len,
            )
        )
    if scheme == "bcrypt":
        prefix, rounds = _bcrypt_parts(text)
        return not isinstance(params, BcryptParams) or prefix != "2b" or rounds != params.rounds
    algo, iterations, salt, _ = _pbkdf2_parts(text)
    return not isinstance(params, Pbkdf2Params) or (algo, iterations, len(salt)) != (
        params.algo,
        params.iterations,
        params.salt_len,
    )
