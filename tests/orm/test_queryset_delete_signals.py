"""``QuerySet.delete()`` sends ``pre_delete`` and ``post_delete`` for each deleted row, as
Django's does (its collector loads the instances when a receiver listens): every receiver
sees the instance with its key, the rows go in one transaction (a receiver that raises keeps
them), and the deleted instances lose their key afterwards. Without a receiver it stays one
``DELETE``."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm

from .conftest import opened
from .models import Author


async def test_queryset_delete_sends_the_delete_signals(url: str) -> None:
    seen: list[tuple[str, str, Any]] = []

    def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        if instance.name == "boom":
            raise RuntimeError("refused")
        seen.append(("pre", instance.name, instance.id))

    def after(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("post", instance.name, instance.id))

    async with opened(url):
        made = {n: await Author.create(name=n, rating=i) for i, n in enumerate(["a", "b", "c"])}
        orm.pre_delete.connect(before, sender=Author)
        orm.post_delete.connect(after, sender=Author)
        try:
            assert await Author.filter(rating__gte=1).order_by("name").delete() == 2
            assert sorted(seen) == sorted(
                [(k, n, made[n].id) for k in ("pre", "post") for n in ("b", "c")]
            )
            assert await Author.all().values_list("name", flat=True) == ["a"]
            await Author.create(name="boom")
            seen.clear()
            with pytest.raises(RuntimeError, match="refused"):
                await Author.all().delete()
            assert await Author.all().count() == 2 and not any(s[0] == "post" for s in seen)
        finally:
            orm.pre_delete.disconnect(before, sender=Author)
            orm.post_delete.disconnect(after, sender=Author)
