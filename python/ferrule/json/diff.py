"""``diff(a, b)``: a JSON Patch that turns ``a`` into ``b``.

Small rather than minimal: the patch changes the deepest nodes that differ. Objects get a
``remove`` per member only in ``a``, an ``add`` per member only in ``b`` and a diff of each
common member (an object with no member in common is replaced whole). Arrays keep their common
prefix and suffix; the elements between are diffed pairwise and the longer side's extra elements
removed (from the last) or added (in order). No longest-common-subsequence search: when an
array changes at both ends (an insertion at the front and a change at the back, say), each
element between is diffed against the one at its position, which can be many operations.

The result is exact, not only JSON-equal: ``1`` and ``1.0``, ``0.0`` and ``-0.0`` differ here
(`equal` with ``exact=True``), so the patched document writes the same JSON text as ``b``
(member order aside). ``true`` and ``1`` always differ. Values in the patch are copies: it
shares nothing mutable with ``b``. Iterative and bounded by `_value.MAX_DEPTH`; parts of ``a``
and ``b`` that are the same object are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ferrule.json import _value
from ferrule.json.pointer import escape

__all__ = ["diff"]

#: (value in a, value in b, location); a location is built as it is walked, as a chain
#: (parent location, member name or array index), None for the root, and only written out as
#: pointer text for an operation (so walking a deep document costs no text per level).
_Child = tuple[Any, Any, Any]


def _text(path: Any) -> str:
    parts: list[str] = []
    while path is not None:
        path, token = path
        parts.append(escape(token) if type(token) is str else str(token))
    return "".join("/" + part for part in reversed(parts))


def _same(x: Any, y: Any) -> bool:
    return x is y or _value.equal(x, y, exact=True)


def _replace(path: Any, value: Any) -> dict[str, Any]:
    return {"op": "replace", "path": _text(path), "value": _value.copy(value)}


def _object_children(
    path: Any, a: dict[str, Any], b: dict[str, Any], ops: list[dict[str, Any]]
) -> Iterator[_Child]:
    for key, value in a.items():
        other = b.get(key, _MISSING)
        if other is _MISSING:
            ops.append({"op": "remove", "path": _text((path, key))})
        else:
            yield value, other, (path, key)
    for key, value in b.items():
        if key not in a:
            ops.append({"op": "add", "path": _text((path, key)), "value": _value.copy(value)})


def _array_children(
    path: Any, a: list[Any], b: list[Any], ops: list[dict[str, Any]]
) -> Iterator[_Child]:
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and _same(a[start], b[start]):
        start += 1
    while end_a > start and end_b > start and _same(a[end_a - 1], b[end_b - 1]):
        end_a -= 1
        end_b -= 1
    paired = min(end_a, end_b) - start
    for index in range(start, start + paired):
        yield a[index], b[index], (path, index)
    for index in range(end_a - 1, start + paired - 1, -1):
        ops.append({"op": "remove", "path": _text((path, index))})
    for index in range(start + paired, end_b):
        ops.append({"op": "add", "path": _text((path, index)), "value": _value.copy(b[index])})


_MISSING: Any = object()


def diff(a: Any, b: Any) -> list[dict[str, Any]]:
    """A JSON Patch (a list of operation dicts) such that ``apply_patch(a, diff(a, b))`` is
    ``b``. Raises `JSONError` for a part of ``a`` or ``b`` that it reads and is not JSON."""
    ops: list[dict[str, Any]] = []
    stack: list[Iterator[_Child]] = []
    children: Iterator[_Child] = iter(((a, b, None),))
    while True:
        for x, y, path in children:
            kind_x = _value.kind(x)
            if x is y:
                continue
            kind_y = _value.kind(y)
            if kind_x != kind_y:
                ops.append(_replace(path, y))
                continue
            if kind_x == "object":
                _value.check_keys(x)
                _value.check_keys(y)
                if x and y and x.keys().isdisjoint(y.keys()):
                    ops.append(_replace(path, y))
                    continue
                frame = _object_children(path, x, y, ops)
            elif kind_x == "array":
                frame = _array_children(path, x, y, ops)
            else:
                if not _value.equal(x, y, exact=True):
                    ops.append(_replace(path, y))
                continue
            if len(stack) >= _value.MAX_DEPTH:
                raise _value.too_deep()
            stack.append(children)
            children = frame
            break
        else:
            if not stack:
                return ops
            children = stack.pop()
