"""Validating records as they stream in: NDJSON blocks through the compiled validator, array
items and Python iterables one record at a time; memory stays about one block (or record)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
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
#: Bytes of NDJSON validated per call, whatever the chunk read: the records made then stay in
#: the CPU's caches until they are handed on and freed (1 MB blocks: ~25% more CPU time).
_BLOCK = 1 << 16


def _located(index: int, error: ValidationError) -> ValidationError:
    """``error`` with the record's index in front of every location."""
    return ValidationError(
        error.title,
        [((index, *loc), kind, value, ctx, custom) for loc, kind, value, ctx, custom in error._raw],
    )


def _batches(
    results: Iterable[tuple[list[Any], list[tuple[int, Any]]]], collect: bool
) -> Iterator[list[Any]]:
    """Each block's records as one list, for `chain.from_iterable` to hand on one by one (no
    Python frame resumed per record). ``collect``: ``(index, error)`` in place of a bad record;
    else the records before the first bad one, then its error, which ends the stream."""
    index = 0
    for items, failures in results:
        if failures and collect:
            items = list(items)
            for offset, error in failures:
                items[offset] = (index + offset, _located(index + offset, error))
        elif failures:
            offset, error = failures[0]
            yield items[:offset]
            raise _located(index + offset, error)
        yield items
        index += len(items)


def validate_json_stream(
    validator: Any, source: Any, *, collect: bool, chunk_size: int = DEFAULT_CHUNK
) -> Iterator[Any]:
    return chain.from_iterable(_json_batches(validator, source, collect, chunk_size))


def _json_batches(
    validator: Any, source: Any, collect: bool, chunk_size: int
) -> Iterator[Iterable[Any]]:
    is_array, chunks = open_stream(iter_chunks(source, chunk_size))
    if is_array:
        yield validate_stream(validator, iter_items(chunks), collect=collect)
        return
    # every block is NDJSON (`lines`), even one that happens to begin with a "[" line
    many = validator.validate_json_many
    blocks = (part for block in ndjson_blocks(chunks) for part in _parts(block))
    yield from _batches((many(part, collect=True, lines=True) for part in blocks), collect)


def _parts(block: bytes) -> Iterator[bytes]:
    """``block`` in runs of whole lines of about `_BLOCK` bytes (a longer line whole)."""
    start, size = 0, len(block)
    while size - start > _BLOCK:
        cut = block.rfind(b"\n", start, start + _BLOCK)
        if cut < 0:
            cut = block.find(b"\n", start + _BLOCK)
            if cut < 0:
                break
        yield block[start : cut + 1]
        start = cut + 1
    if start == 0:
        yield block
    elif start < size:
        yield block[start:]


def validate_stream(validator: Any, records: Iterable[Any], *, collect: bool) -> Iterator[Any]:
    return chain.from_iterable(_record_batches(validator, records, collect))


def _record_batches(validator: Any, records: Iterable[Any], collect: bool) -> Iterator[list[Any]]:
    iterator = iter(records)
    results = (validator.validate_many(batch, collect=True) for batch in _groups(iterator))
    yield from _batches(results, collect)


def _groups(records: Iterator[Any]) -> Iterator[list[Any]]:
    while batch := list(islice(records, _BATCH)):
        yield batch
