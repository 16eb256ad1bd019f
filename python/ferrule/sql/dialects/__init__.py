"""The four dialects, by key."""

from ferrule.sql.dialects.base import Dialect
from ferrule.sql.dialects.mssql import MSSQL
from ferrule.sql.dialects.mysql import MYSQL
from ferrule.sql.dialects.postgres import POSTGRES
from ferrule.sql.dialects.sqlite import SQLITE

DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLITE, POSTGRES, MYSQL, MSSQL)}

__all__ = ["DIALECTS", "MSSQL", "MYSQL", "POSTGRES", "SQLITE", "Dialect"]
