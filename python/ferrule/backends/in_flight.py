"""The note on an interruption that cut a statement committing on its own.

A statement outside any transaction (no block, or a ``db.connection()`` block) commits by
itself. Cut once it was handed to the driver, it may or may not have committed, and nothing
can tell which: its exception carries a note saying so, and the ORM puts the instance it was
writing in doubt (``orm.in_doubt``). Two things cut it:

* a cancellation (``IN_FLIGHT_NOTE``);
* a lost connection (``LOST_NOTE`` on the ``ConnectionError``): the server may have run and
  committed the statement before the connection went, and only its reply was lost. A
  ``ConnectionError`` the driver raised before anything went out (it knew the connection was
  closed: ``unsent``) carries no note: nothing ran, a retry is safe.

One cut while it waited for a connection ran nothing and carries no note; inside a transaction
the interruption dooms (or ends) the transaction, which rolls back, and carries none either.
"""

from __future__ import annotations

from ferrule import errors

__all__ = ["IN_FLIGHT_NOTE", "LOST_NOTE", "cut_in_flight", "note_in_flight", "unsent"]

IN_FLIGHT_NOTE = (
    "ferrule: cancelled while its statement was on its way to the database, outside any "
    "transaction (autocommit): it may have committed, or not"
)
LOST_NOTE = (
    "ferrule: the connection was lost once its statement was sent, outside any transaction "
    "(autocommit): it may have committed, or not (only its reply may have been lost)"
)
_NOTES = (IN_FLIGHT_NOTE, LOST_NOTE)


def cut_in_flight(exc: BaseException) -> bool:
    """Whether ``exc`` cut a statement outside any transaction after it was handed to the
    driver (cancelled, or its connection lost): its outcome is unknown."""
    notes = getattr(exc, "__notes__", ())
    return any(note in notes for note in _NOTES)


def unsent(error: errors.ConnectionError) -> errors.ConnectionError:
    """Mark ``error`` as raised before anything of its statement went out (the driver knew
    the connection was closed): ``note_in_flight`` leaves it without a note."""
    error._ferrule_unsent = True  # type: ignore[attr-defined]
    return error


def note_in_flight(exc: BaseException) -> None:
    """Note on ``exc`` that it cut a statement outside any transaction on its way: a
    cancellation, or a lost connection (unless ``unsent``). Any other error (the server's
    refusal) was answered: it gets none. (``add_note``'s list, which Python 3.10 keeps but
    never shows.)"""
    if isinstance(exc, errors.ConnectionError):
        if getattr(exc, "_ferrule_unsent", False):
            return
        note = LOST_NOTE
    elif isinstance(exc, Exception):
        return
    else:
        note = IN_FLIGHT_NOTE
    notes = getattr(exc, "__notes__", None)
    if notes is None:
        exc.__notes__ = [note]  # type: ignore[attr-defined]
    elif note not in notes:
        notes.append(note)
