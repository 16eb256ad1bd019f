"""The related managers: ``author.posts`` (a reverse foreign key) and ``post.tags`` /
``tag.posts`` (a many-to-many), with their writes (``add``, ``remove``, ``clear``, ``set``,
``create``, ...), and the reverse attributes each relation installs on its target once it is
resolved (``registry.on_resolved``). What they read and remember on an instance is
``orm.relations``'."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ferrule.errors import FieldError, IntegrityError, SchemaError
from ferrule.orm import registry
from ferrule.orm.expressions import shown
from ferrule.orm.fields import Relation
from ferrule.orm.link_models import link_ends, link_model
from ferrule.orm.loaded_queries import loaded_all
from ferrule.orm.relations import (
    ORDERED,
    SOURCE,
    ReverseOneDescriptor,
    loaded,
    not_loaded,
    other_rows,
    own_database,
    row_of,
)

__all__ = ["ManyToManyManager", "ReverseManager"]

#: how many times ``add`` inserts the links still missing after losing a race to link them
_ADD_ATTEMPTS = 5

#: the QuerySet methods a related manager runs on its ``all()``, as Django's managers do
#: (``author.posts.order_by(...)``); not ``delete``, which Django's managers leave out too
#: (``count``/``exists`` are the managers' own: a loaded relation answers from its list)
_QUERY_METHODS = frozenset(
    (
        "aggregate",
        "alias",
        "annotate",
        "defer",
        "distinct",
        "earliest",
        "exclude",
        "first",
        "get",
        "get_or_none",
        "in_bulk",
        "iterator",
        "last",
        "latest",
        "only",
        "order_by",
        "prefetch_related",
        "select_related",
        "update",
        "values",
        "values_list",
    )
)


class _Loaded:
    """Shared by the managers: the list a prefetch stored, or the not-loaded error; the
    QuerySet methods of ``all()``."""

    instance: Any
    name: str

    def all(self) -> Any:
        raise NotImplementedError

    def _holding(self, query: Any) -> Any:
        """``query`` (``all()``'s), holding the loaded list when the relation is loaded."""
        cache = loaded(self.instance)
        found = cache.get(self.name)
        if found is None:
            return query
        return loaded_all(query, found, ORDERED + self.name in cache)

    def __getattr__(self, name: str) -> Any:
        if name in _QUERY_METHODS:
            query = self.all()
            if name == "update":  # a write of all()'s rows (Django's), then not loaded
                self._forget()
            return getattr(query, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _source(self, model: Any) -> Any:
        """What ``all()`` starts from: while the list is loaded by a ``Prefetch`` with a
        queryset, that queryset (the queries made from ``all()`` keep its filters and order,
        as Django's prefetched manager is it), else ``model``."""
        cache = loaded(self.instance)
        if self.name not in cache:
            return model
        return cache.get(SOURCE + self.name, model)

    def _forget(self) -> None:
        """Drop the prefetched list before a write through this manager (as Django does):
        whatever the write's outcome (returned, raised, cancelled once it went through), the
        relation then reads as not loaded, never as the rows from before it."""
        cache = loaded(self.instance)
        cache.pop(self.name, None)
        cache.pop(SOURCE + self.name, None)

    async def count(self) -> int:
        """How many related rows: of the prefetched list when the relation is loaded (as
        ``len()``; Django's manager then returns the prefetched QuerySet, whose ``count()``
        reads its cache, a ``Prefetch`` queryset's filter included), else a ``COUNT`` query."""
        found = loaded(self.instance).get(self.name)
        if found is not None:
            return len(found)
        return await self.all().count()  # type: ignore[no-any-return]

    async def exists(self) -> bool:
        """Whether there is a related row: the prefetched list's answer when loaded (as
        ``bool()``, Django's), else a query."""
        found = loaded(self.instance).get(self.name)
        if found is not None:
            return bool(found)
        return await self.all().exists()  # type: ignore[no-any-return]

    def _items(self) -> list[Any]:
        found = loaded(self.instance).get(self.name)
        if found is None:
            raise not_loaded(self.instance, self.name, many=True)
        return list(found) if not isinstance(found, list) else found

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __getitem__(self, index: Any) -> Any:
        return self._items()[index]

    def __bool__(self) -> bool:
        return bool(self._items())

    def __await__(self) -> Any:
        """Tortoise's ``await team.players``: the rows, read now, as ``all()``'s."""
        return self.all().__await__()

    def __aiter__(self) -> Any:
        return self.all().__aiter__()

    def __repr__(self) -> str:
        state = "loaded" if self.name in loaded(self.instance) else "not loaded"
        return f"<{type(self).__name__} {type(self.instance).__name__}.{self.name} ({state})>"


class ReverseManager(_Loaded):
    """``author.posts``: the rows of another model whose key points at this instance."""

    def __init__(self, instance: Any, relation: Relation) -> None:
        self.instance = instance
        self.relation = relation
        self.name = relation.accessor

    def _key(self) -> Any:
        key = self.instance.pk
        if key is None:
            raise ValueError(f"save the {type(self.instance).__name__} first")
        return key

    def all(self) -> Any:
        """A QuerySet of the related rows (a query: await it), or, while the relation is
        loaded, one holding the loaded list (``orm.loaded_queries``)."""
        owner = self._source(self.relation.owner)
        query = owner.filter(**{self.relation.attname: self._key()})
        return self._holding(query.using(own_database(self.instance)))

    def filter(self, /, *args: Any, **kwargs: Any) -> Any:
        return self.all().filter(*args, **kwargs)

    def _own(self, given: dict[str, Any], verb: str) -> None:
        """``given`` (a call's keywords) may name the key only as this manager's instance
        (Django's managers overwrite any other in silence: the row would then not be the
        one asked for, or, through the key column, not the manager's)."""
        relation, mine = self.relation, self._key()
        owner = relation.owner.__name__
        names = (relation.name, relation.attname)
        # by the text each name holds: a str subclass's __eq__/__hash__ may hide it from `in`
        for key in [k for k in given if isinstance(k, str) and str.__str__(k) in names]:
            name, value = str.__str__(key), given.pop(key)
            if name == relation.name:
                same = value is self.instance or (
                    isinstance(value, type(self.instance)) and value.pk == mine
                )
            else:
                target_pk = relation.target._meta.pk
                same = value is not None and target_pk.check(value, owner) == mine
            if not same:
                raise FieldError(
                    f"{type(self.instance).__name__}.{self.name}.{verb}(): {owner}.{name}="
                    f"{shown(value)} names another row than the manager's "
                    f"{type(self.instance).__name__} (pk={mine!r}), which it sets itself"
                )

    def _own_defaults(self, defaults: dict[str, Any] | None, verb: str) -> Any:
        """``defaults`` checked as ``_own`` checks keywords (a copy: the caller's is kept)."""
        if not defaults:
            return defaults
        mine = dict(defaults)
        self._own(mine, verb)
        return mine

    async def create(self, /, **values: Any) -> Any:
        self._forget()
        self._own(values, "create")
        values[self.relation.name] = self.instance
        using = own_database(self.instance)
        return await self.relation.owner.create(**values, using=using)

    async def get_or_create(
        self, /, defaults: dict[str, Any] | None = None, **lookup: Any
    ) -> tuple[Any, bool]:
        """The owner's ``get_or_create`` with the key set to the instance (Django's; a key
        in ``defaults`` too may name only the instance: the row made would not be the
        manager's)."""
        self._forget()
        self._own(lookup, "get_or_create")
        defaults = self._own_defaults(defaults, "get_or_create")
        lookup[self.relation.name] = self.instance
        using = own_database(self.instance)
        return await self.relation.owner.get_or_create(defaults, using=using, **lookup)  # type: ignore[no-any-return]

    async def update_or_create(
        self,
        /,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **lookup: Any,
    ) -> tuple[Any, bool]:
        """The owner's ``update_or_create`` with the key set to the instance (Django's; the
        defaults may name the key only as the instance, as ``get_or_create``'s)."""
        self._forget()
        self._own(lookup, "update_or_create")
        defaults = self._own_defaults(defaults, "update_or_create")
        create_defaults = self._own_defaults(create_defaults, "update_or_create")
        lookup[self.relation.name] = self.instance
        using = own_database(self.instance)
        owner = self.relation.owner
        return await owner.update_or_create(defaults, create_defaults, using=using, **lookup)  # type: ignore[no-any-return]

    def _instances(self, objs: tuple[Any, ...], verb: str) -> list[Any]:
        """``objs`` as saved instances of the owner model (Django's reverse managers take
        instances, not keys: the instances' keys are set to match)."""
        owner = self.relation.owner
        for obj in objs:
            if not row_of(obj, owner):  # the real type, not a __class__ it claims
                raise FieldError(
                    f"{type(self.instance).__name__}.{self.name}.{verb}() takes "
                    f"{owner.__name__} instances, not {shown(obj)}"
                )
            if obj.pk is None:
                raise ValueError(f"save the {owner.__name__} before {verb}ing it")
        return list(objs)

    def _nullable(self, verb: str) -> None:
        """``remove``/``clear`` set the key to NULL: refused for a key that cannot hold it
        (Django's managers have no such methods then)."""
        if not self.relation.null:
            owner = self.relation.owner.__name__
            raise FieldError(
                f"{type(self.instance).__name__}.{self.name}.{verb}(): {owner}."
                f"{self.relation.name} is not nullable, so a {owner} cannot be taken out of "
                f"it: delete the {owner} rows, or give them another {self.relation.name}"
            )

    async def add(self, *objs: Any, bulk: bool = True, using: Any = None) -> None:
        """Point ``objs`` (saved instances of the owner model) at this instance: one
        ``UPDATE`` of their keys, and each instance's relation set to it (Django's
        ``add(bulk=True)``). ``bulk=False`` saves each instance instead (new ones too), with
        its save signals, in one transaction (Django's)."""
        self._forget()
        if not bulk:
            await self._save_each(objs, "add", self.instance, None, using)
            return
        items = self._instances(objs, "add")
        key = self._key()
        if items:
            using = own_database(self.instance, using)
            owner = self.relation.owner
            keys = [obj.pk for obj in items]
            await owner.filter(pk__in=keys).using(using).update(**{self.relation.attname: key})
            for obj in items:
                setattr(obj, self.relation.name, self.instance)

    async def _save_each(
        self, objs: Any, verb: str, value: Any, fields: list[str] | None, using: Any
    ) -> None:
        """``bulk=False``: each instance's relation set to ``value`` and saved (``fields``:
        its ``update_fields``), in one transaction."""
        from ferrule.orm.transactions import transaction

        owner = self.relation.owner
        for obj in objs:
            if not row_of(obj, owner):  # the real type, on the owner's table (as `_instances`)
                raise FieldError(
                    f"{type(self.instance).__name__}.{self.name}.{verb}() takes "
                    f"{owner.__name__} instances, not {shown(obj)}"
                )
        self._key()
        using = own_database(self.instance, using)
        async with transaction(using=using):
            for obj in objs:
                setattr(obj, self.relation.name, value)
                await obj.save(using=using, update_fields=fields)

    async def remove(self, *objs: Any, bulk: bool = True, using: Any = None) -> None:
        """Set the key of ``objs`` (pointing at this instance) to NULL; one that points
        elsewhere is a ``DoesNotExist`` and nothing is written (Django's). ``bulk=False``
        saves each instance (its key only), with its save signals."""
        self._forget()
        self._nullable("remove")
        items = self._instances(objs, "remove")
        key = self._key()
        for obj in items:
            if getattr(obj, self.relation.attname) != key:
                raise self.relation.owner.DoesNotExist(
                    f"{obj!r} is not related to {self.instance!r}"
                )
        if not bulk:
            await self._save_each(items, "remove", None, [self.relation.attname], using)
            return
        if items:
            using = own_database(self.instance, using)
            mine = self.all().using(using).filter(pk__in=[obj.pk for obj in items])
            await mine.update(**{self.relation.attname: None})
            for obj in items:
                setattr(obj, self.relation.name, None)

    async def clear(self, *, bulk: bool = True, using: Any = None) -> None:
        """Set the key of every row pointing at this instance to NULL (Django's);
        ``bulk=False`` loads them and saves each (its key only), with its save signals."""
        self._forget()
        self._nullable("clear")
        rows = self.all().using(own_database(self.instance, using))
        if bulk:
            await rows.update(**{self.relation.attname: None})
            return
        await self._save_each(await rows, "clear", None, [self.relation.attname], using)

    async def set(
        self, objs: Iterable[Any], *, bulk: bool = True, clear: bool = False, using: Any = None
    ) -> None:
        """Make ``objs`` the rows pointing at this instance, in one transaction: the others
        are removed (their key set to NULL, so only for a nullable key: otherwise a
        ``FieldError`` when one would be), the new ones added (Django's ``set``; ``clear=True``
        removes every row first, ``bulk=False`` saves each instance as ``add``/``remove``
        then do). The instance's row is locked first, as the many-to-many ``set()`` does:
        sets of one instance racing each other run one after the other, the last one whole
        (each read the rows to take out before another committed, and all stayed)."""
        self._forget()
        from ferrule.orm.transactions import transaction

        objs = tuple(objs)
        items = self._instances(objs, "set") if bulk else list(objs)
        using = own_database(self.instance, using)
        wanted = {obj.pk for obj in items if obj.pk is not None}
        async with transaction(using=using):
            target = type(self.instance).filter(pk=self._key()).using(using)
            await target.select_for_update().values_list("pk", flat=True)
            current = self.all().using(using)
            stale = current.exclude(pk__in=list(wanted)) if wanted and not clear else current
            if await stale.exists():
                self._nullable("set")
                if bulk:
                    await stale.update(**{self.relation.attname: None})
                else:
                    fields = [self.relation.attname]
                    await self._save_each(await stale, "set", None, fields, using)
            await self.add(*items, bulk=bulk, using=using)


class ReverseDescriptor:
    def __init__(self, relation: Relation) -> None:
        self.relation = relation

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        target = self.relation.target
        if type(instance) is not target and not row_of(instance, target):
            raise other_rows(instance, self.relation, self.relation.accessor)
        return ReverseManager(instance, self.relation)


class ManyToManyManager(_Loaded):
    """``post.tags`` / ``tag.posts``: the rows linked through the link table."""

    def __init__(self, instance: Any, relation: Relation, reverse: bool) -> None:
        self.instance = instance
        self.relation = relation
        self.reverse = reverse
        self.name = relation.accessor if reverse else relation.name
        mine, other = relation.link_source, relation.link_target
        if reverse:
            mine, other = other, mine
        assert mine is not None and other is not None
        self._mine, self._other = mine, other

    @property
    def model(self) -> Any:
        return self._other.target

    def _key(self) -> Any:
        key = self.instance.pk
        if key is None:
            raise ValueError(f"save the {type(self.instance).__name__} first")
        return key

    def _link_query(self) -> Any:
        link = self._mine.owner
        query = link.filter(**{self._mine.attname: self._key()})
        return query.using(own_database(self.instance))

    def all(self) -> Any:
        """A QuerySet of the linked rows (a query: await it), or, while the relation is
        loaded, one holding the loaded list (``orm.loaded_queries``)."""
        keys = self._link_query().values_list(self._other.attname, flat=True)
        rows = self._source(self.model).filter(pk__in=keys)
        return self._holding(rows.using(own_database(self.instance)))

    def filter(self, /, *args: Any, **kwargs: Any) -> Any:
        return self.all().filter(*args, **kwargs)

    def _keys_of(self, objs: Iterable[Any]) -> list[Any]:
        """The keys of ``objs`` (instances or keys): a key given is validated as the target's
        key field (the plain value it holds: it is hashed to drop repeats, and an int
        subclass's ``__hash__`` may raise; a list given as one object is no key)."""
        from ferrule.orm.model import Model

        keys = []
        pk, owner = self.model._meta.pk, self.model.__name__
        for obj in objs:
            if row_of(obj, self.model):  # the real type, not a __class__ it claims
                key = obj.pk
                if key is None:
                    raise ValueError(f"save the {type(obj).__name__} before linking it")
            elif isinstance(obj, Model):  # another model's row (or one claiming a model)
                raise FieldError(
                    f"{type(self.instance).__name__}.{self.name} links {owner} rows, not a "
                    f"{type(obj).__name__} ({shown(obj)})"
                )
            else:
                key = pk.check(obj, owner)
            keys.append(key)
        return keys

    def _mirror(self) -> ManyToManyManager | None:
        """The same links the other way round, for a symmetrical relation (b is a's friend
        when a is b's: both rows are written, as Django does), else None. It has no reverse
        accessor, so a reverse manager is only ever this mirror."""
        if not self.relation.symmetrical or self.reverse:
            return None
        return ManyToManyManager(self.instance, self.relation, reverse=True)

    async def add(
        self, *objs: Any, using: Any = None, through_defaults: dict[str, Any] | None = None
    ) -> None:
        """Link ``objs`` (instances or keys), each new link's own fields taken from
        ``through_defaults`` (a callable value is called, as Django does); links that exist
        already are kept as they are,
        also those another task made while this call ran (its insert then fails on the
        link's unique pair, and the links are read again; one of ours that is still missing
        makes the violation a real one, raised). A symmetrical relation's links are written
        both ways, in one transaction."""
        from ferrule.orm.transactions import transaction

        self._forget()
        mirror = self._mirror()
        if mirror is None:
            return await self._add(objs, using, through_defaults)
        async with transaction(using=own_database(self.instance, using)):
            await self._add(objs, using, through_defaults)
            await mirror._add(objs, using, through_defaults)

    async def _add(self, objs: Any, using: Any, through_defaults: dict[str, Any] | None) -> None:
        keys = self._keys_of(objs)
        if not keys:
            return
        using = own_database(self.instance, using)
        link = self._mine.owner
        mine = self._key()
        wanted = list(dict.fromkeys(keys))
        extra = {k: v() if callable(v) else v for k, v in (through_defaults or {}).items()}
        lost: IntegrityError | None = None
        existing: set[Any] = set()
        for _ in range(_ADD_ATTEMPTS):
            linked = await self._linked(wanted, using)
            if lost is not None and linked <= existing:
                raise lost  # nobody else linked one of ours meanwhile: not a lost race
            existing = linked
            rows = [
                link(**{**extra, self._mine.attname: mine, self._other.attname: key})
                for key in wanted
                if key not in existing
            ]
            if not rows:
                break
            try:
                await link.bulk_create(rows, using=using)
                break
            except IntegrityError as error:
                lost = error
        else:
            assert lost is not None
            raise lost

    async def _linked(self, keys: list[Any] | None, using: Any) -> set[Any]:
        """Which of ``keys`` (all, when None) are linked to the instance now: inside a
        transaction by a locking read, which sees the links committed since the transaction's
        snapshot (a MariaDB transaction's plain reads do not)."""
        query = self._link_query().using(using)
        if keys is not None:
            query = query.filter(**{f"{self._other.attname}__in": keys})
        if query._database.in_transaction():
            query = query._select_for_share()
        return set(await query.values_list(self._other.attname, flat=True))

    async def create(
        self, /, *, through_defaults: dict[str, Any] | None = None, **values: Any
    ) -> Any:
        """Make a related row and link it (``through_defaults`` as ``add()``'s), both or
        neither, as Django's ``create()`` of a many-to-many manager."""
        self._forget()
        from ferrule.orm.transactions import transaction

        using = own_database(self.instance)
        self._key()
        async with transaction(using=using):
            made = await self.model.create(using=using, **values)
            await self.add(made, using=using, through_defaults=through_defaults)
        return made

    async def get_or_create(
        self,
        /,
        defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **lookup: Any,
    ) -> tuple[Any, bool]:
        """Django's: the linked row matching ``lookup``, or a new one made from it and
        ``defaults`` and linked, both or neither (a row that exists unlinked is not it)."""
        from ferrule.orm import creating

        return await self._linked_if_made(
            lambda base, using: creating.get_or_create(base, defaults, using, lookup),
            through_defaults,
        )

    async def update_or_create(
        self,
        /,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **lookup: Any,
    ) -> tuple[Any, bool]:
        """Django's: the linked row matching ``lookup`` updated with ``defaults``, or a new
        one made (from ``create_defaults`` when given) and linked, both or neither."""
        from ferrule.orm import creating

        return await self._linked_if_made(
            lambda base, using: creating.update_or_create(
                base, defaults, using, lookup, create_defaults
            ),
            through_defaults,
        )

    async def _linked_if_made(
        self, find: Any, through_defaults: dict[str, Any] | None
    ) -> tuple[Any, bool]:
        """``find(base, using)``'s ``(row, created)`` among the linked rows (``base``), a
        created row linked in the same transaction. A lost race to make it (an
        ``IntegrityError``: another task made and linked it, and has committed) looks again
        with the links read by a locking read: the first look's subquery of the links keeps
        to a MariaDB transaction's snapshot, even under the outer query's lock."""
        from ferrule.orm.transactions import transaction

        self._forget()  # the row found may be updated, or a new one linked
        using = own_database(self.instance)
        self._key()
        async with transaction(using=using):
            try:
                found, created = await find(self.all(), using)
            except IntegrityError:
                links = self._link_query().using(using)._select_for_share()
                keys = links.values_list(self._other.attname, flat=True)
                found, created = await find(self.model.filter(pk__in=keys), using)
            if created:
                await self.add(found, using=using, through_defaults=through_defaults)
        return found, created

    async def remove(self, *objs: Any, using: Any = None) -> None:
        """Unlink ``objs`` (both ways for a symmetrical relation, in one transaction)."""
        self._forget()
        from ferrule.orm.transactions import transaction

        using = own_database(self.instance, using)
        keys = self._keys_of(objs)
        if keys:
            async with transaction(using=using):
                mine = self._link_query().filter(**{f"{self._other.attname}__in": keys})
                await mine.using(using).delete()
                if (mirror := self._mirror()) is not None:
                    await mirror.remove(*keys, using=using)

    async def clear(self, *, using: Any = None) -> None:
        """Unlink every row (both ways for a symmetrical relation, in one transaction)."""
        self._forget()
        from ferrule.orm.transactions import transaction

        using = own_database(self.instance, using)
        async with transaction(using=using):
            await self._link_query().using(using).delete()
            if (mirror := self._mirror()) is not None:
                await mirror.clear(using=using)

    async def set(
        self,
        objs: Iterable[Any],
        *,
        using: Any = None,
        clear: bool = False,
        through_defaults: dict[str, Any] | None = None,
    ) -> None:
        """Make ``objs`` exactly the linked rows, in one transaction that first locks the
        instance's row: sets of one instance racing each other run one after the other, and
        the last one stays whole (never a mixture of two). ``clear=True`` unlinks every row
        first, then links ``objs`` (Django's)."""
        self._forget()
        from ferrule.orm.transactions import transaction

        keys = self._keys_of(objs)
        using = own_database(self.instance, using)
        async with transaction(using=using):
            owner = type(self.instance).filter(pk=self._key()).using(using)
            await owner.select_for_update().values_list("pk", flat=True)
            if clear:
                await self.clear(using=using)
            current = set() if clear else await self._linked(None, using)
            wanted = set(keys)
            if current - wanted:
                await self.remove(*(current - wanted), using=using)
            if wanted - current:
                new = [k for k in keys if k not in current]
                await self.add(*new, using=using, through_defaults=through_defaults)


class ManyToManyDescriptor:
    def __init__(self, relation: Relation, reverse: bool) -> None:
        self.relation = relation
        self.reverse = reverse

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        mine = self.relation.target if self.reverse else self.relation.owner
        if type(instance) is not mine and not row_of(instance, mine):
            name = self.relation.accessor if self.reverse else self.relation.name
            raise other_rows(instance, self.relation, name)
        return ManyToManyManager(instance, self.relation, self.reverse)


def _accessor(relation: Relation) -> str:
    owner = relation.owner.__name__.lower()
    if relation.related_name:
        return relation.related_name.replace("%(class)s", owner)  # Django's placeholder
    return owner if relation.kind == "o2o" else f"{owner}_set"


def _claim(target: Any, name: str, relation: Relation) -> None:
    info = target._meta
    taken = set(info.columns) | set(info.relations) | set(info.reverse) | set(dir(target))
    if name in taken and info.reverse.get(name) is not relation:
        raise SchemaError(
            f"{relation.owner.__name__}.{relation.name}: {target.__name__} already has an "
            f"attribute {name!r}; choose another related_name"
        )
    info.reverse[name] = relation


def _on_resolved(relation: Relation) -> None:
    target = relation.target
    if relation.kind == "m2m":
        link = relation.through if relation.through is not None else link_model(relation)
        relation.through = link
        relation.link_source, relation.link_target = link_ends(relation, link)
        setattr(relation.owner, relation.name, ManyToManyDescriptor(relation, reverse=False))
        if relation.related_name != "+" and not relation.symmetrical:
            relation.accessor = _accessor(relation)
            _claim(target, relation.accessor, relation)
            setattr(target, relation.accessor, ManyToManyDescriptor(relation, reverse=True))
        return
    if relation.related_name == "+":
        return
    relation.accessor = _accessor(relation)
    _claim(target, relation.accessor, relation)
    descriptor: Any = (
        ReverseOneDescriptor(relation) if relation.kind == "o2o" else ReverseDescriptor(relation)
    )
    setattr(target, relation.accessor, descriptor)


registry.on_resolved.append(_on_resolved)
