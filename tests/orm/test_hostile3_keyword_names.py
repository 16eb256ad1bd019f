"""Keywords of an ORM model given as str subclasses whose ``__eq__``/``__hash__`` lie: the
native core reads a keyword by its text, the pure twin looked it up through the lying
methods, so ``Author(**{Liar("titel"): ...})`` filled ``name`` in silence there (the typo
today's extra='forbid' default exists to catch) and a keyword that says it equals nothing
was refused though its text names the field. Both cores now read the text of keywords and
of a mapping's keys."""

from __future__ import annotations

import pytest

from ferrule.errors import ValidationError

from .models import Author


class Liar(str):
    """Equal to every string, hashed as 'name'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("name")


class Hides(str):
    """Equal to no string (itself included)."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        return False


def test_a_keyword_is_the_field_its_text_names() -> None:
    with pytest.raises(ValidationError, match="titel"):
        Author(**{Liar("titel"): "x"})
    assert Author(**{Hides("name"): "ann"}).name == "ann"


def test_a_mapping_key_is_the_field_its_text_names() -> None:
    with pytest.raises(ValidationError, match="titel"):
        Author.model_validate({Liar("titel"): "x"})
    assert Author.model_validate({Hides("name"): "bo"}).name == "bo"
