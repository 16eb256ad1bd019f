"""Writing large JSON to a file a record at a time: the output is never held whole.

``ArrayWriter`` writes one top-level array, ``NDJSONWriter`` one document per line; both take a
binary or text file and are context managers (closing the array on a clean exit only: an
exception leaves the file unfinished rather than pretending the data is complete).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from typing_extensions import Self

from ferrule.errors import JSONError
from ferrule.json.codec import dumps_bytes

__all__ = ["ArrayWriter", "NDJSONWriter", "dump"]


class _Writer:
    """Encoding options and the file; ``write`` puts one record."""

    def __init__(
        self,
        file: Any,
        *,
        sort_keys: bool = False,
        default: Callable[[Any], Any] | None = None,
        allow_nan: bool = False,
    ) -> None:
        write = getattr(file, "write", None)
        if not callable(write):
            raise TypeError(f"a JSON writer needs a file with write(), not {type(file).__name__}")
        self._write = write
        self._text = not _is_binary(file)
        self._options: dict[str, Any] = {
            "sort_keys": sort_keys,
            "default": default,
            "allow_nan": allow_nan,
        }
        self.count = 0
        self.closed = False

    def _put(self, data: bytes) -> None:
        self._write(data.decode("utf-8") if self._text else data)

    def _record(self, value: Any) -> bytes:
        if self.closed:
            raise JSONError("the writer is closed: nothing more can be written")
        return dumps_bytes(value, **self._options)

    def write_all(self, values: Iterable[Any]) -> None:
        for value in values:
            self.write(value)

    def write(self, value: Any) -> None:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.closed = True  # an array stays unfinished on purpose: it is not complete


class ArrayWriter(_Writer):
    """``[record,record,...]`` written as the records come."""

    def write(self, value: Any) -> None:
        data = self._record(value)  # encoded first: a bad record writes nothing
        self._put((b"," if self.count else b"[") + data)
        self.count += 1

    def close(self) -> None:
        if not self.closed:
            self._put(b"]" if self.count else b"[]")
            self.closed = True


class NDJSONWriter(_Writer):
    """One JSON document per line (newline-delimited JSON)."""

    def write(self, value: Any) -> None:
        self._put(self._record(value) + b"\n")
        self.count += 1


def dump(
    obj: Any,
    file: Any,
    *,
    indent: int | None = None,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    allow_nan: bool = False,
) -> None:
    """``obj`` as JSON into ``file`` (binary: UTF-8 bytes; text: str)."""
    write = getattr(file, "write", None)
    if not callable(write):
        raise TypeError(f"dump() needs a file with write(), not {type(file).__name__}")
    data = dumps_bytes(
        obj, indent=indent, sort_keys=sort_keys, default=default, allow_nan=allow_nan
    )
    write(data if _is_binary(file) else data.decode("utf-8"))


def _is_binary(file: Any) -> bool:
    import io

    if isinstance(file, io.TextIOBase):
        return False
    if isinstance(file, (io.RawIOBase, io.BufferedIOBase)):
        return True
    mode = getattr(file, "mode", "")
    return isinstance(mode, str) and "b" in mode
