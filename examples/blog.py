"""A small blog with ferrule.orm on SQLite: authors, posts, tags, a transaction, a prefetch
and an aggregate. Run with `python examples/blog.py` (the suite runs it on both cores)."""

from __future__ import annotations

import asyncio
import datetime as dt

import ferrule
from ferrule import orm


class Author(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=100, unique=True)
    born: dt.date | None = None


class Tag(orm.Model):
    id: int = orm.Field(primary_key=True)
    label: str = orm.Field(max_length=30, unique=True)


class Post(orm.Model):
    id = orm.BigIntField(pk=True)
    title = orm.CharField(max_length=200, index=True)
    body = orm.TextField(default="")
    author = orm.ForeignKeyField(Author, related_name="posts", on_delete="cascade")
    tags = orm.ManyToManyField(Tag, related_name="posts")
    created = orm.DateTimeField(auto_now_add=True)

    class Meta:
        table = "posts"
        indexes = [("author", "created")]


async def main() -> None:
    db = await ferrule.connect("sqlite://")  # the first database opened is the default
    await orm.create_tables(Author, Tag, Post)

    async with orm.transaction():  # all of it, or none of it
        ada = await Author.create(name="Ada Lovelace", born=dt.date(1815, 12, 10))
        alan = await Author.create(name="Alan Turing")
        maths, machines = await Tag.create(label="maths"), await Tag.create(label="machines")
        notes = await Post.create(title="Notes on the Analytical Engine", author=ada)
        await notes.tags.add(maths, machines)
        paper = await Post.create(title="On Computable Numbers", author=alan)
        await paper.tags.add(maths)

    # one query for the authors, one for their posts, one each for the links and the tags
    authors = await Author.prefetch_related("posts__tags").order_by("name")
    for author in authors:
        for post in author.posts:
            print(f"{author.name}: {post.title} {[tag.label for tag in post.tags]}")
    assert [len(author.posts) for author in authors] == [1, 1]

    counts = await Tag.annotate(n=orm.Count("posts")).order_by("-n", "label").values("label", "n")
    assert counts == [{"label": "maths", "n": 2}, {"label": "machines", "n": 1}]

    post = await Post.select_related("author").get(title__startswith="On Comp")
    assert post.author.name == "Alan Turing"

    try:
        async with orm.transaction():
            await Author.create(name="Grace Hopper")
            await Author.create(name="Ada Lovelace")  # unique: the whole block rolls back
    except ferrule.IntegrityError:
        pass
    assert await Author.count() == 2

    await db.close()


if __name__ == "__main__":
    asyncio.run(main())
