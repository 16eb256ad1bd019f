"""A dict subclass given to ``model_validate``, its reading methods overridden: pydantic reads
each field with its ``get`` and the extra keys by iterating it, as the pure twin does. The
native core reads the dict's own storage (``DictSource``: ``PyDict_Next`` and
``PyDict_GetItem``) for any dict subclass, so the two cores build different instances from
one input (``get`` answering "from get": the twin's fields say so, the native core's the
stored values), and refuse different extra keys."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import ConfigDict, Model, ValidationError
from ferrule.models._core import PURE_PYTHON

NATIVE_READS_STORAGE = pytest.mark.xfail(
    not PURE_PYTHON,
    strict=True,
    reason="needs Rust: src/validate/model/mod.rs build_from sends a dict subclass to "
    "DictSource (its storage); pydantic and the pure twin read its fields with get() and its "
    "extra keys by iterating it: a subclass (not downcast_exact) overriding get, __getitem__, "
    "keys, items or __iter__ should take the Mapping path's reads",
)


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


@NATIVE_READS_STORAGE
def test_fields_are_read_with_the_subclass_get() -> None:
    assert Pair.model_validate(_Getting(a="real", c="realc")) == Pair(a="from get", c="from get")


@NATIVE_READS_STORAGE
def test_extra_keys_are_the_subclass_own() -> None:
    with pytest.raises(ValidationError) as caught:
        Closed.model_validate(_Iterating(a="real", x=1))
    assert [e["loc"] for e in caught.value.errors()] == [("zz",)]


def test_a_plain_dict_subclass_reads_as_a_dict() -> None:
    class Plain(dict[str, Any]):
        pass

    assert Pair.model_validate(Plain(a="x", c="y")) == Pair(a="x", c="y")
