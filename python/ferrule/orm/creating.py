"""``get_or_create`` and ``update_or_create``, for ``Model`` and ``QuerySet`` alike: the row is
looked up within a base queryset (``QuerySet(Model)``, or the user's own, whose filters then
narrow the lookup, as Django's ``QuerySet.get_or_create``) and made from the lookup's plain
keywords and ``defaults`` only. ``Creating`` puts them, with ``create``, ``bulk_create`` and
``bulk_update``, on ``QuerySet``; this module imports no queryset module (the base is given)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from ferrule.errors import IntegrityError, ORMError, TransactionRollbackError
from ferrule.orm.databases import database_for
from ferrule.orm.expressions import Combinable
from ferrule.orm.inputs import checked_defaults
from ferrule.orm.instance_values import as_input

__all__ = ["Creating", "get_or_create", "update_or_create"]

M = TypeVar("M")

#: how many times update_or_create runs again after losing a race or a deadlock
_UPSERT_ATTEMPTS = 5


async def get_or_create(
    base: Any, defaults: dict[str, Any] | None, using: Any, lookup: dict[str, Any]
) -> tuple[Any, bool]:
    """``Model.get_or_create`` within ``base`` (see there)."""
    from ferrule.orm.transactions import transaction

    cls = base._model
    # a name of defaults that is no field would be dropped from the row made: refused
    # before any statement, found or not (Django's checks it when it makes the row)
    defaults = checked_defaults(cls, defaults, "get_or_create")
    base = base.using(using)
    found = await base.get_or_none(**lookup)
    if found is not None:
        return found, False
    nested = database_for(cls, using).in_transaction()
    attempts = 1 if nested else _UPSERT_ATTEMPTS
    for attempt in range(attempts):
        try:
            async with transaction(using=using):
                made = await cls.create(using=using, **_new_values(cls, lookup, defaults))
                return made, True
        except TransactionRollbackError:
            if attempt == attempts - 1:
                raise
        except IntegrityError:
            # a lost race: the row is there now. Inside a transaction, found by a locking
            # read, which sees it (a MariaDB transaction's plain reads keep to its snapshot)
            found = await (base._select_for_share() if nested else base).get_or_none(**lookup)
            if found is None:
                raise
            return found, False
    raise AssertionError("every attempt returns or raises")  # pragma: no cover


async def update_or_create(
    base: Any,
    defaults: dict[str, Any] | None,
    using: Any,
    lookup: dict[str, Any],
    create_defaults: dict[str, Any] | None = None,
) -> tuple[Any, bool]:
    """``Model.update_or_create`` within ``base`` (see there): a found row is updated with
    ``defaults``; a new one is made from the lookup and ``create_defaults``, or ``defaults``
    when that is None (Django 5.0's)."""
    cls = base._model
    defaults = checked_defaults(cls, defaults, "update_or_create")
    made_with = (
        defaults
        if create_defaults is None
        else checked_defaults(cls, create_defaults, "update_or_create", "create_defaults")
    )
    db = database_for(cls, using)
    base = base.using(db)
    if db.in_transaction():
        return await _update_or_create_nested(base, db, lookup, defaults, made_with)
    for attempt in range(_UPSERT_ATTEMPTS):
        try:
            async with db.transaction():
                found: Any = await base.select_for_update().get_or_none(**lookup)
                if found is not None:
                    return await _updated(found, db, defaults), False
            try:
                # in a transaction of its own (as get_or_create's): a connection lost on the
                # way says "not written" (ConnectionError) or "unknown" (CommitUnknownError),
                # never ConnectionError for a row the server did write
                async with db.transaction():
                    made = await cls.create(using=db, **_new_values(cls, lookup, made_with))
                return made, True
            except IntegrityError:
                # a lost race when the row is there now (then update it on the next turn);
                # else the values break another constraint
                last = attempt == _UPSERT_ATTEMPTS - 1
                if last or await base.get_or_none(**lookup) is None:
                    raise
        except TransactionRollbackError:
            if attempt == _UPSERT_ATTEMPTS - 1:
                raise
    raise AssertionError("every attempt returns or raises")  # pragma: no cover


def _new_values(
    cls: Any, lookup: dict[str, Any], defaults: dict[str, Any] | None
) -> dict[str, Any]:
    """A new row's values: the plain (``field=value``) lookups, then ``defaults``, keyed as
    the model takes them (by alias, where the lookup named a field)."""
    texts = ((str.__str__(k), v) for k, v in lookup.items())  # (never a subclass's `in`)
    values = {k: v for k, v in texts if "__" not in k}
    values.update(_resolved(defaults))
    return as_input(cls, values)


def _resolved(defaults: Any) -> dict[str, Any]:
    """``defaults`` with each callable value called, as Django's ``resolve_callables``: only
    when the row is made or updated (``defaults={"token": secrets.token_hex}``)."""
    return {k: v() if callable(v) else v for k, v in (defaults or {}).items()}


async def _updated(found: Any, db: Any, defaults: dict[str, Any] | None) -> Any:
    """The found (locked) row updated with ``defaults``: expressions (``F("n") + 1``) first,
    by an ``UPDATE`` that reads the stored values as Django's does, then read back into the
    instance; then the plain values, set and saved."""
    values = _resolved(defaults)
    computed = {k: v for k, v in values.items() if isinstance(v, Combinable)}
    if computed:
        await type(found).filter(pk=found.pk).using(db).update(**computed)
        await found.refresh_from_db(using=db, fields=list(computed))
    for name, value in values.items():
        if name not in computed:
            setattr(found, name, value)
    await found.save(using=db)
    return found


async def _update_or_create_nested(
    base: Any,
    db: Any,
    lookup: dict[str, Any],
    defaults: dict[str, Any] | None,
    made_with: dict[str, Any] | None,
) -> tuple[Any, bool]:
    """``update_or_create`` inside the caller's transaction, in savepoints: a lost race to
    create the row is found (and locked) after the insert's savepoint rolls back."""
    cls = base._model
    async with db.transaction():
        query = base.select_for_update()
        found: Any = await query.get_or_none(**lookup)
        if found is None:
            try:
                async with db.transaction():
                    made = await cls.create(using=db, **_new_values(cls, lookup, made_with))
                    return made, True
            except IntegrityError:
                found = await query.get_or_none(**lookup)
                if found is None:
                    raise
        return await _updated(found, db, defaults), False


class Creating(Generic[M]):
    """``QuerySet``'s writes of new rows, on its database (``using``), as Django's."""

    __slots__ = ()
    _model: Any
    _db: Any
    _flat: str | None

    async def create(self, /, **values: Any) -> M:
        """``Model.create`` on this queryset's database."""
        made: M = await self._model.create(using=self._db, **values)
        return made

    async def get_or_create(
        self, /, defaults: dict[str, Any] | None = None, **lookup: Any
    ) -> tuple[M, bool]:
        """``Model.get_or_create``, looking within this queryset's filters; the new row is
        made from the keywords and ``defaults`` only (Django's)."""
        return await get_or_create(self._instances("get_or_create"), defaults, self._db, lookup)

    async def update_or_create(
        self,
        /,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **lookup: Any,
    ) -> tuple[M, bool]:
        """``Model.update_or_create``, updating only a row this queryset holds."""
        base = self._instances("update_or_create")
        return await update_or_create(base, defaults, self._db, lookup, create_defaults)

    async def bulk_create(self, /, objs: Iterable[M], **options: Any) -> list[M]:
        """``Model.bulk_create`` on this queryset's database."""
        return await self._model.bulk_create(objs, using=self._db, **options)  # type: ignore[no-any-return]

    async def bulk_update(self, objs: Iterable[M], fields: Sequence[str]) -> int:
        """``Model.bulk_update`` on this queryset's database."""
        return await self._model.bulk_update(objs, fields, using=self._db)  # type: ignore[no-any-return]

    def _instances(self, method: str) -> Any:
        if self._flat is not None:
            raise ORMError(
                f"{self._model.__name__}: {method}() makes instances; call it on a queryset"
                " of instances, not of values() or values_list()"
            )
        return self
