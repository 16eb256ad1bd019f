"""``Model._meta``: what the ORM knows of one model class — its table, columns, primary key,
relations and ``class Meta`` options — built once per class from its compiled schema."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError, SchemaError
from ferrule.orm import registry
from ferrule.orm.cache import ttl_seconds
from ferrule.orm.columns import Column, build_column
from ferrule.orm.expressions import shown
from ferrule.orm.fields import ColumnInfo, Relation

__all__ = ["MetaOptions", "ModelInfo", "did_you_mean", "other_spelling", "table_name_for"]

_META_KEYS = frozenset(
    {
        "table",
        "indexes",
        "unique_together",
        "ordering",
        "get_latest_by",
        "abstract",
        "validate_on_load",
        "cache",
    }
)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or nothing; Tortoise's
    ``using_db=`` is pointed at ``using=``."""
    if name == "using_db":
        return "; Tortoise's using_db= is spelled using= here (using=db)"
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def named_text(model: str, name: Any, what: str = "field") -> str:
    """The text ``name`` holds, as a plain ``str``: a ``str`` subclass's ``__eq__`` may say
    it is ``"pk"`` or any field, its ``__repr__`` may raise inside the error naming it. A
    `FieldError` when it is no text."""
    if type(name) is str:
        return name
    if isinstance(name, str):
        return str.__str__(name)
    raise FieldError(f"{model}: a {what} name is text, not {shown(name)}")


def table_name_for(class_name: str) -> str:
    """``BlogPost`` -> ``blog_post``: the default table name."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", class_name).lower()


class MetaOptions:
    """The ``class Meta`` of a model, checked."""

    __slots__ = (
        "abstract",
        "cache",
        "get_latest_by",
        "indexes",
        "ordering",
        "table",
        "unique_together",
        "validate",
    )
    abstract: bool
    indexes: tuple[tuple[str, ...], ...]
    unique_together: tuple[tuple[str, ...], ...]

    def __init__(self, model_name: str, meta: Any, inherited: MetaOptions | None) -> None:
        given = _given(meta)
        # Django's rule: a model without a Meta of its own has its abstract parent's
        whole = meta is None and inherited is not None and inherited.abstract
        unknown = sorted(set(given) - _META_KEYS)
        if unknown:
            raise SchemaError(f"{model_name}.Meta: unknown option(s) {', '.join(unknown)}")
        table = given.get("table", table_name_for(model_name))
        if not isinstance(table, str) or not table:
            raise SchemaError(f"{model_name}.Meta.table must be a non-empty string")
        if "." in table:
            # written as one quoted name, "app.users" would be a table of that name in the
            # default schema, never table users of schema app (the name a Django or SQLAlchemy
            # user means): refused rather than made silently somewhere else
            raise SchemaError(
                f"{model_name}.Meta.table {table!r} holds a dot: ferrule does not qualify tables"
                " with a schema (it would make a table named exactly that in the connection's"
                " default schema): schema-qualified tables are not supported"
            )
        self.table = table
        self.abstract = bool(given.get("abstract", False))
        self.indexes = (
            _name_groups(model_name, "indexes", given["indexes"])
            if "indexes" in given
            else inherited.indexes
            if whole and inherited is not None
            else ()
        )
        self.unique_together = (
            _name_groups(model_name, "unique_together", given["unique_together"])
            if "unique_together" in given
            else inherited.unique_together
            if whole and inherited is not None
            else ()
        )
        ordering: Any = given.get("ordering", inherited.ordering if inherited else ())
        if isinstance(ordering, str) or not all(isinstance(o, str) for o in ordering):
            raise SchemaError(f"{model_name}.Meta.ordering must be a list of field names")
        self.ordering: tuple[str, ...] = tuple(ordering)
        latest: Any = given.get("get_latest_by", inherited.get_latest_by if inherited else ())
        if isinstance(latest, str):
            latest = (latest,)
        if not all(isinstance(o, str) for o in latest):
            raise SchemaError(f"{model_name}.Meta.get_latest_by must be field names")
        self.get_latest_by: tuple[str, ...] = tuple(latest)
        default_validate = inherited.validate if inherited else False
        self.validate: bool = bool(given.get("validate_on_load", default_validate))
        cache: Any = given.get("cache", inherited.cache if inherited else None)
        seconds = None if cache is None else ttl_seconds(cache)
        if cache is not None and seconds is None:
            raise SchemaError(f"{model_name}.Meta.cache is a positive number of seconds")
        self.cache: float | None = seconds


def _given(meta: Any) -> dict[str, Any]:
    """The options a ``class Meta`` gives, with those of the classes it derives from (Django's
    ``class Meta(Base.Meta):``) but ``abstract`` and ``table``, which are each model's own."""
    if meta is None:
        return {}
    given: dict[str, Any] = {}
    for klass in reversed(meta.__mro__[:-1]):
        given.update({k: v for k, v in vars(klass).items() if not k.startswith("_")})
    for own in ("abstract", "table"):
        if own not in vars(meta):
            given.pop(own, None)
    return given


def _name_groups(model: str, option: str, groups: Any) -> tuple[tuple[str, ...], ...]:
    """The groups of field names of ``unique_together`` or ``indexes``: a list of tuples of
    names (a lone name in it a group of one). A flat list of names is one group, as Django
    (``unique_together = ["driver", "restaurant"]``) and Tortoise read it: read as groups of
    one, it made each field unique on its own, refusing rows the model allows. Anything but a
    list or tuple (a str would be read letter by letter) is a SchemaError."""
    if not isinstance(groups, (list, tuple)):
        raise SchemaError(
            f"{model}.Meta.{option} must be a list of field names or of tuples of them, "
            f"not {type(groups).__name__}"
        )
    if groups and all(isinstance(g, str) for g in groups):
        groups = [tuple(groups)]
    out = []
    for group in groups:
        names = (group,) if isinstance(group, str) else tuple(group)
        if not names or not all(isinstance(n, str) for n in names):
            raise SchemaError(
                f"{model}.Meta.{option}: each entry is a field name or a tuple of them"
            )
        out.append(names)
    return tuple(out)


class ModelInfo:
    """Table-level facts of one ORM model (``Model._meta``)."""

    def __init__(self, model: Any, options: MetaOptions, relations: dict[str, Relation]) -> None:
        self.model = model
        self.name = model.__name__
        self.options = options
        self.table = options.table
        self.abstract = options.abstract
        #: forward relations declared on this model (fk, o2o, m2m), by attribute name
        self.relations = relations
        #: relations of other models pointing here, by their accessor name
        self.reverse: dict[str, Relation] = {}
        self._columns: dict[str, Column] | None = None

    # -- columns (built from the compiled schema on first use) ----------------------------

    @property
    def columns(self) -> dict[str, Column]:
        """Every column field, by field name, in field order."""
        if self._columns is None:
            self._columns = self._build_columns()
        return self._columns

    def _build_columns(self) -> dict[str, Column]:
        declared = self.model.__ferrule_declared__
        out: dict[str, Column] = {}
        for field in self.model.__ferrule_schema__["fields"]:
            name = field["name"]
            if name in self.relations:  # the relation attribute itself (author), not a column
                continue
            info = declared.get(name)
            column = build_column(
                self.name, name, info if isinstance(info, ColumnInfo) else None, field
            )
            column.model = self.model
            if column.relation is not None:  # an abstract parent's key: this model's relation
                column.relation = self.relations.get(column.relation.name, column.relation)
            target: Any = column.relation.target if column.relation is not None else None
            if target is not None and not isinstance(target, str) and target is not self.model:
                column.logical = target._meta.key_logical()  # the referenced key's type
            elif target is self.model:
                column.logical = next(c for c in out.values() if c.primary_key).logical
            out[name] = column
        pks = [c for c in out.values() if c.primary_key]
        if len(pks) > 1:
            raise SchemaError(f"{self.name}: more than one primary key ({pks[0].name}, ...)")
        if not pks and not self.abstract:
            if "id" in out:
                raise SchemaError(
                    f"{self.name}.id is not the primary key: declare it with primary_key=True"
                )
            raise SchemaError(
                f"{self.name} has no primary key: add `id: int = orm.Field(primary_key=True)`"
            )
        columns = [c.column for c in out.values()]
        if len(set(columns)) != len(columns):
            raise SchemaError(f"{self.name}: two fields use the same column ({columns})")
        _refuse_unique_json(self.name, out, self.options.unique_together)
        return out

    def retype_key(self, relation: Relation) -> None:
        """The key column of ``relation`` (one of this model's, just resolved) takes its
        target key's type, when the columns were built while the target was only a name
        (the widest integer then): a key column holds what the key it references holds."""
        if self._columns is None or relation.kind == "m2m":
            return
        column = self._columns.get(relation.attname)
        target = relation.target
        if column is None or column.relation is not relation or isinstance(target, str):
            return
        logical = self.pk.logical if target is self.model else target._meta.key_logical()
        if column.logical is not logical:
            column.logical = logical
            column._storage = {}
            column._checker = None
            column._writer = None

    def key_logical(self) -> Any:
        """The primary key's logical type, read without building the other columns: a key
        to this model needs it while its own columns may be being built (two models with
        keys to each other recursed for ever)."""
        if self._columns is not None:
            return self.pk.logical
        declared = self.model.__ferrule_declared__
        for field in self.model.__ferrule_schema__["fields"]:
            name = field["name"]
            if name in self.relations:
                continue
            info = declared.get(name)
            column = build_column(
                self.name, name, info if isinstance(info, ColumnInfo) else None, field
            )
            if not column.primary_key:
                continue
            if column.relation is not None:  # a key that is itself a key to another model
                relation = self.relations.get(column.relation.name, column.relation)
                target = relation.target
                if not isinstance(target, str) and target is not self.model:
                    return target._meta.key_logical()
            return column.logical
        return self.pk.logical  # the SchemaError of a model without a primary key

    # cached in the instance's dict on first use: read on every write, a property's call cost
    # more than the rest of some of them
    @functools.cached_property
    def pk(self) -> Column:
        return next(c for c in self.columns.values() if c.primary_key)

    @functools.cached_property
    def sql_table(self) -> sql.Table:
        return sql.table(self.table, *(c.column for c in self.columns.values()))

    def column(self, name: str, *, what: str = "field") -> Column:
        """The column of field ``name`` (also ``pk`` and a relation's name, meaning its key
        column); a `FieldError` with a suggestion otherwise."""
        if type(name) is not str:  # its own text, before its __eq__/__hash__ search the table
            name = named_text(self.name, name, what)
        columns = self.columns
        found = columns.get(name)
        if found is not None:
            return found
        if name == "pk":
            return self.pk
        relation = self.relations.get(name)
        if relation is not None and relation.kind != "m2m":
            return columns[relation.attname]
        raise self.unknown(name, what)

    def unknown(self, name: str, what: str = "field", extra: Iterable[str] = ()) -> FieldError:
        try:
            name = named_text(self.name, name, what)
        except FieldError as error:
            return error
        relation = self.relation(name) if what == "field" else None
        if relation is not None:  # "did you mean" would offer the same name
            if relation.kind == "m2m":
                kind = f"a many-to-many relation, which no column of {self.name} holds"
            elif self.relations.get(name) is relation:
                kind = f"a relation: its key is the column {relation.attname!r}"
            else:
                kind = f"the reverse of {relation.owner.__name__}.{relation.name}, which no "
                kind += f"column of {self.name} holds"
            return FieldError(f"{self.name} has no field {name!r} here: it is {kind}")
        if what == "relation":
            choices = [*self.relations, *self.reverse, *extra]
            listed = f"(relations: {', '.join(choices) or 'none'})"
            if name in self.columns:  # "did you mean" would offer the same name
                return FieldError(f"{self.name}.{name} is a field, not a relation {listed}")
            return FieldError(
                f"{self.name} has no relation {name!r}{did_you_mean(name, choices)} {listed}"
            )
        names = [*self.columns, *self.relations, *self.reverse]
        if name == "join_type":
            return FieldError(
                f"{self.name} has no field {name!r}: Tortoise's Q(a=1, b=2, join_type='OR') is "
                "Q(a=1) | Q(b=2) here (Django's spelling)"
            )
        listed = (
            f"(fields: {', '.join(names)}; lookups: {', '.join(extra)})"
            if extra
            else f"(fields: {', '.join(names)})"
        )
        return FieldError(
            f"{self.name} has no {what} {name!r}{did_you_mean(name, [*names, *extra])} {listed}"
        )

    @functools.cached_property
    def many_to_many(self) -> frozenset[str]:
        """The names of the model's own many-to-many relations (no column holds them)."""
        return frozenset(n for n, r in self.relations.items() if r.kind == "m2m")

    def relation(self, name: str) -> Relation | None:
        """A forward or reverse relation by accessor name."""
        return self.relations.get(name) or self.reverse.get(name)

    def outer(self, name: str) -> bool:
        """Whether ``name`` is a reverse or many-to-many relation: read through a LEFT JOIN,
        its key is NULL for a row without related rows, though no key column holds NULL."""
        relation = self.relation(name)
        return relation is not None and (
            relation.kind == "m2m" or self.relations.get(name) is not relation
        )

    def __repr__(self) -> str:
        return f"<ModelInfo {self.name} table={self.table!r}>"


def _retype_key(relation: Relation) -> None:
    """``registry.on_resolved``: a key column built before its target was known (`_claim`
    of another relation of the model reads its columns) gets the target key's type."""
    owner = relation.owner
    info = owner.__dict__.get("_meta") if owner is not None else None
    if isinstance(info, ModelInfo):
        info.retype_key(relation)


registry.on_resolved.append(_retype_key)


def other_spelling(name: str, bad: str) -> str:
    """How Tortoise's negated lookups (``__not``, ``__not_in``, ``__not_isnull``) are written
    here, for the error of ``name``; "" for another name."""
    path = name[: -len(bad) - 2] if name.endswith("__" + bad) else name
    spelled = {
        "not": f"exclude({path}=...)",
        "not_in": f"exclude({path}__in=...)",
        "not_isnull": f"{path}__isnull= the opposite value",
    }.get(bad)
    return f"; Tortoise's __{bad} is {spelled} here" if spelled else ""


def _refuse_unique_json(model: str, columns: dict[str, Column], groups: Any) -> None:
    """A JSON field in a unique constraint: PostgreSQL's ``jsonb`` tells ``{"a": 1}`` and
    ``{"a": 1.0}`` (or keys in another order) equal and refuses the second row, SQLite and
    MariaDB compare the text and store both, so the constraint would hold other rows on each."""
    for name, column in columns.items():
        grouped = [g for g in groups if name in g]
        if column.logical.name == "json" and column.enum is None and (column.unique or grouped):
            where = f"unique_together {grouped[0]!r}" if grouped else "unique=True"
            raise SchemaError(
                f"{model}.{name}: a JSON field in a unique constraint ({where}): PostgreSQL "
                "tells JSON values apart as Python compares them, SQLite and MariaDB by their "
                "text, so each would keep other rows; make a unique text field of its "
                "canonical form instead"
            )
