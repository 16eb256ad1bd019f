"""Relation attributes: ``post.author`` (forward), ``author.posts`` (reverse), ``post.tags``
(many-to-many), and the link model of an automatic many-to-many.

Reading a relation never runs a query. A relation loaded by ``select_related``,
``prefetch_related`` or ``fetch_related`` answers from memory; one that was not raises
`RelationNotLoadedError` naming the call to add. Queries are explicit: ``author.posts.all()``
is a QuerySet to await, ``await post.tags.add(tag)`` writes the link table (the managers,
and the reverse attributes a resolved relation installs, are ``orm.related_managers``')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ferrule.errors import RelationNotLoadedError, SchemaError
from ferrule.models._core import force_setattr, keep_gc_tracked
from ferrule.orm.fields import Relation

__all__ = ["install_forward", "loaded", "not_loaded", "other_rows", "remember", "row_of"]


class _NotLoaded:
    """The value of a relation attribute that no query loaded (here, beside the descriptors
    that test for it by identity: a model's instance may be falsy, ``__len__`` 0)."""

    _instance: _NotLoaded | None = None

    def __new__(cls) -> _NotLoaded:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<not loaded>"

    def __copy__(self) -> _NotLoaded:
        return self

    def __deepcopy__(self, memo: Any) -> _NotLoaded:
        return self

    def __bool__(self) -> bool:
        return False


NOT_LOADED: Any = _NotLoaded()


_SLOT: list[Any] = []  # the ``__ferrule_related__`` member of orm.Model, once looked up


def related_cache(instance: Any) -> dict[str, Any] | None:
    """The instance's dict of loaded relations and marks, or None; read through the slot
    itself (an unset slot would otherwise go through ``Model.__getattr__``)."""
    if not _SLOT:
        from ferrule.orm.model import Model

        _SLOT.append(Model.__dict__["__ferrule_related__"])
    try:
        found: dict[str, Any] = _SLOT[0].__get__(instance, None)
    except AttributeError:
        return None
    return found


def loaded(instance: Any) -> dict[str, Any]:
    """The relations loaded on ``instance`` (reverse and many-to-many), by accessor."""
    cache = related_cache(instance)
    if cache is None:
        cache = {}
        force_setattr(instance, "__ferrule_related__", cache)
    return cache


#: the related-cache key of the database an instance was loaded from or saved to through
#: ``using`` (Django's ``instance._state.db``): its saves, deletes and relations go back there
DATABASE = "@@database"


#: whether any instance was ever given a database (``remember_database``): until one is,
#: ``own_database`` reads no instance (an unset slot's read raises, and every save asks)
_REMEMBERED = [False]
#: the same flag, for the callers that test it before calling `own_database` (create())
DATABASES_GIVEN = _REMEMBERED


def own_database(instance: Any, using: Any = None) -> Any:
    """``using``, else the database ``instance`` came from through ``using`` (None: the
    default)."""
    if using is not None or not _REMEMBERED[0]:
        return using
    cache = related_cache(instance)
    return None if cache is None else cache.get(DATABASE)


def follow_database(instance: Any, value: Any) -> None:
    """Django's rule for a new instance given a related instance read from a database given
    by ``using``: the new one is written there too (its saves, deletes and relations go
    back there), not to the default database with the other database's key. Only an
    instance with no key and no database of its own follows (one read from the default
    database would otherwise move)."""
    if not _REMEMBERED[0]:
        return
    theirs = related_cache(value)
    db = None if theirs is None else theirs.get(DATABASE)
    if db is None or instance.pk is not None:
        return
    mine = loaded(instance)
    if DATABASE not in mine:
        mine[DATABASE] = db


def remember_database(instances: Iterable[Any], db: Any) -> None:
    """Record that ``instances`` were loaded from or saved to ``db``, given by ``using``."""
    _REMEMBERED[0] = True
    for instance in instances:
        loaded(instance)[DATABASE] = db


#: the related-cache key under which a forward relation's instance is remembered as the one
#: its key column was last synced with (``orm.model``'s relation check): a key assigned by
#: hand afterwards no longer matches it, and the instance is dropped, not written back
SYNCED = "@synced:"


#: the related-cache key marking a loaded list that came in its queryset's order
#: (``Meta.ordering``, a ``Prefetch``'s ``order_by()``): ``ORDERED + accessor``, set by the
#: prefetch beside the list, read by ``orm.loaded_queries`` (``first()``/``last()``)
ORDERED = "@ordered:"
#: the related-cache key of a loaded list's ``Prefetch`` queryset (``SOURCE + accessor``),
#: set by the prefetch beside the list: while the list is loaded, the manager's queries start
#: from it (``orm.related_managers``), as Django's prefetched manager is that queryset
SOURCE = "@source:"


def remember(instance: Any, name: str, value: Any) -> None:
    """Record a loaded relation: a forward key's instance goes into its attribute, marked as
    the one its key holds (a key assigned later must win over it)."""
    relation = type(instance)._meta.relations.get(name)
    if relation is not None and relation.kind != "m2m":
        force_setattr(instance, name, value)
        loaded(instance)[SYNCED + name] = value  # None too: a key assigned later must win
    else:
        loaded(instance)[name] = value


def forget_refreshed(instance: Any, names: Iterable[str], whole: bool) -> None:
    """After ``refresh_from_db``, as Django's: a forward relation whose key column was read
    again is no longer loaded (its instance may not be the key's any more), and a whole
    refresh forgets the loaded reverse and many-to-many lists too (the rows may have
    changed)."""
    from ferrule.orm.model import NOT_LOADED

    meta = type(instance)._meta
    refreshed = set(names)
    cache = related_cache(instance)
    for relation in meta.relations.values():
        if relation.kind != "m2m" and relation.attname in refreshed:
            force_setattr(instance, relation.name, NOT_LOADED)
            if cache is not None:
                cache.pop(SYNCED + relation.name, None)
    if whole and cache is not None:
        for key in [k for k in cache if meta.relation(k) is not None]:
            del cache[key]


def row_of(value: Any, model: Any) -> bool:
    """Whether ``value`` is one of ``model``'s rows: its real type (not a ``__class__`` it
    claims) is ``model``, or a subclass on ``model``'s table. A concrete subclass has a
    table of its own, whose keys name other rows in ``model``'s (Django's multi-table
    inheritance shares the parent's row; ferrule's does not)."""
    kind = type(value)
    if kind is model:
        return True
    return issubclass(kind, model) and kind._meta.table == model._meta.table


def other_rows(instance: Any, relation: Relation, name: str) -> AttributeError:
    """The error of a reverse relation read on an instance of a subclass of its target
    stored in a table of its own (the attribute is inherited, the relation is not)."""
    kind, target = type(instance).__name__, relation.target.__name__
    return AttributeError(
        f"{kind}.{name}: {relation.owner.__name__}.{relation.name} names {target} rows, and a "
        f"{kind} is stored in a table of its own ({type(instance)._meta.table}), not {target}'s"
    )


def not_loaded(instance: Any, name: str, many: bool = False) -> RelationNotLoadedError:
    """The error of a relation read unloaded; ``many``: a to-many one (a related manager's),
    which ``select_related()`` does not follow."""
    model = type(instance).__name__
    if many:
        return RelationNotLoadedError(
            f"{model}.{name} was not loaded, and ferrule runs no hidden query: add "
            f".prefetch_related({name!r}) to the query, `await obj.fetch_related({name!r})`, "
            f"or read its rows with `await obj.{name}.all()`"
        )
    return RelationNotLoadedError(
        f"{model}.{name} was not loaded, and ferrule runs no hidden query: add "
        f".select_related({name!r}) or .prefetch_related({name!r}) to the query, or "
        f"`await obj.fetch_related({name!r})`"
    )


def key_deferred(instance: Any, relation: Relation) -> RelationNotLoadedError:
    """The error of a forward relation whose key column the query did not load."""
    model = type(instance).__name__
    return RelationNotLoadedError(
        f"{model}.{relation.name} was not loaded, and its key {model}.{relation.attname} "
        f"neither: the query's only()/defer() left it out (load it with "
        f"only(..., {relation.name!r}), or select_related({relation.name!r}))"
    )


class ForwardDescriptor:
    """``post.author``: the related instance, stored in the field's own slot."""

    def __init__(self, member: Any, relation: Relation) -> None:
        self.member = member
        self.relation = relation

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self.member  # the slot itself, as the model core expects
        try:
            value = self.member.__get__(instance, owner)
        except AttributeError:
            value = None if self._key(instance) is None else ...
        else:
            if value is NOT_LOADED:  # by identity: an instance may be falsy too
                value = None if self._key(instance) is None else ...
        if value is ...:
            raise not_loaded(instance, self.relation.name)
        return value

    def _key(self, instance: Any) -> Any:
        """The key column's value; a key that only()/defer() left out says nothing of
        whether a row is related: the relation is not loaded then (it read as None)."""
        try:
            return getattr(instance, self.relation.attname)
        except AttributeError:
            raise key_deferred(instance, self.relation) from None

    def __set__(self, instance: Any, value: Any) -> None:
        """Store the instance and its key; a value that is no saved instance of the target
        (its real type) leaves the key as it was: the relation check refuses it, and the
        pure core, which sets the slot first, puts only the slot back then."""
        keep_gc_tracked(instance, value)
        self.member.__set__(instance, value)
        if value is None:
            if self.relation.null:  # (else refused: "cannot be None")
                force_setattr(instance, self.relation.attname, None)
            return
        target = self.relation.target
        if isinstance(target, type) and row_of(value, target):
            key = value.pk
            if key is not None:
                force_setattr(instance, self.relation.attname, key)

    def __delete__(self, instance: Any) -> None:
        self.member.__delete__(instance)


class ReverseOneDescriptor:
    """``user.profile`` for a one-to-one: the one related instance, once loaded; loaded with
    no row, Django's ``RelatedObjectDoesNotExist`` (``User.profile.RelatedObjectDoesNotExist``,
    a subclass of ``Profile.DoesNotExist`` and of ``AttributeError``: ``hasattr()`` is False),
    however it was loaded (``Prefetch(to_attr=...)`` holds None, as Django's)."""

    def __init__(self, relation: Relation) -> None:
        self.relation = relation
        self._missing: type[Exception] | None = None

    @property
    def RelatedObjectDoesNotExist(self) -> type[Exception]:
        """The error of a loaded relation with no row (made once the owner model is known:
        it subclasses the owner's ``DoesNotExist``)."""
        if self._missing is None:
            owner = self.relation.owner
            self._missing = type(
                "RelatedObjectDoesNotExist",
                (owner.DoesNotExist, AttributeError),
                {"__module__": owner.__module__, "__qualname__": _qualname(self.relation)},
            )
        return self._missing

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        name = self.relation.accessor
        if type(instance) is not self.relation.target and not row_of(
            instance, self.relation.target
        ):
            raise other_rows(instance, self.relation, name)
        cache = loaded(instance)
        found = cache.get(name, NOT_LOADED)
        if found is NOT_LOADED:  # by identity: an instance may be falsy too
            raise not_loaded(instance, name)
        if found is None:
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {name}.")
        return found


def _qualname(relation: Relation) -> str:
    target = getattr(relation.target, "__qualname__", str(relation.target))
    return f"{target}.{relation.accessor}.RelatedObjectDoesNotExist"


def install_forward(cls: Any, relations: dict[str, Relation]) -> None:
    """Put the forward relation attributes on a new model class."""
    for name, relation in relations.items():
        if relation.kind == "m2m":
            continue  # installed when the target and link model are known
        member = cls.__dict__.get(name)
        if member is None:  # a relation of an abstract parent: the parent's slot (which
            member = getattr(cls, name, None)  # its ForwardDescriptor gives for the class)
        if member is None or type(member).__name__ != "member_descriptor":
            raise SchemaError(f"{cls.__name__}.{name}: a relation needs its own slot")
        # in front of the slot, as only the ORM may (``ModelMeta`` refuses anything else)
        type.__setattr__(cls, name, ForwardDescriptor(member, relation))
