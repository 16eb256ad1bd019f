"""Relations as a Django user reads them.

* A relation and its key column given together (``Post(author=ann, author_id=bo.id)``) name
  two rows: ferrule kept the instance's key in silence (and ``model_copy(update=...)`` did
  too). Giving both is refused now when they differ, naming both keywords (the same row
  given both ways is accepted).
* A reverse one-to-one with no row read as None; Django raises
  ``RelatedObjectDoesNotExist``, a subclass of the related model's ``DoesNotExist`` and of
  ``AttributeError`` (``hasattr()`` is False), however the relation was loaded."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import RelationNotLoadedError, ValidationError

from .conftest import opened
from .models import Author, Post, Profile, Tag


def _names_both(error: ValidationError, relation: str) -> bool:
    text = str(error)
    return relation in text and f"{relation}_id" in text


async def test_a_relation_and_another_key_together_are_refused(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        with pytest.raises(ValidationError) as caught:
            Post(title="t", author_id=999, author=ann)
        assert _names_both(caught.value, "author")
        with pytest.raises(ValidationError) as caught:
            await Post.create(title="t", author=ann, author_id=bo.id)
        assert _names_both(caught.value, "author")
        assert await Post.all().count() == 0
        for given in ({"editor": None, "editor_id": bo.id}, {"editor": ann, "editor_id": None}):
            with pytest.raises(ValidationError) as caught:
                Post(title="t", author=ann, **given)
            assert _names_both(caught.value, "editor")
        with pytest.raises(ValidationError) as caught:
            Post.model_validate({"title": "t", "author": ann, "author_id": bo.id})
        assert _names_both(caught.value, "author")
        with pytest.raises(ValidationError) as caught:  # save() wrote ann's key
            Post.model_construct(title="t", author=ann, author_id=bo.id)
        assert _names_both(caught.value, "author")
        with pytest.raises(ValidationError) as caught:
            await Post.get_or_create(title="t", defaults={"author": ann, "author_id": bo.id})
        assert _names_both(caught.value, "author")
        assert await Post.all().count() == 0


async def test_the_same_row_given_both_ways_is_accepted(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        post = await Post.create(
            title="t", author=ann, author_id=ann.id, editor=None, editor_id=None
        )
        assert (post.author_id, post.author is ann, post.editor_id) == (ann.id, True, None)
        assert (await Post.get(pk=post.pk)).author_id == ann.id


async def test_model_copy_refuses_a_relation_and_another_key(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        post = await Post.create(title="t", author=ann)
        with pytest.raises(ValidationError) as caught:
            post.model_copy(update={"author": bo, "author_id": ann.id})
        assert _names_both(caught.value, "author")
        same = post.model_copy(update={"author": bo, "author_id": bo.id})
        assert (same.author_id, same.author is bo) == (bo.id, True)
        moved = post.model_copy(update={"author": bo})
        assert (moved.author_id, moved.author is bo) == (bo.id, True)


async def test_an_assigned_relation_then_key_keeps_the_key(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        post = Post(title="t", author_id=ann.id)
        post.author = bo
        post.title = "u"  # a validated assignment of another field
        assert post.author_id == bo.id
        post.author_id = ann.id  # Django: the key wins, the instance is dropped
        assert post.author_id == ann.id
        with pytest.raises(RelationNotLoadedError):
            post.author  # noqa: B018
        await post.save()
        assert (await Post.get(pk=post.pk)).author_id == ann.id


# -- a reverse one-to-one with no row ----------------------------------------------------------


async def _without_profile() -> tuple[Author, Author]:
    ann = await Author.create(name="ann")
    bo = await Author.create(name="bo")
    await Profile.create(author=bo, bio="hi")
    return ann, bo


def _no_profile(author: Author) -> None:
    with pytest.raises(Profile.DoesNotExist) as caught:
        author.profile  # noqa: B018
    error = caught.value
    assert isinstance(error, AttributeError)
    assert isinstance(error, Author.profile.RelatedObjectDoesNotExist)
    assert not isinstance(error, RelationNotLoadedError)
    assert "Author has no profile" in str(error)
    assert not hasattr(author, "profile")


async def test_a_missing_reverse_one_to_one_raises_does_not_exist(url: str) -> None:
    async with opened(url):
        await _without_profile()
        ann = await Author.prefetch_related("profile").get(name="ann")
        _no_profile(ann)
        ann = await Author.select_related("profile").get(name="ann")
        _no_profile(ann)
        ann = await Author.get(name="ann")
        with pytest.raises(RelationNotLoadedError):
            ann.profile  # noqa: B018
        await ann.fetch_related("profile")
        _no_profile(ann)
        ann = await Author.get(name="ann")
        await orm.fetch_related([ann], "profile")
        _no_profile(ann)
        bo = await Author.prefetch_related("profile").get(name="bo")
        assert bo.profile.bio == "hi"
        bo = await Author.select_related("profile").get(name="bo")
        assert bo.profile.bio == "hi"
        # to_attr holds the one row or None (Django's)
        (ann,) = await Author.prefetch_related(orm.Prefetch("profile", to_attr="p")).filter(
            name="ann"
        )
        assert ann.p is None


async def test_a_deleted_reverse_one_to_one_reads_as_missing(url: str) -> None:
    async with opened(url):
        _, bo = await _without_profile()
        await Profile.filter(author=bo).delete()
        bo = await Author.prefetch_related("profile").get(name="bo")
        _no_profile(bo)


async def test_a_refused_relation_assignment_leaves_the_key(url: str) -> None:
    """The pure twin wrote the key of the refused value (a Tag's pk as author_id) before the
    relation check refused it, and kept it: save() then wrote another author in silence."""
    async with opened(url):
        ann = await Author.create(name="ann")
        await Author.create(name="bo")
        await Tag.create(label="t")
        tag = await Tag.create(label="u")  # its key is bo's
        made = await Post.create(title="t", author=ann)
        for post in (await Post.get(pk=made.pk), made):
            with pytest.raises(ValidationError):
                post.author = tag
            assert post.author_id == ann.id
            with pytest.raises(ValidationError):
                post.author = Author(name="unsaved")
            assert post.author_id == ann.id
            with pytest.raises(ValidationError):
                post.author = None  # the key cannot be NULL
            assert post.author_id == ann.id
            await post.save()
        assert (await Post.get(pk=made.pk)).author_id == ann.id


async def test_a_one_to_one_given_its_instance_is_the_instance_s_reverse(url: str) -> None:
    """Django's one-to-one sets both sides: ``Profile(author=ann)`` is ``ann.profile`` at once.
    ferrule left ann's reverse as it was: not loaded, or, loaded with no row, a
    RelatedObjectDoesNotExist for the profile just made."""
    async with opened(url):
        await Author.create(name="ann")
        ann = await Author.prefetch_related("profile").get(name="ann")
        _no_profile(ann)
        made = await Profile.create(author=ann, bio="new")
        assert ann.profile is made
        bo = await Author.create(name="bo")
        other = Profile(author=bo)
        assert bo.profile is other
        other.author = ann  # moved: ann's reverse is it now
        assert ann.profile is other
