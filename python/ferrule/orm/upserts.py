"""The ``ON CONFLICT`` clause of ``bulk_create(on_conflict=...)`` (``"ignore"``, or
``("update", [fields])`` / ``("update", [fields], [key fields])``) and the unique key it is
about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import mariadb_upsert

__all__ = [
    "conflict_clause",
    "conflict_target",
    "names_given",
    "read_rule",
    "spelled_conflict",
    "upsert_keys",
]


def conflict_clause(meta: Any, on_conflict: Any, dialect: str = "") -> Any:
    if on_conflict is None:
        return None
    if on_conflict == "ignore":
        return lambda statement: statement.on_conflict_do_nothing()
    if (
        isinstance(on_conflict, tuple)
        and len(on_conflict) in (2, 3)
        and on_conflict[0] == "update"
        and not isinstance(on_conflict[1], str)
    ):
        fields = [meta.column(n) for n in on_conflict[1]]
        if len(on_conflict) == 3:
            targets = [meta.column(n).column for n in on_conflict[2]]
        else:
            targets = conflict_target(meta)
        sets = {c.column: sql.excluded(c.column) for c in fields}
        if dialect == "mysql":  # ON DUPLICATE KEY UPDATE answers every unique key
            sets = mariadb_upsert.guarded_sets(targets, sets)
        return lambda statement: statement.on_conflict_do_update(targets, sets)
    raise FieldError(
        'on_conflict must be "ignore" or ("update", [fields]) or ("update", [fields], [keys])'
    )


def upsert_keys(meta: Any, on_conflict: Any) -> list[str] | None:
    """The key columns an ``("update", ...)`` conflict is about (None for ``"ignore"``)."""
    if not isinstance(on_conflict, tuple):
        return None
    if len(on_conflict) == 3:
        return [meta.column(n).column for n in on_conflict[2]]
    return conflict_target(meta)


def conflict_target(meta: Any) -> list[str]:
    """The unique key an upsert is about: the one unique column (or unique_together group)
    besides the primary key, else the primary key; name it when there are several."""
    uniques = [[c.column] for c in meta.columns.values() if c.unique and not c.primary_key]
    uniques += [[meta.column(n).column for n in g] for g in meta.options.unique_together]
    if len(uniques) > 1:
        raise FieldError(
            f"{meta.name}: several unique keys; say which one the upsert is about: "
            '("update", [fields], [key fields])'
        )
    return uniques[0] if uniques else [meta.pk.column]


def spelled_conflict(
    on_conflict: Any,
    ignore_conflicts: bool,
    update_conflicts: bool,
    update_fields: Any,
    unique_fields: Any,
) -> Any:
    """``bulk_create``'s conflict rule from Django's spellings (``ignore_conflicts``;
    ``update_conflicts`` with ``update_fields`` and ``unique_fields``) or Tortoise's
    (``update_fields`` with ``on_conflict=[keys]``), as ``on_conflict``'s own forms, read by
    ``read_rule``."""
    tortoise = (
        update_fields is not None
        and isinstance(on_conflict, (list, tuple))
        and all(isinstance(n, str) for n in on_conflict)
        and [str.__str__(n) for n in on_conflict[:1]] != ["update"]  # (its text, not its ==)
    )
    django = ignore_conflicts or update_conflicts or update_fields is not None or unique_fields
    if not django and unique_fields is None:
        return read_rule(on_conflict)
    spelled = 'on_conflict="ignore" or on_conflict=("update", [fields], [keys])'
    if (on_conflict is not None and not tortoise) or (ignore_conflicts and update_conflicts):
        raise FieldError(f"bulk_create(): give one conflict rule: {spelled}")
    if ignore_conflicts:
        if update_fields is not None or unique_fields is not None:
            raise FieldError(f"bulk_create(ignore_conflicts=True) updates nothing: {spelled}")
        return "ignore"
    if tortoise:
        unique_fields = on_conflict
    fields = names_given(update_fields)
    if not fields:
        raise FieldError(f"bulk_create(): an update on conflict names its update_fields: {spelled}")
    if unique_fields is None:
        return read_rule(("update", fields))
    keys = names_given(unique_fields)
    if not keys:
        raise FieldError(f"bulk_create(): unique_fields is a list of field names: {spelled}")
    return read_rule(("update", fields, keys))


_RULES = 'on_conflict must be "ignore" or ("update", [fields]) or ("update", [fields], [keys])'


def read_rule(on_conflict: Any) -> Any:
    """``on_conflict`` as plain values: None, ``"ignore"``, or an exact tuple of ``"update"``,
    a list of field names and maybe a list of key names, each read once by its text and
    items (a str subclass's ``==`` and a list's ``__len__`` may lie); a ``FieldError``
    for anything else."""
    if on_conflict is None:
        return None
    if isinstance(on_conflict, str):
        if str.__str__(on_conflict) == "ignore":
            return "ignore"
        raise FieldError(f"{_RULES}, not {str.__str__(on_conflict)!r}")
    if not isinstance(on_conflict, tuple):
        raise FieldError(f"{_RULES}, not a {type(on_conflict).__name__}")
    parts = tuple.__getitem__(on_conflict, slice(None))  # the items it holds
    if (
        len(parts) not in (2, 3)
        or not isinstance(parts[0], str)
        or str.__str__(parts[0]) != "update"
    ):
        raise FieldError(f"{_RULES}, not {on_conflict!r}")
    lists = [names_given(part) for part in parts[1:]]
    if any(not names for names in lists):
        raise FieldError(f"{_RULES}: each list names one field or more, not {on_conflict!r}")
    return ("update", *lists)


def names_given(given: Any) -> list[Any] | None:
    """The items of a list of names, read once (not by ``len()``); None for a str or what
    is no collection."""
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        return None
    return [name for name in given]
