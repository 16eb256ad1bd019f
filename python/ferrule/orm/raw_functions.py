"""Django's ``Func``, ``RawSQL``, ``Sqrt``, ``LPad`` and ``RPad``.

* ``Func(*expressions, function="NAME", output_field=None)``: the database's own function
  ``NAME`` over the expressions, its answer the database's (ferrule states no rule for it).
  The name is a plain SQL identifier (letters, digits, ``_``; not starting with a digit),
  anything else a ``FieldError``, so no name writes SQL of its own; Django's ``template=``
  and ``arg_joiner=`` are refused (raw SQL goes in ``RawSQL``, whose values are bound). The
  result's type is ``output_field``'s (an int, float or text field, or ``int``/``float``/
  ``str``), else the arguments' one type, as Django infers it; mixed types are a
  ``FieldError`` asking for ``output_field``.
* ``RawSQL(sql, params, output_field=...)``: an SQL fragment, each ``%s`` in it a bound
  parameter from ``params`` (``%%`` is a ``%``): values are never written into the SQL (a
  number is sent typed to PostgreSQL, an int as a bigint, as psycopg types it). Its
  type (int, float or text) must be named: ferrule cannot read it from the SQL, and without
  it Django passes each database's own value through. An int is read as a 64-bit int, a
  float as a double, on every database.
* ``Sqrt(expression)``: the square root, a float (an int is converted), correctly rounded on
  every database as ``math.sqrt``; None for a negative number (Python raises, PostgreSQL
  would refuse the query, the others give NULL).
* ``LPad(expression, length, fill_text=Value(" "))``, ``RPad(...)``: the text padded on the
  left (right) with ``fill_text`` repeated, to ``length`` code points, or cut to its first
  ``length`` when longer, as SQL's ``LPAD``/``RPAD``: ``(fill * length)[:length - len(s)] +
  s``. ``length`` is an int constant (0 to a million), ``fill_text`` a non-empty text constant
  (MariaDB gives NULL for an empty one where PostgreSQL pads nothing).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.arithmetic import Kind
from ferrule.orm.expressions import Value, shown
from ferrule.orm.function_base import FLOAT, INT, NULL, TEXT, TypedFunction, whole_argument

__all__ = ["Func", "LPad", "RPad", "RawSQL", "Sqrt"]

#: a function name: a plain identifier, so it writes no SQL of its own
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: the kinds an ``output_field`` may name here, by what ``output_fields.declared`` says
_DECLARED = {"int": INT, "float": FLOAT, "text": TEXT}
_PLACEHOLDER = re.compile(r"%%|%s|%")
#: the longest text ``LPad``/``RPad`` make: 4 MB of UTF-8 at most, within MariaDB's packet
_LONGEST = 1_000_000
#: what a ``RawSQL`` param may be (bound as the drivers bind them)
_PARAMS = (int, float, decimal.Decimal, str, bytes, dt.date, dt.time, dt.timedelta)
#: a number param's type on PostgreSQL, which asyncpg would leave to the SQL to infer
_PG_TYPES = {int: "bigint", float: "double", decimal.Decimal: "numeric"}


def _declared_kind(function: str, output_field: Any) -> Kind:
    from ferrule.orm.output_fields import declared

    name, _ = declared(output_field)
    kind = _DECLARED.get(name)
    if kind is None:
        raise FieldError(
            f"{function}(): output_field names {name}; it can be an int, float or text field "
            "(or int, float, str)"
        )
    return kind


def _read_as(scope: Any, out: Any, kind: Kind) -> Any:
    """A value of the database's own making read as ``kind``: an int as 64 bits, a float
    as a double (PostgreSQL's int4 or numeric, MariaDB's decimal, would come back as they
    are); text as it is."""
    if kind == INT:
        if scope.dialect == "postgres":
            return sql.cast(out, "bigint")
        if scope.dialect == "mysql":
            return sql.raw("CAST(? AS SIGNED)", out)
        return out
    if kind == FLOAT:
        return sql.cast(out, "real" if scope.dialect == "sqlite" else "double")
    return out


class Func(TypedFunction):
    """``orm.Func``: see the module docstring."""

    __slots__ = ("declared", "function")
    _names = ("expression",)
    _strict = False  # the database's function decides what a NULL gives
    _output_field = True

    def __init__(
        self, *expressions: Any, function: Any = None, output_field: Any = None, **extra: Any
    ) -> None:
        if extra:
            name = sorted(extra)[0]
            raise FieldError(
                f"Func(): {name}= is not taken (Django's template and arg_joiner write SQL "
                "of their own): name the function with function=, or use RawSQL with "
                "bound params"
            )
        if not isinstance(function, str) or not _NAME.fullmatch(function):
            raise FieldError(
                f"Func(): function must be a plain SQL function name (letters, digits and "
                f"_, not starting with a digit), not {shown(function)}"
            )
        super().__init__(*expressions)
        self.function = str.__str__(function)
        self.declared = None if output_field is None else _declared_kind("Func", output_field)

    def __repr__(self) -> str:
        args = ", ".join([*(shown(a) for a in self.args), f"function={self.function!r}"])
        return f"Func({args})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        if self.declared is not None:
            return self.declared
        known = {k.name for k in kinds if k != NULL}
        if len(known) == 1 and known <= set(_DECLARED):
            return _DECLARED[known.pop()]
        raise FieldError(
            f"{scope.model.__name__}: {self!r}: its type cannot be told from its arguments "
            f"({', '.join(sorted(known)) or 'none'}): name it with output_field= (an int, "
            "float or text field)"
        )

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        return _read_as(scope, getattr(sql.func, self.function)(*args), result)


class RawSQL(TypedFunction):
    """``orm.RawSQL``: see the module docstring."""

    __slots__ = ("declared", "params", "text")
    _strict = False
    _output_field = True

    def __init__(self, sql_text: Any, params: Any = (), output_field: Any = None) -> None:
        if not isinstance(sql_text, str) or not sql_text.strip():
            raise FieldError(f"RawSQL(): sql must be a non-empty str, not {shown(sql_text)}")
        if isinstance(params, (str, bytes)) or not isinstance(params, (list, tuple)):
            raise FieldError(f"RawSQL(): params must be a list or tuple, not {shown(params)}")
        if output_field is None:
            raise FieldError(
                "RawSQL(): name the type of its values with output_field= (an int, float or "
                "text field): ferrule cannot read it from the SQL"
            )
        for param in params:
            if not isinstance(param, _PARAMS) and param is not None:
                raise FieldError(
                    f"RawSQL(): a param is a number, text, bytes, a date or None, not "
                    f"{shown(param)}"
                )
        pieces: list[str] = []
        last = count = 0
        for match in _PLACEHOLDER.finditer(sql_text):
            token = match.group()
            if token == "%":
                raise FieldError(
                    f"RawSQL(): a lone % at {match.start()} of {sql_text!r}: write %% for a "
                    "%, %s for a parameter"
                )
            pieces.append(sql_text[last : match.start()].replace("?", "??"))
            # spaced: a ? of the user's next to it stays a literal ? (sql.raw reads ?? so)
            pieces.append("%" if token == "%%" else " ? ")
            count += token == "%s"
            last = match.end()
        pieces.append(sql_text[last:].replace("?", "??"))
        if count != len(params):
            raise FieldError(
                f"RawSQL(): {count} %s placeholders but {len(params)} params in {sql_text!r}"
            )
        super().__init__()
        self.text = "".join(pieces)
        self.params = tuple(params)
        self.declared = _declared_kind("RawSQL", output_field)

    def __repr__(self) -> str:
        return f"RawSQL({self.text!r}, {self.params!r})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        return self.declared

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        params = [sql.literal(p) for p in self.params]
        if scope.dialect == "postgres":  # typed, as psycopg binds them: $1 + $2 is ambiguous
            params = [
                sql.cast(node, _PG_TYPES[type(p)]) if type(p) in _PG_TYPES else node
                for node, p in zip(params, self.params, strict=True)
            ]
        fragment = sql.raw(f"({self.text})", *params)
        return _read_as(scope, fragment, result)


class Sqrt(TypedFunction):
    """``math.sqrt`` in doubles (a float); None for a negative number."""

    __slots__ = ()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._numbers(scope, kinds)
        return FLOAT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        x = sql.cast(args[0], "real" if scope.dialect == "sqlite" else "double")
        return sql.case((x < 0, sql.null()), else_=sql.func.sqrt(x))


class _Pad(TypedFunction):
    __slots__ = ("fill", "length")
    _left = True

    def __init__(self, expression: Any, length: Any, fill_text: Any = None) -> None:
        super().__init__(expression)
        name = type(self).__name__
        self.length = whole_argument(name, "length", length, 0)
        if self.length > _LONGEST:  # (MariaDB gives NULL past max_allowed_packet)
            raise FieldError(f"{name}(): length {self.length} is past {_LONGEST} code points")
        fill = " " if fill_text is None else fill_text
        if isinstance(fill, Value):
            fill = fill.value
        if not isinstance(fill, str) or not fill:
            raise FieldError(
                f"{name}(): fill_text must be a non-empty text constant (Value('*')), not "
                f"{shown(fill_text)}"
            )
        self.fill = str.__str__(fill)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({shown(self.args[0])}, {self.length}, {self.fill!r})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        text, length = args[0], sql.literal(self.length)
        if scope.dialect != "sqlite":
            function = sql.func.lpad if self._left else sql.func.rpad
            return function(text, length, sql.literal(self.fill))
        padding = (self.fill * (self.length // len(self.fill) + 1))[: self.length]
        size = sql.func.ferrule_length(text)
        missing = sql.func.ferrule_substr(sql.literal(padding), sql.literal(1), length - size)
        padded = (
            sql.raw("(? || ?)", missing, text) if self._left else sql.raw("(? || ?)", text, missing)
        )
        cut = sql.func.ferrule_substr(text, sql.literal(1), length)
        return sql.case((size >= length, cut), else_=padded)


class LPad(_Pad):
    """Padded on the left to ``length`` code points, or cut to them."""

    __slots__ = ()


class RPad(_Pad):
    """Padded on the right to ``length`` code points, or cut to them."""

    __slots__ = ()
    _left = False
