"""``ferrule.json``: exact, strict JSON for plain data (the models' reader and writer), and JSON
documents as Python data: JSON Pointer (RFC 6901), JSON Patch (RFC 6902), JSON Merge Patch
(RFC 7396), ``diff`` and JSON Schema (``Schema``, draft 2020-12). Re-exports only; each part
lives in its own module."""

from ferrule.errors import JSONError, JSONPatchError, JSONPointerError, JSONSchemaError
from ferrule.json._value import equal
from ferrule.json.codec import MAX_DEPTH_LIMIT, dumps, dumps_bytes, loads
from ferrule.json.compat import FastJsonDecoder, FastJsonEncoder
from ferrule.json.diff import diff
from ferrule.json.merge_patch import merge_diff, merge_patch
from ferrule.json.patch import Patch, apply_patch
from ferrule.json.pointer import Pointer
from ferrule.json.schema import JsonSchemaValidator, Schema
from ferrule.json.stream import iter_items
from ferrule.json.writer import ArrayWriter, NDJSONWriter, dump

__all__ = [
    "MAX_DEPTH_LIMIT",
    "ArrayWriter",
    "FastJsonDecoder",
    "FastJsonEncoder",
    "JSONError",
    "JSONPatchError",
    "JSONPointerError",
    "JSONSchemaError",
    "JsonSchemaValidator",
    "NDJSONWriter",
    "Patch",
    "Pointer",
    "Schema",
    "apply_patch",
    "diff",
    "dump",
    "dumps",
    "dumps_bytes",
    "equal",
    "iter_items",
    "loads",
    "merge_diff",
    "merge_patch",
]
