"""How many arguments a user validator takes, read once when its class or type is compiled.

pydantic's rule: the positional parameters without a default are counted (the first, the value,
counts even with one); one more than the mode's own arguments means the function also takes a
`ValidationInfo`. ``before``/``after``/``plain`` take ``(value[, info])``, ``wrap`` takes
``(value, handler[, info])``. A function whose signature cannot be read (some builtins) gets no
info; any other count is a `SchemaError` at definition, never a failure at the first call.
"""

from __future__ import annotations

import inspect
from typing import Any

from ferrule.errors import SchemaError

__all__ = ["needs_info", "plain_leaf", "takes_info"]

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def takes_info(function: Any, mode: str, where: str) -> bool:
    """Whether ``function`` (already bound: no ``cls``/``self`` left) takes the info argument."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # no signature to read: called with the value alone
        return False
    parameters = list(signature.parameters.values())
    count = sum(
        1
        for index, parameter in enumerate(parameters)
        if parameter.kind in _POSITIONAL
        and (index == 0 or parameter.default is inspect.Parameter.empty)
    )
    own = 2 if mode == "wrap" else 1
    for wanted_count in (own + 1, own):  # pydantic's count, checked by a trial bind
        if count == wanted_count and _binds(signature, wanted_count):
            return wanted_count > own
    if count not in (own, own + 1) and _binds(signature, own):
        return False  # ``(*values)`` and the like: called with the mode's own arguments
    wanted = "(value, handler[, info])" if mode == "wrap" else "(value[, info])"
    raise SchemaError(
        f"{where}: a {mode} validator is called as {wanted}, so {signature} cannot be used"
    )


def _binds(signature: inspect.Signature, count: int) -> bool:
    try:
        signature.bind(*([None] * count))
    except TypeError:
        return False
    return True


_CHILDREN = ("schema", "items", "choices", "keys", "values")
_CHILDREN_SET = frozenset(_CHILDREN)


def needs_info(schema: Any) -> bool:
    """Whether a function in ``schema`` takes info, nested models aside (they keep their own)."""
    if isinstance(schema, list):
        return any(needs_info(item) for item in schema)
    if not isinstance(schema, dict) or schema.get("type") == "model":
        return False
    if schema.get("info") and str(schema.get("type", "")).startswith("function_"):
        return True
    if _CHILDREN_SET.isdisjoint(schema):  # a leaf (`int`, `str`): most fields
        return False
    for key in _CHILDREN:  # noqa: SIM110 - a loop, not any(): asked of every field of every class
        if key in schema and needs_info(schema[key]):
            return True
    return False


def plain_leaf(schema: Any) -> bool:
    """A schema dict with nothing nested and no ``info`` (`int`, `str` with options): what
    `needs_info` answers False for, told without the call (asked of every field of a class)."""
    return type(schema) is dict and "info" not in schema and _CHILDREN_SET.isdisjoint(schema)
