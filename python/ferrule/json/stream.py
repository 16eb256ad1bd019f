"""Reading JSON a piece at a time, in memory bounded by the largest record, not the input.

``iter_items`` yields the items of a top-level array, or the documents of newline-delimited
JSON (NDJSON), from bytes, a str, a file (binary or text) or an iterable of chunks. Models
build on ``ndjson_blocks`` (runs of whole lines, validated a block at a time in Rust).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from ferrule.errors import JSONError, pure_python_requested
from ferrule.json.codec import _depth, _flag

__all__ = ["DEFAULT_CHUNK", "iter_chunks", "iter_items", "ndjson_blocks", "open_stream"]

if TYPE_CHECKING or not pure_python_requested():
    from ferrule._ferrule import json_read_value as _read_value
else:
    from ferrule.json._pure_codec import read_value as _read_value

#: Bytes read from a file per step.
DEFAULT_CHUNK = 1 << 16
_SPACE = b" \t\r\n"
#: No token cut by a chunk's end reads as an error further than this from the cut.
_CUT_TOKEN = 16


def iter_chunks(source: Any, chunk_size: int = DEFAULT_CHUNK) -> Iterator[bytes]:
    """``source`` as UTF-8 byte chunks: bytes-like or str (sliced), a file with ``read`` (binary
    or text), or an iterable of bytes or str chunks."""
    if type(chunk_size) is not int or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
    if isinstance(source, (bytes, bytearray, memoryview, str)):
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]
        return
    read = getattr(source, "read", None)
    if callable(read):
        while True:
            chunk = read(chunk_size)
            if not chunk:
                return
            yield _as_bytes(chunk)
    elif isinstance(source, Iterable):
        for chunk in source:
            if chunk:
                yield _as_bytes(chunk)
    else:
        raise TypeError(
            "a JSON stream is bytes, str, a file or an iterable of chunks, "
            f"not {type(source).__name__}"
        )


def _as_bytes(chunk: Any) -> bytes:
    if isinstance(chunk, str):
        return chunk.encode("utf-8", "surrogatepass")
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        return bytes(chunk)
    raise TypeError(f"a JSON stream chunk must be bytes or str, not {type(chunk).__name__}")


def ndjson_blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Runs of whole lines (each ending at a newline, the last one maybe not)."""
    pieces: list[Any] = []  # of the line cut by the last chunk's end (joined once: no O(n²))
    for chunk in chunks:
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pieces.append(chunk)
            if len(pieces) >= 1024:  # many tiny chunks: keep their overhead bounded
                pieces = [b"".join(pieces)]
            continue
        if pieces or cut + 1 < len(chunk):
            # one copy of the block (a slice and then a concatenation would be two)
            pieces.append(memoryview(chunk)[: cut + 1])
            yield b"".join(pieces)
        else:
            yield chunk
        pieces = [chunk[cut + 1 :]] if cut + 1 < len(chunk) else []
    tail = b"".join(pieces)
    if tail.strip(_SPACE):
        yield tail


def iter_items(
    source: Any,
    *,
    allow_nan: bool = False,
    duplicate_keys: Literal["error", "last"] = "error",
    decimal: bool = False,
    max_depth: int = 1000,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[Any]:
    """The items of a top-level JSON array, or the documents of NDJSON, one at a time.

    Which of the two is decided by the first character (``[``: an array). Options as in
    `ferrule.json.loads`."""
    if duplicate_keys not in ("error", "last"):
        raise ValueError(f"duplicate_keys must be 'error' or 'last', not {duplicate_keys!r}")
    options = {
        "allow_nan": _flag(allow_nan, "allow_nan"),
        "last_key_wins": duplicate_keys == "last",
        "decimal": _flag(decimal, "decimal"),
        "max_depth": _depth(max_depth),
    }
    is_array, chunks = open_stream(iter_chunks(source, chunk_size))
    if is_array:
        yield from _array_items(next(chunks).lstrip(_SPACE), chunks, options)
    else:
        yield from _ndjson_items(chunks, options)


def open_stream(chunks: Iterator[bytes]) -> tuple[bool, Iterator[bytes]]:
    """Whether the stream is one top-level array (its first character is ``[``; else NDJSON),
    and its chunks again from the start: those read to find out come back as one."""
    head = b""
    for chunk in chunks:
        head += chunk
        if head.lstrip(_SPACE):
            break

    def again() -> Iterator[bytes]:
        yield head
        yield from chunks

    return head.lstrip(_SPACE).startswith(b"["), again()


def _ndjson_items(chunks: Iterator[bytes], options: dict[str, Any]) -> Iterator[Any]:
    line_number = 0
    for block in ndjson_blocks(chunks):
        lines = block.split(b"\n")
        if block.endswith(b"\n"):
            lines.pop()  # the empty text after the block's last newline
        for line in lines:
            line_number += 1
            if not line.strip(_SPACE):
                continue
            try:
                found = _read_value(line, 0, **options)
            except JSONError as exc:
                raise JSONError(
                    f"line {line_number} of the NDJSON stream: {exc}", None, line_number, exc.column
                ) from exc
            end = found[1] if found is not None else -1
            if found is None or line[end:].strip(_SPACE):
                raise JSONError(
                    f"line {line_number} of the NDJSON stream is not one JSON document",
                    None,
                    line_number,
                    None,
                )
            yield found[0]


def _array_items(buffer: bytes, chunks: Iterator[bytes], options: dict[str, Any]) -> Iterator[Any]:
    pos = 1  # past "["
    consumed = 0  # bytes dropped from the front of `buffer` (for error offsets)
    exhausted = False
    expect_item = True
    first = True

    def more() -> bool:
        nonlocal buffer, pos, consumed, exhausted
        if exhausted:
            return False
        chunk = next(chunks, None)
        if chunk is None:
            exhausted = True
            return False
        if pos > len(buffer) // 2:  # drop what was read, keep memory to about one record
            consumed += pos
            buffer, pos = buffer[pos:], 0
        buffer += chunk
        return True

    while True:
        while pos < len(buffer) and buffer[pos] in _SPACE:
            pos += 1
        if pos >= len(buffer):
            if more():
                continue
            raise JSONError("the JSON array ends before its closing ']'", consumed + pos)
        char = buffer[pos : pos + 1]
        if not expect_item:
            if char == b"]":
                pos += 1
                break
            if char != b",":
                raise JSONError(
                    f"expected ',' or ']' in the JSON array, found {char!r}", consumed + pos
                )
            pos += 1
            expect_item = True
            continue
        if char == b"]" and first:
            pos += 1
            break
        try:
            found = _read_value(buffer, pos, **options)
        except JSONError as exc:
            # a token cut by the buffer's end ("Na", "1e", "\u12"...) reads as an error near
            # it: read more and try again before believing it
            near_end = exc.offset is None or pos + exc.offset + _CUT_TOKEN >= len(buffer)
            if near_end and more():
                continue
            raise
        # a value running to the very end of what is read may go on (a number): read more
        if found is None or (found[1] >= len(buffer) and not exhausted):
            if more():
                continue
            if found is None:
                raise JSONError("the JSON array ends inside an item", consumed + pos)
        assert found is not None
        value, pos = found
        first = False
        expect_item = False
        yield value
    while True:
        if buffer[pos:].strip(_SPACE):
            raise JSONError("characters after the JSON array", consumed + pos)
        if not more():
            return
