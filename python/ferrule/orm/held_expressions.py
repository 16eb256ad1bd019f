"""Django's expression assigned to a field, then saved: ``post.views = F("views") + 1;
await post.save()`` writes ``views = views + 1`` in the row's UPDATE, so the database, not the
value read earlier, decides (no lost update between two savers).

As in Django, the attribute holds the expression after ``save()`` (reading it gives the
expression, which equals no number) until ``refresh_from_db()`` reads the row, and each
later ``save()`` applies it again. A new row (no key, ``force_insert``, or a key no row has)
is inserted with an expression that reads no row (``Now()``, ``Value()``, ``Lower(Value(..))``:
`insert`); one that reads a field (``F()``, a field named in a function, an aggregate, a
``Case``'s conditions, a subquery) is an ``ORMError`` there, as Django refuses it ("F()
expressions can only be used to update, not to insert"), as is an expression reading a
related model.

Validation on assignment is the core's: the pure-Python twin stores an expression assigned
to a field of an ORM model as it is and marks the instance unvalidated (``HELD`` below); the
native core does the same for an expression its validation of the field refuses
(``_ferrule.hold_assigned``). An expression given to the constructor (``Entry(views=Value(3))``,
``create(made=Now())``) is held the same way, once the core's validation refused the
keywords (``_constructed``). ``save()`` then checks each other field by its own validation
(the model validators, which judge whole instances, cannot judge one holding SQL)."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.errors import ORMError, ValidationError
from ferrule.models._core import PURE_PYTHON, force_setattr
from ferrule.models._pure.model import HELD
from ferrule.orm.columns import read_column
from ferrule.orm.expressions import EXPRESSIONS, Aggregate, Case, F, Func
from ferrule.orm.instance_values import (
    MARKED,
    UNVALIDATED,
    filled_later,
    values_to_validate,
)
from ferrule.orm.relations import loaded
from ferrule.orm.subqueries import EXPRESSIONS as SUBQUERIES

__all__ = ["held", "insert", "reads_rows", "refused_insert", "update", "validate_around"]

_HELD = (*EXPRESSIONS, *SUBQUERIES)


def _takes(instance: Any, name: str) -> bool:
    """Whether the pure twin stores an expression assigned to field ``name`` (a column of
    an ORM model), marking the instance for ``save()``'s checks."""
    meta = getattr(type(instance), "_meta", None)
    if meta is None or not hasattr(meta, "columns") or name not in meta.columns:
        return False
    loaded(instance)[UNVALIDATED] = True
    MARKED[0] += 1
    return True


def _constructed(cls: Any, data: dict[str, Any]) -> tuple[Any, tuple[str, ...]] | None:
    """A constructor's keywords that its validation refused, given again when one of them
    is an expression (``Entry(views=Value(3))``: Django's constructor takes it, and its
    ``create()`` inserts it): the instance holding the expressions of ``cls``'s columns,
    every other field validated, and the names of those fields (the core marks the instance
    for ``save()`` with ``_takes``). None when no column is given an expression (the
    refusal stands); the other fields' errors are raised as construction reports them,
    without a "missing" for a field holding an expression."""
    meta: Any = getattr(cls, "_meta", None)
    columns = getattr(meta, "columns", None)
    if not columns:
        return None
    key = meta.pk.name if meta.pk is not None and "pk" not in columns else None
    held: dict[str, Any] = {}
    rest: dict[Any, Any] = {}
    for name, value in data.items():
        field = key if name == "pk" and key is not None else name
        if type(name) is str and field in columns and issubclass(type(value), _HELD):
            held[field] = value
        else:
            rest[name] = value
    if not held:
        return None
    try:
        cls.model_validate(rest)
    except ValidationError as error:
        lines = [
            (tuple(e["loc"]), e["type"], e.get("input"), e.get("ctx"), e["msg"])
            for e in error.errors()
            if not (e["type"] == "missing" and len(e["loc"]) == 1 and e["loc"][0] in held)
        ]
        if lines:
            raise ValidationError(cls.__name__, lines) from None
    instance = cls.model_construct(**{**rest, **held})
    validate_around(instance, frozenset(held))
    return instance, tuple(held)


HELD[:] = [_HELD, _takes, _constructed]


def _hold_natively() -> None:
    """The native core's hooks: an expression its validation refuses for a field, stored as
    it is when ``_takes`` says so (``_ferrule.hold_assigned``), and a constructor's refused
    keywords holding one given to ``_constructed``."""
    if PURE_PYTHON:
        return
    try:
        from ferrule._ferrule import hold_assigned
    except ImportError:  # an extension without it
        return
    hold_assigned(_HELD, _takes, _constructed)


_hold_natively()


def held(instance: Any) -> frozenset[str]:
    """The column fields of ``instance`` holding an expression."""
    return frozenset(
        name
        for name in type(instance)._meta.columns
        if isinstance(getattr(instance, name, None), _HELD)
    )


def validate_around(instance: Any, expressions: frozenset[str]) -> None:
    """``instance_values.validate_instance`` for an instance holding ``expressions``: each
    other column field checked by its own validation and set to what it makes of its value;
    all their errors raised together."""
    cls = type(instance)
    columns = cls._meta.columns
    check = cls.__ferrule_validator__.validate_field
    lines: list[Any] = []
    for name, value in values_to_validate(instance, filled_later(cls)).items():
        if name in expressions or name not in columns:
            continue
        try:
            checked = check(instance, name, value)
        except ValidationError as error:
            lines += [
                (tuple(e["loc"]), e["type"], e.get("input"), e.get("ctx"), e["msg"])
                for e in error.errors()
            ]
            continue
        if checked is not value and columns[name].password is None:
            force_setattr(instance, name, checked)
    if lines:
        raise ValidationError(cls.__name__, lines)


def reads_rows(instance: Any, expressions: frozenset[str]) -> list[str]:
    """The fields of ``expressions`` whose expression reads a field (or a row: an aggregate,
    a subquery), which a new row has none of yet."""
    return sorted(n for n in expressions if _reads(getattr(instance, n, None)))


def _reads(value: Any) -> bool:
    if isinstance(value, (F, Aggregate, *SUBQUERIES)):  # (Extract, Trunc: F's)
        return True
    if isinstance(value, Case):
        return bool(value.whens) or _reads(value.default)
    if isinstance(value, Func) and any(isinstance(a, str) for a in value.args):
        return True  # Lower("title"): a field's name
    if not isinstance(value, _HELD):
        return False
    for cls in type(value).__mro__:  # the expressions it is made of (args, sides, ...)
        for name in cls.__dict__.get("__slots__", ()):
            part = getattr(value, name, None) if not name.startswith("_") else None
            parts: Any = part if type(part) in (list, tuple) else (part,)
            if any(_reads(p) for p in parts):
                return True
    return False


def refused_insert(cls: Any, expressions: list[str]) -> ORMError:
    return ORMError(
        f"{cls.__name__}.{expressions[0]} holds an expression that reads a field, which a new "
        "row does not have yet: save() writes it by the UPDATE of a saved row (Django "
        "refuses F() in an insert too); create the row, then assign the expression and save()"
    )


async def insert(db: Any, instance: Any, expressions: frozenset[str]) -> None:
    """The INSERT of a new row holding ``expressions`` that read no row (`reads_rows`):
    each other column as ``save()`` writes it, the expressions compiled as ``update()``
    compiles them; the columns the database fills are read back, and each field keeps its
    expression (as Django's) until ``refresh_from_db()``."""
    from ferrule.orm import persistence, save_plans, writes

    cls = type(instance)
    meta = cls._meta
    dialect = db.dialect
    row: dict[str, Any] = {}
    for step in save_plans.steps(cls, dialect):
        if step[0] in expressions:
            continue
        value = persistence.inserted_value(instance, step)
        if value is not persistence.FILLED:
            row[step[4].column] = value
    held = {name: getattr(instance, name) for name in sorted(expressions)}
    row.update(writes.assignments(cls.all(), dialect, held))
    back = [c for c in meta.columns.values() if c.column not in row]
    statement: Any = sql.insert(meta.sql_table).values(row)
    if not back:
        await db.execute(statement)
        return
    statement = statement.returning(*(read_column(c, None, dialect) for c in back))
    returned = await db.fetch_one(statement)
    if returned is None:
        raise ORMError(f"{cls.__name__}: the INSERT returned no row")
    for column, value in zip(back, returned, strict=True):
        convert = column.converters(dialect)[1]
        force_setattr(
            instance, column.name, value if convert is None or value is None else convert(value)
        )


async def update(db: Any, cls: Any, held: dict[str, Any], plain: dict[str, Any], key: Any) -> int:
    """The UPDATE of the row keyed ``key``: ``held`` (field -> expression) compiled as
    ``QuerySet.update()`` compiles them, then the ``plain`` values (field -> value for the
    column), the expressions first (MariaDB's SET reads what is written before it); the
    row count."""
    from ferrule.orm import writes

    meta = cls._meta
    values = writes.assignments(cls.all(), db.dialect, held)
    values.update({meta.columns[name].column: value for name, value in plain.items()})
    where = sql.column(meta.pk.column) == key
    return int(await db.execute(sql.update(meta.sql_table).set(values).where(where)))
