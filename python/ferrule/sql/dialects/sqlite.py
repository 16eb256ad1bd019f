"""SQLite (3.35+ for RETURNING): qmark params, no row locks, no INTERSECT/EXCEPT ALL."""

from ferrule.sql.dialects.base import Dialect

SQLITE = Dialect(
    name="sqlite",
    set_op_all=False,
    member_parens=False,
    no_limit="-1",
)
