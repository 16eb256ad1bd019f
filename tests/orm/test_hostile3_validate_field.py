"""Hostile calls of ``SchemaValidator.validate_field`` (new with validate_on_load of partial
loads) and of its sibling ``validate_assignment``: a name is a field's by its text alone (a
str subclass's lying ``__eq__``/``__hash__`` never picks another field, nor raises), a name
that is no str is a TypeError, and an object is an instance by its real type, never by a
``__class__`` it claims: the native core reads and writes an instance's slots by offset, so
a lie there is memory, not just a wrong answer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ferrule import orm
from ferrule.errors import ValidationError
from ferrule.models import ValidationInfo, field_validator
from ferrule.orm.model import NOT_LOADED


class Probe(orm.Model):
    id: int | None = orm.Field(default=None, primary_key=True)
    n: int = 0
    s: str = ""


class Liar(str):
    """Equal to every string, hashed as 'n'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("n")

    def startswith(self, *args: object) -> bool:  # type: ignore[override]
        return False


class Raiser(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")


def test_a_lying_str_subclass_names_only_the_field_its_text_names() -> None:
    probe = Probe(n=1, s="x")
    check = Probe.__ferrule_validator__.validate_field
    with pytest.raises(AttributeError, match="no field zz"):
        check(probe, Liar("zz"), 5)
    with pytest.raises(ValidationError):  # 's' is a str field: 5 is no str
        check(probe, Liar("s"), 5)
    assert check(probe, Raiser("n"), "7") == 7


@pytest.mark.parametrize("name", [5, None, b"n", 1.5])
def test_a_name_that_is_no_str_is_a_type_error(name: object) -> None:
    probe = Probe()
    with pytest.raises(TypeError):
        Probe.__ferrule_validator__.validate_field(probe, name, 5)
    with pytest.raises(TypeError):
        Probe.__ferrule_validator__.validate_assignment(probe, name, 5)


def test_a_lying_str_subclass_assigns_only_the_field_its_text_names() -> None:
    probe = Probe(n=1, s="x")
    with pytest.raises(ValidationError):  # no field zz: not a silent store into 'n'
        Probe.__ferrule_validator__.validate_assignment(probe, Liar("zz"), 5)
    assert probe.n == 1
    Probe.__ferrule_validator__.validate_assignment(probe, Raiser("n"), "7")
    assert probe.n == 7


_CLAIMS = """
    import ferrule
    from ferrule.models import BaseModel, field_validator

    class B(BaseModel):
        a: str = ""
        b: str = ""
        n: int = 0

        @field_validator("n")
        @classmethod
        def seen(cls, value, info):
            return value

    class Sneaky:
        __slots__ = ()
        __class__ = B

    for call in ("validate_field", "validate_assignment"):
        try:
            getattr(B.__ferrule_validator__, call)(Sneaky(), "n", 3)
        except TypeError:
            print(call, "refused")
        else:
            print(call, "accepted")
    try:  # kept as an instance of B, then its slots read by offset
        B.model_validate(Sneaky())
    except ferrule.ValidationError:
        print("model_validate refused")
"""


def test_an_object_claiming_the_class_is_refused_not_read_by_offset() -> None:
    root = Path(__file__).resolve().parents[2] / "python"
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CLAIMS)],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:3] == [
        "validate_field refused",
        "validate_assignment refused",
        "model_validate refused",
    ]


class Framed(orm.Model):
    id: int | None = orm.Field(default=None, primary_key=True)
    owner = orm.ForeignKeyField("Framed", related_name="kids", null=True)
    note: str = ""

    @field_validator("note")
    @classmethod
    def _seen(cls, value: str, info: ValidationInfo) -> str:
        SEEN.append(dict(info.data))
        return value


SEEN: list[dict[str, object]] = []


def test_the_frame_holds_the_stored_values_in_both_cores() -> None:
    """info.data of an assignment and of validate_field: the instance's stored values, a
    relation no query loaded as the not-loaded marker (the pure twin read it through the
    relation's descriptor: None, the native core its slot)."""
    framed = Framed(id=1, note="a")
    SEEN.clear()
    framed.note = "b"
    Framed.__ferrule_validator__.validate_field(framed, "note", "c")
    assert [seen["owner"] is NOT_LOADED for seen in SEEN] == [True, True]
    assert [seen["owner_id"] for seen in SEEN] == [None, None]
