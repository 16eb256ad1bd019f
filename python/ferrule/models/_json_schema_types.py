"""The JSON Schema of each schema tag (see `json_schema.TAGS`): one function per tag, the
shape pydantic writes for the same type."""

from __future__ import annotations

from typing import Any

from ferrule.models.json_schema import (
    _ITEMS,
    _LENGTHS,
    SchemaGenerator,
    _constraints,
    json_schema_for,
)

Out = dict[str, Any]


@json_schema_for("int")
def _int(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    out: Out = {"type": "integer"}
    _constraints(out, schema, _LENGTHS)
    return out


@json_schema_for("float")
def _float(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    out: Out = {"type": "number"}
    _constraints(out, schema, _LENGTHS)
    return out


@json_schema_for("decimal")
def _decimal(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    if gen.mode == "serialization":  # written as its text (pydantic drops the bounds here)
        return {"type": "string"}
    number: Out = {"type": "number"}
    _constraints(number, schema, _LENGTHS)  # a decimal's bounds: on the number
    return {"anyOf": [number, {"type": "string"}]}


@json_schema_for("bool")
def _bool(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return {"type": "boolean"}


@json_schema_for("str")
def _str(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    out: Out = {"type": "string"}
    if schema.get("email"):
        out["format"] = "email"
    if schema.get("url"):
        out["format"] = "uri"
    if "pattern" in schema:
        out["pattern"] = schema["pattern"]
    _constraints(out, schema, _LENGTHS)
    return out


@json_schema_for("bytes")
def _bytes(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    base64 = gen.config.get("ser_json_bytes") == "base64"
    out: Out = {"type": "string", "format": "base64url" if base64 else "binary"}
    _constraints(out, schema, _LENGTHS)
    return out


_FORMATS = {"datetime": "date-time", "date": "date", "time": "time", "uuid": "uuid"}


@json_schema_for(*_FORMATS)
def _formatted(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    # a naive datetime is "date-time" too, as in pydantic, though its text has no UTC offset
    # (docs/validation.md)
    return {"type": "string", "format": _FORMATS[schema["type"]]}


@json_schema_for("timedelta")
def _timedelta(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    if gen.timedelta_is_number():
        return {"type": "number"}
    return {"type": "string", "format": "duration"}


@json_schema_for("enum")
def _enum(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return gen.enum_ref(schema["cls"])


@json_schema_for("literal")
def _literal(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return gen.values(schema["expected"])


@json_schema_for("any")
def _any(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return {}


def any_of(members: list[Out]) -> Out:
    """``anyOf`` of ``members``, a member that is itself only an ``anyOf`` spread in (pydantic
    writes ``int | str | None`` as one list of three)."""
    flat: list[Out] = []
    for member in members:
        if len(member) == 1 and "anyOf" in member:
            flat.extend(member["anyOf"])
        else:
            flat.append(member)
    return {"anyOf": flat}


@json_schema_for("nullable")
def _nullable(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    inner = gen.type(schema["schema"])
    if inner == {"type": "null"}:
        return inner
    return any_of([inner, {"type": "null"}])


@json_schema_for("union")
def _union(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return any_of([gen.type(choice) for choice in schema["choices"]])


@json_schema_for("list", "set", "frozenset")
def _collection(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    out: Out = {"type": "array", "items": gen.type(schema["items"])}
    if schema["type"] != "list":
        out["uniqueItems"] = True
    _constraints(out, schema, _ITEMS)
    return out


@json_schema_for("tuple")
def _tuple(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    items = [gen.type(item) for item in schema["items"]]
    if schema["variadic"]:
        out: Out = {"type": "array", "items": items[0]}
    elif items:
        out = {"type": "array", "prefixItems": items, "minItems": len(items)}
        out["maxItems"] = len(items)
    else:
        out = {"type": "array", "minItems": 0, "maxItems": 0}
    _constraints(out, schema, _ITEMS)
    return out


@json_schema_for("dict")
def _dict(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    """Values under ``additionalProperties`` (``patternProperties`` when the keys have a
    pattern); what else the keys must be under ``propertyNames``, as pydantic writes it."""
    keys = gen.type(schema["keys"])
    pattern = None
    if "$ref" not in keys:
        pattern = keys.pop("pattern", None)
        keys.pop("title", None)
    values = gen.type(schema["values"])
    values.pop("title", None)
    out: Out = {"type": "object"}
    if pattern is not None:
        out["patternProperties"] = {pattern: values}
    else:
        out["additionalProperties"] = values
    if (keys.get("type") == "string" and len(keys) > 1) or "$ref" in keys:
        keys.pop("type", None)
        out["propertyNames"] = keys
    _constraints(out, schema, ("minProperties", "maxProperties"))
    return out


@json_schema_for("model")
def _model(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return gen.model_ref(schema["cls"])


@json_schema_for("function_before", "function_after", "function_plain")
def _function(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    return gen.type(schema["schema"])


@json_schema_for("is_instance")
def _is_instance(gen: SchemaGenerator, schema: dict[str, Any]) -> Out:
    from ferrule.errors import SchemaError

    name = getattr(schema["cls"], "__name__", repr(schema["cls"]))
    raise SchemaError(f"no JSON Schema for an instance of {name} (arbitrary_types_allowed)")
