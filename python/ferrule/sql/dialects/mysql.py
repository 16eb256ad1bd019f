"""MySQL 8 and MariaDB 10.5+ via %s-style drivers (always pass the params list, even empty)."""

from ferrule.sql.dialects.base import Dialect

MYSQL = Dialect(
    name="mysql",
    quote=("`", "`"),
    paramstyle="format",
    percent_escape=True,
    exact_collation="utf8mb4_bin",
    caseless_collation="utf8mb4_general_ci",
    regex="collate",
    nulls_order="is_null",
    filter_clause=False,
    full_join=False,
    locking="mysql",
    no_limit="18446744073709551615",
    returning=frozenset({"insert", "delete"}),
    upsert="duplicate_key",
    frame_groups=False,
    default_values=" () VALUES ()",
    casts={
        "integer": "SIGNED",
        "int": "SIGNED",
        "bigint": "SIGNED",
        "smallint": "SIGNED",
        "text": "CHAR",
        "varchar": "CHAR",
        "real": "DOUBLE",
        "float": "DOUBLE",
        "double": "DOUBLE",
        "timestamp": "DATETIME",
    },
    max_identifier_length=64,
    identifier_length_unit="chars",
)
