"""``ferrule.orm``: the same validated models, persisted.

    from ferrule import orm

    class Author(orm.Model):
        id: int = orm.Field(primary_key=True)
        name: str = orm.Field(max_length=100, unique=True)

    db = await ferrule.connect("sqlite://")      # the first database opened is the default
    await orm.create_tables(Author)
    ada = await Author.create(name="Ada")
    await Author.filter(name__startswith="A").order_by("-id")

Queries compile through ``ferrule.sql``; rows become instances without re-validation
(``orm.loading``); relations load only when asked (``select_related``, ``prefetch_related``,
``fetch_related``) and never by a hidden query.
"""

from ferrule.backends.defaults import set_default
from ferrule.errors import (
    DoesNotExist,
    FieldError,
    MultipleObjectsReturned,
    NoDatabaseError,
    RelationNotLoadedError,
)
from ferrule.orm.cache import query_cache
from ferrule.orm.empty import EmptyQuerySet
from ferrule.orm.expressions import (
    Avg,
    Case,
    Count,
    Extract,
    ExtractDay,
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractIsoYear,
    ExtractMinute,
    ExtractMonth,
    ExtractQuarter,
    ExtractSecond,
    ExtractWeek,
    ExtractWeekDay,
    ExtractYear,
    F,
    Max,
    Min,
    Q,
    Sum,
    Trunc,
    TruncDate,
    TruncDay,
    TruncHour,
    TruncMinute,
    TruncMonth,
    TruncQuarter,
    TruncSecond,
    TruncTime,
    TruncWeek,
    TruncYear,
    Value,
    When,
)
from ferrule.orm.fields import (
    BigIntField,
    BinaryField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    EnumField,
    Field,
    FloatField,
    ForeignKeyField,
    IntField,
    JSONField,
    ManyToManyField,
    OneToOneField,
    SmallIntField,
    TextField,
    TimedeltaField,
    TimeField,
    UUIDField,
)
from ferrule.orm.model import Model
from ferrule.orm.queryset import QuerySet
from ferrule.orm.schema import create_tables, drop_tables
from ferrule.orm.secrets import EncryptedField, PasswordField, check_password
from ferrule.orm.signals import post_delete, post_save, pre_delete, pre_save
from ferrule.orm.transactions import atomic, transaction

__all__ = [
    "Avg",
    "BigIntField",
    "BinaryField",
    "BooleanField",
    "Case",
    "CharField",
    "Count",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DoesNotExist",
    "EmptyQuerySet",
    "EncryptedField",
    "EnumField",
    "Extract",
    "ExtractDay",
    "ExtractHour",
    "ExtractIsoWeekDay",
    "ExtractIsoYear",
    "ExtractMinute",
    "ExtractMonth",
    "ExtractQuarter",
    "ExtractSecond",
    "ExtractWeek",
    "ExtractWeekDay",
    "ExtractYear",
    "F",
    "Field",
    "FieldError",
    "FloatField",
    "ForeignKeyField",
    "IntField",
    "JSONField",
    "ManyToManyField",
    "Max",
    "Min",
    "Model",
    "MultipleObjectsReturned",
    "NoDatabaseError",
    "OneToOneField",
    "PasswordField",
    "Q",
    "QuerySet",
    "RelationNotLoadedError",
    "SmallIntField",
    "Sum",
    "TextField",
    "TimeField",
    "TimedeltaField",
    "Trunc",
    "TruncDate",
    "TruncDay",
    "TruncHour",
    "TruncMinute",
    "TruncMonth",
    "TruncQuarter",
    "TruncSecond",
    "TruncTime",
    "TruncWeek",
    "TruncYear",
    "UUIDField",
    "Value",
    "When",
    "atomic",
    "check_password",
    "create_tables",
    "drop_tables",
    "post_delete",
    "post_save",
    "pre_delete",
    "pre_save",
    "query_cache",
    "set_default",
    "transaction",
]
