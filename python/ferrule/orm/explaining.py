"""``QuerySet.explain(format=None, **options)``, as Django's: the database's plan of the query.

Each database takes its own formats and options, checked here before anything is sent, and
written into the statement from this module's own tables only (an option's name or value is
never the caller's text):

* PostgreSQL: ``format`` ``"text"``, ``"json"``, ``"yaml"`` or ``"xml"``; the options
  ``analyze``, ``buffers``, ``costs``, ``generic_plan``, ``memory``, ``settings``,
  ``summary``, ``timing``, ``verbose``, ``wal``, each True or False (a server too old for one
  refuses it itself). ``EXPLAIN (FORMAT JSON, ANALYZE true) ...``.
* MariaDB: ``format`` ``"text"`` (Django's ``"traditional"`` too) or ``"json"``; the option
  ``analyze`` (MariaDB's ``ANALYZE`` statement, which runs the query).
* SQLite: ``EXPLAIN QUERY PLAN``, no format and no option.

An unknown format or option, or a value that is not a bool, is a ``FieldError`` naming it
(Django's ``ValueError``; ``FieldError`` is one). ``analyze`` runs the query, as on Django.
"""

from __future__ import annotations

import json
from typing import Any

from ferrule.errors import FieldError

__all__ = ["explain", "prefix"]

_FORMATS = {
    "postgres": {"text": "TEXT", "json": "JSON", "yaml": "YAML", "xml": "XML"},
    "mysql": {"text": "TRADITIONAL", "traditional": "TRADITIONAL", "json": "JSON"},
    "sqlite": {},
}
_OPTIONS = {
    "postgres": frozenset(
        {
            "analyze",
            "buffers",
            "costs",
            "generic_plan",
            "memory",
            "settings",
            "summary",
            "timing",
            "verbose",
            "wal",
        }
    ),
    "mysql": frozenset({"analyze"}),
    "sqlite": frozenset(),
}
_NAMES = {"postgres": "PostgreSQL", "mysql": "MariaDB", "sqlite": "SQLite"}


def prefix(model: str, dialect: str, options: dict[str, Any]) -> str:
    """The statement's head for ``explain(**options)`` on ``dialect`` (checked; see above)."""
    options = dict(options)
    given = options.pop("format", None)
    database = _NAMES.get(dialect, dialect)
    formats = _FORMATS.get(dialect, {})
    shape = None
    if given is not None:
        if not isinstance(given, str) or given.lower() not in formats:
            takes = ", ".join(repr(f) for f in formats) or "none"
            raise FieldError(
                f"{model}.explain(): format={given!r} is not one {database} takes ({takes})"
            )
        shape = formats[given.lower()]
    allowed = _OPTIONS.get(dialect, frozenset())
    for name, value in options.items():
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "none"
            raise FieldError(
                f"{model}.explain(): {name!r} is not an option {database} takes ({takes})"
            )
        if not isinstance(value, bool):
            raise FieldError(f"{model}.explain(): {name} must be True or False, not {value!r}")
    if dialect == "sqlite":
        return "EXPLAIN QUERY PLAN "
    if dialect == "mysql":
        head = "ANALYZE" if options.get("analyze") else "EXPLAIN"
        return f"{head} FORMAT={shape} " if shape else f"{head} "
    parts = [f"FORMAT {shape}"] if shape else []
    parts += [f"{name.upper()} {'true' if value else 'false'}" for name, value in options.items()]
    return f"EXPLAIN ({', '.join(parts)}) " if parts else "EXPLAIN "


async def explain(qs: Any, options: dict[str, Any]) -> str:
    db = qs._database
    head = prefix(qs._model.__name__, db.dialect, options)
    text, params = qs.compile(db.dialect)
    rows = await db.fetch_all(head + text, params)
    # a JSON plan the driver decoded (PostgreSQL's) is written back as JSON, as Django does
    shown = json.dumps if "FORMAT JSON" in head or "FORMAT=JSON" in head else str
    return "\n".join(" ".join(v if isinstance(v, str) else shown(v) for v in row) for row in rows)
