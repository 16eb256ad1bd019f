"""The date and time expressions: ``Extract`` (a part of a date, time or datetime field) and
``Trunc`` (one truncated to a unit), with Django's one-part classes (``ExtractYear``,
``TruncMonth``, ...). Field references, as ``F`` is: the compiler reads their part or unit."""

from __future__ import annotations

from typing import Any, ClassVar

from ferrule.errors import FieldError
from ferrule.orm.expressions import PARTS, TRUNC_KINDS, F, shown, text_of
from ferrule.orm.utc_zones import refuse_other_zone

__all__ = [
    "Extract",
    "ExtractDay",
    "ExtractHour",
    "ExtractIsoWeekDay",
    "ExtractIsoYear",
    "ExtractMinute",
    "ExtractMonth",
    "ExtractQuarter",
    "ExtractSecond",
    "ExtractWeek",
    "ExtractWeekDay",
    "ExtractYear",
    "Trunc",
    "TruncDate",
    "TruncDay",
    "TruncHour",
    "TruncMinute",
    "TruncMonth",
    "TruncQuarter",
    "TruncSecond",
    "TruncTime",
    "TruncWeek",
    "TruncYear",
]


def _field_name(function: str, field: Any) -> str:
    if not isinstance(field, str) or not field:
        raise FieldError(f"{function}() needs a field name, not {shown(field)}")
    return str.__str__(field)  # the text it holds (text_of says why)


def _dated(cls: Any, args: tuple[Any, ...], output_field: Any, tzinfo: Any) -> Any:
    """``Extract``/``Trunc``'s ``__new__``: Django's ``tzinfo=`` is UTC's only (ferrule takes
    an aware datetime's parts in UTC), its ``output_field=`` a check (``orm.output_fields``)."""
    refuse_other_zone(cls.__name__, tzinfo)
    if output_field is None:
        return object.__new__(cls)
    from ferrule.orm.output_fields import wrapped

    return wrapped(cls(*args), output_field)


class Extract(F):
    """A part of a date, time or datetime field: ``Extract("created", "year")`` is what the
    name ``created__year`` reads (an aware datetime's parts in UTC, ``orm.datetimes``)."""

    __slots__ = ("field", "part")

    def __new__(cls, *args: Any, output_field: Any = None, tzinfo: Any = None) -> Any:
        return _dated(cls, args, output_field, tzinfo)

    def __init__(self, field: str, part: str, **_: Any) -> None:
        field = _field_name(type(self).__name__, field)
        part = text_of(part) or part
        if part not in PARTS:
            from ferrule.orm.options import did_you_mean

            raise FieldError(
                f"Extract(): {shown(part)} is not a part{did_you_mean(text_of(part) or '', PARTS)} "
                f"(parts: {', '.join(PARTS)})"
            )
        super().__init__(f"{field}__{part}")
        self.field = field
        self.part = part

    def __repr__(self) -> str:
        return f"Extract({self.field!r}, {self.part!r})"


class _ExtractOne(Extract):
    __slots__ = ()
    _part: ClassVar[str] = ""

    def __init__(self, field: str, **_: Any) -> None:
        super().__init__(field, self._part)


class ExtractYear(_ExtractOne):
    """``Extract(field, 'year')``."""

    __slots__ = ()
    _part = "year"


class ExtractMonth(_ExtractOne):
    """``Extract(field, 'month')``."""

    __slots__ = ()
    _part = "month"


class ExtractDay(_ExtractOne):
    """``Extract(field, 'day')``."""

    __slots__ = ()
    _part = "day"


class ExtractWeekDay(_ExtractOne):
    """``Extract(field, 'week_day')``."""

    __slots__ = ()
    _part = "week_day"


class ExtractIsoWeekDay(_ExtractOne):
    """``Extract(field, 'iso_week_day')``."""

    __slots__ = ()
    _part = "iso_week_day"


class ExtractWeek(_ExtractOne):
    """``Extract(field, 'week')``."""

    __slots__ = ()
    _part = "week"


class ExtractIsoYear(_ExtractOne):
    """``Extract(field, 'iso_year')``."""

    __slots__ = ()
    _part = "iso_year"


class ExtractQuarter(_ExtractOne):
    """``Extract(field, 'quarter')``."""

    __slots__ = ()
    _part = "quarter"


class ExtractHour(_ExtractOne):
    """``Extract(field, 'hour')``."""

    __slots__ = ()
    _part = "hour"


class ExtractMinute(_ExtractOne):
    """``Extract(field, 'minute')``."""

    __slots__ = ()
    _part = "minute"


class ExtractSecond(_ExtractOne):
    """``Extract(field, 'second')``."""

    __slots__ = ()
    _part = "second"


class TruncDate(Extract):
    """The date of a datetime field (in UTC when it is time-zone aware)."""

    __slots__ = ()

    def __init__(self, field: str, **_: Any) -> None:
        super().__init__(field, "date")


class TruncTime(Extract):
    """The time of a datetime field (in UTC when it is time-zone aware)."""

    __slots__ = ()

    def __init__(self, field: str, **_: Any) -> None:
        super().__init__(field, "time")


class Trunc(F):
    """A date, time or datetime field rounded down to the start of its year, quarter, month,
    ISO week (its Monday), day, hour, minute or second: a value of the field's own type (an
    aware datetime rounded in UTC). As an ``F`` it names the field itself."""

    __slots__ = ("kind",)

    def __new__(cls, *args: Any, output_field: Any = None, tzinfo: Any = None) -> Any:
        return _dated(cls, args, output_field, tzinfo)

    def __init__(self, field: str, kind: str, **_: Any) -> None:
        field = _field_name(type(self).__name__, field)
        text = text_of(kind)
        if text not in TRUNC_KINDS:
            from ferrule.orm.options import did_you_mean

            raise FieldError(
                f"Trunc(): {shown(kind)} is not a kind{did_you_mean(text or '', TRUNC_KINDS)} "
                f"(kinds: {', '.join(TRUNC_KINDS)})"
            )
        super().__init__(field)
        self.kind = text

    def __repr__(self) -> str:
        return f"Trunc({self.name!r}, {self.kind!r})"


class _TruncOne(Trunc):
    __slots__ = ()
    _kind: ClassVar[str] = ""

    def __init__(self, field: str, **_: Any) -> None:
        super().__init__(field, self._kind)


class TruncYear(_TruncOne):
    """``Trunc(field, 'year')``."""

    __slots__ = ()
    _kind = "year"


class TruncQuarter(_TruncOne):
    """``Trunc(field, 'quarter')``."""

    __slots__ = ()
    _kind = "quarter"


class TruncMonth(_TruncOne):
    """``Trunc(field, 'month')``."""

    __slots__ = ()
    _kind = "month"


class TruncWeek(_TruncOne):
    """``Trunc(field, 'week')``."""

    __slots__ = ()
    _kind = "week"


class TruncDay(_TruncOne):
    """``Trunc(field, 'day')``."""

    __slots__ = ()
    _kind = "day"


class TruncHour(_TruncOne):
    """``Trunc(field, 'hour')``."""

    __slots__ = ()
    _kind = "hour"


class TruncMinute(_TruncOne):
    """``Trunc(field, 'minute')``."""

    __slots__ = ()
    _kind = "minute"


class TruncSecond(_TruncOne):
    """``Trunc(field, 'second')``."""

    __slots__ = ()
    _kind = "second"
