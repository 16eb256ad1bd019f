"""A signal receiver written as a generator (``def r(...): yield``, or ``async def`` with a
``yield``): calling it makes a generator, which the send neither awaits nor runs, so the
receiver's body never ran and every save went on as if it had, in silence (``@orm.atomic``
already refuses an async generator). It is now refused when registered."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened
from .models import Tag


def _sync(sender: Any, instance: Any, **kwargs: Any) -> Iterator[None]:
    instance.label = "seen"
    yield


async def _async(sender: Any, instance: Any, **kwargs: Any) -> AsyncIterator[None]:
    instance.label = "seen"
    yield


class _Calls:
    def __call__(self, sender: Any, instance: Any, **kwargs: Any) -> Iterator[None]:
        yield


@pytest.mark.parametrize("receiver", [_sync, _async, _Calls()], ids=["sync", "async", "object"])
def test_a_generator_receiver_is_refused(receiver: Any) -> None:
    with pytest.raises(ORMError, match="generator"):
        orm.pre_save.connect(Tag, receiver)
    with pytest.raises(ORMError, match="generator"):
        orm.post_save(Tag)(receiver)
    assert not orm.pre_save.disconnect(Tag, receiver)
    assert not orm.post_save.disconnect(Tag, receiver)


async def test_a_plain_receiver_still_runs(url: str) -> None:
    seen: list[str] = []

    async def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance.label)

    async with opened(url):
        orm.post_save.connect(Tag, receiver)
        try:
            await Tag.create(label="a")
        finally:
            orm.post_save.disconnect(Tag, receiver)
        assert seen == ["a"]
