"""Database functions, Django's names and signatures, with one answer on SQLite, PostgreSQL
and MariaDB: Python's own, or where the databases disagree among themselves one rule stated
here (and tested against Python on the three). They are expressions like ``F`` arithmetic
(``orm.arithmetic``: typed, constants bound), usable in ``annotate``, ``filter`` on an
annotation, ``values``, ``order_by``, ``update``, inside aggregates and in arithmetic.

A ``str`` argument names a field (``Lower("name")``); text constants go in ``Value``.

Text (a ``None`` in gives ``None`` out, except ``Concat``):

* ``Lower``, ``Upper``: each code point's own ``str.lower()``/``str.upper()`` (``ß`` upper is
  ``SS``, ``İ`` lower is ``i̇``), from Python's Unicode tables on every database: SQLite's
  ``lower()`` folds ASCII only, PostgreSQL's follows the database's locale. The one
  difference from ``str.lower()``: a final capital sigma (``"\u03a3"``) lowers to
  ``"\u03c3"``, not to the final form ``"\u03c2"``. MariaDB's case tables differ from
  Python's for ~750 code points and no expression maps them all, so on MariaDB both are a
  ``FieldError`` (but for a constant, which is mapped in Python on every database).
* ``Length``, ``StrIndex`` (1-based, 0 when absent), ``Substr``, ``Left``, ``Right``: in code
  points (``len``, ``str.find() + 1``, slices), NULs and characters past the BMP included.
  ``Substr``'s position (from 1) and length (0 or more), ``Left``/``Right``'s length (1 or
  more) are int constants: beyond those the databases answer differently.
* ``Trim``, ``LTrim``, ``RTrim``: spaces only (``str.strip(" ")``), as in SQL.
* ``Replace(expression, text, replacement=Value(""))``: ``str.replace``; an empty constant
  ``text`` is a ``FieldError`` (SQL leaves the string as it is, Python would insert the
  replacement between every character). A ``text`` read from a column that is empty in a
  row leaves that row's string as it is: the one case where the answer is SQL's.
* ``Concat(*expressions)``: text joined, a ``None`` taken as ``""`` (Django's ``ConcatPair``).

Numbers (``None`` in gives ``None``):

* ``Abs``, ``Sign``, ``Ceil``, ``Floor``: of the argument's type (Django's).
* ``Round(expression, precision=0)``: of the argument's type (a decimal with ``precision``
  places, at most its own); an int or a decimal rounds half away from zero (as PostgreSQL's
  and MariaDB's exact ROUND; Python's ``round`` would round half to even), ``precision`` an
  int constant (negative: tens, hundreds...); a float rounds
  to a whole number, half to even (Python's ``round``), with ``precision=0`` only: no
  database rounds a double at a decimal place as Python does.
* ``Mod(x, y)``, ``x % y``: SQL's remainder, with the sign of the dividend (Python's ``%``
  takes the divisor's: ``-7 % 2`` is 1 in Python, -1 here, as in Django); int with int an
  int, with a decimal a decimal (the larger scale); a zero divisor gives None. Floats are a
  ``FieldError`` (PostgreSQL has no floating remainder).
* ``Power(x, y)``, ``x ** y``: a float computed in doubles (ints are converted); None for a
  negative base to a fractional power and for zero to a negative power (Python raises);
  past the largest double, an error. Decimals are a ``FieldError`` (MariaDB computes in
  doubles, PostgreSQL in numerics).

The database's own (``orm.raw_functions``): ``Func(*expressions, function="NAME")`` and
``RawSQL(sql, params, output_field=...)``; and ``Sqrt``, ``LPad``, ``RPad`` (see there).

Any type:

* ``Coalesce(*expressions)``: the first that is not None; ``NullIf(a, b)``: None where
  ``a == b``, else ``a``.
* ``Greatest``, ``Least``: of numbers or text (compared code point by code point); None when
  any argument is None on every database (PostgreSQL alone would skip them: wrap the
  arguments in ``Coalesce`` for that).
* ``Cast(expression, type)``: ``int``, ``float`` or ``str`` (or such a field,
  ``orm.IntField()``...), where the conversion is exact on all three: int to float (the
  nearest double), int to text, decimal to float, bool to int (0 or 1: Django's
  ``Sum(Cast("done", IntegerField()))``), and any type to itself. The others are refused
  saying why (each database rounds, prints or reads them its own way).
* ``Concat`` joins text and ints (``str(int)``); Django's ``output_field`` is taken when it is
  text.

Each type or argument error is a ``FieldError`` naming the function and the argument.
"""

from ferrule.orm.function_base import Cast, Coalesce, Greatest, Least, NullIf
from ferrule.orm.number_functions import Abs, Ceil, Floor, Mod, Power, Round, Sign
from ferrule.orm.raw_functions import Func, LPad, RawSQL, RPad, Sqrt
from ferrule.orm.text_functions import (
    Concat,
    Left,
    Length,
    Lower,
    LTrim,
    Replace,
    Right,
    RTrim,
    StrIndex,
    Substr,
    Trim,
    Upper,
)

__all__ = [
    "Abs",
    "Cast",
    "Ceil",
    "Coalesce",
    "Concat",
    "Floor",
    "Func",
    "Greatest",
    "LPad",
    "LTrim",
    "Least",
    "Left",
    "Length",
    "Lower",
    "Mod",
    "NullIf",
    "Power",
    "RPad",
    "RTrim",
    "RawSQL",
    "Replace",
    "Right",
    "Round",
    "Sign",
    "Sqrt",
    "StrIndex",
    "Substr",
    "Trim",
    "Upper",
]
