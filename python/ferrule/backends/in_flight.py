"""The note on a cancellation that cut a statement committing on its own.

A statement outside any transaction (no block, or a ``db.connection()`` block) commits by
itself. Cancelled once it was handed to the driver, it may or may not have committed, and
nothing can tell which: its cancellation carries ``IN_FLIGHT_NOTE`` (the ORM puts the instance
it was writing in doubt, ``orm.in_doubt``). One cancelled while it waited for a connection ran
nothing and carries no note; inside a transaction the cancellation dooms the transaction,
which rolls back, and carries none either.
"""

from __future__ import annotations

__all__ = ["IN_FLIGHT_NOTE", "cut_in_flight", "note_in_flight"]

IN_FLIGHT_NOTE = (
    "ferrule: cancelled while its statement was on its way to the database, outside any "
    "transaction (autocommit): it may have committed, or not"
)


def cut_in_flight(exc: BaseException) -> bool:
    """Whether ``exc`` cancelled a statement outside any transaction after it was handed to
    the driver: its outcome is unknown."""
    return IN_FLIGHT_NOTE in getattr(exc, "__notes__", ())


def note_in_flight(exc: BaseException) -> None:
    """Note on a cancellation (not an error: the server's refusal, a lost connection) that it
    cut such a statement (``add_note``'s list, which Python 3.10 keeps but never shows)."""
    if isinstance(exc, Exception):
        return
    notes = getattr(exc, "__notes__", None)
    if notes is None:
        exc.__notes__ = [IN_FLIGHT_NOTE]  # type: ignore[attr-defined]
    elif IN_FLIGHT_NOTE not in notes:
        notes.append(IN_FLIGHT_NOTE)
