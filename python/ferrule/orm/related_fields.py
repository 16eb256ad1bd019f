"""``only()`` and ``defer()`` naming the fields of related models, as Django's:
``Post.select_related("author").only("title", "author__name")`` loads the post's title (and
key, and the author key the join needs) and the author's name (and key); ``defer(
"author__bio")`` leaves that column out of the author. The paths lead through to-one
relations only, and must be in ``select_related()`` when the query runs (a ``FieldError``
there otherwise: nothing else would load them). What each path loads is kept by path:
``{("author",): ("id", "name")}``."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import shown as shown_value

__all__ = ["check_selected", "defer", "only"]

#: path of relations -> the field names loaded from the model at its end
Loaded = dict[tuple[str, ...], tuple[str, ...]]


def _target(model: Any, path: tuple[str, ...], call: str, name: str) -> Any:
    """The model at the end of a path of to-one relations (forward, or a reverse
    one-to-one), or a ``FieldError`` naming the part that is none."""
    for part in path:
        meta = model._meta
        relation = meta.relation(part)
        if relation is None:
            raise FieldError(f"{call}({name!r}): {meta.unknown(part, 'relation')}")
        forward = meta.relations.get(part) is relation
        if relation.kind == "m2m" or (not forward and relation.kind != "o2o"):
            raise FieldError(
                f"{call}({name!r}): {meta.name}.{part} is a to-many relation, whose fields "
                "select_related() does not load (use a Prefetch queryset's only())"
            )
        model = relation.target if forward else relation.owner
    return model


def _columns(model: Any, names: list[str], call: str, shown: str) -> tuple[str, ...]:
    """``names`` as the model's column field names (a forward relation: its key)."""
    meta = model._meta
    out = []
    for name in names:
        relation = meta.relations.get(name)
        column = relation.attname if relation is not None and relation.kind != "m2m" else name
        if column not in meta.columns:
            raise FieldError(f"{call}({shown!r}): {meta.unknown(name)}")
        out.append(column)
    return tuple(out)


def _by_path(model: Any, names: tuple[str, ...], call: str) -> tuple[list[str], dict[Any, Any]]:
    """The model's own names, and the related ones grouped by path. A name is a ``str`` (a
    subclass is read as the text it holds, whatever its methods say)."""
    own: list[str] = []
    related: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        if type(name) is not str:
            if not isinstance(name, str):
                raise FieldError(
                    f"{model.__name__}: {call}() takes field names, not {shown_value(name)}"
                )
            name = str.__str__(name)
        if "__" not in name:
            own.append(name)
            continue
        parts = name.split("__")
        related.setdefault(tuple(parts[:-1]), []).append(parts[-1])
    checked = {}
    for route, fields in related.items():
        shown = "__".join((*route, fields[0]))
        target = _target(model, route, call, shown)
        checked[route] = (target, _columns(target, fields, call, shown))
    return own, checked


def only(model: Any, names: tuple[str, ...]) -> tuple[tuple[str, ...], Loaded]:
    """``QuerySet.only``: the model's fields loaded (the named ones, its key, and each
    path's first key, which its join reads) and what each related path loads: the named
    fields, its key and the keys of the relations deeper paths join through."""
    own, related = _by_path(model, names, "only")
    named = {path: fields for path, (_, fields) in related.items()}
    paths = {path[:depth] for path in named for depth in range(1, len(path) + 1)}
    loaded: Loaded = {}
    for path in paths:
        target = _target(model, path, "only", "__".join(path))
        loaded[path] = _with_keys(target, named.get(path, ()), path, paths)
        first = model._meta.relations.get(path[0]) if len(path) == 1 else None
        if first is not None:
            own.append(first.name)
    meta = model._meta
    wanted = _key_columns(model, own)
    for name in wanted:
        if name not in meta.columns:
            raise meta.unknown(name)
    return tuple(n for n in meta.columns if n in wanted or n == meta.pk.name), loaded


def _with_keys(
    target: Any, fields: tuple[str, ...], path: tuple[str, ...], paths: set[tuple[str, ...]]
) -> tuple[str, ...]:
    """``fields`` of the model at ``path`` with its key and the keys of the forward
    relations the deeper paths join through."""
    meta = target._meta
    wanted = set(fields) | {meta.pk.name}
    for deeper in paths:
        if len(deeper) == len(path) + 1 and deeper[: len(path)] == path:
            relation = meta.relations.get(deeper[-1])
            if relation is not None:
                wanted.add(relation.attname)
    return tuple(n for n in meta.columns if n in wanted)


def defer(
    model: Any, names: tuple[str, ...], fields: tuple[str, ...] | None, before: Loaded
) -> tuple[tuple[str, ...], Loaded]:
    """``QuerySet.defer``: the model's fields still loaded (of ``fields``, all when None)
    without these, and what each related path loads without the named ones (of what it
    loaded ``before``: all its columns, when only() named none)."""
    own, related = _by_path(model, names, "defer")
    meta = model._meta
    left = _key_columns(model, own)
    for name in left:
        if name not in meta.columns:
            raise meta.unknown(name)
        if name == meta.pk.name:
            raise FieldError(f"{meta.name}: the primary key cannot be deferred")
    loaded = dict(before)
    for path, (target, named) in related.items():
        tmeta = target._meta
        if tmeta.pk.name in named:
            raise FieldError(f"defer(): the primary key of {tmeta.name} cannot be deferred")
        current = loaded.get(path, tuple(tmeta.columns))
        loaded[path] = tuple(n for n in current if n not in named)
    kept = tuple(n for n in (fields or tuple(meta.columns)) if n not in left)
    return kept, loaded


def _key_columns(model: Any, names: list[str]) -> tuple[str, ...]:
    """``names`` with each forward relation's name (``author``) as its key column's
    (``author_id``), the field ``only()``/``defer()`` load or leave."""
    relations = model._meta.relations
    out = []
    for name in names:
        relation = relations.get(name) if isinstance(name, str) else None
        out.append(relation.attname if relation is not None and relation.kind != "m2m" else name)
    return tuple(out)


def check_selected(qs: Any) -> None:
    """Each path only()/defer() named is loaded by ``select_related()`` (else nothing would
    read those fields): a ``FieldError`` when the query runs otherwise."""
    if not qs._related_fields:
        return
    selected = {tuple(p.split("__")[:depth]) for p in qs._related for depth in range(1, 99)}
    for path in qs._related_fields:
        if path not in selected:
            name = "__".join(path)
            raise FieldError(
                f"{qs._model._meta.name}: only()/defer() name fields of {name!r}, which "
                f"select_related() does not load: add select_related({name!r})"
            )
