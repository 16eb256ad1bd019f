"""Relations as a Django user reads them.

* A relation and its key column given together (``Post(author=ann, author_id=bo.id)``) name
  two rows: ferrule kept the instance's key in silence (and ``model_copy(update=...)`` did
  too). Giving both is refused now when they differ, naming both keywords (the same row
  given both ways is accepted).
* A reverse one-to-one with no row read as None; Django raises
  ``RelatedObjectDoesNotExist``, a subclass of the related model's ``DoesNotExist`` and of
  ``AttributeError`` (``hasattr()`` is False), however the relation was loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

import ferrule
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


async def test_a_new_row_related_to_another_database_s_row_is_written_there(
    tmp_path: Path,
) -> None:
    """Django's: a new instance given a related instance read through ``using(db)`` is
    saved to that database (the related instance is the router's hint). ferrule wrote it
    to the default database with the other database's key: an IntegrityError there, or in
    silence a row related to the default database's row of that key."""
    first = await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}")
    second = await ferrule.connect(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        orm.set_default(first)
        for db in (first, second):
            await orm.create_tables(Author, Tag, Post, using=db)
        await Author.create(name="a1")
        await Author.create(name="a2")  # the default's row of bo's key
        await Author.create(name="b1", using=second)
        bo = await Author.create(name="bo", using=second)
        made = await Post.create(title="t", author=bo)
        saved = Post(title="u", author=await Author.all().using(second).get(name="bo"))
        await saved.save()
        assert await Post.all().using(first).count() == 0
        titles = await Post.all().using(second).order_by("title").values_list("title", flat=True)
        assert titles == ["t", "u"]
        made.title = "t2"
        await made.save()  # back to where it is
        assert await Post.filter(title="t2").using(second).count() == 1
    finally:
        orm.set_default(None)
        await first.close()
        await second.close()
