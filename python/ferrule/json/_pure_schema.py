"""The pure-Python twin of the native JSON Schema validator: it runs the same plan (see
`_schema_plan`) in the same order, so both cores give the same answers and the same errors.

A core error is ``(loc, keyword, input, ctx)``: the path of the failing value as tokens, the
keyword that failed, the value itself, and the keyword's context (``None`` when it has none).
``is_valid`` stops at the first failure; ``errors`` walks on and collects them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ferrule.errors import JSONError
from ferrule.json._schema_plan import MAX_DEPTH, Plan

__all__ = ["PureSchema", "check_format", "is_multiple", "json_kind"]

CoreError = tuple[tuple[str | int, ...], str, Any, "dict[str, Any] | None"]

_INF = float("inf")


def json_kind(value: Any) -> str:
    """The JSON type of ``value`` ("integer" for an int), or a `JSONError` if it is not JSON."""
    t = type(value)
    if t is str:
        return "string"
    if t is dict:
        return "object"
    if t is list:
        return "array"
    if t is bool:
        return "boolean"
    if t is int:
        return "integer"
    if t is float:
        if value != value or value in (_INF, -_INF):
            raise JSONError(f"{value!r} is not a JSON number (JSON has no NaN or infinity)")
        return "number"
    if value is None:
        return "null"
    if t is Decimal:
        if not value.is_finite():
            raise JSONError(f"{value!r} is not a JSON number (JSON has no NaN or infinity)")
        return "number"
    raise JSONError(f"a {t.__name__} is not a JSON value")


def _is_integral(value: Any, kind: str) -> bool:
    if kind == "integer":
        return True
    if type(value) is float:
        return value.is_integer()
    return bool(value == value.to_integral_value())


def _decimal(number: Any) -> tuple[int, int]:
    """``number`` as (mantissa, exponent), exactly: a float by its shortest repr."""
    d = Decimal(repr(number)) if type(number) is float else Decimal(number)
    sign, digits, exponent = d.as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    return (-mantissa if sign else mantissa), int(exponent)


def is_multiple(value: Any, divisor: Any) -> bool:
    """Whether ``value / divisor`` is an integer, in exact decimal arithmetic (``0.3`` is a
    multiple of ``0.1``): floats count as the decimal their shortest repr writes."""
    a, ea = _decimal(value)
    b, eb = _decimal(divisor)
    if a == 0:
        return True
    if ea >= eb:
        return bool(a * pow(10, ea - eb, abs(b)) % b == 0)
    if eb - ea > len(str(abs(a))):
        return False
    return bool(a % (b * 10 ** (eb - ea)) == 0)


def json_equal(x: Any, y: Any, depth: int = 0) -> bool:
    """JSON equality: numbers by value (``1 == 1.0``), booleans apart from numbers, objects
    without order. ``y`` is walked; ``x`` is read where ``y`` leads (a `JSONError` for a part
    of it that is not JSON)."""
    if depth > MAX_DEPTH:
        raise JSONError(f"value nested more than {MAX_DEPTH} levels deep")
    kx, ky = json_kind(x), json_kind(y)
    if kx in ("integer", "number"):
        return ky in ("integer", "number") and bool(x == y)
    if kx != ky:
        return False
    if kx == "object":
        if len(x) != len(y):
            return False
        for key, value in y.items():
            if key not in x or not json_equal(x[key], value, depth + 1):
                return False
        return True
    if kx == "array":
        if len(x) != len(y):
            return False
        return all(json_equal(a, b, depth + 1) for a, b in zip(x, y, strict=True))
    return kx == "null" or x == y


# --- formats -------------------------------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IPV4 = re.compile(
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def _days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _date(text: str) -> bool:
    m = _DATE.fullmatch(text)
    if m is None:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    return 1 <= month <= 12 and 1 <= day <= _days(year, month)


def _time(text: str) -> bool:
    m = _TIME.fullmatch(text)
    if m is None:
        return False
    hour, minute, second = int(m[1]), int(m[2]), int(m[3])
    offset = 0
    if m[4] is not None:
        oh, om = int(m[5]), int(m[6])
        if oh > 23 or om > 59:
            return False
        offset = (oh * 60 + om) * (1 if m[4] == "+" else -1)
    if hour > 23 or minute > 59 or second > 60:
        return False
    # a leap second is 23:59:60 in UTC
    return second < 60 or (hour * 60 + minute - offset) % 1440 == 1439


def _email(text: str) -> bool:
    local, at, domain = text.rpartition("@")
    if not at or len(local) > 64 or _ATOM.fullmatch(local) is None:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return _IPV4.fullmatch(domain[1:-1]) is not None
    labels = domain.split(".")
    return len(domain) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _uri(text: str) -> bool:
    scheme, colon, rest = text.partition(":")
    if not colon or _SCHEME.fullmatch(scheme) is None or _URI_CHARS.fullmatch(rest) is None:
        return False
    if rest.count("#") > 1:
        return False
    if rest.startswith("//"):
        end = len(rest)
        for stop in "/?#":
            found = rest.find(stop, 2)
            if found != -1:
                end = min(end, found)
        authority, tail = rest[2:end], rest[end:]
        userinfo, _, host = authority.rpartition("@")
        if "[" in userinfo or "]" in userinfo:
            return False
        if host.startswith("["):
            close = host.find("]")
            if close == -1 or "[" in host[1:] or (host[close + 1 :] and host[close + 1] != ":"):
                return False
            port = host[close + 2 :]
        else:
            if "[" in host or "]" in host:
                return False
            port = host.rpartition(":")[2] if ":" in host else ""
        if not port.isascii() or not (port == "" or port.isdigit()):
            return False
        rest = tail
    return "[" not in rest and "]" not in rest


_FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _date,
    "time": _time,
    "date-time": lambda t: len(t) > 11 and t[10] in "Tt" and _date(t[:10]) and _time(t[11:]),
    "email": _email,
    "uri": _uri,
    "uuid": lambda t: _UUID.fullmatch(t) is not None,
}


def check_format(name: str, text: str) -> bool:
    """Whether ``text`` is valid for the format ``name`` (one of the plan's `FORMATS`)."""
    return bool(_FORMAT_CHECKS[name](text))


# --- the validator -------------------------------------------------------------------------


class PureSchema:
    """A plan ready to run: patterns compiled once."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.patterns: dict[str, re.Pattern[str]] = {}
        for node in plan:
            if type(node) is not list:
                continue
            for keyword, arg in node:
                if keyword == "pattern":
                    self._regex(arg)
                elif keyword == "patternProperties":
                    for pattern, _ in arg:
                        self._regex(pattern)

    def _regex(self, pattern: str) -> None:
        self.patterns[pattern] = re.compile(pattern)

    def is_valid(self, value: Any) -> bool:
        try:
            return self._eval(0, value, [], None, 0)
        except RecursionError:  # a caller already deep in Python's own limit
            raise _too_deep() from None

    def errors(self, value: Any) -> list[CoreError]:
        out: list[CoreError] = []
        try:
            self._eval(0, value, [], out, 0)
        except RecursionError:
            raise _too_deep() from None
        return out

    def _child(
        self, node: int, value: Any, path: list[Any], token: Any, out: Any, depth: int, kw: str
    ) -> bool:
        """Evaluate a subschema at a child location; a ``false`` subschema reports ``kw``."""
        path.append(token)
        try:
            if self.plan[node] is False:
                if out is not None:
                    out.append((tuple(path), kw, value, None))
                return False
            return self._eval(node, value, path, out, depth)
        finally:
            path.pop()

    def _eval(self, index: int, value: Any, path: list[Any], out: Any, depth: int) -> bool:
        if depth >= MAX_DEPTH:
            raise JSONError(f"schema evaluation nested more than {MAX_DEPTH} levels deep")
        node = self.plan[index]
        if node is True:
            return True
        if node is False:
            if out is not None:
                out.append((tuple(path), "false", value, None))
            return False
        kind = json_kind(value)
        ok = True
        depth += 1

        def fail(keyword: str, ctx: dict[str, Any] | None) -> bool:
            if out is not None:
                out.append((tuple(path), keyword, value, ctx))
            return out is not None  # go on only when collecting

        for keyword, arg in node:
            if keyword == "$ref":
                if not self._eval(arg, value, path, out, depth):
                    ok = False
                    if out is None:
                        return False
            elif keyword == "type":
                if not any(
                    t == kind
                    or (t == "number" and kind == "integer")
                    or (t == "integer" and kind == "number" and _is_integral(value, kind))
                    for t in arg
                ):
                    ok = False
                    if not fail("type", {"expected": list(arg)}):
                        return False
            elif keyword == "enum":
                if not any(json_equal(value, item) for item in arg):
                    ok = False
                    if not fail("enum", {"expected": arg}):
                        return False
            elif keyword == "const":
                if not json_equal(value, arg):
                    ok = False
                    if not fail("const", {"expected": arg}):
                        return False
            elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if kind in ("integer", "number"):
                    if keyword == "minimum":
                        good = value >= arg
                    elif keyword == "maximum":
                        good = value <= arg
                    elif keyword == "exclusiveMinimum":
                        good = value > arg
                    else:
                        good = value < arg
                    if not good:
                        ok = False
                        if not fail(keyword, {"limit": arg}):
                            return False
            elif keyword == "multipleOf":
                if kind in ("integer", "number") and not is_multiple(value, arg):
                    ok = False
                    if not fail("multipleOf", {"limit": arg}):
                        return False
            elif keyword in ("minLength", "maxLength"):
                if kind == "string":
                    size = len(value)
                    if (size < arg) if keyword == "minLength" else (size > arg):
                        ok = False
                        if not fail(keyword, {"limit": arg, "actual": size}):
                            return False
            elif keyword == "pattern":
                if kind == "string" and self.patterns[arg].search(value) is None:
                    ok = False
                    if not fail("pattern", {"pattern": arg}):
                        return False
            elif keyword == "format":
                if kind == "string" and not check_format(arg, value):
                    ok = False
                    if not fail("format", {"format": arg}):
                        return False
            elif keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
                if kind == ("array" if keyword.endswith("Items") else "object"):
                    size = len(value)
                    if (size < arg) if keyword.startswith("min") else (size > arg):
                        ok = False
                        if not fail(keyword, {"limit": arg, "actual": size}):
                            return False
            elif keyword == "uniqueItems":
                if kind == "array":
                    pair = _duplicate(value)
                    if pair is not None:
                        ok = False
                        if not fail("uniqueItems", {"first": pair[0], "second": pair[1]}):
                            return False
            elif keyword == "prefixItems":
                if kind == "array":
                    for i, (node_i, item) in enumerate(zip(arg, value, strict=False)):
                        if not self._child(node_i, item, path, i, out, depth, "prefixItems"):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "items":
                if kind == "array":
                    sub, start = arg
                    for i in range(start, len(value)):
                        if not self._child(sub, value[i], path, i, out, depth, "items"):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "contains":
                if kind == "array":
                    sub, low, high = arg
                    matched = sum(1 for item in value if self._eval(sub, item, path, None, depth))
                    if matched < low:
                        ok = False
                        if not fail("contains", {"min": low, "matched": matched}):
                            return False
                    elif high is not None and matched > high:
                        ok = False
                        if not fail("maxContains", {"max": high, "matched": matched}):
                            return False
            elif keyword == "required":
                if kind == "object":
                    for name in arg:
                        if name not in value:
                            ok = False
                            if not fail("required", {"property": name}):
                                return False
            elif keyword == "dependentRequired":
                if kind == "object":
                    for name, names in arg:
                        if name in value:
                            for other in names:
                                if other not in value:
                                    ok = False
                                    ctx = {"property": other, "because": name}
                                    if not fail("dependentRequired", ctx):
                                        return False
            elif keyword == "properties":
                if kind == "object":
                    for name, sub in arg:
                        if name in value and not self._child(
                            sub, value[name], path, name, out, depth, "properties"
                        ):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "patternProperties":
                if kind == "object":
                    for key, item in value.items():
                        _check_key(key)
                        for pattern, sub in arg:
                            if self.patterns[pattern].search(key) is not None and not self._child(
                                sub, item, path, key, out, depth, "patternProperties"
                            ):
                                ok = False
                                if out is None:
                                    return False
            elif keyword == "additionalProperties":
                if kind == "object":
                    sub, names, patterns = arg
                    for key, item in value.items():
                        _check_key(key)
                        if key in names or any(self.patterns[p].search(key) for p in patterns):
                            continue
                        if not self._child(sub, item, path, key, out, depth, keyword):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "propertyNames":
                if kind == "object":
                    for key in value:
                        _check_key(key)
                        if not self._eval(arg, key, path, None, depth):
                            ok = False
                            if not fail("propertyNames", {"property": key}):
                                return False
            elif keyword == "dependentSchemas":
                if kind == "object":
                    for name, sub in arg:
                        if name in value and not self._eval(sub, value, path, out, depth):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "allOf":
                for sub in arg:
                    if not self._eval(sub, value, path, out, depth):
                        ok = False
                        if out is None:
                            return False
            elif keyword == "anyOf":
                if not any(self._eval(sub, value, path, None, depth) for sub in arg):
                    ok = False
                    if not fail("anyOf", None):
                        return False
            elif keyword == "oneOf":
                matched = sum(1 for sub in arg if self._eval(sub, value, path, None, depth))
                if matched != 1:
                    ok = False
                    if not fail("oneOf", {"matched": matched}):
                        return False
            elif keyword == "not":
                if self._eval(arg, value, path, None, depth):
                    ok = False
                    if not fail("not", None):
                        return False
            elif keyword == "if":
                test, then, other = arg
                branch = then if self._eval(test, value, path, None, depth) else other
                if branch is not None and not self._eval(branch, value, path, out, depth):
                    ok = False
                    if out is None:
                        return False
            elif keyword == "unevaluatedProperties":
                if kind == "object":
                    seen = self._seen(index, value, depth, "object", top=True)
                    for key, item in value.items():
                        _check_key(key)
                        if seen is None or key in seen:
                            continue
                        if not self._child(arg, item, path, key, out, depth, keyword):
                            ok = False
                            if out is None:
                                return False
            elif keyword == "unevaluatedItems" and kind == "array":
                seen = self._seen(index, value, depth, "array", top=True)
                for i, item in enumerate(value):
                    if seen is None or i in seen:
                        continue
                    if not self._child(arg, item, path, i, out, depth, keyword):
                        ok = False
                        if out is None:
                            return False
        return ok

    def _seen(self, index: int, value: Any, depth: int, kind: str, top: bool = False) -> Any:
        """The property names (``kind`` "object") or item indexes ("array") that node ``index``
        evaluates in ``value``: a set, or None for all of them. ``top``: leave out the node's
        own ``unevaluated*`` (the keyword asking)."""
        if depth >= MAX_DEPTH:
            raise JSONError(f"schema evaluation nested more than {MAX_DEPTH} levels deep")
        node = self.plan[index]
        seen: set[Any] = set()
        if type(node) is not list:
            return seen
        depth += 1

        def merge(sub: int) -> bool:
            more = self._seen(sub, value, depth, kind)
            if more is None:
                return True
            seen.update(more)
            return False

        for keyword, arg in node:
            if kind == "object":
                if keyword == "properties":
                    seen.update(name for name, _ in arg if name in value)
                elif keyword == "patternProperties":
                    for key in value:
                        _check_key(key)
                        if any(self.patterns[p].search(key) for p, _ in arg):
                            seen.add(key)
                elif keyword == "additionalProperties" or (
                    keyword == "unevaluatedProperties" and not top
                ):
                    return None
                elif keyword == "dependentSchemas":
                    for name, sub in arg:
                        if name in value and merge(sub):
                            return None
            elif keyword == "prefixItems":
                seen.update(range(min(len(arg), len(value))))
            elif keyword == "items" or (keyword == "unevaluatedItems" and not top):
                return None
            elif keyword == "contains":
                sub = arg[0]
                seen.update(
                    i for i, item in enumerate(value) if self._eval(sub, item, [], None, depth)
                )
            if keyword in ("$ref", "allOf"):
                for sub in [arg] if keyword == "$ref" else arg:
                    if merge(sub):
                        return None
            elif keyword in ("anyOf", "oneOf"):
                for sub in arg:
                    if self._eval(sub, value, [], None, depth) and merge(sub):
                        return None
            elif keyword == "if":
                test, then, other = arg
                if self._eval(test, value, [], None, depth):
                    if merge(test) or (then is not None and merge(then)):
                        return None
                elif other is not None and merge(other):
                    return None
        return seen


def _too_deep() -> JSONError:
    return JSONError(f"schema evaluation nested more than {MAX_DEPTH} levels deep")


def _check_key(key: Any) -> None:
    if type(key) is not str:
        raise JSONError(f"object keys must be str, not {type(key).__name__}")


_SCALAR_TYPES = (str, int, float, Decimal)


def _duplicate(items: list[Any]) -> tuple[int, int] | None:
    """The first ``(i, j)``, ``i < j``, by ``j`` then ``i``, of two equal items.

    Arrays of scalars are hashed (linear time: a long array cannot stall the check); numbers
    are keyed by value (Python's ``==`` and ``hash`` agree across int, float and Decimal),
    booleans and null apart. Anything else is compared pair by pair."""
    first: dict[Any, int] = {}
    for j, item in enumerate(items):
        t = type(item)
        if t is bool or item is None:
            key: Any = (t, item)
        elif t in _SCALAR_TYPES and (t is str or t is int or math.isfinite(item)):
            key = ("s", item) if t is str else ("n", item)
        else:
            break
        i = first.setdefault(key, j)
        if i != j:
            return i, j
    else:
        return None
    for j in range(1, len(items)):
        for i in range(j):
            if json_equal(items[j], items[i]):
                return i, j
    return None
