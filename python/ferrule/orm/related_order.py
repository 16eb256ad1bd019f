"""Django's ordering by a relation: ``order_by("author")`` orders by the related model's
``Meta.ordering`` (``author__name``, ...), a ``-`` turning each of its terms round, and by the
key only when that model has no ordering of its own; the same for a relation in a model's own
``Meta.ordering``. An ordering that comes back to a model it is expanding is a
``FieldError`` (Django: "Infinite loop caused by ordering"). Expanded once per model and
names, before the names are compiled."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError

__all__ = ["expanded"]

#: (model, names) -> the names with each relation replaced by its model's ordering
_EXPANDED: dict[tuple[Any, tuple[str, ...]], tuple[str, ...]] = {}
_MAX = 4096


def expanded(model: Any, names: tuple[str, ...], annotations: Any) -> tuple[str, ...]:
    """``names`` with every name of a to-one relation (not an annotation) replaced by the
    terms of its model's ``Meta.ordering``."""
    if not names:
        return names
    if annotations:
        if all(n.lstrip("-") in annotations for n in names):
            return names
        return tuple(
            term
            for name in names
            for term in (
                (name,) if name.lstrip("-") in annotations else _expand(model, name, (model,))
            )
        )
    key = (model, names)
    found = _EXPANDED.get(key)
    if found is None:
        found = tuple(term for name in names for term in _expand(model, name, (model,)))
        if len(_EXPANDED) >= _MAX:
            _EXPANDED.clear()
        _EXPANDED[key] = found
    return found


def _expand(model: Any, name: str, seen: tuple[Any, ...]) -> list[str]:
    descending = name.startswith("-")
    bare = name[1:] if descending else name
    target = _related(model, bare)
    if target is None:
        return [name]
    ordering = target._meta.options.ordering
    if not ordering:
        return [name]  # by its key
    if target in seen:
        raise FieldError(
            f"{seen[0].__name__}: ordering by {bare!r} comes back to {target.__name__}'s "
            f"Meta.ordering {list(ordering)}, which orders by it again: name a field instead"
        )
    out = []
    for term in ordering:
        down = term.startswith("-")
        path = f"{bare}__{term.lstrip('-')}"
        out.extend(_expand(model, f"-{path}" if down != descending else path, (*seen, target)))
    return out


def _related(model: Any, name: str) -> Any:
    """The model a path of relations ending in a to-one relation leads to (None for a
    column, an unknown name, or a to-many relation at its end)."""
    parts = name.split("__")
    for index, part in enumerate(parts):
        meta = model._meta
        if part in meta.columns or part == "pk":
            return None
        relation = meta.relation(part)
        if relation is None:
            return None  # resolved, and refused, where the names are compiled
        forward = meta.relations.get(part) is relation
        last = index == len(parts) - 1
        if relation.kind == "m2m":
            if last:
                return None
            pair = relation.link_target if forward else relation.link_source
            model = pair.target if pair is not None else None
        else:
            if last and not forward and relation.kind != "o2o":
                return None
            model = relation.target if forward else relation.owner
        if model is None or isinstance(model, str):
            return None
    return model
