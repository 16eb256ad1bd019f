"""``orm.transaction()``/``@orm.atomic`` given what is no database or no isolation level:
``using=5`` or ``using="default"`` was ``AttributeError: 'int' object has no attribute
'transaction'`` (``orm.in_transaction`` alone checked it), ``isolation=5`` was
``AttributeError: ... 'strip'``, and a str subclass whose ``strip``/``lower`` lie was read as
the level they claim, not the one its text names. Each is now a typed error naming what was
given, and a level is read by its text."""

from __future__ import annotations

import pytest

from ferrule import errors, orm

from .conftest import opened


class ClaimsSerializable(str):
    """A level whose methods answer 'serializable', whatever its text."""

    def strip(self, chars: str | None = None) -> str:
        return "serializable"

    def lower(self) -> str:
        return "serializable"


class Serializable(str):
    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__


@pytest.mark.parametrize("using", [5, "default", object()])
async def test_what_is_no_database_is_refused_by_name(url: str, using: object) -> None:
    async with opened(url):
        with pytest.raises(errors.ORMError, match="give the database object"):
            async with orm.transaction(using=using):
                pass
        with pytest.raises(errors.ORMError, match="give the database object"):

            @orm.atomic(using=using)  # type: ignore[untyped-decorator]
            async def work() -> None:
                pass


@pytest.mark.parametrize("level", [5, b"serializable", ClaimsSerializable("bogus")])
async def test_what_is_no_isolation_level_is_a_configuration_error(url: str, level: object) -> None:
    async with opened(url):
        with pytest.raises(errors.ConfigurationError, match="isolation level"):
            async with orm.transaction(isolation=level):  # type: ignore[arg-type]
                pass


async def test_a_level_is_read_by_its_text(url: str) -> None:
    async with opened(url) as db, orm.transaction(isolation=Serializable("Serializable")):
        assert db.in_transaction()
