"""AEAD tokens: NIST GCM and RFC 8439 ChaCha20-Poly1305 vectors through the token format (the
nonce source pinned to the vector's nonce), tampering at every byte position class, truncation,
wrong key, wrong associated data, unknown key ids, and the keyring's rotation."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ferrule.crypto import Aead, Keyring, key_id_of
from ferrule.crypto import aead as aead_module
from ferrule.crypto.aead import TOKEN_OVERHEAD
from ferrule.errors import CryptoError, CryptoTypeError, DecryptionError

from .vectors import data, load

ALGORITHMS = ["aes-256-gcm", "chacha20-poly1305"]


def token_of(key_id: int, nonce: bytes, ciphertext: bytes, tag: bytes) -> bytes:
    """The documented layout, built by hand: version 1, key id (4 bytes, big-endian), nonce,
    ciphertext, tag."""
    return b"\x01" + key_id.to_bytes(4, "big") + nonce + ciphertext + tag


def pin_nonce(monkeypatch: pytest.MonkeyPatch, nonce: bytes) -> None:
    monkeypatch.setattr(aead_module, "_urandom", lambda n: nonce if n == len(nonce) else None)


def gcm_vectors() -> Iterator[dict[str, object]]:
    for record in load("ciphers/AES/GCM/gcmEncryptExtIV256.rsp"):
        if record["ivlen"] == "96" and record["taglen"] == "128":
            yield record


def test_aes_256_gcm_nist_encrypt_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    records = list(gcm_vectors())
    assert len(records) == 375
    for record in records:
        key, iv = data(record["key"]), data(record["iv"])  # type: ignore[arg-type]
        pt, aad = data(record["pt"] or ""), data(record["aad"] or "")  # type: ignore[arg-type]
        ct, tag = data(record["ct"] or ""), data(record["tag"])  # type: ignore[arg-type]
        cipher = Aead("aes-256-gcm", key, key_id=7)
        expected = token_of(7, iv, ct, tag)
        pin_nonce(monkeypatch, iv)
        assert cipher.encrypt(pt, aad) == expected, f"Count={record['count']}"
        assert cipher.decrypt(expected, aad) == pt


def test_aes_256_gcm_nist_decrypt_vectors_including_failures() -> None:
    failures = 0
    for record in load("ciphers/AES/GCM/gcmDecrypt256.rsp"):
        if record["ivlen"] != "96" or record["taglen"] != "128":
            continue
        cipher = Aead("aes-256-gcm", data(record["key"]))
        token = token_of(0, data(record["iv"]), data(record["ct"] or ""), data(record["tag"]))
        aad = data(record["aad"] or "")
        if record.get("fail"):
            failures += 1
            with pytest.raises(DecryptionError):
                cipher.decrypt(token, aad)
        else:
            assert cipher.decrypt(token, aad) == data(record["pt"] or "")
    assert failures > 50


def test_chacha20_poly1305_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyca's boringssl.txt; its COUNT 1 is RFC 8439, section 2.8.2 (the "sunscreen" text)."""
    records = [
        record
        for record in load("ciphers/ChaCha20Poly1305/boringssl.txt")
        if len(data(record["nonce"])) == 12 and len(data(record["tag"])) == 16
    ]
    assert records[0]["in"].startswith('"Ladies and Gentlemen')
    assert len(records) > 30
    for record in records:
        key, nonce = data(record["key"]), data(record["nonce"])
        pt, aad = data(record["in"]), data(record["ad"])
        expected = token_of(3, nonce, data(record["ct"]), data(record["tag"]))
        cipher = Aead("chacha20-poly1305", key, key_id=3)
        pin_nonce(monkeypatch, nonce)
        assert cipher.encrypt(pt, aad) == expected, f"COUNT={record['count']}"
        assert cipher.decrypt(expected, aad) == pt


@pytest.fixture(params=ALGORITHMS)
def cipher(request: pytest.FixtureRequest) -> Aead:
    return Aead(request.param, os.urandom(32), key_id=0x01020304)


PLAINTEXT = b"attack at dawn, bring snacks"
AAD = b"row 42"


def test_round_trip_and_layout(cipher: Aead) -> None:
    token = cipher.encrypt(PLAINTEXT, AAD)
    assert len(token) == len(PLAINTEXT) + TOKEN_OVERHEAD == len(PLAINTEXT) + 33
    assert token[0] == 1
    assert token[1:5] == bytes([1, 2, 3, 4])
    assert key_id_of(token) == 0x01020304
    assert cipher.decrypt(token, AAD) == PLAINTEXT
    assert cipher.encrypt(PLAINTEXT, AAD) != token  # a fresh nonce every time
    assert cipher.decrypt(cipher.encrypt(b""), None) == b""
    assert cipher.decrypt(cipher.encrypt(b"x"), b"") == b"x"  # no aad is empty aad
    with pytest.raises(AttributeError):
        cipher.key_id = 9  # type: ignore[misc]  # the header is fixed with the key


REGIONS = {
    "version": range(0, 1),
    "key id": range(1, 5),
    "nonce": range(5, 17),
    "ciphertext": range(17, 17 + len(PLAINTEXT)),
    "tag": range(17 + len(PLAINTEXT), 17 + len(PLAINTEXT) + 16),
}


@pytest.mark.parametrize("region", list(REGIONS))
def test_every_altered_byte_fails(cipher: Aead, region: str) -> None:
    token = cipher.encrypt(PLAINTEXT, AAD)
    keyring = Keyring(
        [cipher, Aead(cipher.algorithm, os.urandom(32), key_id=0x01020305)], active=cipher.key_id
    )
    for index in REGIONS[region]:
        for mask in (0x01, 0x80, 0xFF):
            altered = bytearray(token)
            altered[index] ^= mask
            with pytest.raises(DecryptionError) as info:
                cipher.decrypt(bytes(altered), AAD)
            assert str(info.value) == aead_module._FAILED
            with pytest.raises(DecryptionError):
                keyring.decrypt(bytes(altered), AAD)


def test_truncated_extended_and_garbage_tokens_fail(cipher: Aead) -> None:
    token = cipher.encrypt(PLAINTEXT, AAD)
    keyring = Keyring([cipher], active=cipher.key_id)
    bad = [token[:length] for length in range(len(token))]
    bad += [token + b"\x00", b"\x01" + token, token[:17] + token[18:], bytes(64), os.urandom(80)]
    for candidate in bad:
        for reader in (cipher, keyring):
            with pytest.raises(DecryptionError):
                reader.decrypt(candidate, AAD)


def test_wrong_key_aad_and_version(cipher: Aead) -> None:
    token = cipher.encrypt(PLAINTEXT, AAD)
    other = Aead(cipher.algorithm, os.urandom(32), key_id=cipher.key_id)
    for reader, aad in [(other, AAD), (cipher, b"row 43"), (cipher, None), (cipher, AAD + b"\0")]:
        with pytest.raises(DecryptionError):
            reader.decrypt(token, aad)
    with pytest.raises(DecryptionError):
        cipher.decrypt(b"\x02" + token[1:], AAD)
    # the other algorithm with the same key bytes is another key
    same_bytes = os.urandom(32)
    aes = Aead("aes-256-gcm", same_bytes)
    chacha = Aead("chacha20-poly1305", same_bytes)
    with pytest.raises(DecryptionError):
        chacha.decrypt(aes.encrypt(PLAINTEXT))


def test_keyring_rotation() -> None:
    old = Aead("chacha20-poly1305", os.urandom(32), key_id=1)
    new = Aead("aes-256-gcm", os.urandom(32), key_id=2)
    before = Keyring([old], active=1)
    stored = before.encrypt(b"secret row", b"t1")
    after = Keyring([old, new], active=2)
    assert (after.active, after.key_ids) == (2, (1, 2))
    fresh = after.encrypt(b"new row", b"t2")
    assert key_id_of(stored) == 1 and key_id_of(fresh) == 2
    assert after.decrypt(stored, b"t1") == b"secret row"
    assert after.decrypt(fresh, b"t2") == b"new row"
    retired = Keyring([new], active=2)
    with pytest.raises(DecryptionError):
        retired.decrypt(stored, b"t1")  # unknown key id
    with pytest.raises(DecryptionError):
        before.decrypt(fresh, b"t2")
    assert repr(after) == "Keyring(key_ids=[1, 2], active=2)"


def test_keyring_bad_arguments() -> None:
    key = Aead("aes-256-gcm", bytes(32), key_id=1)
    with pytest.raises(CryptoError, match="two keys have key id 1"):
        Keyring([key, Aead("aes-256-gcm", bytes(range(32)), key_id=1)], active=1)
    with pytest.raises(CryptoError, match="active key id 2 is not in the keyring"):
        Keyring([key], active=2)
    with pytest.raises(CryptoError, match="not in the keyring"):
        Keyring([], active=0)
    with pytest.raises(CryptoTypeError, match="keys must hold Aead objects, not bytes"):
        Keyring([bytes(32)], active=0)  # type: ignore[list-item]
    with pytest.raises(CryptoTypeError, match="keys must be an iterable of Aead, not int"):
        Keyring(5, active=0)  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="active must be an int"):
        Keyring([key], active="1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "text"),
    [
        (
            ("aes-256-gcm", bytes(16)),
            {},
            CryptoError,
            "key must be 32 bytes for aes-256-gcm, not 16",
        ),
        (("aes-256-gcm", bytes(33)), {}, CryptoError, "key must be 32 bytes"),
        (("chacha20-poly1305", b""), {}, CryptoError, "key must be 32 bytes"),
        (("aes-128-gcm", bytes(32)), {}, CryptoError, "unknown AEAD algorithm 'aes-128-gcm'"),
        (("aes-256-gcm", "k" * 32), {}, CryptoTypeError, "key must be bytes, not str"),
        (("aes-256-gcm", bytes(32)), {"key_id": -1}, CryptoError, "key_id must be between"),
        (("aes-256-gcm", bytes(32)), {"key_id": 1 << 32}, CryptoError, "key_id must be between"),
        (("aes-256-gcm", bytes(32)), {"key_id": "1"}, CryptoTypeError, "key_id must be an int"),
    ],
)
def test_bad_constructor_arguments(
    args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        Aead(*args, **kwargs)  # type: ignore[arg-type]


def test_bad_encrypt_and_decrypt_arguments(cipher: Aead) -> None:
    with pytest.raises(CryptoTypeError, match="plaintext must be bytes, not str"):
        cipher.encrypt("text")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="associated_data must be bytes"):
        cipher.encrypt(b"x", "aad")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="token must be bytes"):
        cipher.decrypt("token")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError, match="token must be bytes-like"):
        key_id_of(None)  # type: ignore[arg-type]
    with pytest.raises(DecryptionError):
        key_id_of(b"\x01\x00")


def test_bytes_like_inputs(cipher: Aead) -> None:
    token = cipher.encrypt(bytearray(PLAINTEXT), memoryview(AAD))
    assert cipher.decrypt(bytearray(token), bytearray(AAD)) == PLAINTEXT
    assert cipher.decrypt(memoryview(token), AAD) == PLAINTEXT
    key = bytearray(os.urandom(32))
    held = Aead("aes-256-gcm", key)
    sealed = held.encrypt(b"x")
    key[:] = bytes(32)  # the caller's buffer changes after the key was handed over
    assert held.decrypt(sealed) == b"x"
