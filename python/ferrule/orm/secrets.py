"""Columns that keep secrets. Both imply ``Field(secret=True)``: the value is in no repr, dump or
error report unless asked (``model_dump(reveal_secrets=True)``).

`PasswordField`: the instance and the column only ever hold a hash. A plaintext given to the
constructor or assigned is hashed by the field's validator (argon2id by default, see
``ferrule.crypto.passwords``); a string that already is a hash in a known format (argon2,
bcrypt, PBKDF2) is kept as it is, which is how rows re-validated with ``validate_on_load`` and
imported hashes stay unchanged (rows loaded the usual way are never validated, so never
re-hashed). `check_password` verifies, and on success re-hashes in memory when the stored
hash was made under other parameters; saving is the caller's (``await user.save()``).

`EncryptedField`: the column (text) holds a base64url AEAD token of the value's JSON form, made
with the `Keyring`'s active key and bound to the column name (associated data); rows decrypt
as they load, with the key each token names, so keys rotate by adding a key, making it active
and re-saving rows. A token that does not decrypt is a `DecryptionError` naming the model and
field. Random nonces make every token different: such a field cannot be filtered at all.
``deterministic=True`` derives the nonce from the value (``Aead.encrypt_deterministic``), so
``exact`` and ``in`` lookups work (one token per key of the keyring is matched); the price is
that equal values have equal tokens, which anyone reading the column can see.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ferrule.crypto import (
    DEFAULT_PARAMS,
    Argon2Params,
    BcryptParams,
    Keyring,
    Pbkdf2Params,
    hash_password,
    needs_rehash,
    verify_password,
)
from ferrule.errors import CryptoError, DecryptionError, FieldError, SchemaError
from ferrule.models.fields import MISSING
from ferrule.orm.fields import ColumnInfo

__all__ = ["Cipher", "EncryptedField", "Encryption", "PasswordField", "check_password"]

_POLICIES = (Argon2Params, BcryptParams, Pbkdf2Params)


def _secret_option(options: dict[str, Any], what: str) -> None:
    if options.setdefault("secret", True) is not True:
        raise SchemaError(f"{what} is always secret: drop secret=...")


# --- passwords ------------------------------------------------------------------------------


def PasswordField(default: Any = MISSING, *, params: Any = DEFAULT_PARAMS, **options: Any) -> Any:
    """A column holding a password hash (``str``, hashed with ``params``; argon2id by
    default); never the password."""
    if not isinstance(params, _POLICIES):
        raise SchemaError(
            "PasswordField(params=...) takes Argon2Params, BcryptParams or Pbkdf2Params"
        )
    _secret_option(options, "a PasswordField")
    return ColumnInfo(default, logical="text", python_type=str, password=params, **options)


def _is_hash(value: str, params: Any) -> bool:
    try:
        needs_rehash(value, params)
    except CryptoError:
        return False
    return True


def password_hasher(params: Any) -> Any:
    """The after-validator of a `PasswordField`: a plaintext becomes its hash."""

    def hash_plaintext(value: str | None) -> str | None:
        if value is None or _is_hash(value, params):
            return value
        return hash_password(value, params)

    return hash_plaintext


def password_guard(where: str, params: Any) -> Any:
    """The to-database conversion of a `PasswordField`: a hash passes, anything else (a value
    that skipped validation: ``model_construct``, ``validate_assignment=False``) is refused
    rather than written."""

    def only_hashes(value: Any) -> Any:
        if not (isinstance(value, str) and _is_hash(value, params)):
            raise CryptoError(
                f"{where} holds something that is not a password hash (set without "
                "validation): assign the password with validation before saving"
            )
        return value

    return only_hashes


def _password_fields(cls: Any) -> dict[str, Any]:
    fields: dict[str, Any] = getattr(cls, "model_fields", {})
    return {
        name: info.password
        for name, info in fields.items()
        if isinstance(info, ColumnInfo) and info.password is not None
    }


def check_password(instance: Any, password: str | bytes, field: str | None = None) -> bool:
    """Whether `password` matches the hash in `instance`'s `PasswordField` (named by `field`
    when the model has several). On a match with a hash made under other parameters than the
    field's, the attribute gets a new hash: save the instance to keep it."""
    cls = type(instance)
    fields = _password_fields(cls)
    if field is None:
        if len(fields) != 1:
            found = ", ".join(fields) or "none"
            raise FieldError(
                f"{cls.__name__}: check_password() needs field=... (password fields: {found})"
            )
        (field,) = fields
    elif field not in fields:
        raise FieldError(f"{cls.__name__}: {field!r} is not a PasswordField")
    hashed = getattr(instance, field, None)
    if hashed is None:
        return False
    if not verify_password(password, hashed):
        return False
    params = fields[field]
    if needs_rehash(hashed, params):
        from ferrule.models._core import force_setattr

        force_setattr(instance, field, hash_password(password, params))
    return True


# --- encryption -----------------------------------------------------------------------------


class Encryption:
    """What an `EncryptedField` declares: its keyring and whether tokens are deterministic."""

    __slots__ = ("deterministic", "keyring")

    def __init__(self, keyring: Keyring, deterministic: bool) -> None:
        if not isinstance(keyring, Keyring):
            raise SchemaError("EncryptedField(keyring=...) takes a ferrule.crypto.Keyring")
        if not isinstance(deterministic, bool):
            raise SchemaError("EncryptedField(deterministic=...) must be True or False")
        self.keyring = keyring
        self.deterministic = deterministic


def EncryptedField(
    inner_type: Any,
    default: Any = MISSING,
    *,
    keyring: Keyring,
    deterministic: bool = False,
    **options: Any,
) -> Any:
    """A value of `inner_type` stored encrypted (a text column of AEAD tokens)."""
    encryption = Encryption(keyring, deterministic)
    _secret_option(options, "an EncryptedField")
    return ColumnInfo(
        default, logical="text", python_type=inner_type, encryption=encryption, **options
    )


class Cipher:
    """One encrypted column's conversions: value <-> JSON <-> token <-> base64url text."""

    __slots__ = ("_codec", "_raw", "aad", "deterministic", "keyring", "where")

    def __init__(self, encryption: Encryption, where: str, column: str, schema: Any) -> None:
        from ferrule.models._core import SchemaValidator

        self.keyring = encryption.keyring
        self.deterministic = encryption.deterministic
        self.where = where
        # the token is bound to its column: copied into another column, it does not decrypt
        self.aad = f"ferrule column {column}".encode()
        self._raw = schema.get("type") == "bytes"  # bytes are stored as they are, not as JSON
        self._codec = SchemaValidator(schema, where)

    def _plain(self, value: Any) -> bytes:
        if self._raw:
            return bytes(value)
        data: bytes = self._codec.to_json(value, reveal_secrets=True)  # a nested model's too
        return data

    @staticmethod
    def _text(token: bytes) -> str:
        return base64.urlsafe_b64encode(token).rstrip(b"=").decode("ascii")

    def to_db(self, value: Any) -> str:
        data = self._plain(value)
        if self.deterministic:
            return self._text(self.keyring.encrypt_deterministic(data, self.aad))
        return self._text(self.keyring.encrypt(data, self.aad))

    def tokens(self, value: Any) -> list[str]:
        """The column text `value` has under each key of the keyring (deterministic only)."""
        data = self._plain(value)
        return [
            self._text(self.keyring.encrypt_deterministic(data, self.aad, key_id=key_id))
            for key_id in self.keyring.key_ids
        ]

    def from_db(self, stored: Any) -> Any:
        try:
            text = stored.decode("ascii") if isinstance(stored, (bytes, bytearray)) else stored
            token = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = self.keyring.decrypt(token, self.aad)
        except (DecryptionError, binascii.Error, ValueError, TypeError):
            raise DecryptionError(
                f"{self.where}: the stored value does not decrypt (made with a key the keyring "
                "lacks, or altered)"
            ) from None
        return data if self._raw else self._codec.validate_json(data)
