"""The query cache forgets the rows a delete's ``on_delete`` rules change in other tables:
a cached query of the parts of a box (``"cascade"``, at every depth) or of its slots
(``"set null"``) answered with the rows as they were before the box was deleted, because the
database, not ferrule, wrote those tables. The reference is the table read uncached."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import opened, own_tables
from .test_cascade_signals import MODELS, CsBit, CsBox, CsPart, CsSlot


async def _read(cached: bool) -> tuple[Any, ...]:
    def qs(model: Any) -> Any:
        return model.all().cached() if cached else model.all()

    return (
        sorted(await qs(CsPart).values_list("id", flat=True)),
        sorted(await qs(CsBit).values_list("id", flat=True)),
        sorted(await qs(CsSlot).values_list("id", "box_id")),
    )


@pytest.mark.parametrize("how", ["instance", "queryset"])
async def test_a_cached_query_sees_what_the_cascade_changed(url: str, how: str) -> None:
    async with opened(url), own_tables(*MODELS):
        box = await CsBox.create(label="x")
        other = await CsBox.create(label="y")
        for owner in (box, other):
            part = await CsPart.create(box_id=owner.id)
            await CsBit.create(part_id=part.id)
            await CsSlot.create(box_id=owner.id)
        assert await _read(True) == await _read(False)  # cached now
        if how == "instance":
            await box.delete()
        else:
            assert await CsBox.filter(label="x").delete() == 1
        fresh = await _read(False)
        assert len(fresh[0]) == len(fresh[1]) == 1 and None in [b for _, b in fresh[2]]
        assert await _read(True) == fresh
