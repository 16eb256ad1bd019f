"""Password hashes: OWASP's parameters by default, reference hashes from other implementations
verify (RFC 9106 argon2id outputs as PHC strings, the OpenBSD bcrypt set, passlib's PBKDF2
strings), every scheme round-trips, malformed or too costly hashes are refused, `needs_rehash`
follows the policy. Tests use small argon2/bcrypt costs; one test runs the defaults."""

from __future__ import annotations

import base64
import hashlib

import pytest

from ferrule.crypto import (
    DEFAULT_PARAMS,
    Argon2Params,
    BcryptParams,
    Pbkdf2Params,
    hash_password,
    needs_rehash,
    verify_password,
)
from ferrule.crypto import passwords as pw_module
from ferrule.errors import CryptoError, CryptoTypeError

from .vectors import BCRYPT_KNOWN, PASSLIB_PBKDF2_KNOWN, data, load

FAST_ARGON2 = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
FAST_BCRYPT = BcryptParams(rounds=4)
FAST_PBKDF2 = Pbkdf2Params(iterations=1000)
FAST = [FAST_ARGON2, FAST_BCRYPT, FAST_PBKDF2, Pbkdf2Params("sha512", iterations=1000)]
IDS = ["argon2id", "bcrypt", "pbkdf2-sha256", "pbkdf2-sha512"]


def test_defaults_are_owasp() -> None:
    """OWASP Password Storage Cheat Sheet: argon2id m=19 MiB, t=2, p=1; bcrypt cost >= 10;
    PBKDF2-HMAC-SHA256 600,000 and -SHA512 210,000 iterations."""
    assert Argon2Params() == DEFAULT_PARAMS
    assert (DEFAULT_PARAMS.memory_cost, DEFAULT_PARAMS.time_cost) == (19 * 1024, 2)
    assert DEFAULT_PARAMS.parallelism == 1
    assert BcryptParams().rounds >= 10
    assert Pbkdf2Params().iterations == 600_000
    assert Pbkdf2Params("sha512").iterations == 210_000
    hashed = hash_password("correct horse")  # the one full-cost hash of the suite
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("correct horse", hashed)
    assert not needs_rehash(hashed)


def test_argon2id_reference_outputs_verify() -> None:
    """RFC 9106 / pyca vectors without secret or associated data, written as PHC strings."""

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode().rstrip("=")

    checked = 0
    for record in load("KDF/argon2id.txt"):
        if "secret" in record or "ad" in record or int(record["memcost"]) > 1024:
            continue
        password = data(record["pass"] or "")
        phc = (
            f"$argon2id$v=19$m={record['memcost']},t={record['iter']},p={record['lanes']}"
            f"${b64(data(record['salt']))}${b64(data(record['output']))}"
        )
        assert verify_password(password, phc), f"COUNT={record['count']}"
        assert not verify_password(password + b"x", phc)
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(("password", "hashed"), BCRYPT_KNOWN)
def test_bcrypt_reference_hashes_verify(password: str, hashed: str) -> None:
    assert verify_password(password, hashed)
    assert verify_password(password.encode(), hashed.encode())
    assert not verify_password(password + "x", hashed)


@pytest.mark.parametrize(("password", "hashed"), PASSLIB_PBKDF2_KNOWN)
def test_passlib_pbkdf2_hashes_verify(password: str, hashed: str) -> None:
    assert verify_password(password, hashed)
    assert not verify_password(password[:-1], hashed)


def test_pbkdf2_hash_string_is_the_documented_format() -> None:
    hashed = hash_password("pässword", FAST_PBKDF2)
    _, scheme, rounds, salt, digest = hashed.split("$")
    assert (scheme, rounds) == ("pbkdf2-sha256", "1000")

    def ab64(text: str) -> bytes:  # passlib's adapted base64: "." for "+", no padding
        return base64.b64decode(text.replace(".", "+") + "=" * (-len(text) % 4))

    assert "=" not in salt + digest and "+" not in salt + digest
    assert len(ab64(salt)) == 16
    assert ab64(digest) == hashlib.pbkdf2_hmac("sha256", "pässword".encode(), ab64(salt), 1000)


@pytest.mark.parametrize("params", FAST, ids=IDS)
def test_round_trip(params: object) -> None:
    hashed = hash_password("pässword", params)  # type: ignore[arg-type]
    assert verify_password("pässword", hashed)
    assert verify_password("pässword".encode(), hashed)
    assert verify_password("pässword", hashed.encode())
    assert not verify_password("passwörd", hashed)
    assert not verify_password("", hashed)
    assert hash_password("pässword", params) != hashed  # type: ignore[arg-type]
    assert not needs_rehash(hashed, params)  # type: ignore[arg-type]
    assert needs_rehash(hashed)  # not the default policy


def test_needs_rehash_follows_the_policy() -> None:
    argon = hash_password("pw", FAST_ARGON2)
    assert needs_rehash(argon, Argon2Params(time_cost=2, memory_cost=8))
    assert needs_rehash(argon, Argon2Params(time_cost=1, memory_cost=16))
    assert needs_rehash(argon, Argon2Params(time_cost=1, memory_cost=8, hash_len=16))
    assert needs_rehash(argon, FAST_BCRYPT)
    bcrypt_hash = hash_password("pw", FAST_BCRYPT)
    assert needs_rehash(bcrypt_hash, BcryptParams(rounds=5))
    assert needs_rehash("$2a" + bcrypt_hash[3:], FAST_BCRYPT)
    assert needs_rehash(bcrypt_hash, FAST_ARGON2)
    pbkdf = hash_password("pw", FAST_PBKDF2)
    assert needs_rehash(pbkdf, Pbkdf2Params(iterations=1001))
    assert needs_rehash(pbkdf, Pbkdf2Params("sha512", iterations=1000))
    assert needs_rehash(pbkdf, FAST_BCRYPT)


def test_bcrypt_72_byte_limit() -> None:
    with pytest.raises(CryptoError, match="bcrypt reads only the first 72 bytes"):
        hash_password("x" * 73, FAST_BCRYPT)
    hashed = hash_password("x" * 72, FAST_BCRYPT)
    # a stored bcrypt hash was made from the first 72 bytes: longer input verifies as bcrypt did
    assert verify_password("x" * 80, hashed)
    assert not verify_password("x" * 71, hashed)


def test_bcrypt_nul_bytes_are_part_of_the_password() -> None:
    hashed = hash_password(b"a\0b", FAST_BCRYPT)
    assert verify_password(b"a\0b", hashed)
    assert not verify_password(b"a", hashed)


def test_password_limits() -> None:
    longest = "x" * pw_module.MAX_PASSWORD_BYTES
    assert verify_password(longest, hash_password(longest, FAST_PBKDF2))
    with pytest.raises(CryptoError, match="password is longer than 4096 bytes"):
        hash_password(longest + "x", FAST_ARGON2)
    with pytest.raises(CryptoError, match="password is longer than 4096 bytes"):
        verify_password(longest + "x", hash_password("pw", FAST_ARGON2))


MALFORMED = [
    "",
    "plain",
    "$argon2id$",
    "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ",
    "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$!!!!",
    "$argon2x$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    "$2b$04$short",
    "$2b$04$" + "." * 52 + "é",
    "$2c$04$" + "." * 53,
    "$pbkdf2-sha256$0$c2FsdA$aGFzaA",
    "$pbkdf2-sha256$01000$c2FsdA$" + "A" * 43,
    "$pbkdf2-md5$1000$c2FsdA$aGFzaA",
    "$pbkdf2-sha256$1000$c2FsdA$aGFzaA",  # a digest of the wrong length
    "$pbkdf2-sha256$1000$c2FsdA=$" + "A" * 43,
    "$pbkdf2-sha256$1000$$" + "A" * 43,
    "$pbkdf2-sha256$1000$c2FsdA$" + "A" * 43 + "$",
    "$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI",  # sha1: not supported
    "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo\n",
]


@pytest.mark.parametrize("hashed", MALFORMED)
def test_malformed_hashes_are_errors_not_false(hashed: str) -> None:
    with pytest.raises(CryptoError):
        verify_password("pw", hashed)
    with pytest.raises(CryptoError):
        needs_rehash(hashed)


@pytest.mark.parametrize(
    ("hashed", "text"),
    [
        ("$2b$31$" + "." * 53, "bcrypt hash cost is outside 4 to 20"),
        (
            "$argon2id$v=19$m=2147483647,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "more work than the argon2 limits allow",
        ),
        (
            "$argon2id$v=19$m=8,t=1000000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "more work than the argon2 limits allow",
        ),
        ("$pbkdf2-sha256$999999999$c2FsdA$" + "A" * 43, "more than 10000000 iterations"),
    ],
)
def test_hashes_asking_for_absurd_work_are_refused(hashed: str, text: str) -> None:
    with pytest.raises(CryptoError, match=text):
        verify_password("pw", hashed)


@pytest.mark.parametrize(
    ("make", "error", "text"),
    [
        (lambda: Argon2Params(time_cost=0), CryptoError, "time_cost must be between 1 and 100"),
        (lambda: Argon2Params(memory_cost=7), CryptoError, "memory_cost must be between 8"),
        (
            lambda: Argon2Params(memory_cost=16, parallelism=4),
            CryptoError,
            "memory_cost must be between 32",
        ),
        (lambda: Argon2Params(salt_len=8), CryptoError, "salt_len must be between 16"),
        (lambda: Argon2Params(hash_len="32"), CryptoTypeError, "hash_len must be an int"),
        (lambda: BcryptParams(rounds=3), CryptoError, "rounds must be between 4 and 20"),
        (lambda: BcryptParams(rounds=True), CryptoTypeError, "rounds must be an int, not bool"),
        (lambda: Pbkdf2Params("sha1"), CryptoError, "unknown PBKDF2 algorithm 'sha1'"),
        (lambda: Pbkdf2Params(iterations=0), CryptoError, "iterations must be between"),
        (lambda: hash_password("pw", "argon2"), CryptoTypeError, "params must be Argon2Params"),
        (lambda: hash_password(None), CryptoTypeError, "password must be bytes-like"),
        (lambda: verify_password("pw", None), CryptoTypeError, "hashed must be bytes-like"),
        (lambda: verify_password("pw", b"\xff"), CryptoError, "password hash is malformed"),
        (lambda: needs_rehash("$pbkdf2-sha256$1$c2FsdA$x", 5), CryptoTypeError, "params must"),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        make()  # type: ignore[operator]


def test_params_are_frozen_and_readable() -> None:
    params = Argon2Params(time_cost=1, memory_cost=8)
    with pytest.raises(AttributeError):
        params.time_cost = 5  # type: ignore[misc]
    assert repr(params) == (
        "Argon2Params(time_cost=1, memory_cost=8, parallelism=1, hash_len=32, salt_len=16)"
    )
