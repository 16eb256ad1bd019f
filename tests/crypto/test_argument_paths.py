"""Every helper hands its arguments to the library first and checks them only when the library
refuses them: a table of argument kinds (every buffer layout, bytes subclasses that lie, text,
numbers, None) through every bytes argument of every helper gives either what the same bytes
as plain ``bytes`` give, or `CryptoTypeError`, with no library exception in its traceback."""

from __future__ import annotations

import array
import hashlib
import os
import traceback
from collections.abc import Callable
from typing import Any

import blake3
import pytest

from ferrule import crypto
from ferrule.crypto import HASH_ALGORITHMS, HMAC_ALGORITHMS
from ferrule.errors import CryptoTypeError, DecryptionError

PLAIN = b"abcdefgh"


class LyingBytes(bytes):
    """Slicing, comparison, length and conversion all lie: only the buffer tells the truth."""

    def __len__(self) -> int:
        return 99

    def __getitem__(self, index: Any) -> Any:
        return b"\x01\x00\x00\x00\x07" + bytes(40)

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __bytes__(self) -> bytes:
        return b"lie"

    def startswith(self, *args: object) -> bool:  # type: ignore[override]
        return True


def released() -> memoryview:
    view = memoryview(b"abc")
    view.release()
    return view


def layouts(plain: bytes) -> dict[str, object]:
    """`plain` as every kind of bytes-like argument (each reads as `plain`)."""
    doubled = bytes(byte for byte in plain for _ in range(2))
    kinds: dict[str, object] = {
        "bytes": plain,
        "bytearray": bytearray(plain),
        "memoryview": memoryview(plain),
        "lying subclass": LyingBytes(plain),
        "strided view": memoryview(doubled)[::2],
        "array B": array.array("B", plain),
    }
    if len(plain) % 4 == 0:
        kinds["array I"] = array.array("I", plain)
        kinds["view of array I"] = memoryview(array.array("I", plain))
        kinds["2-D view"] = memoryview(plain).cast("B", (2, len(plain) // 2))
    return kinds


REFUSED: dict[str, object] = {
    "str": "abcdefgh",
    "str subclass": type("Text", (str,), {})("abcdefgh"),
    "int": 8,
    "bool": True,
    "float": 1.5,
    "list": [97, 98],
    "released view": released(),
    "only __bytes__": type("Dunder", (), {"__bytes__": lambda self: b"abcdefgh"})(),
}


def assert_clean(error: BaseException) -> None:
    """No other exception is shown with `error`: not the library's (its message may quote the
    input), not one of the checks'."""
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    text = "".join(traceback.format_exception(error))
    for word in ("InvalidTag", "During handling", "direct cause"):
        assert word not in text, text


def digest(algo: str, data: bytes) -> bytes:
    return blake3.blake3(data).digest() if algo == "blake3" else hashlib.new(algo, data).digest()


KEY = os.urandom(32)
AEADS = [crypto.Aead(name, KEY, key_id=7) for name in crypto.AEAD_ALGORITHMS]


def calls() -> list[tuple[str, Callable[[Any], object], Callable[[bytes], object], bool]]:
    """(name, the helper with the argument under test, the same with plain bytes, None allowed)"""
    table: list[tuple[str, Callable[[Any], object], Callable[[bytes], object], bool]] = []
    for algo in HASH_ALGORITHMS:
        table.append(
            (
                f"hash {algo}",
                lambda x, a=algo: crypto.hash(x, a),
                lambda p, a=algo: digest(a, p),
                False,
            )
        )
        table.append(
            (
                f"Hasher {algo}",
                lambda x, a=algo: crypto.Hasher(a, x).digest(),
                lambda p, a=algo: digest(a, p),
                True,
            )
        )
    for algo in HMAC_ALGORITHMS:
        table.append(
            (
                f"hmac key {algo}",
                lambda x, a=algo: crypto.hmac(x, b"m", a),
                lambda p, a=algo: crypto.hmac(p, b"m", a),
                False,
            )
        )
        table.append(
            (
                f"hmac data {algo}",
                lambda x, a=algo: crypto.hmac(b"k", x, a),
                lambda p, a=algo: crypto.hmac(b"k", p, a),
                False,
            )
        )
    table += [
        ("compare_digest a", lambda x: crypto.compare_digest(x, PLAIN), lambda p: True, False),
        ("compare_digest b", lambda x: crypto.compare_digest(PLAIN, x), lambda p: True, False),
        (
            "compare_digest other",
            lambda x: crypto.compare_digest(x, b"abcdefgX"),
            lambda p: False,
            False,
        ),
        ("hkdf key_material", lambda x: crypto.hkdf(x), lambda p: crypto.hkdf(p), False),
        (
            "hkdf salt",
            lambda x: crypto.hkdf(b"k", salt=x),
            lambda p: crypto.hkdf(b"k", salt=p),
            True,
        ),
        (
            "hkdf info",
            lambda x: crypto.hkdf(b"k", info=x),
            lambda p: crypto.hkdf(b"k", info=p),
            False,
        ),
    ]
    for aead in AEADS:
        keyring = crypto.Keyring([aead], active=7)
        name = aead.algorithm
        table += [
            (
                f"{name} encrypt plaintext",
                lambda x, c=aead: c.decrypt(c.encrypt(x)),
                lambda p: p,
                False,
            ),
            (
                f"{name} encrypt aad",
                lambda x, c=aead: c.decrypt(c.encrypt(b"t", x), PLAIN),
                lambda p: b"t",
                True,
            ),
            (
                f"{name} decrypt aad",
                lambda x, c=aead: c.decrypt(c.encrypt(b"t", PLAIN), x),
                lambda p: b"t",
                True,
            ),
            (
                f"{name} Keyring.decrypt aad",
                lambda x, c=aead, k=keyring: k.decrypt(c.encrypt(b"t", PLAIN), x),
                lambda p: b"t",
                True,
            ),
            (
                f"{name} encrypt_deterministic",
                lambda x, c=aead: c.decrypt(c.encrypt_deterministic(x)),
                lambda p: p,
                False,
            ),
        ]
    return table


CALLS = calls()


@pytest.mark.parametrize(
    ("name", "call", "plain_call", "takes_none"), CALLS, ids=[c[0] for c in CALLS]
)
def test_every_layout_reads_as_its_bytes(
    name: str,
    call: Callable[[Any], object],
    plain_call: Callable[[bytes], object],
    takes_none: bool,
) -> None:
    expected = plain_call(PLAIN)
    for kind, value in layouts(PLAIN).items():
        assert call(value) == expected, kind


@pytest.mark.parametrize(
    ("name", "call", "plain_call", "takes_none"), CALLS, ids=[c[0] for c in CALLS]
)
def test_everything_else_is_a_clean_type_error(
    name: str,
    call: Callable[[Any], object],
    plain_call: Callable[[bytes], object],
    takes_none: bool,
) -> None:
    refused = dict(REFUSED) if takes_none else {**REFUSED, "None": None}
    for kind, value in refused.items():
        if name.startswith("compare_digest") and kind.startswith("str"):
            continue  # text compares with text only: tested with its own table
        with pytest.raises(CryptoTypeError) as info:
            call(value)
        assert_clean(info.value)


@pytest.mark.parametrize("aead", AEADS, ids=[a.algorithm for a in AEADS])
def test_tokens_as_any_layout(aead: crypto.Aead) -> None:
    """A token in any layout decrypts as its bytes, through the key and through a keyring; a
    bytes subclass whose slicing and comparison lie cannot pass an altered token off."""
    keyring = crypto.Keyring([aead], active=7)
    token = aead.encrypt(b"secret", b"aad")
    altered = token[:-1] + bytes([token[-1] ^ 1])
    for kind, value in layouts(token).items():
        if kind in ("array I", "view of array I", "2-D view") and len(token) % 4:
            continue
        assert aead.decrypt(value, b"aad") == b"secret", kind
        assert keyring.decrypt(value, b"aad") == b"secret", kind
    for reader in (aead, keyring):
        for bad in (LyingBytes(altered), bytearray(altered), altered, LyingBytes(b"\x01")):
            with pytest.raises(DecryptionError) as info:
                reader.decrypt(bad, b"aad")
            assert_clean(info.value)
        for value in REFUSED.values():
            with pytest.raises(CryptoTypeError) as type_error:
                reader.decrypt(value, b"aad")
            assert_clean(type_error.value)
        with pytest.raises(CryptoTypeError):
            reader.decrypt(None)


def test_a_failed_decryption_shows_no_library_error() -> None:
    """The one `DecryptionError` does not carry the library's exception, even as context."""
    for aead in AEADS:
        keyring = crypto.Keyring([aead], active=7)
        token = aead.encrypt(b"x", b"a")
        for reader in (aead, keyring):
            with pytest.raises(DecryptionError) as info:
                reader.decrypt(token, b"b")
            assert info.value.__cause__ is None
            assert info.value.__suppress_context__ or info.value.__context__ is None
            assert_clean(info.value)
