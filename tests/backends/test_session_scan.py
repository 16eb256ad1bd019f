"""The cheap pre-check in front of ``changes_session``'s pattern never changes its answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ferrule.backends import base

WORDS = [
    "SELECT", "INSERT INTO t VALUES (?)", "temp", "TEMPORARY", "pg_temp", "set_config",
    "pg_advisory_lock", "GET_LOCK", ":=", "INTO @x", "into@y", "/*!", "dblink",
    "load_extension", "SET", "@", "tempo", "x", ";", " ", "\n", "'", "K", "\u212a", "é",
]  # fmt: skip


@settings(max_examples=400)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_the_pre_check_never_hides_a_match(sql: str) -> None:
    if base._STATE_ANYWHERE.search(sql):
        assert base._may_hold_state_words(sql)


def test_a_long_plain_insert_skips_the_pattern() -> None:
    sql = "INSERT INTO `t` (`a`, `b`) VALUES " + ", ".join(["(?, ?)"] * 20_000)
    assert not base._may_hold_state_words(sql)
    assert base.changes_session(sql) is False
    assert base.changes_session("SELECT pg_advisory_lock(1)") is True
