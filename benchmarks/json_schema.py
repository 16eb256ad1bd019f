"""JSON Schema: ferrule.json.Schema vs fastjsonschema vs jsonschema (Draft202012Validator), one run.

The schema: an API record of 15 properties (nested object, arrays of objects, formats
date-time/email/uuid/uri, patterns, enums, bounds, ``$ref`` to ``$defs``). Cases:

- validate one valid record (Python data), ``is_valid`` for ferrule, the compiled function for
  fastjsonschema, ``is_valid`` for jsonschema (formats checked by each: fastjsonschema checks
  its formats by default; jsonschema is given its ``FORMAT_CHECKER``);
- validate a list of 1,000 valid records (one schema, ``items`` → the record);
- compile the schema (ferrule ``Schema(...)``, ``fastjsonschema.compile``).

Targets (issue 11): validation ≥2x fastjsonschema and ≥5x jsonschema, compile ≥10x
fastjsonschema. Run: ``.venv/bin/python benchmarks/json_schema.py`` after ``pip install --group
bench``.
"""

from __future__ import annotations

import platform
import sys
from typing import Any

import fastjsonschema
import jsonschema
from _harness import Table, per_op

from ferrule.json import Schema

RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "uuid": {"type": "string", "format": "uuid"},
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "handle": {"type": "string", "pattern": "^[a-z][a-z0-9_]{2,15}$"},
        "status": {"enum": ["active", "suspended", "closed"]},
        "role": {"type": "string", "enum": ["admin", "user", "guest"]},
        "age": {"type": ["integer", "null"], "minimum": 0, "maximum": 150},
        "balance": {"type": "number", "multipleOf": 0.01},
        "homepage": {"type": "string", "format": "uri"},
        "created": {"type": "string", "format": "date-time"},
        "tags": {
            "type": "array",
            "items": {"type": "string", "maxLength": 20},
            "uniqueItems": True,
            "maxItems": 10,
        },
        "address": {"$ref": "#/$defs/address"},
        "phones": {"type": "array", "items": {"$ref": "#/$defs/phone"}},
        "settings": {
            "type": "object",
            "properties": {"theme": {"enum": ["light", "dark"]}, "notify": {"type": "boolean"}},
            "additionalProperties": False,
        },
    },
    "required": ["id", "uuid", "email", "name", "status", "created"],
    "additionalProperties": False,
    "$defs": {
        "address": {
            "type": "object",
            "properties": {
                "street": {"type": "string"},
                "city": {"type": "string"},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                "country": {"type": "string", "minLength": 2, "maxLength": 2},
            },
            "required": ["street", "city", "country"],
        },
        "phone": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["home", "work", "mobile"]},
                "number": {"type": "string", "pattern": "^\\+?[0-9 ]{6,20}$"},
            },
            "required": ["kind", "number"],
        },
    },
}


def record(n: int) -> dict[str, Any]:
    return {
        "id": n + 1,
        "uuid": f"2eb8aa08-aa98-11ea-b4aa-{n:012x}",
        "email": f"user{n}@example.com",
        "name": f"User Number {n}",
        "handle": f"user_{n % 10000}",
        "status": "active",
        "role": "user",
        "age": 20 + n % 50,
        "balance": 12.34,
        "homepage": f"https://example.com/users/{n}",
        "created": "2024-05-01T12:30:00Z",
        "tags": ["a", "b", "c"],
        "address": {"street": "1 Main St", "city": "Lyon", "zip": "69001", "country": "FR"},
        "phones": [
            {"kind": "home", "number": "+33 123456789"},
            {"kind": "work", "number": "0123456"},
        ],
        "settings": {"theme": "dark", "notify": True},
    }


def main() -> None:
    one = record(7)
    many = [record(n) for n in range(1000)]
    # the record's refs name the root's $defs: they move up beside the array
    item = {k: v for k, v in RECORD_SCHEMA.items() if k not in ("$defs", "$schema")}
    list_schema = {"type": "array", "items": item, "$defs": RECORD_SCHEMA["$defs"]}

    ours = Schema(RECORD_SCHEMA)
    ours_many = Schema(list_schema)
    fast = fastjsonschema.compile(RECORD_SCHEMA)
    fast_many = fastjsonschema.compile(list_schema)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    ref = jsonschema.Draft202012Validator(RECORD_SCHEMA, format_checker=checker)
    ref_many = jsonschema.Draft202012Validator(list_schema, format_checker=checker)
    assert ours.is_valid(one) and ours_many.is_valid(many)
    fast(one)
    fast_many(many)
    assert ref.is_valid(one) and ref_many.is_valid(many)
    bad = {**one, "email": "not an email", "handle": "X"}
    assert not ours.is_valid(bad) and not ref.is_valid(bad)

    table = Table("JSON Schema validation (valid documents)")
    table.add("1 record", "ferrule", per_op(lambda: ours.is_valid(one)))
    table.add("1 record", "fastjsonschema", per_op(lambda: fast(one)))
    table.add("1 record", "jsonschema", per_op(lambda: ref.is_valid(one)))
    table.add("1,000 records", "ferrule", per_op(lambda: ours_many.is_valid(many), repeat=5))
    table.add("1,000 records", "fastjsonschema", per_op(lambda: fast_many(many), repeat=5))
    table.add(
        "1,000 records", "jsonschema", per_op(lambda: ref_many.is_valid(many), number=1, repeat=3)
    )
    table.add("validate() 1 record", "ferrule", per_op(lambda: ours.validate(one)))
    table.add("validate() 1 record", "fastjsonschema", per_op(lambda: fast(one)))
    table.add("compile", "ferrule", per_op(lambda: Schema(RECORD_SCHEMA)))
    table.add(
        "compile", "fastjsonschema", per_op(lambda: fastjsonschema.compile(RECORD_SCHEMA), repeat=3)
    )
    print(f"Python {platform.python_version()} on {sys.platform}")
    print(table.render())


if __name__ == "__main__":
    main()
