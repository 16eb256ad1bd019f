"""A product of doubles on PostgreSQL as IEEE (and Python, SQLite, MariaDB) answers it.

PostgreSQL's ``float8 * float8`` raises "value out of range: underflow" where the product of
two nonzero doubles rounds to zero (``5e-324 * 1e-300``); the others answer 0.0, as Python
does. Such a product rounds to zero exactly when ``|a| * |b| <= 2**-1075``, which needs both
factors below 1 and one below ``2**-537``; then both factors scaled by ``2**537`` (exact:
powers of two) multiply without underflow or overflow, and a scaled product below 0.5 means
the product is zero. So ``a * b`` is written
``CASE WHEN <that> THEN 0.0 ELSE a * b END``: 0.0 where IEEE gives zero, the product
elsewhere. (A scaled product that rounds to exactly 0.5 is left to the server: its error is
raised only where the true product is at most ``2**-1075``.)"""

from __future__ import annotations

from typing import Any

from ferrule import sql

__all__ = ["product"]


def _double(value: float) -> Any:
    return sql.cast(sql.literal(value), "double")


def product(left: Any, right: Any) -> Any:
    """``left * right`` of two doubles on PostgreSQL, 0.0 where IEEE rounds it to zero."""
    a, b = sql.func.abs(left), sql.func.abs(right)
    one, small, scale = _double(1.0), _double(2.0**-537), _double(2.0**537)
    zero = sql.and_(
        a < one,
        b < one,
        sql.or_(a < small, b < small),
        (a * scale) * (b * scale) < _double(0.5),
    )
    return sql.case((zero, _double(0.0)), else_=left * right)
