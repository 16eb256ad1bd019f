"""SQL Server via pyodbc-style ``?`` params: TOP / OFFSET FETCH, OUTPUT, MERGE for upserts."""

from ferrule.sql.dialects.base import Dialect

MSSQL = Dialect(
    name="mssql",
    quote=("[", "]"),
    exact_collation="Latin1_General_100_BIN2",
    nulls_order="case",
    filter_clause=False,
    set_op_all=False,
    member_parens=False,  # ORDER BY belongs to the statement, not to a UNION member
    limit_style="fetch",
    recursive_keyword=False,
    returning=frozenset(),
    output_clause=True,
    upsert="merge",
    frame_groups=False,
    range_offsets=False,
    casts={
        "text": "NVARCHAR(MAX)",
        "varchar": "NVARCHAR",
        "boolean": "BIT",
        "bool": "BIT",
        "integer": "INT",
        "double": "FLOAT",
        "real": "FLOAT",
        "timestamp": "DATETIME2",
        "datetime": "DATETIME2",
    },
    max_identifier_length=128,  # sysname is nvarchar(128)
    identifier_length_unit="utf16",
)
