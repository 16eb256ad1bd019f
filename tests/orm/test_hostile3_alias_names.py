"""Names of ``annotate()`` and the new ``alias()`` given as str subclasses whose methods lie:
the checks a plain name meets (an identifier, no leading '_', no '__', no field's name) read
the text it holds, not what ``isidentifier()``/``startswith()``/``__contains__``/``__eq__``
say, as a plain str of the same text is refused (it was taken: '_p', '__x', 'a b')."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author

F = orm.F


class Pretends(str):
    """A name that says it is an identifier, without '_' first and without '__'."""

    def isidentifier(self) -> bool:
        return True

    def startswith(self, *args: Any) -> bool:  # type: ignore[override]
        return False

    def __contains__(self, part: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("text", ["a b", "_p", "__x", "x__y", "rating", 'x" --'])
@pytest.mark.parametrize("method", ["annotate", "alias"])
async def test_a_lying_name_is_refused_as_its_text_is(url: str, method: str, text: str) -> None:
    async with opened(url):
        await Author.create(name="ada", rating=3)
        with pytest.raises(FieldError):
            getattr(Author.all(), method)(**{text: F("rating")})
        with pytest.raises(FieldError):
            getattr(Author.all(), method)(**{Pretends(text): F("rating")})


async def test_an_alias_given_as_a_subclass_is_read_by_its_text(url: str) -> None:
    async with opened(url):
        await Author.create(name="ada", rating=3)
        await Author.create(name="bo", rating=1)
        found = (
            await Author.all()
            .alias(**{Pretends("r"): F("rating")})
            .filter(r__gt=2)
            .values_list("name", flat=True)
        )
        assert found == ["ada"]
        (row,) = await Author.all().annotate(**{Pretends("r"): F("rating")}).filter(r=1).values()
        assert type(next(iter(k for k in row if k == "r"))) is str
