"""The JSON Schema of a model's relations: what its JSON carries, as pydantic users read it.

``model_dump_json()`` writes a foreign key as its key field (``author_id``), never the
related instance, and ``model_validate_json()`` takes the key: the relation attribute
(``author``) takes only an instance, which no JSON value is, so it is left out of the schema
in both modes (pydantic skips a field no JSON value can fill). A required relation's key
field is declared ``Optional`` (the instance may be given instead, or assigned later), but a
validated instance always holds it: its schema is the key's type, required, with no default.
A nullable relation's key stays optional and nullable."""

from __future__ import annotations

from typing import Any

__all__ = ["json_fields"]


def json_fields(cls: Any, mode: str, properties: dict[str, Any], required: list[str]) -> None:
    """Adjust the object schema of model ``cls`` being written (``models.json_schema``)."""
    meta = getattr(cls, "_meta", None)
    if meta is None:  # the abstract base classes
        return
    for relation in meta.relations.values():
        if relation.kind == "m2m":
            continue
        properties.pop(relation.name, None)
        if relation.name in required:
            required.remove(relation.name)
        key = properties.get(relation.attname)
        if relation.null or key is None:
            continue
        branches = [b for b in key.get("anyOf", ()) if b != {"type": "null"}]
        if len(branches) == 1:
            rest = {k: v for k, v in key.items() if k not in ("anyOf", "default")}
            properties[relation.attname] = {**branches[0], **rest}
        else:
            key.pop("default", None)
        if relation.attname not in required:
            required.append(relation.attname)
    order = list(properties)  # in the fields' order, as pydantic lists them
    required.sort(key=lambda name: order.index(name) if name in order else len(order))
