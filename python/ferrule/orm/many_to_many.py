"""Many-to-many managers: ``post.tags`` and ``tag.posts``, the rows linked through the link
table (``orm.relations`` installs the descriptor once the link model is known)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ferrule.errors import IntegrityError
from ferrule.orm.fields import Relation
from ferrule.orm.relations import _Loaded, own_database

__all__ = ["ManyToManyDescriptor", "ManyToManyManager"]

#: how many times ``add`` inserts the links still missing after losing a race to link them
_ADD_ATTEMPTS = 5


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
        """A QuerySet of the linked rows (a query: await it)."""
        keys = self._link_query().values_list(self._other.attname, flat=True)
        return self.model.filter(pk__in=keys).using(own_database(self.instance))

    def filter(self, *args: Any, **kwargs: Any) -> Any:
        return self.all().filter(*args, **kwargs)

    def _keys_of(self, objs: Iterable[Any]) -> list[Any]:
        """The keys of ``objs`` (instances or keys): a key given is validated as the target's
        key field (the plain value it holds: it is hashed to drop repeats, and an int
        subclass's ``__hash__`` may raise; a list given as one object is no key)."""
        from ferrule.orm.model import Model

        keys = []
        pk, owner = self.model._meta.pk, self.model.__name__
        for obj in objs:
            if issubclass(type(obj), self.model):  # the real type, not a __class__ it claims
                key = obj.pk
                if key is None:
                    raise ValueError(f"save the {type(obj).__name__} before linking it")
            else:
                key = obj if isinstance(obj, Model) else pk.check(obj, owner)
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

    async def create(self, *, through_defaults: dict[str, Any] | None = None, **values: Any) -> Any:
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
        defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **lookup: Any,
    ) -> tuple[Any, bool]:
        """Django's: the linked row matching ``lookup``, or a new one made from it and
        ``defaults`` and linked, both or neither (a row that exists unlinked is not it)."""
        from ferrule.orm import creating

        return await self._linked_if_made(
            lambda using: creating.get_or_create(self.all(), defaults, using, lookup),
            through_defaults,
        )

    async def update_or_create(
        self,
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
            lambda using: creating.update_or_create(
                self.all(), defaults, using, lookup, create_defaults
            ),
            through_defaults,
        )

    async def _linked_if_made(
        self, find: Any, through_defaults: dict[str, Any] | None
    ) -> tuple[Any, bool]:
        """``find(using)``'s ``(row, created)``, a created row linked in the same transaction."""
        from ferrule.orm.transactions import transaction

        using = own_database(self.instance)
        self._key()
        async with transaction(using=using):
            found, created = await find(using)
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
        return ManyToManyManager(instance, self.relation, self.reverse)
