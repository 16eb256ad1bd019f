"""The seed project's names make exactly what the functions make, and read what they write."""

from __future__ import annotations

import os
import string

import pytest

from ferrule import crypto
from ferrule.crypto import (
    Aead,
    AeadCipher,
    Argon2Params,
    BcryptParams,
    Hasher,
    PasswordHasher,
    Pbkdf2Params,
    SecureRandom,
)
from ferrule.errors import CryptoError, CryptoTypeError

FAST = {
    "argon2": Argon2Params(time_cost=1, memory_cost=8),
    "bcrypt": BcryptParams(rounds=4),
    "pbkdf2": Pbkdf2Params(iterations=1000),
}


def test_secure_random_tokens() -> None:
    text = SecureRandom().generate_token(32, urlsafe=True)
    assert len(text) == 43
    assert set(text) <= set(string.ascii_letters + string.digits + "-_")
    assert len(SecureRandom().generate_token(16, urlsafe=False)) == 32
    assert len(SecureRandom().generate_token()) == 43
    with pytest.raises(CryptoError, match="nbytes"):
        SecureRandom().generate_token(0)


def test_hasher_is_the_one_class() -> None:
    assert crypto.compat.__name__ == "ferrule.crypto.compat"
    assert Hasher("blake3", b"abc").digest() == crypto.hash(b"abc", "blake3")


@pytest.mark.parametrize(
    ("alias", "name"), [("aes256gcm", "aes-256-gcm"), ("chacha20poly1305", "chacha20-poly1305")]
)
def test_aead_cipher_reads_and_writes_aead_tokens(alias: str, name: str) -> None:
    key = os.urandom(32)
    seed = AeadCipher(alias, key)
    modern = Aead(name, key)
    assert seed.algorithm == name
    assert modern.decrypt(seed.encrypt(b"plain", b"aad"), b"aad") == b"plain"
    assert seed.decrypt(modern.encrypt(b"plain", b"aad"), b"aad") == b"plain"
    assert seed.decrypt(seed.encrypt(b"plain")) == b"plain"
    assert isinstance(seed, Aead)
    assert repr(seed) == f"AeadCipher({name!r}, key_id=0)"
    assert crypto.Keyring([seed], active=0).decrypt(modern.encrypt(b"x")) == b"x"


def test_aead_cipher_bad_names() -> None:
    with pytest.raises(CryptoError, match="unknown AEAD algorithm 'aes128gcm'"):
        AeadCipher("aes128gcm", bytes(32))
    with pytest.raises(CryptoError, match="key must be 32 bytes"):
        AeadCipher("aes256gcm", bytes(31))


@pytest.mark.parametrize("algorithm", list(FAST))
def test_password_hasher_and_functions_agree(algorithm: str) -> None:
    hasher = PasswordHasher(algorithm, FAST[algorithm])
    made_by_seed = hasher.hash_password("hunter2")
    assert crypto.verify_password("hunter2", made_by_seed)
    assert not crypto.needs_rehash(made_by_seed, FAST[algorithm])
    made_by_function = crypto.hash_password("hunter2", FAST[algorithm])
    assert hasher.verify_password("hunter2", made_by_function)
    assert not hasher.verify_password("hunter3", made_by_function)
    assert not hasher.needs_rehash(made_by_function)
    for other in FAST:  # verification reads every scheme, whatever the hasher's policy
        assert PasswordHasher(other, FAST[other]).verify_password("hunter2", made_by_seed)


def test_password_hasher_defaults_and_bad_arguments() -> None:
    assert PasswordHasher().params == crypto.DEFAULT_PARAMS
    assert PasswordHasher("argon2").params == Argon2Params()
    assert PasswordHasher("bcrypt").params == BcryptParams()
    assert PasswordHasher("pbkdf2").params == Pbkdf2Params()
    assert repr(PasswordHasher("bcrypt")) == "PasswordHasher('bcrypt', BcryptParams(rounds=12))"
    with pytest.raises(CryptoError, match="unknown password hashing algorithm 'scrypt'"):
        PasswordHasher("scrypt")
    with pytest.raises(CryptoTypeError, match="params for 'bcrypt' must be BcryptParams"):
        PasswordHasher("bcrypt", Argon2Params())
