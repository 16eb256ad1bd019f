"""How a model's instances are written on one dialect, worked out once: its columns' steps
(``Plan``), the getter of a plain model's values (a native ``FieldReader`` reading their
slots where the core has one), and the cached texts of its INSERT and UPDATE, which
``orm.persistence`` writes with."""

from __future__ import annotations

import operator
from typing import Any

from ferrule import sql
from ferrule.models._core import PURE_PYTHON
from ferrule.orm.columns import unsigned_zero

__all__ = [
    "INSERTS",
    "PLANS",
    "TEXTS",
    "Plan",
    "answers_unset",
    "cached_text",
    "plain_values",
    "plan_of",
    "slot_reader",
    "steps",
]

_FieldReader: Any
try:
    if PURE_PYTHON:
        raise ImportError
    from ferrule._ferrule import FieldReader as _FieldReader
except ImportError:  # the pure core, or an extension without it
    _FieldReader = None

_UNSET = sql.UNSET

TEXTS: dict[tuple[Any, ...], str | None] = {}


def cached_text(key: tuple[Any, ...], statement: Any, dialect: str, params: list[Any]) -> Any:
    """The statement's text when its parameters are exactly ``params`` (then cached for
    ``key``), else the statement itself (compiled on each run)."""
    found = TEXTS.get(key, False)
    if found is False:
        text, compiled = statement.compile(dialect)
        same = len(compiled) == len(params) and all(
            type(a) is type(b) and a == b for a, b in zip(compiled, params, strict=True)
        )
        found = text if same and params else None
        if len(TEXTS) >= 4096:
            TEXTS.clear()
        TEXTS[key] = found
    return statement if found is None else found


class Plan:
    """How instances of one model are written on one dialect, worked out on its first save.

    ``steps``, per column: (name, to_db, filled by the database when None, 0 / 1 auto_now_add
    / 2 auto_now, column). A *plain* model (no column converts its value, fills in a timestamp
    or has a database default, but the key) also has ``read``, a getter of every value with
    the key last, ``names``, the columns but the key, whether the database makes the key
    (``key_filled``), and, once the general path has compiled and checked them, the texts of
    its INSERT of ``names`` (with the columns read back) and its UPDATE of ``names`` by key:
    then a save is one attribute read and a cached statement."""

    __slots__ = (
        "dialect",
        "identity",
        "insert",
        "insert_key",
        "key_back",
        "key_filled",
        "model",
        "names",
        "read",
        "steps",
        "update",
    )

    def __init__(self, cls: Any, dialect: str) -> None:
        self.model = cls
        self.dialect = dialect
        self.steps = [
            (
                name,
                column.converters(dialect)[0],
                column.identity or column.db_default is not _UNSET,
                2 if column.auto_now else 1 if column.auto_now_add else 0,
                column,
            )
            for name, column in cls._meta.columns.items()
        ]
        pk = cls._meta.pk.name
        #: the database makes the key (``keys_made`` takes it back on a rollback)
        self.identity: bool = cls._meta.pk.identity
        self.names = tuple(name for name, *_ in self.steps if name != pk)
        self.key_filled = any(filled for name, _, filled, _, _ in self.steps if name == pk)
        simple = all(
            to_db in (None, unsigned_zero) and not auto for _, to_db, _, auto, _ in self.steps
        )
        plain = simple and bool(self.names)
        plain = plain and not any(filled for name, _, filled, _, _ in self.steps if name != pk)
        self.read: Any = None
        if plain:
            zeros = {name for name, to_db, *_ in self.steps if to_db is unsigned_zero}
            places = tuple(i for i, name in enumerate(self.names) if name in zeros)
            names = (*self.names, pk)
            if answers_unset(cls):  # its slots, not its answers for those never set
                self.read = _unsigning(slot_reader(cls, names), places)
            else:
                self.read = _reader(cls, names, places)
        #: (SQL text, (name, from_db) of the columns read back); set by _insert_compiled
        self.insert: tuple[str, list[tuple[str, Any]]] | None = None
        #: the key's name when ``insert`` reads back the key alone, as the driver gives it
        self.key_back: str | None = None
        #: SQLite, with ``key_back``: the extra arguments of ``fetch_key`` (the INSERT without
        #: ``RETURNING``, that text, the table, the key's column): ``insert_key``
        self.insert_key: tuple[str, str, str, str] | None = None
        self.update: str | None = None  # taken from TEXTS once the general path made it

    def values(self, instance: Any) -> tuple[Any, ...] | None:
        """A plain model's values (the key last), or None: not plain, or a field never set
        (``model_construct``), and the general path writes it."""
        if self.read is None:
            return None
        try:
            values: tuple[Any, ...] = self.read(instance)
        except AttributeError:
            return None
        return values

    def find_update(self) -> str | None:
        """The UPDATE text of ``names`` by key, once the general path made and checked it."""
        self.update = TEXTS.get((self.model, self.dialect, "update", self.names))
        return self.update


def _reader(cls: Any, names: tuple[str, ...], places: tuple[int, ...]) -> Any:
    """A getter of ``names`` of ``cls``'s instances, the floats at ``places`` with their zero
    unsigned: the core's, which reads their slots (or asks a class's own
    ``__getattribute__``), or ``operator.attrgetter`` (the twin's; or a name the core does
    not know as a field)."""
    if _FieldReader is not None:
        try:
            return _FieldReader(cls, names, places)
        except ValueError:
            pass
    read = operator.attrgetter(*names)
    return _unsigning(read, places)


_ANSWERS: dict[Any, bool] = {}


def answers_unset(cls: Any) -> bool:
    """Whether ``cls`` has a ``__getattr__`` of its own, which answers for a field never set
    (``only()``/``defer()`` left it out) where the ORM's own says it was not loaded: then
    the writes read the slots themselves (``slot_reader``), so that an answer is never
    written for a field the instance does not hold."""
    found = _ANSWERS.get(cls)
    if found is None:
        from ferrule.orm.model import Model

        if len(_ANSWERS) >= 4096:
            _ANSWERS.clear()
        found = _ANSWERS[cls] = getattr(cls, "__getattr__", None) is not Model.__getattr__
    return found


def slot_reader(cls: Any, names: tuple[str, ...]) -> Any:
    """A getter of ``names`` of ``cls``'s instances from their slots (the member descriptors
    the class gives for them): ``AttributeError`` for a slot never set, whatever the class's
    ``__getattr__`` would answer."""
    members = tuple(getattr(cls, name) for name in names)

    def read(instance: Any) -> tuple[Any, ...]:
        owner = type(instance)
        return tuple(member.__get__(instance, owner) for member in members)

    return read


def _unsigning(read: Any, places: tuple[int, ...]) -> Any:
    """``read`` with the floats at ``places`` unsigned (``columns.unsigned_zero``): the
    one converter a plain plan allows, as it is one addition when a zero is there."""

    if not places:
        return read

    def unsigned(instance: Any) -> tuple[Any, ...]:
        values: tuple[Any, ...] = read(instance)
        for i in places:
            if values[i] == 0:  # (rare: then every float is unsigned)
                return tuple(unsigned_zero(v) if n in places else v for n, v in enumerate(values))
        return values

    return unsigned


#: (model, dialect) -> its plan
PLANS: dict[tuple[Any, str], Plan] = {}
#: (model, dialect, inserted names) -> (SQL text, (name, from_db) of the columns read back)
INSERTS: dict[tuple[Any, ...], tuple[str, list[tuple[str, Any]]]] = {}


def plan_of(cls: Any, dialect: str) -> Plan:
    found = PLANS.get((cls, dialect))
    if found is None:
        if len(PLANS) >= 4096:
            PLANS.clear()
        found = PLANS[(cls, dialect)] = Plan(cls, dialect)
    return found


def steps(cls: Any, dialect: str) -> list[tuple[str, Any, bool, int, Any]]:
    return plan_of(cls, dialect).steps


def plain_values(
    cls: Any, dialect: str, instance: Any
) -> tuple[tuple[str, ...], tuple[Any, ...], bool] | None:
    """The plain plan's column names, the instance's values (the key last) and whether the
    database makes the key; None when the model has no plain plan."""
    plan = plan_of(cls, dialect)
    values = plan.values(instance)
    return None if values is None else (plan.names, values, plan.key_filled)
