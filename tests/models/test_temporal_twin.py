"""The pure twin answers every temporal input exactly as the native core (speedate) does:
a differential test over generated text (pieces of the grammar, near-misses of valid values,
any characters) and numbers, on the Python and JSON paths, lax and strict."""

from __future__ import annotations

import json
import math
from typing import Any

from cores import same
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ferrule._ferrule as native_core
from ferrule.errors import ValidationError
from ferrule.models import _pure as pure_core

KINDS = ["datetime", "date", "time", "timedelta"]
VALIDATORS = {
    (core, kind, strict): core.SchemaValidator({"type": kind, "strict": strict}, None)
    for core in (native_core, pure_core)
    for kind in KINDS
    for strict in (False, True)
}

PIECES = [
    *"0123456789",
    "00", "12", "23", "24", "59", "60", "99", "2024", "0000", "9999", "86400", "1700000000",
    "20000000000", "4294967296", "2400000000", "-", "+", ":", ".", ",", "T", "t", "_", " ",
    "Z", "z", "P", "Y", "M", "W", "D", "H", "S", "d", "day", "days", "DAYS", "a", "e", "E",
    "\u2212", "\u00e9", "\uff11", "\x00",
]  # fmt: skip
VALID = [
    "2024-02-29T13:45:10.123456789Z",
    "2024-02-29 13:45:10,5+05:30",
    "0001-01-01_00:00:00\u221223:59",
    "9999-12-31t23:59:59.999999z",
    "2024-01-01",
    "13:45:10.1234567-0530",
    "P1Y2M3W4DT5H6M7.5S",
    "-PT1.5H",
    "P0.5D",
    "+4 days, 00:15:30.1234567",
    "-1d,23:59:59",
    "2400000000:00:00",
    "1700000000.5",
    "-1.5e3",
]

text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.builds(
        lambda v, i, piece, cut: v[:i] + piece + v[i + cut :],
        st.sampled_from(VALID),
        st.integers(0, 30),
        st.sampled_from(["", *PIECES]),
        st.integers(0, 2),
    ),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(-100_000, 100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-3e11, 3e11),
)


def outcome(core: Any, kind: str, strict: bool, value: Any, as_json: bool) -> Any:
    validator = VALIDATORS[core, kind, strict]
    try:
        if as_json:
            return ("ok", validator.validate_json(value))
        return ("ok", validator.validate_python(value))
    except ValidationError as exc:
        return [(e["type"], (e.get("ctx") or {}).get("error")) for e in exc.errors()]


def agree(value: Any, as_json: bool) -> None:
    for kind in KINDS:
        for strict in (False, True):
            pure = outcome(pure_core, kind, strict, value, as_json)
            native = outcome(native_core, kind, strict, value, as_json)
            if isinstance(native, tuple) and isinstance(pure, tuple):
                assert same(native[1], pure[1]), (kind, strict, value, native, pure)
            else:
                assert native == pure, (kind, strict, value)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(text)
@example("2024-01-01T00:00:00.0000005Z")
@example("P0.0000001D")
@example("PT" + "1" * 400 + ".5S")
@example("P1." + "0" * 400 + "1D")
def test_text_agrees(value: str) -> None:
    agree(value, as_json=False)
    agree(value.encode("utf-8", "surrogatepass"), as_json=False)
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        agree(json.dumps(value), as_json=True)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(numbers)
@example(86399.9999995)
@example(-(2**63))
@example(2**63 - 1)
@example(-0.0)
def test_numbers_agree(value: Any) -> None:
    agree(value, as_json=False)
    if not (isinstance(value, float) and not math.isfinite(value)):
        agree(json.dumps(value), as_json=True)
