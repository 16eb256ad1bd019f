"""The QuerySet methods that make another kind of queryset: ``none()`` (``orm.empty``) and
``union()``, ``intersection()``, ``difference()`` (``orm.combined``). A mixin of ``QuerySet``,
so that those modules load only when one is called."""

from __future__ import annotations

from typing import Any

from typing_extensions import Self

__all__ = ["Combining"]


class Combining:
    __slots__ = ()

    def none(self) -> Self:
        """A queryset matching no row, answered without a query (``orm.empty``)."""
        from ferrule.orm.empty import emptied

        return emptied(self)  # type: ignore[arg-type,return-value]

    def union(self, *others: Any, all: bool = False) -> Self:
        """The rows of this queryset or of any of ``others``; ``all=True`` keeps repeats."""
        return self._combine("union", others, all)

    def intersection(self, *others: Any) -> Self:
        """The rows of this queryset that each of ``others`` has too."""
        return self._combine("intersection", others, False)

    def difference(self, *others: Any) -> Self:
        """The rows of this queryset that none of ``others`` has."""
        return self._combine("difference", others, False)

    def _combine(self, kind: str, others: tuple[Any, ...], keep: bool) -> Self:
        from ferrule.orm.combined import combine

        return combine(self, kind, others, keep)  # type: ignore[arg-type,return-value]
