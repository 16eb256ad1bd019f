"""The short tier of the storms in ``storm.py``: figures asserted as counts, never as times.

The restart storm needs a server it may restart and crash: a private one (``servers.py``),
never the shared 5432/3306. The cancellation storm runs on a private server too, so that every
session on it is ours to count. ``make soak`` runs the same storms for longer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import selected_dialects
from .servers import PrivateServer
from .storm import Figures, cancel_storm, restart_storm, sqlite_unlocked


def assert_clean_restarts(figures: Figures, commits_between: int) -> None:
    """A restart storm's figures (two events, ``commits_between`` commits apart) as they
    must be: nothing lost, half-applied or reported failed that committed, every error a
    ferrule one, no transaction left open, the pool full again."""
    print(figures.report())
    assert figures.restarts == 2
    assert figures.acknowledged >= 3 * commits_between
    assert (figures.lost, figures.partial, figures.phantom) == (0, 0, 0)
    assert not figures.foreign, figures.report()  # every error a FerruleError
    assert figures.idle_in_transaction == 0
    assert figures.pool_full


async def test_restart_storm(server: PrivateServer) -> None:
    figures = await restart_storm(server, tasks=200, pool=5, commits_between=40)
    assert_clean_restarts(figures, 40)


async def test_cancellation_storm_on_a_server(server: PrivateServer) -> None:
    figures = await cancel_storm(
        server.url,
        server.dialect,
        tasks=200,
        pool=5,
        rounds=3,
        deadlines=(0.001, 0.1),  # many cut short, many committed
        admin_url=server.url,
        unhurried=5,  # commits happen even on a machine too slow to meet any deadline
    )
    print(figures.report())
    assert figures.cancelled > 0 and figures.acknowledged > 0  # both outcomes happened
    assert (figures.lost, figures.partial, figures.stale) == (0, 0, 0), figures.report()
    assert not figures.foreign, figures.report()
    assert (figures.leaked_sessions, figures.idle_in_transaction) == (0, 0), figures.report()
    assert figures.pool_full


@pytest.mark.skipif("sqlite" not in selected_dialects(), reason="FERRULE_TEST_DB excludes sqlite")
async def test_cancellation_storm_on_sqlite(tmp_path: Path) -> None:
    path = str(tmp_path / "storm.db")
    # Fewer tasks: each long query spends LOOP_BUDGET on the loop thread before it moves.
    figures = await cancel_storm(
        f"sqlite:///{path}?busy_timeout=60", "sqlite", tasks=30, pool=5, rounds=3
    )
    print(figures.report())
    assert figures.cancelled > 0
    assert (figures.lost, figures.partial, figures.stale) == (0, 0, 0), figures.report()
    assert not figures.foreign, figures.report()
    assert (figures.leaked_sessions, figures.idle_in_transaction) == (0, 0), figures.report()
    assert figures.pool_full
    assert sqlite_unlocked(path)
