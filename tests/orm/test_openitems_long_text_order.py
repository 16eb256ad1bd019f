"""``order_by()`` of long text: MariaDB sorts by the first ``max_sort_length`` bytes of a
value only (1,024 by default), so texts sharing a longer prefix came in the order the rows
happened to be in (silently: 'aaa...z' before 'aaa...b'). ferrule's MariaDB sessions sort by
the first 16 KiB (more runs out of the default sort buffer when a sort names several long
texts), as PostgreSQL and SQLite sort whole values; so do sessions reset on release."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables

PREFIX = "é" * 1500  # 3,000 bytes in UTF-8, counted 4 a character by utf8mb4 anyway


class Page(orm.Model):
    id: int = orm.Field(primary_key=True)
    url = orm.CharField(max_length=2000)
    body: str = orm.TextField()

    class Meta:
        table = "ormt_oi_page"


async def test_long_texts_order_as_python(url: str, dialect: str) -> None:
    async with opened(url) as db, own_tables(Page):
        tails = ["z", "b", "m", "a"]
        for tail in tails:
            await Page.create(url=PREFIX + tail, body=PREFIX * 3 + tail)
        want = sorted(PREFIX + t for t in tails)
        for _ in range(2):  # a second connection from the pool, or the same one reset
            assert await Page.order_by("url").values_list("url", flat=True) == want
            bodies = await Page.order_by("-body").values_list("body", flat=True)
            assert bodies == sorted((PREFIX * 3 + t for t in tails), reverse=True)
            if dialect == "mysql":
                async with db.transaction():
                    await db.execute("SET @x = 1")  # a changed session: reset on release
