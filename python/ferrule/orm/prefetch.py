"""Loading relations: ``select_related`` (the related columns in the same query, through
LEFT JOINs) and ``prefetch_related`` / ``fetch_related`` (one query per relation, keys sent
in IN batches; the lookups, `orm.Prefetch` objects among them, are planned and checked in
``orm.prefetching``). Both store what they load on the instances (``relations.remember``; a
``to_attr`` under ``"@name"`` in the instance's cache, where attribute reads find it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from ferrule.errors import FieldError, ORMError
from ferrule.models._core import force_setattr, keep_gc_tracked
from ferrule.orm import loading, prefetch_slices
from ferrule.orm.columns import read_column
from ferrule.orm.empty import EmptyQuerySet
from ferrule.orm.expressions import shown, text_of
from ferrule.orm.prefetch_links import link_conditions
from ferrule.orm.prefetch_slices import is_sliced
from ferrule.orm.prefetching import Level, plan
from ferrule.orm.relations import (
    ORDERED,
    SOURCE,
    SYNCED,
    key_deferred,
    loaded,
    related_cache,
    remember,
)

__all__ = [
    "attach_joined",
    "check_prefetch",
    "check_select_related",
    "fetch_related",
    "joined_columns",
    "prefetch",
]

_BATCH = 1000


def _walk(model: Any, path: str, *, forward_only: bool) -> list[Any]:
    relations = []
    for part in path.split("__"):
        relation = model._meta.relation(part)
        if relation is None:
            raise model._meta.unknown(part, "relation")
        forward = model._meta.relations.get(part) is relation
        if forward_only and (relation.kind == "m2m" or not (forward or relation.kind == "o2o")):
            raise FieldError(
                f"{model.__name__}.{part}: select_related() follows foreign keys and "
                "one-to-one relations (either way), to at most one row; use prefetch_related()"
                " for this one"
            )
        relations.append((part, relation, forward))
        if relation.kind == "m2m":
            model = (relation.link_target if forward else relation.link_source).target
        else:
            model = relation.target if forward else relation.owner
    return relations


def check_select_related(model: Any, names: Iterable[Any]) -> tuple[str, ...]:
    """``names`` as plain text (``expressions.text_of`` says why), each a path of forward
    relations of ``model``."""
    texts = []
    for name in names:
        text = text_of(name)
        if text is None:
            raise FieldError(f"select_related() takes relation names, not {shown(name)}")
        _walk(model, text, forward_only=True)
        texts.append(text)
    return tuple(texts)


#: how deep ``select_related()`` without names follows keys (Django's ``max_depth``)
_DEPTH = 5


def non_null_paths(model: Any, depth: int = _DEPTH) -> tuple[str, ...]:
    """The paths of ``select_related()`` without names: every forward key or one-to-one
    that cannot be NULL, and on from its target, ``depth`` relations deep at most."""
    out: list[str] = []
    for name, relation in model._meta.relations.items():
        if relation.kind == "m2m" or relation.null:
            continue
        below = non_null_paths(relation.target, depth - 1) if depth > 1 else ()
        out.extend(f"{name}__{path}" for path in below)
        if not below:
            out.append(name)
    return tuple(out)


def refuse_after_values(model: Any, method: str) -> None:
    """values() rows hold no related instance: a relation loaded for them would be dropped
    without a word (Django refuses select_related() there too)."""
    raise ORMError(
        f"{model.__name__}: {method}() after values() or values_list() loads nothing into "
        "their rows; name the related fields in values() ('author__name'), or call "
        f"{method}() before values()"
    )


def check_prefetch(model: Any, items: Iterable[Any]) -> None:
    """Check ``prefetch_related()`` lookups (names and `orm.Prefetch` objects), all together."""
    plan(model, items)


def joined_columns(
    scope: Any, paths: Sequence[str], fields: dict[tuple[str, ...], tuple[str, ...]] | None = None
) -> list[tuple[Any, Any]]:
    """The columns of every model on the ``select_related`` paths (and their prefixes):
    all of them, or those ``only()``/``defer()`` left (``fields``, by path)."""
    out = []
    seen: set[tuple[str, ...]] = set()
    for path in paths:
        parts = path.split("__")
        for depth in range(1, len(parts) + 1):
            prefix = tuple(parts[:depth])
            if prefix in seen:
                continue
            seen.add(prefix)
            alias, model = scope.resolve_join(prefix)
            kept = fields.get(prefix) if fields else None
            for name, column in model._meta.columns.items():
                if kept is None or name in kept:
                    item = ("related", (prefix, name), None)
                    out.append((read_column(column, alias, scope.dialect), item))
    return out


def attach_joined(
    instances: list[Any], rows: Sequence[Any], described: list[Any], dialect: str, validate: bool
) -> None:
    """Build the joined instances from their columns and hang them on their parents."""
    by_path: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for index, item in enumerate(described):
        if item[0] == "related":
            prefix, name = item[1]
            by_path.setdefault(prefix, []).append((index, name))
    parents: dict[tuple[str, ...], list[Any]] = {(): instances}
    caches: dict[int, dict[str, Any]] = {}  # the instances here are new: no cache yet
    for prefix in sorted(by_path, key=len):
        owners = parents[prefix[:-1]]
        owner_model: Any = type(next((o for o in owners if o is not None), None))
        # a forward relation, or the reverse of a one-to-one (its owner's row, or None)
        relation = owner_model._meta.relation(prefix[-1]) if owner_model is not type(None) else None
        positions = by_path[prefix]
        target = None
        forward = False
        if relation is not None:
            forward = owner_model._meta.relations.get(prefix[-1]) is relation
            target = relation.target if forward else relation.owner
        children: list[Any] = []
        if target is not None:
            names = tuple(name for _, name in positions)
            columns = target._meta.columns
            plan = (
                names,
                tuple(index for index, _ in positions),
                tuple(loading.reader(columns[n], dialect) for n in names),
            )
            pk_position = next(i for i, n in positions if n == target._meta.pk.name)
            present = [row for row in rows if row[pk_position] is not None]
            checked = validate or target._meta.options.validate  # (its Meta's, as when read alone)
            built = iter(loading.build(target, present, plan, validate=checked))
            children = [next(built) if row[pk_position] is not None else None for row in rows]
        name = prefix[-1]
        # a one-to-one's row points back (Django's select_related sets that side too)
        back = relation is not None and relation.kind == "o2o"
        for owner, child in zip(owners, children or [None] * len(owners), strict=True):
            if owner is not None and relation is not None:
                if forward:
                    force_setattr(owner, name, child)
                    _cache_of(owner, caches)[SYNCED + name] = child  # None too (orm.model)
                    if child is not None and back and relation.accessor:
                        _cache_of(child, caches)[relation.accessor] = owner
                else:
                    _cache_of(owner, caches)[name] = child
                    if child is not None:
                        force_setattr(child, relation.name, owner)
                        _cache_of(child, caches)[SYNCED + relation.name] = owner
        parents[prefix] = children or [None] * len(owners)


def _cache_of(instance: Any, caches: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The related cache of an instance built by this query (none yet: made here, without
    asking the slot, whose unset read raises), as ``relations.loaded`` would give it."""
    cache = caches.get(id(instance))
    if cache is None:
        cache = caches[id(instance)] = {}
        force_setattr(instance, "__ferrule_related__", cache)
    return cache


def _batches(keys: list[Any]) -> list[list[Any]]:
    return [keys[start : start + _BATCH] for start in range(0, len(keys), _BATCH)]


async def _in_batches(query_for: Any, keys: list[Any], db: Any) -> list[Any]:
    out: list[Any] = []
    for start in range(0, len(keys), _BATCH):
        out.extend(await _on(query_for(keys[start : start + _BATCH]), db))
    return out


def _on(queryset: Any, db: Any) -> Any:
    """The queryset on the prefetch's database, unless it names its own."""
    return queryset if queryset._db is not None else queryset.using(db)


async def fetch_related(instances: Iterable[Any], *names: Any, using: Any = None) -> None:
    """``orm.fetch_related(docs, "writer", "labels")``: load the relations of instances
    already in hand (a list made from several queries, or kept from one), one query per
    relation level for all of them, as ``prefetch_related`` would have (Django's
    ``prefetch_related_objects``). The instances are of one model and from one database
    (``using``, else the one they were read from); anything else is a ``FieldError``."""
    from ferrule.orm.model import Model
    from ferrule.orm.relations import own_database

    if isinstance(instances, Model):
        raise FieldError(
            f"orm.fetch_related() takes a list of instances, not one {type(instances).__name__}:"
            f" use `await obj.fetch_related(...)` or orm.fetch_related([obj], ...)"
        )
    items = list(instances)
    if not items:
        return  # nothing to load, and no model to check the names against
    model = type(items[0])
    for item in items:
        if not isinstance(item, Model):
            raise FieldError(f"orm.fetch_related() takes model instances, not {item!r}")
        if type(item) is not model:
            raise FieldError(
                f"orm.fetch_related(): a {type(item).__name__} among {model.__name__} "
                "instances: load each model's relations in a call of its own"
            )
    check_prefetch(model, names)
    if using is None:
        found = {id(db): db for db in (own_database(item) for item in items)}
        if len(found) > 1:
            raise FieldError(
                f"orm.fetch_related(): the {model.__name__} instances were read from "
                "different databases: pass using=, or call it for each database's"
            )
        using = next(iter(found.values()))
    await prefetch(items, names, using)


async def prefetch(instances: Sequence[Any], items: Iterable[Any], db: Any) -> None:
    """Load each lookup (names, ``a__b`` paths, `orm.Prefetch` objects) for every instance:
    one query per level (two for a many-to-many: its links, then its rows)."""
    if not instances:
        return
    model = type(instances[0])
    levels = plan(model, items)
    from ferrule.orm.databases import database_for

    db = database_for(model, db)
    done: dict[tuple[str, ...], list[Any]] = {(): list(instances)}
    for level in levels:
        parents = done[level.key[:-1]]
        done[level.key] = await _load(parents, level, db) if parents else []


async def _load(instances: list[Any], level: Level, db: Any) -> list[Any]:
    relation, forward = level.relation, level.forward
    custom = level.queryset is not None or level.to_attr is not None
    if level.to_attr is not None:
        _check_free(instances[0], level.to_attr)
    if isinstance(level.queryset, EmptyQuerySet):  # none(): nothing to ask
        for instance in instances:
            _store(instance, level, None if level.single else [])
        return []
    if is_sliced(level.queryset):  # numbered per parent (`orm.prefetch_slices`)
        found = await prefetch_slices.load(instances, level, db, _batches, _store, _rows)
        if relation.kind != "m2m" and not forward:
            key = level.part if level.to_attr is None else "@" + level.to_attr
            for instance in instances:
                _point_back(loaded(instance)[key], relation.name, instance)
        return found
    already = None if custom else _already_loaded(instances, level.part, relation, forward)
    if already is not None:  # loaded by the query ("author" in select_related) or before
        return already
    if relation.kind == "m2m":
        return await _prefetch_many(instances, level, db)
    if forward:
        return await _prefetch_forward(instances, level, db)
    return await _prefetch_reverse(instances, level, db)


def _check_free(instance: Any, name: str) -> None:
    """A to_attr must not overwrite an annotation of the same name (both are read as
    attributes from the instance's cache; a value a prefetch stored is marked "#")."""
    cache = loaded(instance)
    if "@" + name in cache and "#" + name not in cache:
        raise FieldError(
            f"Prefetch(to_attr={name!r}): the {type(instance).__name__} rows have an "
            f"annotation {name!r}; choose another to_attr"
        )


def _store(instance: Any, level: Level, value: Any) -> None:
    if level.to_attr is not None:
        keep_gc_tracked(instance, value)
        cache = loaded(instance)
        cache["@" + level.to_attr] = value
        cache["#" + level.to_attr] = None
    elif level.forward and level.single:
        remember(instance, level.part, value)
    else:
        cache = loaded(instance)
        cache[level.part] = value
        source = level.queryset
        if source is not None and not level.single and not is_sliced(source):
            cache[SOURCE + level.part] = source  # (a slice is each parent's: no one query)
        else:
            cache.pop(SOURCE + level.part, None)
        if level.ordered:  # (orm.loaded_queries: first()/last() of the list)
            cache[ORDERED + level.part] = True
        elif not level.single:
            cache.pop(ORDERED + level.part, None)


def _rows(level: Level, target: Any, attname: str | None) -> Any:
    """The level's queryset (its target's rows by default), keeping ``attname`` loaded."""
    queryset = level.queryset
    if queryset is None:
        return target.all()
    fields = queryset._fields
    if attname is not None and fields is not None and attname not in fields:
        queryset = queryset.only(*fields, attname)
    return queryset


def _already_loaded(
    instances: list[Any], name: str, relation: Any, forward: bool
) -> list[Any] | None:
    out: list[Any] = []
    for instance in instances:
        if forward and relation.kind != "m2m":
            try:
                value = getattr(instance, name)
            except AttributeError:
                return None
            if value is not None:
                out.append(value)
            continue
        cache = loaded(instance)
        key = name
        if key not in cache:
            return None
        value = cache[key]
        if isinstance(value, list):
            out.extend(value)
        elif value is not None:
            out.append(value)
    return out


async def _prefetch_forward(instances: list[Any], level: Level, db: Any) -> list[Any]:
    relation = level.relation
    attname = relation.attname
    try:  # a deferred key would read as no related row
        keys = list({k for i in instances if (k := getattr(i, attname)) is not None})
    except AttributeError:
        deferred = next(i for i in instances if not hasattr(i, attname))
        raise key_deferred(deferred, relation) from None
    rows = _rows(level, relation.target, None)
    found = await _in_batches(lambda batch: rows.filter(pk__in=batch), keys, db)
    by_key = {obj.pk: obj for obj in found}
    if level.to_attr is not None:
        for instance in instances:
            key = getattr(instance, attname)
            _store(instance, level, None if key is None else by_key.get(key))
        return found
    name, mark = level.part, SYNCED + level.part
    for instance in instances:  # relations.remember, written out: it runs for every row
        key = getattr(instance, attname)
        value = None if key is None else by_key.get(key)
        force_setattr(instance, name, value)
        cache = related_cache(instance)
        if cache is None:
            cache = {}
            force_setattr(instance, "__ferrule_related__", cache)
        cache[mark] = value  # None too: a key assigned later must win (orm.model)
    if relation.kind == "o2o" and relation.accessor:  # the row points back, as in Django
        for instance in instances:
            value = getattr(instance, name)
            if value is not None:
                loaded(value)[relation.accessor] = instance
    return found


async def _prefetch_reverse(instances: list[Any], level: Level, db: Any) -> list[Any]:
    relation = level.relation
    keys = [i.pk for i in instances if i.pk is not None]
    attname = relation.attname
    rows = _rows(level, relation.owner, attname)
    found = await _in_batches(lambda batch: rows.filter(**{f"{attname}__in": batch}), keys, db)
    groups: dict[Any, list[Any]] = {}
    for obj in found:
        groups.setdefault(getattr(obj, attname), []).append(obj)
    for instance in instances:
        group = groups.get(instance.pk, [])
        _store(instance, level, (group[0] if group else None) if level.single else group)
        _point_back(group, relation.name, instance)
    return found


def _point_back(rows: list[Any], name: str, instance: Any) -> None:
    """The rows of a reverse relation loaded for ``instance`` get it as their ``name``
    relation (Django's prefetch sets it: no query), unless their queryset loaded it."""
    mark = SYNCED + name
    for row in rows:
        cache = related_cache(row)
        if cache is None:
            cache = {}
            force_setattr(row, "__ferrule_related__", cache)
        elif mark in cache:
            continue
        force_setattr(row, name, instance)
        cache[mark] = instance


async def _prefetch_many(instances: list[Any], level: Level, db: Any) -> list[Any]:
    """The links of the parents (in batches, in link order), then the linked rows: by their
    keys, each parent's list in link order; with a queryset, or a target model with a
    ``Meta.ordering`` (Django's lists follow it, as ``all()`` does), per batch of parents
    through a subquery of the links, each list in the queryset's order (rows in several
    batches of keys would come in several orders)."""
    relation = level.relation
    mine, other = relation.link_source, relation.link_target
    if not level.forward:
        mine, other = other, mine
    if level.queryset is None and other.target._meta.options.ordering:
        level = dataclasses.replace(level, queryset=other.target.all())
    link = mine.owner
    own = relation.accessor if level.forward else relation.name
    bound = None
    if level.queryset is not None:  # Django binds its conditions to each link (prefetch_links)
        bound = link_conditions(level.queryset, other.target, link, mine, other, own)
    keys = [i.pk for i in instances if i.pk is not None]
    groups: dict[Any, list[Any]] = {}
    found: list[Any] = []
    every: list[Any] = []  # all the pairs, without a queryset
    for start in range(0, len(keys), _BATCH):
        links = link.filter(**{f"{mine.attname}__in": keys[start : start + _BATCH]})
        if bound is not None:
            links = links.filter(bound)
        pairs = await _on(
            links.order_by(link._meta.pk.name).values_list(mine.attname, other.attname), db
        )
        if level.queryset is None:
            every.extend(pairs)  # the rows are loaded once, below
            continue
        wanted = links.values_list(other.attname, flat=True)
        batch = await _on(level.queryset.filter(pk__in=wanted), db) if pairs else []
        found.extend(batch)
        owners: dict[Any, list[Any]] = {}
        for a, b in pairs:
            owners.setdefault(b, []).append(a)
        for obj in batch:
            for a in owners.get(obj.pk, ()):
                groups.setdefault(a, []).append(obj)
    if level.queryset is None:
        target = other.target
        wanted_keys = list({b for _, b in every})
        found = await _in_batches(lambda batch: target.filter(pk__in=batch), wanted_keys, db)
        by_key = {obj.pk: obj for obj in found}
        for a, b in every:
            if b in by_key:
                groups.setdefault(a, []).append(by_key[b])
    for instance in instances:
        _store(instance, level, groups.get(instance.pk, []))
    return found
