"""Model classes by name, so that a relation may name a model defined later
(``ForeignKeyField("Author")``): each relation is resolved as soon as its target exists, and
then the target gets its reverse accessor (and a many-to-many its link model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule.errors import SchemaError
from ferrule.orm.fields import Relation

__all__ = ["lookup", "register", "resolved"]

_BY_NAME: dict[str, list[Any]] = {}
_PENDING: list[Relation] = []
#: called with each relation once its target is known (installs accessors; set by relations)
on_resolved: list[Callable[[Relation], None]] = []


def register(model: Any) -> None:
    """Record a new model class and resolve what was waiting for it (or can be resolved now)."""
    _BY_NAME.setdefault(model.__name__, []).append(model)
    _BY_NAME.setdefault(f"{model.__module__}.{model.__qualname__}", []).append(model)
    for relation in model._meta.relations.values():
        # an inherited relation was resolved with its parent; an abstract model's is each
        # concrete child's (no reverse accessor reads the abstract model's absent table)
        if relation.owner is model and not model._meta.abstract:
            _PENDING.append(relation)
    _resolve_pending()


def lookup(name: str, owner: Any) -> Any:
    """The model a relation names: ``"self"``, a class name or ``module.Class``."""
    if name == "self":
        return owner
    found = _BY_NAME.get(name, [])
    live = [m for m in found if not m._meta.abstract]
    if len(live) > 1:
        same_module = [m for m in live if m.__module__ == owner.__module__]
        if len(same_module) == 1:
            return same_module[0]
        return live[-1]  # the latest definition (a test redefining a model)
    return live[0] if live else None


def _resolve_pending() -> None:
    progress = True
    while progress:
        progress = False
        for relation in list(_PENDING):
            if relation not in _PENDING:  # resolved by a nested call (a link model's)
                continue
            target = relation.target
            if isinstance(target, str):
                found = lookup(target, relation.owner)
                if found is None:
                    continue
                relation.target = found
            if relation.kind == "m2m" and isinstance(relation.through, str):
                through = lookup(relation.through, relation.owner)
                if through is None:
                    continue
                relation.through = through
            _PENDING.remove(relation)
            for hook in on_resolved:
                hook(relation)
            progress = True


def resolved(relation: Relation) -> Any:
    """The target model of ``relation``; a `SchemaError` naming it while it is undefined."""
    target = relation.target
    if isinstance(target, str):
        owner = relation.owner.__name__ if relation.owner is not None else "?"
        raise SchemaError(
            f"{owner}.{relation.name} refers to {target!r}, which is not defined (yet)"
        )
    return target
