"""`Discriminator` and `Tag`: pydantic's markers for discriminated unions.

``Field(discriminator="kind")`` names the field whose ``Literal`` value picks the model;
``Annotated[A | B, Discriminator(function)]`` with ``Annotated[A, Tag("a")]`` on each choice
lets a function of the input pick it instead. Both are read once, when the class is defined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Discriminator", "Tag"]


class Discriminator:
    """How a union finds the choice to validate: a field name, or a function of the raw input
    (a dict, a JSON object as a dict, or an object) that returns a `Tag` name, or None when
    the input carries no tag (a ``union_tag_not_found`` error)."""

    __slots__ = (
        "custom_error_context",
        "custom_error_message",
        "custom_error_type",
        "discriminator",
    )

    def __init__(
        self,
        discriminator: str | Callable[[Any], Any],
        custom_error_type: str | None = None,
        custom_error_message: str | None = None,
        custom_error_context: dict[str, Any] | None = None,
    ) -> None:
        if not (isinstance(discriminator, str) or callable(discriminator)):
            raise TypeError("Discriminator() takes a field name or a function")
        self.discriminator = discriminator
        self.custom_error_type = custom_error_type
        self.custom_error_message = custom_error_message
        self.custom_error_context = custom_error_context

    def __repr__(self) -> str:
        return f"Discriminator({self.discriminator!r})"


class Tag:
    """The name a callable `Discriminator` returns for this choice: ``Annotated[A, Tag("a")]``."""

    __slots__ = ("tag",)

    def __init__(self, tag: str) -> None:
        if not isinstance(tag, str):
            raise TypeError(f"Tag() takes a string, not {type(tag).__name__}")
        self.tag = tag

    def __repr__(self) -> str:
        return f"Tag({self.tag!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tag) and other.tag == self.tag

    def __hash__(self) -> int:
        return hash((Tag, self.tag))
