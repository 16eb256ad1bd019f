"""The native dialect table (``src/sql/dialect.rs``) and the Python twin's
(``python/ferrule/sql/dialects/``) hold the same facts: every field, every dialect."""

from __future__ import annotations

import dataclasses

import pytest

from ferrule import _ferrule
from ferrule.sql import DIALECT_NAMES
from ferrule.sql.dialects import DIALECTS


@pytest.mark.parametrize("name", DIALECT_NAMES)
def test_native_and_python_dialect_facts_are_equal(name: str) -> None:
    python = dataclasses.asdict(DIALECTS[name])
    native = _ferrule.sql_dialect_facts(name)
    assert native is not None
    # A field added on one side only is named here, before the values are compared.
    assert sorted(python.keys() - native.keys()) == [], "missing from sql_dialect_facts"
    assert sorted(native.keys() - python.keys()) == [], "missing from the Python Dialect"
    assert {k: python[k] for k in native} == native


def test_every_dialect_is_in_both_tables() -> None:
    assert set(DIALECTS) == set(DIALECT_NAMES)
    assert all(_ferrule.sql_dialect_facts(n) is not None for n in DIALECT_NAMES)
    assert _ferrule.sql_dialect_facts("oracle") is None


def test_a_changed_fact_is_seen() -> None:
    """The comparison can fail: a Python table with one fact changed differs from the native."""
    changed = dataclasses.replace(DIALECTS["mysql"], full_join=True)
    assert dataclasses.asdict(changed) != _ferrule.sql_dialect_facts("mysql")
