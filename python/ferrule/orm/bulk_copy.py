"""PostgreSQL's bulk insert with generated keys back, through ``COPY``.

``INSERT ... SELECT * FROM unnest(...) RETURNING`` (``bulk``) costs the server half as much
again as ``COPY`` of the same rows, and the client encodes every array before the server
starts, then decodes the keys: ``COPY`` streams the rows while the server stores them
(50,000 rows of ``benchmarks/orm.py``'s table, CPU time of the server's process 220 ms
against 150 ms with the keys taken, of the client 85 ms against 30 ms, most of it while the
server works). ``COPY`` returns nothing, so the keys are taken first,
the way the column's default would take them, one ``nextval`` of its sequence per row, in
one statement that also checks that this gives what ``INSERT`` would:

- the key column is an identity column, or its default is exactly ``nextval`` of the
  sequence it owns (``serial``), and that sequence may be read by this user (an identity
  column's ``INSERT`` needs no right on it);
- the table is an ordinary table (not partitioned, not a view), with no trigger a row
  could pass through (a ``BEFORE INSERT`` trigger may change the key), no rule (``COPY``
  does not apply rules) and no row-level security (``COPY`` refuses it).

Otherwise nothing is taken and the rows go by ``unnest ... RETURNING``. The keys are the
sequence's next values, in the order of the rows, as the per-row default would give them;
they are set on the instances once ``COPY`` has stored every row, and taken back by
``bulk_create`` when the transaction is rolled back. An identity column ``GENERATED ALWAYS``
takes them: ``COPY`` writes the values it is given (as ``OVERRIDING SYSTEM VALUE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ferrule.backends.params import Records
from ferrule.errors import ORMError

__all__ = ["COPY_KEYS_FROM", "copy_with_keys"]

#: rows from which taking the keys and ``COPY`` (three round trips) beat one ``unnest``
#: (measured: 100 rows about even, 30 rows unnest 1.6x faster, 1,000 rows COPY 1.25x)
COPY_KEYS_FROM = 200

#: the keys of $3 rows from the key column $2 of table $1 (quoted, as ``INSERT`` names it),
#: or NULL where ``COPY`` would not store what ``INSERT`` does (see the module's docstring).
#: ``OFFSET 0`` keeps ``k`` a row of its own (as ``MATERIALIZED`` would, from PostgreSQL 12):
#: folded into the outer query, ``seq`` was looked up again for every key (7x the time)
_TAKE_KEYS = """\
WITH k AS (
  SELECT c.relkind, c.relhasrules, c.relrowsecurity, a.attidentity,
    pg_get_expr(d.adbin, d.adrelid) AS given,
    pg_get_serial_sequence($1::text, $2::text)::regclass AS seq,
    EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2::text AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.oid = $1::text::regclass
  OFFSET 0
)
SELECT CASE WHEN relkind = 'r' AND NOT relhasrules AND NOT relrowsecurity AND NOT triggers
  AND (attidentity IN ('a', 'd') OR given = format('nextval(%L::regclass)', seq))
  AND (has_sequence_privilege(seq, 'USAGE') OR has_sequence_privilege(seq, 'UPDATE'))
  THEN ARRAY(SELECT nextval(seq) FROM generate_series(1, $3::int)) END
FROM k"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table(table: str) -> str:
    """The table as ``COPY`` names it (``copy_records``: ``schema.name`` split at the last
    dot), quoted for ``regclass``."""
    schema, _, name = table.rpartition(".")
    return f"{_quoted(schema)}.{_quoted(name)}" if schema else _quoted(name)


def _with_keys(keys: Sequence[int], flat: list[Any], width: int) -> Records:
    """Each row as a tuple, its key first, made as sent (``_Rows.stream``)."""
    values = iter(flat)
    return Records(zip(keys, *[values] * width, strict=True), width + 1)


async def copy_with_keys(
    db: Any, model: Any, items: list[Any], flat: list[Any], names: list[str]
) -> list[int] | None:
    """Take a key for every row and ``COPY`` the rows (``flat``: the values of ``names``,
    row after row) with them; the keys, in the order of the rows, or None (nothing done)
    when the table is not one where ``COPY`` stores what ``INSERT`` would."""
    meta = model._meta
    count = len(items)
    keys = await db.fetch_val(_TAKE_KEYS, [_table(meta.table), meta.pk.column, count])
    if keys is None:
        return None
    if len(keys) != count:
        raise ORMError("bulk_create: the key sequence gave fewer keys than rows")
    columns = [meta.pk.column, *(meta.columns[n].column for n in names)]
    stored = await db.copy_records(meta.table, columns, _with_keys(keys, flat, len(names)))
    if stored != count:
        raise ORMError("bulk_create: COPY stored fewer rows than it was sent")
    return list(keys)
