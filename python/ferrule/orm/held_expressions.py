"""Django's expression assigned to a field, then saved: ``post.views = F("views") + 1;
await post.save()`` writes ``views = views + 1`` in the row's UPDATE, so the database, not the
value read earlier, decides (no lost update between two savers).

As in Django, the attribute holds the expression after ``save()`` (reading it gives the
expression, which equals no number) until ``refresh_from_db()`` reads the row, and each
later ``save()`` applies it again. An expression is written by the UPDATE of a saved row
only: a new row (no key, or ``force_insert``) holding one is an ``ORMError`` (Django refuses
an ``F()`` there too), as is an expression reading a related model.

Validation on assignment is the core's: the pure-Python twin stores an expression assigned
to a field of an ORM model as it is and marks the instance unvalidated (``HELD`` below); the
native core does the same for an expression its validation of the field refuses
(``_ferrule.hold_assigned``). ``save()`` then checks each other field by its own validation
(the model validators, which judge whole instances, cannot judge one holding SQL)."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.errors import ORMError, ValidationError
from ferrule.models._core import PURE_PYTHON, force_setattr
from ferrule.models._pure.model import HELD
from ferrule.orm.expressions import EXPRESSIONS
from ferrule.orm.instance_values import MARKED, UNVALIDATED, filled_later, values_to_validate
from ferrule.orm.relations import loaded
from ferrule.orm.subqueries import EXPRESSIONS as SUBQUERIES

__all__ = ["held", "refused_insert", "update", "validate_around"]

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


HELD[:] = [_HELD, _takes]


def _hold_natively() -> None:
    """The native core's hook: an expression its validation refuses for a field, stored as
    it is when ``_takes`` says so (``_ferrule.hold_assigned``)."""
    if PURE_PYTHON:
        return
    try:
        from ferrule._ferrule import hold_assigned
    except ImportError:  # an extension without it
        return
    hold_assigned(_HELD, _takes)


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


def refused_insert(cls: Any, expressions: frozenset[str]) -> ORMError:
    return ORMError(
        f"{cls.__name__}.{min(expressions)} holds an expression, which save() writes by the "
        "UPDATE of a saved row: a new row takes values (Django refuses F() in an insert "
        "too); create it, then assign the expression and save()"
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
