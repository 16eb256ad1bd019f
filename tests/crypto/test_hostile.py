"""Hostile inputs and secret hygiene: bytes are read through the buffer protocol only (lying or
raising ``__len__``/``__bytes__``/``__index__``/``__buffer__`` change nothing), and no key,
password or plaintext appears in a repr, a log record, an error message or its traceback."""

from __future__ import annotations

import copy
import hashlib
import logging
import pickle
import traceback
from enum import Enum
from pathlib import Path

import pytest

from ferrule import crypto
from ferrule.errors import CryptoError, CryptoTypeError, DecryptionError

FAST_ARGON2 = crypto.Argon2Params(time_cost=1, memory_cost=8)
FAST_BCRYPT = crypto.BcryptParams(rounds=4)
FAST_PBKDF2 = crypto.Pbkdf2Params(iterations=1000)


class LyingLength(bytes):
    def __len__(self) -> int:
        return 32


class RaisingLength(bytes):
    def __len__(self) -> int:
        raise RuntimeError("__len__ must not be asked")


class LyingBytes(bytes):
    def __bytes__(self) -> bytes:
        return b"something else"


class OnlyDunderBytes:
    def __bytes__(self) -> bytes:
        raise AssertionError("__bytes__ must not be called")

    def __len__(self) -> int:
        raise AssertionError("__len__ must not be called")


class RaisingBuffer:
    def __buffer__(self, flags: int) -> memoryview:
        raise RuntimeError("no buffer today")


class LyingEncode(str):
    def encode(self, *args: object, **kwargs: object) -> bytes:  # type: ignore[override]
        return b"not the password"


class LyingText(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("sha512")


class Algo(str, Enum):
    SHA512 = "sha512"


def released() -> memoryview:
    view = memoryview(b"abc")
    view.release()
    return view


def test_bytes_subclasses_are_read_by_their_contents() -> None:
    assert crypto.hash(LyingBytes(b"abc")) == hashlib.sha256(b"abc").digest()
    assert crypto.hash(RaisingLength(b"abc")) == hashlib.sha256(b"abc").digest()
    with pytest.raises(CryptoError, match="key must be 32 bytes for aes-256-gcm, not 5"):
        crypto.Aead("aes-256-gcm", LyingLength(b"short"))
    cipher = crypto.Aead("aes-256-gcm", LyingLength(bytes(32)))
    assert cipher.decrypt(cipher.encrypt(RaisingLength(b"abc"))) == b"abc"
    long_password = LyingLength(b"x" * 5000)  # says 32, is 5000
    with pytest.raises(CryptoError, match="longer than 4096 bytes"):
        crypto.hash_password(long_password, FAST_PBKDF2)


@pytest.mark.parametrize(
    "value",
    [OnlyDunderBytes(), RaisingBuffer(), released(), [1, 2, 3], 5, None, 1.5, {"a": 1}],
    ids=["dunder-bytes", "raising-buffer", "released-view", "list", "int", "none", "float", "dict"],
)
def test_objects_without_a_usable_buffer_are_type_errors(value: object) -> None:
    for call in (
        lambda: crypto.hash(value),  # type: ignore[arg-type]
        lambda: crypto.Hasher().update(value),  # type: ignore[arg-type]
        lambda: crypto.hmac(b"k", value),  # type: ignore[arg-type]
        lambda: crypto.Aead("aes-256-gcm", value),  # type: ignore[arg-type]
        lambda: crypto.Aead("aes-256-gcm", bytes(32)).encrypt(value),  # type: ignore[arg-type]
        lambda: crypto.Aead("aes-256-gcm", bytes(32)).decrypt(value),  # type: ignore[arg-type]
        lambda: crypto.hkdf(value),  # type: ignore[arg-type]
        lambda: crypto.pbkdf2("pw", value, iterations=1),  # type: ignore[arg-type]
        lambda: crypto.hash_password(value),  # type: ignore[arg-type]
    ):
        with pytest.raises(CryptoTypeError):
            call()


def test_other_buffer_layouts() -> None:
    import array

    numbers = array.array("I", [1, 2, 3])
    assert crypto.hash(numbers) == hashlib.sha256(numbers.tobytes()).digest()
    strided = memoryview(b"abcdef")[::2]
    assert crypto.hash(strided) == hashlib.sha256(b"ace").digest()
    assert crypto.hash(memoryview(b"")) == hashlib.sha256(b"").digest()


def test_text_is_read_as_its_characters() -> None:
    hashed = crypto.hash_password(LyingEncode("pw"), FAST_PBKDF2)
    assert crypto.verify_password("pw", hashed)
    assert crypto.hash(b"x", LyingText("sha256")) == hashlib.sha256(b"x").digest()
    assert crypto.hash(b"x", Algo.SHA512) == hashlib.sha512(b"x").digest()
    assert crypto.Hasher(Algo.SHA512).algo == "sha512"
    assert type(crypto.Hasher(Algo.SHA512).algo) is str


MARK_KEY = b"KEYMARK-0123456789-abcdefghijklm"  # 32 bytes
MARK_PASSWORD = "PWMARK-correct-horse-battery"
MARK_PLAINTEXT = b"PTMARK-the-plaintext"


def forms(secret: bytes | str) -> list[str]:
    raw = secret.encode() if isinstance(secret, str) else secret
    return [raw.decode("latin-1"), raw.hex(), repr(raw), raw[:12].decode("latin-1")]


def assert_hidden(text: str) -> None:
    for secret in (MARK_KEY, MARK_PASSWORD, MARK_PLAINTEXT):
        for form in forms(secret):
            assert form not in text, f"a secret leaked into: {text[:200]!r}"


def failures() -> list[BaseException]:
    """Every error that a call holding a secret can raise."""
    cipher = crypto.Aead("aes-256-gcm", MARK_KEY)
    token = cipher.encrypt(MARK_PLAINTEXT, b"aad")
    calls = [
        lambda: crypto.Aead("aes-256-gcm", MARK_KEY[:31]),
        lambda: crypto.Aead("aes-256-gcm", MARK_KEY + b"!"),
        lambda: crypto.Aead("aes-256-gcm", MARK_KEY.decode()),
        lambda: crypto.Aead("aes-128-gcm", MARK_KEY),
        lambda: cipher.decrypt(token, b"other"),
        lambda: cipher.decrypt(token[:-1], b"aad"),
        lambda: crypto.Aead("aes-256-gcm", bytes(32)).decrypt(token, b"aad"),
        lambda: crypto.Keyring([cipher], active=9),
        lambda: crypto.hmac(MARK_KEY, MARK_PLAINTEXT, "md5"),
        lambda: crypto.hmac(MARK_KEY.decode(), MARK_PLAINTEXT),
        lambda: crypto.hkdf(MARK_KEY, length=10**6),
        lambda: crypto.pbkdf2(MARK_PASSWORD, b"salt", iterations=0),
        lambda: crypto.pbkdf2(MARK_PASSWORD + "\ud800", b"salt", iterations=1),
        lambda: crypto.hash_password(MARK_PASSWORD + "\ud800", FAST_ARGON2),
        lambda: crypto.hash_password(MARK_PASSWORD * 200, FAST_ARGON2),
        lambda: crypto.hash_password(MARK_PASSWORD * 3, FAST_BCRYPT),
        lambda: crypto.verify_password(MARK_PASSWORD, "$argon2id$broken"),
        lambda: crypto.verify_password(MARK_PASSWORD, "$2b$04$" + "?" * 53),
        lambda: crypto.verify_password(MARK_PASSWORD, "unknown"),
        lambda: crypto.verify_password(MARK_PASSWORD + "\udfff", "$2b$04$" + "." * 53),
        lambda: crypto.compare_digest(MARK_KEY, MARK_PASSWORD),
        lambda: crypto.compare_digest(MARK_PASSWORD + "é", MARK_PASSWORD + "é"),
        lambda: crypto.Hasher("md5").update(MARK_KEY),
    ]
    errors: list[BaseException] = []
    for call in calls:
        with pytest.raises(CryptoError) as info:
            call()
        errors.append(info.value)
    return errors


def test_no_secret_in_any_error_or_its_traceback() -> None:
    errors = failures()
    assert any(isinstance(error, DecryptionError) for error in errors)
    for error in errors:
        assert_hidden(str(error))
        assert_hidden(repr(error))
        assert_hidden("".join(traceback.format_exception(error)))


def test_no_secret_in_reprs_and_no_copies() -> None:
    cipher = crypto.Aead("chacha20-poly1305", MARK_KEY, key_id=5)
    keyring = crypto.Keyring([cipher], active=5)
    seed = crypto.AeadCipher("aes256gcm", MARK_KEY)
    for obj in (cipher, keyring, seed):
        assert_hidden(repr(obj))
        assert_hidden(str(obj))
        assert not hasattr(obj, "__dict__")
        for clone in (pickle.dumps, copy.copy, copy.deepcopy):
            with pytest.raises(CryptoTypeError, match="cannot be pickled or copied"):
                clone(obj)
    assert repr(cipher) == "Aead('chacha20-poly1305', key_id=5)"
    hasher = crypto.Hasher("sha256", MARK_KEY)
    assert_hidden(repr(hasher))


def test_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        cipher = crypto.Aead("aes-256-gcm", MARK_KEY)
        cipher.decrypt(cipher.encrypt(MARK_PLAINTEXT))
        for params in (FAST_ARGON2, FAST_BCRYPT, FAST_PBKDF2):
            crypto.verify_password(MARK_PASSWORD, crypto.hash_password(MARK_PASSWORD, params))
        crypto.hkdf(MARK_KEY)
        failures()
    for record in caplog.records:
        assert_hidden(record.getMessage())


def test_no_module_caches_anything() -> None:
    """No memoisation anywhere in ferrule.crypto: a cache would keep keys and passwords."""
    package = Path(crypto.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text()
        for word in ("lru_cache", "functools.cache", "@cache", "WeakValueDictionary"):
            assert word not in text, f"{source.name} uses {word}"
