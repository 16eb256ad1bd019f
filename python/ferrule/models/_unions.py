"""Annotations → union schemas with pydantic's options, once per class: ``discriminator``
(a tagged union) and ``union_mode``. Imported by `_introspect` only; it hands in `build`, the
schema of one annotation, so the imports run one way.

A string discriminator names a field every choice has, typed ``Literal[...]`` (every value of
it is a tag of that choice); a choice may itself be a tagged union, whose choices then give its
tags. The tag is read by the field's name, then by its alias. Anything else is a `SchemaError`.
"""

from __future__ import annotations

import contextlib
import enum
import types
import typing
from collections.abc import Callable
from typing import Any

from ferrule.errors import SchemaError
from ferrule.models import _resolve
from ferrule.models import schema as s
from ferrule.models.fields import FieldInfo
from ferrule.models.unions import Discriminator, Tag

__all__ = ["union_options_schema"]

_UNION_TYPES: tuple[Any, ...] = (typing.Union, types.UnionType)
_WRAPPERS = ("function_before", "function_after")


def union_options_schema(
    annotation: Any, info: FieldInfo, build: Callable[[Any], s.Schema], where: str
) -> s.Schema:
    """The schema of `annotation` declared with ``discriminator`` and/or ``union_mode``."""
    if info.discriminator is not None:
        if info.union_mode is not None:
            raise SchemaError(f"{where}: union_mode means nothing on a discriminated union")
        return _tagged(annotation, info.discriminator, build, where)
    schema = build(annotation)
    target = schema["schema"] if schema["type"] == "nullable" else schema
    if target["type"] != "union":
        raise SchemaError(f"{where}: union_mode applies to a union, not {target['type']}")
    if info.union_mode == "left_to_right":
        target["mode"] = "left_to_right"
    return schema


def _tagged(
    annotation: Any, discriminator: Any, build: Callable[[Any], s.Schema], where: str
) -> s.Schema:
    custom: tuple[str, str, dict[str, Any] | None] | None = None
    if isinstance(discriminator, Discriminator):
        if not isinstance(discriminator.discriminator, str):  # pydantic ignores them for names
            custom = _custom_error(discriminator, where)
        discriminator = discriminator.discriminator
    members = [annotation]
    if typing.get_origin(annotation) in _UNION_TYPES:
        members = list(typing.get_args(annotation))
    nullable = type(None) in members
    members = [m for m in members if m is not type(None)]
    if isinstance(discriminator, str):
        schema = _by_key(members, discriminator, build, where)
    elif callable(discriminator):
        schema = _by_function(members, discriminator, build, where)
        if custom is not None:
            schema["custom_error"] = custom
    else:
        raise SchemaError(f"{where}: discriminator must be a field name or a Discriminator")
    return s.nullable_schema(schema) if nullable else schema


def _custom_error(
    discriminator: Discriminator, where: str
) -> tuple[str, str, dict[str, Any] | None] | None:
    """A callable discriminator's own error for a missing or unknown tag, as pydantic makes it:
    a type needs a message (a message alone is ignored); the message is formatted with the
    context once, here."""
    kind, message = discriminator.custom_error_type, discriminator.custom_error_message
    context = discriminator.custom_error_context
    if kind is None:
        return None
    if message is None:
        raise SchemaError(
            f"{where}: Discriminator(custom_error_type=...) needs a custom_error_message"
        )
    if context is not None and not isinstance(context, dict):
        raise SchemaError(f"{where}: Discriminator(custom_error_context=...) must be a dict")
    if context:
        with contextlib.suppress(KeyError, IndexError, ValueError):  # a plain message then
            message = message.format(**context)
    return str(kind), str(message), dict(context) if context else None


def _by_function(
    members: list[Any], function: Callable[[Any], Any], build: Callable[[Any], s.Schema], where: str
) -> s.Schema:
    choices: list[s.Schema] = []
    tags: list[tuple[Any, int, str | int]] = []
    for index, member in enumerate(members):
        tag = next((m.tag for m in _metadata(member) if isinstance(m, Tag)), None)
        if tag is None:
            raise SchemaError(
                f"{where}: every choice of a union with a callable Discriminator needs a "
                f"Tag (Annotated[{_name(member)}, Tag(...)]); {_name(member)} has none"
            )
        choices.append(build(member))
        tags.append((tag, index, tag))
    name = getattr(function, "__name__", type(function).__name__)
    return s.tagged_union_schema(
        choices,
        function,
        _unique(tags, "Tag", where),
        discriminator_text=f"{name}()",
        expected_tags=", ".join(repr(tag) for tag, _, _ in tags),
    )


def _by_key(members: list[Any], key: str, build: Callable[[Any], s.Schema], where: str) -> s.Schema:
    choices: list[s.Schema] = []
    tags: list[tuple[Any, int, str | int]] = []
    aliases: set[str | None] = set()
    for index, member in enumerate(members):
        choice = build(member)
        for value, alias in _choice_tags(choice, key, where):
            tags.append((value, index, _loc(value)))
            aliases.add(alias)
        choices.append(choice)
    if len(aliases) > 1:
        named = ", ".join(sorted(repr(a or key) for a in aliases))
        raise SchemaError(
            f"{where}: the choices give the discriminator {key!r} different aliases ({named})"
        )
    alias = aliases.pop() if aliases else None
    keys = [key] if alias in (None, key) else [key, alias]
    schema = s.tagged_union_schema(
        choices,
        keys,
        _unique(tags, repr(key), where),
        discriminator_text=" | ".join(repr(k) for k in keys),
        expected_tags=", ".join(repr(tag) for tag, _, _ in tags),
    )
    if len(keys) == 1:
        schema["first_key"] = [_reads_own_tag(choice, key) for choice in choices]
    return schema


def _reads_own_tag(choice: s.Schema, key: str) -> bool:
    """Whether the model `choice` checks the tag itself, as the input has it: its field `key`
    is a bare Literal of plain strings, read by that name (the last of repeated keys, as the
    tag is: a string the Literal takes is a tag of this choice and of no other), and no
    before-validator changes the input first. The streaming reader may then pick the choice
    from an object's first key: if the model accepts the object, the last tag was its own."""
    if choice["type"] != "model":
        return False
    compiled = choice["cls"].__dict__.get("__ferrule_schema__")
    if not isinstance(compiled, dict) or compiled["before_validators"]:
        return False
    field = next((f for f in compiled["fields"] if f["name"] == key), None)
    if field is None or field["alias"] is not None or field["schema"]["type"] != "literal":
        return False
    return all(type(value) is str for value in field["schema"]["expected"])


def _unique(tags: list[tuple[Any, int, str | int]], what: str, where: str) -> list[Any]:
    """Refuse a tag that two choices share (tags compare as dict keys do)."""
    seen: dict[Any, int] = {}
    for tag, index, _ in tags:
        if seen.setdefault(tag, index) != index:
            raise SchemaError(f"{where}: the tag {tag!r} of {what} names more than one choice")
    return tags


def _choice_tags(schema: s.Schema, key: str, where: str) -> list[tuple[Any, str | None]]:
    """Every ``(tag, alias of the key)`` a choice answers to."""
    while schema["type"] in _WRAPPERS:
        schema = schema["schema"]
    if schema["type"] == "model":
        return _model_tags(schema["cls"], key, where)
    if schema["type"] == "tagged_union":
        return [tag for choice in schema["choices"] for tag in _choice_tags(choice, key, where)]
    hint = ""
    if schema["type"] in ("list", "set", "frozenset", "tuple", "dict"):
        hint = "; put the discriminator on the union inside: list[Annotated[A | B, Field(...)]]"
    raise SchemaError(
        f"{where}: a discriminated union's choices are models (or unions of them) with a "
        f"Literal field {key!r}, not {schema['type']}{hint}"
    )


def _model_tags(cls: Any, key: str, where: str) -> list[tuple[Any, str | None]]:
    """The Literal values of `cls`'s field `key`, with the field's alias: from its compiled
    schema, or, while the class is still being compiled, from its annotation."""
    compiled = cls.__dict__.get("__ferrule_schema__")
    if isinstance(compiled, dict):
        field = next((f for f in compiled["fields"] if f["name"] == key), None)
        if field is None:
            raise SchemaError(f"{where}: {cls.__name__} has no field {key!r} to discriminate on")
        inner = field["schema"]
        while inner["type"] == "function_after":
            inner = inner["schema"]
        if inner["type"] in ("function_before", "function_plain"):
            raise SchemaError(
                f"{where}: {cls.__name__}.{key} is the discriminator: a mode='before' or "
                "'plain' validator on it cannot run before the tag is read"
            )
        if inner["type"] != "literal":
            raise SchemaError(_not_literal(cls, key, where))
        return [(value, field["alias"]) for value in inner["expected"]]
    declared: dict[str, FieldInfo] = getattr(cls, "__ferrule_declared__", {})
    if key not in declared:
        raise SchemaError(f"{where}: {cls.__name__} has no field {key!r} to discriminate on")
    annotation = _resolve.resolve_hints(cls, {key: declared[key]}, {})[key]
    alias = declared[key].alias
    while typing.get_origin(annotation) is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        for extra in extras:
            if isinstance(extra, FieldInfo) and extra.alias is not None and alias is None:
                alias = extra.alias
        annotation = base
    if typing.get_origin(annotation) is not typing.Literal:
        raise SchemaError(_not_literal(cls, key, where))
    return [(value, alias) for value in typing.get_args(annotation)]


def _not_literal(cls: Any, key: str, where: str) -> str:
    return f"{where}: {cls.__name__}.{key} must be a Literal to discriminate on"


def _loc(tag: Any) -> str | int:
    """The location step of a tag's errors, as pydantic writes it: a string's text (a str-enum
    member's too), an int's value, else the tag's repr."""
    if isinstance(tag, str):
        return str.__str__(tag)
    if isinstance(tag, int) and not isinstance(tag, (bool, enum.Flag)):
        return int(tag)
    return repr(tag)


def _metadata(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Annotated:
        return tuple(annotation.__metadata__)
    return ()


def _name(annotation: Any) -> str:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return getattr(annotation, "__name__", repr(annotation))
