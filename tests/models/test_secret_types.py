"""``SecretStr`` and ``SecretBytes``: the value wrapped, masked in repr, str and JSON output,
kept as the wrapper in Python-mode dumps, ``get_secret_value()`` for the real value; pydantic
2.14's answers on both cores and every input path. (``Field(secret=True)`` is ferrule's own
plain-str way, tested in test_secret.py.)"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from cores import Err
from paths import JSON_PATHS
from typecases import run_row

import ferrule
from ferrule import Field, TypeAdapter
from ferrule.types import SecretBytes, SecretStr

R: tuple[Any, ...] = ()
MASK = "**********"

PYTHON: list[tuple[Any, Any, Any]] = [
    (SecretStr, "abc", SecretStr("abc")),
    (SecretStr, b"abc", SecretStr("abc")),  # str's own lax rule
    (SecretStr, SecretStr("x"), SecretStr("x")),
    (SecretStr, 1, Err((R, "string_type"))),
    (SecretBytes, b"abc", SecretBytes(b"abc")),
    (SecretBytes, "abc", SecretBytes(b"abc")),
    (SecretBytes, 1, Err((R, "bytes_type"))),
    (Annotated[SecretStr, Field(strict=True)], b"abc", Err((R, "string_type"))),
    (Annotated[SecretStr, Field(strict=True)], "abc", SecretStr("abc")),
]

JSON: list[tuple[Any, str, Any]] = [
    (SecretStr, '"abc"', SecretStr("abc")),
    (SecretStr, "1", Err((R, "string_type"))),
    (SecretBytes, '"abc"', SecretBytes(b"abc")),
]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON)
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON)
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


def test_masked_everywhere_but_get_secret_value() -> None:
    secret = SecretStr("hunter2")
    assert (repr(secret), str(secret), len(secret)) == (f"SecretStr('{MASK}')", MASK, 7)
    assert secret.get_secret_value() == "hunter2"
    assert (str(SecretStr("")), repr(SecretStr(""))) == ("", "SecretStr('')")
    raw = SecretBytes(b"k")
    assert (repr(raw), str(raw)) == (f"SecretBytes(b'{MASK}')", f"b'{MASK}'")
    assert raw.get_secret_value() == b"k"
    assert SecretStr("a") == SecretStr("a") and SecretStr("a") != SecretStr("b")
    assert SecretStr("a") != "a"


class Login(ferrule.Model):
    user: str
    password: SecretStr
    key: SecretBytes | None = None


def test_dumps_and_repr() -> None:
    login = Login(user="ann", password="hunter2", key=b"k")
    assert "hunter2" not in repr(login) and f"SecretStr('{MASK}')" in repr(login)
    assert login.password.get_secret_value() == "hunter2"
    assert login.model_dump() == {
        "user": "ann",
        "password": SecretStr("hunter2"),
        "key": SecretBytes(b"k"),
    }
    masked = {"user": "ann", "password": MASK, "key": MASK}
    assert login.model_dump(mode="json") == masked
    assert json.loads(login.model_dump_json()) == masked
    assert json.loads(Login(user="a", password="").model_dump_json())["password"] == ""


def test_json_schema() -> None:
    schema = Login.model_json_schema()["properties"]
    assert schema["password"] == {
        "type": "string",
        "writeOnly": True,
        "format": "password",
        "title": "Password",
    }
    assert TypeAdapter(SecretBytes).json_schema() == {
        "type": "string",
        "writeOnly": True,
        "format": "password",
    }
