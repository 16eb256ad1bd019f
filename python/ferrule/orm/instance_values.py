"""What ``save()`` validates and writes of an instance: its values as validation input (keyed
as the model takes them), what validation made of them, the fields the database or the clock
fills (``auto_now``), and the mark of instances whose values no validator has seen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ferrule import sql
from ferrule.models._core import force_setattr
from ferrule.models.fields import MISSING
from ferrule.orm.relations import related_cache

__all__ = [
    "IN_DOUBT",
    "MARKED",
    "UNVALIDATED",
    "as_input",
    "clock_reading",
    "filled_later",
    "given_null",
    "marked",
    "take_validated",
    "unvalidated",
    "validate_instance",
    "values_to_validate",
]

_UNSET = sql.UNSET


def clock_reading(column: Any) -> dt.datetime | dt.date | dt.time:
    """The clock's reading for an ``auto_now``/``auto_now_add`` column, of its type: an
    aware datetime in UTC, a naive one (UTC's wall clock), or the date or time of day in
    UTC (the calendar ferrule's date lookups use; Django takes the local ones)."""
    now = dt.datetime.now(dt.timezone.utc)
    name = column.logical.name
    if name == "datetime_tz":
        return now
    if name == "date":
        return now.date()
    if name == "time":
        return now.time()
    return now.replace(tzinfo=None)


#: the mark of an instance holding values no validator has seen (``model_construct``,
#: ``model_copy(update=...)``), kept with its loaded relations
UNVALIDATED = "@@unvalidated"


#: the mark of an instance whose last write may or may not have committed (``orm.in_doubt``)
IN_DOUBT = "@@in_doubt"

#: how many instances were ever marked (unvalidated, or in doubt): while none were, none is
MARKED = [0]


def marked(instance: Any) -> bool:
    """Whether ``instance`` carries a mark that sends its ``save()`` the general way (checked
    once ``MARKED[0]`` says some instance does: the plain save's fast path pays nothing)."""
    cache = related_cache(instance)
    return cache is not None and (UNVALIDATED in cache or IN_DOUBT in cache)


def unvalidated(instance: Any) -> bool:
    """Whether ``instance`` may hold unvalidated values. Construction and assignment
    validate (``validate_assignment``, on by default); rows loaded from the database are
    the database's; only ``model_construct`` and ``model_copy(update=...)`` bypass."""
    if not MARKED[0]:
        return False
    cache = related_cache(instance)
    return cache is not None and UNVALIDATED in cache


def validate_instance(instance: Any) -> None:
    """Run the compiled schema over the instance's current values (assignments made with
    ``validate_assignment`` off, or ``model_construct``, are checked here), and keep what it
    made of them (``"7"`` for an int is 7), as construction would: that is what is written."""
    cls = type(instance)
    data = values_to_validate(instance, filled_later(cls))
    take_validated(instance, data, cls.model_validate(as_input(cls, data)))


def as_input(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (by field name) keyed as ``cls`` takes its input: by alias, unless
    ``populate_by_name`` (an alias generator would have every field missing otherwise)."""
    keys = _INPUT_KEYS.get(cls)
    if keys is None:
        if len(_INPUT_KEYS) >= 4096:
            _INPUT_KEYS.clear()
        keys = _INPUT_KEYS[cls] = _input_keys(cls)
    return data if not keys else {keys.get(k, k): v for k, v in data.items()}


def _input_keys(cls: Any) -> dict[str, str]:
    """Field name -> the key its value is given by, for the fields where they differ."""
    if cls.model_config.get("populate_by_name"):
        return {}
    out = {}
    for name, field in cls.model_fields.items():
        alias = field.validation_alias if field.validation_alias is not None else field.alias
        choices = getattr(alias, "choices", None)
        if choices:  # AliasChoices: its first plain name
            alias = next((c for c in choices if isinstance(c, str)), None)
        if isinstance(alias, str) and alias != name:
            out[name] = alias
    return out


#: model -> `_input_keys`
_INPUT_KEYS: dict[Any, dict[str, str]] = {}


def take_validated(instance: Any, data: dict[str, Any], validated: Any) -> None:
    """Set on ``instance`` the column values ``validated`` made of ``data`` (but a password's
    hash: a plaintext that skipped validation is refused when written, ``orm.secrets``)."""
    for name, column in type(instance)._meta.columns.items():
        if name in data and column.password is None:
            value = getattr(validated, name)
            if value is not data[name]:
                force_setattr(instance, name, value)


def filled_later(cls: Any) -> frozenset[str]:
    """The fields whose None means "not yet": the database or save() fills them."""
    return frozenset(
        name
        for name, column in cls._meta.columns.items()
        if column.identity
        or column.auto_now
        or column.auto_now_add
        or column.db_default is not _UNSET
    )


def given_null(instance: Any, name: str, column: Any) -> bool:
    """Whether the None of a nullable ``db_default`` field was given (``create(note=None)``,
    ``obj.note = None``): NULL is stored, as in Django, not the column's DEFAULT, which
    fills only a field left unset."""
    return column.nullable and column.db_default is not _UNSET and name in instance.model_fields_set


def values_to_validate(instance: Any, filled: frozenset[str]) -> dict[str, Any]:
    """The instance's values as validation input: unset fields and the None of a field
    filled later are left out (their defaults apply)."""
    data = {}
    for name in type(instance).model_fields:
        value = getattr(instance, name, MISSING)
        if value is MISSING or (value is None and name in filled):
            continue
        data[name] = value
    return data
