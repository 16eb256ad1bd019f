"""Tokens, random bytes and UUIDs: lengths and alphabets against the standard library's
encoders, the UUIDv7 layout against RFC 9562's example, and the ordering promise."""

from __future__ import annotations

import base64
import string
import time
import uuid

import pytest

from ferrule.crypto import random as rnd
from ferrule.crypto import random_bytes, token, uuid4, uuid7
from ferrule.errors import CryptoError, CryptoTypeError

from .vectors import RFC9562_UUID7

URLSAFE = set(string.ascii_letters + string.digits + "-_")


@pytest.mark.parametrize("nbytes", [1, 2, 3, 16, 31, 32, 33, 64, rnd.MAX_NBYTES])
def test_token_urlsafe_is_unpadded_base64url_of_nbytes(nbytes: int) -> None:
    text = token(nbytes)
    assert set(text) <= URLSAFE
    assert len(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))) == nbytes
    assert len(text) == len(base64.urlsafe_b64encode(bytes(nbytes)).rstrip(b"="))


@pytest.mark.parametrize("nbytes", [1, 16, 32])
def test_token_hex(nbytes: int) -> None:
    text = token(nbytes, urlsafe=False)
    assert len(bytes.fromhex(text)) == nbytes
    assert text == text.lower()


def test_defaults_and_uniqueness() -> None:
    assert len(token()) == 43  # 32 bytes
    assert len(random_bytes()) == 32
    assert len({token(16) for _ in range(1000)}) == 1000
    assert len({random_bytes(16) for _ in range(1000)}) == 1000


class Index:
    def __init__(self, value: object) -> None:
        self.value = value

    def __index__(self) -> object:
        return self.value


class LyingInt(int):
    def __index__(self) -> int:
        return 1000


class RaisingIndex:
    def __index__(self) -> int:
        raise RuntimeError("no")


@pytest.mark.parametrize(
    ("nbytes", "error"),
    [
        (0, CryptoError),
        (-1, CryptoError),
        (rnd.MAX_NBYTES + 1, CryptoError),
        (10**100, CryptoError),
        (True, CryptoTypeError),
        (1.5, CryptoTypeError),
        ("32", CryptoTypeError),
        (None, CryptoTypeError),
        (RaisingIndex(), CryptoTypeError),
        (Index("16"), CryptoTypeError),
        (Index(0), CryptoError),
    ],
)
def test_bad_nbytes(nbytes: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="nbytes"):
        token(nbytes)  # type: ignore[arg-type]
    with pytest.raises(error, match="nbytes"):
        random_bytes(nbytes)  # type: ignore[arg-type]


def test_nbytes_index_is_read_once_and_int_subclasses_by_value() -> None:
    assert len(random_bytes(Index(16))) == 16  # type: ignore[arg-type]
    assert len(random_bytes(LyingInt(8))) == 8  # its value, not its __index__


@pytest.mark.parametrize("urlsafe", [1, 0, None, "yes"])
def test_urlsafe_must_be_a_bool(urlsafe: object) -> None:
    with pytest.raises(CryptoTypeError, match="urlsafe"):
        token(16, urlsafe=urlsafe)  # type: ignore[arg-type]


def test_uuid4() -> None:
    value = uuid4()
    assert value.version == 4
    assert value.variant == uuid.RFC_4122
    assert len({uuid4() for _ in range(1000)}) == 1000


def test_uuid7_layout_matches_rfc9562_example() -> None:
    text, unix_ts_ms, rand_a, rand_b = RFC9562_UUID7
    assert rnd.uuid7_from_parts(unix_ts_ms, rand_a, rand_b) == uuid.UUID(text)


@pytest.mark.parametrize(
    ("parts", "name"),
    [((1 << 48, 0, 0), "unix_ts_ms"), ((0, 1 << 12, 0), "rand_a"), ((0, 0, 1 << 62), "rand_b")],
)
def test_uuid7_parts_out_of_range(parts: tuple[int, int, int], name: str) -> None:
    with pytest.raises(CryptoError, match=name):
        rnd.uuid7_from_parts(*parts)


def test_uuid7_version_variant_and_timestamp() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= value.int >> 80 <= after


def test_uuid7_increases_within_the_process() -> None:
    values = [uuid7() for _ in range(20_000)]  # many per millisecond
    assert values == sorted(values)
    assert len(set(values)) == len(values)


def test_uuid7_increases_when_the_clock_goes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([2_000_000_000_000_000_000, 1_000_000_000_000_000_000, 1_500_000_000_000_000_000])
    monkeypatch.setattr(rnd, "_time_ns", lambda: next(clock))
    first, second, third = uuid7(), uuid7(), uuid7()
    assert first < second < third
    assert first.int >> 80 == second.int >> 80 == third.int >> 80 == 2_000_000_000_000


def test_uuid7_counter_overflow_moves_to_the_next_millisecond(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rnd, "_time_ns", lambda: 5_000_000_000_000)
    first = uuid7()
    monkeypatch.setattr(rnd, "_counter", rnd._COUNTER_MAX)
    second = uuid7()
    assert first < second
    assert second.int >> 80 == (first.int >> 80) + 1
