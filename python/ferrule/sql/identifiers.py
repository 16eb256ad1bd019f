"""What the pure-Python compiler checks in names and text, with the native core's messages.

A name longer than the dialect keeps exactly (``Dialect.max_identifier_length``, measured in
``Dialect.identifier_length_unit``) would be truncated by the server, so two long names could
name one table; NUL ends a C string. Both are an ``IdentifierError`` where the name is written. A
string with a lone surrogate cannot be encoded at all: an ``SQLError`` before compiling. The
native core holds the same rules (``src/sql/compile/mod.rs``, ``src/sql/py.rs``).
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import IdentifierError, SQLError
from ferrule.sql.dialects import Dialect


def check_unicode(node: Any) -> None:
    """Every string of a shape can be encoded (the native core reads them as UTF-8): a lone
    surrogate is refused here, with the native core's message, before anything is compiled."""
    if isinstance(node, tuple):
        for item in node:
            check_unicode(item)
    elif node.__class__ is str and not node.isascii():
        try:
            node.encode()
        except UnicodeEncodeError:
            raise SQLError(
                f"SQL text must be valid Unicode: {node!r} contains a lone surrogate"
            ) from None


_UNIT_WORDS = {"bytes": "bytes (UTF-8)", "chars": "characters", "utf16": "UTF-16 code units"}


def _identifier_length(name: str, unit: str) -> int:
    if unit == "bytes":
        return len(name.encode())
    if unit == "utf16":
        return len(name.encode("utf-16-le")) // 2
    return len(name)


def identifier_error(name: str, d: Dialect) -> IdentifierError | None:
    """Why the server could not hold ``name`` exactly (the same text as the native core's)."""
    if "\x00" in name:
        return IdentifierError(d.name, name, "contains a NUL character")
    limit = d.max_identifier_length
    if limit is not None and len(name) * 4 > limit:
        length = _identifier_length(name, d.identifier_length_unit)
        if length > limit:
            units = _UNIT_WORDS[d.identifier_length_unit]
            problem = f"is {length} {units} long, more than the {limit} the server keeps"
            return IdentifierError(d.name, name, problem, limit)
    return None
