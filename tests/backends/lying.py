"""Lists and tuples that lie about their length, shared by the hostile-input tests of the
database layer and the ORM (``list()``/``tuple()`` size their result by ``__len__``)."""

from __future__ import annotations

from typing import Any


class HugeList(list[Any]):
    def __len__(self) -> int:
        return 2**62


class HugeTuple(tuple[Any, ...]):
    def __len__(self) -> int:
        return 2**62


class LenRaises(list[Any]):
    def __len__(self) -> int:
        raise RuntimeError("__len__ was called")


class NegativeLen(list[Any]):
    def __len__(self) -> int:
        return -1
