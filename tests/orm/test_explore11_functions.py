"""Django's "Database functions" and "Query expressions" pages walked through: where a
function answered otherwise than Django documents, or differed between the databases."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables


class E11Flag(orm.Model):
    id: int = orm.Field(primary_key=True)
    ok = orm.BooleanField(default=False)
    maybe = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_e11_flag"


async def test_cast_of_a_bool_field_to_int(url: str) -> None:
    """Django's ``Cast("ok", IntegerField())`` is 1/0 on every database; SQLite and MariaDB
    raised a DataError (the column came back as a bool), PostgreSQL answered."""
    async with opened(url), own_tables(E11Flag):
        await E11Flag.create(ok=True, maybe=None)
        await E11Flag.create(ok=False, maybe=True)
        rows = E11Flag.order_by("id").annotate(
            n=orm.Cast("ok", orm.IntField()), m=orm.Cast("maybe", int)
        )
        assert await rows.values_list("n", "m") == [(1, None), (0, 1)]
        got = [(row.n, row.m) for row in await rows]
        assert got == [(1, None), (0, 1)]
        assert all(type(n) is int for n, _ in await rows.values_list("n", "m"))
        assert await rows.filter(n=1).values_list("id", flat=True) == [1]
