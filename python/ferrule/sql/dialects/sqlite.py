"""SQLite (3.35+ for RETURNING): qmark params, no row locks, no INTERSECT/EXCEPT ALL.

Names are quoted with grave accents: SQLite reads a double-quoted name that matches no column as
a string literal (its "double-quoted string literal" compatibility), so ``"nmae"`` would give
every row the text ``'nmae'`` instead of an error. A grave-accented name is always a name."""

from ferrule.sql.dialects.base import Dialect

SQLITE = Dialect(
    name="sqlite",
    quote=("`", "`"),
    set_op_all=False,
    member_parens=False,
    no_limit="-1",
    regex="function",
)
