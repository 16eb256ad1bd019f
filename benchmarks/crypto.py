"""Crypto benchmark: each ferrule.crypto helper against calling its library directly, same run.

The helpers are thin: argument checks, one call, the token header. This measures what that
costs. The "direct" peer does the least a caller must do for the same result, written inline:
the same token (header, fresh nonce, ciphertext and tag; on reading, the header checked, or
the key picked by it), the same parameters. Prints the usual table ("vs ferrule": the
peer's time divided by ferrule's), then ferrule's time over the direct call's against the
target of 1.10 (within 10%), with the difference in nanoseconds: for calls that take well
under a microsecond, the one Python frame of a wrapper alone is more than 10%.

Timing: the two alternate in many short blocks (about 5 ms each) and each keeps its best block,
so that a busy moment of a shared machine slows a block of either side, not one side's whole
measurement (`_harness.per_op`'s 0.1 s blocks are too coarse for sub-microsecond differences).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

import argon2
import bcrypt
import blake3
import cryptography
from _harness import Table, _fmt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import ferrule
from ferrule import crypto

TARGET = 1.10
BLOCK = 0.005  # seconds per timed block
SMALL = os.urandom(64)
PAGE = os.urandom(4096)
AAD = b"row 42"
KEY = os.urandom(32)

#: (case, ferrule's callable, the direct call, rounds: how often the two alternate)
Case = tuple[str, Callable[[], Any], Callable[[], Any], int]


def block_size(fn: Callable[[], Any]) -> int:
    """Calls per block: enough for about `BLOCK` seconds."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= BLOCK or number >= 1 << 20:
            return max(1, round(number * BLOCK / max(elapsed, 1e-9)))
        number *= 2


def paired(ours: Callable[[], Any], direct: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Seconds per call of each, the best block of `rounds` alternating blocks."""
    number = max(block_size(ours), block_size(direct))
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for side, fn in enumerate((ours, direct)):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best[side] = min(best[side], (time.perf_counter() - start) / number)
    return best[0], best[1]


def random_cases() -> list[Case]:
    cases: list[Case] = [
        ("token(32) urlsafe", lambda: crypto.token(32), lambda: secrets.token_urlsafe(32), 60),
        (
            "token(32) hex",
            lambda: crypto.token(32, urlsafe=False),
            lambda: secrets.token_hex(32),
            60,
        ),
        ("uuid4()", crypto.uuid4, uuid.uuid4, 60),
    ]
    if hasattr(uuid, "uuid7"):  # CPython 3.14+
        cases.append(("uuid7()", crypto.uuid7, uuid.uuid7, 7))
    return cases


def hash_cases() -> list[Case]:
    cases: list[Case] = []
    for label, payload in (("64 B", SMALL), ("4 KiB", PAGE)):
        cases += [
            (
                f"hash sha256 {label}",
                lambda p=payload: crypto.hash(p),
                lambda p=payload: hashlib.sha256(p).digest(),
                60,
            ),
            (
                f"hash blake2b {label}",
                lambda p=payload: crypto.hash(p, "blake2b"),
                lambda p=payload: hashlib.blake2b(p).digest(),
                60,
            ),
            (
                f"hash blake3 {label}",
                lambda p=payload: crypto.hash(p, "blake3"),
                lambda p=payload: blake3.blake3(p).digest(),
                60,
            ),
            (
                f"hmac sha256 {label}",
                lambda p=payload: crypto.hmac(KEY, p),
                lambda p=payload: hmac.digest(KEY, p, "sha256"),
                60,
            ),
        ]

    def ferrule_stream() -> bytes:
        hasher = crypto.Hasher("sha256")
        for _ in range(16):
            hasher.update(PAGE)
        return hasher.digest()

    def direct_stream() -> bytes:
        hasher = hashlib.sha256()
        for _ in range(16):
            hasher.update(PAGE)
        return hasher.digest()

    mac = hmac.digest(KEY, SMALL, "sha256")
    cases += [
        ("Hasher sha256, 16 x 4 KiB", ferrule_stream, direct_stream, 60),
        (
            "compare_digest 32 B",
            lambda: crypto.compare_digest(mac, mac),
            lambda: hmac.compare_digest(mac, mac),
            60,
        ),
    ]
    return cases


def _refuse() -> bytes:
    raise ValueError("a token of another key")


def aead_cases() -> list[Case]:
    """The direct side makes and reads the same tokens, inline (no function of its own): the
    5-byte header (version, key id) before a fresh nonce, and on reading it checks the header,
    which the tag does not cover, or, for a keyring, picks the key by it."""
    cases: list[Case] = []
    for name, library in (("aes-256-gcm", AESGCM), ("chacha20-poly1305", ChaCha20Poly1305)):
        other_key = os.urandom(32)
        ours = crypto.Aead(name, KEY, key_id=1)
        keyring = crypto.Keyring([ours, crypto.Aead(name, other_key, key_id=2)], active=1)
        theirs = library(KEY)
        header = b"\x01" + (1).to_bytes(4, "big")
        by_header = {header: theirs, b"\x01" + (2).to_bytes(4, "big"): library(other_key)}

        for label, payload in (("64 B", SMALL), ("4 KiB", PAGE)):
            token = ours.encrypt(payload, AAD)
            cases += [
                (
                    f"{name} encrypt {label}",
                    lambda p=payload, ours=ours: ours.encrypt(p, AAD),
                    lambda p=payload, h=header, theirs=theirs: (
                        h + (nonce := os.urandom(12)) + theirs.encrypt(nonce, p, AAD)
                    ),
                    60,
                ),
                (
                    f"{name} decrypt {label}",
                    lambda t=token, ours=ours: ours.decrypt(t, AAD),
                    lambda t=token, h=header, theirs=theirs: (
                        theirs.decrypt(t[5:17], t[17:], AAD) if t[:5] == h else _refuse()
                    ),
                    60,
                ),
                (
                    f"{name} Keyring.decrypt {label}",
                    lambda t=token, k=keyring: k.decrypt(t, AAD),
                    lambda t=token, keys=by_header: keys[t[:5]].decrypt(t[5:17], t[17:], AAD),
                    60,
                ),
            ]
    return cases


def kdf_cases() -> list[Case]:
    sha256 = hashes.SHA256()  # stateless: one serves every derivation, as in ferrule
    return [
        (
            "hkdf sha256 32 B",
            lambda: crypto.hkdf(KEY, info=b"purpose"),
            lambda: HKDF(sha256, 32, None, b"purpose").derive(KEY),
            60,
        ),
        (
            "pbkdf2 sha256 1000 rounds",
            lambda: crypto.pbkdf2("pw", b"saltsalt", iterations=1000),
            lambda: hashlib.pbkdf2_hmac("sha256", b"pw", b"saltsalt", 1000),
            60,
        ),
    ]


def password_cases() -> list[Case]:
    owasp = crypto.DEFAULT_PARAMS
    hasher = argon2.PasswordHasher(
        time_cost=owasp.time_cost,
        memory_cost=owasp.memory_cost,
        parallelism=owasp.parallelism,
        hash_len=owasp.hash_len,
        salt_len=owasp.salt_len,
    )
    argon_hash = crypto.hash_password("correct horse")
    bcrypt_params = crypto.BcryptParams(rounds=10)
    bcrypt_hash = crypto.hash_password("correct horse", bcrypt_params)
    pbkdf2_params = crypto.Pbkdf2Params()
    pbkdf2_hash = crypto.hash_password("correct horse", pbkdf2_params)
    salt = os.urandom(16)
    return [
        (
            "hash_password argon2id (OWASP)",
            lambda: crypto.hash_password("correct horse"),
            lambda: hasher.hash("correct horse"),
            6,
        ),
        (
            "verify_password argon2id (OWASP)",
            lambda: crypto.verify_password("correct horse", argon_hash),
            lambda: hasher.verify(argon_hash, "correct horse"),
            6,
        ),
        (
            "hash_password bcrypt cost 10",
            lambda: crypto.hash_password("correct horse", bcrypt_params),
            lambda: bcrypt.hashpw(b"correct horse", bcrypt.gensalt(10)),
            6,
        ),
        (
            "verify_password bcrypt cost 10",
            lambda: crypto.verify_password("correct horse", bcrypt_hash),
            lambda: bcrypt.checkpw(b"correct horse", bcrypt_hash.encode()),
            6,
        ),
        (
            "verify_password pbkdf2-sha256 600k",
            lambda: crypto.verify_password("correct horse", pbkdf2_hash),
            lambda: hashlib.pbkdf2_hmac("sha256", b"correct horse", salt, 600_000),
            6,
        ),
    ]


def main() -> None:
    started = time.time()
    versions = (
        f"cryptography {cryptography.__version__}, bcrypt {bcrypt.__version__}, "
        f"blake3 {blake3.__version__}, CPython {sys.version.split()[0]}"
    )
    table = Table(f"Crypto helpers vs their libraries (ferrule {ferrule.__version__}, {versions})")
    ratios: list[tuple[str, float, float]] = []
    for group in (random_cases, hash_cases, aead_cases, kdf_cases, password_cases):
        for case, ours, direct, rounds in group():
            ferrule_time, direct_time = paired(ours, direct, rounds)
            table.add(case, "ferrule", ferrule_time)
            table.add(case, "direct", direct_time)
            ratios.append((case, ferrule_time, direct_time))
    print(table.render())
    print()
    print(f"## ferrule / direct (target: at most {TARGET:.2f})")
    print()
    print("| case | ferrule | direct | ratio | difference | within target |")
    print("|---|---|---|---|---|---|")
    for case, ours_time, direct_time in ratios:
        ratio = ours_time / direct_time
        verdict = "yes" if ratio <= TARGET else "no"
        difference = (ours_time - direct_time) * 1e9
        print(
            f"| {case} | {_fmt(ours_time)} | {_fmt(direct_time)} | {ratio:.2f} | "
            f"{difference:+,.0f} ns | {verdict} |"
        )
    print(f"\n(run took {time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
