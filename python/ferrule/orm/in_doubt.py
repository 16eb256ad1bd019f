"""Instances whose last write may or may not have committed.

A ``save()`` of a new row or a ``delete()`` outside any transaction (no block, or a
``db.connection()`` block) is one statement in autocommit. Cancelled once that statement was
on its way, or its connection lost once it was sent (``backends.in_flight``: the server may
have committed it, only the reply was lost), nothing can tell whether it ran: the instance's
key may be wrong (a new row made while the instance has no key; a row deleted while it keeps
its key). Such an instance is marked, and its next ``save()``, ``delete()`` or
``refresh_from_db()`` raises ``WriteInDoubtError`` instead of acting on that key (a second
row; the deleted row brought back). ``refresh_from_db()`` of a deleted instance settles it:
the row is there, or it is gone and the instance has no key.

A ``delete()`` with receivers or cascades runs in a transaction of its own, and one in a
transaction block commits with the block: when the reply to that COMMIT is lost
(``CommitUnknownError``) the row may or may not be gone, and the instance (its key back, see
``cascades.drop_keys``) is in doubt the same way.

Inside a transaction block the same cancellation dooms the transaction, which rolls back (a
lost connection ends it: the server rolls it back): nothing is in doubt there, and
``keys_made``/``drop_keys`` keep the keys right.
"""

from __future__ import annotations

from typing import Any

from ferrule.backends.in_flight import cut_in_flight
from ferrule.errors import WriteInDoubtError
from ferrule.models._core import force_setattr
from ferrule.orm.instance_values import IN_DOUBT, MARKED
from ferrule.orm.relations import loaded, related_cache

__all__ = ["deleted_for_sure", "doubt", "in_doubt", "mark", "refuse_in_doubt", "settle"]

# The mark (``IN_DOUBT``: the write that was cut, "save" or "delete") is counted in ``MARKED``
# with the unvalidated instances': the plain save's fast path checks that count already.


def doubt(instance: Any, write: str, exc: BaseException) -> None:
    """Put ``instance`` in doubt if ``exc`` (a cancellation, a lost connection) cut its
    ``write`` ("save" of a new row, or "delete") on its way, outside any block."""
    if cut_in_flight(exc):
        mark(instance, write)


def mark(instance: Any, write: str) -> None:
    """Put ``instance`` in doubt: its ``write`` may or may not have committed (cut in
    flight, or the write's own transaction lost the reply to its COMMIT)."""
    loaded(instance)[IN_DOUBT] = write
    MARKED[0] += 1


def in_doubt(instance: Any) -> str | None:
    """The write of ``instance`` that may or may not have committed, or None."""
    if not MARKED[0]:
        return None
    cache = related_cache(instance)
    return None if cache is None else cache.get(IN_DOUBT)


def refuse_in_doubt(instance: Any, call: str) -> None:
    """Raise ``WriteInDoubtError`` for ``instance.<call>()`` if it is in doubt."""
    write = in_doubt(instance)
    if write is None:
        return
    cls = type(instance)
    if write == "save":
        raise WriteInDoubtError(
            f"{cls.__name__}: cannot {call}() this instance: an earlier save() of it was "
            "cancelled, or lost its connection, while its INSERT was on its way to the "
            "database, outside any transaction block, so the row may or may not have been "
            "made and this instance has no key to tell (a save() again could make a second "
            "row). Load the row by a unique field "
            f"({cls.__name__}.filter(<unique field>=...).first()) and use that instance, or "
            "make a new one; a write inside `async with orm.transaction():` leaves nothing "
            "when cancelled or its connection is lost"
        )
    key = getattr(instance, cls._meta.pk.name, None)
    raise WriteInDoubtError(
        f"{cls.__name__}({cls._meta.pk.name}={key!r}): cannot {call}() this instance: an "
        "earlier delete() of it was cancelled, or lost its connection, on its way to the "
        "database with no transaction block around it to roll it back, or the reply to the "
        "COMMIT of its transaction was lost, so the row may or may not "
        "be gone (a save() could bring it back). `await instance.refresh_from_db()` settles "
        "it (DoesNotExist, and no key, if the row is gone); a write inside "
        "`async with orm.transaction():` leaves nothing when cancelled or its connection is "
        "lost"
    )


def settle(instance: Any) -> str | None:
    """Lift the mark of ``instance`` (``refresh_from_db`` is about to read its row); the
    write that was in doubt, or None."""
    cache = related_cache(instance) if MARKED[0] else None
    return None if cache is None else cache.pop(IN_DOUBT, None)


def deleted_for_sure(instance: Any) -> None:
    """The row of an instance whose delete was in doubt is gone: as after a delete, no key."""
    force_setattr(instance, type(instance)._meta.pk.name, None)
