"""JSON Merge Patch (RFC 7396): a partial document that says what to change.

A patch that is an object is merged member by member: ``null`` removes the member, an object
merges into the member (into ``{}`` if it is not an object), anything else replaces it. A patch
that is not an object (an array, a string, ``null``, ...) replaces the whole target. So a merge
patch cannot set a member to ``null`` nor change part of an array: use JSON Patch for those.

``merge_diff(a, b)`` goes the other way: the merge patch from ``a`` to ``b``, when there is one.

Never changes ``target`` or ``patch``: the objects the patch reaches are copied (one level each),
values from the patch are deep-copied, and everything else is shared with ``target``. Iterative,
bounded by `_value.MAX_DEPTH` like every walk here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ferrule.errors import JSONError
from ferrule.json import _value
from ferrule.json.pointer import escape

__all__ = ["merge_diff", "merge_patch"]

_MISSING: Any = object()


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


def merge_diff(a: Any, b: Any) -> Any:
    """A merge patch that turns ``a`` into ``b``: ``merge_patch(a, merge_diff(a, b))`` is ``b``.

    Members only in ``a`` become ``null``, changed members their new value (objects in both are
    diffed member by member), equal members are left out; a ``b`` that is not an object is the
    patch itself. Exact like `diff` (``1`` vs ``1.0`` is a change). A ``null`` member that the
    patch would have to write (not one ``a`` already has) cannot be said in a merge patch: that
    is a `JSONError` naming it (use `diff` and JSON Patch instead).
    """
    _value.kind(a)
    if type(b) is not dict:
        return _value.copy(b)
    if type(a) is not dict:
        return _new_value(b, "")
    patch: dict[str, Any] = {}
    stack: list[_Frame] = []
    frame = _frame(a, b, patch, "", "")
    while True:
        members, old, out, where, _ = frame
        for name, value in members:
            current = old.get(name, _MISSING)
            at = f"{where}/{escape(name)}"
            if type(value) is dict and type(current) is dict:
                if value is current:
                    continue
                if len(stack) >= _value.MAX_DEPTH:
                    raise _value.too_deep()
                nested: dict[str, Any] = {}
                out[name] = nested
                stack.append(frame)
                frame = _frame(current, value, nested, at, name)
                break
            if current is not _MISSING and _value.equal(current, value, exact=True):
                continue
            if value is None:
                raise _null_member(at)
            out[name] = _new_value(value, at)
        else:
            if not stack:
                return patch
            finished, frame = frame, stack.pop()
            if not finished[2]:
                del frame[2][finished[4]]  # an object without changes needs no patch


#: One object being diffed: (members of b's object, a's object, its patch, its location, its
#: name in the parent's patch).
_Frame = tuple[Iterator[tuple[Any, Any]], dict[str, Any], dict[str, Any], str, str]


def _frame(old: Any, new: Any, out: dict[str, Any], where: str, name: str) -> _Frame:
    _value.check_keys(old)
    _value.check_keys(new)
    for member in old:
        if member not in new:
            out[member] = None
    return (iter(new.items()), old, out, where, name)


def _new_value(value: Any, where: str) -> Any:
    """A copy of ``value`` to write where no object is merged into: merging then turns it into
    itself only if none of its objects (outside arrays) has a ``null`` member."""
    copied = _value.copy(value)  # checked, acyclic and bounded from here on
    stack = [(copied, where)] if type(copied) is dict else []
    while stack:
        node, at = stack.pop()
        for name, item in node.items():
            if item is None:
                raise _null_member(f"{at}/{escape(name)}")
            if type(item) is dict:
                stack.append((item, f"{at}/{escape(name)}"))
    return copied


def _null_member(where: str) -> JSONError:
    return JSONError(
        f"a merge patch cannot set the member at {where!r} to null (null removes a member); "
        "use diff() and a JSON Patch"
    )
