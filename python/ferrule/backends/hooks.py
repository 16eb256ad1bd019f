"""Query hooks and the slow-query log.

``db.add_hook(before=..., after=...)`` registers callables that receive a ``QueryEvent``: before
the statement with ``duration is None``, after it with the duration in seconds and the error, if
any. ``copy_records`` is one event whose ``sql`` reads ``COPY table (columns)`` and whose
``params`` are the records as passed in (possibly a one-shot iterator: do not consume it). A hook
is called on the event loop and must not block. Statements that take at least
``slow_query_threshold`` seconds are logged as warnings on the ``ferrule.db.slow`` logger and
counted in ``db.stats()["slow_queries"]``. With no hook and no threshold, queries pay nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

__all__ = ["Hook", "QueryEvent", "slow_log"]

slow_log = logging.getLogger("ferrule.db.slow")


@dataclasses.dataclass(slots=True)
class QueryEvent:
    """One statement as hooks see it."""

    dialect: str
    operation: str  # execute, fetch_all, fetch_one, fetch_val, iterate, execute_many, copy_records
    sql: str
    params: Any
    duration: float | None = None
    error: BaseException | None = None


Hook = Callable[[QueryEvent], object]
