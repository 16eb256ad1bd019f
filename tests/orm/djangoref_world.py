"""The two worlds of the Django differential test (``test_djangoref_differential.py``): the same
models declared in ferrule and in Django, and the same seeded rows loaded into each library's
own tables.

Importing this module configures Django in this process (``settings.configure``): the
``default`` database is a SQLite file in a directory of its own, ``postgres`` the test server's
database (``FERRULE_TEST_DBNAME``) through psycopg 3, ``mysql`` the MariaDB server's database
of that name through PyMySQL standing in for mysqlclient (the write differential,
``test_djangowrite_differential.py``, judges ferrule on MariaDB by Django on MariaDB). Django's
tables are ``djref_*``, ferrule's ``dref_*``; the two never share one."""

from __future__ import annotations

import atexit
import datetime as dt
import decimal
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any

import django
import pymysql
from django.conf import settings

from backends.conftest import DBNAME
from ferrule import orm

D = decimal.Decimal
UTC = dt.timezone.utc

_TMP = tempfile.mkdtemp(prefix="djangoref-")
atexit.register(shutil.rmtree, _TMP, True)

#: ferrule's dialect -> the Django alias whose answers are its reference. MariaDB is judged by
#: PostgreSQL's: Django's MySQL backend needs a collation per lookup (its `exact` follows the
#: column's collation, its `icontains` a case-blind one), which one table cannot give both.
REFERENCE = {"sqlite": "default", "postgres": "postgres", "mysql": "postgres"}

if not settings.configured:
    pymysql.install_as_MySQLdb()  # Django's MySQL backend imports MySQLdb
    settings.configure(
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{_TMP}/django.db"},
            "postgres": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": DBNAME,
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": 5432,
            },
            "mysql": {
                "ENGINE": "django.db.backends.mysql",
                "NAME": DBNAME,
                "USER": "root",
                "HOST": "127.0.0.1",
                "PORT": 3306,
                "OPTIONS": {"charset": "utf8mb4"},
            },
        },
        INSTALLED_APPS=[__name__],  # this module is the app of the Django models
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()

from django.db import connections, models  # noqa: E402  (after settings.configure)
from django.db.models import F  # noqa: E402


class RefQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Django's QuerySet ordering NULL as the smallest value, ferrule's documented rule (the
    order SQLite and MariaDB give; PostgreSQL's own is the opposite)."""

    def order_by(self, *names: Any) -> Any:
        spelled = []
        for name in names:
            if isinstance(name, str) and name not in ("?", "pk", "-pk"):
                if name.startswith("-"):
                    spelled.append(F(name[1:]).desc(nulls_last=True))
                else:
                    spelled.append(F(name).asc(nulls_first=True))
            else:
                spelled.append(name)
        return super().order_by(*spelled)


class DAuthor(models.Model):
    name = models.CharField(max_length=30)
    nick = models.CharField(max_length=30, null=True)
    age = models.IntegerField(null=True)
    score = models.FloatField(null=True)
    born = models.DateField(null=True)
    active = models.BooleanField()

    objects = RefQuerySet.as_manager()

    class Meta:
        app_label = __name__.rpartition(".")[2]
        db_table = "djref_author"


class DTag(models.Model):
    name = models.CharField(max_length=20)

    objects = RefQuerySet.as_manager()

    class Meta:
        app_label = __name__.rpartition(".")[2]
        db_table = "djref_tag"


class DBook(models.Model):
    title = models.CharField(max_length=40)
    blurb = models.TextField()
    note = models.TextField(null=True)
    pages = models.IntegerField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    rating = models.FloatField(null=True)
    in_print = models.BooleanField()
    signed = models.BooleanField(null=True)
    published = models.DateField(null=True)
    stamp = models.DateTimeField(null=True)
    author = models.ForeignKey(DAuthor, models.CASCADE, related_name="books")
    editor = models.ForeignKey(DAuthor, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(DTag, related_name="books", db_table="djref_book_tags")

    objects = RefQuerySet.as_manager()

    class Meta:
        app_label = __name__.rpartition(".")[2]
        db_table = "djref_book"


class Author(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=30)
    nick = orm.CharField(max_length=30, null=True)
    age = orm.IntField(null=True)
    score = orm.FloatField(null=True)
    born = orm.DateField(null=True)
    active = orm.BooleanField()

    class Meta:
        table = "dref_author"


class Tag(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "dref_tag"


class Book(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=40)
    blurb = orm.TextField()
    note = orm.TextField(null=True)
    pages = orm.IntField(null=True)
    price = orm.DecimalField(max_digits=8, decimal_places=2, null=True)
    rating = orm.FloatField(null=True)
    in_print = orm.BooleanField()
    signed = orm.BooleanField(null=True)
    published = orm.DateField(null=True)
    stamp = orm.DateTimeField(null=True)
    author = orm.ForeignKeyField(Author, related_name="books", on_delete="cascade")
    editor = orm.ForeignKeyField(Author, related_name="edited", null=True, on_delete="set null")
    tags = orm.ManyToManyField(Tag, related_name="books")

    class Meta:
        table = "dref_book"


APP = DBook._meta.app_label
FERRULE_MODELS = (Author, Tag, Book)
DJANGO_MODELS = (DAuthor, DTag, DBook)

#: text that the lookups tell apart: case (ASCII and not), LIKE's wildcards and escape
#: characters, spaces at either end, the empty string
TEXTS = (
    "ann",
    "Ann",
    "ANNA",
    "anne-marie",
    "bob",
    "Bob Ross",
    "",
    " ann",
    "ann ",
    "élan",
    "Élan",
    "жук",
    "Жук",
    "50% off",
    "50 off",
    "a_b",
    "axb",
    "a!b",
    "back\\slash",
    "o'neil",
    "zeta",
)


@dataclass
class Data:
    """One seeded world: rows as keyword dicts, and the book -> tag links."""

    seed: int
    authors: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    books: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)


def _maybe(rnd: random.Random, value: Any, null: float = 0.25) -> Any:
    return None if rnd.random() < null else value


def make_data(seed: int, authors: int = 8, tags: int = 5, books: int = 24) -> Data:
    rnd = random.Random(seed)
    data = Data(seed)
    day0 = dt.date(2020, 1, 1)
    for pk in range(1, authors + 1):
        data.authors.append(
            {
                "id": pk,
                "name": rnd.choice(TEXTS),
                "nick": _maybe(rnd, rnd.choice(TEXTS)),
                "age": _maybe(rnd, rnd.randint(18, 90)),
                "score": _maybe(rnd, rnd.choice((0.0, 0.5, 1.25, 2.0, 3.75, -1.5))),
                "born": _maybe(rnd, day0 - dt.timedelta(days=rnd.randint(0, 20000))),
                "active": rnd.random() < 0.6,
            }
        )
    for pk in range(1, tags + 1):
        data.tags.append({"id": pk, "name": rnd.choice(TEXTS)})
    for pk in range(1, books + 1):
        stamp = dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(
            hours=rnd.randint(-100, 100), minutes=rnd.choice((0, 30))
        )
        data.books.append(
            {
                "id": pk,
                "title": rnd.choice(TEXTS),
                "blurb": rnd.choice(TEXTS),
                "note": _maybe(rnd, rnd.choice(TEXTS)),
                "pages": _maybe(rnd, rnd.choice((0, 1, 7, 50, 120, 300, 999))),
                "price": _maybe(rnd, D(rnd.choice(("0.00", "1.50", "9.99", "10.00", "25.25")))),
                "rating": _maybe(rnd, rnd.choice((0.0, 0.25, 1.5, 2.0, 4.75))),
                "in_print": rnd.random() < 0.5,
                "signed": _maybe(rnd, rnd.random() < 0.5, 0.3),
                "published": _maybe(rnd, day0 + dt.timedelta(days=rnd.randint(0, 1500))),
                "stamp": _maybe(rnd, stamp),
                "author_id": rnd.randint(1, authors),
                "editor_id": _maybe(rnd, rnd.randint(1, authors), 0.4),
            }
        )
        for tag in range(1, tags + 1):
            if rnd.random() < 0.3:
                data.links.append((pk, tag))
    return data


# -- Django ------------------------------------------------------------------------------------


def django_load(alias: str, data: Data) -> None:
    """Django's tables made afresh on ``alias`` and filled with ``data``."""
    connection = connections[alias]
    existing = connection.introspection.table_names()
    with connection.schema_editor() as editor:
        for model in reversed(DJANGO_MODELS):
            if model._meta.db_table in existing:
                editor.delete_model(model)
    with connection.schema_editor() as editor:
        for model in DJANGO_MODELS:
            editor.create_model(model)
    DAuthor.objects.using(alias).bulk_create([DAuthor(**row) for row in data.authors])
    DTag.objects.using(alias).bulk_create([DTag(**row) for row in data.tags])
    DBook.objects.using(alias).bulk_create([DBook(**row) for row in data.books])
    link = DBook.tags.through
    link.objects.using(alias).bulk_create(
        [link(dbook_id=book, dtag_id=tag) for book, tag in data.links]
    )


def django_drop(alias: str) -> None:
    connection = connections[alias]
    with connection.schema_editor() as editor:
        for model in reversed(DJANGO_MODELS):
            editor.delete_model(model)
    connection.close()


# -- ferrule -----------------------------------------------------------------------------------


async def ferrule_load(data: Data) -> None:
    """ferrule's tables (made by the caller) filled with ``data``."""
    await Author.bulk_create([Author(**row) for row in data.authors])
    await Tag.bulk_create([Tag(**row) for row in data.tags])
    await Book.bulk_create([Book(**row) for row in data.books])
    tags = {tag.id: tag for tag in await Tag.all()}
    by_book: dict[int, list[Any]] = {}
    for book, tag in data.links:
        by_book.setdefault(book, []).append(tags[tag])
    for book in await Book.filter(id__in=list(by_book)):
        await book.tags.add(*by_book[book.id])
