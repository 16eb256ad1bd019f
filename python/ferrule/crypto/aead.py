"""Authenticated encryption (AES-256-GCM, ChaCha20-Poly1305 from ``cryptography``) in a token
that names its key, and a `Keyring` that rotates keys by that name.

Token format, version 1 (all of it is what `Aead.encrypt` returns)::

    offset  size  field
    0       1     version: 0x01
    1       4     key id: unsigned, big-endian (0 to 2**32 - 1)
    5       12    nonce: 96 random bits, fresh for every message
    17      n     ciphertext: as long as the plaintext
    17 + n  16    tag: the 128-bit authentication tag

The nonce, ciphertext and tag are exactly the algorithm's (RFC 8439 for ChaCha20-Poly1305, NIST
SP 800-38D for GCM), so a token decrypts with the bare library given the key: drop the first 5
bytes, the next 12 are the nonce, the rest is ciphertext + tag. The header is not part of the
authenticated data (the layout of Tink's AEAD keysets): changing the version makes the token
unreadable, and changing the key id selects another key or none, under which the tag fails.
Associated data (``aad``) is authenticated, never stored: pass the same bytes to decrypt.

Random 96-bit nonces: NIST SP 800-38D caps one GCM key at 2**32 messages with random nonces;
rotate keys (a new key id in the `Keyring`) well before that. Every failure to decrypt is one
`DecryptionError` with one message, whatever the cause.

`Aead.encrypt_deterministic` makes the same token format with a synthetic nonce: the first 12
bytes of HMAC-SHA256(nonce key, len(aad) || aad || plaintext), the nonce key derived from the
key once (HMAC-SHA256(key, a fixed label)), as SIV constructions do. Equal plaintexts (under one
key and aad) give equal tokens, so a database can match them, which is also what it leaks:
which values are equal. Distinct plaintexts never share a nonce except by a 96-bit collision.
Such tokens decrypt with the ordinary `decrypt`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from os import urandom as _urandom
from typing import Any, NoReturn

from ferrule.crypto._args import buffer, choice, frozen, integer, type_name
from ferrule.crypto._deps import load
from ferrule.errors import CryptoError, CryptoTypeError, DecryptionError

__all__ = [
    "AEAD_ALGORITHMS",
    "KEY_SIZE",
    "TOKEN_OVERHEAD",
    "TOKEN_VERSION",
    "Aead",
    "Keyring",
    "key_id_of",
]

AEAD_ALGORITHMS = ("aes-256-gcm", "chacha20-poly1305")
TOKEN_VERSION = 1
KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
HEADER_SIZE = 5
#: bytes a token adds to its plaintext: header, nonce and tag
TOKEN_OVERHEAD = HEADER_SIZE + NONCE_SIZE + TAG_SIZE

_CLASSES = {"aes-256-gcm": "AESGCM", "chacha20-poly1305": "ChaCha20Poly1305"}
_NAMES = {name: name for name in AEAD_ALGORITHMS}
_FAILED = (
    "cannot decrypt: the token is malformed or was altered, or it was made with another key "
    "or other associated data"
)
_MAX_KEY_ID = (1 << 32) - 1
#: what the deterministic nonce key is derived under (see the module docstring)
_NONCE_LABEL = b"ferrule.crypto.aead deterministic nonce v1"


def _fail() -> NoReturn:
    # from None: whatever the library raised stays out of the error and its traceback
    raise DecryptionError(_FAILED) from None


def _token_bytes(token: Any) -> bytes | memoryview:
    if type(token) is bytes:
        return token
    return buffer(token, "token")


def _aad(associated_data: Any) -> bytes | memoryview | None:
    if associated_data is None or type(associated_data) is bytes:
        return associated_data
    return buffer(associated_data, "associated_data")


class Aead:
    """One key of one AEAD algorithm, with the id that its tokens carry.

    ``encrypt(plaintext, aad)`` returns a token (see the module docstring);
    ``decrypt(token, aad)`` returns the plaintext or raises `DecryptionError`. The key is
    handed to the library once and kept nowhere else; it is in no repr and cannot be pickled.
    """

    __slots__ = (
        "_algorithm",
        "_header",
        "_invalid_tag",
        "_key_id",
        "_nonce_key",
        "_open",
        "_seal",
    )

    _header: bytes
    _seal: Callable[[bytes, Any, Any], bytes]
    _open: Callable[[bytes, bytes, Any], bytes]

    def __init__(self, algorithm: str, key: bytes, *, key_id: int = 0) -> None:
        algorithm = choice(algorithm, "AEAD algorithm", _NAMES)
        key_id = integer(key_id, "key_id", 0, _MAX_KEY_ID)
        secret = frozen(key, "key")
        if len(secret) != KEY_SIZE:
            raise CryptoError(f"key must be {KEY_SIZE} bytes for {algorithm}, not {len(secret)}")
        feature = f"{algorithm} encryption"
        module = load("cryptography.hazmat.primitives.ciphers.aead", feature)
        self._invalid_tag = load("cryptography.exceptions", feature).InvalidTag
        cipher = getattr(module, _CLASSES[algorithm])(secret)
        # the library's bound methods, looked up once: the only holders of the key
        self._seal = cipher.encrypt
        self._open = cipher.decrypt
        self._nonce_key = hmac.digest(secret, _NONCE_LABEL, hashlib.sha256)
        self._header = bytes([TOKEN_VERSION]) + key_id.to_bytes(4, "big")
        self._algorithm = algorithm
        self._key_id = key_id

    @property
    def algorithm(self) -> str:
        """``"aes-256-gcm"`` or ``"chacha20-poly1305"``."""
        return self._algorithm

    @property
    def key_id(self) -> int:
        """The id written into every token of this key (0 to 2**32 - 1)."""
        return self._key_id

    def encrypt(self, plaintext: bytes, associated_data: bytes | None = None) -> bytes:
        """A token holding `plaintext`, bound to `associated_data` (which it does not hold)."""
        # The library reads both through the buffer protocol and refuses str and what has no
        # buffer; anything it raises (before it encrypts anything) sends the call to
        # `_encrypt_checked`, which raises the typed error or encrypts a layout it refused.
        nonce = _urandom(NONCE_SIZE)
        seal = self._seal  # a slot read, then the call (not a method lookup on a slot)
        try:
            return self._header + nonce + seal(nonce, plaintext, associated_data)
        except Exception:
            pass
        return self._encrypt_checked(plaintext, associated_data)

    def _encrypt_checked(self, plaintext: object, associated_data: object) -> bytes:
        data = buffer(plaintext, "plaintext")
        aad = _aad(associated_data)
        nonce = _urandom(NONCE_SIZE)  # a fresh one: nothing is gained by keeping the other
        try:
            sealed = self._seal(nonce, data, aad)
        except OverflowError:
            raise CryptoError("plaintext or associated_data is too long (2**31 bytes)") from None
        return self._header + nonce + sealed

    def encrypt_deterministic(
        self, plaintext: bytes, associated_data: bytes | None = None
    ) -> bytes:
        """A token of `plaintext` whose nonce is derived from it: the same inputs give the same
        token (equality stays visible; see the module docstring). Decrypt with `decrypt`."""
        data = bytes(buffer(plaintext, "plaintext"))
        aad = b"" if associated_data is None else bytes(buffer(associated_data, "associated_data"))
        mac = hmac.new(self._nonce_key, len(aad).to_bytes(8, "big"), hashlib.sha256)
        mac.update(aad)
        mac.update(data)
        nonce = mac.digest()[:NONCE_SIZE]
        try:
            sealed = self._seal(nonce, data, None if associated_data is None else aad)
        except OverflowError:
            raise CryptoError("plaintext or associated_data is too long (2**31 bytes)") from None
        return self._header + nonce + sealed

    def decrypt(self, token: bytes, associated_data: bytes | None = None) -> bytes:
        """The plaintext of `token`; `DecryptionError` for any token this key did not make with
        this `associated_data`."""
        # bytes (exactly: a subclass may override slicing) that start with this key's header
        # (version and key id; the library never sees them), then the library: a wrong tag
        # fails, anything else it raises (a bad aad, a token too short for a nonce and a tag)
        # goes to `_decrypt_checked`. 5 and 17: the header, header + nonce (the module docstring)
        if type(token) is bytes and token[:5] == self._header:
            open_ = self._open
            try:
                return open_(token[5:17], token[17:], associated_data)
            except self._invalid_tag:
                _fail()
            except Exception:
                pass
        return _decrypt_checked(self, token, associated_data)

    def __repr__(self) -> str:
        return f"{type_name(self)}({self.algorithm!r}, key_id={self.key_id})"

    def __reduce__(self) -> NoReturn:
        raise CryptoTypeError("an Aead holds a key and cannot be pickled or copied")


def _decrypt_checked(aead: Aead, token: object, associated_data: object) -> bytes:
    """`Aead.decrypt` with every argument checked first: typed errors for bad arguments, one
    `DecryptionError` for a token that does not decrypt."""
    data = frozen(token, "token")
    aad = _aad(associated_data)
    if len(data) < TOKEN_OVERHEAD or data[:HEADER_SIZE] != aead._header:
        _fail()
    nonce_end = HEADER_SIZE + NONCE_SIZE
    try:
        plaintext: bytes = aead._open(data[HEADER_SIZE:nonce_end], data[nonce_end:], aad)
    except (aead._invalid_tag, OverflowError):
        _fail()
    return plaintext


def key_id_of(token: bytes) -> int:
    """The key id a token names (its header only: this says nothing of whether it decrypts)."""
    token = _token_bytes(token)  # type: ignore[assignment]
    if len(token) < TOKEN_OVERHEAD or token[0] != TOKEN_VERSION:
        _fail()
    return int.from_bytes(token[1:HEADER_SIZE], "big")


class Keyring:
    """Several keys, one of them active: `encrypt` uses the active key, `decrypt` the key whose
    id the token names. Rotate by adding a new key and making it active; retire an old key
    once no stored token names it (`key_id_of` tells which do)."""

    __slots__ = ("_active", "_by_header", "_by_id", "_invalid_tag", "_openers")

    _openers: dict[bytes, Callable[[bytes, bytes, Any], bytes]]

    def __init__(self, keys: Iterable[Aead], *, active: int) -> None:
        by_id: dict[int, Aead] = {}
        try:
            items = list(keys)
        except Exception:
            raise CryptoTypeError(
                f"keys must be an iterable of Aead, not {type_name(keys)}"
            ) from None
        for aead in items:
            if not isinstance(aead, Aead):
                raise CryptoTypeError(f"keys must hold Aead objects, not {type_name(aead)}")
            if aead.key_id in by_id:
                raise CryptoError(f"two keys have key id {aead.key_id}")
            by_id[aead.key_id] = aead
        active = integer(active, "active", 0, _MAX_KEY_ID)
        if active not in by_id:
            raise CryptoError(f"active key id {active} is not in the keyring")
        self._by_id = by_id
        # keyed by the 5 header bytes a token of that key starts with (version and key id):
        # one lookup checks both
        self._by_header = {aead._header: aead for aead in by_id.values()}
        self._openers = {header: aead._open for header, aead in self._by_header.items()}
        self._active = by_id[active]
        self._invalid_tag = self._active._invalid_tag  # one class for every algorithm

    @property
    def active(self) -> int:
        """The id of the key that encrypts."""
        return self._active.key_id

    @property
    def key_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self._by_id))

    def encrypt(self, plaintext: bytes, associated_data: bytes | None = None) -> bytes:
        return self._active.encrypt(plaintext, associated_data)

    def encrypt_deterministic(
        self, plaintext: bytes, associated_data: bytes | None = None, *, key_id: int | None = None
    ) -> bytes:
        """`Aead.encrypt_deterministic` with the active key (or the key `key_id` names)."""
        if key_id is None:
            return self._active.encrypt_deterministic(plaintext, associated_data)
        aead = self._by_id.get(integer(key_id, "key_id", 0, _MAX_KEY_ID))
        if aead is None:
            raise CryptoError(f"key id {key_id} is not in the keyring")
        return aead.encrypt_deterministic(plaintext, associated_data)

    def decrypt(self, token: bytes, associated_data: bytes | None = None) -> bytes:
        """The plaintext of `token`, with the key its key id names."""
        # as `Aead.decrypt`; the 5-byte header (version and key id) picks the key's decrypt
        if type(token) is bytes:
            try:
                return self._openers[token[:5]](token[5:17], token[17:], associated_data)
            except self._invalid_tag:
                _fail()
            except Exception:
                pass
        aead = self._by_header.get(frozen(token, "token")[:HEADER_SIZE])
        if aead is None:
            _aad(associated_data)  # a bad aad is a type error whatever the token
            _fail()
        return _decrypt_checked(aead, token, associated_data)

    def __repr__(self) -> str:
        return f"Keyring(key_ids={list(self.key_ids)}, active={self.active})"

    def __reduce__(self) -> NoReturn:
        raise CryptoTypeError("a Keyring holds keys and cannot be pickled or copied")
