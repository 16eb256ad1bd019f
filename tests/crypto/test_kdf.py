"""HKDF against RFC 5869 (and pyca's 1200-byte vector; SHA-384/512 against the RFC's two steps
written out with the standard library's hmac) and PBKDF2 against RFC 6070 (HMAC-SHA1) and
RFC 7914, section 11 (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac as std_hmac

import pytest

from ferrule.crypto import hkdf, pbkdf2
from ferrule.errors import CryptoError, CryptoTypeError

from .vectors import RFC7914_PBKDF2, data, load


@pytest.mark.parametrize("path", ["KDF/rfc-5869-HKDF-SHA256.txt", "KDF/hkdf-generated.txt"])
def test_hkdf_sha256_vectors(path: str) -> None:
    records = load(path)
    assert records
    for record in records:
        assert record["hash"] == "SHA-256"
        okm = hkdf(
            data(record["ikm"]),
            length=int(record["l"]),
            salt=data(record["salt"] or ""),
            info=data(record["info"] or ""),
        )
        assert okm == data(record["okm"]), f"{path} COUNT={record['count']}"


def reference_hkdf(ikm: bytes, length: int, salt: bytes, info: bytes, algo: str) -> bytes:
    """RFC 5869, section 2, step by step, on the standard library's HMAC."""
    size = hashlib.new(algo).digest_size
    prk = std_hmac.new(salt or bytes(size), ikm, algo).digest()
    out, block = b"", b""
    for counter in range(1, -(-length // size) + 1):
        block = std_hmac.new(prk, block + info + bytes([counter]), algo).digest()
        out += block
    return out[:length]


@pytest.mark.parametrize("algo", ["sha256", "sha384", "sha512"])
@pytest.mark.parametrize("length", [1, 32, 100, 255 * 32])
def test_hkdf_against_the_rfc_steps(algo: str, length: int) -> None:
    ikm, salt, info = b"\x0b" * 22, bytes(range(13)), b"context"
    assert hkdf(ikm, length=length, salt=salt, info=info, algo=algo) == reference_hkdf(
        ikm, length, salt, info, algo
    )
    assert hkdf(ikm, length=length, algo=algo) == reference_hkdf(ikm, length, b"", b"", algo)


def test_hkdf_limits_and_bad_arguments() -> None:
    assert len(hkdf(b"k", length=255 * 64, algo="sha512")) == 255 * 64
    with pytest.raises(CryptoError, match="length must be between 1 and 8160"):
        hkdf(b"k", length=255 * 32 + 1)
    with pytest.raises(CryptoError, match="length must be between"):
        hkdf(b"k", length=0)
    with pytest.raises(CryptoError, match="key_material must not be empty"):
        hkdf(b"")
    with pytest.raises(CryptoError, match="unknown HKDF algorithm 'sha1'"):
        hkdf(b"k", algo="sha1")
    with pytest.raises(CryptoTypeError, match="info must be bytes, not str"):
        hkdf(b"k", info="x")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="salt must be bytes"):
        hkdf(b"k", salt=1)  # type: ignore[arg-type]


def test_pbkdf2_rfc6070_sha1() -> None:
    checked = 0
    for record in load("KDF/rfc-6070-PBKDF2-SHA1.txt"):
        if int(record["iterations"]) > 100_000:
            continue  # the 16,777,216-round case takes seconds; the others cover the function
        password = record["password"].replace("\\0", "\0").encode()
        salt = record["salt"].replace("\\0", "\0").encode()
        key = pbkdf2(
            password,
            salt,
            iterations=int(record["iterations"]),
            length=int(record["length"]),
            algo="sha1",
        )
        assert key.hex() == record["derived_key"], f"COUNT={record['count']}"
        checked += 1
    assert checked == 5


@pytest.mark.parametrize(("password", "salt", "rounds", "length", "expected"), RFC7914_PBKDF2)
def test_pbkdf2_rfc7914_sha256(
    password: bytes, salt: bytes, rounds: int, length: int, expected: str
) -> None:
    assert pbkdf2(password, salt, iterations=rounds, length=length).hex() == expected
    assert pbkdf2(password.decode(), salt, iterations=rounds, length=length).hex() == expected


@pytest.mark.parametrize("algo", ["sha384", "sha512"])
def test_pbkdf2_other_hashes_match_hashlib(algo: str) -> None:
    expected = hashlib.pbkdf2_hmac(algo, b"pw", b"saltsalt", 1000, 48)
    assert pbkdf2("pw", b"saltsalt", iterations=1000, length=48, algo=algo) == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"iterations": 0}, CryptoError, "iterations must be between 1 and"),
        ({"iterations": 10**9}, CryptoError, "iterations must be between"),
        ({"iterations": 1.0}, CryptoTypeError, "iterations must be an int, not float"),
        ({"iterations": 1, "length": 0}, CryptoError, "length must be between"),
        ({"iterations": 1, "length": 1025}, CryptoError, "length must be between"),
        ({"iterations": 1, "algo": "md5"}, CryptoError, "unknown PBKDF2 algorithm 'md5'"),
        ({"iterations": 1, "salt": b""}, CryptoError, "salt must not be empty"),
        ({"iterations": 1, "salt": "salt"}, CryptoTypeError, "salt must be bytes, not str"),
        ({"iterations": 1, "password": 5}, CryptoTypeError, "password must be bytes-like"),
    ],
)
def test_pbkdf2_bad_arguments(kwargs: dict[str, object], error: type[Exception], text: str) -> None:
    arguments: dict[str, object] = {"password": "pw", "salt": b"salt", **kwargs}
    with pytest.raises(error, match=text):
        pbkdf2(**arguments)  # type: ignore[arg-type]
