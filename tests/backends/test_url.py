"""URL parsing: a table of URLs and what they mean, and a table of malformed ones."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.backends.url import parse_url
from ferrule.errors import ConfigurationError

VALID: list[tuple[str, dict[str, Any]]] = [
    ("sqlite://", {"dialect": "sqlite", "database": ":memory:"}),
    ("sqlite://:memory:", {"dialect": "sqlite", "database": ":memory:"}),
    ("sqlite:///app.db", {"dialect": "sqlite", "database": "app.db"}),
    ("sqlite:////var/lib/app.db", {"dialect": "sqlite", "database": "/var/lib/app.db"}),
    ("sqlite:///my%20file.db?mode=ro", {"database": "my file.db", "query": {"mode": "ro"}}),
    (
        "sqlite:///a.db?synchronous=FULL&journal_mode=Delete&foreign_keys=off&cache_size=-2000",
        {
            "query": {
                "synchronous": "FULL",
                "journal_mode": "Delete",
                "foreign_keys": "off",
                "cache_size": "-2000",
            }
        },
    ),
    (
        "postgresql://alice:s%40cret@db.example.com:6543/shop",
        {
            "dialect": "postgres",
            "user": "alice",
            "password": "s@cret",
            "hosts": (("db.example.com", 6543),),
            "database": "shop",
        },
    ),
    ("postgres://alice@localhost/shop", {"user": "alice", "password": None, "port": 5432}),
    ("postgresql://alice:@localhost/shop", {"password": ""}),
    (
        "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/test",
        {"hosts": (("/var/run/postgresql", 5432),), "database": "test"},
    ),
    (
        "postgresql:///test?host=/tmp&port=5433",
        {"hosts": (("/tmp", 5433),), "database": "test", "user": None},
    ),
    ("postgresql://[::1]:5433/x", {"hosts": (("::1", 5433),)}),
    ("postgresql://h1:5432,h2:5433/x", {"hosts": (("h1", 5432), ("h2", 5433))}),
    ("postgresql://u@h/x?sslmode=verify-full", {"query": {"sslmode": "verify-full"}}),
    ("postgresql://u@h/x?user=bob&dbname=other", {"user": "bob", "database": "other"}),
    ("postgresql://h/db", {"database": "db", "hosts": (("h", 5432),)}),
    (
        "mysql://root@127.0.0.1:3307/test?charset=utf8mb4",
        {"dialect": "mysql", "hosts": (("127.0.0.1", 3307),), "query": {"charset": "utf8mb4"}},
    ),
    ("mariadb://root:pw@db/test", {"dialect": "mysql", "password": "pw", "port": 3306}),
    (
        "mysql://root@localhost/test?unix_socket=/run/mysqld/mysqld.sock",
        {"hosts": (("/run/mysqld/mysqld.sock", 0),)},
    ),
]


@pytest.mark.parametrize(("url", "expected"), VALID)
def test_valid(url: str, expected: dict[str, Any]) -> None:
    parsed = parse_url(url)
    for name, value in expected.items():
        assert getattr(parsed, name) == value, name


def test_default_is_embedded_sqlite() -> None:
    parsed = parse_url()
    assert (parsed.dialect, parsed.database, parsed.options.max_size) == ("sqlite", ":memory:", 1)


def test_options_from_query_and_keywords() -> None:
    parsed = parse_url("postgresql://h/db?max_size=20&acquire_timeout=1.5", min_size=3)
    opts = parsed.options
    assert (opts.max_size, opts.acquire_timeout, opts.min_size) == (20, 1.5, 3)
    assert parsed.query == {}
    assert parse_url("postgresql://h/db?max_size=20", max_size=4).options.max_size == 4


def test_password_is_not_in_repr() -> None:
    assert "hunter2" not in repr(parse_url("postgresql://u:hunter2@h/db"))


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("app.db", {}, "URL 'app.db'"),
    ("oracle://h/db", {}, "scheme 'oracle'"),
    ("postgresql://h:99999/db", {}, "port '99999'"),
    ("postgresql://h:abc/db", {}, "port 'abc'"),
    ("postgresql://h/db?sslmode=maybe", {}, "sslmode 'maybe'"),
    ("postgresql://h/db?colour=blue", {}, "query parameter 'colour'"),
    ("postgresql://h/db?max_size=lots", {}, "option 'max_size'"),
    ("postgresql://h/db?max_size=0", {}, "option 'max_size'"),
    ("postgresql://h/db?min_size=5&max_size=2", {}, "option 'min_size'"),
    ("postgresql://[::1/db", {}, "host '[::1'"),
    ("postgresql://h/db?novalue", {}, "query parameter 'novalue'"),
    ("postgresql://h/db#frag", {}, "fragment 'frag'"),
    ("sqlite://host/app.db", {}, "host 'host'"),
    ("sqlite:///app.db?mode=rwx", {}, "mode 'rwx'"),
    # SQLite ignores a pragma value it does not know: the URL must not pass one on
    ("sqlite:///app.db?synchronous=bogus", {}, "synchronous 'bogus'"),
    ("sqlite:///app.db?synchronous=4", {}, "synchronous '4'"),
    ("sqlite:///app.db?journal_mode=bogus", {}, "journal_mode 'bogus'"),
    ("sqlite:///app.db?journal_mode=wal;x", {}, "journal_mode 'wal;x'"),
    ("sqlite:///app.db?foreign_keys=maybe", {}, "foreign_keys 'maybe'"),
    ("sqlite:///app.db?cache_size=lots", {}, "cache_size 'lots'"),
    ("sqlite:///app.db?cache_size=1.5", {}, "cache_size '1.5'"),
    ("sqlite:///app.db?cache_size=99999999999999999999", {}, "cache_size '9999"),
    ("sqlite:///app.db?busy_timeout=-1", {}, "busy_timeout '-1'"),
    ("sqlite:///app.db?busy_timeout=nan", {}, "busy_timeout 'nan'"),
    ("sqlite:///app.db?busy_timeout=inf", {}, "busy_timeout 'inf'"),
    ("mysql://h1,h2/db", {}, "host 'h1,h2'"),
    ("mysql://h/a/b", {}, "database 'a/b'"),
    ("postgresql://h/db", {"acquire_timeout": -1}, "option 'acquire_timeout'"),
    ("postgresql://h/db", {"pool": 3}, "option 'pool'"),
]


@pytest.mark.parametrize(("url", "options", "names"), INVALID)
def test_invalid_names_the_bad_part(url: str, options: dict[str, Any], names: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_url(url, **options)
    assert names in str(info.value)
    assert isinstance(info.value, ValueError)
