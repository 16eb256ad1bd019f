"""Node tree -> (SQL text, params): the pure-Python twin of ``src/sql/compile/``.

Both compilers first split a tree into its *shape* (every bound value replaced by its position) and
the values; the SQL text and the order in which values are bound depend on the shape alone, so a
shape seen before is answered from the cache and only the parameter list is rebuilt. The output of
the two compilers is byte-identical, and so are their errors (class and message): a string that
is not valid Unicode (a lone surrogate) is refused before compiling, a name the dialect cannot hold
exactly (``max_identifier_length``, NUL) where it is written. ``FERRULE_PURE_PYTHON=1`` makes
``compile_node`` use this one.

The twin is written in layers, each a module of ``sql._compile`` importing only the ones before it
(as ``src/sql/compile/`` is split): ``base`` (shapes, builder chains, output primitives), ``expr``,
``query`` (SELECT, compounds, CTEs), ``write`` (INSERT, UPDATE, DELETE). ``_Compiler`` below joins
them and dispatches on the statement kind.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError, pure_python_requested
from ferrule.sql._compile.base import Node
from ferrule.sql._compile.base import strip as _strip
from ferrule.sql._compile.query import SelectParts
from ferrule.sql._compile.write import WriteCompiler
from ferrule.sql.dialects import DIALECTS
from ferrule.sql.identifiers import check_unicode

_CACHE: dict[tuple[str, Node], tuple[str, tuple[int, ...]]] = {}
_CACHE_MAX = 4096


def compile_pure(node: Node, dialect: str) -> tuple[str, list[Any]]:
    """Compile with the pure-Python twin (same cache semantics as the native core)."""
    d = DIALECTS.get(dialect)
    if d is None:
        raise SQLError(f"unknown dialect {dialect!r}: expected sqlite, postgres, mysql or mssql")
    values: list[Any] = []
    shape = _strip(node, values)
    key = (dialect, shape)
    hit = _CACHE.get(key)
    if hit is None:
        check_unicode(shape)
        compiler = _Compiler(d)
        compiler.statement(shape)
        hit = ("".join(compiler.out), tuple(compiler.order))
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = hit
    sql, order = hit
    return sql, [values[i] for i in order]


def _native() -> Any:
    from ferrule import _ferrule

    return getattr(_ferrule, "sql_compile", None)


compile_native = _native()
compile_node = compile_pure if pure_python_requested() or compile_native is None else compile_native


class _Compiler(WriteCompiler):
    """The whole compiler: every layer of ``sql._compile``, and the statement dispatch."""

    def statement(self, n: Node) -> None:
        tag = n[0]
        if tag == "select":
            self.select(SelectParts(n[1]), True)
        elif tag == "compound":
            self.compound(n, True)
        elif tag == "insert":
            self.insert(n)
        elif tag == "update":
            self.update(n)
        elif tag == "delete":
            self.delete(n)
        elif tag == "raw":
            self.raw(n)
        else:
            raise SQLError(f"unknown statement node {tag!r}")
