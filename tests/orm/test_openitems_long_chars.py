"""A ``CharField`` longer than MariaDB's VARCHAR holds: utf8mb4 takes 4 bytes a character
and a row's VARCHARs at most 65,535 bytes, so ``VARCHAR(16384)`` and up could not be made
(``create_tables`` raised the server's OperationalError 1074, "use BLOB or TEXT instead").
Such a field is now a ``LONGTEXT`` there with a CHECK of its length, which refuses longer
text as the VARCHAR of the other databases does (a ``DataError``); VARCHARs that together
pass the row's 65,535 bytes are a ``SchemaError`` naming them."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import DataError, SchemaError

from .conftest import opened, own_tables

LONG = 20_000


class Essay(orm.Model):
    id: int = orm.Field(primary_key=True)
    body = orm.CharField(max_length=LONG)
    title = orm.CharField(max_length=20, default="")

    class Meta:
        table = "ormt_oi_essay"


class Wide(orm.Model):
    id: int = orm.Field(primary_key=True)
    lead = orm.CharField(max_length=9000)
    rest = orm.CharField(max_length=9000)

    class Meta:
        table = "ormt_oi_wide"


async def test_a_char_field_past_varchar_is_made_and_kept(url: str) -> None:
    async with opened(url), own_tables(Essay):
        text = "é" * LONG  # two bytes a character in UTF-8, four counted by utf8mb4
        essay = await Essay.create(body=text)
        assert (await Essay.get(pk=essay.pk)).body == text
        assert await Essay.filter(body=text).count() == 1
        assert await Essay.filter(body__startswith="éé").count() == 1
        concat = orm.Concat(orm.F("body"), orm.Value("x"))
        with pytest.raises(DataError):  # one character past max_length, as VARCHAR refuses
            await Essay.filter(pk=essay.pk).update(body=concat)
        assert (await Essay.get(pk=essay.pk)).body == text
        shorter = await Essay.create(body="short")
        await Essay.filter(pk=shorter.pk).update(body=concat)
        assert (await Essay.get(pk=shorter.pk)).body == "shortx"


async def test_varchars_past_a_mariadb_row_are_a_schema_error(url: str, dialect: str) -> None:
    async with opened(url):
        if dialect != "mysql":  # VARCHARs share no row budget there
            async with own_tables(Wide):
                await Wide.create(lead="a" * 9000, rest="b" * 9000)
                assert await Wide.filter(rest__endswith="b").count() == 1
            return
        await orm.drop_tables(Wide, if_exists=True)
        with pytest.raises(SchemaError, match=r"Wide.*lead.*rest"):
            await orm.create_tables(Wide)
