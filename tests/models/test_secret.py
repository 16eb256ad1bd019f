"""``Field(secret=True)``: the value is validated as any other, and kept out of repr, dumps and
error reports unless ``reveal_secrets=True``. The schema-level tables run on both cores; the
`Model` tests run on the core the process selected (``make test`` runs both).

What is expected comes from pydantic 2.14's ``SecretStr``: ``"**********"`` in JSON and repr,
``"writeOnly": true`` and ``"format": "password"`` in the JSON Schema (pydantic echoes a secret
input in its errors; ferrule does not)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from cores import field, make_model, make_validator, model_schema

import ferrule.json
from ferrule import Field, Model, model_validator
from ferrule.errors import SchemaError, ValidationError

MASK = "**********"
SECRET = "correct horse battery staple"


def _schema(cls_name: str = "Login") -> tuple[type, dict[str, Any]]:
    fields = [
        field("user", {"type": "str", "strict": False}),
        {
            **field("pin", {"type": "str", "strict": False, "min_length": 8}, alias="PIN"),
            "secret": True,
        },
        {**field("hint", {"type": "nullable", "schema": {"type": "str"}}, default=None)},
    ]
    fields[2]["secret"] = True
    cls = make_model(cls_name, fields)
    return cls, model_schema(cls, fields, populate_by_name=True)


def test_dumps_mask_secret_values_unless_revealed(core: Any) -> None:
    _, schema = _schema()
    validator = make_validator(core, schema)
    item = validator.validate_python({"user": "ada", "PIN": SECRET})
    assert item.pin == SECRET  # the instance keeps the real value
    hidden = {"user": "ada", "pin": MASK, "hint": None}  # None stays None, as pydantic's
    assert validator.to_python(item) == hidden
    by_alias = {"user": "ada", "PIN": MASK, "hint": None}
    assert validator.to_python(item, mode="json", by_alias=True) == by_alias
    assert json.loads(validator.to_json(item)) == hidden
    shown = {"user": "ada", "pin": SECRET, "hint": None}
    assert validator.to_python(item, reveal_secrets=True) == shown
    assert json.loads(validator.to_json(item, reveal_secrets=True)) == shown
    assert SECRET not in validator.to_json({"nested": [item]}).decode()


@pytest.mark.parametrize("json_input", [False, True], ids=["dict", "json"])
def test_errors_never_echo_a_secret(core: Any, json_input: bool) -> None:
    _, schema = _schema()
    validator = make_validator(core, schema)
    bad = {"PIN": "short-7"}  # too short, and `user` is missing
    with pytest.raises(ValidationError) as caught:
        if json_input:
            validator.validate_json(json.dumps(bad))
        else:
            validator.validate_python(bad)
    errors = caught.value.errors()
    assert [(e["loc"], e["type"]) for e in errors] == [
        (("user",), "missing"),
        (("PIN",), "string_too_short"),
    ]
    assert errors[0]["input"] == {"PIN": MASK}
    assert errors[1]["input"] == MASK
    for text in (str(caught.value), repr(errors)):
        assert "short-7" not in text


def test_a_secret_is_still_validated_and_compared() -> None:
    class Login(Model):
        user: str
        pin: str = Field(secret=True, min_length=8, to_lower=True)

    one = Login(user="ada", pin="ABCDEFGHIJ")
    assert one.pin == "abcdefghij"
    assert one == Login(user="ada", pin="abcdefghij")
    assert one != Login(user="ada", pin="abcdefghik")
    with pytest.raises(ValidationError, match="at least 8"):
        Login(user="ada", pin="abc")


class Account(Model):
    user: str
    token: str = Field(secret=True, min_length=4)
    backup: str | None = Field(default=None, secret=True)


def test_model_repr_and_every_dump_hide_the_secret() -> None:
    item = Account(user="ada", token=SECRET)
    assert repr(item) == f"Account(user='ada', token='{MASK}', backup=None)"
    assert str(item) == repr(item)
    expected = {"user": "ada", "token": MASK, "backup": None}
    assert item.model_dump() == expected
    assert item.dict() == expected
    assert item.model_dump(mode="json") == expected
    assert json.loads(item.model_dump_json()) == expected
    assert json.loads(item.json()) == expected
    assert json.loads(item.json_bytes()) == expected
    assert json.loads(ferrule.json.dumps(item)) == expected
    assert json.loads(ferrule.json.dumps({"a": [item]})) == {"a": [expected]}
    revealed = {"user": "ada", "token": SECRET, "backup": None}
    assert item.model_dump(reveal_secrets=True) == revealed
    assert json.loads(item.model_dump_json(reveal_secrets=True)) == revealed
    assert json.loads(item.json_bytes(reveal_secrets=True, indent=2)) == revealed


def test_nested_models_hide_their_secrets_too() -> None:
    class Holder(Model):
        accounts: list[Account]

    holder = Holder(accounts=[Account(user="a", token=SECRET)])
    assert SECRET not in repr(holder)
    assert holder.model_dump()["accounts"][0]["token"] == MASK
    assert SECRET not in holder.model_dump_json()
    assert SECRET in holder.model_dump_json(reveal_secrets=True)


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_reveal_secrets_takes_a_bool_only(flag: Any) -> None:
    item = Account(user="ada", token=SECRET)
    with pytest.raises(TypeError, match="reveal_secrets"):
        item.model_dump(reveal_secrets=flag)
    with pytest.raises(TypeError, match="reveal_secrets"):
        item.model_dump_json(reveal_secrets=flag)


def test_assignment_errors_and_model_validators_hide_the_secret() -> None:
    class Checked(Model):
        user: str
        token: str = Field(secret=True, min_length=10)

        @model_validator(mode="before")
        @classmethod
        def refuse_admin(cls, data: Any) -> Any:
            if isinstance(data, dict) and data.get("user") == "admin":
                raise ValueError("no admin")
            return data

    item = Checked(user="ada", token=SECRET)
    with pytest.raises(ValidationError) as caught:
        item.token = "tiny-one"
    assert "tiny-one" not in str(caught.value)
    assert caught.value.errors()[0]["input"] == MASK
    assert item.token == SECRET
    with pytest.raises(ValidationError) as caught:
        Checked(user="admin", token=SECRET)
    assert SECRET not in str(caught.value)
    assert caught.value.errors()[0]["input"] == {"user": "admin", "token": MASK}


def test_json_schema_marks_the_field_write_only() -> None:
    schema = Account.model_json_schema()
    token = schema["properties"]["token"]
    assert token["writeOnly"] is True
    assert token["format"] == "password"
    assert token["type"] == "string"
    assert "default" not in schema["properties"]["backup"]


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_secret_takes_true_or_false(bad: Any) -> None:
    with pytest.raises((TypeError, SchemaError), match="secret"):
        Field(secret=bad)


def test_secret_in_annotated_metadata() -> None:
    class Annotated_(Model):
        pin: Annotated[str, Field(secret=True, min_length=4)] = "0000"

    assert Annotated_(pin="1234").model_dump() == {"pin": MASK}
    with pytest.raises(SchemaError, match="secret"):

        class Nested(Model):
            pins: list[Annotated[str, Field(secret=True)]]
