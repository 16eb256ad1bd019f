"""The keyword names the write entry points take (``create()``, ``get_or_create()`` and
``update_or_create()``'s ``defaults``): a model's field names and their aliases. A model's own
constructor ignores other names (pydantic's ``extra="ignore"``), but a write that drops a
misspelt name would store the default in its place, silently: Django refuses such a name, and
so do these, with a "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import plain_keywords, shown, text_of
from ferrule.orm.options import did_you_mean

__all__ = ["KNOWN", "checked_defaults", "refuse_unknown", "update_field_names"]

#: model -> the keyword names its constructor reads (filled by `refuse_unknown`)
KNOWN: dict[Any, frozenset[str]] = {}
#: the one type of the keys the check of known names takes as they are


def refuse_unknown(cls: Any, values: Mapping[str, Any], where: str) -> None:
    """A ``FieldError`` naming the first of ``values``' keys ``cls`` has no field for."""
    known = KNOWN.get(cls)
    if known is None:
        if len(KNOWN) >= 4096:
            KNOWN.clear()
        known = KNOWN[cls] = _known(cls)
    if values.keys() <= known and plain_keywords(values):
        return
    # each key by the text it holds: a str subclass's __hash__/__eq__ may claim a field
    unknown = sorted(
        text_of(k) or shown(k)
        for k in values
        if not isinstance(k, str) or str.__str__(k) not in known
    )
    if not unknown:
        return
    fields = ", ".join(cls.model_fields)
    raise FieldError(
        f"{cls.__name__}.{where}(): {cls.__name__} has no field {unknown[0]!r}"
        f"{did_you_mean(unknown[0], known)} (fields: {fields})"
    )


def checked_defaults(
    cls: Any, defaults: Any, where: str, keyword: str = "defaults"
) -> dict[str, Any]:
    """``defaults`` (or ``create_defaults``, named by ``keyword``) of ``get_or_create``/
    ``update_or_create``: a mapping of field names."""
    if defaults is None:
        return {}
    if not isinstance(defaults, Mapping):
        raise FieldError(
            f"{cls.__name__}.{where}({keyword}=...) takes a dict of field values, not "
            f"{type(defaults).__name__}"
        )
    refuse_unknown(cls, defaults, where)
    # keyed by their texts, as checked (merged with the lookup's names by ==, a str
    # subclass equal to every name would replace any of them)
    return {str.__str__(k): v for k, v in defaults.items()}


def _known(cls: Any) -> frozenset[str]:
    names: set[str] = set()
    for name, field in cls.model_fields.items():
        names.add(name)
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias)
            for choice in getattr(alias, "choices", None) or ():
                if isinstance(choice, str):
                    names.add(choice)
    return frozenset(names)


def update_field_names(cls: Any, given: Any) -> list[Any]:
    """``save(update_fields=...)``'s names, read once (a list's ``__len__`` may say 0 of
    names it holds; a generator is read once)."""
    if not isinstance(given, Iterable):
        raise FieldError(
            f"{cls.__name__}.save(update_fields=...) takes field names, not {shown(given)}"
        )
    return [name for name in given]
