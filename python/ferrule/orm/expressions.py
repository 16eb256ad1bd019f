"""``Q`` (filter trees), ``F`` (column references in filters and updates), the aggregates
(``Count``, ``Sum``, ``Avg``, ``Min``, ``Max``), constants (``Value``), conditions (``Case``,
``When``) and the date functions (``Extract`` and its
``ExtractYear``... forms, ``Trunc``, ``TruncDate``, ``TruncTime``: ``orm.datetimes`` says what
each part means and in which time zone). They are data until a query compiles them against
its model (``orm.compiler``), so no name reaches SQL unchecked."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from ferrule.errors import FieldError, ORMError
from ferrule.orm import keyword_texts

__all__ = [
    "DATE_PARTS",
    "EXPRESSIONS",
    "PARTS",
    "TIME_PARTS",
    "TRUNC_KINDS",
    "Avg",
    "Case",
    "Count",
    "F",
    "Func",
    "Max",
    "Min",
    "Q",
    "Sum",
    "Value",
    "When",
    "shown",
]

#: the parts of a date (and of a datetime), of a time (and of a datetime), and all of them:
#: the names after a field (``created__year``) and of ``Extract``
DATE_PARTS = ("year", "month", "day", "week_day", "iso_week_day", "week", "iso_year", "quarter")
TIME_PARTS = ("hour", "minute", "second")
PARTS = (*DATE_PARTS, *TIME_PARTS, "date", "time")
#: what ``Trunc`` rounds down to
TRUNC_KINDS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")

_new = object.__new__


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, or its type when that repr raises (a message
    naming a hostile value must not become that value's own exception)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__} object>"


def text_of(value: Any) -> str | None:
    """The text a ``str`` holds, as a plain ``str`` (a subclass's ``__eq__``, ``__hash__`` or
    ``__format__`` may lie: a kind checked with ``in`` and then written into SQL must be
    the text it holds), or None for what is no ``str``."""
    return str.__str__(value) if isinstance(value, str) else None


def _is_condition(value: Any) -> bool:
    """Whether ``value`` is a condition object a ``Q`` holds (an ``orm.subqueries.Exists``)."""
    from ferrule.orm.subqueries import Exists

    return isinstance(value, Exists)


class Q:
    """Conditions combined with ``&``, ``|``, ``^`` and ``~``: ``Q(age__gte=18) | Q(vip=True)``.

    As in Django, ``a | b | c`` is one OR of three (a node joined with its own connector is
    spliced in, not nested) and ``~~a`` is ``a`` again (``~`` turns the node's negation
    round), so ``functools.reduce(operator.or_, many)`` builds a flat node, not one as deep as
    the list is long. What is left nested by hand is bounded (``deeper``)."""

    __slots__ = ("_depth", "children", "connector", "negated")

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:  # Q objects and Exists
        children: list[Any] = []
        for arg in args:
            if isinstance(arg, Q):
                children.append(arg)
            elif _is_condition(arg):  # an Exists
                children.append(("(condition)", arg))  # `orm.subqueries.CONDITION`
            else:
                hint = ""
                if type(arg) is bool:  # `Model.name == "a"`: Python compared the class's slot
                    hint = (
                        " (a comparison of a model's attribute, SQLAlchemy's Model.name == 'a',"
                        " is a bool made by Python: write filter(name='a'))"
                    )
                raise FieldError(
                    "Q() and filter() take Q objects, conditions (Exists) and field=value "
                    f"keywords, not {shown(arg)}{hint}"
                )
        self.children: list[Any] = [*children, *sorted(_held(kwargs).items())]
        self.connector = "and"
        self.negated = False
        self._depth = deeper(self, *args, *kwargs.values())

    @classmethod
    def of_keywords(cls, kwargs: dict[str, Any]) -> Q:
        """``Q(**kwargs)``, made without the checks of positional arguments."""
        out = _new(cls)
        if not _plain_names(kwargs):  # (`_held`'s answer for these names is known)
            kwargs = _held(kwargs)
        out.children = sorted(kwargs.items()) if len(kwargs) > 1 else [*kwargs.items()]
        out.connector = "and"
        out.negated = False
        out._depth = 1
        return out

    def _combine(self, other: Any, connector: str) -> Q:
        if _is_condition(other):  # Q(...) | Exists(...), as Q(Exists(...))
            other = Q(other)
        elif not isinstance(other, Q):
            return NotImplemented  # type: ignore[no-any-return]
        out = _new(Q)
        out.children = [*_spliced(self, connector), *_spliced(other, connector)]
        out.connector = connector
        out.negated = False
        out._depth = deeper(out, *out.children)
        return out

    def __and__(self, other: Any) -> Q:
        return self._combine(other, "and")

    def __or__(self, other: Any) -> Q:
        return self._combine(other, "or")

    def __xor__(self, other: Any) -> Q:
        """Django's ``a ^ b``: true when an odd number of the conditions are (``a ^ b ^ c``
        is one XOR of three), a NULL one counting as false, each read on the same related
        row as an OR's (``orm.chains``)."""
        return self._combine(other, "xor")

    def __invert__(self) -> Q:
        out = _new(Q)
        out.children = self.children
        out.connector = self.connector
        out.negated = not self.negated
        out._depth = self._depth
        return out

    def __eq__(self, other: object) -> bool:
        """Django's: the same connector, negation and children (``Q(a=1) == Q(a=1)``), so a
        Q, and an expression holding one (``When``, ``Count(filter=)``), can be deduplicated
        and used as a key; a value keeps its type, as ``Value``'s does (``_frozen``)."""
        if not isinstance(other, Q):
            return NotImplemented
        return type(self) is type(other) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def _identity(self) -> tuple[Any, ...]:
        children = tuple(c if isinstance(c, Q) else (c[0], _frozen(c[1])) for c in self.children)
        return (type(self), self.connector, self.negated, children)

    def __repr__(self) -> str:
        inner = f" {self.connector.upper()} ".join(
            repr(c) if isinstance(c, Q) else f"({c[0]!r}, {shown(c[1])})" for c in self.children
        )
        return f"{'NOT ' if self.negated else ''}Q({inner})"


#: the ``__in`` values kept as a tuple of what they hold when the condition is made
_SNAPSHOT = (list, set, frozenset, dict)


#: keyword names met that do not end with ``__in``: `_held` takes their values as given
_PLAIN_NAMES: set[str] = set()
_plain_names = _PLAIN_NAMES.issuperset
_STR = frozenset({str})


def plain_keywords(names: Iterable[Any]) -> bool:
    """Whether every name (keyword names, ``values()`` names) is a plain ``str``: only those
    key a query for its statement cache (``QuerySet._key``), a subclass's ``==``/``__hash__``
    may make it equal to another name's key."""
    return _STR.issuperset(map(type, names))


def _held(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with each ``__in`` list, set or iterator read once, into a tuple, as Django
    reads it when the filter is made: a generator was read by the query's first run, and a
    second run of the same QuerySet (``if await qs.exists(): await qs.update(...)``) found
    no rows; a list changed after ``filter()`` changed the query. A name given as a str
    subclass is its text (``orm.keyword_texts``)."""
    changed = None
    for name, value in kwargs.items():
        if type(name) is not str:  # a subclass: its text (its endswith, == may say anything)
            return _held(keyword_texts.texts(kwargs))
        if not name.endswith("__in"):  # (first: filter() is a hot path, hasattr is not cheap)
            if len(_PLAIN_NAMES) >= 4096:
                _PLAIN_NAMES.clear()
            _PLAIN_NAMES.add(name)
            continue
        if isinstance(value, _SNAPSHOT) or (
            hasattr(value, "__next__") and not isinstance(value, (str, bytes))
        ):
            if changed is None:
                changed = dict(kwargs)
            changed[name] = tuple([v for v in value])  # (no tuple(): its __len__ may lie)
    return kwargs if changed is None else changed


def _spliced(node: Q, connector: str) -> list[Any]:
    """What ``node`` adds to a ``connector`` node: its children when it is not negated and
    joins them the same way (or holds one), else itself."""
    if not node.negated and (node.connector == connector or len(node.children) == 1):
        return list(node.children)
    return [node] if node.children or node.negated else []


#: the deepest nesting of Q objects and expressions a query takes: every walk of a tree
#: (compiling, typing, shapes, window splits) recurses once a level or more, and must stay far
#: from Python's stack (SQLite's own parser stops near 100 levels of parentheses)
MAX_DEPTH = 100


def deeper(node: Any, *parts: Any) -> int:
    """The nesting depth of ``node``, made of ``parts`` (Q objects and expressions count, other
    values not): one more than the deepest part. Past ``MAX_DEPTH`` an ``ORMError`` where the
    node is made, so no walk of it can reach Python's recursion limit."""
    depth = 1
    for part in parts:
        below = getattr(part, "_depth", 0)
        if below >= depth:
            depth = below + 1
    if depth > MAX_DEPTH:
        raise ORMError(
            f"{type(node).__name__}: Q objects and expressions nested {depth} deep; a query "
            f"takes at most {MAX_DEPTH} levels (Q objects joined with & and | stay flat; "
            "use __in for many values)"
        )
    return depth


def _identity(expression: Any) -> tuple[Any, ...]:
    """What an expression is made of: its type and the values of its public slots (and
    attributes), constants with their types (``Value(1)`` is not ``Value(True)``)."""
    parts: list[Any] = [type(expression)]
    for cls in type(expression).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if not name.startswith("_"):
                parts.append(_frozen(getattr(expression, name, None)))
    own = getattr(expression, "__dict__", None)
    if own:
        parts += [(k, _frozen(v)) for k, v in sorted(own.items()) if not k.startswith("_")]
    return tuple(parts)


def _frozen(value: Any) -> Any:
    if isinstance(value, Combinable):
        return value
    if type(value) in (list, tuple):
        return tuple(_frozen(item) for item in value)
    if type(value) is dict:
        return tuple((key, _frozen(item)) for key, item in value.items())
    if type(value) in (set, frozenset):  # (hashable as Django's: made of what it holds)
        return (type(value), frozenset(_frozen(item) for item in value))
    if type(value) is bytearray:
        return (bytearray, bytes(value))
    if isinstance(value, decimal.Decimal):  # its places too: 1.0 is not 1.00 in SQL
        return (type(value), decimal.Decimal.as_tuple(value))
    if isinstance(value, float):  # -0.0 is not 0.0
        return (type(value), float.hex(value))
    return (type(value), value)


class Combinable:
    """Arithmetic on column references: ``F("views") + 1``. ``_depth``: how deeply the
    expressions it is made of nest (``deeper``), unset in those made of none."""

    __slots__ = ("_depth",)

    def __eq__(self, other: object) -> bool:
        """Django's: two expressions are equal when they are made of the same type and the
        same arguments (``F("x") == F("x")``), so they can be found in a list or a set."""
        if type(self) is not type(other):
            return NotImplemented if not isinstance(other, Combinable) else False
        return _identity(self) == _identity(other)

    def __hash__(self) -> int:
        return hash(_identity(self))

    def _op(self, op: str, other: Any, reverse: bool = False) -> Arith:
        return Arith(op, other, self) if reverse else Arith(op, self, other)

    def __add__(self, other: Any) -> Arith:
        return self._op("+", other)

    def __radd__(self, other: Any) -> Arith:
        return self._op("+", other, True)

    def __sub__(self, other: Any) -> Arith:
        return self._op("-", other)

    def __rsub__(self, other: Any) -> Arith:
        return self._op("-", other, True)

    def __mul__(self, other: Any) -> Arith:
        return self._op("*", other)

    def __rmul__(self, other: Any) -> Arith:
        return self._op("*", other, True)

    def __truediv__(self, other: Any) -> Arith:
        return self._op("/", other)

    def __rtruediv__(self, other: Any) -> Arith:
        return self._op("/", other, True)

    def __neg__(self) -> Arith:
        return Arith("-", 0, self)

    def __mod__(self, other: Any) -> Func:
        from ferrule.orm.functions import Mod  # the functions build on this module

        return Mod(self, _constant(other))

    def __rmod__(self, other: Any) -> Func:
        from ferrule.orm.functions import Mod

        return Mod(_constant(other), self)

    def __pow__(self, other: Any) -> Func:
        from ferrule.orm.functions import Power

        return Power(self, _constant(other))

    def __rpow__(self, other: Any) -> Func:
        from ferrule.orm.functions import Power

        return Power(_constant(other), self)

    def asc(self, *, nulls_first: Any = None, nulls_last: Any = None) -> Any:
        """This expression as an ascending term of a ``Window``'s order_by (NULL first)."""
        from ferrule.orm.windows import OrderBy

        return OrderBy(self, False, nulls_first=nulls_first, nulls_last=nulls_last)

    def desc(self, *, nulls_first: Any = None, nulls_last: Any = None) -> Any:
        """This expression as a descending term of a ``Window``'s order_by (NULL last)."""
        from ferrule.orm.windows import OrderBy

        return OrderBy(self, True, nulls_first=nulls_first, nulls_last=nulls_last)


class F(Combinable):
    """A column of the queried model (or across relations: ``F("author__name")``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise FieldError(f"F() needs a field name, not {name!r}")
        self.name = name

    def __repr__(self) -> str:
        return f"F({self.name!r})"


class Arith(Combinable):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op, self.left, self.right = op, left, right
        self._depth = deeper(self, left, right)

    def __repr__(self) -> str:
        return f"({shown(self.left)} {self.op} {shown(self.right)})"


def _constant(value: Any) -> Any:
    """An operand of ``%`` or ``**``: a plain value is a constant (a str too), as in ``+``."""
    return value if isinstance(value, Combinable) else Value(value)


class Func(Combinable):
    """A database function over expressions (``orm.functions``: ``Lower``, ``Coalesce``,
    ``Round``...): ``args`` are its operands, each an expression or a constant."""

    __slots__ = ("args",)

    def __init__(self, *args: Any) -> None:
        self.args = args
        self._depth = deeper(self, *args)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(shown(a) for a in self.args)})"


class Aggregate(Combinable):
    """An aggregate over a field (``"*"`` for ``Count``), optionally of distinct values."""

    __slots__ = ("distinct", "field", "filter")
    function = ""

    def __new__(
        cls, *args: Any, default: Any = None, output_field: Any = None, **kwargs: Any
    ) -> Any:
        """Django's ``default=``: ``Coalesce(<the aggregate>, default)``
        (``orm.aggregate_defaults``); its ``output_field=``: the aggregate checked to be of
        that type (``orm.output_fields``)."""
        if output_field is not None:
            from ferrule.orm.output_fields import wrapped

            return wrapped(cls(*args, default=default, **kwargs), output_field)
        if default is None:
            return super().__new__(cls)
        from ferrule.orm.aggregate_defaults import defaulted

        return defaulted(cls, args, kwargs, default)

    def __init__(
        self,
        field: Any,
        *,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,
        output_field: Any = None,
    ) -> None:
        if type(field) is F:  # Sum(F("views")) is Sum("views")
            field = field.name
        elif isinstance(field, (Arith, Value, Case, Func)):  # Sum(F("views") * F("price"))
            pass
        elif not isinstance(field, str) or not field:
            raise FieldError(
                f"{type(self).__name__}() needs a field name or an expression, not {shown(field)}"
            )
        else:
            field = str.__str__(field)  # the text it holds (text_of says why)
        if field == "*" and not isinstance(self, Count):
            raise FieldError(f"{type(self).__name__}('*') is not an aggregate; name a field")
        if field == "*" and distinct:  # COUNT(DISTINCT *) is no SQL
            raise FieldError("Count('*', distinct=True): name a field to count its distinct values")
        if filter is not None and not isinstance(filter, Q):
            if not _is_condition(filter):
                raise FieldError(
                    f"{type(self).__name__}(filter=...) takes a Q object or an Exists, not "
                    f"{shown(filter)}"
                )
            filter = Q(filter)
        self.field = field
        self.distinct = bool(distinct)
        #: the rows it reads (``orm.conditional``): ``Count("posts", filter=Q(...))``
        self.filter: Q | None = filter
        self._depth = deeper(self, field, filter)

    def __repr__(self) -> str:
        extra = (", distinct=True" if self.distinct else "") + (
            f", filter={self.filter!r}" if self.filter is not None else ""
        )
        return f"{type(self).__name__}({self.field!r}{extra})"


class Count(Aggregate):
    __slots__ = ()
    function = "count"


class Sum(Aggregate):
    __slots__ = ()
    function = "sum"


class Avg(Aggregate):
    __slots__ = ()
    function = "avg"


class Min(Aggregate):
    __slots__ = ()
    function = "min"


class Max(Aggregate):
    __slots__ = ()
    function = "max"


#: the constants a ``Value`` holds (a date, datetime or timedelta as F arithmetic takes it)
_CONSTANTS = (int, float, decimal.Decimal, str, dt.date, dt.timedelta)


class Value(Combinable):
    """A constant in an expression (``annotate(kind=Value("hot"))``): always bound, never
    written into the SQL. An int, float, Decimal, str, bool, date, datetime, timedelta or
    None."""

    __slots__ = ("value",)

    def __init__(self, value: Any, output_field: Any = None) -> None:
        if output_field is not None:  # Django's: the constant as that type (orm.output_fields)
            from ferrule.orm.output_fields import value_for

            value = value_for(value, output_field)
        if value is not None and not isinstance(value, _CONSTANTS):
            raise FieldError(
                "Value() takes an int, float, Decimal, str, bool, date, datetime, timedelta "
                f"or None, not {shown(value)}"
            )
        self.value = value

    def __repr__(self) -> str:
        return f"Value({shown(self.value)})"


def _named(value: Any) -> Any:
    """A ``then``/``default`` as Django reads it: a string names a field (``F``)."""
    return F(str.__str__(value)) if isinstance(value, str) else value


def _no_condition(q: Q) -> bool:
    """Whether ``q`` holds no condition at all (``Q()``, ``Q(Q())``, ``~Q()``...)."""
    return all(isinstance(child, Q) and _no_condition(child) for child in q.children)


class When:
    """One branch of a ``Case``: its condition (``Q`` objects and ``field__lookup=value``
    keywords, as in ``filter()``) and the value it gives (``then``; a string names a field,
    as in Django: ``then="nick"`` is ``F("nick")``, a constant is ``Value("nick")``)."""

    __slots__ = ("_depth", "condition", "then")

    def __init__(self, /, *args: Q, then: Any = None, **kwargs: Any) -> None:
        if not args and not kwargs:
            raise FieldError("When() needs a condition")
        self.condition = Q(*args, **kwargs)
        if _no_condition(self.condition):  # Django: "An empty Q() can't be used ..."
            raise FieldError(
                f"When(): an empty Q() is no condition (given {shown(args[0])}): "
                "name what the branch tests"
            )
        then = _named(then)
        self.then = then
        self._depth = deeper(self, self.condition, then, *kwargs.values())

    def __eq__(self, other: object) -> bool:
        """As an expression's (``Combinable.__eq__``): the same condition and value."""
        if not isinstance(other, When):
            return NotImplemented
        return type(self) is type(other) and _identity(self) == _identity(other)

    def __hash__(self) -> int:
        return hash(_identity(self))

    def __repr__(self) -> str:
        return f"When({self.condition!r}, then={shown(self.then)})"


class Case(Combinable):
    """The ``then`` of the first ``When`` whose condition holds, else ``default`` (a string
    names a field, as ``then``'s does):
    ``Case(When(views__gte=100, then=Value("hot")), default=Value("cold"))``."""

    __slots__ = ("default", "whens")

    def __new__(cls, *whens: When, default: Any = None, output_field: Any = None) -> Any:
        """Django's ``output_field=``: the Case checked to be of that type
        (``orm.output_fields``)."""
        if output_field is None:
            return super().__new__(cls)
        from ferrule.orm.output_fields import wrapped

        return wrapped(cls(*whens, default=default), output_field)

    def __init__(self, *whens: When, default: Any = None, output_field: Any = None) -> None:
        if not whens:
            raise FieldError("Case() needs at least one When()")
        for when in whens:
            if not isinstance(when, When):
                raise FieldError(f"Case() takes When() objects, not {shown(when)}")
        self.whens = whens
        default = _named(default)
        self.default = default
        self._depth = deeper(self, *whens, default)

    def __repr__(self) -> str:
        inner = ", ".join(repr(w) for w in self.whens)
        return f"Case({inner}, default={shown(self.default)})"


#: what annotate() takes: an expression, never a bare constant (Django's rule: wrap it in Value)
EXPRESSIONS = (F, Arith, Aggregate, Value, Case, Func, Combinable)  # Combinable: orm.subqueries


def has_aggregate(value: Any) -> bool:
    """Whether an annotation (an aggregate, ``F`` or arithmetic on them) aggregates rows."""
    if isinstance(value, Aggregate):
        return True
    if isinstance(value, Arith):
        return has_aggregate(value.left) or has_aggregate(value.right)
    if isinstance(value, Case):
        return any(has_aggregate(w.then) for w in value.whens) or has_aggregate(value.default)
    if isinstance(value, Func):
        return any(has_aggregate(arg) for arg in value.args)
    return False
