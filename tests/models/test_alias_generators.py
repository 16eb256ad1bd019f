"""`model_config["alias_generator"]` and the name converters, with pydantic v2's answers
(written out here; the suite does not import pydantic)."""

from __future__ import annotations

from typing import Any

import pytest

import ferrule
from ferrule.alias_generators import to_camel, to_pascal, to_snake
from ferrule.errors import SchemaError, ValidationError

# (name, to_camel, to_pascal, to_snake) as pydantic.alias_generators answers them
NAMES = [
    ("snake_case", "snakeCase", "SnakeCase", "snake_case"),
    ("user_name", "userName", "UserName", "user_name"),
    ("alreadyCamel", "alreadyCamel", "Alreadycamel", "already_camel"),
    ("HTTPResponse", "httpresponse", "Httpresponse", "http_response"),
    ("CamelCase", "camelcase", "Camelcase", "camel_case"),
    ("kebab-case-name", "kebab-Case-Name", "Kebab-Case-Name", "kebab_case_name"),
    ("version_2_beta", "version2Beta", "Version2Beta", "version_2_beta"),
    ("_private_name", "_privateName", "_PrivateName", "_private_name"),
    ("getHTTP2Response", "getHTTP2Response", "Gethttp2Response", "get_http2_response"),
    ("field1", "field1", "Field1", "field_1"),
]


@pytest.mark.parametrize(("name", "camel", "pascal", "snake"), NAMES)
def test_converters_answer_as_pydantic(name: str, camel: str, pascal: str, snake: str) -> None:
    assert (to_camel(name), to_pascal(name), to_snake(name)) == (camel, pascal, snake)


class Account(ferrule.Model, alias_generator=to_camel):
    user_name: str
    account_id: int = ferrule.Field(alias="ID")  # an alias of its own wins
    is_active: bool = True


def test_fields_are_read_and_written_by_their_generated_alias() -> None:
    account = Account.model_validate({"userName": "ada", "ID": 7})
    assert (account.user_name, account.account_id, account.is_active) == ("ada", 7, True)
    assert account.model_dump(by_alias=True) == {"userName": "ada", "ID": 7, "isActive": True}
    assert account.model_dump() == {"user_name": "ada", "account_id": 7, "is_active": True}
    assert Account.model_fields["user_name"].alias == "userName"
    assert list(Account.model_json_schema()["properties"]) == ["userName", "ID", "isActive"]
    assert Account.model_validate_json(b'{"userName": "b", "ID": 1}').user_name == "b"
    with pytest.raises(ValidationError) as caught:
        Account.model_validate({"user_name": "ada", "ID": 7})  # by name: not without populate
    assert caught.value.errors()[0]["loc"] == ("userName",)


def test_subclasses_inherit_the_generator() -> None:
    class Admin(Account):
        admin_level: int

    admin = Admin.model_validate({"userName": "a", "ID": 1, "adminLevel": 3})
    assert admin.admin_level == 3


@pytest.mark.parametrize("generator", [42, lambda name: "", lambda name: 5])
def test_a_bad_generator_is_a_schema_error(generator: Any) -> None:
    with pytest.raises(SchemaError, match="alias_generator"):

        class Bad(ferrule.Model, alias_generator=generator):
            x: int
