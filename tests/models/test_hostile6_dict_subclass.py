"""A dict subclass given to ``model_validate``, its reading methods overridden: pydantic reads
each field with its ``get`` and the extra keys by iterating it, as the pure twin does. The
native core read the dict's own storage (``DictSource``: ``PyDict_Next`` and
``PyDict_GetItem``) for any dict subclass, so the two cores built different instances from
one input (``get`` answering "from get": the twin's fields said so, the native core's the
stored values), and refused different extra keys. It now reads such a subclass through its
methods (``source::read_through_methods``); a subclass that overrides none of them is still
read as a dict."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import ConfigDict, Model, ValidationError


class _Getting(dict[str, Any]):
    def get(self, key: Any, default: Any = None) -> Any:
        return "from get"


class _Iterating(dict[str, Any]):
    def __iter__(self) -> Any:
        return iter(["a", "zz"])

    def keys(self) -> Any:
        return ["a", "zz"]

    def items(self) -> Any:
        return [("a", "items"), ("zz", 1)]


class Pair(Model):
    a: str = ""
    c: str = ""


class Closed(Model):
    model_config = ConfigDict(extra="forbid")
    a: str = ""


def test_fields_are_read_with_the_subclass_get() -> None:
    assert Pair.model_validate(_Getting(a="real", c="realc")) == Pair(a="from get", c="from get")


def test_extra_keys_are_the_subclass_own() -> None:
    with pytest.raises(ValidationError) as caught:
        Closed.model_validate(_Iterating(a="real", x=1))
    assert [e["loc"] for e in caught.value.errors()] == [("zz",)]


def test_a_plain_dict_subclass_reads_as_a_dict() -> None:
    class Plain(dict[str, Any]):
        pass

    assert Pair.model_validate(Plain(a="x", c="y")) == Pair(a="x", c="y")
