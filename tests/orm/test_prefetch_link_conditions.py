"""A many-to-many ``Prefetch`` whose queryset filters through the link model: Django binds
each such condition to the prefetched link (``Author.filter(memberships__role="chair")``
prefetched as a club's members lists the chairs of *that* club); ferrule matched the target
rows to any of their links (every author chairing some club). The answers below are
Django 5's on the same rows (its sticky join of the link table), checked once by hand in
Django's own ORM."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import ORMError
from ferrule.orm import F, Prefetch, Q

from .conftest import opened
from .models import Author, Club, Membership


async def _world() -> None:
    ada, bo, cy = [await Author.create(name=n) for n in ("Ada", "Bo", "Cy")]
    chess, go = [await Club.create(name=n) for n in ("Chess", "Go")]
    for club, person, role in [
        (chess, ada, "chair"),
        (chess, bo, "member"),
        (go, ada, "member"),
        (go, cy, "chair"),
        (go, bo, "member"),
    ]:
        await Membership.create(club=club, person=person, role=role)


async def _lists(queryset: Any, name: str) -> dict[str, list[str]]:
    return {o.name: sorted(x.name for x in getattr(o, name)) for o in await queryset}


def _members(inner: Any) -> Any:
    return Club.order_by("id").prefetch_related(Prefetch("members", queryset=inner))


CASES = {
    "through the link": (
        lambda: _members(Author.filter(memberships__role="chair")),
        {"Chess": ["Ada"], "Go": ["Cy"]},
    ),
    "through the relation": (
        lambda: _members(Author.filter(clubs__name="Chess")),
        {"Chess": ["Ada", "Bo"], "Go": []},
    ),
    "in an earlier filter": (
        lambda: _members(Author.filter(memberships__role="chair").filter(name__gte="A")),
        {"Chess": ["Ada"], "Go": ["Cy"]},
    ),
    "beside a plain field": (
        lambda: _members(Author.filter(memberships__role="chair", name__gte="B")),
        {"Chess": [], "Go": ["Cy"]},
    ),
    "in an OR": (
        lambda: _members(Author.filter(Q(memberships__role="chair") | Q(name="Bo"))),
        {"Chess": ["Ada", "Bo"], "Go": ["Bo", "Cy"]},
    ),
    "plain fields only": (
        lambda: _members(Author.filter(name__gte="B").exclude(name="Cy")),
        {"Chess": ["Bo"], "Go": ["Bo"]},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_conditions_through_the_link_hold_for_each_link(url: str, case: str) -> None:
    make, expected = CASES[case]
    async with opened(url):
        await _world()
        assert await _lists(make(), "members") == expected


async def test_the_reverse_side_binds_them_too(url: str) -> None:
    async with opened(url):
        await _world()
        clubs = Prefetch("clubs", queryset=Club.filter(memberships__role="chair"))
        found = await _lists(Author.order_by("id").prefetch_related(clubs), "clubs")
        assert found == {"Ada": ["Chess"], "Bo": [], "Cy": ["Go"]}


@pytest.mark.parametrize(
    "inner",
    [
        lambda: Author.exclude(memberships__role="chair"),
        lambda: Author.filter(~Q(clubs__name="Go")),
        lambda: Author.filter(memberships__role=F("name")),
    ],
    ids=["exclude", "negated Q", "expression"],
)
async def test_what_cannot_be_bound_is_refused(url: str, inner: Any) -> None:
    async with opened(url):
        await _world()
        with pytest.raises(ORMError, match="Prefetch queryset that filters through the link"):
            await _members(inner())
