"""Input keys that are str subclasses are read as the text they hold (their ``__eq__`` and
``__hash__`` never decide which field they fill). Beside a plain str key of the same text,
which one gave the field depended on the core and on unrelated keys: the pure twin took the
later key, the native core's dict reader the plain key when it came where the field was
expected and else the later key (``{"x": 0, "name": "a", S("name"): "b"}`` gave "b",
``{"name": "a", S("name"): "b"}`` gave "a"), its keyword reader the first key of that text.
The rule now: a plain str key wins (pydantic's lookup by hash finds only it), then the later
subclass key."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import Model


class Lying(str):
    """A key that hashes and compares as no other key."""

    def __hash__(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return False


class Named(Model):
    name: str = ""
    x: int = 0


_RUNTIME_NAME = "".join(["na", "me"])  # a plain str that is not the interned field name

CASES: dict[str, tuple[dict[Any, Any], str]] = {
    "plain first": ({"name": "a", Lying("name"): "b"}, "a"),
    "plain first, after another key": ({"x": 0, "name": "a", Lying("name"): "b"}, "a"),
    "plain last": ({Lying("name"): "b", "name": "a"}, "a"),
    "plain last, not interned": ({Lying("name"): "b", _RUNTIME_NAME: "a"}, "a"),
    "two subclass keys": ({Lying("name"): "b", Lying("name"): "c"}, "c"),
    "one subclass key": ({Lying("name"): "b"}, "b"),
}


def _params() -> list[Any]:
    return [
        pytest.param(label, path, id=f"{label}-{path}")
        for label in CASES
        for path in ("dict", "keywords")
    ]


@pytest.mark.parametrize(("label", "path"), _params())
def test_a_field_takes_the_plain_key_then_the_later_subclass_key(label: str, path: str) -> None:
    given, expected = CASES[label]
    made = Named.model_validate(given) if path == "dict" else Named(**given)
    assert made.name == expected
