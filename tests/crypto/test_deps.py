"""The optional libraries: importing ferrule.crypto imports none of them, and a missing one is a
`MissingDependencyError` that names the extra (simulated by hiding the module in sys.modules,
which makes its import fail as if it were not installed)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ferrule import crypto
from ferrule.crypto import hashing, kdf
from ferrule.errors import FerruleError, MissingDependencyError

OPTIONAL = ("cryptography", "argon2", "bcrypt", "blake3")
PACKAGE = Path(__file__).parent.parent.parent / "python"


def test_import_is_light() -> None:
    code = (
        "import sys, ferrule.crypto\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {OPTIONAL!r})\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PACKAGE)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def hide(monkeypatch: pytest.MonkeyPatch, top: str) -> None:
    """Make `top` (and its submodules) unimportable for the rest of the test."""
    for name in list(sys.modules):
        if name == top or name.startswith(top + "."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, top, None)
    # what the modules keep of a library once loaded (as sys.modules keeps the library)
    monkeypatch.delitem(hashing._constructors, "blake3", raising=False)
    monkeypatch.setattr(kdf, "_hkdf_specs", {})


KEY = bytes(32)
ARGON2_HASH = (
    "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"
)
BCRYPT_HASH = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
FAST_ARGON2 = crypto.Argon2Params(time_cost=1, memory_cost=8)

NEEDS: list[tuple[str, str, Callable[[], object]]] = [
    ("blake3", "blake3", lambda: crypto.hash(b"x", "blake3")),
    ("blake3", "blake3", lambda: crypto.Hasher("blake3")),
    ("cryptography", "cryptography", lambda: crypto.Aead("aes-256-gcm", KEY)),
    ("cryptography", "cryptography", lambda: crypto.Aead("chacha20-poly1305", KEY)),
    ("cryptography", "cryptography", lambda: crypto.AeadCipher("aes256gcm", KEY)),
    ("cryptography", "cryptography", lambda: crypto.hkdf(b"k")),
    ("argon2", "argon2-cffi", lambda: crypto.hash_password("pw", FAST_ARGON2)),
    ("argon2", "argon2-cffi", lambda: crypto.hash_password("pw")),
    ("argon2", "argon2-cffi", lambda: crypto.verify_password("pw", ARGON2_HASH)),
    ("argon2", "argon2-cffi", lambda: crypto.PasswordHasher("argon2").hash_password("pw")),
    ("bcrypt", "bcrypt", lambda: crypto.hash_password("pw", crypto.BcryptParams(rounds=4))),
    ("bcrypt", "bcrypt", lambda: crypto.verify_password("pw", BCRYPT_HASH)),
]


@pytest.mark.parametrize(("module", "distribution", "call"), NEEDS)
def test_missing_library_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, distribution: str, call: Callable[[], object]
) -> None:
    hide(monkeypatch, module)
    with pytest.raises(MissingDependencyError) as info:
        call()
    error = info.value
    assert "pip install ferrule[crypto]" in str(error)
    assert repr(distribution) in str(error)
    assert error.extra == "crypto"
    assert isinstance(error, ImportError) and isinstance(error, FerruleError)
    assert isinstance(error.__cause__, ImportError)


def test_the_rest_works_without_any_optional_library(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in OPTIONAL:
        hide(monkeypatch, module)
    assert len(crypto.token()) == 43
    assert crypto.uuid7().version == 7
    assert crypto.hash(b"x") == crypto.Hasher("sha256", b"x").digest()
    assert crypto.hash(b"x", "blake2b")
    assert crypto.hmac(b"k", b"x")
    assert crypto.pbkdf2("pw", b"salt", iterations=1)
    params = crypto.Pbkdf2Params(iterations=1000)
    hashed = crypto.hash_password("pw", params)
    assert crypto.verify_password("pw", hashed)
    assert not crypto.needs_rehash(hashed, params)
    # needs_rehash reads argon2 and bcrypt strings without their libraries
    assert crypto.needs_rehash(ARGON2_HASH) and crypto.needs_rehash(BCRYPT_HASH)


def test_a_library_is_loaded_again_once_it_is_back(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        hide(patch, "blake3")
        with pytest.raises(MissingDependencyError):
            crypto.hash(b"", "blake3")
    assert crypto.hash(b"", "blake3").hex().startswith("af1349b9")
