"""The rows a delete's ``on_delete="cascade"`` removes, for their delete signals.

The database removes them (``ON DELETE CASCADE``); Django's collector sends ``pre_delete``
and ``post_delete`` for each, and so does ferrule, but only where a receiver listens: a
cascade is followed only toward a model some delete receiver watches (through the models
between), so a delete that no receiver hears below stays the one ``DELETE`` it was.
``on_delete="set null"`` is an update without signals (as Django's), so it is not followed.
Both write other tables than the delete's own: `invalidate` drops their cached queries.

`collect` runs in the delete's transaction: it locks the rows being deleted, level by level
(``SELECT ... FOR UPDATE``), so no row naming one of them can be added between the read and
the ``DELETE`` (the foreign key check of such an insert waits for the lock) and every row the
cascade removes is one a receiver heard of.

A row that restricts the delete (``on_delete="restrict"``, ``"no action"`` or
``"protect"``, naming a row the delete removes at any depth) is looked for first, by
`refuse_restricted`, when receivers listen: as Django's collector, the delete is refused
before any signal is sent. (A row added between that check and the ``DELETE`` is refused by
the database at the ``DELETE``.) A ``"protect"`` key refuses it even where the same delete
removes the protecting row (Django's PROTECT).

It is looked for as well whenever a restricting key can be reached (`checks_restricted`),
the delete then running in a transaction, so Django's answer holds on every database: a
restricting row that the same delete removes by cascade does not block it (Django's
RESTRICT). The databases check such a key as their cascades reach the restricted row, before
or after removing the restricting one: MariaDB by the order it follows the keys in (a song
restricting an album the artist's cascade removes), SQLite and PostgreSQL when the key names
the deleted row itself (a credit restricting the artist, removed with the artist's album).
`delete_dependents_first` removes those restricting rows first, as Django's collector orders
its deletes (a tree of its own restricting key leaves first, `delete_leaves_first`); then the
delete's own ``DELETE`` runs. On MariaDB, a row whose restricting key names the row itself, or
a row of another model the delete removes, is released from it first (`release_own_keys`):
InnoDB refused to delete it (a cascade from it reaching the row it restricts); rows restricting
each other in a cycle are released the same way on SQLite and MariaDB (`_in_rounds`). A delete no
receiver hears and no restricting key can reach stays one ``DELETE``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from ferrule.errors import IntegrityError, ProtectedError
from ferrule.models._core import force_setattr
from ferrule.orm import cache, registry, signals
from ferrule.orm.fields import Relation
from ferrule.orm.in_doubt import mark
from ferrule.orm.unused_keys import unused

__all__ = [
    "Doomed",
    "checks_restricted",
    "collect",
    "delete_dependents_first",
    "delete_leaves_first",
    "delete_trees_first",
    "drop_keys",
    "invalidate",
    "own_rows_removed",
    "refuse_restricted",
    "release_own_keys",
    "watched",
]

#: model -> the foreign keys (and one-to-ones) of other models naming it with CASCADE
_CASCADES: dict[Any, list[Relation]] = {}
#: model -> the keys naming it whose rows a delete of it sets to NULL
_SET_NULL: dict[Any, list[Relation]] = {}
#: model -> the keys naming it whose rows refuse its delete (restrict, no action, protect)
_RESTRICTS: dict[Any, list[Relation]] = {}
#: keys per ``IN (...)`` of one read (well under every database's parameter limit)
_CHUNK = 1000


def _record(relation: Relation) -> None:
    """``registry.on_resolved``: remember a cascading key (a ``related_name="+"`` one too)."""
    if relation.kind == "m2m":
        return
    if relation.on_delete == "cascade":
        _CASCADES.setdefault(relation.target, []).append(relation)
    elif relation.on_delete == "set null":
        _SET_NULL.setdefault(relation.target, []).append(relation)
    elif relation.on_delete in ("restrict", "no action", "protect"):
        _RESTRICTS.setdefault(relation.target, []).append(relation)


registry.on_resolved.append(_record)


def _cascades(model: Any, kept: dict[Any, list[Relation]] = _CASCADES) -> list[Relation]:
    """The cascading keys naming ``model`` (of ``kept``'s kind), of concrete models still in
    the registry (a test redefining a model leaves its old class's relations behind: not
    followed)."""
    return [
        r
        for r in kept.get(model, ())
        if not r.owner._meta.abstract and registry.lookup(r.owner.__name__, r.owner) is r.owner
    ]


def _listening(model: Any) -> bool:
    return signals.pre_delete.has_receivers(model) or signals.post_delete.has_receivers(model)


def _toward_receivers(model: Any) -> list[Relation]:
    """The cascading keys naming ``model`` whose rows (or rows they cascade to, at any
    depth) a delete receiver watches: the ones `collect` follows."""
    found: dict[Any, bool] = {}

    def heard(owner: Any) -> bool:
        if owner in found:
            return found[owner]
        found[owner] = False  # a cycle (a tree of its own model) adds nothing new
        answer = _listening(owner) or any(heard(r.owner) for r in _cascades(owner))
        found[owner] = answer
        return answer

    return [r for r in _cascades(model) if heard(r.owner)]


def watched(model: Any) -> bool:
    """Whether deleting rows of ``model`` cascades to rows a delete receiver watches (no
    walk at all while no delete receiver is registered, or nothing cascades to ``model``)."""
    if not signals.pre_delete._receivers and not signals.post_delete._receivers:
        return False
    if model not in _CASCADES:
        return False
    return bool(_toward_receivers(model))


def invalidate(model: Any, db: Any) -> None:
    """Forget the cached queries (``orm.cache``) of every table a delete of ``model``'s rows
    writes through the database's ``on_delete`` rules: the rows it cascades to, at every
    depth, and those it sets to NULL. (No query: a walk of the relations, and nothing at
    all while nothing names ``model``.)"""
    if model not in _CASCADES and model not in _SET_NULL:
        return
    reached: set[Any] = set()
    # the models whose cascades were followed: one a SET NULL reached first (a model with
    # both keys to the parent) still has its own cascades to follow
    followed = {model}
    stack = [model]
    while stack:
        parent = stack.pop()
        for relation in _SET_NULL.get(parent, ()):
            reached.add(relation.owner)
        for relation in _CASCADES.get(parent, ()):
            reached.add(relation.owner)
            if relation.owner not in followed:
                followed.add(relation.owner)
                stack.append(relation.owner)
    reached.discard(model)  # (its own table: the caller's)
    for owner in reached:
        if not owner._meta.abstract:
            cache.invalidate(owner, db)


def _reached(model: Any, test: Callable[[Any], Any]) -> bool:
    """Whether ``test`` holds for ``model`` or a model its cascades reach (no query)."""
    seen, stack = {model}, [model]
    while stack:
        parent = stack.pop()
        if test(parent):
            return True
        for relation in _cascades(parent):
            if relation.owner not in seen:
                seen.add(relation.owner)
                stack.append(relation.owner)
    return False


def _restricted_below(model: Any) -> bool:
    """Whether a restricting key names ``model`` or a model its cascades reach (no query)."""
    return _reached(model, lambda parent: _cascades(parent, _RESTRICTS))


def _self_cascading(model: Any) -> list[str]:
    """The key columns of ``model``'s cascading keys naming its own model (a tree's parent)."""
    return [r.attname for r in _cascades(model) if r.owner is model]


def _trees_below(model: Any) -> bool:
    """Whether ``model`` or a model its cascades reach has a cascading key naming its own
    model (no query)."""
    return _reached(model, _self_cascading)


def checks_restricted(model: Any, dialect: str) -> bool:
    """Whether a delete of ``model`` on ``dialect`` is checked and ordered here: a
    restricting key can be reached (the module docstring says why), a cascade reaches rows of
    ``model`` itself (a tree: `own_rows_removed` counts them), or, but on PostgreSQL, a tree
    of a cascading key below (`delete_trees_first` says why)."""
    return (
        _restricted_below(model)
        or _reaches(model, model)
        or (dialect != "postgres" and _trees_below(model))
    )


def own_rows_removed(model: Any, removing: dict[Any, set[Any]] | None, count: int) -> int:
    """The rows of ``model`` a delete removed, Django's count: ``count``, the rows its own
    ``DELETE`` matched, when its cascades cannot reach ``model``; else every row of it
    `refuse_restricted` found the delete removes, a tree's children too, which the
    databases' row counts leave out (a cascade is not the statement's)."""
    if removing is None or not _reaches(model, model):
        return count
    return len(removing.get(model, ()))


async def refuse_restricted(model: Any, keys: list[Any], db: Any) -> dict[Any, set[Any]] | None:
    """Refuse deleting ``keys`` of ``model`` before any signal, as Django's collector does,
    when a row naming a row the delete removes (its own or, at any depth, its cascades')
    through a restricting key is not removed by the same delete: an `IntegrityError` naming
    that key's model and field. Only read when such a key exists (else None); the cascaded
    rows' keys are read level by level (a row reached twice, or down a cycle, once), and
    returned, by model, for `delete_dependents_first` and `delete_trees_first`."""
    if not checks_restricted(model, db.dialect):
        return None
    removing: dict[Any, set[Any]] = {model: set(keys)}
    frontier: list[tuple[Any, list[Any]]] = [(model, list(keys))]
    while frontier:
        parent, parent_keys = frontier.pop()
        for relation in _cascades(parent):
            child = relation.owner
            known = removing.setdefault(child, set())
            fresh = [
                k for k in await _keys(child, relation.attname, parent_keys, db) if k not in known
            ]
            if fresh:
                known.update(fresh)
                frontier.append((child, fresh))
    for target, target_keys in removing.items():
        for relation in _cascades(target, _RESTRICTS):
            owner = relation.owner
            found = await _keys(owner, relation.attname, list(target_keys), db)
            if found and relation.on_delete == "protect":  # removed by this delete or not
                raise ProtectedError(
                    f"cannot delete {target.__name__} rows: {owner.__name__}.{relation.name}"
                    f" (on_delete='protect') names them ({owner.__name__} with"
                    f" {owner._meta.pk.name}={found[0]!r})"
                )
            kept = [k for k in found if k not in removing.get(owner, ())]
            if kept:
                raise IntegrityError(
                    f"cannot delete {target.__name__} rows: {owner.__name__}.{relation.name}"
                    f" (on_delete={relation.on_delete!r}) still names them ({owner.__name__}"
                    f" with {owner._meta.pk.name}={kept[0]!r})"
                )
    return removing


def _reaches(model: Any, target: Any) -> bool:
    """Whether deleting ``model``'s rows cascades, at any depth, to ``target``'s."""
    seen, stack = {model}, [model]
    while stack:
        for relation in _cascades(stack.pop()):
            if relation.owner is target:
                return True
            if relation.owner not in seen:
                seen.add(relation.owner)
                stack.append(relation.owner)
    return False


def _dependents_first(model: Any, removing: dict[Any, set[Any]]) -> list[Any]:
    """The models of ``removing`` (but ``model``) holding a restricting key to a model of
    ``removing``, each after those of them whose keys name it (Django's deletion order).
    None of them when one's own cascade would reach ``model`` (its rows would go before the
    delete's own ``DELETE`` counts them), or they name each other in a cycle: the database
    decides then."""
    others = {m for m in removing if m is not model and removing[m]}
    restricting = [r.owner for m in removing for r in _cascades(m, _RESTRICTS) if r.owner in others]
    owners = list(dict.fromkeys(restricting))
    if any(_reaches(owner, model) for owner in owners):
        return []
    before = {
        m: {
            r.owner
            for kept in (_CASCADES, _RESTRICTS)
            for r in _cascades(m, kept)
            if r.owner in owners and r.owner is not m
        }
        for m in owners
    }
    order: list[Any] = []
    while len(order) < len(owners):
        free = [m for m in owners if m not in order and before[m] <= set(order)]
        if not free:
            return []
        order.extend(free)
    return order


async def delete_dependents_first(model: Any, removing: dict[Any, set[Any]], db: Any) -> None:
    """Before the ``DELETE`` of ``model``'s rows: the rows its cascades remove (``removing``,
    from `refuse_restricted`) that hold a restricting key, dependents first (the module
    docstring says why)."""
    from ferrule import sql
    from ferrule.orm.lookups import listed

    for child in _dependents_first(model, removing):
        meta = child._meta
        keys = list(removing[child])
        # the trees its cascades reach first, leaves first: its DELETE would leave the
        # database to cascade through them (`delete_trees_first` says why)
        await delete_trees_first(model, [], removing, db, under=child)
        if await delete_leaves_first(child, keys, db) is not None:
            continue  # a tree of its own restricting key: leaves first
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            where = listed(db.dialect, sql.column(meta.pk.column), chunk)
            await db.execute(sql.delete(meta.sql_table).where(where))


async def release_own_keys(removing: dict[Any, set[Any]] | None, db: Any) -> None:
    """On MariaDB, before a delete's ``DELETE``s (in its transaction): the rows of
    ``removing`` (`refuse_restricted`'s, every model's rows the delete removes) whose
    restricting key names the row itself no longer do, nor do those of a model whose
    restricting key names a model of ``removing`` (another model: a cascade from such a row
    reaches the row it restricts). InnoDB refuses to delete them (1451: it finds the row
    naming itself, or the restricting row not yet deleted), which Django's collector, SQLite
    and PostgreSQL delete, as no other row names them (`refuse_restricted` looked); the rows
    released are deleted by the same delete. How: `_release`."""
    if not removing or db.dialect != "mysql":
        return
    for model, keys in removing.items():
        if keys:
            for relation in _cascades(model, _RESTRICTS):
                owner = relation.owner
                if owner is model:
                    await _release(model, relation, list(keys), db, only_itself=True)
                elif removing.get(owner):
                    released = list(removing[owner])
                    await _release(owner, relation, released, db, only_itself=False, avoid=keys)


async def _release(
    model: Any,
    relation: Relation,
    keys: list[Any],
    db: Any,
    *,
    only_itself: bool,
    avoid: Iterable[Any] | None = None,
) -> bool:
    """Set the restricting key ``relation`` of ``model``'s rows ``keys`` (rows a delete
    removes; ``only_itself``: those whose key names the row itself) to name none of them:
    NULL, or, a NOT NULL key, a key none of ``avoid`` is (``unused_keys``: the keys of the
    relation's target the delete removes; ``keys`` where the target is ``model``), so that
    no ``DELETE`` of them meets it: on MariaDB with the foreign key checks off for that one
    ``UPDATE`` (``SET STATEMENT ... FOR``), on SQLite with them deferred (`_deferred`: the
    rows holding that key are deleted before the checks run). Every ``DELETE`` still runs
    checked, cascades included. False, writing nothing, for another key (the database
    decides then)."""
    from ferrule import sql
    from ferrule.backends.database import compile_query
    from ferrule.orm.lookups import listed

    meta = model._meta
    column = meta.columns[relation.attname]
    prefix, value = "", None
    if not relation.null:
        if db.dialect in ("mysql", "sqlite"):  # (`_releasable`, its key kept)
            value = unused(relation, list(keys if avoid is None else avoid))
        if value is None:
            return False
        to_db = column.converters(db.dialect)[0]
        value = value if to_db is None else to_db(value)
        if db.dialect == "mysql":
            prefix = "SET STATEMENT foreign_key_checks = 0 FOR "
    pk = sql.column(meta.pk.column)
    for start in range(0, len(keys), _CHUNK):
        where = listed(db.dialect, pk, keys[start : start + _CHUNK])
        if only_itself:
            where = where & (sql.column(column.column) == pk)
        statement = sql.update(meta.sql_table).set({column.column: value}).where(where)
        text, params = compile_query(statement, None, db.dialect)
        await db.execute(prefix + text, params)
    return True


def _releasable(model: Any, relation: Relation, keys: list[Any], db: Any) -> bool:
    """Whether `_release` can release ``relation`` of ``keys``."""
    if relation.null:
        return True
    return db.dialect in ("mysql", "sqlite") and unused(relation, keys) is not None


async def delete_leaves_first(model: Any, keys: list[Any], db: Any) -> int | None:
    """The ``DELETE`` of ``keys`` of a model whose own key restricts it (a tree's parent,
    ``on_delete="restrict"``) or cascades to it, leaves first. SQLite checks a RESTRICT as
    each row goes and MariaDB as InnoDB reaches each row, so one ``DELETE`` of a whole
    subtree was refused though no row outside it names it (`refuse_restricted` looked),
    which Django's RESTRICT and PostgreSQL (checking at the statement's end) let go; of a
    cascading key, `delete_trees_first` says why. The rows deleted, or None when one
    ``DELETE`` does (PostgreSQL, no such key, rows naming each other in a cycle: the
    database decides then)."""
    if db.dialect == "postgres" or len(keys) < 2:
        return None
    own = [r.attname for r in _cascades(model, _RESTRICTS) if r.owner is model]
    own += _self_cascading(model)
    return await _in_rounds(model, keys, own, db, alone=False) if own else None


async def delete_trees_first(
    model: Any, keys: list[Any], removing: dict[Any, set[Any]], db: Any, under: Any = None
) -> None:
    """Before the ``DELETE`` of ``keys`` of ``model``, but on PostgreSQL: the rows of
    ``removing`` (`refuse_restricted`'s) of a model whose cascading key names its own model
    (a tree), but ``keys`` themselves, leaves first. A cascade through such a key, left to
    the database, went wrong: MariaDB follows a cascade 15 levels deep at most (a deeper
    tree was an OperationalError, 1296: InnoDB's error 193), and SQLite counted a
    ``DELETE`` of a parent and its children as the parent's row alone (its cascade removed
    the children before the statement reached them), where PostgreSQL and Django count
    every row the statement matched. ``under``: only the trees (other than ``model``) that
    model's cascades reach (`delete_dependents_first`, before deleting its rows)."""
    if db.dialect == "postgres":
        return
    mine = set(keys)
    trees = [owner for owner, rows in removing.items() if rows and _self_cascading(owner)]
    if under is not None:
        trees = [t for t in trees if t is not model and t is not under and _reaches(under, t)]
    for owner in _reached_first(trees):
        rows = removing[owner]
        left = [k for k in rows if k not in mine] if owner is model else list(rows)
        if left:
            await _in_rounds(owner, left, _self_cascading(owner), db, alone=True)


def _reached_first(models: list[Any]) -> list[Any]:
    """``models`` (trees a delete removes rows of), each after every other one of them its
    cascades reach: a tree's rows deleted before those of a tree cascading to them would
    leave the database to cascade through that tree (MariaDB's 15 levels). The order is the
    relations' own, not the one the models were declared or found in (the rows a delete
    found are kept by model in the order its walk met them, which follows declaration order:
    a tree met first, by a shorter path, went first though another tree's cascade reached
    it). Ties by table name; models reaching each other in a cycle have no such order (the
    database decides between them), they go by table name too."""
    left = sorted(models, key=lambda m: m._meta.table)
    order: list[Any] = []
    while left:
        sinks = [m for m in left if not any(o is not m and _reaches(m, o) for o in left)]
        step = sinks or left[:1]
        order.extend(step)
        left = [m for m in left if m not in step]
    return order


async def _in_rounds(model: Any, keys: list[Any], own: list[str], db: Any, alone: bool) -> Any:
    """Delete ``keys`` of ``model`` in rounds, each of the rows no other row of ``keys``
    names through an ``own`` key (its own model's); the rows deleted. Rows naming each other
    in a cycle go last, their restricting keys released first (`_release`: SQLite and
    MariaDB refused them, PostgreSQL checks at the statement's end). None, deleting nothing,
    when one round would do (``alone`` False) or a cycle cannot be released."""
    from ferrule import sql
    from ferrule.orm.lookups import listed

    meta = model._meta
    wanted = set(keys)
    names: dict[Any, set[Any]] = {}  # a row's key -> the other rows of the delete it names
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        query = model.filter(pk__in=chunk).using(db).values_list(meta.pk.name, *own)
        for key, *named in await query:
            names[key] = {k for k in named if k is not None and k != key and k in wanted}
    rounds: list[list[Any]] = []
    left = set(names)
    cycle: list[Any] = []  # rows naming each other (and those naming them), deleted last
    while left:
        named = set().union(*(names[k] for k in left))
        leaves = [k for k in left if k not in named]
        if not leaves:
            cycle = list(left)
            restricting = [r for r in _cascades(model, _RESTRICTS) if r.owner is model]
            if not restricting or not all(_releasable(model, r, cycle, db) for r in restricting):
                return None  # a cycle of cascades, or SQLite's NOT NULL key: the database's
            break
        rounds.append(leaves)
        left.difference_update(leaves)
    if len(rounds) < 2 and not alone and not cycle:
        return None
    count = 0
    if cycle:  # PostgreSQL (at the statement's end) and Django delete them: no other row
        rounds.append(cycle)  # names them, as refuse_restricted looked
    for leaves in rounds:
        deferring = leaves is cycle and db.dialect == "sqlite"
        async with _deferred(db) if deferring else contextlib.nullcontext():
            if leaves is cycle:
                for relation in restricting:
                    await _release(model, relation, cycle, db, only_itself=False)
            for start in range(0, len(leaves), _CHUNK):
                chunk = leaves[start : start + _CHUNK]
                where = listed(db.dialect, sql.column(meta.pk.column), chunk)
                count += int(await db.execute(sql.delete(meta.sql_table).where(where)))
    return count


@contextlib.asynccontextmanager
async def _deferred(db: Any) -> AsyncIterator[None]:
    """SQLite's foreign key checks deferred to the commit within the block (a NOT NULL key
    released to name no row, `_release`, and its rows deleted), then as they were: a
    transaction around the delete checks its own statements as it did. The rows released
    are deleted in the block, so the commit finds nothing; had the block failed, the
    delete's transaction rolls back (SQLite counts what a deferred check found until then,
    and refuses the commit while any is left)."""
    before = await db.fetch_val("PRAGMA defer_foreign_keys", [])
    await db.execute("PRAGMA defer_foreign_keys = ON", [])
    try:
        yield
    finally:
        if not before:
            await db.execute("PRAGMA defer_foreign_keys = OFF", [])


async def _keys(child: Any, column: str, keys: list[Any], db: Any, lock: bool = False) -> list[Any]:
    """The keys of the rows of ``child`` whose ``column`` holds one of ``keys`` (``lock``:
    the rows locked, ``SELECT ... FOR UPDATE``), read ``_CHUNK`` keys at a time."""
    lookup = f"{column}__in"
    pk = child._meta.pk.name
    found: list[Any] = []
    for start in range(0, len(keys), _CHUNK):
        query = child.filter(**{lookup: keys[start : start + _CHUNK]}).using(db)
        found.extend(
            await (query.select_for_update() if lock else query).values_list(pk, flat=True)
        )
    return found


class Doomed:
    """The rows a cascade removes, with their instances as they were, dependent rows first
    (Django's deletion order): ``pre_delete`` and ``post_delete`` for each, and their keys
    dropped once deleted."""

    def __init__(self) -> None:
        #: one group per level read, (model, instances); the deepest level last
        self.levels: list[tuple[Any, list[Any]]] = []

    def _in_order(self) -> list[tuple[Any, Any]]:
        return [(m, i) for m, group in reversed(self.levels) for i in group]

    async def send_pre(self, db: Any) -> None:
        for model, instance in self._in_order():
            await signals.pre_delete.send(model, instance, using=db)

    async def send_post(self, db: Any) -> None:
        for model, instance in self._in_order():
            await signals.post_delete.send(model, instance, using=db)

    def drop_keys(self, at_rollback: Callable[[Callable[[], None]], None]) -> None:
        drop_keys(self._in_order(), at_rollback)


def drop_keys(
    deleted: Iterable[tuple[Any, Any]], at_rollback: Callable[[Callable[[], None]], None]
) -> None:
    """Django leaves a deleted instance without its key: each of ``deleted`` (model,
    instance) loses it, and gets it back if the transaction rolls back
    (``Database.at_rollback``), unless it has a new one by then."""
    for model, instance in deleted:
        name = model._meta.pk.name
        key = getattr(instance, name, None)
        force_setattr(instance, name, None)
        at_rollback(_KeyBack(instance, name, key))


class _KeyBack:
    """``drop_keys``' rollback callback: the key back, unless the instance has a new one. If
    the reply to the block's COMMIT is lost (``unknown``), the row may or may not be gone:
    the key comes back too, and the instance is in doubt (``orm.in_doubt``), so that neither
    a save() with no key (a second row) nor one with it (the row back) runs unchecked."""

    __slots__ = ("instance", "key", "name")

    def __init__(self, instance: Any, name: str, key: Any) -> None:
        self.instance, self.name, self.key = instance, name, key

    def __call__(self) -> None:
        if getattr(self.instance, self.name, None) is None:
            force_setattr(self.instance, self.name, self.key)

    def unknown(self) -> None:
        if getattr(self.instance, self.name, None) is None:
            force_setattr(self.instance, self.name, self.key)
            mark(self.instance, "delete")


async def collect(model: Any, keys: list[Any], db: Any) -> Doomed:
    """The rows deleting ``keys`` of ``model`` removes by cascade toward a receiver, read
    and locked in ``db``'s open transaction, level by level (a row reached twice, or down a
    cycle, is read once); ``keys``' own rows are locked first."""
    doomed = Doomed()
    await _keys(model, model._meta.pk.name, list(keys), db, lock=True)
    seen: dict[Any, set[Any]] = {model: set(keys)}
    frontier: list[tuple[Any, list[Any]]] = [(model, list(keys))]
    while frontier:
        next_frontier: list[tuple[Any, list[Any]]] = []
        for parent, parent_keys in frontier:
            for relation in _toward_receivers(parent):
                child = relation.owner
                rows = await _read(child, relation, parent_keys, db)
                known = seen.setdefault(child, set())
                fresh = [r for r in rows if r.pk not in known]
                if not fresh:
                    continue
                known.update(r.pk for r in fresh)
                doomed.levels.append((child, fresh))
                next_frontier.append((child, [r.pk for r in fresh]))
        frontier = next_frontier
    return doomed


async def _read(child: Any, relation: Relation, keys: list[Any], db: Any) -> list[Any]:
    """The rows of ``child`` whose ``relation`` names one of ``keys``, locked."""
    lookup = f"{relation.attname}__in"
    rows: list[Any] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        query = child.filter(**{lookup: chunk}).using(db).select_for_update()
        rows.extend(await query.order_by(child._meta.pk.name))
    return rows
