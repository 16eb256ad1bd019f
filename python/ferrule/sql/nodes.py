"""Expression nodes: tables, columns and the operators that combine them.

The compiler (Rust, or the pure-Python twin) sees only a tree of tuples, built eagerly and never
copied. An expression *is* its node (``Expr`` subclasses ``tuple``); tables and statements hold
theirs in ``_n`` / ``_c``. ``Column`` and ``TableNode`` contain strings only, which lets the native
cache key them by identity. Node shapes (``tag, fields...``)::

    (..., value)                      a bound parameter (``Ellipsis`` marks it; values never inline)
    ("col", qualifier|None, name)     ("star", qualifier|None)       ("null",)
    ("and", items)  ("or", items)     ("not", x)                     ("neg", x)
    ("op", symbol, left, right)       comparison or arithmetic
    ("isnull", x, negated)            ("in", x, items|select, negated)
    ("between", x, lo, hi, negated)   ("regex", x, pattern, ignore_case, negated)
    ("like", x, pattern, case_insensitive, negated, escape|None)    escape: a bound parameter
    ("func", NAME, args, distinct, filter|None)
    ("over", func, partition, order, frame|None)     frame = (mode, start, end)
    ("case", ((cond, result), ...), else|None)       ("cast", x, type)
    ("exists", select)  ("sub", select)  ("label", x, name)  ("excluded", name)
    ("raw", literal_parts, params)    len(parts) == len(params) + 1
    ("order", x, desc|None, nulls|None)
    ("table", name, schema|None, alias|None)          ("subq", select, alias)
    ("cte", name, columns, query, recursive)

Statements (``select``, ``compound``, ``insert``, ``update``, ``delete``) are defined in
``builder.py``.

Pattern matching gives the same rows on SQLite, PostgreSQL and MariaDB/MySQL (each tested on the
real server, ``tests/sql/test_like.py``); SQL Server is compiled the same way (not run on a
server here):

* ``like`` compares case-sensitively, code point by code point, everywhere: PostgreSQL's LIKE
  does; MySQL and SQL Server get the pattern in a binary collation (``COLLATE utf8mb4_bin``,
  ``Latin1_General_100_BIN2``: MariaDB's usual collation also takes ``e`` for ``é``); SQLite's
  LIKE folds ASCII case unless ``PRAGMA case_sensitive_like`` is on, which ferrule's SQLite
  backend sets on its connections (``backends.sqlite_functions.prepare_connection``; a plain
  ``sqlite3`` connection needs it too). ``_`` is one character (not one byte) everywhere.
* ``ilike`` folds case: PostgreSQL's ILIKE, ``LOWER(x) LIKE LOWER(p)`` elsewhere (MySQL and
  SQL Server in the binary collation, so accents still count). ASCII letters fold the same on
  every server; other letters do not: SQLite's LOWER folds ASCII only (``É`` is not ``é``),
  MariaDB folds by Unicode, PostgreSQL by the database's LC_CTYPE (C.UTF-8 and the usual
  locales fold ``É``, the C locale ASCII only). No server turns ``ß`` into ``ss``.
* ``escape`` is one ASCII punctuation character other than ``%``, ``_``, ``[`` and ``]``
  (a letter or digit would change under ``LOWER``; MariaDB mishandles a non-ASCII escape in
  a binary collation; ``[ ]`` are SQL Server wildcards), bound as a parameter (so ``\\`` needs
  no quoting care on MySQL). An escape followed by any character matches that character; a
  pattern that ends with the escape is an error on PostgreSQL and no match or a literal
  elsewhere: ``like_escape`` never writes one. Without ``escape``, PostgreSQL and MySQL take
  ``\\`` as the escape and SQLite and SQL Server have none: pass ``escape`` for patterns made
  from user text.
* ``regex`` is PostgreSQL's ``~``/``~*``, MySQL's ``REGEXP`` in a binary or a case-insensitive
  collation (MariaDB: PCRE2), and on SQLite the ``regexp()`` function ferrule's backend
  registers (Python's ``re.search``); SQL Server has none (``UnsupportedFeatureError``). Case
  folding with ``ignore_case`` is Unicode on all three test servers. The syntax the three
  engines share is the POSIX-extended core: ``. [] [^] * + ? {m,n} | () ^ $`` and ``\\``
  before a punctuation character; classes such as ``\\d``/``\\w`` and look-arounds differ.
  An invalid pattern is a ``ProgrammingError`` from every backend.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias
from typing import cast as cast_any

from ferrule.errors import ExpressionError, SQLError

if TYPE_CHECKING:
    from ferrule.sql.builder import Compound, Select

Node: TypeAlias = tuple[Any, ...]

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_ ]*(\(\s*(\d+|MAX)\s*(,\s*\d+\s*)?\))?", re.IGNORECASE)
_NULL: Node = ("null",)


def _ident(name: object, what: str) -> str:
    if not isinstance(name, str) or not name:
        raise SQLError(f"{what} must be a non-empty string, got {name!r}")
    return str(name)


#: Statement classes usable as scalar subqueries; builder.py registers them (no import cycle).
STATEMENT_CLASSES: list[type] = []
#: Hand-written SQL usable as an expression (``sql.text``); builder.py registers it.
TEXT_CLASSES: list[type] = []


def expr_node(value: Any) -> Node:
    """The node of anything usable as an expression: builder objects by node, others as params."""
    cls = value.__class__
    if cls in _EXPR_CLASSES:
        n: Node = value
        return n
    if cls in _PLAIN_VALUES:
        return (..., value)
    if isinstance(value, Expr):
        return value
    if value is None:
        return _NULL
    if isinstance(value, tuple(STATEMENT_CLASSES)):
        return ("sub", cast_any(Any, value)._node())
    if isinstance(value, tuple(TEXT_CLASSES)):
        text_node: Node = cast_any(Any, value)._n
        return text_node
    if isinstance(value, FromItem):
        raise SQLError(f"{value.name!r} used where an expression is expected")
    return (..., value)


def _not_an_expression(value: Any) -> ExpressionError:
    return ExpressionError(
        f"{value!r} given where an SQL expression belongs (it would be bound as a value): "
        f"write sql.column({value!r}) for a column, sql.text(...) for SQL text, or "
        f"sql.literal({value!r}) for a value"
    )


def expr_arg(value: Any) -> Node:
    """``expr_node`` for a place that takes an expression (a column list, WHERE, ON, ...):
    a plain string there is a mistake, not a value to bind."""
    if isinstance(value, str):
        raise _not_an_expression(value)
    return expr_node(value)


def key_arg(value: Any) -> Node:
    """An ORDER BY / GROUP BY / PARTITION BY item: sorting or grouping by a bound constant
    (``ORDER BY ?`` with 1) is never what was meant, so every plain value is refused."""
    node = expr_node(value)
    if node[0] is ...:
        raise _not_an_expression(value)
    return node


_tnew = tuple.__new__


def _items(values: Iterable[Any]) -> Node:
    return tuple([expr_node(v) for v in values])


def _keys(values: Iterable[Any]) -> Node:
    return tuple([key_arg(v) for v in values])


class Expr(tuple):  # type: ignore[type-arg]
    """An SQL expression, and at the same time its own node: a tuple ``(tag, fields...)``.

    Operators build new expressions; ``==`` / ``!=`` with None test NULL. Being a tuple means the
    compiler walks it directly and a builder stores it without conversion.
    """

    __slots__ = ()

    # No Python-level __new__: ``Expr(node)`` is tuple's own constructor, the cheapest there is.

    def __repr__(self) -> str:
        return f"{type(self).__name__}{tuple.__repr__(self)}"

    def __bool__(self) -> NoReturn:
        raise TypeError("SQL expressions have no truth value: combine them with & | ~")

    __hash__ = object.__hash__

    @property
    def _n(self) -> Node:
        return self

    # comparisons and arithmetic
    def __eq__(self, other: Any) -> Expr:  # type: ignore[override]
        if other is None:
            return Expr(("isnull", self, False))
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "=", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "=", self, other))
        return Expr(("op", "=", self, expr_node(other)))

    def __ne__(self, other: Any) -> Expr:  # type: ignore[override]
        if other is None:
            return Expr(("isnull", self, True))
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "<>", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "<>", self, other))
        return Expr(("op", "<>", self, expr_node(other)))

    def __lt__(self, other: Any) -> Expr:  # type: ignore[override]
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "<", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "<", self, other))
        return Expr(("op", "<", self, expr_node(other)))

    def __le__(self, other: Any) -> Expr:  # type: ignore[override]
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "<=", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "<=", self, other))
        return Expr(("op", "<=", self, expr_node(other)))

    def __gt__(self, other: Any) -> Expr:  # type: ignore[override]
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", ">", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", ">", self, other))
        return Expr(("op", ">", self, expr_node(other)))

    def __ge__(self, other: Any) -> Expr:  # type: ignore[override]
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", ">=", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", ">=", self, other))
        return Expr(("op", ">=", self, expr_node(other)))

    def __add__(self, other: Any) -> Expr:
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "+", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "+", self, other))
        return Expr(("op", "+", self, expr_node(other)))

    def __sub__(self, other: Any) -> Expr:
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "-", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "-", self, other))
        return Expr(("op", "-", self, expr_node(other)))

    def __mul__(self, other: Any) -> Expr:
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "*", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "*", self, other))
        return Expr(("op", "*", self, expr_node(other)))

    def __truediv__(self, other: Any) -> Expr:
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "/", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "/", self, other))
        return Expr(("op", "/", self, expr_node(other)))

    def __mod__(self, other: Any) -> Expr:
        cls = other.__class__
        if cls in _PLAIN_VALUES:
            return Expr(("op", "%", self, (..., other)))
        if cls in _EXPR_CLASSES:
            return Expr(("op", "%", self, other))
        return Expr(("op", "%", self, expr_node(other)))

    def __radd__(self, other: Any) -> Expr:
        return Expr(("op", "+", expr_node(other), self))

    def __rsub__(self, other: Any) -> Expr:
        return Expr(("op", "-", expr_node(other), self))

    def __rmul__(self, other: Any) -> Expr:
        return Expr(("op", "*", expr_node(other), self))

    def __rtruediv__(self, other: Any) -> Expr:
        return Expr(("op", "/", expr_node(other), self))

    def __rmod__(self, other: Any) -> Expr:
        return Expr(("op", "%", expr_node(other), self))

    def __neg__(self) -> Expr:
        return Expr(("neg", self))

    # boolean logic
    def __and__(self, other: Any) -> Expr:
        return and_(self, other)

    def __rand__(self, other: Any) -> Expr:
        return and_(other, self)

    def __or__(self, other: Any) -> Expr:
        return or_(self, other)

    def __ror__(self, other: Any) -> Expr:
        return or_(other, self)

    def __invert__(self) -> Expr:
        return not_(self)

    # predicates
    def is_(self, other: Any) -> Expr:
        return Expr.__eq__(self, other)

    def is_not(self, other: Any) -> Expr:
        return Expr.__ne__(self, other)

    def in_(self, values: Iterable[Any] | Select | Compound) -> Expr:
        return Expr(("in", self, _in_target(values), False))

    def not_in(self, values: Iterable[Any] | Select | Compound) -> Expr:
        return Expr(("in", self, _in_target(values), True))

    def between(self, low: Any, high: Any) -> Expr:
        return Expr(("between", self, expr_node(low), expr_node(high), False))

    def not_between(self, low: Any, high: Any) -> Expr:
        return Expr(("between", self, expr_node(low), expr_node(high), True))

    def like(self, pattern: Any, escape: str | None = None) -> Expr:
        """Case-sensitive LIKE on every dialect; ``escape`` is one ASCII punctuation character
        (see the module docstring, and ``like_escape`` for patterns made from user text)."""
        return Expr(("like", self, expr_node(pattern), False, False, _escape_node(escape)))

    def not_like(self, pattern: Any, escape: str | None = None) -> Expr:
        return Expr(("like", self, expr_node(pattern), False, True, _escape_node(escape)))

    def ilike(self, pattern: Any, escape: str | None = None) -> Expr:
        """Case-insensitive LIKE: native on PostgreSQL, ``LOWER(x) LIKE LOWER(p)`` elsewhere
        (non-ASCII letters fold differently per server: see the module docstring)."""
        return Expr(("like", self, expr_node(pattern), True, False, _escape_node(escape)))

    def not_ilike(self, pattern: Any, escape: str | None = None) -> Expr:
        return Expr(("like", self, expr_node(pattern), True, True, _escape_node(escape)))

    def regex(self, pattern: Any, *, ignore_case: bool = False) -> Expr:
        """A regular-expression search (matches anywhere unless anchored): ``~``/``~*`` on
        PostgreSQL, ``REGEXP`` on MySQL, ``regexp()`` on SQLite, not on SQL Server."""
        return Expr(("regex", self, expr_node(pattern), bool(ignore_case), False))

    def not_regex(self, pattern: Any, *, ignore_case: bool = False) -> Expr:
        return Expr(("regex", self, expr_node(pattern), bool(ignore_case), True))

    # ordering, naming, conversion
    def asc(self, nulls: str | None = None) -> Expr:
        return Expr(("order", self, False, nulls if nulls is None else _nulls(nulls)))

    def desc(self, nulls: str | None = None) -> Expr:
        return Expr(("order", self, True, nulls if nulls is None else _nulls(nulls)))

    def label(self, name: str) -> Expr:
        """``self AS name``; a labeled expression gets the new name instead (SQL has no label
        of a label, and the compiler reads a label inside an expression as its name)."""
        inner: Any = self
        if tuple.__len__(self) == 3 and tuple.__getitem__(self, 0) == "label":
            inner = tuple.__getitem__(self, 1)
        return Expr(("label", inner, _ident(name, "label")))

    def cast(self, type_: str) -> Expr:
        return cast(self, type_)


class Column(Expr):
    """A column of a table, alias, subquery or CTE: ``t.c.name``; node ``("col", q, name)``."""

    __slots__ = ()

    def __new__(cls, qualifier: str | None, name: str) -> Column:
        # Only strings: the native cache treats a column as a constant (no parameters inside).
        if not (qualifier is None or qualifier.__class__ is str) or name.__class__ is not str:
            raise SQLError(f"column names must be strings, got {qualifier!r}, {name!r}")
        return _tnew(cls, ("col", qualifier, name))

    @property
    def name(self) -> str:
        name: str = self[2]
        return name


class Func(Expr):
    """A function call; aggregates add ``.filter(cond)``, windows ``.over(...)``."""

    __slots__ = ()

    def filter(self, *conditions: Any) -> Func:
        tag, name, args, distinct, _ = self
        return Func((tag, name, args, distinct, and_(*conditions)))

    def over(
        self,
        partition_by: Iterable[Any] | Any = (),
        order_by: Iterable[Any] | Any = (),
        frame: tuple[str, Any, Any] | None = None,
    ) -> Expr:
        """A window call. ``frame=("rows"|"range"|"groups", start, end)``; a bound is None
        (unbounded), 0 (current row), -n (n preceding) or +n (n following)."""
        node = ("over", self, _keys(_seq(partition_by)), _keys(_seq(order_by)), _frame(frame))
        return Expr(node)


_EXPR_CLASSES = frozenset({Expr, Column, Func})
_PLAIN_VALUES = frozenset({int, str, float, bytes})


def _seq(value: Any) -> Iterable[Any]:
    if value.__class__ in (list, tuple):  # exactly: expressions are tuples too
        seq: Iterable[Any] = value
        return seq
    return (value,)


def _nulls(nulls: str | None) -> str | None:
    if nulls is None or nulls in ("first", "last"):
        return nulls
    raise SQLError(f"nulls must be 'first' or 'last', got {nulls!r}")


def _bound(value: Any, start: bool) -> str:
    if value is None:
        return "UNBOUNDED PRECEDING" if start else "UNBOUNDED FOLLOWING"
    if isinstance(value, bool) or not isinstance(value, int):
        raise SQLError(f"a frame bound must be None or an int, got {value!r}")
    if value == 0:
        return "CURRENT ROW"
    return f"{abs(value)} {'PRECEDING' if value < 0 else 'FOLLOWING'}"


def _frame(frame: tuple[str, Any, Any] | None) -> Node | None:
    if frame is None:
        return None
    mode, start, end = frame
    if mode not in ("rows", "range", "groups"):
        raise SQLError(f"frame mode must be rows, range or groups, got {mode!r}")
    return (mode.upper(), _bound(start, True), _bound(end, False))


#: ASCII punctuation but the LIKE wildcards and SQL Server's character-class brackets
_ESCAPES = frozenset(string.punctuation) - set("%_[]")


def _check_escape(escape: object) -> str:
    if not isinstance(escape, str):
        raise SQLError(f"a LIKE escape must be a one-character string, got {escape!r}")
    if len(escape) != 1:
        raise SQLError(f"a LIKE escape must be one character, got {escape!r}")
    if escape in "%_":
        raise SQLError(f"a LIKE escape cannot be a wildcard, got {escape!r}")
    if escape in "[]":
        raise SQLError(f"a LIKE escape cannot be {escape!r}: it is a wildcard on SQL Server")
    if escape not in _ESCAPES:
        raise SQLError(
            f"a LIKE escape must be ASCII punctuation such as '!' or '\\\\', got {escape!r}: a"
            " letter or digit changes under ilike's LOWER(), and MariaDB mishandles a non-ASCII"
            " escape"
        )
    return escape


def _escape_node(escape: str | None) -> Node | None:
    return None if escape is None else (..., _check_escape(escape))


def like_escape(text: str, escape: str = "!") -> str:
    """``text`` with every character LIKE would read specially escaped: the wildcards ``%`` and
    ``_``, ``[`` (SQL Server's character class) and ``escape`` itself. Use the same ``escape``
    in the comparison: ``col.like("%" + like_escape(s) + "%", escape="!")`` (contains)."""
    if not isinstance(text, str):
        raise SQLError(f"like_escape() escapes a str, got {text!r}")
    escape = _check_escape(escape)
    text = text.replace(escape, escape + escape)
    for special in "%_[":
        text = text.replace(special, escape + special)
    return text


def _in_target(values: Any) -> Node:
    if isinstance(values, tuple(STATEMENT_CLASSES)):
        n: Node = cast_any(Any, values)._node()
        return n
    if isinstance(values, (str, bytes, Expr)):
        raise SQLError("in_() takes a collection of values or a subquery, not a string")
    return _items(values)


class ColumnSet:
    """``table.c``: attribute and item access to declared columns, iteration in order.

    Columns whose names are identifiers live in the instance ``__dict__`` so ``t.c.name`` is a
    plain attribute read; every column is also reachable as ``t.c["any name"]``.
    """

    def __init__(self, qualifier: str, names: Iterable[str]) -> None:
        cols = {name: Column(qualifier, _ident(name, "column name")) for name in names}
        self.__dict__.update({k: v for k, v in cols.items() if k.isidentifier() and k[0] != "_"})
        self.__dict__["_cols"] = cols

    # No __getattr__ on purpose: defining one slows every `t.c.name` read (CPython then routes
    # all lookups through a hook); an unknown column is the plain AttributeError.
    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Column: ...

    def __getitem__(self, name: str) -> Column:
        try:
            col: Column = self.__dict__["_cols"][name]
        except KeyError:
            raise KeyError(f"no column {name!r}") from None
        return col

    def __iter__(self) -> Iterator[Column]:
        return iter(self.__dict__["_cols"].values())

    def __len__(self) -> int:
        return len(self.__dict__["_cols"])

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__["_cols"]


class TableNode(tuple):  # type: ignore[type-arg]
    """``("table", name, schema, alias)``: strings only, so the native cache keys it by identity."""

    __slots__ = ()


def _table_node(name: str, schema: str | None, alias: str | None) -> TableNode:
    return TableNode(("table", str(name), schema, alias))


class FromItem:
    """Anything that can follow FROM or JOIN: a table, an aliased subquery, a CTE."""

    __slots__ = ("_n", "c", "name")
    _n: Node
    c: ColumnSet
    name: str


class Table(FromItem):
    """``sql.table("users", "id", "name", schema=None)``; ``.alias("u")`` for self-joins."""

    __slots__ = ("columns", "schema")
    schema: str | None
    columns: tuple[str, ...]

    def __init__(
        self, name: str, *columns: str, schema: str | None = None, alias: str | None = None
    ) -> None:
        self.name = _ident(name, "table name")
        self.schema = None if schema is None else _ident(schema, "schema")
        self.columns = columns
        self._n = _table_node(name, self.schema, None if alias is None else _ident(alias, "alias"))
        self.c = ColumnSet(alias or name, columns)

    def alias(self, alias: str) -> Table:
        return Table(self.name, *self.columns, schema=self.schema, alias=alias)

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {', '.join(map(repr, self.columns))})"


class Subquery(FromItem):
    """A SELECT used as a derived table: ``q.subquery("s")``; its ``c`` are the select's names."""

    __slots__ = ()

    def __init__(self, query: Node, alias: str, columns: Iterable[str]) -> None:
        self.name = _ident(alias, "subquery alias")
        self._n = ("subq", query, alias)
        self.c = ColumnSet(alias, columns)


class CTE(FromItem):
    """A common table expression; selecting from it adds ``WITH`` to the outer statement.

    A recursive CTE refers to itself as SQLAlchemy users write it: ``nums =
    select(...).cte("nums", recursive=True)``, then ``nums = nums.union_all(select(nums.c.n +
    1).from_(nums)...)``. Inside the body of a recursive CTE its own name means the CTE being
    defined, so the compilers write no WITH for it there."""

    __slots__ = ("cte_node",)
    cte_node: Node

    def __init__(self, name: str, columns: Iterable[str], query: Node, recursive: bool) -> None:
        self.name = _ident(name, "CTE name")
        cols = tuple(_ident(c, "column name") for c in columns)
        self.cte_node = ("cte", name, cols, query, recursive)
        self._n = _table_node(name, None, None)
        self.c = ColumnSet(name, cols)

    def union_all(self, *others: Select | Compound) -> CTE:
        """This CTE's query ``UNION ALL`` the others (its recursive members), same name."""
        return self._combine("union_all", others)

    def union(self, *others: Select | Compound) -> CTE:
        return self._combine("union", others)

    def _combine(self, kind: str, others: tuple[Any, ...]) -> CTE:
        if not others:
            raise SQLError(f"{kind}() needs at least one other query")
        nodes = [self.cte_node[3]]
        for other in others:
            if not isinstance(other, tuple(STATEMENT_CLASSES)):
                raise SQLError(f"{kind} combines selects, got {other!r}")
            nodes.append(cast_any(Any, other)._node())
        query = ("compound", (None, "parts", (kind, tuple(nodes))))
        _, name, cols, _, recursive = self.cte_node
        return CTE(name, cols, query, recursive)


# --- public constructors -------------------------------------------------------------------------


def table(name: str, *columns: str, schema: str | None = None) -> Table:
    """Declare a table and its columns: ``users = table("users", "id", "name")``."""
    return Table(name, *columns, schema=schema)


def column(name: str, qualifier: str | None = None) -> Column:
    """A column by name, optionally qualified: ``column("total")``."""
    return Column(qualifier, _ident(name, "column name"))


def literal(value: Any) -> Expr:
    """A value as a bound parameter (never inlined)."""
    return Expr((..., value))


def null() -> Expr:
    return Expr(_NULL)


def and_(*conditions: Any) -> Expr:
    """Conjunction; nested ANDs are flattened, a single condition is returned as is."""
    items: list[Node] = []
    for cond in conditions:
        n = expr_arg(cond)
        if n[0] == "and":
            items.extend(n[1])
        else:
            items.append(n)
    if not items:
        raise SQLError("and_() needs at least one condition")
    return Expr(items[0] if len(items) == 1 else ("and", tuple(items)))


def or_(*conditions: Any) -> Expr:
    items: list[Node] = []
    for cond in conditions:
        n = expr_arg(cond)
        if n[0] == "or":
            items.extend(n[1])
        else:
            items.append(n)
    if not items:
        raise SQLError("or_() needs at least one condition")
    return Expr(items[0] if len(items) == 1 else ("or", tuple(items)))


def not_(condition: Any) -> Expr:
    return Expr(("not", expr_arg(condition)))


def case(*whens: tuple[Any, Any], else_: Any = None) -> Expr:
    """``case((cond, result), ..., else_=default)``."""
    if not whens:
        raise SQLError("case() needs at least one (condition, result) pair")
    pairs = tuple((expr_arg(c), expr_node(r)) for c, r in whens)
    return Expr(("case", pairs, None if else_ is None else expr_node(else_)))


def cast(value: Any, type_: str) -> Expr:
    """``CAST(value AS type)``; generic type names are mapped per dialect (text, integer, ...)."""
    if not isinstance(type_, str) or not _TYPE_RE.fullmatch(type_):
        raise SQLError(f"not a valid SQL type name: {type_!r}")
    return Expr(("cast", expr_node(value), type_))


def exists(query: Select | Compound) -> Expr:
    if not isinstance(query, tuple(STATEMENT_CLASSES)):
        if isinstance(query, str):
            raise _not_an_expression(query)
        raise SQLError(f"exists() takes a select, got {query!r}")
    return Expr(("exists", query._node()))


def excluded(name: str) -> Expr:
    """The row proposed for insertion in an upsert (EXCLUDED / VALUES() / the MERGE source)."""
    return Expr(("excluded", _ident(name, "column name")))


def raw(fragment: str, *params: Any) -> Expr:
    """A literal SQL fragment; each ``?`` is a bound parameter taken from ``params``, ``??`` is a
    literal ``?``. The fragment is the caller's responsibility; the params are never inlined."""
    parts = [""]
    for k, chunk in enumerate(fragment.split("??")):
        pieces = chunk.split("?")
        parts[-1] += ("?" if k else "") + pieces[0]
        parts.extend(pieces[1:])
    if len(parts) != len(params) + 1:
        raise SQLError(f"raw(): {len(parts) - 1} placeholders but {len(params)} params")
    nodes = [expr_node(p) for p in params]
    for i, node in enumerate(nodes):  # an operand keeps its grouping: (? % ?) of n + m
        if node[0] in _COMPOUND:
            parts[i] += "("
            parts[i + 1] = ")" + parts[i + 1]
    return Expr(("raw", tuple(parts), tuple(nodes)))


#: the expression nodes an SQL fragment's operator could split (as ``operand`` wraps them)
_COMPOUND = frozenset({"op", "and", "or", "not", "isnull", "in", "between", "like", "regex", "neg"})


class _FuncFactory:
    """``func.count()``, ``func.coalesce(a, b)``, ``func.sum(x, distinct=True)``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> _FuncMaker:
        if not _NAME_RE.fullmatch(name) or name.startswith("__"):
            raise AttributeError(name)
        return _FuncMaker(name.upper())


class _FuncMaker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, distinct: bool = False) -> Func:
        return Func(("func", self.name, _items(args), distinct, None))


func = _FuncFactory()


def _register_constant_types() -> None:
    try:
        from ferrule._ferrule import sql_register_constant_type
    except ImportError:  # pure-Python build
        return
    for cls in (Column, TableNode):
        sql_register_constant_type(cls)


_register_constant_types()
