"""The reference of the seeded differential test (``test_differential_fields``): a query of
``differential_fields_world`` answered over its rows in plain Python, by the semantics that
test's docstring lists (each rule is ferrule's documented one)."""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import re
import uuid
from fractions import Fraction
from typing import Any

from ferrule.backends.sqlite_functions import unicode_lower

D = decimal.Decimal
UTC = dt.timezone.utc
MEAN_PLACES = 4  # Avg of decimals: the scale + 4 places (arithmetic.decimal_mean)


class World:
    def __init__(self, owners: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        self.owners = {o["id"]: o for o in owners}
        self.rows = rows

    def get(self, row: dict[str, Any], name: str) -> Any:
        if name == "owner":
            return row["owner_id"]
        if name.startswith("owner__"):
            owner = self.owners.get(row["owner_id"])
            return None if owner is None else owner[name.removeprefix("owner__")]
        if name == "js__a":  # what is at the key, JSON null and nothing alike None
            doc = row["js"]
            return doc.get("a") if isinstance(doc, dict) else None
        if "__" in name:
            field, part = name.split("__")
            return _part(row[field], part)
        return row[name]


def _part(value: Any, part: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(UTC)
        if part == "date":
            return value.date()
        if part in ("hour", "minute", "second"):
            return getattr(value, part)
    if part in ("year", "month", "day"):
        return getattr(value, part)
    if part == "week_day":
        return value.isoweekday() % 7 + 1
    if part == "iso_week_day":
        return value.isoweekday()
    if part == "week":
        return value.isocalendar()[1]
    if part == "iso_year":
        return value.isocalendar()[0]
    assert part == "quarter"
    return (value.month - 1) // 3 + 1


def _same_json(a: Any, b: Any) -> bool:
    """Equal as JSON values: numbers by value, true apart from 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return Fraction(a) == Fraction(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


_MISSING = object()


def _json_key(w: World, row: dict[str, Any], lookup: str, value: Any) -> bool:
    doc = row["js"]
    x = doc.get("a", _MISSING) if isinstance(doc, dict) else _MISSING
    if lookup == "isnull":
        return (x is _MISSING) is value
    if x is _MISSING:
        return False
    if lookup == "exact":
        return _same_json(x, value)
    if lookup == "in":
        return any(_same_json(x, v) for v in value)
    number = (int, float)
    if isinstance(value, str) != isinstance(x, str) or isinstance(x, bool) or x is None:
        return False
    if not isinstance(x, (str, *number)):
        return False
    a, b = (x, value) if isinstance(x, str) else (Fraction(x), Fraction(value))
    return bool(a > b) if lookup == "gt" else bool(a < b)


def is_f(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 3 and value[0] == "F"


def _f_value(w: World, row: dict[str, Any], value: Any) -> Any:
    """An ("F", name, shift) of a row (None where it is NULL); other values as they are."""
    if not is_f(value):
        return value
    _, other, shift = value
    found = w.get(row, other)
    return found + shift if found is not None and shift else found


def subquery_values(w: World, source: str, field: str, where: Any) -> list[Any]:
    """The values of ``field`` of the subquery's rows (NULLs included)."""
    rows = w.rows if source == "rows" else list(w.owners.values())
    if where is not None:
        name, lookup, bound = where
        if lookup == "isnull":
            rows = [r for r in rows if (r[name] is None) is bound]
        else:
            test = {"gt": operator.gt, "gte": operator.ge}[lookup]
            rows = [r for r in rows if r[name] is not None and test(r[name], bound)]
    return [r[field] for r in rows]


def match(w: World, row: dict[str, Any], leaf: tuple[str, str, Any]) -> bool:
    name, lookup, value = leaf
    if name == "js__a":
        return _json_key(w, row, lookup, value)
    x = w.get(row, name)
    if isinstance(value, tuple) and value and value[0] == "X":
        value = [value[2]] if lookup == "in" else value[2]
    if isinstance(value, tuple) and value and value[0] == "SUB":
        value = subquery_values(w, *value[1:])
    if is_f(value):
        value = _f_value(w, row, value)
        if value is None:
            return False
    elif lookup in ("in", "range"):
        value = [_f_value(w, row, v) for v in value]
        if lookup == "range" and None in value:
            return False
    if lookup == "isnull":
        return (x is None) is value
    if lookup == "exact" and value is None:
        return x is None
    if x is None:
        return False
    json = name == "js"
    if lookup == "exact":
        return _same_json(x, value) if json else bool(x == value)
    if lookup == "in":
        same = _same_json if json else (lambda a, b: a == b)
        return any(same(x, v) for v in value if v is not None)
    if isinstance(x, uuid.UUID):
        x, value = x.int, (tuple(v.int for v in value) if lookup == "range" else value.int)
    if lookup == "range":
        return bool(value[0] <= x <= value[1])
    ops = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
    if lookup in ops:
        return bool(ops[lookup](x, value))
    if lookup == "regex":
        return re.search(value, x) is not None
    if lookup == "iregex":
        return re.search(value, x, re.IGNORECASE) is not None
    a, b = unicode_lower(x), unicode_lower(value)
    if not lookup.startswith("i"):
        a, b = x, value
    test = lookup.removeprefix("i")
    if test == "exact":
        return bool(a == b)
    if test == "contains":
        return b in a
    if test == "startswith":
        return bool(a.startswith(b))
    return bool(a.endswith(b))


def holds(w: World, row: dict[str, Any], cond: Any) -> bool:
    kind, body = cond
    if kind == "leaf":
        return match(w, row, body)
    if kind == "not":
        return not holds(w, row, body)
    if kind == "kw":
        return all(match(w, row, leaf) for leaf in body)
    left, right = (holds(w, row, c) for c in body)
    if kind == "xor":
        return left != right
    return (left and right) if kind == "and" else (left or right)


def sort_key(value: Any) -> Any:
    """NULL smallest; a UUID by its number; a datetime as an instant."""
    if value is None:
        return (0, 0)
    if isinstance(value, uuid.UUID):
        return (1, value.int)
    return (1, value)


def ordered(w: World, rows: list[dict[str, Any]], order: tuple[str, ...]) -> list[dict[str, Any]]:
    out = sorted(rows, key=lambda r: r["id"])
    for term in reversed(order):
        name = term.lstrip("-")
        out.sort(key=lambda r, n=name: sort_key(w.get(r, n)), reverse=term.startswith("-"))
    return out


def kept_rows(w: World, q: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in w.rows if all(holds(w, r, c) == (k == "filter") for k, c in q["steps"])]


def aggregate(
    w: World, rows: list[dict[str, Any]], function: str, field: str, distinct: bool = False
) -> Any:
    values = [w.get(r, field) for r in rows]
    values = [v for v in values if v is not None]
    if distinct:  # equal values once (an aware datetime as an instant, JSON as JSON)
        unique: list[Any] = []
        for v in values:
            if not any(_same_json(v, u) if field == "js" else v == u for u in unique):
                unique.append(v)
        values = unique
    if function == "count":
        return len(values)
    if not values:
        return None
    if function in ("min", "max"):
        pick = min if function == "min" else max
        return pick(values, key=sort_key)
    total = sum(values[1:], values[0])
    if function == "sum":
        return total
    exact = Fraction(total) / len(values)
    if isinstance(total, D):
        with decimal.localcontext() as ctx:
            ctx.prec = 50
            unit = D(1).scaleb(-(2 + MEAN_PLACES))
            return (D(exact.numerator) / D(exact.denominator)).quantize(unit, decimal.ROUND_HALF_UP)
    return float(exact)


def same(a: Any, b: Any, json: bool = False) -> bool:
    if json:
        return _same_json(a, b) if a is not None and b is not None else a is b
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and a == b
    return bool(a == b)


def same_rows(found: list[Any], want: list[Any], names: tuple[str, ...]) -> bool:
    if len(found) != len(want):
        return False
    return all(
        same(x, y, n == "js")
        for f_row, w_row in zip(found, want, strict=True)
        for x, y, n in zip(f_row, w_row, names, strict=True)
    )
