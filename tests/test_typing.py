"""mypy understands models (dataclass_transform): constructors, field types, classmethods."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PYRIGHT = Path(sys.prefix) / "npm" / "node_modules" / ".bin" / "pyright"

SNIPPET = """
from ferrule import Field, Model


class User(Model):
    id: int = Field(gt=0)
    name: str
    tags: list[str] = Field(default_factory=list)
    nick: str | None = None


user = User(id=1, name="x")
reveal_type(user.id)
reveal_type(User.model_validate({}))
reveal_type(user.model_dump())
User(id=1)
User(id=1, name="x", nope=2)
User(id="1", name="x")
"""


def check(tool: str, tmp_path: Path, name: str, source: str) -> str:
    """What ``tool`` (mypy --strict, or pyright) prints for ``source`` saved as ``name``."""
    path = tmp_path / name
    path.write_text(source)
    command = (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)]
        if tool == "mypy"
        else [str(PYRIGHT), "--pythonpath", sys.executable, str(path)]
    )
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    return result.stdout


def test_mypy_sees_fields_and_constructor(tmp_path: Path) -> None:
    out = check("mypy", tmp_path, "check_models.py", SNIPPET)
    assert 'Revealed type is "int"' in out, out
    assert 'Revealed type is "check_models.User"' in out, out
    assert 'Revealed type is "dict[str, Any]"' in out, out
    assert 'Missing named argument "name" for "User"' in out, out
    assert 'Unexpected keyword argument "nope" for "User"' in out, out
    assert 'Argument "id" to "User" has incompatible type "str"; expected "int"' in out, out
    assert out.count("error:") == 3, out


@pytest.mark.skipif(not PYRIGHT.exists(), reason="pyright not installed (needs npm; see Makefile)")
def test_pyright_sees_fields_and_constructor(tmp_path: Path) -> None:
    out = check("pyright", tmp_path, "check_models.py", SNIPPET)
    assert 'Type of "user.id" is "int"' in out, out
    assert 'Type of "User.model_validate({})" is "User"' in out, out
    assert 'Argument missing for parameter "name"' in out, out
    assert 'No parameter named "nope"' in out, out
    assert 'cannot be assigned to parameter "id" of type "int"' in out, out
    assert "3 errors" in out, out


ORM_SNIPPET = """
import datetime as dt

from ferrule import orm


class Author(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=100)
    joined: dt.datetime = orm.Field(auto_now_add=True)


async def use() -> None:
    ada = Author(name="Ada")
    reveal_type(await Author.get(id=1))
    reveal_type(Author.filter(name="Ada"))
    reveal_type(await Author.filter(name="Ada").order_by("-id"))
    reveal_type(await Author.create(name="Bob"))
    reveal_type(await Author.bulk_create([ada]))
    reveal_type(await Author.get_or_none(id=2))
    Author(nope=1)
"""


def test_mypy_sees_the_orm_class_api_and_generated_fields(tmp_path: Path) -> None:
    out = check("mypy", tmp_path, "check_orm.py", ORM_SNIPPET)
    assert 'Revealed type is "check_orm.Author"' in out, out
    assert 'Revealed type is "ferrule.orm.queryset.QuerySet[check_orm.Author]"' in out, out
    assert 'Revealed type is "list[check_orm.Author]"' in out, out
    assert 'Revealed type is "check_orm.Author | None"' in out, out
    assert 'Unexpected keyword argument "nope" for "Author"' in out, out
    assert out.count("error:") == 1, out  # the key and joined are not required arguments


@pytest.mark.skipif(not PYRIGHT.exists(), reason="pyright not installed (needs npm; see Makefile)")
def test_pyright_sees_the_orm_class_api_and_generated_fields(tmp_path: Path) -> None:
    out = check("pyright", tmp_path, "check_orm.py", ORM_SNIPPET)
    assert 'is "QuerySet[Author]"' in out and 'is "list[Author]"' in out, out
    assert 'is "Author | None"' in out, out
    assert 'No parameter named "nope"' in out, out
    assert out.count(" error:") == 2, out  # "nope", and "name" missing on that same call
