"""``make soak``: the storms of ``storm.py`` at length, on private servers; prints the figures.

Run from ``tests/``: ``python -m backends.soak [--scale N]`` (``make soak`` does). ``--scale``
multiplies the number of restarts and cancellation rounds (default 5: a few minutes). The
shared servers are not touched: PostgreSQL and MariaDB run as private throwaway instances
(``servers.py``); SQLite uses a temporary file. Exits non-zero when a figure that must be zero
is not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from .servers import MARIADB_BIN, PG_BIN, PrivateMariaDB, PrivatePostgres, PrivateServer, missing
from .storm import Figures, cancel_storm, outage, restart_storm

#: Deadlines of the cancellation storms, seconds: the issue's 1-30 ms (most work is cut short
#: while queueing for the pool of 5), and up to 300 ms (more commits race their deadline).
DEADLINES = ((0.001, 0.03), (0.001, 0.3))


def _bad(figures: Figures) -> list[str]:
    checks = {
        "lost": figures.lost,
        "partial": figures.partial,
        "phantom": figures.phantom,
        "stale": figures.stale,
        "leaked sessions": figures.leaked_sessions,
        "idle in transaction": figures.idle_in_transaction,
        "non-ferrule errors": sum(figures.foreign.values()),
    }
    return [f"{name} {value}" for name, value in checks.items() if value]


async def _server_storms(server: PrivateServer, scale: int) -> list[Figures]:
    events = ("restart", "crash") * scale
    results = [
        await outage(server),
        await restart_storm(server, events=events, commits_between=200, guard=60.0 * scale),
    ]
    for deadlines in DEADLINES:
        results.append(
            await cancel_storm(
                server.url,
                server.dialect,
                rounds=10 * scale,
                deadlines=deadlines,
                admin_url=server.url,
            )
        )
    return results


async def _sqlite_storms(scale: int) -> list[Figures]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'soak.db'}?busy_timeout=60"
        for deadlines in DEADLINES:
            results.append(
                await cancel_storm(url, "sqlite", rounds=10 * scale, deadlines=deadlines)
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5)
    scale = parser.parse_args().scale
    results: list[Figures] = []
    for kind, binaries in ((PrivatePostgres, PG_BIN), (PrivateMariaDB, MARIADB_BIN)):
        absent = missing(binaries)
        if absent:
            print(f"skipped {kind.dialect}: {', '.join(absent)} not installed")
            continue
        server = kind()
        try:
            results += asyncio.run(_server_storms(server, scale))
        finally:
            server.close()
            server.destroy()
    results += asyncio.run(_sqlite_storms(scale))
    failed = False
    for figures in results:
        print(figures.report())
        bad = _bad(figures)
        if bad:
            failed = True
            print(f"  NOT ZERO: {', '.join(bad)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
