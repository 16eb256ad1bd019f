"""Every annotation ferrule cannot validate is a `SchemaError` when the class (or the
`TypeAdapter`) is made, never a field silently accepted."""

from __future__ import annotations

import array
import collections
import collections.abc as abc
import datetime
import fractions
import types
import typing
from typing import Any

import pytest

import ferrule
from ferrule import TypeAdapter
from ferrule.errors import SchemaError


class Opaque:
    """A class ferrule knows nothing about (no arbitrary types allowed)."""


UNSUPPORTED: list[Any] = [
    collections.defaultdict[str, int],
    collections.defaultdict,
    collections.ChainMap[str, int],
    abc.Callable,
    typing.Callable[[int], int],
    typing.Optional[abc.Callable],  # noqa: UP045 - the typing spelling on purpose
    typing.Generator[int, None, None],
    abc.Iterator[int],
    typing.AsyncIterable[int],
    typing.Awaitable[int],
    typing.Hashable,
    typing.Sized,
    typing.Container[int],
    abc.Reversible[int],
    type[int],
    typing.Type[int],  # noqa: UP006 - the typing spelling on purpose
    memoryview,
    complex,
    bytearray,
    fractions.Fraction,
    datetime.tzinfo,
    datetime.timezone,
    array.array,
    types.SimpleNamespace,
    slice,
    range,
    Opaque,
    typing.Union[int, Opaque],  # noqa: UP007 - the typing spelling on purpose
    list[Opaque],
    dict[Opaque, int],
    typing.Literal[1.5],
]


@pytest.mark.parametrize("annotation", UNSUPPORTED, ids=repr)
def test_type_adapter_refuses(annotation: Any) -> None:
    with pytest.raises(SchemaError):
        TypeAdapter(annotation)


@pytest.mark.parametrize("annotation", UNSUPPORTED, ids=repr)
def test_class_definition_refuses(annotation: Any) -> None:
    with pytest.raises(SchemaError):
        type("Holder", (ferrule.Model,), {"__annotations__": {"value": annotation}})


def test_new_type_is_its_supertype() -> None:
    user_id = typing.NewType("user_id", int)
    assert TypeAdapter(user_id).validate_python("3") == 3
