"""Validating records as they stream in: NDJSON blocks through the compiled validator, array
items and Python iterables one record at a time; memory stays about one block (or record)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ferrule.errors import ValidationError
from ferrule.json.stream import (
    DEFAULT_CHUNK,
    iter_chunks,
    iter_items,
    ndjson_blocks,
    open_stream,
)

__all__ = ["validate_json_stream", "validate_stream"]

#: Records per batch handed to the validator by `validate_stream`.
_BATCH = 1024


def _located(index: int, error: ValidationError) -> ValidationError:
    """``error`` with the record's index in front of every location."""
    return ValidationError(
        error.title,
        [((index, *loc), kind, value, ctx, custom) for loc, kind, value, ctx, custom in error._raw],
    )


def _emit(
    items: list[Any], failures: list[tuple[int, Any]], first: int, collect: bool
) -> Iterator[Any]:
    if not failures:  # the common block: every record valid, handed on without a Python loop
        yield from items
        return
    failed = dict(failures)
    for offset, item in enumerate(items):
        error = failed.get(offset)
        if error is None:
            yield item
        elif collect:
            yield (first + offset, _located(first + offset, error))
        else:
            raise _located(first + offset, error)


def validate_json_stream(
    validator: Any, source: Any, *, collect: bool, chunk_size: int = DEFAULT_CHUNK
) -> Iterator[Any]:
    is_array, chunks = open_stream(iter_chunks(source, chunk_size))
    if is_array:
        yield from validate_stream(validator, iter_items(chunks), collect=collect)
        return
    index = 0
    for block in ndjson_blocks(chunks):
        if not block.strip():
            continue
        items, failures = validator.validate_json_many(block, collect=True)
        yield from _emit(items, failures, index, collect)
        index += len(items)


def validate_stream(validator: Any, records: Iterable[Any], *, collect: bool) -> Iterator[Any]:
    batch: list[Any] = []
    index = 0
    for record in records:
        batch.append(record)
        if len(batch) >= _BATCH:
            items, failures = validator.validate_many(batch, collect=True)
            yield from _emit(items, failures, index, collect)
            index += len(batch)
            batch = []
    if batch:
        items, failures = validator.validate_many(batch, collect=True)
        yield from _emit(items, failures, index, collect)
