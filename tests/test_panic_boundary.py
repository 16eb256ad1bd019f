"""A Rust panic inside the core surfaces as `ferrule.errors.InternalError`, an ordinary
`Exception`, never as PyO3's `PanicException` (a BaseException) or an abort."""

from __future__ import annotations

import pytest

from ferrule import _ferrule
from ferrule.errors import FerruleError, InternalError


def test_panic_becomes_internal_error() -> None:
    with pytest.raises(InternalError, match="deliberate panic") as info:
        _ferrule._panic_inside_guard()
    assert isinstance(info.value, Exception) and isinstance(info.value, FerruleError)


def test_interpreter_survives_repeated_panics() -> None:
    for _ in range(3):
        with pytest.raises(InternalError, match="deliberate panic") as info:
            _ferrule._panic_inside_guard()
        assert type(info.value) is InternalError
