"""The link model of a many-to-many: the automatic one (one row per linked pair, unique), and
which keys of a link model (automatic or ``through=``) point at each side."""

from __future__ import annotations

from typing import Any

from ferrule.errors import SchemaError
from ferrule.orm.fields import ForeignKeyField, Relation

__all__ = ["link_ends", "link_model"]


def link_model(relation: Relation) -> Any:
    """The automatic link model of a many-to-many: one row per linked pair."""
    from ferrule.orm.fields import BigIntField
    from ferrule.orm.model import Model, ModelMetaclass

    owner, target = relation.owner, relation.target
    source_name = owner.__name__.lower()
    target_name = target.__name__.lower()
    if source_name == target_name:
        source_name, target_name = f"from_{source_name}", f"to_{target_name}"
    meta = type(
        "Meta",
        (),
        {
            "table": f"{owner._meta.table}_{relation.name}",
            "unique_together": [(f"{source_name}_id", f"{target_name}_id")],
        },
    )
    namespace = {
        "__module__": owner.__module__,
        "__qualname__": f"{owner.__qualname__}.{relation.name}_link",
        "id": BigIntField(pk=True),
        source_name: ForeignKeyField(owner, related_name="+", on_delete="cascade"),
        target_name: ForeignKeyField(target, related_name="+", on_delete="cascade"),
        "Meta": meta,
    }
    name = f"{owner.__name__}{relation.name.title().replace('_', '')}Link"
    return ModelMetaclass(name, (Model,), namespace)


def link_ends(relation: Relation, link: Any) -> tuple[Relation, Relation]:
    """The link model's keys to the relation's owner and to its target."""
    if relation.through_fields is not None:
        return _named_ends(relation, link, relation.through_fields)
    keyed = [r for r in link._meta.relations.values() if r.kind != "m2m"]
    to_owner = [r for r in keyed if r.target is relation.owner]
    to_target = [r for r in keyed if r.target is relation.target]
    if relation.owner is relation.target and len(to_owner) == 2:
        return to_owner[0], to_owner[1]
    if len(to_owner) != 1 or len(to_target) != 1:
        raise SchemaError(
            f"{relation.owner.__name__}.{relation.name}: the through model "
            f"{link.__name__} needs exactly one foreign key to each side, or "
            "through_fields=(its key to this model, its key to the target)"
        )
    return to_owner[0], to_target[0]


def _named_ends(relation: Relation, link: Any, names: tuple[str, str]) -> tuple[Relation, Relation]:
    """The through model's keys ``through_fields`` names, each checked to point at its side."""
    ends = []
    for name, side in zip(names, (relation.owner, relation.target), strict=True):
        found = link._meta.relations.get(name)
        if found is None or found.kind == "m2m" or found.target is not side:
            raise SchemaError(
                f"{relation.owner.__name__}.{relation.name}: through_fields names "
                f"{link.__name__}.{name}, which is no foreign key to {side.__name__}"
            )
        ends.append(found)
    return ends[0], ends[1]
