"""A JSON Schema document checked and flattened into a *plan*: the plain data both validator
cores (the native one and the pure-Python twin) run, so that they cannot disagree about what a
schema means, and a malformed schema fails once, here, with the keyword and its JSON Pointer.

A plan is a list of nodes; node 0 is the root. A node is ``True`` or ``False`` (a boolean
schema) or a list of ``(keyword, argument)`` checks in a fixed order, where every subschema is
the index of its node (so a recursive ``$ref`` is a cycle of indices, compiled once):

    type           tuple of type names            enum / const   list of values / a value
    minimum ...    a number (int, float, Decimal) multipleOf     a positive number
    minLength ...  an int                         pattern        the pattern text
    format         one of `FORMATS`               uniqueItems    True
    required       list of names                  dependentRequired  list of (name, [names])
    properties     list of (name, node)           patternProperties  list of (pattern, node)
    additionalProperties  (node, [names], [patterns])   propertyNames  node
    dependentSchemas  list of (name, node)        prefixItems    list of nodes
    items          (node, first index)            contains       (node, min, max or None)
    unevaluatedProperties / unevaluatedItems   node
    allOf / anyOf / oneOf  list of nodes          not            node
    if             (if node, then node or None, else node or None)
    $ref           node

Drafts: the 2020-12 vocabularies are used whatever ``$schema`` says. Unknown keywords and
formats outside `FORMATS` are ignored. ``unevaluatedProperties``/``unevaluatedItems`` come last
in their node and apply to what no other keyword of the node (nor its ``$ref``, ``allOf``,
passing ``anyOf``/``oneOf`` branches, ``if``/``then``/``else`` or ``dependentSchemas``)
evaluated.
References: ``#``, JSON Pointer fragments (``#/$defs/x``), ``$anchor`` names (``#name``) and
the root's ``$id`` (alone or with a fragment); ``$dynamicRef`` is read as ``$ref``. A ``$id``
below the root starts no new base URI, and a reference to another document (a remote or a
relative URI) is a `JSONSchemaError`: nothing is ever fetched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from ferrule.errors import JSONSchemaError

__all__ = ["FORMATS", "MAX_DEPTH", "TYPES", "Plan", "compile_plan", "pointer_text"]

#: The formats checked as assertions (any other format name is accepted and ignored).
FORMATS = ("date", "date-time", "email", "time", "uri", "uuid")

#: The JSON types a ``type`` keyword may name.
TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")

#: Schema evaluations nested inside each other (through subschemas and ``$ref``) before an
#: instance is refused with a `JSONError`: a deep document never overflows a stack.
MAX_DEPTH = 500

Plan = list[Any]

_NUMBER_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_COUNTS = (
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
)


def pointer_text(tokens: Sequence[str | int]) -> str:
    """The JSON Pointer (RFC 6901) of a path of tokens: ``("a", 3)`` → ``"/a/3"``."""
    return "".join("/" + _escape(str(t)) for t in tokens)


def _escape(token: str) -> str:
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def _below(pointer: str, *path: str | int) -> str:
    for token in path:
        pointer += "/" + _escape(str(token))
    return pointer


def _is_number(value: Any) -> bool:
    if type(value) is int:
        return True
    if type(value) is float:
        return value == value and value not in (float("inf"), float("-inf"))
    return type(value) is Decimal and value.is_finite()


def _check_json(value: Any, where: str, depth: int = 0) -> None:
    """A `JSONSchemaError` unless ``value`` (an enum or const value) is plain JSON data."""
    if depth > MAX_DEPTH:
        raise JSONSchemaError("value nested too deep", where)
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise JSONSchemaError("object keys must be str", where)
            _check_json(item, where, depth + 1)
    elif type(value) is list:
        for item in value:
            _check_json(item, where, depth + 1)
    elif not (value is None or type(value) in (bool, str) or _is_number(value)):
        raise JSONSchemaError(f"a {type(value).__name__} is not a JSON value", where)


class _Compiler:
    def __init__(self, root: Any, check_pattern: Any) -> None:
        self.root = root
        self.check_pattern = check_pattern
        self.nodes: Plan = []
        self.by_pointer: dict[str, int] = {}
        self.anchors: dict[str, str] | None = None  # found when a $ref first names one
        self.root_id: str | None = None
        if type(root) is dict and type(root.get("$id")) is str:
            self.root_id = root["$id"].split("#", 1)[0]

    def _find_anchors(self, schema: Any, where: str) -> dict[str, str]:
        anchors: dict[str, str] = {}
        stack = [(schema, where, 0)]
        while stack:
            node, here, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise JSONSchemaError("schema nested too deep", here)
            if type(node) is dict:
                for key in ("$anchor", "$dynamicAnchor"):
                    name = node.get(key)
                    if name is None:
                        continue
                    if type(name) is not str or not re.fullmatch(r"[A-Za-z_][-A-Za-z0-9._]*", name):
                        raise JSONSchemaError(f"{key} must be a plain name", f"{here}/{key}")
                    anchors.setdefault(name, here)
                for key, value in node.items():
                    if key not in ("enum", "const", "default", "examples") and type(key) is str:
                        stack.append((value, _below(here, key), depth + 1))
            elif type(node) is list:
                for i, value in enumerate(node):
                    stack.append((value, f"{here}/{i}", depth + 1))
        return anchors

    def node(self, schema: Any, where: str) -> int:
        """The index of the node for the subschema at ``where`` (compiled once)."""
        found = self.by_pointer.get(where)
        if found is not None:
            return found
        if where.count("/") > 2 * MAX_DEPTH:
            raise JSONSchemaError("schema nested too deep", where)
        index = len(self.nodes)
        self.by_pointer[where] = index
        self.nodes.append(None)
        if type(schema) is bool:
            self.nodes[index] = schema
        elif type(schema) is dict:
            self.nodes[index] = self.checks(schema, where)
        else:
            raise JSONSchemaError(
                f"a schema must be an object or a boolean, not {type(schema).__name__}", where
            )
        return index

    def sub(self, schema: dict[str, Any], where: str, *path: str | int) -> int:
        value: Any = schema
        for token in path:
            value = value[token]
        return self.node(value, _below(where, *path))

    def checks(self, s: dict[str, Any], at: str) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for key in s:
            if type(key) is not str:
                raise JSONSchemaError("schema keys must be str", at)

        def here(key: str) -> str:
            return _below(at, key)

        def need(key: str, ok: bool, what: str) -> None:
            if not ok:
                raise JSONSchemaError(f"{key} must be {what}", here(key))

        for key in ("$schema", "$id", "$comment", "$anchor", "$dynamicAnchor"):
            if key in s:
                need(key, type(s[key]) is str, "a string")
        for key in ("$ref", "$dynamicRef"):
            if key in s:
                need(key, type(s[key]) is str, "a string")
                out.append(("$ref", self.resolve(s[key], here(key))))
        if "$defs" in s:
            need("$defs", type(s["$defs"]) is dict, "an object")
            for name in s["$defs"]:
                self.sub(s, at, "$defs", name)
        if "type" in s:
            kinds = s["type"]
            names = [kinds] if type(kinds) is str else kinds
            need("type", type(names) is list, "a type name or a list of them")
            for name in names:
                need("type", type(name) is str and name in TYPES, f"one of {', '.join(TYPES)}")
            need("type", len(set(names)) == len(names), "a list of distinct names")
            out.append(("type", tuple(names)))
        if "enum" in s:
            need("enum", type(s["enum"]) is list, "an array")
            _check_json(s["enum"], here("enum"))
            out.append(("enum", list(s["enum"])))
        if "const" in s:
            _check_json(s["const"], here("const"))
            out.append(("const", s["const"]))
        for key in _NUMBER_BOUNDS:
            if key in s:
                need(key, _is_number(s[key]), "a number")
                out.append((key, s[key]))
        if "multipleOf" in s:
            need("multipleOf", _is_number(s["multipleOf"]) and s["multipleOf"] > 0, "> 0")
            out.append(("multipleOf", s["multipleOf"]))
        counts = {}
        for key in _COUNTS:
            if key in s:
                value = s[key]
                if type(value) in (float, Decimal) and _is_number(value) and value == int(value):
                    value = int(value)
                need(key, type(value) is int and value >= 0, "a non-negative integer")
                counts[key] = value
        for key in ("minLength", "maxLength"):
            if key in counts:
                out.append((key, counts[key]))
        if "pattern" in s:
            need("pattern", type(s["pattern"]) is str, "a string")
            self.regex(s["pattern"], here("pattern"))
            out.append(("pattern", s["pattern"]))
        if "format" in s:
            need("format", type(s["format"]) is str, "a string")
            if s["format"] in FORMATS:
                out.append(("format", s["format"]))
        for key in ("minItems", "maxItems"):
            if key in counts:
                out.append((key, counts[key]))
        if "uniqueItems" in s:
            need("uniqueItems", type(s["uniqueItems"]) is bool, "a boolean")
            if s["uniqueItems"]:
                out.append(("uniqueItems", True))
        if "prefixItems" in s:
            ok = type(s["prefixItems"]) is list and len(s["prefixItems"]) > 0
            need("prefixItems", ok, "a non-empty array")
            nodes = [self.sub(s, at, "prefixItems", i) for i in range(len(s["prefixItems"]))]
            out.append(("prefixItems", nodes))
        if "items" in s:
            out.append(("items", (self.sub(s, at, "items"), len(s.get("prefixItems", ())))))
        if "contains" in s:
            low = counts.get("minContains", 1)
            out.append(("contains", (self.sub(s, at, "contains"), low, counts.get("maxContains"))))
        for key in ("minProperties", "maxProperties"):
            if key in counts:
                out.append((key, counts[key]))
        if "required" in s:
            names = s["required"]
            need("required", type(names) is list, "an array of strings")
            for name in names:
                need("required", type(name) is str, "an array of strings")
            out.append(("required", list(dict.fromkeys(names))))
        if "dependentRequired" in s:
            deps = s["dependentRequired"]
            need("dependentRequired", type(deps) is dict, "an object of string arrays")
            pairs = []
            for name, names in deps.items():
                ok = type(names) is list and all(type(n) is str for n in names)
                need("dependentRequired", ok, "an object of string arrays")
                pairs.append((name, list(names)))
            out.append(("dependentRequired", pairs))
        if "properties" in s:
            need("properties", type(s["properties"]) is dict, "an object")
            props = [(name, self.sub(s, at, "properties", name)) for name in s["properties"]]
            out.append(("properties", props))
        patterns: list[str] = []
        if "patternProperties" in s:
            need("patternProperties", type(s["patternProperties"]) is dict, "an object")
            pattern_nodes = []
            for pattern in s["patternProperties"]:
                self.regex(pattern, _below(at, "patternProperties", pattern))
                pattern_nodes.append((pattern, self.sub(s, at, "patternProperties", pattern)))
                patterns.append(pattern)
            out.append(("patternProperties", pattern_nodes))
        if "additionalProperties" in s:
            names = list(s.get("properties", ()))
            node = self.sub(s, at, "additionalProperties")
            out.append(("additionalProperties", (node, names, patterns)))
        if "propertyNames" in s:
            out.append(("propertyNames", self.sub(s, at, "propertyNames")))
        if "dependentSchemas" in s:
            need("dependentSchemas", type(s["dependentSchemas"]) is dict, "an object")
            deps = [(n, self.sub(s, at, "dependentSchemas", n)) for n in s["dependentSchemas"]]
            out.append(("dependentSchemas", deps))
        for key in ("allOf", "anyOf", "oneOf"):
            if key in s:
                need(key, type(s[key]) is list and len(s[key]) > 0, "a non-empty array")
                out.append((key, [self.sub(s, at, key, i) for i in range(len(s[key]))]))
        if "not" in s:
            out.append(("not", self.sub(s, at, "not")))
        if "if" in s:
            test = self.sub(s, at, "if")
            then = self.sub(s, at, "then") if "then" in s else None
            other = self.sub(s, at, "else") if "else" in s else None
            out.append(("if", (test, then, other)))  # alone, it still annotates (unevaluated*)
        for key in ("unevaluatedItems", "unevaluatedProperties"):
            if key in s:  # last: they see what every other keyword evaluated
                out.append((key, self.sub(s, at, key)))
        return out

    def regex(self, pattern: str, where: str) -> None:
        try:
            self.check_pattern(pattern)
        except re.error as exc:
            raise JSONSchemaError(f"invalid regular expression {pattern!r}: {exc}", where) from None

    def resolve(self, ref: str, where: str) -> int:
        base, _, fragment = ref.partition("#")
        if base and base != self.root_id:
            raise JSONSchemaError(f"$ref {ref!r} leaves the document (only local refs)", where)
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            if self.anchors is None:
                self.anchors = self._find_anchors(self.root, "")
            if fragment not in self.anchors:
                raise JSONSchemaError(f"$ref {ref!r} names no $anchor", where)
            fragment = self.anchors[fragment]
        target: Any = self.root
        for token in _split(fragment):
            if type(target) is dict and token in target:
                target = target[token]
            elif type(target) is list and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise JSONSchemaError(f"$ref {ref!r} points to nothing", where)
        return self.node(target, pointer_text(_split(fragment)))


def _split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def compile_plan(schema: Any, check_pattern: Any = re.compile) -> Plan:
    """The plan of ``schema`` (a dict or a boolean); a `JSONSchemaError` when it is malformed.
    ``check_pattern(text)`` raises ``re.error`` for a pattern the core cannot run."""
    compiler = _Compiler(schema, check_pattern)
    try:
        compiler.node(schema, "")
    except RecursionError:  # subschemas nested past Python's recursion limit
        raise JSONSchemaError("schema nested too deep to compile", "") from None
    return compiler.nodes
