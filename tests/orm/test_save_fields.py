"""``save(update_fields=[])`` skips the save, as Django documents ("An empty update_fields
iterable will skip the save"): no statement, no ``pre_save``/``post_save``. Before, both
signals were sent for a save that wrote nothing (an unsaved instance was even inserted whole).
"""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened, own_tables


class Counter(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = 0

    class Meta:
        table = "ormt_save_fields_counter"


async def test_empty_update_fields_skip_the_save(url: str) -> None:
    sent: list[Any] = []

    def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
        sent.append(("pre", kwargs.get("update_fields")))

    def post(sender: Any, instance: Any, **kwargs: Any) -> None:
        sent.append(("post", kwargs.get("update_fields")))

    orm.pre_save.connect(Counter, pre)
    orm.post_save.connect(Counter, post)
    try:
        async with opened(url), own_tables(Counter):
            made = await Counter.create()
            sent.clear()
            made.n = 5
            await made.save(update_fields=[])
            await Counter(n=7).save(update_fields=())
            assert sent == []
            assert await Counter.values_list("n", flat=True) == [0]
            await made.save(update_fields={"n"})
            assert sent == [("pre", ["n"]), ("post", ["n"])]
            assert await Counter.values_list("n", flat=True) == [5]
    finally:
        orm.pre_save.disconnect(Counter, pre)
        orm.post_save.disconnect(Counter, post)


async def test_django_connects_a_receiver_by_keyword(url: str) -> None:
    """Django's spelling, ``signal.connect(receiver, sender=Model)`` (and ``disconnect``),
    registers as ``connect(Model, receiver)`` does; it was a TypeError ("got multiple values
    for argument 'sender'")."""
    seen: list[int] = []

    def post(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(instance.n)

    orm.post_save.connect(post, sender=Counter)
    try:
        async with opened(url), own_tables(Counter):
            await Counter.create(n=3)
            assert seen == [3]
    finally:
        assert orm.post_save.disconnect(post, sender=Counter)
    assert not orm.post_save.disconnect(post, sender=Counter)
    with pytest.raises(TypeError, match="sender=Model"):
        orm.post_save.connect(post)


async def test_callable_defaults_are_called_when_used(url: str) -> None:
    """Django: the values in ``defaults`` of ``get_or_create``/``update_or_create`` may be
    callables, called only when the row is made or updated. The function itself was
    validated as the field's value (a ValidationError)."""
    calls: list[int] = []

    def next_n() -> int:
        calls.append(1)
        return 40 + len(calls)

    async with opened(url), own_tables(Counter):
        made, created = await Counter.get_or_create(id=1, defaults={"n": next_n})
        assert (created, made.n, len(calls)) == (True, 41, 1)
        found, created = await Counter.get_or_create(id=1, defaults={"n": next_n})
        assert (created, found.n, len(calls)) == (False, 41, 1)
        updated, created = await Counter.update_or_create(id=1, defaults={"n": next_n})
        assert (created, updated.n) == (False, 42)
        assert await Counter.values_list("n", flat=True) == [42]


async def test_update_fields_of_an_unsaved_instance_is_refused(url: str) -> None:
    """Django: "Cannot force an update in save() with no primary key". ``update_fields``
    asks for an update of those fields; an instance without a key has no row to update.
    Before, the whole row was inserted."""
    async with opened(url), own_tables(Counter):
        with pytest.raises(ORMError, match=r"Counter.*update_fields"):
            await Counter(n=3).save(update_fields=["n"])
        assert await Counter.count() == 0
