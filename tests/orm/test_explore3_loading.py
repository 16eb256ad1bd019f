"""Loading relations as a Django user does beyond one query: the relations of instances
already in hand (Django's ``prefetch_related_objects``), counted in statements sent."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables
from .test_explore3_relations import MODELS, XDoc, XLabel, XPerson, _data


class Statements:
    """How many statements the database was sent, through its hook."""

    def __init__(self, db: Any) -> None:
        self.count = 0
        db.add_hook(before=self)

    def __call__(self, event: Any) -> None:
        self.count += 1


async def test_fetch_related_loads_a_list_of_instances_in_one_query_a_level(url: str) -> None:
    """orm.fetch_related(instances, ...) did not exist: instances gathered from several
    queries needed a fetch_related() each (a query per instance and relation). One query
    per level for all of them now, as prefetch_related would have sent."""
    async with opened(url) as db, own_tables(*MODELS):
        await _data()
        docs = [await XDoc.get(title="d3"), *await XDoc.filter(title__in=["d1", "d2"])]
        sent = Statements(db)
        await orm.fetch_related(docs, "writer__org", "reviewer", "labels")
        # writer, its org, reviewer; labels: the links, then the rows
        assert sent.count == 5
        got = sorted(
            (
                d.title,
                d.writer.name,
                d.writer.org and d.writer.org.code,
                d.reviewer and d.reviewer.name,
                sorted(label.text for label in d.labels),
            )
            for d in docs
        )
        assert got == [
            ("d1", "Ann", "acme", "Bob", ["green", "red"]),
            ("d2", "Ann", "acme", None, ["green"]),
            ("d3", "Bob", "acme", "Ann", ["blue", "green", "red"]),
        ]
        await orm.fetch_related([], "anything")  # nothing to load: no query, no check
        assert sent.count == 5
        people = await XPerson.all()
        await orm.fetch_related(people, orm.Prefetch("written", XDoc.filter(pages__gt=6)))
        assert sorted((p.name, len(p.written)) for p in people) == [
            ("Ann", 2),
            ("Bob", 0),
            ("Cy", 0),
        ]
        with pytest.raises(FieldError, match="a XLabel among XDoc instances"):
            await orm.fetch_related([*docs, await XLabel.first()], "writer")
        with pytest.raises(FieldError, match="no relation 'author'"):
            await orm.fetch_related(docs, "author")


async def test_only_and_defer_name_fields_of_select_related_models(url: str) -> None:
    """Django's select_related("writer").only("title", "writer__name"): ferrule said "XDoc
    has no field 'writer__name'; did you mean 'writer_id'?". The joined model loads the
    named fields and its key now (the rest deferred: reading one raises), defer() leaves
    a related field out, and a path select_related() does not load is a FieldError."""
    async with opened(url) as db, own_tables(*MODELS):
        await _data()
        sent = Statements(db)
        docs = await XDoc.select_related("writer").only("title", "writer__name").order_by("title")
        assert sent.count == 1
        assert [(d.title, d.writer.name) for d in docs] == [
            ("d1", "Ann"),
            ("d2", "Ann"),
            ("d3", "Bob"),
        ]
        with pytest.raises(AttributeError, match="only"):
            docs[0].writer.age  # noqa: B018
        with pytest.raises(AttributeError, match="only"):
            docs[0].pages  # noqa: B018
        deep = XDoc.select_related("writer__org").only("title", "writer__org__name")
        assert sorted((d.title, d.writer.org.name) for d in await deep) == [
            ("d1", "Acme"),
            ("d2", "Acme"),
            ("d3", "Acme"),
        ]
        lean = await XDoc.select_related("writer").defer("writer__age").get(title="d3")
        assert lean.writer.name == "Bob" and lean.pages == 5
        with pytest.raises(AttributeError, match="defer"):
            lean.writer.age  # noqa: B018
        lean.title = "d3b"
        await lean.save()  # the loaded fields only
        assert await XDoc.filter(title="d3b").values_list("pages", "writer__age") == [(5, None)]
        with pytest.raises(FieldError, match=r"add select_related\('writer'\)"):
            await XDoc.only("title", "writer__name")
        with pytest.raises(FieldError, match="to-many relation"):
            XDoc.select_related("writer").only("labels__text")
        with pytest.raises(FieldError, match="did you mean 'name'"):
            XDoc.select_related("writer").only("writer__nme")
        with pytest.raises(FieldError, match="primary key of XPerson"):
            XDoc.select_related("writer").defer("writer__id")


class XFriend(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10)
    friends = orm.ManyToManyField("self")
    follows = orm.ManyToManyField("self", symmetrical=False, related_name="followers")

    class Meta:
        table = "ormt_x3_friend"


async def test_a_many_to_many_with_self_is_symmetrical_as_in_django(url: str) -> None:
    """Django's ManyToManyField("self") is symmetrical: a.friends.add(b) makes a b's friend
    too. ferrule's linked one way only (b.friends was empty, a filter from b's side found
    nothing): silently not what a Django user declared. Links are written and removed both
    ways now; symmetrical=False keeps one-way links with a reverse accessor."""
    async with opened(url) as db, own_tables(XFriend):
        a, b, c = [await XFriend.create(name=n) for n in "abc"]
        await a.friends.add(b, c)
        await b.friends.add(c)
        assert await b.friends.all().order_by("name").values_list("name", flat=True) == [
            "a",
            "c",
        ]
        both = await db.fetch_all("SELECT COUNT(*) FROM ormt_x3_friend_friends")
        assert int(both[0][0]) == 6  # three friendships, a row each way
        assert await XFriend.filter(friends__name="a").order_by("name").values_list(
            "name", flat=True
        ) == ["b", "c"]
        got = {
            f.name: sorted(x.name for x in f.friends)
            for f in await XFriend.prefetch_related("friends")
        }
        assert got == {"a": ["b", "c"], "b": ["a", "c"], "c": ["a", "b"]}
        await c.friends.remove(a)
        assert await a.friends.all().values_list("name", flat=True) == ["b"]
        await b.friends.clear()
        assert await a.friends.count() == 0 and await c.friends.count() == 0
        await a.friends.set([c])
        assert await c.friends.all().values_list("name", flat=True) == ["a"]
        assert not hasattr(XFriend, "xfriend_set")  # no reverse accessor, as in Django
        await a.follows.add(b)
        assert await b.follows.count() == 0
        assert await b.followers.all().values_list("name", flat=True) == ["a"]
