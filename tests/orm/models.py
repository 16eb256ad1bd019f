"""The models the ORM tests use (tables ``ormt_*``, dropped and made again by the fixtures)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

from ferrule import orm


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Author(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=100, unique=True)
    born: dt.date | None = None
    rating: int = orm.Field(default=0, ge=0)

    class Meta:
        table = "ormt_author"


class Tag(orm.Model):
    id: int = orm.Field(primary_key=True)
    label: str = orm.Field(max_length=30, unique=True)

    class Meta:
        table = "ormt_tag"


class Post(orm.Model):
    id = orm.BigIntField(pk=True)
    title = orm.CharField(max_length=200, index=True)
    body = orm.TextField(default="")
    views = orm.IntField(default=0)
    author = orm.ForeignKeyField(Author, related_name="posts", on_delete="cascade")
    editor = orm.ForeignKeyField(Author, related_name="edited", null=True, on_delete="set null")
    tags = orm.ManyToManyField(Tag, related_name="posts")
    created = orm.DateTimeField(auto_now_add=True)

    class Meta:
        table = "ormt_post"
        indexes = [("author", "created")]


class Profile(orm.Model):
    id: int = orm.Field(primary_key=True)
    author = orm.OneToOneField(Author, related_name="profile")
    bio: str = ""

    class Meta:
        table = "ormt_profile"


class Everything(orm.Model):
    """One field of every logical type."""

    id = orm.IntField(pk=True)
    small = orm.SmallIntField(default=0)
    big = orm.BigIntField(default=0)
    ratio = orm.FloatField(default=0.0)
    price = orm.DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal("0"))
    flag = orm.BooleanField(default=False)
    code = orm.CharField(max_length=20, default="")
    note = orm.TextField(default="")
    blob = orm.BinaryField(default=b"")
    moment = orm.DateTimeField(null=True)
    naive = orm.DateTimeField(null=True, tz=False)
    day = orm.DateField(null=True)
    clock = orm.TimeField(null=True)
    span = orm.TimedeltaField(null=True)
    key = orm.UUIDField(null=True)
    data = orm.JSONField(null=True)
    color = orm.EnumField(Color, null=True)
    level = orm.EnumField(Level, null=True)

    class Meta:
        table = "ormt_everything"


class Club(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)
    members = orm.ManyToManyField(Author, related_name="clubs", through="Membership")

    class Meta:
        table = "ormt_club"


class Membership(orm.Model):
    """An explicit link model, named before it is defined."""

    id: int = orm.Field(primary_key=True)
    club = orm.ForeignKeyField(Club, related_name="memberships")
    person = orm.ForeignKeyField(Author, related_name="memberships")
    role: str = orm.Field(max_length=10, default="member")

    class Meta:
        table = "ormt_membership"
        unique_together = [("club", "person")]


ALL: tuple[Any, ...] = (Author, Tag, Post, Profile, Everything, Club, Membership)
__all__ = [
    "ALL",
    "Author",
    "Club",
    "Color",
    "Everything",
    "Level",
    "Membership",
    "Post",
    "Profile",
    "Tag",
    "uuid",
]
