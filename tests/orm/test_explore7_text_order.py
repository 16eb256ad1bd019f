"""Text is ordered by code point on every database (the README's promise; MariaDB tables are
made ``utf8mb4_nopad_bin`` for it): ``order_by``, ``__gt``/``__lt``/``__range`` and
``Min``/``Max`` of a text field answer as Python's ``sorted``/``>`` on ``str``.

On PostgreSQL ferrule's tables took the database's default collation, and in a database made
with a linguistic one (``en_US.UTF-8``, ICU ``en-US``: the usual default outside containers,
``"a" < "B" < "b"``) ``filter(w__gt="B")`` missed ``"_x"``, ``"a"``, ``"b"``..., ``Max``
answered ``"Z"`` for ``"é"`` and ``order_by`` differed from SQLite and MariaDB, silently.
ferrule's text columns are now ``COLLATE "C"`` there; case is still folded by the database's
rules (``ILIKE``, ``~*`` under ``"C"`` fold ASCII only). The suite's own databases are
``C.UTF-8``, which orders by code point, so this test makes a database with the ICU ``en-US``
collation (its ``LC_CTYPE`` stays ``C.UTF-8``)."""

from __future__ import annotations

from typing import Any

import pytest

import ferrule
from ferrule import orm, sql
from ferrule.errors import SQLError
from ferrule.orm.schema import create_table_statements

from .conftest import opened, own_tables


class Word(orm.Model):
    id: int = orm.Field(primary_key=True)
    word = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_x7_word"


WORDS = ["a", "B", "b", "A", "é", "e", "Z", "_x", "a b", "ab"]


async def _linguistic(url: str) -> str:
    """The address of a database beside ``url``'s whose default collation is ICU ``en-US``,
    made if it is not there."""
    base, _, name = url.rpartition("/")
    linguistic = f"{name}_en_us"
    async with opened(url) as db:
        found = await db.fetch_val(
            "SELECT count(*) FROM pg_database WHERE datname = $1", [linguistic]
        )
        if not found:
            await db.execute(
                f'CREATE DATABASE "{linguistic}" TEMPLATE template0 LOCALE_PROVIDER icu'
                " ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
    return f"{base}/{linguistic}"


async def _answers(url: str) -> dict[str, Any]:
    db = await ferrule.connect(url)
    orm.set_default(db)
    try:
        async with own_tables(Word):
            for key, word in enumerate(WORDS, 1):
                await Word.create(id=key, word=word)
            found = await Word.aggregate(high=orm.Max("word"), low=orm.Min("word"))
            folded = {
                "icontains": Word.filter(word__icontains="É"),
                "iexact": Word.filter(word__iexact="A"),
                "istartswith": Word.filter(word__istartswith="A"),
                "iregex": Word.filter(word__iregex="^A$"),  # (past ASCII: refused, orm.regex_core)
            }
            return {
                **{k: sorted(await q.values_list("word", flat=True)) for k, q in folded.items()},
                "order_by": await Word.order_by("word").values_list("word", flat=True),
                "gt": sorted(await Word.filter(word__gt="B").values_list("word", flat=True)),
                "range": sorted(
                    await Word.filter(word__range=("A", "b")).values_list("word", flat=True)
                ),
                "max": found["high"],
                "min": found["low"],
            }
    finally:
        orm.set_default(None)
        await db.close()


async def test_text_is_ordered_by_code_point(url: str, dialect: str) -> None:
    if dialect == "postgres":
        url = await _linguistic(url)
    answers = await _answers(url)
    assert answers == {
        "icontains": ["é"],
        "iexact": ["A", "a"],
        "istartswith": ["A", "a", "a b", "ab"],
        "iregex": ["A", "a"],
        "order_by": sorted(WORDS),
        "gt": sorted(w for w in WORDS if w > "B"),
        "range": sorted(w for w in WORDS if "A" <= w <= "b"),
        "max": max(WORDS),
        "min": min(WORDS),
    }


def test_text_columns_are_collated_c_on_postgres_only() -> None:
    created = create_table_statements(Word, dialect="postgres")[0].compile("postgres")[0]
    assert '"word" VARCHAR(10) COLLATE "C" NOT NULL' in created
    assert '"id" INTEGER' in created and created.count("COLLATE") == 1
    for dialect in ("sqlite", "mysql"):
        made = create_table_statements(Word, dialect=dialect)[0].compile(dialect)[0]
        assert 'COLLATE "C"' not in made and "COLLATE `C`" not in made
    with pytest.raises(SQLError, match="collation"):
        sql.column_def("x", "text", collation='C" NOT NULL --')
