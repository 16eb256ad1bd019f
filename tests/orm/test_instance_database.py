"""An instance remembers the database it was loaded from or saved to (Django's
``instance._state.db``): with two databases open, ``save()``, ``delete()``,
``refresh_from_db()`` and its related managers go back to that database, never to the
default one, which may hold another row under the same key."""

from __future__ import annotations

import os

import ferrule
from ferrule import orm

from .conftest import opened
from .models import ALL, Author, Post


async def test_an_instance_goes_back_to_its_own_database(
    url: str, tmp_path: os.PathLike[str]
) -> None:
    async with opened(url) as here:
        other = await ferrule.connect(f"sqlite:///{os.path.join(tmp_path, 'other.db')}")
        try:
            await orm.create_tables(*ALL, using=other)
            await Author.create(name="home", rating=1)  # the default's row, same key
            away = await Author.create(name="away", rating=2, using=other)
            await Post.create(title="p", author=away, using=other)
            loaded = await Author.all().using(other).get(name="away")
            assert await loaded.posts.all().values_list("title", flat=True) == ["p"]
            await loaded.fetch_related("posts")
            assert [p.title for p in loaded.posts] == ["p"]
            await loaded.posts.create(title="q")
            assert await Post.all().using(other).count() == 2
            loaded.rating = 5
            await loaded.save()
            away.rating = 7
            await away.save(update_fields=["rating"])
            await loaded.refresh_from_db()
            assert loaded.rating == 7
            await loaded.delete()
            assert await Author.all().values_list("name", "rating") == [("home", 1)]
            assert await Author.all().using(other).count() == 0
            assert here is not other
        finally:
            await other.close()
