"""Rows -> model instances. The database's column types are trusted: an instance is allocated
and its slots filled directly (no validation, no ``__init__``), with the conversions the
dialect's storage needs (``orm.columns``). The native core does it in Rust
(``_ferrule.model_rows``); the pure core runs the same plan here. ``validate=True``
(``validate_on_load``, and ``raw()``, whose columns are whatever its SQL made them) re-checks
every value read with the compiled schema instead; a partial load (``only``/``defer``) leaves
the fields it did not read unread, as the plain load does: validating a partial row whole
would fill them with their defaults, which a later ``save()`` wrote over the stored values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ferrule.models._core import PURE_PYTHON, force_setattr, new_instance
from ferrule.orm import stored_as

__all__ = ["Plan", "build", "plan_for", "reader"]

#: (field names, row positions, from-db converters or None), one entry per loaded field
Plan = tuple[tuple[str, ...], tuple[int, ...], tuple[Callable[[Any], Any] | None, ...]]

_native_rows: Any
try:
    if PURE_PYTHON:
        raise ImportError
    from ferrule._ferrule import model_rows as _native_rows
except ImportError:  # the pure core, or an extension without it
    _native_rows = None


def plan_for(model: Any, fields: Sequence[str], dialect: str, start: int = 0) -> Plan:
    """The plan for rows whose columns ``start``, ``start + 1``, ... hold ``fields``."""
    columns = model._meta.columns
    converters = tuple(reader(columns[name], dialect) for name in fields)
    return tuple(fields), tuple(range(start, start + len(fields))), converters


#: the Python type of the logical types SQLite may hold in another storage class
_STORED_KINDS = {
    "int": int,
    "bigint": int,
    "smallint": int,
    "float": float,
    "str": str,
    "text": str,
    "bytes": bytes,
}


#: PostgreSQL's: a boolean field over a smallint column (a table another program made)
_POSTGRES_KINDS = {"bool": bool}


def reader(column: Any, dialect: str) -> Callable[[Any], Any] | None:
    """The column's from-db converter in a loading plan (every instance built from rows:
    ``plan_for``'s, the joined ones of ``select_related``); on SQLite, a field without one
    checks the type read (``StoredAs``: a column's affinity, not its field, decides what
    SQLite keeps), and so does a boolean field on PostgreSQL (an integer column another
    program made)."""
    convert: Callable[[Any], Any] | None = column.converters(dialect)[1]
    if convert is None and dialect in ("sqlite", "postgres"):
        kinds = _STORED_KINDS if dialect == "sqlite" else _POSTGRES_KINDS
        kind = kinds.get(column.logical.name)
        if kind is not None:
            return _stored_as(kind, f"{getattr(column.model, '__name__', '?')}.{column.name}")
    return convert


#: one check per field and type, not one per plan made (plans of uncached shapes are made
#: per query)
_stored_as = stored_as.made


def _check(model: Any, plan: Plan) -> None:
    """The checks the native builder makes before reading a row."""
    names, positions, converters = plan
    if not len(names) == len(positions) == len(converters):
        raise ValueError("model_rows(): names, positions and converters must have the same length")
    fields = model.model_fields
    for index, name in enumerate(names):
        if name not in fields:
            raise ValueError(f"model_rows(): {model.__name__} has no field {name}")
        if name in names[:index]:
            raise ValueError(f"model_rows(): the field {name} is named twice")


def _pure_rows(model: Any, rows: Sequence[Any], plan: Plan) -> list[Any]:
    _check(model, plan)
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"model_rows() needs a list or tuple of rows, not {type(rows).__name__}")
    names, positions, converters = plan
    steps = list(zip(names, positions, converters, strict=True))
    out = []
    for row in rows:
        instance = new_instance(model)
        for name, position, convert in steps:
            # a tuple (a Record) is read by its own size, never through an override
            value = tuple.__getitem__(row, position) if isinstance(row, tuple) else row[position]
            if convert is not None and value is not None:
                value = convert(value)
            force_setattr(instance, name, value)
        out.append(instance)
    return out


def _validated_rows(model: Any, rows: Sequence[Any], plan: Plan) -> list[Any]:
    names, positions, converters = plan
    if len(set(names)) != len(model._meta.columns):  # a partial load: the read fields alone
        return _checked_fields(model, build(model, rows, plan), names)
    out = []
    for row in rows:
        data = {}
        for name, position, convert in zip(names, positions, converters, strict=True):
            value = row[position]
            data[name] = convert(value) if convert is not None and value is not None else value
        out.append(model.model_validate(data))
    return out


def _checked_fields(model: Any, instances: list[Any], names: Sequence[str]) -> list[Any]:
    """``instances``, each field of ``names`` checked by the field's own validation and set
    to what it makes of the value (the model validators, which judge whole instances, and
    ``frozen`` do not apply to a partial row)."""
    check = model.__ferrule_validator__.validate_field
    for instance in instances:
        for name in names:
            force_setattr(instance, name, check(instance, name, getattr(instance, name)))
    return instances


def build(model: Any, rows: Sequence[Any], plan: Plan, *, validate: bool = False) -> list[Any]:
    """One instance of ``model`` per row, its fields filled by ``plan``."""
    if validate:
        return _validated_rows(model, rows, plan)
    if _native_rows is not None:
        result: list[Any] = _native_rows(model, rows, *plan)
        return result
    return _pure_rows(model, rows, plan)
