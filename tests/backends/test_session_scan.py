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


class _PosingText(str):
    """Text that claims to equal (and hash as) another text: a cache keyed by equality would
    answer for the text it poses as."""

    def __new__(cls, text: str, posing_as: str) -> _PosingText:
        made = super().__new__(cls, text)
        made.posing_as = posing_as  # type: ignore[attr-defined]
        return made

    def __eq__(self, other: object) -> bool:
        return other == self.posing_as  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.posing_as)  # type: ignore[attr-defined]


def test_a_str_subclass_is_read_for_its_own_text() -> None:
    from ferrule.backends import sqlite

    assert base.changes_session("SELECT 1") is False
    assert base.changes_session(_PosingText("SET search_path = x", "SELECT 1")) is True
    assert sqlite._readonly("SELECT 1") is True
    assert sqlite._readonly(_PosingText("DELETE FROM t", "SELECT 1")) is False
