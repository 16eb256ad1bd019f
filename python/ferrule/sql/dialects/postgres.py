"""PostgreSQL via asyncpg: $n params, everything in the builder is native."""

from ferrule.sql.dialects.base import Dialect

POSTGRES = Dialect(
    name="postgres",
    paramstyle="dollar",
    ilike=True,
    regex="operator",
    distinct_on=True,
    locking="standard",
    lock_of=True,
    casts={"double": "DOUBLE PRECISION", "datetime": "TIMESTAMP"},
    max_identifier_length=63,  # NAMEDATALEN - 1; longer names are truncated
    identifier_length_unit="bytes",
)
