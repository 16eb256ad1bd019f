"""Window frames: ``RowRange(start=-2, end=0)`` (``ROWS BETWEEN``) and ``ValueRange(start=...,
end=...)`` (``RANGE BETWEEN``) for ``Window(..., frame=...)``, in Django's spelling: None is
UNBOUNDED (PRECEDING as the start, FOLLOWING as the end), 0 the current row, ``-n`` n rows (or
values) PRECEDING and ``n`` n FOLLOWING.

* ``RowRange`` counts rows in ``order_by`` order with the primary key as tie-break (without
  ``order_by``: by the primary key), so a frame's rows are the same on every database.
* ``ValueRange`` takes whole peer groups (rows equal in every ``order_by`` term); an offset
  other than None/0 needs exactly one ``order_by`` term, an int (or, on PostgreSQL and
  MariaDB, a decimal: SQLite holds decimals as doubles, where ``v - 2`` may miss a row exactly
  2 below). A row whose term is NULL has its NULL peers as an offset's bound (as every
  database does). On MariaDB an int term is ordered as a DECIMAL(21, 0), so that adding an
  offset near the ends of BIGINT does not fail there (``ranged_term``); on SQLite, which
  adds it in a double there, a row whose int term is that near the ends is a ``DataError``
  (``guarded``).
* Frames go with the aggregates (``Count``, ``Sum``, ``Avg``, ``Min``, ``Max``); ``FirstValue``,
  ``LastValue`` and ``NthValue`` take a ``RowRange`` only (a ``ValueRange`` ends in peer groups,
  whose rows each database takes in its own order); the ranks, ``Ntile``, ``Lag`` and ``Lead``
  ignore frames in SQL, so one given to them is refused.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.expressions import shown

__all__ = ["Frame", "RowRange", "ValueRange", "check_value_range", "guarded", "ranged_term"]

#: the largest offset written (as the other constants of a window)
_LIMIT = 2**31


def _bound(owner: str, name: str, value: Any) -> int | None:
    """None or a checked int (the number itself, whatever its class says)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{owner}: {name} must be None or an int, not {shown(value)}")
    whole = int.__int__(value)
    if not -_LIMIT < whole < _LIMIT:
        raise FieldError(f"{owner}: {name} {whole} is too large (at most {_LIMIT - 1} either way)")
    return whole


class Frame:
    """A window frame from ``start`` to ``end`` (None, 0 or a signed offset)."""

    __slots__ = ("end", "start")
    mode: ClassVar[str] = ""

    def __init__(self, start: Any = None, end: Any = None) -> None:
        name = type(self).__name__
        self.start = _bound(f"{name}()", "start", start)
        self.end = _bound(f"{name}()", "end", end)
        if self.start is not None and self.end is not None and self.start > self.end:
            raise FieldError(
                f"{name}(start={self.start}, end={self.end}): the start is after the end "
                "(an empty frame; None is unbounded, negative numbers precede the row)"
            )

    @property
    def bounds(self) -> tuple[str, int | None, int | None]:
        """What ``ferrule.sql``'s ``over(frame=...)`` takes."""
        return (self.mode, self.start, self.end)

    @property
    def offsets(self) -> bool:
        """Whether a bound is n PRECEDING/FOLLOWING (not unbounded, not the current row)."""
        return bool(self.start) or bool(self.end)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(start={self.start}, end={self.end})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Frame)
        return (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.mode, self.start, self.end))


class RowRange(Frame):
    """``ROWS BETWEEN``: rows counted from the current one (in order, then by key)."""

    __slots__ = ()
    mode = "rows"


class ValueRange(Frame):
    """``RANGE BETWEEN``: the rows whose one ``order_by`` value is within the offsets."""

    __slots__ = ()
    mode = "range"


def check_value_range(scope: Any, window: Any, frame: Frame, kinds: list[Any]) -> str | None:
    """Refuse a ``ValueRange`` with offsets the databases cannot answer alike: ``kinds`` are
    those of the window's ``order_by`` terms. The one term's type ("int" or "decimal") when
    the frame has offsets, else None."""
    if not isinstance(frame, ValueRange) or not frame.offsets:
        return None
    model = scope.model.__name__
    if len(kinds) != 1:
        raise FieldError(
            f"{model}: {window!r}: {frame!r} with offsets needs exactly one order_by term "
            f"(the value the offsets are added to), not {len(kinds)}"
        )
    kind = kinds[0]
    name: str = kind.name
    if name == "field":
        logical = kind.column.logical.name
        plain = kind.column.enum is None and kind.column.encryption is None
        name = logical if plain and logical in ("int", "bigint", "smallint", "decimal") else ""
        if name in ("bigint", "smallint"):
            name = "int"
    if name == "decimal" and scope.dialect == "sqlite":
        raise FieldError(
            f"{model}: {window!r}: {frame!r} over a decimal on SQLite, which holds it as a "
            "double: a value exactly an offset away may fall outside; order by an int"
        )
    if name not in ("int", "decimal"):
        raise FieldError(
            f"{model}: {window!r}: {frame!r} with offsets needs its order_by term to be an "
            "int or a decimal (offsets are added to it exactly), not "
            f"{'a float' if name == 'float' else 'this type'}"
        )
    return name


def ranged_term(dialect: str, name: str | None, expr: Any) -> Any:
    """The ``order_by`` term of a ``ValueRange`` with offsets as the database adds to it:
    MariaDB adds an offset to a BIGINT in BIGINT, out of range near its ends (error 1690,
    where SQLite and PostgreSQL answer), so an int is ordered as a DECIMAL(21, 0) there."""
    if dialect == "mysql" and name == "int":
        return sql.cast(expr, "decimal(21,0)")
    return expr


def guarded(dialect: str, name: str | None, frame: Frame, term: Any, value: Any) -> Any:
    """A window over a ``ValueRange`` with offsets, refused (a ``DataError``) on SQLite for the
    rows whose int term is within the largest offset of the ends of a 64-bit int: SQLite
    adds the offset in a double there, and takes rows in or out of the frame wrongly."""
    if dialect != "sqlite" or name != "int":
        return value
    reach = max(abs(b) for b in (frame.start, frame.end) if b is not None)
    low, high = -(2**63) + reach, 2**63 - 1 - reach
    message = (
        f"{frame!r}: a value of the window's order_by term is within {reach} of the ends of "
        "a 64-bit int, where SQLite cannot add the offset exactly"
    )
    edge = (term < sql.literal(low)) | (term > sql.literal(high))
    return sql.case((edge, sql.func.ferrule_refuse(sql.literal(message))), else_=value)
