"""JSON Merge Patch (RFC 7396): a partial document that says what to change.

A patch that is an object is merged member by member: ``null`` removes the member, an object
merges into the member (into ``{}`` if it is not an object), anything else replaces it. A patch
that is not an object (an array, a string, ``null``, ...) replaces the whole target. So a merge
patch cannot set a member to ``null`` nor change part of an array: use JSON Patch for those.

Never changes ``target`` or ``patch``: the objects the patch reaches are copied (one level each),
values from the patch are deep-copied, and everything else is shared with ``target``. Iterative,
bounded by `_value.MAX_DEPTH` like every walk here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ferrule.errors import JSONError
from ferrule.json import _value

__all__ = ["merge_patch"]


def merge_patch(target: Any, patch: Any) -> Any:
    """The result of applying merge ``patch`` to ``target`` (RFC 7396 section 2).

    Raises `JSONError` for a part of either that the merge reads and that is not a JSON value.
    """
    _value.kind(target)
    if type(patch) is not dict:
        return _value.copy(patch)
    result: dict[str, Any] = dict(target) if type(target) is dict else {}
    stack: list[tuple[Iterator[tuple[Any, Any]], dict[str, Any]]] = []
    members: Iterator[tuple[Any, Any]] = iter(patch.items())
    out = result
    while True:
        for name, value in members:
            if type(name) is not str:
                raise JSONError(f"object keys must be str, not {type(name).__name__}")
            if value is None:
                out.pop(name, None)
            elif type(value) is dict:
                current = out.get(name)
                if current is not None:
                    _value.kind(current)
                merged: dict[str, Any] = dict(current) if type(current) is dict else {}
                out[name] = merged
                if len(stack) >= _value.MAX_DEPTH:
                    raise _value.too_deep()
                stack.append((members, out))
                members, out = iter(value.items()), merged
                break
            else:
                out[name] = _value.copy(value)
        else:
            if not stack:
                return result
            members, out = stack.pop()
