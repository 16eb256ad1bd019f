"""Save and delete receivers are told the database the write went to (``using``, as
Django's): with two databases, a receiver writing through ``using`` writes where the
instance lives, in the write's transaction (rolled back with it), never silently on the
default database outside it."""

from __future__ import annotations

from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import opened
from .models import ALL, Author, Profile


class _Refused(Exception):
    pass


async def test_receivers_get_the_database_written(url: str, tmp_path: Any) -> None:
    async with opened(url) as default:
        other = await ferrule.connect(f"sqlite:///{tmp_path / 'other.db'}")
        seen: list[tuple[str, str, Any]] = []

        async def profiled(
            sender: type, instance: Any, created: bool, using: Any, **kw: Any
        ) -> None:
            seen.append(("post_save", instance.name, using))
            if created:
                await Profile(author=instance, bio=instance.name).save(using=using)
            if instance.name.startswith("refused"):
                raise _Refused

        def heard(sender: type, instance: Any, using: Any, **kw: Any) -> None:
            seen.append(("delete", instance.name, using))

        try:
            await orm.create_tables(*ALL, using=other)
            orm.post_save.connect(Author, profiled)
            orm.pre_delete.connect(Author, heard)
            try:
                here = await Author.create(name="here")
                there = Author(name="there")
                await there.save(using=other)
                with pytest.raises(_Refused):
                    await Author(name="refused there").save(using=other)
                await there.delete()
            finally:
                orm.post_save.disconnect(Author, profiled)
                orm.pre_delete.disconnect(Author, heard)
            assert seen == [
                ("post_save", "here", default),
                ("post_save", "there", other),
                ("post_save", "refused there", other),
                ("delete", "there", other),
            ]
            assert here.id is not None
            assert await Profile.values_list("bio", flat=True) == ["here"]
            assert await Profile.all().using(other).values_list("bio", flat=True) == []
            assert await Author.all().using(other).count() == 0
        finally:
            await other.close()
