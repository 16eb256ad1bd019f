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

import ferrule

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
