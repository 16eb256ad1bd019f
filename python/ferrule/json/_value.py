"""JSON values as Python data, read without trusting them: the kinds, equality and copying that
pointer, patch, merge patch and diff share.

A JSON value is built of exactly these types, as a JSON reader returns them: ``dict`` (with
``str`` keys), ``list``, ``str``, ``int``, ``float`` (finite), ``bool`` and ``None``, and the
finite ``Decimal`` numbers of ``ferrule.json.loads(..., decimal=True)``. Subclasses
(an ``OrderedDict``, an ``IntEnum``, a ``str`` with its own ``__eq__``) and every other type are
rejected with a `JSONError` wherever a value is read: their methods are never called, so an
object whose ``__eq__``, ``__len__`` or ``__iter__`` lies or raises cannot change an answer.
(One exception: following a pointer looks its token up in a dict as Python does, without
reading the dict's other keys; a key of a ``str`` subclass whose hash matches could be asked
``__eq__`` there. Reading the whole dict would make every step cost its size.)

Every walk over a value is iterative (an explicit stack of iterators, one frame per level, so
memory grows with the depth, not the width) and stops at `MAX_DEPTH` nested containers with a
`JSONError`: deep documents never raise `RecursionError`, and a cyclic value (a list that
contains itself) fails instead of looping. Two references to the same object are equal without
being read (``a is b``), which keeps comparisons of shared subtrees cheap.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ferrule.errors import JSONError

#: Nested containers a walk goes through before it gives up (cycles end here too).
MAX_DEPTH = 10_000

#: The kind of each JSON type: ``int``, ``float`` and ``Decimal`` are numbers, ``bool`` is not.
KINDS: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    Decimal: "number",
    bool: "boolean",
    type(None): "null",
}


def kind(value: Any) -> str:
    """The JSON kind of ``value`` ("object", "array", ...), or a `JSONError` if it has none."""
    found = KINDS.get(type(value))
    if found is None:
        raise JSONError(f"a {type(value).__name__} is not a JSON value")
    if found == "number" and type(value) is not int and not _finite(value):
        raise JSONError(f"{value!r} is not a JSON number (JSON has no NaN or infinity)")
    return found


def _finite(number: float | Decimal) -> bool:
    if isinstance(number, Decimal):  # the exact type: kind() looked it up in KINDS
        return number.is_finite()
    return math.isfinite(number)


def too_deep() -> JSONError:
    return JSONError(f"value nested more than {MAX_DEPTH} levels deep (or cyclic)")


def _scalars_equal(x: Any, y: Any, kind_x: str, exact: bool) -> bool:
    if kind_x == "number":
        if not exact:
            return bool(x == y)  # by value, exactly: 2**53 + 1 != 2.0**53, Decimal("0.1") != 0.1
        if type(x) is not type(y) or x != y:
            return False
        if type(x) is Decimal:  # the same digits and exponent: "1.10" is not "1.1"
            return bool(x.as_tuple() == y.as_tuple())
        return type(x) is int or x != 0.0 or math.copysign(1.0, x) == math.copysign(1.0, y)
    if kind_x == "boolean":
        return x is y
    return kind_x == "null" or bool(x == y)


def check_keys(obj: dict[Any, Any]) -> None:
    """A `JSONError` unless every key of ``obj`` is a str."""
    for key in obj:
        if type(key) is not str:
            raise JSONError(f"object keys must be str, not {type(key).__name__}")


def equal(a: Any, b: Any, *, exact: bool = False) -> bool:
    """Whether ``a`` and ``b`` are the same JSON value (RFC 6902 section 4.6).

    Numbers compare by value, so ``1`` equals ``1.0``; booleans are not numbers, so ``True``
    does not equal ``1`` (as Python's ``==`` says). Objects compare as unordered sets of
    members, arrays element by element. With ``exact=True`` numbers must also have the same
    Python type and sign (``1`` vs ``1.0``, ``0.0`` vs ``-0.0`` differ): the values then write
    the same JSON text. Raises `JSONError` for a part that is not a JSON value.
    """
    stack: list[Iterator[tuple[Any, Any]]] = []
    pairs: Iterator[tuple[Any, Any]] = iter(((a, b),))
    while True:
        for x, y in pairs:
            kind_x = kind(x)
            if x is y:
                continue
            kind_y = kind(y)
            if kind_x != kind_y:
                return False
            if kind_x == "object":
                check_keys(x)
                check_keys(y)
                if len(x) != len(y) or x.keys() != y.keys():
                    return False
                frame: Iterator[tuple[Any, Any]] = zip(
                    x.values(), map(y.__getitem__, x), strict=True
                )
            elif kind_x == "array":
                if len(x) != len(y):
                    return False
                frame = zip(x, y, strict=True)
            elif _scalars_equal(x, y, kind_x, exact):
                continue
            else:
                return False
            if len(stack) >= MAX_DEPTH:
                raise too_deep()
            stack.append(pairs)
            pairs = frame
            break
        else:
            if not stack:
                return True
            pairs = stack.pop()


def copy(value: Any) -> Any:
    """A deep copy of a JSON value built of new dicts and lists, checked on the way: the copy
    shares nothing mutable with ``value``. Raises `JSONError` for a part that is not JSON."""
    root_kind = kind(value)
    if root_kind == "object":
        root: Any = {}
    elif root_kind == "array":
        root = []
    else:
        return value
    stack: list[tuple[Iterator[Any], Any]] = []
    items: Iterator[Any] = iter(value.items()) if root_kind == "object" else iter(value)
    target = root
    while True:
        is_object = type(target) is dict
        for item in items:
            if is_object:
                key, child = item
                if type(key) is not str:
                    raise JSONError(f"object keys must be str, not {type(key).__name__}")
            else:
                child = item
            child_kind = kind(child)
            if child_kind == "object":
                new: Any = {}
                child_items: Iterator[Any] = iter(child.items())
            elif child_kind == "array":
                new = []
                child_items = iter(child)
            else:
                new = None
            if is_object:
                target[key] = child if new is None else new
            else:
                target.append(child if new is None else new)
            if new is not None:
                if len(stack) >= MAX_DEPTH:
                    raise too_deep()
                stack.append((items, target))
                items, target = child_items, new
                break
        else:
            if not stack:
                return root
            items, target = stack.pop()
