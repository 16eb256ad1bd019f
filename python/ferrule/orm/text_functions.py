"""The text functions of ``orm.functions`` (which states their rules)."""

from __future__ import annotations

import functools
import itertools
from typing import Any, ClassVar

from ferrule import sql
from ferrule.backends.sqlite_exact import lower_each, upper_each
from ferrule.errors import FieldError
from ferrule.orm import arithmetic
from ferrule.orm.arithmetic import Kind
from ferrule.orm.expressions import Value, shown
from ferrule.orm.function_base import (
    INT,
    NULL,
    TEXT,
    TypedFunction,
    cast_target,
    int_text,
    whole_argument,
)

__all__ = [
    "Concat",
    "LTrim",
    "Left",
    "Length",
    "Lower",
    "RTrim",
    "Replace",
    "Right",
    "StrIndex",
    "Substr",
    "Trim",
    "Upper",
]

# -- text ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _case_tables(upper: bool) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Python's case mapping as ``translate()`` takes it (one code point to one) and the code
    points mapped to several (``ß`` upper: ``SS``)."""
    source, target, longer = [], [], []
    for point in itertools.chain.from_iterable(_MAYBE_CASED):
        ch = chr(point)
        mapped = ch.upper() if upper else ch.lower()
        if mapped == ch:
            continue
        if len(mapped) == 1:
            source.append(ch)
            target.append(mapped)
        else:
            longer.append((ch, mapped))
    return "".join(source), "".join(target), tuple(longer)


#: the code points that may have a case: none lies in the ideographs, Hangul syllables,
#: surrogates and private use, nor past U+1FFFF (the exhaustive test reads them all)
_MAYBE_CASED = (
    range(0x3400),
    range(0xA000, 0xAC00),
    range(0xD7A4, 0xD800),
    range(0xF900, 0x20000),
)


def _text_constant(text: str) -> Any:
    return sql.cast(sql.literal(text), "text")


class _Case(TypedFunction):
    __slots__ = ()
    _upper: ClassVar[bool] = False

    def _constant(self) -> str | None:
        """The argument's text when it is a constant (mapped here, on every database)."""
        arg = self.args[0]
        if isinstance(arg, Value) and isinstance(arg.value, str):
            text = str.__str__(arg.value)
            return upper_each(text) if self._upper else lower_each(text)
        return None

    def compile(self, scope: Any) -> Any:
        mapped = self._constant()
        if mapped is not None:
            return arithmetic.compile(scope, Value(mapped))
        return super().compile(scope)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        if scope.dialect == "mysql" and self._constant() is None:
            raise FieldError(
                f"{scope.model.__name__}: {self!r}: MariaDB's case tables differ from Python's "
                "for about 750 code points (and no expression maps them all), so it has no "
                "exact answer there: lower or upper the text in Python"
            )
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            name = "ferrule_upper" if self._upper else "ferrule_lower"
            return getattr(sql.func, name)(args[0])
        source, target, longer = _case_tables(self._upper)
        out = args[0]
        for ch, mapped in longer:  # before translate(), which would map their results again
            out = sql.func.replace(out, _text_constant(ch), _text_constant(mapped))
        return sql.func.translate(out, _text_constant(source), _text_constant(target))


class Lower(_Case):
    """Each code point lowered (the module docstring)."""

    __slots__ = ()


class Upper(_Case):
    """Each code point uppered: ``str.upper()``."""

    __slots__ = ()
    _upper = True


class Length(TypedFunction):
    """The number of code points: ``len()``."""

    __slots__ = ()

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return INT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_length(args[0])
        return sql.func.char_length(args[0])


class _Trim(TypedFunction):
    __slots__ = ()
    _function: ClassVar[str] = ""

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        name = self._function
        if name == "trim" and scope.dialect == "postgres":
            name = "btrim"
        return getattr(sql.func, name)(args[0])


class Trim(_Trim):
    """Leading and trailing spaces removed: ``str.strip(" ")``."""

    __slots__ = ()
    _function = "trim"


class LTrim(_Trim):
    """Leading spaces removed: ``str.lstrip(" ")``."""

    __slots__ = ()
    _function = "ltrim"


class RTrim(_Trim):
    """Trailing spaces removed: ``str.rstrip(" ")``."""

    __slots__ = ()
    _function = "rtrim"


class Replace(TypedFunction):
    """``str.replace(text, replacement)``; ``text`` must not be empty."""

    __slots__ = ()
    _names = ("expression", "text", "replacement")

    def __init__(self, expression: Any, text: Any, replacement: Any = None) -> None:
        if replacement is None:
            replacement = Value("")
        super().__init__(expression, text, replacement)
        found = self.args[1]
        if isinstance(found, Value) and isinstance(found.value, str) and not found.value:
            raise FieldError(
                "Replace(): text is empty: SQL would leave the string as it is, Python insert "
                "the replacement between every character"
            )

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        return sql.func.replace(*args)


class StrIndex(TypedFunction):
    """Where ``substring`` first starts in ``string``, from 1; 0 when absent:
    ``string.find(substring) + 1``."""

    __slots__ = ()
    _names = ("string", "substring")

    def __init__(self, string: Any, substring: Any) -> None:
        super().__init__(string, substring)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return INT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_strindex(*args)
        if scope.dialect == "postgres":
            return sql.func.strpos(*args)
        return sql.func.instr(*args)


class Substr(TypedFunction):
    """``length`` code points from ``pos`` (counted from 1; all the rest when ``length`` is
    None): ``expression[pos - 1 : pos - 1 + length]``."""

    __slots__ = ("length", "pos")

    def __init__(self, expression: Any, pos: Any, length: Any = None) -> None:
        super().__init__(expression)
        self.pos = whole_argument("Substr", "pos", pos, 1)
        self.length = None if length is None else whole_argument("Substr", "length", length, 0)

    def __repr__(self) -> str:
        return f"Substr({shown(self.args[0])}, {self.pos}, {self.length})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        pos = sql.literal(self.pos)
        length = None if self.length is None else sql.literal(self.length)
        if scope.dialect == "sqlite":
            return sql.func.ferrule_substr(args[0], pos, sql.null() if length is None else length)
        name = "substr" if scope.dialect == "postgres" else "substring"
        if length is None:
            return getattr(sql.func, name)(args[0], pos)
        return getattr(sql.func, name)(args[0], pos, length)


class _Side(TypedFunction):
    __slots__ = ("length",)

    def __init__(self, expression: Any, length: Any) -> None:
        super().__init__(expression)
        self.length = whole_argument(type(self).__name__, "length", length, 1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({shown(self.args[0])}, {self.length})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._text(scope, kinds)
        return TEXT


class Left(_Side):
    """The first ``length`` code points: ``expression[:length]``."""

    __slots__ = ()

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_substr(args[0], sql.literal(1), sql.literal(self.length))
        return sql.func.left(args[0], sql.literal(self.length))


class Right(_Side):
    """The last ``length`` code points: ``expression[-length:]``."""

    __slots__ = ()

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_right(args[0], sql.literal(self.length))
        return sql.func.right(args[0], sql.literal(self.length))


class Concat(TypedFunction):
    """The texts joined, a None taken as ``""`` (so never None); an int is joined as
    ``str(int)`` (exact on every database). ``output_field`` (a text field, Django's way of
    naming the result's type) is taken and checked."""

    __slots__ = ()
    _strict = False
    _output_field = True

    def __init__(self, *expressions: Any, output_field: Any = None) -> None:
        if len(expressions) < 2:
            raise FieldError("Concat() needs at least two expressions")
        if output_field is not None and cast_target(output_field) != TEXT:
            raise FieldError(
                f"Concat(): output_field is text (str, CharField(), TextField()), not "
                f"{shown(output_field)}"
            )
        super().__init__(*expressions)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        for index, kind in enumerate(kinds):
            if kind in (INT, NULL, TEXT):
                continue
            try:
                self._text(scope, [kind])
            except FieldError:
                raise self._fail(
                    scope,
                    index,
                    kind,
                    "text or an int: each database prints it its own way (digits, zeros, "
                    "'true' or '1'); format it in Python, or join a Cast(..., str) where "
                    "one is exact",
                ) from None
        return TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        args = [
            int_text(scope, arg) if kind == INT else arg
            for arg, kind in zip(args, kinds, strict=True)
        ]
        parts = [
            (_empty_text(scope) if kind == NULL else sql.func.coalesce(arg, _empty_text(scope)))
            for arg, kind in zip(args, kinds, strict=True)
        ]
        return _joined(scope.dialect, parts)


#: the parts one ``||`` chain (or CONCAT call) joins: a longer Concat nests its groups, as
#: SQLite refuses an expression 1,000 levels deep (a flat chain is as deep as it is long)
_GROUP = 64


def _joined(dialect: str, parts: list[Any]) -> Any:
    """``parts`` joined as text, in nested groups of at most ``_GROUP``."""
    while len(parts) > _GROUP:
        parts = [_joined(dialect, parts[i : i + _GROUP]) for i in range(0, len(parts), _GROUP)]
    if dialect == "mysql":
        return sql.func.concat(*parts)
    return sql.raw("(" + " || ".join("?" for _ in parts) + ")", *parts)


def _empty_text(scope: Any) -> Any:
    return arithmetic.compile(scope, Value(""))
