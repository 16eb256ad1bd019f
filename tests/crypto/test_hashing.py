"""Hashes and HMAC against published vectors: NIST CAVP SHA-2 (ShortMsg and LongMsg), the
BLAKE2b vectors and RFC 7693's example, the official BLAKE3 vectors, RFC 4231 for HMAC.
Every vector runs through the one-shot `hash` and through `Hasher` fed in uneven chunks."""

from __future__ import annotations

import hashlib
import hmac as std_hmac
import itertools

import pytest

from ferrule.crypto import HASH_ALGORITHMS, Hasher, compare_digest, hash, hmac
from ferrule.errors import CryptoError, CryptoTypeError

from .vectors import BLAKE3_HASHES, blake3_input, data, load, message

NIST_FILES = [
    (algo, f"hashes/SHA2/{name}{kind}Msg.rsp")
    for algo, name in [("sha256", "SHA256"), ("sha384", "SHA384"), ("sha512", "SHA512")]
    for kind in ("Short", "Long")
]


def chunked(algo: str, payload: bytes) -> bytes:
    """The digest through Hasher, in chunks of 1, 7, 64 and the rest, with a copy midway."""
    hasher = Hasher(algo)
    cuts = [0, 1, 8, 72, len(payload)]
    for start, end in itertools.pairwise(cuts):
        hasher.update(payload[start:end])
        fork = hasher.copy()
        fork.update(b"diverge")  # must not touch the original
    return hasher.digest()


@pytest.mark.parametrize(("algo", "path"), NIST_FILES, ids=[p for _, p in NIST_FILES])
def test_sha2_nist_cavp(algo: str, path: str) -> None:
    records = load(path)
    assert len(records) >= 64
    for record in records:
        expected = bytes.fromhex(record["md"])
        payload = message(record)
        assert hash(payload, algo) == expected, f"{path} Len={record['len']}"
        assert chunked(algo, payload) == expected, f"{path} Len={record['len']} (Hasher)"


def test_sha256_is_the_default() -> None:
    assert hash(b"abc") == hashlib.sha256(b"abc").digest()
    assert Hasher().algo == "sha256"


def test_blake2b_vectors() -> None:
    records = load("hashes/blake2/blake2b.txt")
    assert records
    for record in records:
        payload = message(record)
        assert hash(payload, "blake2b") == bytes.fromhex(record["md"])
        assert chunked("blake2b", payload) == bytes.fromhex(record["md"])


def test_blake2b_rfc7693_appendix_a() -> None:
    expected = (
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
    )
    assert hash(b"abc", "blake2b").hex() == expected


@pytest.mark.parametrize("length", sorted(BLAKE3_HASHES))
def test_blake3_official_vectors(length: int) -> None:
    payload = blake3_input(length)
    expected = bytes.fromhex(BLAKE3_HASHES[length])
    assert hash(payload, "blake3") == expected
    assert chunked("blake3", payload) == expected
    hasher = Hasher("blake3", payload)
    assert hasher.hexdigest() == BLAKE3_HASHES[length]
    assert hasher.digest_size == 32


def test_blake3_is_not_another_hash_in_disguise() -> None:
    payload = blake3_input(1024)
    digest = hash(payload, "blake3")
    for other in ("sha256", "sha512", "blake2b"):
        assert not hashlib.new(other, payload).digest().startswith(digest)
    assert hashlib.blake2s(payload).digest() != digest
    assert hashlib.sha3_256(payload).digest() != digest


@pytest.mark.parametrize("algo", ["sha256", "sha384", "sha512"])
def test_hmac_rfc4231(algo: str) -> None:
    records = load(f"HMAC/rfc-4231-{algo}.txt")
    assert len(records) >= 6
    for record in records:
        key, msg, expected = data(record["key"]), data(record["msg"]), data(record["md"])
        assert hmac(key, msg, algo) == expected
        assert hmac(bytearray(key), memoryview(msg), algo) == expected


def test_hmac_default_and_bad_arguments() -> None:
    assert hmac(b"k", b"m") == std_hmac.new(b"k", b"m", "sha256").digest()
    with pytest.raises(CryptoError, match="key must not be empty"):
        hmac(b"", b"m")
    with pytest.raises(CryptoError, match="unknown HMAC algorithm 'md5'"):
        hmac(b"k", b"m", "md5")
    with pytest.raises(CryptoError, match="unknown HMAC algorithm 'blake3'"):
        hmac(b"k", b"m", "blake3")
    with pytest.raises(CryptoTypeError, match="key must be bytes, not str"):
        hmac("k", b"m")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="data must be bytes-like"):
        hmac(b"k", 5)  # type: ignore[arg-type]


def test_hasher_copy_digest_and_repr() -> None:
    hasher = Hasher("sha512", b"abc")
    clone = hasher.copy()
    clone.update(b"def")
    assert hasher.digest() == hashlib.sha512(b"abc").digest()
    assert clone.digest() == hashlib.sha512(b"abcdef").digest()
    assert hasher.digest() == hasher.digest()  # digest does not end the hash
    assert hasher.hexdigest() == hasher.digest().hex()
    assert repr(hasher) == "Hasher('sha512')"
    with pytest.raises(AttributeError):
        hasher.algo = "sha256"  # type: ignore[misc]
    assert (Hasher("blake2b").digest_size, Hasher("sha384").digest_size) == (64, 48)


@pytest.mark.parametrize(
    ("algo", "error", "text"),
    [
        ("md5", CryptoError, "unknown hash algorithm 'md5'"),
        ("SHA256", CryptoError, "unknown hash algorithm 'SHA256'"),
        ("sha1", CryptoError, "unknown hash algorithm"),
        (b"sha256", CryptoTypeError, "must be a str, not bytes"),
        (None, CryptoTypeError, "must be a str, not NoneType"),
        (["sha256"], CryptoTypeError, "must be a str, not list"),
    ],
)
def test_unknown_algorithms(algo: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        hash(b"", algo)  # type: ignore[arg-type]
    with pytest.raises(error, match=text):
        Hasher(algo)  # type: ignore[arg-type]


def test_every_algorithm_is_listed_and_works() -> None:
    assert HASH_ALGORITHMS == ("sha256", "sha384", "sha512", "blake2b", "blake3")
    for algo in HASH_ALGORITHMS:
        assert hash(b"x", algo) == Hasher(algo, b"x").digest()


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (b"abc", b"abc", True),
        (b"abc", b"abd", False),
        (b"abc", b"abcd", False),
        (b"", b"", True),
        ("abc", "abc", True),
        ("abc", "abd", False),
        (bytearray(b"abc"), memoryview(b"abc"), True),
    ],
)
def test_compare_digest(a: bytes, b: bytes, equal: bool) -> None:
    assert compare_digest(a, b) is equal


@pytest.mark.parametrize(
    ("a", "b", "error"),
    [
        (b"a", "a", CryptoTypeError),
        ("a", b"a", CryptoTypeError),
        ("é", "é", CryptoError),
        (1, 1, CryptoTypeError),
        (None, b"", CryptoTypeError),
    ],
)
def test_compare_digest_bad_arguments(a: object, b: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        compare_digest(a, b)  # type: ignore[arg-type]
