"""Differential test of ferrule.orm's writes against Django's: one script of writes run by
both libraries on the same kind of database, each over its own tables (``djangowrite_world``):
``djangowrite_steps`` (create, save, update with F and Case/When, delete with cascade, set
null, restrict and protect, bulk_create and its conflicts, bulk_update, get_or_create,
update_or_create, many-to-many and reverse managers, select_for_update, nested transactions),
then ``djangowrite_edges``, ``djangowrite_instances``, ``djangowrite_more``,
``djangowrite_onetoone`` and ``djangowrite_trees`` (each module says what it adds). After
every step both worlds' tables are read through the database's own driver, never through
either ORM, and compared, with what the step returned (row counts, ``(instance, created)``,
instances' fields, and their keys as the rows they name); and ferrule's tables read through
its query cache must still be what they hold (no stale entry left by the write).

ferrule on SQLite is judged by Django on SQLite, on PostgreSQL by Django on PostgreSQL, on
MariaDB by Django on MariaDB (through PyMySQL). Django's steps run first, synchronously,
outside any event loop; then ferrule's, in one ``asyncio.run``. A failure lists each step
that differs, with both answers and the rows that differ.

Where the two differ by design, ``DELIBERATE`` says so, and why, step by step."""

from __future__ import annotations

import asyncio
import decimal
import textwrap
from collections.abc import Callable
from typing import Any

from . import djangoref_world as ref
from . import djangowrite_world as world
from .conftest import opened, own_tables
from .djangowrite_edges import EDGES
from .djangowrite_instances import INSTANCES
from .djangowrite_more import MORE
from .djangowrite_onetoone import ONE_TO_ONE
from .djangowrite_steps import STEPS, Step
from .djangowrite_trees import TREES
from .native_rows import NativeRows

SCRIPT = STEPS + EDGES + INSTANCES + MORE + ONE_TO_ONE + TREES
Answer = tuple[str, Any]  # ("ok", canonical value) or ("error", category)
Tables = dict[str, list[tuple[Any, ...]]]

#: the class an error is compared by: the first of these its class (or a base) is named
_CATEGORIES = (
    "IntegrityError",
    "DoesNotExist",
    "MultipleObjectsReturned",
    "DataError",
    "DatabaseError",
    "FieldError",
    "ValueError",
    "TypeError",
    "AttributeError",
)


def _category(error: BaseException) -> str:
    names = {cls.__name__ for cls in type(error).__mro__}
    for name in _CATEGORIES:
        if name in names:
            return name
    return type(error).__name__


def _canonical(value: Any, keys: dict[str, dict[Any, Any]]) -> Any:
    """``value`` as plain data; an instance as its model, fields and key, each key as the
    names of the row it names now (``("row", names)``, ``("no row", )`` when none has it)."""
    from django.db.models import QuerySet

    if isinstance(value, QuerySet):
        value = list(value)
    if isinstance(value, (list, tuple)):
        return [_canonical(item, keys) for item in value]
    model = world.LOGICAL.get(type(value))
    if model is not None:
        fields = {}
        for name in world.FIELDS[model]:
            field = getattr(value, name)
            table = world.KEYS.get((model, name))
            fields[name] = field if table is None else _row(keys[table], field)
        return {"model": model, "pk": _row(keys[world.TABLES[model]], value.pk), **fields}
    if isinstance(value, decimal.Decimal):
        return value.normalize() if value else decimal.Decimal(0)
    return value


def _row(names: dict[Any, Any], key: Any) -> Any:
    if key is None:
        return None
    return ("row", names[key]) if key in names else ("no row",)


def _body(step: Step, text: str, asynchronous: bool) -> str:
    head = "async def _step():\n" if asynchronous else "def _step():\n"
    return head + textwrap.indent(text.strip("\n"), "    ") + "\n"


def _run_django(alias: str, reader: NativeRows) -> list[tuple[Answer, Tables]]:
    world.django_create(alias)
    try:
        names = world.django_names(alias) | {
            "NAME_KEY": None if alias == "mysql" else ["name"],
            "ONE_KEY": None if alias == "mysql" else ["author"],
            "HOLDER_KEY": None if alias == "mysql" else ["holder"],
        }
        results = []
        for step in SCRIPT:
            scope = dict(names)
            exec(_body(step, step.django_text(), asynchronous=False), scope)
            answer: Answer
            try:
                got = scope["_step"]()
                keys = world.names_by_key(reader, world.DJANGO_NAMES)
                answer = ("ok", _canonical(got, keys))
            except Exception as error:
                answer = ("error", _category(error))
            results.append((answer, world.dump(reader, world.DJANGO_NAMES)))
        return results
    finally:
        world.django_drop(alias)


async def _run_ferrule(url: str, reader: NativeRows) -> list[tuple[Answer, Tables]]:
    names = world.ferrule_names() | {
        "NAME_KEY": ["name"],
        "ONE_KEY": ["author"],
        "HOLDER_KEY": ["holder"],
    }
    results = []
    async with opened(url), own_tables(*world.FERRULE_MODELS):
        for step in SCRIPT:
            scope = dict(names)
            exec(_body(step, step.text, asynchronous=True), scope)
            answer: Answer
            try:
                got = await scope["_step"]()
                keys = world.names_by_key(reader, world.FERRULE_NAMES)
                answer = ("ok", _canonical(got, keys))
            except Exception as error:
                answer = ("error", _category(error))
            tables = world.dump(reader, world.FERRULE_NAMES)
            cached = await world.cached_reads()
            for table, rows in cached.items():
                if not world.same_rows(rows, tables[table]):
                    tables[f"{table} (ferrule's cached read)"] = rows
            results.append((answer, tables))
    return results


def _same_refusal(want: Answer, have: Answer) -> bool:
    """Django's ValueError for a name that is no field (or no column) is ferrule's
    FieldError, which is a ValueError too."""
    return want == ("error", "ValueError") and have == ("error", "FieldError")


def _both_refuse(django: str, ferrule: str) -> Callable[[str, Answer, Answer], bool]:
    return lambda dialect, want, have: want == ("error", django) and have == ("error", ferrule)


def _last_differs(dialect: str, want: Answer, have: Answer) -> bool:
    """The answers agree but for their last item (a flag of the instance's key)."""
    return want[0] == have[0] == "ok" and want[1][:-1] == have[1][:-1]


#: step name -> (why the answers differ, the test that they differ only so: dialect, Django's
#: answer, ferrule's answer). The tables must still agree: each of these is a refusal both
#: make with another class, or an instance's state, never a row.
DELIBERATE: dict[str, tuple[str, Callable[[str, Answer, Answer], bool]]] = {
    "save(update_fields): the row was deleted meanwhile": (
        "Django raises a DatabaseError ('Save with update_fields did not affect any rows.'), "
        "ferrule the model's DoesNotExist naming the key: both write nothing",
        _both_refuse("DatabaseError", "DoesNotExist"),
    ),
    "save(force_update=True) of a new instance": (
        "Django raises a ValueError ('Cannot force an update in save() with no primary "
        "key.'), ferrule the model's DoesNotExist (no row has that key): both write nothing",
        _both_refuse("ValueError", "DoesNotExist"),
    ),
    "delete(): an instance already deleted": (
        "a deleted instance has no key: Django's ValueError, ferrule's ORMError",
        _both_refuse("ValueError", "ORMError"),
    ),
    "delete(): an unsaved instance": (
        "an unsaved instance has no key: Django's ValueError, ferrule's ORMError",
        _both_refuse("ValueError", "ORMError"),
    ),
    "select_for_update() outside a transaction": (
        "README: outside a transaction select_for_update() would lock nothing, and is an "
        "ORMError on every database; Django raises TransactionManagementError (a "
        "DatabaseError) on PostgreSQL and MariaDB and reads the rows on SQLite, which has "
        "no FOR UPDATE",
        lambda dialect, want, have: (
            have == ("error", "ORMError")
            and (want[0] == "ok" if dialect == "sqlite" else want == ("error", "DatabaseError"))
        ),
    ),
    "transaction(): an inner block rolled back, the outer committed": (
        "README: a key the database made in a block that rolls back is taken back (None); "
        "Django's instance keeps it",
        _last_differs,
    ),
    "transaction(): a cascading delete rolled back": (
        "README: a deleted instance has no key until the block of its delete rolls back; "
        "Django's instance keeps None",
        _last_differs,
    ),
    "update(): a sliced QuerySet (rolled back)": (
        "Django refuses a slice's update() (TypeError); ferrule updates the slice's rows, "
        "by key when it has no order (orm.writes.matching_keys)",
        lambda dialect, want, have: want == ("error", "TypeError") and have == ("ok", 1),
    ),
    "delete(): a sliced QuerySet (rolled back)": (
        "as update(): Django refuses a slice's delete(), ferrule deletes the slice's rows",
        lambda dialect, want, have: want == ("error", "TypeError") and have == ("ok", 1),
    ),
    "bulk_create(update_conflicts): a name twice in the batch (rolled back)": (
        "PostgreSQL refuses an upsert statement that affects a row a second time, and "
        "Django's bulk_create() with it; ferrule cuts the batch there (bulk._once_each), so "
        "the later row updates the row the earlier one wrote, as on SQLite and MariaDB",
        lambda dialect, want, have: (
            dialect == "postgres"
            and want == ("error", "DatabaseError")
            and have == ("ok", [[["e-six", 1, True], ["e-six", 2, True]], [["e-six", 2]]])
        ),
    ),
    "create(): a key given, then one made": (
        "README: a key given to a generated key column moves PostgreSQL's key sequence past "
        "it, so the next key made follows it as on MariaDB and SQLite; Django's next key "
        "comes from the sequence where it was (and would clash once it reached the key given)",
        lambda dialect, want, have: (
            dialect == "postgres" and want == ("ok", False) and have == ("ok", True)
        ),
    ),
    "save(): a key naming an instance saved after it was assigned (rolled back)": (
        "ferrule refuses an unsaved instance as a relation's value when it is assigned (a "
        "ValidationError: 'save the Author first'); Django when the row is saved, and takes "
        "the key of an instance saved in between",
        lambda dialect, want, have: (
            want == ("ok", [True, True]) and have == ("error", "ValueError")
        ),
    ),
    "bulk_create(): keys given and made in one batch (rolled back)": (
        "ferrule refuses a batch where some instances have a key and some not (ORMError: "
        "'give every instance a key, or none'); Django inserts the two kinds apart",
        lambda dialect, want, have: want[0] == "ok" and have == ("error", "ORMError"),
    ),
    "bulk_update(): an instance without a key": (
        "both refuse it before writing: Django's ValueError, ferrule's ORMError",
        _both_refuse("ValueError", "ORMError"),
    ),
    "update(): NULL into a column that cannot hold it": (
        "ferrule checks an update()'s value against its field before sending it (a "
        "FieldError); Django sends it and the database refuses it (IntegrityError)",
        _both_refuse("IntegrityError", "FieldError"),
    ),
    "update(): two columns reading each other (rolled back)": (
        "README: MariaDB evaluates SET left to right, so update(a=F('b'), b=F('a')) would "
        "write b's value to both (Django's answer there); ferrule refuses it on MariaDB",
        lambda dialect, want, have: (
            dialect == "mysql" and want[0] == "ok" and have == ("error", "FieldError")
        ),
    ),
    "reverse set() of a key that cannot be NULL (rolled back)": (
        "README: a reverse set() that drops rows sets their key to NULL, so it is a "
        "FieldError on a key that cannot hold it; Django's set() there only adds, keeping "
        "the rows it was told to drop",
        lambda dialect, want, have: want[0] == "ok" and have == ("error", "FieldError"),
    ),
    "delete() after values() (rolled back)": (
        "Django refuses every delete() after values() (TypeError); ferrule deletes the rows "
        "the filter matched, values() only naming the columns a read would return, and "
        "refuses a grouped one, values(...).annotate(...), whose rows are groups (FieldError)",
        lambda dialect, want, have: want == ("error", "TypeError") and have == ("ok", [1]),
    ),
    "one-to-one: an upsert on the key meeting another row's label (rolled back)": (
        "orm.mariadb_upsert: MariaDB's ON DUPLICATE KEY UPDATE answers a clash of any unique "
        "key, so Django's upsert there met the other row and wrote nothing asked for, "
        "silently; ferrule raises the IntegrityError PostgreSQL and SQLite raise",
        lambda dialect, want, have: (
            dialect == "mysql" and want[0] == "ok" and have == ("error", "IntegrityError")
        ),
    ),
    "decimals past the column's places: create(), update(), update() of F * D (rolled back)": (
        "Django rounds a decimal past its column's places, each database its own way (1.005 "
        "is 1.00 on SQLite, 1.01 on PostgreSQL and MariaDB); ferrule refuses it: a "
        "DecimalField validates its places (ValidationError), and README: update() takes a "
        "decimal column decimals of at most its places (F * D has the sum of the scales: a "
        "FieldError)",
        lambda dialect, want, have: (
            want[0] == "ok" and have == ("ok", ["ValidationError", "ValidationError", "FieldError"])
        ),
    ),
    "text: past max_length, and names equal but for case or trailing spaces (rolled back)": (
        "text past max_length: Django stores it on SQLite and gets a DataError elsewhere, "
        "ferrule's field refuses it everywhere (ValidationError). On MariaDB Django's tables "
        "take the server's collation, case-blind and padding, so 'KIM' and 'kim ' clash with "
        "'kim'; README: ferrule's tables are utf8mb4_nopad_bin, text equal by code point as "
        "on SQLite and PostgreSQL",
        lambda dialect, want, have: (
            have == ("ok", ["ValidationError", 2, 1])
            and want[1][0] == (1 if dialect == "sqlite" else "DataError")
            and want[1][1:] == ([2, 1] if dialect != "mysql" else ["IntegrityError"] * 2)
        ),
    ),
}


def _readers(url: str, dialect: str) -> tuple[NativeRows, NativeRows]:
    mine = NativeRows(url, dialect)
    if dialect != "sqlite":
        return mine, mine
    return NativeRows(f"sqlite:///{ref._TMP}/django.db", dialect), mine


def _differences(dialect: str, want: list[Any], have: list[Any]) -> list[str]:
    problems = []
    for step, (d_answer, d_tables), (f_answer, f_tables) in zip(SCRIPT, want, have, strict=True):
        lines = []
        if d_answer != f_answer and not _same_refusal(d_answer, f_answer):
            rule = DELIBERATE.get(step.name)
            if rule is None or not rule[1](dialect, d_answer, f_answer):
                lines.append(f"    django:  {d_answer!r}\n    ferrule: {f_answer!r}")
        for table in f_tables.keys() - d_tables.keys():  # a stale cached read
            lines.append(
                f"    {table}: {f_tables[table]}\n      the table: {f_tables[table.split()[0]]}"
            )
        for table in d_tables:
            if d_tables[table] != f_tables[table]:
                django_only = [row for row in d_tables[table] if row not in f_tables[table]]
                ferrule_only = [row for row in f_tables[table] if row not in d_tables[table]]
                lines.append(
                    f"    table {table}: rows only django's {django_only},"
                    f" only ferrule's {ferrule_only}"
                )
        if lines:
            problems.append(f"step {step.name!r}:\n" + "\n".join(lines))
    return problems


def test_same_writes_as_django(url: str, dialect: str) -> None:
    django_reader, ferrule_reader = _readers(url, dialect)
    try:
        want = _run_django(world.ALIAS[dialect], django_reader)
        have = asyncio.run(_run_ferrule(url, ferrule_reader))
    finally:
        django_reader.close()
        if ferrule_reader is not django_reader:
            ferrule_reader.close()
    problems = _differences(dialect, want, have)
    shown = "\n".join(problems[:12])
    assert not problems, f"{len(problems)} of {len(SCRIPT)} steps differ from Django's:\n{shown}"
