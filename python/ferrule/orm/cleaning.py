"""Django's model validation hooks: ``clean_fields()``, ``clean()``, ``validate_unique()`` and
``full_clean()``.

ferrule validates each value on construction and assignment, so ``clean_fields()`` finds
only what skipped that (``model_construct``, ``validate_assignment=False``): it runs the
model's schema over the current values, keeps what it made of them (``"7"`` for an int is 7,
as Django's ``clean_fields`` keeps each field's cleaned value) and raises the
``ValidationError`` of the fields not in ``exclude``. ``clean()`` is the user's hook for
checks across fields (the default does nothing); it raises a ``ValidationError``, or a
``ValueError`` that becomes one located at ``"__all__"`` (Django's ``NON_FIELD_ERRORS``).
``validate_unique()`` asks the database whether another row holds the instance's value of a
``unique`` field, or its values of a ``unique_together`` group (a None among them never
conflicts, as in SQL); errors are located at the field, or at ``"__all__"`` for a group.
It and ``full_clean()`` query the database, so they are coroutines: ``await
obj.full_clean()``. ``full_clean(exclude=None, validate_unique=True)`` runs the three in
Django's order, ``clean()`` even when a field failed, and the unique checks only on the
fields that passed; all their errors are raised together as one ``ValidationError``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from ferrule import errors
from ferrule.errors import FieldError, ValidationError
from ferrule.orm.instance_values import (
    as_input,
    filled_later,
    take_validated,
    values_to_validate,
)

__all__ = ["NON_FIELD_ERRORS", "clean_fields", "full_clean", "validate_unique"]

#: the location of errors that are no one field's (Django's name for it)
NON_FIELD_ERRORS = "__all__"

RawError = tuple[tuple[Any, ...], str, Any, Any, Any]


def _excluded(cls: Any, exclude: Iterable[str] | None) -> frozenset[str]:
    if exclude is None:
        return frozenset()
    if isinstance(exclude, str):
        raise FieldError(f"{cls.__name__}: exclude takes field names, not the str {exclude!r}")
    try:
        names = frozenset(exclude)
    except TypeError:
        raise FieldError(
            f"{cls.__name__}: exclude takes field names, not {type(exclude).__name__}"
        ) from None
    unknown = sorted(repr(n) for n in names if not isinstance(n, str) or n not in cls.model_fields)
    if unknown:
        raise FieldError(f"{cls.__name__}: exclude names no field {', '.join(unknown)}")
    return names


def _raw(error: ValidationError) -> list[RawError]:
    return [
        (tuple(e["loc"]), e["type"], e.get("input"), e.get("ctx"), e["msg"]) for e in error.errors()
    ]


def _fields_errors(instance: Any, skip: frozenset[str]) -> list[RawError]:
    cls = type(instance)
    data = values_to_validate(instance, filled_later(cls))
    try:
        validated = cls.model_validate(as_input(cls, data))
    except ValidationError as error:
        return [line for line in _raw(error) if not (line[0] and line[0][0] in skip)]
    take_validated(instance, data, validated)
    return []


def clean_fields(instance: Any, exclude: Iterable[str] | None) -> None:
    lines = _fields_errors(instance, _excluded(type(instance), exclude))
    if lines:
        raise ValidationError(type(instance).__name__, lines)


def _own_error(instance: Any, error: ValueError) -> list[RawError]:
    """What ``clean()`` raised, as lines: a ``ValidationError``'s own, a ``ValueError``'s
    message at ``"__all__"``."""
    if isinstance(error, ValidationError):
        return _raw(error)
    message = str(error)
    return [((NON_FIELD_ERRORS,), "value_error", None, {"error": message}, message)]


async def _clean_lines(instance: Any) -> list[RawError]:
    try:
        result = instance.clean()
        if inspect.isawaitable(result):
            await result
    except ValueError as error:  # ValidationError is one
        return _own_error(instance, error)
    return []


async def _unique_lines(instance: Any, skip: frozenset[str], using: Any) -> list[RawError]:
    cls = type(instance)
    meta = cls._meta
    groups: list[tuple[str, ...]] = [
        (name,) for name, column in meta.columns.items() if column.unique or column.primary_key
    ]
    for group in meta.options.unique_together:  # a relation's name stands for its key
        groups.append(tuple(_column_name(meta, name) for name in group))
    lines: list[RawError] = []
    key = instance.pk
    for group in groups:
        if any(name in skip for name in group):
            continue
        values = {name: getattr(instance, name, None) for name in group}
        if any(value is None for value in values.values()):
            continue
        others = cls.filter(**values)
        if key is not None:
            others = others.exclude(pk=key)
        if using is not None:
            others = others.using(using)
        if not await others.exists():
            continue
        fields = " and ".join(name.replace("_", " ").capitalize() for name in group)
        message = f"{cls.__name__} with this {fields} already exists."
        place = group[0] if len(group) == 1 else NON_FIELD_ERRORS
        lines.append(((place,), "unique", values[group[0]], {"fields": group}, message))
    return lines


def _column_name(meta: Any, name: str) -> str:
    if name in meta.columns:
        return name
    relation = meta.relation(name)
    return name if relation is None else str(relation.attname)


async def validate_unique(instance: Any, exclude: Iterable[str] | None, using: Any) -> None:
    lines = await _unique_lines(instance, _excluded(type(instance), exclude), using)
    if lines:
        raise ValidationError(type(instance).__name__, lines)


async def full_clean(
    instance: Any, exclude: Iterable[str] | None, unique: bool, using: Any
) -> None:
    skip = _excluded(type(instance), exclude)
    lines = _fields_errors(instance, skip)
    lines += await _clean_lines(instance)
    if unique:
        failed = {line[0][0] for line in lines if line[0] and line[0][0] != NON_FIELD_ERRORS}
        lines += await _unique_lines(instance, skip | failed, using)
    if lines:
        raise errors.ValidationError(type(instance).__name__, lines)
