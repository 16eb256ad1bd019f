"""mypy understands generic models, RootModel (``root`` positional) and PrivateAttr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ferrule

SNIPPET = """
from typing import Generic, TypeVar

from ferrule import Model, PrivateAttr, RootModel

T = TypeVar("T")


class User(Model):
    name: str


class Page(Model, Generic[T]):
    items: list[T]
    total: int
    _cache: dict[str, int] = PrivateAttr(default_factory=dict)


class Pets(RootModel[list[str]]):
    pass


page = Page[User](items=[User(name="a")], total=1)
reveal_type(page.items)
reveal_type(Page[User].model_validate({}))
reveal_type(Pets(["a"]).root)
reveal_type(RootModel[int](root=3).root)
reveal_type(page._cache)
Pets(1)
"""


def test_mypy_sees_generics_root_models_and_private_attributes(tmp_path: Path) -> None:
    path = tmp_path / "check_generics.py"
    path.write_text(SNIPPET)
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)]
    # the ferrule being tested, wherever it is imported from
    env = {**os.environ, "MYPYPATH": str(Path(ferrule.__file__).parents[1])}
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env
    )
    out = result.stdout
    assert 'Revealed type is "list[check_generics.User]"' in out, out
    assert 'Revealed type is "check_generics.Page[check_generics.User]"' in out, out
    assert 'Revealed type is "list[str]"' in out, out
    assert 'Revealed type is "int"' in out, out
    assert 'Revealed type is "dict[str, int]"' in out, out
    assert 'Argument 1 to "Pets" has incompatible type "int"; expected "list[str]"' in out, out
    assert out.count("error:") == 1, out
