"""Shared by the value-type tables: a type's schema as ferrule compiles it for a field, and one
table row run through a core on a path (`paths.outcome`), inputs made fresh for every run (a
generator can be read once)."""

from __future__ import annotations

from typing import Any

from paths import assert_outcome, outcome

from ferrule.models._introspect import build_type_schema

__all__ = ["Fresh", "run_row", "schema_of"]


def schema_of(annotation: Any, *, strict: bool = False) -> dict[str, Any]:
    return build_type_schema(annotation, strict=strict, is_model=lambda _: False, where="t")


class Fresh:
    """An input made anew for each run (``Fresh(lambda: (x for x in [1]))``)."""

    def __init__(self, make: Any, label: str) -> None:
        self.make = make
        self.label = label

    def __repr__(self) -> str:
        return self.label


def run_row(core: Any, annotation: Any, path: str, value: Any, expected: Any, **kw: Any) -> None:
    made = value.make() if isinstance(value, Fresh) else value
    assert_outcome(outcome(core, schema_of(annotation, **kw), path, made), expected)
