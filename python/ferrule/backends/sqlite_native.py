"""The native statement runner on a ``sqlite3`` connection, where it can be trusted.

``_ferrule.SQLiteStatements`` runs ferrule's statements on the connection's own handle, with the
functions of the SQLite library the ``sqlite3`` module is linked to, and answers as the module
does (types, converters, errors); a statement or parameter it cannot answer for exactly comes
back as ``NotImplemented`` and the module runs it. It is used when all of these hold: the native
core is on (not ``FERRULE_PURE_PYTHON=1``), the CPython fast paths are on (``FERRULE_NO_FAST_PATHS``
unset and a CPython whose ``sqlite3.Connection`` layout is known), the library's functions were
found, and a probe on a private in-memory connection read back what the module wrote.

When the runner builds ORM instances (``fetch_instances``), the plan's converters run inside
its read: the runner's plan (``marked_plan``) names ``ConverterError``, in which the runner wraps
what a converter raises, so that it is told apart from the driver's errors (which the
connection translates) and reaches the caller as it was raised.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

from ferrule import errors

#: The primary result codes' names: what the module's ``SQLITE_*`` error constants start with
#: (others of its constants, such as the authorizer's ``SQLITE_INSERT``, are not error codes).
_ERROR_NAMES = (
    "ERROR", "INTERNAL", "PERM", "ABORT", "BUSY", "LOCKED", "NOMEM", "READONLY", "INTERRUPT",
    "IOERR", "CORRUPT", "NOTFOUND", "FULL", "CANTOPEN", "PROTOCOL", "EMPTY", "SCHEMA", "TOOBIG",
    "CONSTRAINT", "MISMATCH", "MISUSE", "NOLFS", "AUTH", "FORMAT", "RANGE", "NOTADB", "NOTICE",
    "WARNING",
)  # fmt: skip


def _error_names(module: ModuleType) -> dict[int, str] | None:
    """Result code → name, as the module sets ``sqlite_errorname`` (Python 3.11+), or ``None``
    where its exceptions carry no code (3.10)."""
    if not hasattr(module.Error, "sqlite_errorcode") and not hasattr(
        module, "SQLITE_CONSTRAINT_UNIQUE"
    ):
        return None
    names = {}
    for name, value in vars(module).items():
        parts = name.split("_")
        if (
            parts[0] == "SQLITE"
            and len(parts) >= 2
            and parts[1] in _ERROR_NAMES
            and type(value) is int
        ):
            names[value] = name
    return names or None


class ConverterError(Exception):
    """What a ``marked`` converter raised (``error``), on its way out of the native read."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


#: id(plan) -> (model, plan, the runner's plan): plans are made once per model and fields
#: (``orm.loading.plan_for``) and live as long as their model; an entry is used only for the
#: very objects it was made from
_PLANS: dict[int, tuple[Any, Any, tuple[Any, ...]]] = {}


def marked_plan(model: Any, plan: tuple[Any, ...]) -> tuple[Any, ...]:
    """The runner's plan for ``model`` and ``plan`` (names, positions, converters):
    ``(model, names, positions, converters, ConverterError)``, made once per plan (the runner
    wraps an ``Exception`` a converter raises in ``ConverterError``, caused by it)."""
    found = _PLANS.get(id(plan))
    if found is not None and found[0] is model and found[1] is plan:
        return found[2]
    names, positions, converters = plan
    made = (model, names, positions, converters, ConverterError)
    if len(_PLANS) >= 1024:
        _PLANS.clear()
    _PLANS[id(plan)] = (model, plan, made)
    return made


def attach(module: ModuleType, raw: Any, capacity: int) -> Any:
    """A runner for ``raw``, or ``None`` (the module runs every statement)."""
    if not usable(module):
        return None
    from ferrule import _ferrule

    return _ferrule.SQLiteStatements.attach(module, raw, capacity, _error_names(module))


@functools.cache
def usable(module: ModuleType) -> bool:
    """Decided once per process: the probe on a private in-memory connection."""
    if errors.pure_python_requested():
        return False
    try:
        from ferrule import _ferrule
    except ImportError:
        return False
    if not getattr(_ferrule, "FAST_PATHS", False):
        return False
    probe = module.connect(":memory:", isolation_level=None, detect_types=module.PARSE_DECLTYPES)
    try:
        runner = _ferrule.SQLiteStatements.attach(module, probe, 4, _error_names(module))
        if runner is None:
            return False
        probe.execute("PRAGMA user_version = 4711")
        probe.execute("CREATE TABLE t (a INTEGER, b TEXT, c BOOLEAN)")
        wrote = runner.execute("INSERT INTO t VALUES (?, ?, ?)", [-(2**40), "é", 1])
        read = probe.execute("SELECT a, b, c FROM t").fetchall()
        native = runner.fetch("SELECT a, b, c FROM t", ())
        version = runner.fetch("PRAGMA user_version", [])
        before = runner.autocommit()
        probe.execute("BEGIN")
        inside = runner.autocommit()
        probe.execute("ROLLBACK")
        runner.clear()
        return (
            wrote == 1
            and read == native == [(-(2**40), "é", True)]
            and version == [(4711,)]
            and before is True
            and inside is False
        )
    finally:
        probe.close()
