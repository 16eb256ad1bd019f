"""Deterministic AEAD tokens (`Aead.encrypt_deterministic`): the nonce is the documented HMAC,
recomputed here with the standard library; the sealed part is what the bare ``cryptography``
cipher makes with that nonce; the token decrypts with the ordinary `decrypt`."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from ferrule.crypto import Aead, Keyring, key_id_of
from ferrule.errors import CryptoError, CryptoTypeError, DecryptionError

KEY = bytes(range(32))
LABEL = b"ferrule.crypto.aead deterministic nonce v1"


def _expected_nonce(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce_key = hmac.digest(key, LABEL, hashlib.sha256)
    message = len(aad).to_bytes(8, "big") + aad + plaintext
    return hmac.digest(nonce_key, message, hashlib.sha256)[:12]


@pytest.mark.parametrize("algorithm", ["aes-256-gcm", "chacha20-poly1305"])
@pytest.mark.parametrize("aad", [None, b"", b"column ssn"])
def test_tokens_follow_the_documented_construction(algorithm: str, aad: bytes | None) -> None:
    from cryptography.hazmat.primitives.ciphers import aead as reference

    cipher = Aead(algorithm, KEY, key_id=9)
    plaintext = b"078-05-1120"
    token = cipher.encrypt_deterministic(plaintext, aad)
    nonce = _expected_nonce(KEY, plaintext, aad or b"")
    bare = (reference.AESGCM if algorithm == "aes-256-gcm" else reference.ChaCha20Poly1305)(KEY)
    assert token == b"\x01" + (9).to_bytes(4, "big") + nonce + bare.encrypt(nonce, plaintext, aad)
    assert token == cipher.encrypt_deterministic(bytearray(plaintext), aad)
    assert cipher.decrypt(token, aad) == plaintext
    assert key_id_of(token) == 9


def test_equal_inputs_give_equal_tokens_and_anything_else_differs() -> None:
    cipher = Aead("aes-256-gcm", KEY, key_id=1)
    same = cipher.encrypt_deterministic(b"a", b"x")
    assert same == cipher.encrypt_deterministic(b"a", b"x")
    others = {
        cipher.encrypt_deterministic(b"b", b"x"),
        cipher.encrypt_deterministic(b"a", b"y"),
        cipher.encrypt_deterministic(b"a"),
        Aead("aes-256-gcm", bytes(32), key_id=1).encrypt_deterministic(b"a", b"x"),
    }
    assert same not in others and len(others) == 4
    # the aad length is part of the nonce input: moving bytes between aad and plaintext
    assert (
        cipher.encrypt_deterministic(b"bc", b"a")[5:17]
        != cipher.encrypt_deterministic(b"c", b"ab")[5:17]
    )
    with pytest.raises(DecryptionError):
        cipher.decrypt(same, b"y")


def test_keyring_uses_the_active_key_or_the_one_named() -> None:
    ring = Keyring(
        [Aead("aes-256-gcm", KEY, key_id=1), Aead("aes-256-gcm", KEY[::-1], key_id=2)], active=2
    )
    assert key_id_of(ring.encrypt_deterministic(b"v")) == 2
    first = ring.encrypt_deterministic(b"v", key_id=1)
    assert key_id_of(first) == 1 and ring.decrypt(first) == b"v"
    with pytest.raises(CryptoError, match="key id 3"):
        ring.encrypt_deterministic(b"v", key_id=3)


def test_bad_arguments_are_typed_errors() -> None:
    cipher = Aead("aes-256-gcm", KEY)
    with pytest.raises(CryptoTypeError):
        cipher.encrypt_deterministic("text")  # type: ignore[arg-type]
    with pytest.raises(CryptoTypeError):
        cipher.encrypt_deterministic(b"x", "aad")  # type: ignore[arg-type]
