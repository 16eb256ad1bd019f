"""``refresh_from_db()``: an instance's fields read again from its row (all, or ``fields``),
and the relations they name forgotten; an instance whose last write is in doubt (a lost
connection, ``orm.in_doubt``) is settled by that read where it can be."""

from __future__ import annotations

from typing import Any

from ferrule.errors import ORMError
from ferrule.models._core import force_setattr
from ferrule.orm.in_doubt import deleted_for_sure, in_doubt, mark, refuse_in_doubt, settle
from ferrule.orm.instance_values import MARKED
from ferrule.orm.relations import forget_refreshed, own_database

__all__ = ["refresh"]


async def refresh(instance: Any, using: Any, fields: Any) -> None:
    if MARKED[0] and in_doubt(instance) is not None:
        await _settled(instance, using, fields)
        return
    cls = type(instance)
    meta = cls._meta
    key = instance.pk
    if key is None:
        raise ORMError(f"cannot refresh an unsaved {cls.__name__}")
    names = list(meta.columns) if fields is None else [meta.column(n).name for n in fields]
    fresh = await cls.filter(pk=key).only(*names).using(own_database(instance, using)).first()
    if fresh is None:
        raise cls.DoesNotExist(f"{cls.__name__} with {meta.pk.name}={key!r} no longer exists")
    for name in names:
        force_setattr(instance, name, getattr(fresh, name))
    forget_refreshed(instance, names, whole=fields is None)


async def _settled(instance: Any, using: Any, fields: Any) -> None:
    """``refresh_from_db`` of an instance in doubt: a delete's is settled by reading its row
    (gone: no key, as after the delete); a new row's cannot be (no key to read it by)."""
    if in_doubt(instance) == "save":
        refuse_in_doubt(instance, "refresh_from_db")
    write = settle(instance)
    try:
        await refresh(instance, using, fields)
    except type(instance).DoesNotExist:
        deleted_for_sure(instance)
        raise
    except BaseException:  # the read was lost or cut: nothing settled, still in doubt
        if write is not None:
            mark(instance, write)
        raise
