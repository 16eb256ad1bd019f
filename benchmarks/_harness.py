"""Shared timing helpers: best-of-N wall time per operation, a printed table with ratios."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


def per_op(fn: Callable[[], Any], *, number: int | None = None, repeat: int = 7) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls (GC left on)."""
    if number is None:
        number = 1
        while True:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            if time.perf_counter() - start > 0.1:
                break
            number *= 4
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def per_batch(fn: Callable[[], Any], *, repeat: int = 7) -> float:
    """Seconds for one call whose result is kept until the young generation has been
    collected, that collection timed too (best of `repeat`). A library that pauses the cyclic
    collector during a batch leaves that scan for later, and would escape it if the result
    were dropped before any collection ran; the scan is counted here for every library."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        gc.collect(0)
        best = min(best, time.perf_counter() - start)
        del result
    return best


class Table:
    """Rows of (case, library, seconds); ratios are relative to ferrule in the same case."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, str, float]] = []

    def add(self, case: str, library: str, seconds: float) -> None:
        self.rows.append((case, library, seconds))

    def render(self) -> str:
        lines = [
            f"## {self.title}",
            "",
            "| case | library | time/op | ops/s | vs ferrule |",
            "|---|---|---|---|---|",
        ]
        ferrule = {case: s for case, lib, s in self.rows if lib == "ferrule"}
        for case, library, seconds in self.rows:
            base = ferrule.get(case)
            ratio = f"{seconds / base:.2f}x" if base else "-"
            lines.append(f"| {case} | {library} | {_fmt(seconds)} | {1 / seconds:,.0f} | {ratio} |")
        return "\n".join(lines)


def _fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.2f} ms"
