"""The four dialects, by key.

What each dialect rejects (``UnsupportedFeatureError(dialect, feature)``) and what it emulates:

=================================  =======  ========  =======  ==================
construct                          sqlite   postgres  mysql    mssql
=================================  =======  ========  =======  ==================
DISTINCT ON                        no       yes       no       no
FULL JOIN                          yes      yes       no       yes
FOR UPDATE / FOR SHARE             no       yes       yes      no
FOR UPDATE OF tables               no       yes       no       no
INTERSECT ALL / EXCEPT ALL         no       yes       yes      no
ORDER BY/LIMIT in compound member  no       yes       yes      no
nested set operation               no       yes       yes      no
GROUPS window frame                yes      yes       no       no
RANGE frame with an offset         yes      yes       yes      no
UPDATE ... RETURNING               yes      yes       no       OUTPUT
INSERT/DELETE ... RETURNING        yes      yes       yes      OUTPUT
ON CONFLICT DO UPDATE ... WHERE    yes      yes       no       MERGE
upsert without a conflict target   yes      yes       yes      no
LIKE case-sensitive                pragma   native    COLLATE  COLLATE
ILIKE                              LOWER()  native    LOWER()  LOWER()
LIKE ... ESCAPE (bound)            yes      yes       yes      yes
regular expression match           regexp() ~ ~*      REGEXP   no
NULLS FIRST/LAST                   native   native    IS NULL  CASE
aggregate FILTER (WHERE ...)       native   native    CASE     CASE
LIMIT / OFFSET                     LIMIT    LIMIT     LIMIT    TOP / OFFSET FETCH
WITH RECURSIVE                     yes      yes       yes      WITH
longest identifier (else refused)  none     63 bytes  64 chars 128 UTF-16 units
identifier quotes                  `a`      "a"       `a`      [a]
=================================  =======  ========  =======  ==================

Pattern matching (LIKE/ILIKE/regex) is made to give the same rows on every server: the rules,
and where non-ASCII case folding still differs, are in ``sql.nodes``. On SQLite, case-sensitive
LIKE and ``regexp()`` come from the connection
(``backends.sqlite_functions.prepare_connection``).

SQLite names are quoted with grave accents, not the standard double quotes: SQLite reads a
double-quoted name that matches no column as a string literal, so a misspelt column would give
every row the name's text instead of an error.

The DDL facts (CREATE/ALTER/DROP) are a separate table, ``dialects.ddl``: DDL compiles in Python
only, so they have no native copy; the query facts here are proven equal to the native core's by
``tests/sql/test_dialect_facts.py``.
"""

from ferrule.sql.dialects.base import Dialect
from ferrule.sql.dialects.mssql import MSSQL
from ferrule.sql.dialects.mysql import MYSQL
from ferrule.sql.dialects.postgres import POSTGRES
from ferrule.sql.dialects.sqlite import SQLITE

DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLITE, POSTGRES, MYSQL, MSSQL)}

__all__ = ["DIALECTS", "MSSQL", "MYSQL", "POSTGRES", "SQLITE", "Dialect"]
