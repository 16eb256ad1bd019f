"""What pydantic 2.14 writes as the JSON Schema of the models in test_json_schema.py
(`model_json_schema()`, `TypeAdapter.json_schema()`), written out; ferrule must write the same."""

from __future__ import annotations

from typing import Any

ADDRESS_DEF: dict[str, Any] = {
    "description": "Where someone lives.\n\nSecond paragraph, indented\n    further.",
    "properties": {
        "street": {"title": "Street", "type": "string"},
        "zip_code": {"pattern": "^\\d{5}$", "title": "Zip Code", "type": "string"},
    },
    "required": ["street", "zip_code"],
    "title": "Address",
    "type": "object",
}

HUE_DEF: dict[str, Any] = {
    "description": "Colours.\n\nIndented line.",
    "enum": ["r", "g"],
    "title": "Hue",
    "type": "string",
}

LEVEL_DEF: dict[str, Any] = {"enum": [1, 2], "title": "Level", "type": "integer"}

NODE_DEF: dict[str, Any] = {
    "description": "A tree.",
    "properties": {
        "children": {
            "default": [],
            "items": {"$ref": "#/$defs/Node"},
            "title": "Children",
            "type": "array",
        },
        "parent": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}], "default": None},
        "value": {"title": "Value", "type": "integer"},
    },
    "required": ["value"],
    "title": "Node",
    "type": "object",
}

PERSON: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF, "Hue": HUE_DEF, "Level": LEVEL_DEF},
    "properties": {
        "address": {"$ref": "#/$defs/Address"},
        "addresses": {
            "default": [],
            "items": {"$ref": "#/$defs/Address"},
            "title": "Addresses",
            "type": "array",
        },
        "age": {
            "anyOf": [{"exclusiveMaximum": 150, "minimum": 0, "type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "Age",
        },
        "born": {"default": "2000-01-01", "format": "date", "title": "Born", "type": "string"},
        "color": {"$ref": "#/$defs/Hue", "default": "r"},
        "either": {
            "anyOf": [{"type": "integer"}, {"type": "string"}],
            "default": 1,
            "title": "Either",
        },
        "email": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "default": None,
            "title": "Email",
        },
        "extra_info": {"default": None, "title": "Extra Info"},
        "first_name": {"maxLength": 50, "minLength": 1, "title": "First Name", "type": "string"},
        "flags": {
            "additionalProperties": {"type": "boolean"},
            "default": {},
            "title": "Flags",
            "type": "object",
        },
        "ident": {"format": "uuid", "title": "Ident", "type": "string"},
        "kind": {"default": "a", "enum": ["a", "b"], "title": "Kind", "type": "string"},
        "last_name": {
            "description": "Family name",
            "examples": ["Doe"],
            "title": "Surname",
            "type": "string",
        },
        "level": {"anyOf": [{"$ref": "#/$defs/Level"}, {"type": "null"}], "default": None},
        "pair": {"default": [], "items": {"type": "integer"}, "title": "Pair", "type": "array"},
        "score": {
            "default": 0.5,
            "exclusiveMinimum": 0,
            "maximum": 1,
            "multipleOf": 0.25,
            "title": "Score",
            "type": "number",
        },
        "seen": {
            "anyOf": [{"format": "date-time", "type": "string"}, {"type": "null"}],
            "default": None,
            "title": "Seen",
        },
        "tags": {
            "items": {"type": "string"},
            "maxItems": 5,
            "minItems": 0,
            "title": "Tags",
            "type": "array",
        },
    },
    "required": ["first_name", "last_name", "address", "ident"],
    "title": "Person",
    "type": "object",
}

ADDRESS: dict[str, Any] = ADDRESS_DEF

STRICT: dict[str, Any] = {
    "additionalProperties": False,
    "properties": {"a": {"title": "A", "type": "integer"}},
    "required": ["a"],
    "title": "StrictTitle",
    "type": "object",
}

LOOSE: dict[str, Any] = {
    "additionalProperties": True,
    "properties": {"a": {"default": 1, "title": "A", "type": "integer"}},
    "title": "Loose",
    "type": "object",
}

IGNORED: dict[str, Any] = {
    "properties": {"a": {"default": 1, "title": "A", "type": "integer"}},
    "title": "Ignored",
    "type": "object",
}

NODE: dict[str, Any] = {"$defs": {"Node": NODE_DEF}, "$ref": "#/$defs/Node"}

TREE: dict[str, Any] = {
    "$defs": {"Node": NODE_DEF},
    "properties": {
        "root": {"$ref": "#/$defs/Node"},
        "size": {"default": 0, "title": "Size", "type": "integer"},
    },
    "required": ["root"],
    "title": "Tree",
    "type": "object",
}

EXTRA: dict[str, Any] = {
    "examples": [{"a": 1}],
    "properties": {
        "a": {"default": 1, "title": "A", "type": "integer", "x-field": True},
        "b": {"default": "s", "title": "B", "type": "string", "x-fn": 1},
    },
    "title": "Extra",
    "type": "object",
    "x-tag": "t",
}

EXTRAFN: dict[str, Any] = {
    "properties": {"a": {"default": 0, "title": "A", "type": "integer"}},
    "title": "ExtraFn",
    "type": "object",
    "x-cls": "ExtraFn",
}

EXTRAFN1: dict[str, Any] = {
    "properties": {"a": {"default": 0, "title": "A", "type": "integer"}},
    "type": "object",
}

ALIASED: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF},
    "properties": {
        "addr": {
            "anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}],
            "default": None,
            "description": "An address",
        },
        "firstName": {"title": "Firstname", "type": "string"},
        "other_alias": {"default": 0, "title": "Given", "type": "integer"},
    },
    "required": ["firstName"],
    "title": "Aliased",
    "type": "object",
}

SERIAL: dict[str, Any] = {
    "properties": {
        "b": {"default": "_w==", "format": "base64url", "title": "B", "type": "string"},
        "d": {"default": "PT1M30S", "format": "duration", "title": "D", "type": "string"},
        "dec": {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "default": "1.5",
            "title": "Dec",
        },
        "t": {"default": "01:02:00", "format": "time", "title": "T", "type": "string"},
    },
    "title": "Serial",
    "type": "object",
}

PLAIN: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF},
    "properties": {
        "b": {"format": "binary", "title": "B", "type": "string"},
        "d": {"format": "duration", "title": "D", "type": "string"},
        "dec": {"anyOf": [{"type": "number"}, {"type": "string"}], "title": "Dec"},
        "fs": {
            "default": [],
            "items": {"type": "string"},
            "title": "Fs",
            "type": "array",
            "uniqueItems": True,
        },
        "lit_none": {"const": None, "default": None, "title": "Lit None", "type": "null"},
        "maybe_list": {
            "anyOf": [{"items": {"type": "integer"}, "type": "array"}, {"type": "null"}],
            "default": None,
            "title": "Maybe List",
        },
        "nested": {
            "additionalProperties": {
                "items": {"anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}]},
                "type": "array",
            },
            "default": {},
            "title": "Nested",
            "type": "object",
        },
        "raw": {
            "default": "x",
            "format": "binary",
            "maxLength": 4,
            "minLength": 1,
            "title": "Raw",
            "type": "string",
        },
        "s": {
            "default": [],
            "items": {"type": "integer"},
            "title": "S",
            "type": "array",
            "uniqueItems": True,
        },
        "t0": {"default": [], "maxItems": 0, "minItems": 0, "title": "T0", "type": "array"},
        "t2": {
            "maxItems": 2,
            "minItems": 2,
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "title": "T2",
            "type": "array",
        },
    },
    "required": ["d", "b", "dec", "t2"],
    "title": "Plain",
    "type": "object",
}

WITHMODELDEFAULT: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF, "Hue": HUE_DEF, "Level": LEVEL_DEF},
    "properties": {
        "address": {"$ref": "#/$defs/Address", "default": {"street": "x", "zip_code": "12345"}},
        "colors": {
            "default": ["g"],
            "items": {"$ref": "#/$defs/Hue"},
            "title": "Colors",
            "type": "array",
        },
        "level": {"$ref": "#/$defs/Level", "default": 2},
        "naive": {
            "default": "2020-01-02T03:04:05",
            "format": "date-time",
            "title": "Naive",
            "type": "string",
        },
        "when": {
            "default": "2020-01-02T03:04:05+02:00",
            "format": "date-time",
            "title": "When",
            "type": "string",
        },
    },
    "title": "WithModelDefault",
    "type": "object",
}

EMPTY: dict[str, Any] = {"properties": {}, "title": "Empty", "type": "object"}

DOCONLY: dict[str, Any] = {
    "description": "Leading spaces.   ",
    "properties": {"a": {"default": 0, "title": "A", "type": "integer"}},
    "title": "DocOnly",
    "type": "object",
}

CONSTRAINED: dict[str, Any] = {
    "properties": {
        "dec": {
            "anyOf": [{"minimum": 0.0, "type": "number"}, {"type": "string"}],
            "default": "1",
            "title": "Dec",
        },
        "fl": {"default": 1.0, "title": "Fl", "type": "number"},
        "m": {
            "additionalProperties": {"type": "integer"},
            "default": {},
            "minProperties": 1,
            "title": "M",
            "type": "object",
        },
        "name": {"default": "ab", "minLength": 2, "title": "Name", "type": "string"},
        "nums": {
            "default": [1],
            "items": {"type": "integer"},
            "minItems": 1,
            "title": "Nums",
            "type": "array",
        },
    },
    "title": "Constrained",
    "type": "object",
}

SERIAL_SER: dict[str, Any] = {
    "properties": {
        "b": {"default": "_w==", "format": "base64url", "title": "B", "type": "string"},
        "d": {"default": 90.0, "title": "D", "type": "number"},
        "dec": {"default": "1.5", "title": "Dec", "type": "string"},
        "t": {"default": "01:02:00", "format": "time", "title": "T", "type": "string"},
    },
    "title": "Serial",
    "type": "object",
}

PLAIN_SER: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF},
    "properties": {
        "b": {"format": "binary", "title": "B", "type": "string"},
        "d": {"format": "duration", "title": "D", "type": "string"},
        "dec": {"title": "Dec", "type": "string"},
        "fs": {
            "default": [],
            "items": {"type": "string"},
            "title": "Fs",
            "type": "array",
            "uniqueItems": True,
        },
        "lit_none": {"const": None, "default": None, "title": "Lit None", "type": "null"},
        "maybe_list": {
            "anyOf": [{"items": {"type": "integer"}, "type": "array"}, {"type": "null"}],
            "default": None,
            "title": "Maybe List",
        },
        "nested": {
            "additionalProperties": {
                "items": {"anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}]},
                "type": "array",
            },
            "default": {},
            "title": "Nested",
            "type": "object",
        },
        "raw": {
            "default": "x",
            "format": "binary",
            "maxLength": 4,
            "minLength": 1,
            "title": "Raw",
            "type": "string",
        },
        "s": {
            "default": [],
            "items": {"type": "integer"},
            "title": "S",
            "type": "array",
            "uniqueItems": True,
        },
        "t0": {"default": [], "maxItems": 0, "minItems": 0, "title": "T0", "type": "array"},
        "t2": {
            "maxItems": 2,
            "minItems": 2,
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "title": "T2",
            "type": "array",
        },
    },
    "required": ["d", "b", "dec", "t2"],
    "title": "Plain",
    "type": "object",
}

CONSTRAINED_SER: dict[str, Any] = {
    "properties": {
        "dec": {"default": "1", "title": "Dec", "type": "string"},
        "fl": {"default": 1.0, "title": "Fl", "type": "number"},
        "m": {
            "additionalProperties": {"type": "integer"},
            "default": {},
            "minProperties": 1,
            "title": "M",
            "type": "object",
        },
        "name": {"default": "ab", "minLength": 2, "title": "Name", "type": "string"},
        "nums": {
            "default": [1],
            "items": {"type": "integer"},
            "minItems": 1,
            "title": "Nums",
            "type": "array",
        },
    },
    "title": "Constrained",
    "type": "object",
}

ALIASED_NOALIAS: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF},
    "properties": {
        "address": {
            "anyOf": [{"$ref": "#/$defs/Address"}, {"type": "null"}],
            "default": None,
            "description": "An address",
        },
        "first_name": {"title": "First Name", "type": "string"},
        "other": {"default": 0, "title": "Given", "type": "integer"},
    },
    "required": ["first_name"],
    "title": "Aliased",
    "type": "object",
}

TREE_TMPL: dict[str, Any] = {
    "$defs": {
        "Node": {
            "description": "A tree.",
            "properties": {
                "children": {
                    "default": [],
                    "items": {"$ref": "#/components/schemas/Node"},
                    "title": "Children",
                    "type": "array",
                },
                "parent": {
                    "anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}],
                    "default": None,
                },
                "value": {"title": "Value", "type": "integer"},
            },
            "required": ["value"],
            "title": "Node",
            "type": "object",
        }
    },
    "properties": {
        "root": {"$ref": "#/components/schemas/Node"},
        "size": {"default": 0, "title": "Size", "type": "integer"},
    },
    "required": ["root"],
    "title": "Tree",
    "type": "object",
}

NODE_TMPL: dict[str, Any] = {
    "$defs": {
        "Node": {
            "description": "A tree.",
            "properties": {
                "children": {
                    "default": [],
                    "items": {"$ref": "/defs/Node.json"},
                    "title": "Children",
                    "type": "array",
                },
                "parent": {
                    "anyOf": [{"$ref": "/defs/Node.json"}, {"type": "null"}],
                    "default": None,
                },
                "value": {"title": "Value", "type": "integer"},
            },
            "required": ["value"],
            "title": "Node",
            "type": "object",
        }
    },
    "$ref": "/defs/Node.json",
}

TA_LIST: dict[str, Any] = {
    "$defs": {"Address": ADDRESS_DEF},
    "items": {"$ref": "#/$defs/Address"},
    "type": "array",
}

TA_INT: dict[str, Any] = {"exclusiveMinimum": 0, "type": "integer"}

TA_OPT: dict[str, Any] = {
    "$defs": {"Hue": HUE_DEF},
    "anyOf": [{"$ref": "#/$defs/Hue"}, {"type": "null"}],
}

TA_MODEL: dict[str, Any] = {"$defs": {"Node": NODE_DEF}, "$ref": "#/$defs/Node"}

TA_DICT: dict[str, Any] = {
    "$defs": {
        "Node": NODE_DEF,
        "Tree": {
            "properties": {
                "root": {"$ref": "#/$defs/Node"},
                "size": {"default": 0, "title": "Size", "type": "integer"},
            },
            "required": ["root"],
            "title": "Tree",
            "type": "object",
        },
    },
    "additionalProperties": {"$ref": "#/$defs/Tree"},
    "type": "object",
}
