"""Parameters of a subclass of a type the backends send, sent as that base type.

``sqlite3`` finds its adapters by a parameter's exact type, so a subclass of ``date``,
``datetime``, ``time``, ``Decimal``, ``UUID``, ``dict`` or ``list`` was a raw "type is not
supported"; asyncmy's bytes encoder takes exact ``bytes`` only (a ``TypeError``); asyncpg sent
an ``int`` subclass as what its ``__int__`` says, sqlite3 and asyncmy what it holds. Every
backend now sends a subclass as the value of its base type that it holds, read by the base
type's own methods (a subclass's overridden ``__int__``, ``__str__``, ``__float__`` or
properties are not asked), as pydantic reads an ``int`` subclass.

Only a parameter whose type is not exactly one of ``EXACT`` is looked at again
(``plain_params``): the common case costs one set lookup a value.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from ferrule import errors

__all__ = ["EXACT", "int_past_text", "plain_params", "plain_value"]

#: the types the backends send as they are
EXACT = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        str,
        bytes,
        bytearray,
        memoryview,
        decimal.Decimal,
        dt.datetime,
        dt.date,
        dt.time,
        dt.timedelta,
        uuid.UUID,
        dict,
        list,
    }
)


_UUID_INT: Any = uuid.UUID.__dict__["int"]  # the slot, not a subclass's property


def _moment(base: Any) -> Callable[[Any], Any]:
    # the pickle state (protocol 4 keeps ``fold``) is read from the C fields, not attributes
    return lambda value: base(*base.__reduce_ex__(value, 4)[1])


#: (base type, its value held by an instance of a subclass), most derived first
_BASES: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (int, int.__int__),  # bool cannot be subclassed; an IntEnum is its int
    (float, float.__float__),
    (str, str.__str__),
    (bytes, lambda value: bytes.__getitem__(value, slice(None))),
    (decimal.Decimal, decimal.Decimal),  # copies the value, asks no method
    (dt.datetime, _moment(dt.datetime)),  # before date, its base
    (dt.date, _moment(dt.date)),
    (dt.time, _moment(dt.time)),
    (dt.timedelta, lambda value: dt.timedelta(*dt.timedelta.__reduce__(value)[1])),
    (uuid.UUID, lambda value: uuid.UUID(int=_UUID_INT.__get__(value))),
    (dict, dict.copy),
    (list, list.copy),
)


def plain_value(value: Any) -> Any:
    """``value`` as its base type when it is an instance of a subclass of one of the types
    above; anything else as it is (the backend sends or refuses it)."""
    if type(value) in EXACT:
        return value
    for base, held in _BASES:
        if isinstance(value, base):
            return held(value)
    return value


def plain_params(params: Sequence[Any]) -> Sequence[Any]:
    """``params``, or a tuple of them with each subclass instance as its base type."""
    for value in params:
        if type(value) not in EXACT:
            return tuple(plain_value(item) for item in params)
    return params


def int_past_text(exc: BaseException) -> errors.DataError | None:
    """A ``DataError`` when ``exc`` is Python refusing to write an int of more digits than
    ``sys.get_int_max_str_digits()`` as text: a driver writing a parameter (asyncmy), or the
    refusal naming it (asyncpg), raised that ``ValueError`` in place of its own. None for
    any other error."""
    if type(exc) is not ValueError or "integer string conversion" not in str(exc):
        return None
    return errors.DataError(
        "an int parameter has more digits than Python writes as text "
        f"(sys.get_int_max_str_digits()), which no database column holds: {exc}"
    )
