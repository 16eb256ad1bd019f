"""The public defaults of `ferrule.json.dumps`/`loads`, as the pure twin's keyword arguments:
the tests call the twin with exactly what the public functions would pass it."""

from __future__ import annotations

from typing import Any


def read_options(kw: dict[str, Any]) -> dict[str, Any]:
    return {
        "allow_nan": kw.get("allow_nan", False),
        "last_key_wins": kw.get("duplicate_keys", "error") == "last",
        "decimal": kw.get("decimal", False),
        "max_depth": kw.get("max_depth", 1000),
    }


def write_options(kw: dict[str, Any]) -> dict[str, Any]:
    return {
        "indent": kw.get("indent"),
        "sort_keys": kw.get("sort_keys", False),
        "default": kw.get("default"),
        "allow_nan": kw.get("allow_nan", False),
    }
