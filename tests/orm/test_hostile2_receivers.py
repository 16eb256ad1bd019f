"""Receivers that re-enter the operation that sent them, and receivers whose ``__eq__``
raises. A ``pre_delete`` receiver deleting its own instance, or a ``post_save`` receiver
saving its own without end, recursed until Python's ``RecursionError`` (raised wherever the
stack ran out); it is now an ``ORMError`` naming the signal, and the operation is rolled
back as for any receiver's error. ``disconnect()`` compared every registered receiver with
``==``: one whose ``__eq__`` raises made disconnecting any other raise."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors
from ferrule.orm import signals

from .conftest import opened
from .models import Author


@pytest.fixture(autouse=True)
def _no_receivers_left() -> Any:
    yield
    for signal in (signals.pre_save, signals.post_save, signals.pre_delete, signals.post_delete):
        signal._receivers = [(s, r) for s, r in signal._receivers if s is not Author]


async def test_a_delete_receiver_deleting_its_instance_is_a_typed_error(url: str) -> None:
    async with opened(url):
        kept = await Author.create(name="kept")

        async def again(sender: Any, instance: Any, **kwargs: Any) -> None:
            await instance.delete()

        signals.pre_delete.connect(Author, again)
        with pytest.raises(errors.ORMError, match="pre_delete"):
            await kept.delete()
        signals.pre_delete.disconnect(Author, again)
        assert await Author.filter(name="kept").count() == 1


async def test_a_save_receiver_saving_its_instance_without_end_is_a_typed_error(
    url: str,
) -> None:
    async with opened(url):

        async def again(sender: Any, instance: Any, **kwargs: Any) -> None:
            instance.rating += 1
            await instance.save()

        signals.post_save.connect(Author, again)
        with pytest.raises(errors.ORMError, match="post_save"):
            await Author.create(name="looping")
        signals.post_save.disconnect(Author, again)
        assert await Author.filter(name="looping").count() == 0


class EqualityRaises:
    """A callable receiver whose ``__eq__`` raises."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, sender: Any, instance: Any, **kwargs: Any) -> None:
        self.calls += 1

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ raised")

    __hash__ = object.__hash__


class Holder:
    def __init__(self) -> None:
        self.calls = 0

    def heard(self, sender: Any, instance: Any, **kwargs: Any) -> None:
        self.calls += 1


async def test_disconnect_finds_receivers_by_identity(url: str) -> None:
    async with opened(url):
        odd, holder = EqualityRaises(), Holder()
        signals.post_save.connect(Author, odd)
        signals.post_save.connect(Author, holder.heard)
        assert signals.post_save.disconnect(Author, holder.heard) is True  # a new bound method
        assert signals.post_save.disconnect(Author, holder.heard) is False
        await Author.create(name="a")
        assert (odd.calls, holder.calls) == (1, 0)
        assert signals.post_save.disconnect(Author, odd) is True
        await Author.create(name="b")
        assert odd.calls == 1
