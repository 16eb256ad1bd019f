"""The compiler's shared parts: shapes, builder chains and the output primitives.

The pure-Python twin of ``src/sql/compile/mod.rs``. A compiler writes into ``out`` (SQL text
pieces) and ``order`` (for each placeholder, the index of the value it binds); ``lit`` doubles
``%`` for format-style drivers, ``ident`` quotes a name and refuses one the dialect cannot hold
(``sql.identifiers``), ``param`` writes the dialect's placeholder. The layers above add, in
this order: expressions (``expr.py``), queries (``query.py``), writes (``write.py``);
``sql.compiler`` joins them and dispatches on the statement kind.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError, UnsupportedFeatureError
from ferrule.sql.dialects import Dialect
from ferrule.sql.identifiers import identifier_error

Node = tuple[Any, ...]

_LEAF_TYPES = (str, int, bool, type(None))


def strip(node: Any, values: list[Any]) -> Any:
    """The shape of ``node``: each bound value ``(..., v)`` moved to ``values``, replaced by
    ``(..., its index)``."""
    if isinstance(node, tuple):
        if len(node) == 2 and node[0] is ...:
            values.append(node[1])
            return (..., len(values) - 1)
        return tuple([strip(item, values) for item in node])
    if node.__class__ in _LEAF_TYPES:
        return node
    raise SQLError(f"unexpected object in a query tree: {node!r}")


def steps_of(link: Any) -> list[tuple[str, Any]]:
    """The ``(step, argument)`` pairs of a builder chain ``(prev, step, arg)``, first first."""
    steps = []
    while link is not None:
        steps.append((link[1], link[2]))
        link = link[0]
    steps.reverse()
    return steps


class BaseCompiler:
    """The output and the state every layer shares."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.out: list[str] = []
        self.order: list[int] = []
        self.unqualified = False
        self.prefix: str | None = None
        #: recursive CTEs whose bodies are being written: there the name is a self-reference
        self.defining: list[str] = []

    # --- output primitives ---------------------------------------------------------------------

    def lit(self, text: str) -> None:
        self.out.append(text.replace("%", "%%") if self.d.percent_escape else text)

    def ident(self, name: str) -> None:
        error = identifier_error(name, self.d)
        if error is not None:
            raise error
        open_, close = self.d.quote
        self.lit(open_ + name.replace(close, close + close) + close)

    def param(self, index: int) -> None:
        self.order.append(index)
        style = self.d.paramstyle
        if style == "dollar":
            self.out.append(f"${len(self.order)}")
        elif style == "format":
            self.out.append("%s")
        else:
            self.out.append("?")

    def unsupported(self, feature: str) -> UnsupportedFeatureError:
        return UnsupportedFeatureError(self.d.name, feature)

    def idents(self, names: Any) -> None:
        for i, name in enumerate(names):
            if i:
                self.lit(", ")
            self.ident(name)

    def statement(self, n: Node) -> None:
        """Write a whole statement: ``sql.compiler._Compiler`` knows every kind. Expressions
        call it for subqueries, queries for CTE bodies and compound members."""
        raise NotImplementedError
