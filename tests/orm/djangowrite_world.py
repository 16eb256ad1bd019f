"""The two worlds of the Django write differential (``test_djangowrite_differential.py``): the
same models declared in Django (``Dw*``, tables ``djw_*``) and in ferrule (``Wr*``, tables
``dw_*``), the namespaces the steps run in, and each world's tables read back through the
database's own driver (``native_rows``), never through either ORM.

Django is configured by ``djangoref_world`` (the read differential's set-up: its ``default``
SQLite file, its ``postgres`` and ``mysql`` aliases on the test servers); these models join its
app. Rows are told apart by a unique name, and a key is read as the name of the row it names
(a left join: a key naming no row reads as None), so the comparison does not depend on which
numbers two libraries' inserts happened to draw from a sequence."""

from __future__ import annotations

import functools
from typing import Any

from django.db import IntegrityError as DjangoIntegrityError
from django.db import connections, models, transaction

from ferrule import orm
from ferrule.errors import IntegrityError

from . import djangoref_world as ref
from .native_rows import NativeRows, as_decimal

APP = ref.APP

#: ferrule's dialect -> the Django alias of the same database server (or SQLite file kind)
ALIAS = {"sqlite": "default", "postgres": "postgres", "mysql": "mysql"}


class _DjangoMeta:
    app_label = APP


class DwAuthor(models.Model):
    name = models.CharField(max_length=30, unique=True)
    age = models.IntegerField(null=True)
    score = models.IntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta(_DjangoMeta):
        db_table = "djw_author"


class DwTag(models.Model):
    name = models.CharField(max_length=20, unique=True)

    class Meta(_DjangoMeta):
        db_table = "djw_tag"


class DwBook(models.Model):
    title = models.CharField(max_length=30, unique=True)
    pages = models.IntegerField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    author = models.ForeignKey(DwAuthor, models.CASCADE, related_name="books")
    editor = models.ForeignKey(DwAuthor, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(DwTag, related_name="books", db_table="djw_book_tags")

    class Meta(_DjangoMeta):
        db_table = "djw_book"


class DwClub(models.Model):
    name = models.CharField(max_length=20, unique=True)
    members = models.ManyToManyField(DwAuthor, related_name="clubs", through="DwMember")

    class Meta(_DjangoMeta):
        db_table = "djw_club"


class DwMember(models.Model):
    club = models.ForeignKey(DwClub, models.CASCADE, related_name="memberships")
    person = models.ForeignKey(DwAuthor, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, default="member")

    class Meta(_DjangoMeta):
        db_table = "djw_member"
        unique_together = [("club", "person")]


class DwPin(models.Model):
    """A pin restricts its author's delete, unless the same delete removes the pin's book."""

    label = models.CharField(max_length=20, unique=True)
    book = models.ForeignKey(DwBook, models.CASCADE, related_name="pins")
    author = models.ForeignKey(DwAuthor, models.RESTRICT, related_name="pins")

    class Meta(_DjangoMeta):
        db_table = "djw_pin"


class DwSeal(models.Model):
    """A seal protects its book (Django's PROTECT, ferrule's "protect")."""

    label = models.CharField(max_length=20, unique=True)
    book = models.ForeignKey(DwBook, models.PROTECT, related_name="seals")
    owner = models.ForeignKey(DwAuthor, models.CASCADE, related_name="seals")

    class Meta(_DjangoMeta):
        db_table = "djw_seal"


class DwProfile(models.Model):
    bio = models.CharField(max_length=20)
    author = models.OneToOneField(DwAuthor, models.CASCADE, related_name="profile")

    class Meta(_DjangoMeta):
        db_table = "djw_profile"


class DwBadge(models.Model):
    label = models.CharField(max_length=20, unique=True)
    holder = models.OneToOneField(DwAuthor, models.SET_NULL, null=True, related_name="badge")

    class Meta(_DjangoMeta):
        db_table = "djw_badge"


class DwNode(models.Model):
    """A tree (its parent cascades) whose rows may name a mentor (set null)."""

    name = models.CharField(max_length=20, unique=True)
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="children")
    mentor = models.ForeignKey("self", models.SET_NULL, null=True, related_name="mentees")
    friends = models.ManyToManyField("self", db_table="djw_node_friends")
    follows = models.ManyToManyField(
        "self", symmetrical=False, related_name="followers", db_table="djw_node_follows"
    )

    class Meta(_DjangoMeta):
        db_table = "djw_node"


DJANGO_MODELS = (
    DwAuthor,
    DwTag,
    DwBook,
    DwClub,
    DwMember,
    DwPin,
    DwSeal,
    DwProfile,
    DwBadge,
    DwNode,
)


class WrAuthor(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=30, unique=True)
    age = orm.IntField(null=True)
    score = orm.IntField(default=0)
    active = orm.BooleanField(default=True)

    class Meta:
        table = "dw_author"


class WrTag(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20, unique=True)

    class Meta:
        table = "dw_tag"


class WrBook(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=30, unique=True)
    pages = orm.IntField(null=True)
    price = orm.DecimalField(max_digits=8, decimal_places=2, default=ref.D(0))
    author = orm.ForeignKeyField(WrAuthor, related_name="books", on_delete="cascade")
    editor = orm.ForeignKeyField(WrAuthor, related_name="edited", null=True, on_delete="set null")
    tags = orm.ManyToManyField(WrTag, related_name="books")

    class Meta:
        table = "dw_book"


class WrClub(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20, unique=True)
    members = orm.ManyToManyField(WrAuthor, related_name="clubs", through="WrMember")

    class Meta:
        table = "dw_club"


class WrMember(orm.Model):
    id: int = orm.Field(primary_key=True)
    club = orm.ForeignKeyField(WrClub, related_name="memberships", on_delete="cascade")
    person = orm.ForeignKeyField(WrAuthor, related_name="memberships", on_delete="cascade")
    role = orm.CharField(max_length=10, default="member")

    class Meta:
        table = "dw_member"
        unique_together = [("club", "person")]


class WrPin(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=20, unique=True)
    book = orm.ForeignKeyField(WrBook, related_name="pins", on_delete="cascade")
    author = orm.ForeignKeyField(WrAuthor, related_name="pins", on_delete="restrict")

    class Meta:
        table = "dw_pin"


class WrSeal(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=20, unique=True)
    book = orm.ForeignKeyField(WrBook, related_name="seals", on_delete="protect")
    owner = orm.ForeignKeyField(WrAuthor, related_name="seals", on_delete="cascade")

    class Meta:
        table = "dw_seal"


class WrProfile(orm.Model):
    id: int = orm.Field(primary_key=True)
    bio = orm.CharField(max_length=20)
    author = orm.OneToOneField(WrAuthor, related_name="profile", on_delete="cascade")

    class Meta:
        table = "dw_profile"


class WrBadge(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=20, unique=True)
    holder = orm.OneToOneField(WrAuthor, related_name="badge", null=True, on_delete="set null")

    class Meta:
        table = "dw_badge"


class WrNode(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20, unique=True)
    parent = orm.ForeignKeyField("WrNode", related_name="children", null=True, on_delete="cascade")
    mentor = orm.ForeignKeyField("WrNode", related_name="mentees", null=True, on_delete="set null")
    friends = orm.ManyToManyField("self")
    follows = orm.ManyToManyField("self", symmetrical=False, related_name="followers")

    class Meta:
        table = "dw_node"


FERRULE_MODELS = (
    WrAuthor,
    WrTag,
    WrBook,
    WrClub,
    WrMember,
    WrPin,
    WrSeal,
    WrProfile,
    WrBadge,
    WrNode,
)

#: the logical name of each model class of either world
LOGICAL = {cls: cls.__name__[2:] for cls in DJANGO_MODELS + FERRULE_MODELS}
#: the fields an instance is compared by (a returned instance: these and its key)
FIELDS = {
    "Author": ("name", "age", "score", "active"),
    "Tag": ("name",),
    "Book": ("title", "pages", "price", "author_id", "editor_id"),
    "Club": ("name",),
    "Member": ("club_id", "person_id", "role"),
    "Pin": ("label", "book_id", "author_id"),
    "Seal": ("label", "book_id", "owner_id"),
    "Profile": ("bio", "author_id"),
    "Badge": ("label", "holder_id"),
    "Node": ("name", "parent_id", "mentor_id"),
}
#: the table of each model, and the table each key field of an instance names
TABLES = {model: model.lower() for model in FIELDS}
KEYS = {
    ("Book", "author_id"): "author",
    ("Book", "editor_id"): "author",
    ("Member", "club_id"): "club",
    ("Member", "person_id"): "author",
    ("Pin", "book_id"): "book",
    ("Pin", "author_id"): "author",
    ("Seal", "book_id"): "book",
    ("Seal", "owner_id"): "author",
    ("Profile", "author_id"): "author",
    ("Badge", "holder_id"): "author",
    ("Node", "parent_id"): "node",
    ("Node", "mentor_id"): "node",
}


# -- the tables, read back -----------------------------------------------------------------

#: each table's rows by names; {a}, {b}, ... are the world's table names
_DUMPS = {
    "author": "SELECT name, age, score, active FROM {author}",
    "tag": "SELECT name FROM {tag}",
    "book": "SELECT b.title, b.pages, b.price, a.name, e.name FROM {book} b"
    " LEFT JOIN {author} a ON a.id = b.author_id LEFT JOIN {author} e ON e.id = b.editor_id",
    "book_tags": "SELECT b.title, t.name FROM {link} l"
    " LEFT JOIN {book} b ON b.id = l.{link_book} LEFT JOIN {tag} t ON t.id = l.{link_tag}",
    "club": "SELECT name FROM {club}",
    "member": "SELECT c.name, a.name, m.role FROM {member} m"
    " LEFT JOIN {club} c ON c.id = m.club_id LEFT JOIN {author} a ON a.id = m.person_id",
    "pin": "SELECT p.label, b.title, a.name FROM {pin} p"
    " LEFT JOIN {book} b ON b.id = p.book_id LEFT JOIN {author} a ON a.id = p.author_id",
    "seal": "SELECT s.label, b.title, a.name FROM {seal} s"
    " LEFT JOIN {book} b ON b.id = s.book_id LEFT JOIN {author} a ON a.id = s.owner_id",
    "profile": "SELECT p.bio, a.name FROM {profile} p LEFT JOIN {author} a ON a.id = p.author_id",
    "badge": "SELECT b.label, a.name FROM {badge} b LEFT JOIN {author} a ON a.id = b.holder_id",
    "node": "SELECT n.name, p.name, m.name FROM {node} n"
    " LEFT JOIN {node} p ON p.id = n.parent_id LEFT JOIN {node} m ON m.id = n.mentor_id",
    "friends": "SELECT a.name, b.name FROM {friends} l"
    " LEFT JOIN {node} a ON a.id = l.{from_node} LEFT JOIN {node} b ON b.id = l.{to_node}",
    "follows": "SELECT a.name, b.name FROM {follows} l"
    " LEFT JOIN {node} a ON a.id = l.{from_node} LEFT JOIN {node} b ON b.id = l.{to_node}",
}
_TABLES = ("author", "tag", "book", "club", "member", "pin", "seal", "profile", "badge", "node")
DJANGO_NAMES = {t: f"djw_{t}" for t in _TABLES} | {
    "link": "djw_book_tags",
    "link_book": "dwbook_id",
    "link_tag": "dwtag_id",
    "friends": "djw_node_friends",
    "follows": "djw_node_follows",
    "from_node": "from_dwnode_id",
    "to_node": "to_dwnode_id",
}
FERRULE_NAMES = {t: f"dw_{t}" for t in _TABLES} | {
    "link": "dw_book_tags",
    "link_book": "wrbook_id",
    "link_tag": "wrtag_id",
    "friends": "dw_node_friends",
    "follows": "dw_node_follows",
    "from_node": "from_wrnode_id",
    "to_node": "to_wrnode_id",
}


def _plain(value: Any) -> Any:
    if isinstance(value, bool):  # PostgreSQL's boolean; SQLite and MariaDB hold 0 and 1
        return int(value)
    if isinstance(value, float):  # SQLite's numeric affinity gives a DECIMAL back so
        return as_decimal(value)
    return value


def _order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((value is not None, str(value)) for value in row)


def dump(reader: NativeRows, names: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of one world, its rows as tuples of plain values in a fixed order."""
    tables = {}
    for table, query in _DUMPS.items():
        rows = [tuple(_plain(v) for v in row) for row in reader.rows(query.format(**names))]
        tables[table] = sorted(rows, key=_order)
    return tables


#: each table's rows by key: the key, then the names telling the row apart
_NAMES = {
    "author": "SELECT id, name FROM {author}",
    "tag": "SELECT id, name FROM {tag}",
    "book": "SELECT id, title FROM {book}",
    "club": "SELECT id, name FROM {club}",
    "member": "SELECT m.id, c.name, a.name FROM {member} m"
    " LEFT JOIN {club} c ON c.id = m.club_id LEFT JOIN {author} a ON a.id = m.person_id",
    "pin": "SELECT id, label FROM {pin}",
    "seal": "SELECT id, label FROM {seal}",
    "profile": "SELECT id, bio FROM {profile}",
    "badge": "SELECT id, label FROM {badge}",
    "node": "SELECT id, name FROM {node}",
}


def names_by_key(reader: NativeRows, names: dict[str, str]) -> dict[str, dict[Any, Any]]:
    """Each table's keys -> the names of the row holding the key: an instance's key, and a
    key it holds, are compared by the row they name (numbers drawn from a sequence differ
    between two worlds: one rolled back an insert the other refused before sending)."""
    found: dict[str, dict[Any, Any]] = {}
    for table, query in _NAMES.items():
        rows = reader.rows(query.format(**names))
        found[table] = {row[0]: row[1] if len(row) == 2 else row[1:] for row in rows}
    return found


#: each table's rows as ferrule's ORM reads them (joins for the names), for ``cached_reads``
_ORM_READS = {
    "author": (WrAuthor, ("name", "age", "score", "active")),
    "tag": (WrTag, ("name",)),
    "book": (WrBook, ("title", "pages", "price", "author__name", "editor__name")),
    "book_tags": (WrBook, ("title", "tags__name")),
    "club": (WrClub, ("name",)),
    "member": (WrMember, ("club__name", "person__name", "role")),
    "pin": (WrPin, ("label", "book__title", "author__name")),
    "seal": (WrSeal, ("label", "book__title", "owner__name")),
    "profile": (WrProfile, ("bio", "author__name")),
    "badge": (WrBadge, ("label", "holder__name")),
    "node": (WrNode, ("name", "parent__name", "mentor__name")),
    "friends": (WrNode, ("name", "friends__name")),
    "follows": (WrNode, ("name", "follows__name")),
}


#: the many-to-many each link table's read goes through
_LINKS = {"book_tags": "tags", "friends": "friends", "follows": "follows"}


def same_rows(left: list[tuple[Any, ...]], right: list[tuple[Any, ...]]) -> bool:
    """Whether two lists hold the same rows in any order, numbers compared by value."""

    def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            str(ref.D(str(v)).normalize())
            if isinstance(v, (int, float, ref.D)) and not isinstance(v, bool)
            else str(int(v))
            if isinstance(v, bool)
            else repr(v)
            for v in row
        )

    return sorted(map(plain, left)) == sorted(map(plain, right))


async def cached_reads() -> dict[str, list[tuple[Any, ...]]]:
    """Every table read through ferrule's query cache (``cached(3600)``: kept until a write
    empties it), the many-to-many links by a join of the link table: after any write, each
    must still be what the table holds (a write leaves no stale entry behind)."""
    found = {}
    for table, (model, names) in _ORM_READS.items():
        query = model.all()
        if table in _LINKS:  # a many-to-many's links: the rows linked only
            query = model.filter(**{f"{_LINKS[table]}__isnull": False})
        found[table] = [tuple(row) for row in await query.values_list(*names).cached(3600)]
    return found


# -- Django's tables -------------------------------------------------------------------------


def django_create(alias: str) -> None:
    """Django's tables made afresh on ``alias`` (its schema editor: Django's own DDL)."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in reversed(DJANGO_MODELS):
            if model._meta.db_table in existing:
                editor.delete_model(model)
    with connection.schema_editor() as editor:
        for model in DJANGO_MODELS:
            editor.create_model(model)


def django_drop(alias: str) -> None:
    connection = connections[alias]
    with connection.schema_editor() as editor:
        for model in reversed(DJANGO_MODELS):
            editor.delete_model(model)
    connection.close()


# -- the namespaces the steps run in ---------------------------------------------------------


class Rollback(Exception):
    """Raised by a step to roll a block back."""


class _DjangoModel:
    """A Django model as a step names it: called, an unsaved instance bound to the alias (its
    ``save()`` goes there, as ``_state.db`` routes it); otherwise its manager on the alias, so
    ``Author.filter(...)`` reads as ferrule's class methods do."""

    def __init__(self, model: Any, alias: str) -> None:
        self.model = model
        self.alias = alias

    def __call__(self, **values: Any) -> Any:
        instance = self.model(**values)
        instance._state.db = self.alias
        return instance

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model.objects.using(self.alias), name)


def _django_deleted(result: tuple[int, dict[str, int]], model: str) -> int:
    """The rows of ``model`` a Django delete removed (its answer counts every model's)."""
    return result[1].get(f"{APP}.Dw{model}", 0)


def _ferrule_deleted(result: int, model: str) -> int:
    """ferrule's delete answers the rows of its own model: the caller names that model."""
    return result


def django_names(alias: str) -> dict[str, Any]:
    from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When

    names: dict[str, Any] = {LOGICAL[model]: _DjangoModel(model, alias) for model in DJANGO_MODELS}
    return names | {
        "F": F,
        "Q": Q,
        "Case": Case,
        "Count": Count,
        "Exists": Exists,
        "OuterRef": OuterRef,
        "Subquery": Subquery,
        "When": When,
        "Value": Value,
        "D": ref.D,
        "transaction": functools.partial(transaction.atomic, using=alias),
        "IntegrityError": DjangoIntegrityError,
        "Rollback": Rollback,
        "deleted": _django_deleted,
    }


def ferrule_names() -> dict[str, Any]:
    names: dict[str, Any] = {LOGICAL[model]: model for model in FERRULE_MODELS}
    return names | {
        "F": orm.F,
        "Q": orm.Q,
        "Case": orm.Case,
        "Count": orm.Count,
        "Exists": orm.Exists,
        "OuterRef": orm.OuterRef,
        "Subquery": orm.Subquery,
        "When": orm.When,
        "Value": orm.Value,
        "D": ref.D,
        "transaction": orm.transaction,
        "IntegrityError": IntegrityError,
        "Rollback": Rollback,
        "deleted": _ferrule_deleted,
    }
