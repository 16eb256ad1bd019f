"""Text given to the ORM by a ``str`` subclass whose methods lie or raise: it is read as the
text it holds. A kind that claims to equal every kind (``__eq__`` always true) was checked
with ``in`` and then written into PostgreSQL's SQL as it is (``date_trunc('<kind>', ...)``):
SQL injection; elsewhere a bare ``KeyError``. A ``__format__`` or ``__repr__`` that raises
must not replace the answer or the real error with its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import errors
from ferrule.orm.dated_expressions import Extract, Trunc

from .conftest import opened
from .models import Everything

INJECTED = "month', now()) || 'x' || date_trunc('month"


class EqualsAll(str):
    """Text that says it equals anything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("month")


class Unprintable(str):
    """Honest text whose repr, str and format raise."""

    def __repr__(self) -> str:
        raise RuntimeError("repr raised")

    def __str__(self) -> str:
        raise RuntimeError("str raised")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("format raised")


async def _one_row() -> None:
    await Everything.create(
        moment=dt.datetime(2020, 5, 5, 10, tzinfo=dt.timezone.utc), day=dt.date(2020, 5, 5)
    )


class NoText:
    def __str__(self) -> str:
        raise RuntimeError("str raised")

    def __repr__(self) -> str:
        raise RuntimeError("repr raised")


def test_a_kind_that_equals_every_kind_is_read_as_its_text() -> None:
    with pytest.raises(errors.FieldError, match="not a kind"):
        Trunc("moment", EqualsAll(INJECTED))
    with pytest.raises(errors.FieldError, match="not a part"):
        Extract("moment", EqualsAll("year') --"))


def test_a_kind_that_is_no_text_is_refused_by_its_type() -> None:
    with pytest.raises(errors.FieldError, match="NoText object"):
        Trunc("moment", NoText())  # type: ignore[arg-type]
    with pytest.raises(errors.FieldError, match="NoText object"):
        Extract("moment", NoText())  # type: ignore[arg-type]


async def test_a_lying_kind_never_reaches_the_sql(url: str) -> None:
    async with opened(url):
        await _one_row()
        with pytest.raises(errors.FieldError, match="kind must be"):
            await Everything.all().dates("day", EqualsAll(INJECTED))
        with pytest.raises(errors.FieldError, match="kind must be"):
            await Everything.all().datetimes("moment", EqualsAll(INJECTED))
        with pytest.raises(errors.FieldError, match="order must be"):
            await Everything.all().dates("day", "month", EqualsAll("ASC' --"))


async def test_an_unprintable_kind_is_the_kind_it_holds(url: str) -> None:
    async with opened(url):
        await _one_row()
        month = Unprintable("month")
        assert await Everything.all().dates("day", month) == [dt.date(2020, 5, 1)]
        rounded = Everything.all().annotate(t=Trunc("moment", month))
        got: Any = await rounded.values_list("t", flat=True)
        assert got == [dt.datetime(2020, 5, 1, tzinfo=dt.timezone.utc)]


async def test_a_field_that_is_no_text_is_refused(url: str) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError, match="field name"):
            await Everything.all().dates(object(), "month")  # type: ignore[arg-type]
