"""Products and quotients of doubles on PostgreSQL as IEEE (Python, SQLite, MariaDB) answer.

PostgreSQL's ``float8 * float8`` and ``float8 / float8`` raise "value out of range:
underflow" where the result of nonzero doubles rounds to zero (``5e-324 * 1e-300``,
``5e-324 / 2``); the others answer 0.0, as Python does.

A product rounds to zero exactly when ``|a| * |b| <= 2**-1075``, which needs both factors
below 1 and one below ``2**-537``; then both factors scaled by ``2**537`` (exact: powers of
two) multiply without underflow or overflow, and a scaled product below 0.5 means the
product is zero. So ``a * b`` is written ``CASE WHEN <that> THEN 0.0 ELSE a * b END``. (A
scaled product that rounds to exactly 0.5 is left to the server: its error is raised only
where the true product is at most ``2**-1075``.)

A quotient rounds to zero exactly when ``|a| <= |b| * 2**-1075``, which needs
``|a| < 2**-51``; then ``|a| * 2**537 * 2**538`` is exact, and compared with ``|b|`` without
rounding: ``quotient`` answers exactly everywhere."""

from __future__ import annotations

from typing import Any

from ferrule import sql

__all__ = ["product", "quotient"]


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


def quotient(left: Any, right: Any) -> Any:
    """``left / right`` of doubles on PostgreSQL (None for a zero divisor, as
    ``orm.arithmetic`` divides), 0.0 where IEEE rounds the quotient to zero."""
    a, b = sql.func.abs(left), sql.func.abs(right)
    zero = sql.and_(
        b > _double(0.0),
        a < _double(2.0**-51),
        (a * _double(2.0**537)) * _double(2.0**538) <= b,
    )
    return sql.case((zero, _double(0.0)), else_=left / sql.raw("NULLIF(?, 0)", right))
