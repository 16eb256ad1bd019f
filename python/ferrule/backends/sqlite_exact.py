"""The SQL functions behind ``orm.functions`` on SQLite: Python's own answers, where SQLite's
built-ins give another one.

SQLite's ``lower()``/``upper()`` fold ASCII only; its ``length()``, ``substr()`` and
``instr()`` stop at a NUL character; its ``round()`` rounds the decimal text of a double half
up at any place, and its math functions may be left out of a build. Each function here is
deterministic, takes NULL to NULL (as SQL functions do), and reads SQLite's values: text as
``str``, integers as ``int``, reals (and the DECIMAL columns, which SQLite holds as doubles or
integers) as ``float``. ``register`` puts them on a connection, named ``ferrule_<name>``.

* ``ferrule_lower(x)``, ``ferrule_upper(x)``: each code point's own ``str.lower()`` /
  ``str.upper()`` (``orm.functions.Lower`` states the rule);
* ``ferrule_length(x)``, ``ferrule_strindex(x, sub)``, ``ferrule_substr(x, pos, n)``,
  ``ferrule_right(x, n)``: counted in code points, NULs included;
* ``ferrule_round(x, places, exact)``: an ``exact`` number (int, decimal) rounded half away
  from zero at ``places`` (which may be negative), a double to the nearest whole number, ties
  to even (Python's ``round``);
* ``ferrule_mod(x, y)``: the remainder with the dividend's sign (``x - y * trunc(x / y)``) of
  two decimals, computed on their decimal values; None for a zero divisor;
* ``ferrule_power(x, y)``: ``x ** y`` in doubles; None where there is no real answer (a
  negative base to a fractional power, zero to a negative one); past the largest double,
  an error;
* ``ferrule_ceil(x)``, ``ferrule_floor(x)``, ``ferrule_sign(x)``: of the value's own type;
* the aggregates ``ferrule_var_pop(x)``, ``ferrule_var_samp(x)``, ``ferrule_stddev_pop(x)``,
  ``ferrule_stddev_samp(x)`` (``orm.deviations``): the values added as fractions, the
  answer rounded once to a double, as Python's ``statistics`` rounds it; NULLs are left out,
  and too few values (none; one, of a sample) give NULL;

A result past the largest double (a spread, a power) or a spread of a value that is no finite
number is a ``DataError`` saying which and what (PostgreSQL and MariaDB refuse them as out of
range). SQLite replaces the exception a Python function raises by a fixed text (for an
OverflowError, "string or blob too big"), so ``register`` hands the error to the connection's
``SQLFunctions`` first, which gives it back for SQLite's report (``take_error``).
"""

from __future__ import annotations

import decimal
import fractions
import math
from typing import Any

from ferrule import errors

__all__ = ["lower_each", "register", "upper_each"]

_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)


def lower_each(text: str) -> str:
    """Each code point lowered on its own: ``str.lower()`` but for a final ``Σ``, which
    stays ``"\u03c3"`` (the ``orm.functions.Lower`` rule)."""
    if "\u03a3" not in text:
        return text.lower()
    return "".join(ch.lower() for ch in text)


def upper_each(text: str) -> str:
    """``str.upper()`` (which maps each code point on its own)."""
    return text.upper()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if type(value) is str else str(value)


def _lower(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else lower_each(text)


def _upper(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else upper_each(text)


def _length(value: Any) -> int | None:
    text = _text(value)
    return None if text is None else len(text)


def _strindex(value: Any, sub: Any) -> int | None:
    text, part = _text(value), _text(sub)
    if text is None or part is None:
        return None
    return text.find(part) + 1


def _substr(value: Any, pos: Any, count: Any) -> str | None:
    text = _text(value)
    if text is None or pos is None:
        return None
    start = int(pos) - 1
    return text[start:] if count is None else text[start : start + int(count)]


def _right(value: Any, count: Any) -> str | None:
    text = _text(value)
    if text is None or count is None:
        return None
    return text[-int(count) :] if count > 0 else ""


#: the significant digits a decimal computed in doubles holds exactly (``orm.arithmetic``)
_DIGITS = decimal.Context(prec=14, rounding=decimal.ROUND_HALF_EVEN)


def _decimal(value: Any) -> decimal.Decimal:
    """The decimal a double stands for: its 14 significant digits (``0.05 * 1.505`` is the
    double 0.07524999999999999, which stands for 0.07525)."""
    if isinstance(value, float):
        return _DIGITS.plus(decimal.Decimal(repr(value)))
    return decimal.Decimal(value)


def _round(value: Any, places: Any, exact: Any) -> Any:
    if value is None or places is None:
        return None
    if not exact:
        return float(round(float(value)))
    if isinstance(value, int):
        unit = decimal.Decimal(1).scaleb(-int(places))
        return int(decimal.Decimal(value).quantize(unit, context=_EXACT)) if places < 0 else value
    unit = decimal.Decimal(1).scaleb(-int(places))
    return float(_decimal(value).quantize(unit, context=_EXACT))


def _mod(value: Any, divisor: Any) -> Any:
    if value is None or divisor is None or divisor == 0:
        return None
    if isinstance(value, int) and isinstance(divisor, int):
        remainder = abs(value) % abs(divisor)
        return remainder if value >= 0 else -remainder
    return float(_decimal(value) % _decimal(divisor))  # Decimal's %: the dividend's sign


def _power_for(refused: Any) -> Any:
    """``ferrule_power`` of a connection whose errors go to ``refused`` (`_Refusals`)."""

    def power(base: Any, exponent: Any) -> float | None:
        if base is None or exponent is None:
            return None
        x, y = float(base), float(exponent)
        if (x < 0 and not y.is_integer()) or (x == 0 and y < 0):
            return None
        try:
            return math.pow(x, y)
        except OverflowError:
            raise refused(f"Power(): {x!r} ** {y!r} is past the largest double") from None

    return power


def _ceil(value: Any) -> Any:
    if value is None:
        return None
    return value if isinstance(value, int) else float(math.ceil(value))


def _floor(value: Any) -> Any:
    if value is None:
        return None
    return value if isinstance(value, int) else float(math.floor(value))


def _sign(value: Any) -> Any:
    if value is None:
        return None
    one = (value > 0) - (value < 0)
    return one if isinstance(value, int) else float(one)


_FUNCTIONS = (
    ("lower", 1, _lower),
    ("upper", 1, _upper),
    ("length", 1, _length),
    ("strindex", 2, _strindex),
    ("substr", 3, _substr),
    ("right", 2, _right),
    ("round", 3, _round),
    ("mod", 2, _mod),
    ("ceil", 1, _ceil),
    ("floor", 1, _floor),
    ("sign", 1, _sign),
)


def _sqrt(value: fractions.Fraction) -> float:
    """The square root of a non-negative fraction, correctly rounded: an integer root of at
    least 110 bits, its last bit set when it is inexact (so a tie cannot be faked), then one
    rounding to a double."""
    p, q = value.numerator, value.denominator
    shift = max(0, 224 - p.bit_length() + q.bit_length())
    shift += shift & 1
    scaled = p << shift
    root = math.isqrt(scaled // q)
    if root * root * q != scaled:
        root |= 1
    return math.ldexp(float(root), -(shift // 2))


class _Refusals:
    """Where a connection's functions leave the ``DataError`` they raise: its
    ``SQLFunctions`` (``error``), read back when SQLite reports the failure."""

    __slots__ = ("sink",)

    def __init__(self, sink: Any) -> None:
        self.sink = sink

    def __call__(self, message: str) -> errors.DataError:
        error = errors.DataError(message)
        if self.sink is not None:
            self.sink.error = error
        return error


class _Spread:
    """The sums behind a variance: how many values, their sum and the sum of their squares,
    exact. Ints add as ints; a double is ``n / d`` (``as_integer_ratio``, ``d`` a power of
    two), and the numerators of each ``d`` add as ints, made fractions only at the end (a
    fraction per row costs ten times more). An infinite double has no variance: an error,
    as ``statistics`` raises one; so is a result past the largest double."""

    sample = False
    root = False
    #: the connection's `_Refusals` (each connection registers subclasses of its own)
    refused: _Refusals = _Refusals(None)

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.squares = 0
        #: denominator -> (sum of the numerators, sum of their squares)
        self.parts: dict[int, list[int]] = {}

    def step(self, value: Any) -> None:
        if value is None:
            return
        self.count += 1
        if type(value) is int:
            self.total += value
            self.squares += value * value
            return
        try:
            n, d = float(value).as_integer_ratio()
        except (OverflowError, ValueError):  # inf, nan
            problem = f"is over a value that is not a finite number ({value!r})"
            raise self._refused(problem) from None
        if d == 1:
            self.total += n
            self.squares += n * n
            return
        part = self.parts.get(d)
        if part is None:
            self.parts[d] = [n, n * n]
        else:
            part[0] += n
            part[1] += n * n

    def finalize(self) -> float | None:
        n = self.count
        if n < (2 if self.sample else 1):
            return None
        total = fractions.Fraction(self.total)
        squares = fractions.Fraction(self.squares)
        for d, (s, q) in self.parts.items():
            total += fractions.Fraction(s, d)
            squares += fractions.Fraction(q, d * d)
        moment = (squares - total * total / n) / (n - 1 if self.sample else n)
        try:
            return _sqrt(moment) if self.root else float(moment)
        except OverflowError:
            shown = "standard deviation" if self.root else "variance"
            raise self._refused(f"is past the largest double: the {shown} of the values") from None

    def _refused(self, problem: str) -> errors.DataError:
        name = "StdDev" if self.root else "Variance"
        kind = "sample" if self.sample else "population"
        return type(self).refused(f"{name}() of a {kind} {problem}")


class _VarSamp(_Spread):
    sample = True


class _StdDevPop(_Spread):
    root = True


class _StdDevSamp(_Spread):
    sample = True
    root = True


_AGGREGATES = (
    ("var_pop", _Spread),
    ("var_samp", _VarSamp),
    ("stddev_pop", _StdDevPop),
    ("stddev_samp", _StdDevSamp),
)


def register(raw: Any, sink: Any = None) -> None:
    """Put the ``ferrule_<name>`` functions and aggregates on a ``sqlite3`` connection; the
    errors they raise are left in ``sink.error`` too (``SQLFunctions``: the module docstring
    says why)."""
    refused = _Refusals(sink)
    for name, arity, function in _FUNCTIONS:
        raw.create_function(f"ferrule_{name}", arity, function, deterministic=True)
    raw.create_function("ferrule_power", 2, _power_for(refused), deterministic=True)
    for name, aggregate in _AGGREGATES:
        own = type(aggregate.__name__, (aggregate,), {"refused": refused})
        raw.create_aggregate(f"ferrule_{name}", 1, own)
