"""``get_or_create``/``update_or_create`` make a new row from the lookup's plain keywords
(those without ``__``), as Django's. A keyword name given as a str subclass was asked
``"__" in name`` through its own ``__contains__``: one answering True had its value dropped
from the row made (``body="hello"`` made a row with the default body, found by no later
lookup), in silence. The name is read by the text it holds."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post


class AlwaysDunder(str):
    def __contains__(self, part: object) -> bool:
        return True


class NeverDunder(str):
    def __contains__(self, part: object) -> bool:
        return False


async def _made(how: str, ann: Any, **lookup: Any) -> tuple[Any, bool]:
    if how == "manager":
        return await ann.posts.get_or_create(**lookup)  # type: ignore[no-any-return]
    if how == "update":
        return await Post.update_or_create(author=ann, **lookup)  # type: ignore[no-any-return]
    return await Post.get_or_create(author=ann, **lookup)  # type: ignore[no-any-return]


@pytest.mark.parametrize("how", ["model", "update", "manager"])
async def test_a_plain_keyword_is_written_whatever_its_name_says(url: str, how: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        post, made = await _made(how, ann, title="x", **{AlwaysDunder("body"): "hello"})
        assert made and post.body == "hello"
        assert await Post.filter(pk=post.pk).values_list("body", flat=True) == ["hello"]
        again, made = await _made(how, ann, title="x", **{AlwaysDunder("body"): "hello"})
        assert not made and again.pk == post.pk
        plain, _ = await _made(how, ann, title="y", body__startswith="h")  # Django: not written
        liar, _ = await _made(how, ann, title="z", **{NeverDunder("body__startswith"): "h"})
        assert (liar.body, plain.body) == ("", "")


class HiddenName(str):
    """A name no other compares equal to, hashed apart: ``in`` never finds it."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 12345


@pytest.mark.parametrize("name", ["author", "author_id"])
@pytest.mark.parametrize("where", ["lookup", "defaults", "create"])
async def test_a_reverse_manager_sees_its_key_under_any_name(
    url: str, name: str, where: str
) -> None:
    """``ann.posts.get_or_create(defaults={<author>: bo})`` made bo's post: the manager's
    check of the key given looked it up with ``in``, which the subclass's hash defeats."""
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        given = {HiddenName(name): bo if name == "author" else bo.pk}
        with pytest.raises(FieldError, match="names another row"):
            if where == "lookup":
                await ann.posts.get_or_create(title="t", **given)
            elif where == "defaults":
                await ann.posts.get_or_create(title="t", defaults=given)
            else:
                await ann.posts.create(title="t", **given)
        assert await Post.filter(title="t").count() == 0
        mine = {HiddenName(name): ann if name == "author" else ann.pk}
        post, made = await ann.posts.update_or_create(title="u", defaults=mine)
        assert made and post.author_id == ann.pk
