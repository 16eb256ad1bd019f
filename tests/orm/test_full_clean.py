"""Django's ``full_clean()``/``clean_fields()``/``clean()``/``validate_unique()`` on ORM
models (``orm.cleaning``): before, none existed (AttributeError). Uniqueness is asked of the
database on SQLite, PostgreSQL and MariaDB; errors come together as one ``ValidationError``,
located at the field or at ``"__all__"`` as Django's ``message_dict`` keys are."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import FieldError, ValidationError

from .conftest import opened, own_tables


class Cl(orm.Model):
    model_config = ConfigDict(validate_assignment=False)

    id: int = orm.Field(primary_key=True)
    code: str = orm.Field(max_length=5, unique=True)
    shelf: int = 0
    slot: int | None = None
    low: int = 0
    high: int = 10

    class Meta:
        table = "ormt_cl"
        unique_together = ("shelf", "slot")

    def clean(self) -> None:
        if self.low > self.high:
            raise ValueError("low must not be above high")


def _locs(error: ValidationError) -> list[tuple[Any, ...]]:
    return sorted(tuple(e["loc"]) for e in error.errors())


async def test_full_clean_passes_a_clean_instance(url: str) -> None:
    async with opened(url), own_tables(Cl):
        await Cl.create(code="a", shelf=1, slot=1)
        fresh = Cl(code="b", shelf=1, slot=2)
        await fresh.full_clean()
        saved = await Cl.get(code="a")
        await saved.full_clean()  # its own row is no conflict


async def test_full_clean_gathers_field_clean_and_unique_errors(url: str) -> None:
    async with opened(url), own_tables(Cl):
        await Cl.create(code="a", shelf=1, slot=1)
        clash = Cl(code="a", shelf=1, slot=1, low=5, high=1)
        with pytest.raises(ValidationError) as caught:
            await clash.full_clean()
        assert _locs(caught.value) == [("__all__",), ("__all__",), ("code",)]
        messages = " ".join(e["msg"] for e in caught.value.errors())
        assert "low must not be above high" in messages
        assert "Cl with this Code already exists." in messages
        assert "Cl with this Shelf and Slot already exists." in messages
        with pytest.raises(ValidationError) as caught:
            await clash.full_clean(exclude=["code"], validate_unique=True)
        assert _locs(caught.value) == [("__all__",), ("__all__",)]
        with pytest.raises(ValidationError) as caught:
            await clash.full_clean(validate_unique=False)
        assert _locs(caught.value) == [("__all__",)]


async def test_a_field_that_failed_is_not_checked_for_uniqueness(url: str) -> None:
    async with opened(url), own_tables(Cl):
        await Cl.create(code="a")
        bad = Cl(code="a")
        bad.code = "far too long"  # validate_assignment=False: stored as given
        with pytest.raises(ValidationError) as caught:
            await bad.full_clean()
        assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
            (("code",), "string_too_long")
        ]


async def test_none_in_a_unique_group_never_conflicts(url: str) -> None:
    async with opened(url), own_tables(Cl):
        await Cl.create(code="a", shelf=1, slot=None)
        await Cl(code="b", shelf=1, slot=None).full_clean()


def test_clean_fields_keeps_the_checked_values() -> None:
    obj = Cl(code="a")
    obj.shelf = "7"  # type: ignore[assignment]
    obj.clean_fields()
    assert obj.shelf == 7
    obj.high = "x"  # type: ignore[assignment]
    with pytest.raises(ValidationError) as caught:
        obj.clean_fields()
    assert _locs(caught.value) == [("high",)]
    obj.clean_fields(exclude=["high"])
    with pytest.raises(FieldError, match="nope"):
        obj.clean_fields(exclude=["nope"])
    with pytest.raises(FieldError, match="str"):
        obj.clean_fields(exclude="high")
    with pytest.raises(FieldError, match="int"):
        obj.clean_fields(exclude=5)  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="1"):
        obj.clean_fields(exclude=[1])  # type: ignore[list-item]


async def test_validate_unique_alone(url: str) -> None:
    async with opened(url), own_tables(Cl):
        await Cl.create(code="a")
        with pytest.raises(ValidationError, match="Code already exists"):
            await Cl(code="a").validate_unique()
        await Cl(code="a").validate_unique(exclude=["code"])


async def test_clean_may_raise_a_validation_error_or_be_async(url: str) -> None:
    class Own(orm.Model):
        id: int = orm.Field(primary_key=True)
        n: int = 0

        class Meta:
            table = "ormt_cl_own"

        async def clean(self) -> None:
            if self.n < 0:
                raise ValidationError(
                    "Own", [(("n",), "value_error", self.n, None, "n is negative")]
                )

    async with opened(url), own_tables(Own):
        with pytest.raises(ValidationError) as caught:
            await Own(n=-1).full_clean()
        assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [(("n",), "n is negative")]
        await Own(n=1).full_clean()
