"""A dialect is a table of facts the compiler consults; the Rust core holds the same table
(``src/sql/dialect.rs``). Anything a dialect cannot express is reported, never approximated."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dialect:
    name: str
    #: identifier quotes; the closing character is escaped by doubling it
    quote: tuple[str, str] = ('"', '"')
    #: "dollar" ($1, $2 ...), "format" (%s) or "qmark" (?)
    paramstyle: str = "qmark"
    #: literal ``%`` must be written ``%%`` (format-style drivers interpolate the text)
    percent_escape: bool = False
    ilike: bool = False
    #: a collation in which LIKE and REGEXP compare code points exactly, written after the
    #: pattern (None: LIKE is case-sensitive already; see ``sql.nodes`` on pattern matching)
    exact_collation: str | None = None
    #: a case-insensitive collation for REGEXP (``regex(..., ignore_case=True)``, MySQL)
    caseless_collation: str | None = None
    #: regular-expression match: "operator" (``~``, ``~*``), "collate" (``REGEXP`` with the
    #: collations above), "function" (SQLite: the ``regexp()`` ferrule's backend registers;
    #: ``x REGEXP p``, or ``regexp(p, x, 'i')`` ignoring case) or None (not supported)
    regex: str | None = None
    #: NULLS FIRST/LAST: "native", "is_null" (ORDER BY x IS NULL, x) or "case"
    nulls_order: str = "native"
    #: aggregate FILTER (WHERE ...): native, else emulated with CASE WHEN inside the aggregate
    filter_clause: bool = True
    distinct_on: bool = False
    full_join: bool = True
    #: row locking: "standard" (FOR UPDATE/FOR SHARE), "mysql" (LOCK IN SHARE MODE) or None
    locking: str | None = None
    lock_of: bool = False
    set_op_all: bool = True  # INTERSECT ALL / EXCEPT ALL
    #: a compound member with its own ORDER BY/LIMIT can be parenthesised
    member_parens: bool = True
    #: "limit" (LIMIT/OFFSET) or "fetch" (TOP / OFFSET ... FETCH)
    limit_style: str = "limit"
    #: what to write as LIMIT when only OFFSET is given (None: LIMIT may be omitted)
    no_limit: str | None = None
    recursive_keyword: bool = True
    #: statements with a RETURNING clause; "output" means SQL Server's OUTPUT clause
    returning: frozenset[str] = frozenset({"insert", "update", "delete"})
    output_clause: bool = False
    #: "on_conflict", "duplicate_key" or "merge"
    upsert: str = "on_conflict"
    frame_groups: bool = True
    #: RANGE frames with numeric offsets ("RANGE BETWEEN 2 PRECEDING AND CURRENT ROW")
    range_offsets: bool = True
    default_values: str = " DEFAULT VALUES"
    #: generic type name (lower case) -> this dialect's spelling, for CAST
    casts: dict[str, str] = field(default_factory=dict)
    #: the longest identifier the server keeps exactly (None: no limit), measured in
    #: ``identifier_length_unit``: "bytes" (UTF-8), "chars" (code points) or "utf16" (code units)
    max_identifier_length: int | None = None
    identifier_length_unit: str = "chars"
