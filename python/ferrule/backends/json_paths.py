"""What a lookup inside a JSON value answers, in Python: the reference the ORM's JSON lookups
follow on every database (``orm.json_keys`` has the rules), and, as the SQL function
``json_lookup(document, path, lookup, argument)`` of ferrule's SQLite connections, the way
SQLite answers them (its own JSON functions lose big numbers and cannot address every key).

``document`` is stored JSON text (or a number, which SQLite's numeric affinity made of one);
``path`` is JSON text of a list whose strings are object keys and whose ints are array
indexes; ``argument`` is JSON text of the lookup's value. Numbers are read as exact decimals.
"""

from __future__ import annotations

import decimal
import json
from typing import Any

__all__ = ["MISSING", "answer", "contains", "equal", "load", "load_plain", "value_at"]

#: nothing at the path
MISSING: Any = object()


def load(text: Any) -> Any:
    """The JSON value of stored text, numbers as ints and Decimals."""
    if isinstance(text, bytes):
        text = text.decode()
    if isinstance(text, str):
        return json.loads(text, parse_float=decimal.Decimal, parse_constant=decimal.Decimal)
    if isinstance(text, float):
        return decimal.Decimal(repr(text))
    if isinstance(text, int):
        return text
    raise ValueError(f"a {type(text).__name__} is not JSON text")


def load_plain(text: Any) -> Any:
    """`load`, numbers as Python reads JSON (floats as floats), to be written out again."""
    if isinstance(text, (str, bytes)):
        return json.loads(text)
    if isinstance(text, (int, float)):
        return text
    raise ValueError(f"a {type(text).__name__} is not JSON text")


def value_at(document: Any, path: list[Any]) -> Any:
    """The value at ``path`` (keys and indexes), or MISSING."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(document, list) or part >= len(document):
                return MISSING
        elif not isinstance(document, dict) or part not in document:
            return MISSING
        document = document[part]
    return document


def _number(value: Any) -> bool:
    return isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool)


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def equal(a: Any, b: Any) -> bool:
    """Equal as JSON values: numbers by exact value, ``true`` apart from ``1``."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if _number(a) or _number(b):
        return _number(a) and _number(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(equal, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return False


def contains(a: Any, b: Any, top: bool = True) -> bool:
    """``a @> b`` as PostgreSQL's ``jsonb`` answers it: an object contains an object whose
    keys it has with contained values; an array contains an array whose every element is equal
    to (a scalar) or contained in (an array or object of the same kind) one of its elements; a
    top-level array contains a scalar it holds; a scalar contains an equal scalar."""
    if isinstance(b, dict):
        return isinstance(a, dict) and all(k in a and _inside(a[k], v) for k, v in b.items())
    if isinstance(b, list):
        return isinstance(a, list) and all(_element_in(a, item) for item in b)
    if top and isinstance(a, list):
        return any(_scalar(x) and equal(x, b) for x in a)
    return _scalar(a) and equal(a, b)


def _inside(a: Any, b: Any) -> bool:
    if _scalar(a) or _scalar(b):
        return _scalar(a) and _scalar(b) and equal(a, b)
    return type(a) is type(b) and contains(a, b, top=False)


def _element_in(array: list[Any], item: Any) -> bool:
    if _scalar(item):
        return any(_scalar(x) and equal(x, item) for x in array)
    return any(type(x) is type(item) and contains(x, item, top=False) for x in array)


def _ordered(lookup: str, a: Any, b: Any) -> bool:
    same = (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str))
    if not same:
        return False
    if lookup == "gt":
        return bool(a > b)
    if lookup == "gte":
        return bool(a >= b)
    if lookup == "lt":
        return bool(a < b)
    return bool(a <= b)


def _text(lookup: str, a: Any, b: Any) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    if lookup.startswith("i"):
        from ferrule.backends.sqlite_functions import unicode_lower  # it imports this module

        a, b = unicode_lower(a), unicode_lower(b)
    text: str = a
    sought: str = b
    kind = lookup.removeprefix("i")
    if kind == "exact":
        return text == sought
    if kind == "contains":
        return sought in text
    if kind == "startswith":
        return text.startswith(sought)
    return text.endswith(sought)


_TEXT = frozenset({"iexact", "icontains", "startswith", "istartswith", "endswith", "iendswith"})


def answer(document: Any, path: list[Any], lookup: str, argument: Any) -> bool:
    """Whether ``lookup`` with ``argument`` (a loaded value) holds at ``path`` in
    ``document`` (a loaded value, or MISSING for SQL NULL)."""
    at = MISSING if document is MISSING else value_at(document, path)
    if lookup in ("has_key", "has_keys", "has_any_keys"):
        keys = [argument] if lookup == "has_key" else argument
        found = [isinstance(at, dict) and k in at for k in keys]
        return any(found) if lookup == "has_any_keys" else all(found)
    if lookup == "isnull":
        return (at is MISSING) is bool(argument)
    if at is MISSING:
        return False
    if lookup == "exact":
        return equal(at, argument)
    if lookup == "in":
        return any(equal(at, v) for v in argument)
    if lookup in ("gt", "gte", "lt", "lte"):
        return _ordered(lookup, at, argument)
    if lookup == "contains":
        return contains(at, argument)
    if lookup == "contained_by":
        return contains(argument, at)
    if lookup in _TEXT:
        return _text(lookup, at, argument)
    raise ValueError(f"json_lookup(): unknown lookup {lookup!r}")
