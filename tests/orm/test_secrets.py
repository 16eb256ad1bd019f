"""`orm.PasswordField` and `orm.EncryptedField` on SQLite, PostgreSQL and MariaDB: what the
column holds is read back with raw SQL (a hash, a token; never the plaintext), rows decrypt as
they load, keys rotate, and every lookup the ciphertext cannot answer is refused."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule
from backends.conftest import native
from ferrule import orm
from ferrule.crypto import (
    Aead,
    Argon2Params,
    Keyring,
    Pbkdf2Params,
    hash_password,
    key_id_of,
    needs_rehash,
    verify_password,
)
from ferrule.errors import (
    CryptoError,
    DecryptionError,
    FieldError,
    IntegrityError,
    SchemaError,
    ValidationError,
)

from .conftest import own_tables

FAST = Argon2Params(time_cost=1, memory_cost=1024)  # small, to keep the suite quick
OLD = Pbkdf2Params(iterations=1000)
KEY1 = Aead("aes-256-gcm", bytes(range(32)), key_id=1)
KEY2 = Aead("chacha20-poly1305", bytes(range(32, 64)), key_id=2)
OTHER = Aead("aes-256-gcm", bytes(32), key_id=1)  # same id as KEY1, another key
RING1 = Keyring([KEY1], active=1)
RING12 = Keyring([KEY1, KEY2], active=2)
RING2 = Keyring([KEY2], active=2)
PLAIN = "hunter2-correct-horse"
SSN = "078-05-1120"
NOTE = {"diagnosis": "quite private", "codes": [1, 2]}


class Member(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=40)
    password = orm.PasswordField(params=FAST, min_length=8)

    class Meta:
        table = "ormt_secret_member"


class Vault(orm.Model):
    """Written by the "old" application: one key."""

    id = orm.IntField(pk=True)
    ssn = orm.EncryptedField(str, keyring=RING1, deterministic=True)
    note = orm.EncryptedField(dict, keyring=RING1, null=True)
    scan = orm.EncryptedField(bytes, keyring=RING1, null=True)

    class Meta:
        table = "ormt_secret_vault"


class RotatedVault(orm.Model):
    """The same table after a rotation: key 2 active, key 1 still readable."""

    id = orm.IntField(pk=True)
    ssn = orm.EncryptedField(str, keyring=RING12, deterministic=True)
    note = orm.EncryptedField(dict, keyring=RING12, null=True)
    scan = orm.EncryptedField(bytes, keyring=RING12, null=True)

    class Meta:
        table = "ormt_secret_vault"


class RetiredVault(orm.Model):
    """Key 1 retired: only rows re-saved since the rotation decrypt."""

    id = orm.IntField(pk=True)
    ssn = orm.EncryptedField(str, keyring=RING2, deterministic=True)
    note = orm.EncryptedField(dict, keyring=RING2, null=True)
    scan = orm.EncryptedField(bytes, keyring=RING2, null=True)

    class Meta:
        table = "ormt_secret_vault"


class WrongKeyVault(orm.Model):
    id = orm.IntField(pk=True)
    ssn = orm.EncryptedField(str, keyring=Keyring([OTHER], active=1), deterministic=True)

    class Meta:
        table = "ormt_secret_vault"


@contextlib.asynccontextmanager
async def opened(address: str) -> AsyncIterator[Any]:
    db = await ferrule.connect(address)
    try:
        orm.set_default(db)
        await orm.drop_tables(Member, Vault, if_exists=True)
        await orm.create_tables(Member, Vault)
        yield db
    finally:
        orm.set_default(None)
        await db.close()


async def _raw(db: Any, dialect: str, table: str, column: str) -> list[Any]:
    rows = await db.fetch_all(native(dialect, f"SELECT {column} FROM {table} ORDER BY id"), [])
    return [row[0] for row in rows]


# --- passwords ------------------------------------------------------------------------------


async def test_a_password_is_stored_and_held_as_its_hash_only(url: str, dialect: str) -> None:
    async with opened(url) as db:
        made = await Member.create(name="ada", password=PLAIN)
        assert made.password != PLAIN
        assert made.password.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
        assert verify_password(PLAIN, made.password)
        (stored,) = await _raw(db, dialect, "ormt_secret_member", "password")
        assert stored == made.password  # the hash made at validation, never hashed twice
        assert PLAIN not in repr(made) and "$argon2" not in repr(made)
        loaded = await Member.get(id=made.id)
        assert loaded.password == stored  # loading does not re-hash
        assert loaded.check_password(PLAIN) is True
        assert loaded.check_password(PLAIN + "!") is False
        assert orm.check_password(loaded, PLAIN, "password") is True
        loaded.password = "another-long-one"  # assignment hashes too
        assert verify_password("another-long-one", loaded.password)
        await loaded.save()
        (again,) = await _raw(db, dialect, "ormt_secret_member", "password")
        assert again == loaded.password and "another-long-one" not in again


async def test_a_hash_given_as_the_value_is_kept(url: str) -> None:
    async with opened(url):
        hashed = hash_password(PLAIN, FAST)
        made = await Member.create(name="bob", password=hashed)
        assert made.password == hashed
        assert Member.model_validate({"name": "b", "password": hashed}).password == hashed
        assert (await Member.get(id=made.id)).check_password(PLAIN)


async def test_an_outdated_hash_is_replaced_on_a_successful_check(url: str, dialect: str) -> None:
    async with opened(url) as db:
        old_hash = hash_password(PLAIN, OLD)
        made = await Member.create(name="cy", password=old_hash)
        assert made.check_password("wrong-password") is False
        assert made.password == old_hash  # a failed check changes nothing
        assert made.check_password(PLAIN) is True
        assert made.password != old_hash
        assert not needs_rehash(made.password, FAST)
        assert verify_password(PLAIN, made.password)
        assert await _raw(db, dialect, "ormt_secret_member", "password") == [old_hash]
        await made.save()  # the caller saves the new hash
        assert await _raw(db, dialect, "ormt_secret_member", "password") == [made.password]


async def test_a_plaintext_that_skipped_validation_is_never_written(url: str) -> None:
    async with opened(url):
        constructed = Member.model_construct(name="ed", password=PLAIN)
        with pytest.raises(CryptoError, match="not a password hash") as caught:
            await constructed.save()
        assert PLAIN not in str(caught.value)
        made = await Member.create(name="fay", password=PLAIN)
        with pytest.raises(CryptoError):
            await Member.filter(id=made.id).update(password=PLAIN)
        assert await Member.count() == 1
        assert (await Member.get(id=made.id)).check_password(PLAIN)
        for lookup in ("password", "password__in", "password__startswith"):
            value: Any = [PLAIN] if lookup.endswith("in") else PLAIN
            with pytest.raises(FieldError, match="check_password"):
                await Member.filter(**{lookup: value}).count()
        assert await Member.filter(password__isnull=False).count() == 1


def test_a_nullable_password_field_takes_none() -> None:
    class Optional(orm.Model):
        id = orm.IntField(pk=True)
        pin = orm.PasswordField(params=FAST, null=True)

        class Meta:
            table = "ormt_secret_optional"

    assert Optional().pin is None
    assert Optional(pin=None).check_password("x") is False
    assert Optional(pin="1234-pin").check_password("1234-pin")


def test_a_password_never_appears_in_errors_or_dumps() -> None:
    with pytest.raises(ValidationError) as caught:
        Member(name="x", password="pw-7777")  # min_length applies to the plaintext
    assert "pw-7777" not in str(caught.value)
    assert caught.value.errors()[0]["input"] == "**********"
    member = Member(name="x", password=PLAIN)
    assert member.model_dump()["password"] == "**********"
    assert PLAIN not in member.model_dump_json(reveal_secrets=True)  # only the hash is held


def test_check_password_names_the_field_when_there_are_several() -> None:
    class Door(orm.Model):
        id = orm.IntField(pk=True)
        pin = orm.PasswordField(params=FAST)
        puk = orm.PasswordField(params=FAST)

        class Meta:
            table = "ormt_secret_door"

    door = Door(pin="1234-pin", puk="5678-puk")
    with pytest.raises(FieldError, match="pin, puk"):
        door.check_password("1234-pin")
    assert door.check_password("1234-pin", field="pin") is True
    assert door.check_password("1234-pin", field="puk") is False
    with pytest.raises(FieldError, match="not a PasswordField"):
        door.check_password("x", field="id")
    with pytest.raises(FieldError):
        Vault(ssn="1").check_password("x")


def test_password_field_options_are_checked() -> None:
    with pytest.raises(SchemaError, match="params"):
        orm.PasswordField(params="argon2")
    with pytest.raises(SchemaError, match="always secret"):
        orm.PasswordField(secret=False)


# --- encryption -----------------------------------------------------------------------------


async def test_values_are_encrypted_at_rest_and_decrypted_on_load(url: str, dialect: str) -> None:
    async with opened(url) as db:
        made = await Vault.create(ssn=SSN, note=NOTE, scan=b"\x00\xffraw")
        await Vault.create(ssn=SSN)
        for column in ("ssn", "note", "scan"):
            stored = await _raw(db, dialect, "ormt_secret_vault", column)
            assert stored[0] is not None
            assert SSN not in stored[0] and "private" not in stored[0]
            assert key_id_of(_token(stored[0])) == 1
        first, second = await _raw(db, dialect, "ormt_secret_vault", "ssn")
        assert first == second  # deterministic: equal values, equal tokens
        notes = await _raw(db, dialect, "ormt_secret_vault", "note")
        assert notes[1] is None
        loaded = await Vault.get(id=made.id)
        assert (loaded.ssn, loaded.note, loaded.scan) == (SSN, NOTE, b"\x00\xffraw")
        assert [v.ssn for v in await Vault.all().order_by("id")] == [SSN, SSN]
        assert await Vault.filter(id=made.id).values("ssn", "note") == [{"ssn": SSN, "note": NOTE}]
        assert SSN not in repr(loaded)


async def test_deterministic_fields_filter_by_equality_only(url: str) -> None:
    async with opened(url):
        await Vault.create(ssn=SSN)
        await Vault.create(ssn="219-09-9999", note={"a": 1})
        assert await Vault.filter(ssn=SSN).count() == 1
        assert await Vault.filter(ssn__exact="219-09-9999").count() == 1
        assert await Vault.filter(ssn="000-00-0000").count() == 0
        assert await Vault.filter(ssn__in=[SSN, "219-09-9999", "x"]).count() == 2
        assert await Vault.filter(ssn__in=[]).count() == 0
        assert await Vault.exclude(ssn=SSN).count() == 1
        assert await Vault.filter(note__isnull=True).count() == 1
        for lookup in ("startswith", "contains", "iexact", "gt", "lte", "regex", "endswith"):
            with pytest.raises(FieldError, match="ssn"):
                await Vault.filter(**{f"ssn__{lookup}": "0"}).count()
        with pytest.raises(FieldError, match="ssn"):
            await Vault.filter(ssn__range=("0", "9")).count()
        with pytest.raises(FieldError, match="random nonces"):
            await Vault.filter(note={"a": 1}).count()
        with pytest.raises(FieldError, match="note"):
            await Vault.filter(note__in=[{"a": 1}]).count()
        with pytest.raises(FieldError, match="encrypted"):
            await Vault.all().order_by("ssn")
        with pytest.raises(FieldError, match="values only"):
            await Vault.filter(ssn=orm.F("id")).count()
        assert await Vault.aggregate(n=orm.Count("note")) == {"n": 1}
        for refused in (orm.Max("ssn"), orm.Min("note"), orm.Count("ssn", distinct=True)):
            with pytest.raises(FieldError, match="encrypted"):
                await Vault.aggregate(x=refused)


async def test_every_write_path_encrypts_and_every_read_path_decrypts(
    url: str, dialect: str
) -> None:
    async with opened(url) as db:
        await Vault.bulk_create([Vault(ssn="1.1.1"), Vault(ssn="2.2.2", note={"b": 2})])
        assert await Vault.filter(ssn="2.2.2").update(note={"c": 3}) == 1
        made, _ = await Vault.get_or_create(ssn="3.3.3", defaults={"note": {"d": 4}})
        found, created = await Vault.get_or_create(ssn="3.3.3")
        assert (found.id, created) == (made.id, False)
        # (dotted plaintexts: a "." is never in a url-safe base64 token; digits may be)
        for text in await _raw(db, dialect, "ormt_secret_vault", "ssn") + await _raw(
            db, dialect, "ormt_secret_vault", "note"
        ):
            assert text is None or not any(p in text for p in ("1.1.1", "2.2.2", "3.3.3", '"c"'))
        rows = await Vault.all().order_by("id")
        assert [(r.ssn, r.note) for r in rows] == [
            ("1.1.1", None),
            ("2.2.2", {"c": 3}),
            ("3.3.3", {"d": 4}),
        ]
        rows[0].note = {"e": 5}
        await rows[0].save()
        stale = await Vault.get(ssn="1.1.1")
        await rows[0].refresh_from_db()
        assert rows[0].note == stale.note == {"e": 5}
        assert await Vault.filter(ssn="1.1.1").values_list("note", flat=True) == [{"e": 5}]


async def test_keys_rotate(url: str, dialect: str) -> None:
    async with opened(url) as db:
        old = await Vault.create(ssn=SSN, note=NOTE)
        rotated = await RotatedVault.get(id=old.id)  # key 1 still reads
        assert (rotated.ssn, rotated.note) == (SSN, NOTE)
        fresh = await RotatedVault.create(ssn=SSN, note={"new": True})
        tokens = await _raw(db, dialect, "ormt_secret_vault", "ssn")
        assert [key_id_of(_token(t)) for t in tokens] == [1, 2]
        # equality finds the value under every key of the keyring
        assert await RotatedVault.filter(ssn=SSN).count() == 2
        with pytest.raises(DecryptionError, match=r"RetiredVault\.ssn"):
            await RetiredVault.get(id=old.id)
        await rotated.save()  # re-encrypted with the active key
        tokens = await _raw(db, dialect, "ormt_secret_vault", "ssn")
        assert [key_id_of(_token(t)) for t in tokens] == [2, 2]
        retired = await RetiredVault.all().order_by("id")
        assert [(v.ssn, v.note) for v in retired] == [(SSN, NOTE), (SSN, {"new": True})]
        assert fresh.id == retired[1].id


async def test_a_wrong_key_or_an_altered_column_is_a_decryption_error(
    url: str, dialect: str
) -> None:
    async with opened(url) as db:
        made = await Vault.create(ssn=SSN, note=NOTE)
        with pytest.raises(DecryptionError, match=r"WrongKeyVault\.ssn") as caught:
            await WrongKeyVault.get(id=made.id)
        assert SSN not in str(caught.value)
        (token,) = await _raw(db, dialect, "ormt_secret_vault", "ssn")
        flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
        update = native(dialect, "UPDATE ormt_secret_vault SET ssn = ? WHERE id = ?")
        for bad in (flipped, "not base64 at all!", ""):
            await db.execute(update, [bad, made.id])
            with pytest.raises(DecryptionError, match=r"Vault\.ssn"):
                await Vault.get(id=made.id)
        # a token moved to another column does not decrypt there (bound to its column)
        (note,) = await _raw(db, dialect, "ormt_secret_vault", "note")
        await db.execute(update, [note, made.id])
        with pytest.raises(DecryptionError):
            await Vault.get(id=made.id)


class Card(ferrule.Model):
    holder: str
    number: str = ferrule.Field(secret=True)


class Wallet(orm.Model):
    id = orm.IntField(pk=True)
    card = orm.EncryptedField(Card, keyring=RING12)

    class Meta:
        table = "ormt_secret_wallet"


async def test_a_model_value_keeps_its_own_secrets_when_encrypted(url: str, dialect: str) -> None:
    async with opened(url) as db, own_tables(Wallet):
        card = Card(holder="ada", number="4242 4242")
        made = await Wallet.create(card=card)
        (stored,) = await _raw(db, dialect, "ormt_secret_wallet", "card")
        assert "4242" not in stored and "ada" not in stored
        loaded = await Wallet.get(id=made.id)
        assert loaded.card == card and loaded.card.number == "4242 4242"
        assert "4242" not in repr(loaded) and "4242" not in loaded.model_dump_json()


class Person(orm.Model):
    id = orm.IntField(pk=True)
    email = orm.EncryptedField(str, keyring=RING12, deterministic=True, unique=True)

    class Meta:
        table = "ormt_secret_person"


async def test_a_deterministic_field_can_be_unique(url: str) -> None:
    async with opened(url), own_tables(Person):
        await Person.create(email="ada@example.com")
        with pytest.raises(IntegrityError):
            await Person.create(email="ada@example.com")
        assert await Person.filter(email="ada@example.com").count() == 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(ssn=st.text(), note=st.dictionaries(st.text(), _JSON, max_size=4), scan=st.binary())
def test_value_to_column_to_value_round_trips(ssn: str, note: dict[str, Any], scan: bytes) -> None:
    columns = RotatedVault._meta.columns
    for name, value in (("ssn", ssn), ("note", note), ("scan", scan)):
        for dialect in ("sqlite", "postgres", "mysql"):
            to_db, from_db = columns[name].converters(dialect)
            stored = to_db(value)
            assert isinstance(stored, str) and stored.isascii()
            assert from_db(stored) == value
    ssn_column = columns["ssn"]
    assert ssn_column.converters("sqlite")[0](ssn) in ssn_column.encryption.tokens(ssn)


def test_encrypted_field_options_are_checked() -> None:
    with pytest.raises(SchemaError, match="Keyring"):
        orm.EncryptedField(str, keyring=KEY1)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="deterministic"):
        orm.EncryptedField(str, keyring=RING1, deterministic="yes")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="always secret"):
        orm.EncryptedField(str, keyring=RING1, secret=False)


def _token(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
