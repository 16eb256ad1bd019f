"""Database URLs: one parser for the three schemes, errors that name the bad part.

    sqlite://                       the embedded default: a private in-memory database
    sqlite://:memory:               the same, spelled out
    sqlite:///app.db                a file relative to the working directory
    sqlite:////var/lib/app.db       an absolute path (four slashes)
    postgresql://user:pw@host:5432/db?sslmode=require      (also ``postgres://``)
    postgresql://user@%2Fvar%2Frun%2Fpostgresql/db          libpq: percent-encoded socket dir
    postgresql:///db?host=/var/run/postgresql               libpq: the socket in the query
    mysql://root@127.0.0.1:3306/db?charset=utf8mb4           (also ``mariadb://``)
    mysql://root@localhost/db?unix_socket=/run/mysqld/mysqld.sock

PostgreSQL URLs follow libpq: a user without a password, an empty host meaning the default unix
socket, several ``host:port`` pairs, percent-encoding in every part, and the ``sslmode`` values
``disable allow prefer require verify-ca verify-full``. Pool and timeout options may be given in
the query (``?max_size=20&acquire_timeout=2``) or as keywords to ``connect``; keywords win.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any
from urllib.parse import unquote

from ferrule.errors import ConfigurationError

__all__ = ["POOL_OPTIONS", "DatabaseURL", "Options", "parse_url"]

_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgresql": "postgres",
    "postgres": "postgres",
    "pgsql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
}
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}

#: Options every backend understands, with their type and default. See ``Options``.
POOL_OPTIONS: dict[str, tuple[type, Any]] = {
    "min_size": (int, 1),
    "max_size": (int, 10),
    "acquire_timeout": (float, 30.0),
    "connect_timeout": (float, 10.0),
    "recycle": (float, 0.0),
    "health_check_interval": (float, 5.0),
    "circuit_failures": (int, 5),
    "circuit_reset": (float, 0.5),
    "slow_query_threshold": (float, 0.0),
    "statement_cache_size": (int, 256),
    "reset_session": (str, "auto"),
}
#: ``reset_session``: ``auto`` resets a connection's session state on release when a statement
#: it ran may have changed it (``backends.base.changes_session``); ``always`` resets on every
#: release, as asyncpg's own pool does (it also catches state a called function changed).
RESET_SESSION_MODES = ("auto", "always")

#: Driver options each dialect accepts in the URL query beyond the pool options.
_DRIVER_OPTIONS: dict[str, frozenset[str]] = {
    "sqlite": frozenset(
        {"mode", "busy_timeout", "journal_mode", "synchronous", "foreign_keys", "cache_size"}
    ),
    "postgres": frozenset(
        {
            "sslmode",
            "host",
            "port",
            "user",
            "password",
            "dbname",
            "application_name",
            "target_session_attrs",
            "sslrootcert",
            "sslcert",
            "sslkey",
            "passfile",
        }
    ),
    "mysql": frozenset({"charset", "unix_socket", "ssl", "init_command", "sql_mode"}),
}


@dataclasses.dataclass(frozen=True)
class Options:
    """Pool, timeout and observability settings (seconds for every duration; 0 disables)."""

    min_size: int = 1
    max_size: int = 10
    acquire_timeout: float = 30.0
    connect_timeout: float = 10.0
    recycle: float = 0.0
    health_check_interval: float = 5.0
    circuit_failures: int = 5
    circuit_reset: float = 0.5  # the longest back-off between two probes of an open circuit
    slow_query_threshold: float = 0.0
    statement_cache_size: int = 256
    reset_session: str = "auto"  # or "always": see RESET_SESSION_MODES


@dataclasses.dataclass(frozen=True)
class DatabaseURL:
    """A parsed URL. ``hosts`` holds ``(host, port)`` pairs; a host starting with ``/`` is a
    unix-socket directory (PostgreSQL) or socket file (MySQL)."""

    dialect: str
    user: str | None = None
    password: str | None = None
    hosts: tuple[tuple[str, int], ...] = ()
    database: str | None = None
    query: dict[str, str] = dataclasses.field(default_factory=dict)
    options: Options = dataclasses.field(default_factory=Options)

    @property
    def host(self) -> str | None:
        return self.hosts[0][0] if self.hosts else None

    @property
    def port(self) -> int | None:
        return self.hosts[0][1] if self.hosts else None

    def __repr__(self) -> str:  # never print the password
        shown = "***" if self.password else None
        return (
            f"DatabaseURL(dialect={self.dialect!r}, user={self.user!r}, password={shown!r}, "
            f"hosts={self.hosts!r}, database={self.database!r}, query={self.query!r})"
        )


def _bad(part: str, value: str, why: str) -> ConfigurationError:
    return ConfigurationError(f"invalid database URL: {part} {value!r}: {why}")


def _coerce(name: str, value: Any) -> Any:
    kind, _ = POOL_OPTIONS[name]
    if kind is str:
        if value not in RESET_SESSION_MODES:
            raise _bad("option", name, f"expected one of {', '.join(RESET_SESSION_MODES)}")
        return value
    if isinstance(value, bool):
        raise _bad("option", name, f"expected {kind.__name__}, got {value!r}")
    try:
        converted = kind(value)
    except (TypeError, ValueError):
        raise _bad("option", name, f"expected {kind.__name__}, got {value!r}") from None
    if converted < 0:
        raise _bad("option", name, "must not be negative")
    return converted


def _options(settings: dict[str, Any]) -> Options:
    values = {name: _coerce(name, value) for name, value in settings.items()}
    opts = Options(**values)
    if opts.max_size < 1:
        raise _bad("option", "max_size", "must be at least 1")
    if opts.min_size > opts.max_size:
        raise _bad("option", "min_size", f"{opts.min_size} is larger than max_size {opts.max_size}")
    return opts


def _parse_query(raw: str) -> dict[str, str]:
    query: dict[str, str] = {}
    for pair in filter(None, raw.split("&")):
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _bad("query parameter", pair, "expected name=value")
        query[unquote(key)] = unquote(value.replace("+", " "))
    return query


def _parse_port(text: str, dialect: str) -> int:
    if not text:
        return _DEFAULT_PORTS[dialect]
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise _bad("port", text, "expected a number from 1 to 65535")
    return int(text)


def _parse_hosts(netloc: str, dialect: str) -> tuple[tuple[str, int], ...]:
    hosts: list[tuple[str, int]] = []
    for item in netloc.split(","):
        if item.startswith("["):  # IPv6 literal
            end = item.find("]")
            if end < 0:
                raise _bad("host", item, "unclosed '[' in an IPv6 address")
            host, rest = item[1:end], item[end + 1 :]
            if rest and not rest.startswith(":"):
                raise _bad("host", item, "expected ':port' after the IPv6 address")
            port = _parse_port(rest[1:], dialect)
        else:
            host_part, _, port_part = item.partition(":")
            host, port = unquote(host_part), _parse_port(port_part, dialect)
        if not host and len(netloc.split(",")) > 1:
            raise _bad("host", netloc, "empty host in a host list")
        hosts.append((host, port))
    return tuple(h for h in hosts if h[0])


def parse_url(url: str | None = None, **overrides: Any) -> DatabaseURL:
    """Parse ``url`` (default ``sqlite://``), merging keyword ``overrides`` into the options."""
    if url is None:
        url = "sqlite://"
    if not isinstance(url, str):
        raise ConfigurationError(f"database URL must be a string, not {type(url).__name__}")
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise _bad("URL", url, "expected 'scheme://...', e.g. 'sqlite:///app.db'")
    base_scheme = scheme.lower().split("+", 1)[0]
    dialect = _SCHEMES.get(base_scheme)
    if dialect is None:
        known = ", ".join(sorted(_SCHEMES))
        raise _bad("scheme", scheme, f"expected one of {known}")
    rest, _, fragment = rest.partition("#")
    if fragment:
        raise _bad("fragment", fragment, "URLs take no '#fragment'")
    rest, _, raw_query = rest.partition("?")
    query = _parse_query(raw_query)

    settings: dict[str, Any] = {}
    for name in list(query):
        if name in POOL_OPTIONS:
            settings[name] = query.pop(name)
        elif name not in _DRIVER_OPTIONS[dialect]:
            raise _bad("query parameter", name, f"unknown option for {dialect}")
    for name, value in overrides.items():
        if name not in POOL_OPTIONS:
            raise ConfigurationError(f"unknown connect() option {name!r}")
        settings[name] = value

    if dialect == "sqlite":
        return _parse_sqlite(rest, query, settings)

    netloc, slash, path = rest.partition("/")
    userinfo, at, hostinfo = netloc.rpartition("@")
    if not at:
        userinfo, hostinfo = "", netloc
    user, colon, password = userinfo.partition(":")
    hosts = _parse_hosts(hostinfo, dialect)
    database = unquote(path) if slash and path else None
    if database is not None and "/" in database:
        raise _bad("database", database, "a database name cannot contain '/'")

    if dialect == "postgres":
        mode = query.get("sslmode")
        if mode is not None and mode not in _SSLMODES:
            raise _bad("sslmode", mode, f"expected one of {', '.join(_SSLMODES)}")
        user = query.pop("user", "") or user
        password = query.pop("password", "") or password
        database = query.pop("dbname", "") or database
        if "host" in query:  # libpq: ?host=/socket/dir overrides the netloc host
            port = _parse_port(query.pop("port", ""), dialect)
            hosts = tuple((h, port) for h in query.pop("host").split(",") if h)
        elif "port" in query:
            port = _parse_port(query.pop("port"), dialect)
            hosts = tuple((h, port) for h, _ in hosts) or (("", port),)
            hosts = tuple(h for h in hosts if h[0])
    else:
        socket = query.pop("unix_socket", None)
        if socket:
            hosts = ((socket, 0),)
        if len(hosts) > 1:
            raise _bad("host", hostinfo, "mysql takes a single host")
        if not hosts:
            hosts = (("127.0.0.1", 3306),)

    return DatabaseURL(
        dialect=dialect,
        user=unquote(user) or None,
        password=unquote(password) if colon else None,
        hosts=hosts,
        database=database,
        query=query,
        options=_options(settings),
    )


#: SQLite's own spellings of the pragma values a URL may set (it ignores any other, silently)
SQLITE_PRAGMA_VALUES = {
    "journal_mode": ("delete", "truncate", "persist", "memory", "wal", "off"),
    "synchronous": ("off", "normal", "full", "extra", "0", "1", "2", "3"),
    "foreign_keys": ("on", "off", "true", "false", "yes", "no", "1", "0"),
}
#: ``cache_size``: pages (positive) or KiB (negative), as ``PRAGMA cache_size`` reads it
_CACHE_SIZE_LIMIT = 2**31


def _check_pragmas(query: dict[str, str]) -> None:
    for name, allowed in SQLITE_PRAGMA_VALUES.items():
        value = query.get(name)
        if value is not None and value.lower() not in allowed:
            raise _bad(name, value, f"expected one of {', '.join(allowed)}")
    size = query.get("cache_size")
    if size is not None:
        digits = size.removeprefix("-")
        if not (digits.isascii() and digits.isdigit() and int(digits) < _CACHE_SIZE_LIMIT):
            raise _bad("cache_size", size, "expected pages, or -KiB (a whole number)")


def _parse_sqlite(rest: str, query: dict[str, str], settings: dict[str, Any]) -> DatabaseURL:
    if rest in ("", ":memory:", "/:memory:"):
        database = ":memory:"
    elif rest.startswith("/"):
        database = unquote(rest[1:])
        if not database:
            raise _bad("path", rest, "expected a file name after 'sqlite:///'")
    else:
        raise _bad("host", rest.split("/", 1)[0], "sqlite URLs take no host: use 'sqlite:///path'")
    mode = query.get("mode")
    if mode is not None and mode not in ("ro", "rw", "rwc", "memory"):
        raise _bad("mode", mode, "expected ro, rw, rwc or memory")
    if "busy_timeout" in query:
        try:
            seconds = float(query["busy_timeout"])
        except ValueError:
            seconds = math.nan
        if not 0 <= seconds < math.inf:
            raise _bad("busy_timeout", query["busy_timeout"], "expected seconds") from None
    _check_pragmas(query)
    if database == ":memory:":
        # Every connection to :memory: is a separate database: one connection, shared.
        settings["max_size"] = 1
        settings["min_size"] = 1
    return DatabaseURL(dialect="sqlite", database=database, query=query, options=_options(settings))
