"""The private servers of ``servers.py`` leave the shared ones alone.

MariaDB deletes every ``#sql*`` file in its ``tmpdir`` when it starts (leftovers of its own
temporary tables, as it assumes). A private server using the system's temporary directory,
as the shared server does, deleted the shared server's temporary tables in use by other tests
at each of its starts and restarts: their statements then failed with "Error on delete of
'/tmp/#sql-temptable-...'" (``test_alter_table[mysql]``: its catalog queries use them), and a
``SELECT DISTINCT`` over TEXT columns (``test_relation_differential[mysql]``) crashed the
server it ran on (signal 11; reproduced with two private servers sharing a tmpdir, one
restarted in a loop). So a private MariaDB has a temporary directory of its own."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest

import ferrule
from ferrule.backends import mysql_kill

from .servers import PrivateServer


async def test_a_private_mariadb_keeps_out_of_the_system_temporary_directory(
    private_mysql: PrivateServer,
) -> None:
    async with await ferrule.connect(private_mysql.url, min_size=1, max_size=1) as db:
        tmpdir = Path(await db.fetch_val("SELECT @@tmpdir"))
    assert tmpdir.resolve().is_relative_to(private_mysql.dir.resolve()), tmpdir
    probe = Path(tempfile.gettempdir()) / f"#sql-ferrule-probe-{uuid.uuid4().hex}"
    probe.touch()  # as a shared server's temporary table would be
    try:
        await private_mysql.restart()
        assert probe.exists()
    finally:
        probe.unlink(missing_ok=True)


async def _thread_id(db: ferrule.Database) -> int:
    return int(await db.fetch_val("SELECT CONNECTION_ID()"))


async def test_a_stale_session_number_after_a_restart_kills_no_other_session(
    private_mysql: PrivateServer,
) -> None:
    """A connection interrupted mid-reply is closed and its server session stopped with
    ``KILL <its number>`` (``MySQLConnection.reset``). Session numbers start again when the
    server restarts: a number from before names another session after it, which must be left
    alone. Here the old connection's number is given to a new session on purpose, and the
    old connection is reset as if the server's EOF had not been seen yet."""
    for _ in range(5):  # the server's own sessions take numbers too: until one is given again
        await private_mysql.restart()
        old = await ferrule.connect(private_mysql.url, min_size=1, max_size=1)
        number = await _thread_id(old)
        (conn,) = old._pool.idle_connections()
        await private_mysql.restart()
        others = []
        try:
            while True:
                other = await ferrule.connect(private_mysql.url, min_size=1, max_size=1)
                others.append(other)
                if await _thread_id(other) >= number:
                    break
            if await _thread_id(others[-1]) != number:
                continue
            conn._busy = True  # interrupted mid-reply: reset() closes it and stops its session
            conn._wire._proto = None  # (the server's EOF not seen yet)
            assert await conn.reset() is False
            assert await others[-1].fetch_val("SELECT 1") == 1  # not killed
            assert await _thread_id(others[-1]) == number
            return
        finally:
            for other in others:
                await other.close()
            await old.close()
    pytest.skip("no session was given the old number again in five restarts")


@pytest.mark.parametrize(
    ("host", "client", "another"),
    [
        ("127.0.0.1:5000", ("127.0.0.1", 5000), False),  # the victim itself
        ("127.0.0.1:5001", ("127.0.0.1", 5000), True),  # another port at its address
        ("localhost:5001", ("127.0.0.1", 5000), True),  # the server resolved the loopback
        ("localhost:5000", ("127.0.0.1", 5000), False),
        ("[::1]:5001", ("::1", 5000), True),
        ("::1:5000", ("::1", 5000), False),
        ("172.17.0.1:40000", ("127.0.0.1", 5000), False),  # a port mapping: number trusted
        ("10.0.0.9:5001", ("10.0.0.8", 5000), False),
    ],
)
def test_a_session_is_another_clients_only_when_the_process_list_proves_it(
    host: str, client: tuple[str, int], another: bool
) -> None:
    assert mysql_kill._another_client(host, client) is another
