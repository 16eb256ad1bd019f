"""``Trunc``/``Extract``'s ``tzinfo=``: ferrule takes an aware datetime's parts in UTC, so
it takes only a zone that is UTC at every instant. ``utcoffset(None)`` alone could not say:
a zone may answer 0 there and another offset for every real datetime (the parts would then
be taken in UTC in silence), and what is no ``tzinfo`` at all (``"UTC"``) has no
``utcoffset``. A zone is asked at instants spread from year 1 to 9999, summer and winter, and
must answer exactly ``timedelta(0)`` each time (a zone raising is refused as well)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ferrule.errors import FieldError

__all__ = ["refuse_other_zone"]

_ZERO = dt.timedelta(0)
#: the instants a zone is asked about (tzdata's history starts long before 1970)
_ASKED = tuple(
    dt.datetime(year, month, 15, 12)
    for year in (1, 1800, 1900, 1950, 1970, 2000, 2024, 2100, 9999)
    for month in (1, 7)
)


def _always_utc(tzinfo: Any) -> bool:
    if type(tzinfo) is dt.timezone:  # (it has no subclasses): one fixed offset
        return dt.timezone.utcoffset(tzinfo, None) == _ZERO
    if not isinstance(tzinfo, dt.tzinfo):
        return False
    for moment in (None, *(m.replace(tzinfo=tzinfo) for m in _ASKED)):
        offset = tzinfo.utcoffset(moment)
        if type(offset) is not dt.timedelta or not dt.timedelta.__eq__(offset, _ZERO):
            return False
    return True


def refuse_other_zone(function: str, tzinfo: Any) -> None:
    """A ``FieldError`` unless ``tzinfo`` is None or UTC at every instant."""
    if tzinfo is None:
        return
    try:
        utc = _always_utc(tzinfo)
    except Exception as exc:  # the zone's own utcoffset() failing: it is not taken
        raise FieldError(
            f"{function}(tzinfo={tzinfo!r:.80}): its utcoffset() fails: {exc}"
        ) from exc
    if not utc:
        raise FieldError(
            f"{function}(tzinfo={tzinfo!r:.80}): an aware datetime's parts are taken in UTC "
            "(Django's default TIME_ZONE), not in another zone: shift the values in Python"
        )
