"""The ``ON CONFLICT`` clause of ``bulk_create(on_conflict=...)`` (``"ignore"``, or
``("update", [fields])`` / ``("update", [fields], [key fields])``) and the unique key it is
about."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import mariadb_upsert

__all__ = ["conflict_clause", "conflict_target", "upsert_keys"]


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
    (``update_fields`` with ``on_conflict=[keys]``), as ``on_conflict``'s own forms."""
    tortoise = (
        update_fields is not None
        and isinstance(on_conflict, (list, tuple))
        and all(isinstance(n, str) for n in on_conflict)
        and on_conflict[:1] not in (("update",), ["update"])
    )
    django = ignore_conflicts or update_conflicts or update_fields is not None or unique_fields
    if not django and unique_fields is None:
        return on_conflict
    spelled = 'on_conflict="ignore" or on_conflict=("update", [fields], [keys])'
    if (on_conflict is not None and not tortoise) or (ignore_conflicts and update_conflicts):
        raise FieldError(f"bulk_create(): give one conflict rule: {spelled}")
    if ignore_conflicts:
        if update_fields is not None or unique_fields is not None:
            raise FieldError(f"bulk_create(ignore_conflicts=True) updates nothing: {spelled}")
        return "ignore"
    if tortoise:
        unique_fields = on_conflict
    if isinstance(update_fields, str) or not update_fields:
        raise FieldError(f"bulk_create(): an update on conflict names its update_fields: {spelled}")
    rule = ("update", list(update_fields))
    if unique_fields is None:
        return rule
    if isinstance(unique_fields, str) or not unique_fields:
        raise FieldError(f"bulk_create(): unique_fields is a list of field names: {spelled}")
    return (*rule, list(unique_fields))
