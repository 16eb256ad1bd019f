"""A table's rows read through each database's own Python driver (``sqlite3``, ``psycopg2``,
``pymysql``), not through ferrule: what the write differential tests compare with their
reference. One synchronous connection per test, in autocommit, so each read sees what was
committed last and holds no lock a later ``DROP TABLE`` would wait for."""

from __future__ import annotations

import decimal
import sqlite3
from typing import Any
from urllib.parse import urlsplit


class NativeRows:
    """``rows(sql)``: the rows of a plain SELECT (no parameters), as tuples."""

    def __init__(self, url: str, dialect: str) -> None:
        self.dialect = dialect
        self._conn: Any
        if dialect == "sqlite":
            self._conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            return
        parts = urlsplit(url)
        where = {
            "host": parts.hostname,
            "port": parts.port,
            "user": parts.username,
            "password": parts.password or "",
        }
        name = parts.path.lstrip("/")
        if dialect == "postgres":
            import psycopg2

            self._conn = psycopg2.connect(dbname=name, **where)
            self._conn.autocommit = True
        else:
            import pymysql

            self._conn = pymysql.connect(database=name, charset="utf8mb4", autocommit=True, **where)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        cursor = self._conn.cursor()
        try:
            cursor.execute(query)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def close(self) -> None:
        self._conn.close()


def as_decimal(value: Any) -> decimal.Decimal | None:
    """A DECIMAL column's value as a ``Decimal``: SQLite's numeric affinity hands back an int
    or a double (its shortest repr is the decimal written, within 15 digits)."""
    if value is None or isinstance(value, decimal.Decimal):
        return value
    return decimal.Decimal(repr(value) if isinstance(value, float) else str(value))
