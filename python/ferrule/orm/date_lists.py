"""``dates()`` and ``datetimes()``: Django's lists of the distinct values of a date or
datetime field rounded down to a kind (``dates("pub_date", "month")``: the first day of
each month with a row), ascending or descending, NULLs left out. Each is a QuerySet of
``values_list(flat=True)`` over a ``Trunc`` annotation, so it filters, counts and awaits as
any; a datetime's are rounded in UTC, as ``Trunc`` rounds it. ``dates()`` of a datetime
field is refused (Django would round it in the current time zone): ``datetimes()`` it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.errors import FieldError
from ferrule.orm.dated_expressions import Trunc
from ferrule.orm.expressions import shown, text_of

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["DateLists"]

_DATE_KINDS = ("year", "month", "week", "day")
_DATETIME_KINDS = (*_DATE_KINDS, "hour", "minute", "second")
#: the name of the rounded value (Django's)
_NAME = "datefield"


class DateLists:
    """``QuerySet.dates`` and ``QuerySet.datetimes``."""

    __slots__ = ()

    def dates(self, field: str, kind: str, order: str = "ASC") -> QuerySet[Any]:
        """The distinct ``datetime.date``s of a date field rounded down to ``kind`` (year,
        month, week: its Monday, or day)."""
        return _listed(self, "dates", field, kind, order, _DATE_KINDS, ("date",))

    def datetimes(self, field: str, kind: str, order: str = "ASC") -> QuerySet[Any]:
        """The distinct ``datetime``s of a datetime field rounded down to ``kind`` (year ...
        second), an aware one's in UTC."""
        return _listed(
            self, "datetimes", field, kind, order, _DATETIME_KINDS, ("datetime", "datetime_tz")
        )


def _listed(
    qs: Any,
    method: str,
    field: str,
    kind: str,
    order: str,
    kinds: tuple[str, ...],
    logical: tuple[str, ...],
) -> QuerySet[Any]:
    model = qs._model.__name__
    name = text_of(field)
    if name is None:
        raise FieldError(f"{model}.{method}() takes a field name, not {shown(field)}")
    field = name
    kind, order = text_of(kind) or kind, text_of(order) or order  # (text_of says why)
    if kind not in kinds:
        allowed = ", ".join(repr(k) for k in kinds[:-1]) + f" or {kinds[-1]!r}"
        raise FieldError(f"{model}.{method}(): kind must be {allowed}, not {shown(kind)}")
    if order not in ("ASC", "DESC"):
        raise FieldError(f"{model}.{method}(): order must be 'ASC' or 'DESC', not {shown(order)}")
    from ferrule.orm.compiler import Scope

    column = Scope(qs._model, "sqlite").column_of(field)[1]
    found = column.logical.name if column is not None and column.enum is None else None
    if found not in logical:
        other = "datetimes()" if found in ("datetime", "datetime_tz") else None
        other = "dates()" if found == "date" else other
        hint = f": use {other}" if other else ""
        raise FieldError(
            f"{model}.{method}({field!r}): {field} is not a "
            f"{'date' if method == 'dates' else 'datetime'} field{hint}"
        )
    rounded = qs.filter(**{f"{field}__isnull": False}).annotate(**{_NAME: Trunc(field, kind)})
    listed: QuerySet[Any] = rounded.values_list(_NAME, flat=True).distinct()
    return listed.order_by(("-" if order == "DESC" else "") + _NAME)
