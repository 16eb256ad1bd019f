"""``orm.Model``: a ``ferrule.Model`` that is also a table.

The metaclass turns field-class declarations into annotated fields (so both declaration styles
compile to the same schema), expands each foreign key ``author`` into the column field
``author_id`` and the relation attribute ``author``, reads ``class Meta``, gives each model its
own ``DoesNotExist``/``MultipleObjectsReturned`` and registers it for relations by name."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable
from typing import Any, ClassVar

from typing_extensions import Self, dataclass_transform

from ferrule import errors
from ferrule.errors import SchemaError
from ferrule.models import _fields_set, _resolve
from ferrule.models._core import force_setattr
from ferrule.models.base import Model as BaseModel
from ferrule.models.base import ModelMeta, _is_classvar, model_validator
from ferrule.models.fields import MISSING, FieldInfo
from ferrule.orm import (
    cleaning,
    copying,
    instance_values,
    native_paths,  # noqa: F401 - installs the native filter/order_by/limit
    persistence,
    refreshing,
    registry,
    relation_schema,
)
from ferrule.orm import related_managers as related_managers  # the reverse attributes
from ferrule.orm.columns import column_constraints
from ferrule.orm.databases import database_for
from ferrule.orm.fields import ColumnInfo, Field, Relation
from ferrule.orm.options import MetaOptions, ModelInfo
from ferrule.orm.prefetching import Prefetch
from ferrule.orm.queries import Queries
from ferrule.orm.relations import (
    DATABASES_GIVEN,
    NOT_LOADED,
    SYNCED,
    follow_database,
    loaded,
    related_cache,
    row_of,
)

__all__ = ["NOT_LOADED", "Model", "ModelMetaclass", "database_for"]


def _pk_type(target: Any) -> Any:
    """The Python type of a relation's key column: the target's primary key type when the
    target is defined, else ``int``."""
    if isinstance(target, type):
        declared: dict[str, Any] = getattr(target, "__ferrule_declared__", {})
        for name, info in declared.items():
            if isinstance(info, ColumnInfo) and info.primary_key:
                hint = getattr(target, _resolve.HINTS, {}).get(name)
                return hint if hint is not None else (info.python_type or int)
    return int


def _key_annotation(target: Any) -> Any:
    return typing.Optional[_pk_type(target)]  # noqa: UP045


def _retype_key_field(relation: Relation) -> None:
    """``registry.on_resolved``: the ``<name>_id`` field of a relation whose target was not
    a class yet when its model was made (``ForeignKeyField("Shelf")`` before ``Shelf``) was
    typed ``int``; a target whose key is a str or a UUID would have its key validated (and
    filters and saves converted) as an int: ``shelf_id="007"`` became 7. The model that
    declares the field (an abstract base's, for its children) and every subclass of it
    already compiled are compiled again with the target key's type."""
    if relation.kind == "m2m" or relation.owner is None:
        return
    name = relation.attname
    declaring = next((k for k in relation.owner.__mro__ if name in _annotations_of(k)), None)
    if declaring is None:
        return
    wanted = _key_annotation(relation.target)
    annotations = _annotations_of(declaring)
    if annotations[name] == wanted:
        return
    annotations[name] = wanted
    hints = declaring.__dict__.get(_resolve.HINTS)
    if hints is not None:  # the annotations as the class compiled them, read first
        hints[name] = wanted
    from ferrule.models.base import _compile

    waiting = [declaring]
    while waiting:
        model = waiting.pop()
        waiting.extend(model.__subclasses__())
        if model.__dict__.get("__ferrule_validator__") is not None:
            _compile(model)  # (one waiting for a name compiles on first use, retyped)
            _reschema_column(model, name)


def _reschema_column(model: Any, name: str) -> None:
    """The key column ``name`` of ``model``, when its columns were built before the retype
    (a model whose key names itself by its class name): its filters and updates validate
    by the recompiled field's schema, not the ``int`` it had."""
    meta = model.__dict__.get("_meta")
    column = meta._columns.get(name) if meta is not None and meta._columns else None
    if column is None:
        return
    field = next(f for f in model.__ferrule_schema__["fields"] if f["name"] == name)
    column.schema = field["schema"]
    column._checker = None


registry.on_resolved.append(_retype_key_field)


def _annotations_of(cls: type) -> dict[str, Any]:
    """The class's own annotations dict itself (`_expand` wrote the key fields' there), to be
    changed in place; empty for a class without one."""
    found = cls.__dict__.get("__annotations__")  # noqa: RUF063 - the dict itself, not a copy
    return found if isinstance(found, dict) else {}


def _expand(name: str, namespace: dict[str, Any]) -> dict[str, Relation]:
    """Rewrite a class body: annotations for field-class declarations, relation fields."""
    annotations = _resolve.class_annotations(namespace)
    relations: dict[str, Relation] = {}
    for attr, value in list(namespace.items()):
        if not isinstance(value, ColumnInfo):
            continue
        relation = value.relation
        if relation is None:
            if attr not in annotations:
                if value.python_type is None:
                    raise SchemaError(f"{name}.{attr}: orm.Field() without a type annotation")
                hint = value.python_type
                annotations[attr] = hint | None if value.null else hint
            continue
        if attr in annotations:
            raise SchemaError(f"{name}.{attr}: a relation field takes no annotation")
        relation.name = attr
        if relation.on_delete == "set default":
            raise SchemaError(
                f'{name}.{attr}: on_delete="set default" is not one answer on the three'
                " databases: MariaDB has no SET DEFAULT, and SQLite and PostgreSQL set the key"
                " column's database default, which is NULL (Django writes the field's default);"
                ' use "set null", "cascade" or "restrict"'
            )
        relations[attr] = relation
        del namespace[attr]
        if relation.kind == "m2m":
            continue
        key = ColumnInfo(
            None,
            null=relation.null,
            index=value.index,
            unique=value.unique,
            db_column=relation.db_column,
            relation=relation,
        )
        annotations[relation.attname] = _key_annotation(relation.target)
        namespace[relation.attname] = key
        annotations[attr] = Any
        namespace[attr] = FieldInfo(NOT_LOADED, exclude=True)
    namespace["__annotations__"] = annotations
    return relations


def _relation_check(relations: dict[str, Relation]) -> Any:
    """An after validator (it also runs after each validated assignment): a related instance
    given at construction or assigned sets the key field; a key assigned by hand drops a
    loaded instance that no longer matches; a required relation given neither way is an
    error. The instance last synced is remembered to tell the two assignments apart."""
    keyed = [r for r in relations.values() if r.kind != "m2m"]

    def sync(self: Any) -> Any:
        cache = None
        for relation in keyed:
            value = getattr(self, relation.name, NOT_LOADED)
            if value is NOT_LOADED:
                if not relation.null and getattr(self, relation.attname, None) is None:
                    raise _relation_error(self, relation, "missing", None, "is required")
                continue
            if value is None:
                if not relation.null:
                    given = relation.name in _fields_set.given_names(self, type(self).model_fields)
                    kind, problem = (
                        ("is_instance_of", "cannot be None")
                        if given
                        else ("missing", "is required")
                    )
                    raise _relation_error(self, relation, kind, None, problem)
                if cache is None:
                    cache = related_cache(self)
                mark = SYNCED + relation.name
                synced = _ABSENT if cache is None else cache.get(mark, _ABSENT)
                if synced is None and getattr(self, relation.attname, None) is not None:
                    # synced with None (loaded so, or assigned), the key assigned since: it
                    # wins, as over an instance (assigning None after an instance clears it)
                    _store(self, relation.name, NOT_LOADED)
                    del cache[mark]  # type: ignore[union-attr]
                    continue
                _store(self, relation.attname, None)
                _key_given(self, relation, always=False)  # None: also read when not given
                if synced is not _ABSENT or _holds_none(self, relation):
                    if cache is None:
                        cache = loaded(self)
                    cache[mark] = None
                continue
            if cache is None:
                cache = related_cache(self)
            mark = SYNCED + relation.name
            key = getattr(value, "pk", None)
            if cache is not None and cache.get(mark, _ABSENT) is value:
                if getattr(self, relation.attname, None) != key:  # the key was assigned
                    _store(self, relation.name, NOT_LOADED)
                    del cache[mark]
                continue
            target = relation.target
            if isinstance(target, type) and not row_of(value, target):  # its real type, table
                raise _relation_error(self, relation, "is_instance_of", value, None)
            if key is None:
                raise ValueError(f"{relation.name}: save the {type(value).__name__} first")
            _store(self, relation.attname, key)
            _key_given(self, relation)
            if cache is None:
                cache = loaded(self)
            cache[mark] = value
            if relation.kind == "o2o" and relation.accessor:  # both sides, as Django's
                loaded(value)[relation.accessor] = self
            if DATABASES_GIVEN[0]:  # (no call while no `using` was ever given)
                follow_database(self, value)
        return self

    return model_validator(mode="after")(sync)


#: no synced mark (``cache.get``'s default: a mark may hold None)
_ABSENT: Any = object()


def _both_given(relations: dict[str, Relation]) -> Any:
    """A before validator: a relation and its key column given together (``Post(author=ann,
    author_id=7)``) must name the same row. Django sets the key last and drops the instance;
    ferrule kept the instance's key in silence: both are a guess, so two different rows are a
    `ValidationError` naming both keywords (the same row given both ways is accepted)."""
    keyed = [r for r in relations.values() if r.kind != "m2m"]

    def both(cls: Any, data: Any) -> Any:
        if type(data) is dict:
            for relation in keyed:
                if relation.name in data and relation.attname in data:
                    refuse_both(cls, relation, data[relation.name], data[relation.attname])
        return data

    return model_validator(mode="before")(typing.cast(Any, classmethod(both)))


def refuse_both(model: Any, relation: Relation, value: Any, key: Any) -> None:
    """The error of ``relation`` given as ``value`` and its key column as ``key`` when they
    name different rows (None is no row); a value of the wrong type is left to the
    relation's own check, a key that is no key to the key field's."""
    target = relation.target
    if value is None:
        mine = None
    elif isinstance(target, type) and row_of(value, target):
        mine = value.pk
        if mine is None:
            return  # "save the ... first", from the relation check
    else:
        return
    if key is not None:
        try:
            key = target._meta.pk.check(key, model.__name__)
        except (errors.ValidationError, errors.FieldError, ValueError, TypeError):
            return  # the key field's own error, from its validation
    if key == mine and (key is None) is (mine is None):
        return
    message = (
        f"{relation.name} and {relation.attname} name different rows ({relation.name}="
        f"{'None' if value is None else f'<{type(value).__name__} pk={mine!r}>'}, "
        f"{relation.attname}={key!r}): give the related instance or its key, not both"
    )
    raise errors.ValidationError(
        model.__name__, [((relation.name,), "value_error", value, {"error": message}, message)]
    )


def _holds_none(instance: Any, relation: Relation) -> bool:
    """Whether the relation's slot itself holds None (given or assigned so), not
    ``NOT_LOADED`` read as None for a key that is None."""
    try:
        return getattr(type(instance), relation.name).__get__(instance, None) is None
    except AttributeError:
        return False


def _mark_unvalidated(instance: Any) -> None:
    loaded(instance)[instance_values.UNVALIDATED] = True
    instance_values.MARKED[0] += 1


def _relation_error(
    instance: Any, relation: Relation, kind: str, value: Any, problem: str | None
) -> errors.ValidationError:
    """A relation's error at its own place (loc), as a field's is, naming its key field
    (``problem`` None: a value of the wrong type)."""
    target = getattr(relation.target, "__name__", str(relation.target))
    if problem is None:
        message = f"Input should be an instance of {target} (a key is given as {relation.attname})"
    else:
        message = (
            f"{relation.name} {problem}: give a saved {target} instance, or its key as "
            f"{relation.attname}"
        )
    return errors.ValidationError(
        type(instance).__name__, [((relation.name,), kind, value, {"class": target}, message)]
    )


def _key_given(instance: Any, relation: Relation, always: bool = True) -> None:
    """The key column of a relation given (an instance, or None at construction) counts as
    given too (``model_fields_set``, ``exclude_unset``): the relation itself is never
    dumped, so its key is what says it."""
    fields = type(instance).model_fields
    if always or relation.name in _fields_set.given_names(instance, fields):
        name = relation.attname
        _fields_set.mark_given(instance, list(fields).index(name), name, len(fields))


def _store(instance: Any, name: str, value: Any) -> None:
    force_setattr(instance, name, value)


def _forbid_extra(
    bases: tuple[type, ...], namespace: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    """An ORM model refuses a keyword no field takes (``extra="forbid"``), as Django's and
    Tortoise's models do: a misspelt field name, or a to-many relation (set through its
    manager), was dropped in silence. A model saying ``extra`` itself, or inheriting it from
    an ORM model, keeps its own."""
    if "extra" in kwargs or any(isinstance(b, ModelMetaclass) and b is not Model for b in bases):
        return
    declared = namespace.get("model_config")
    if declared is None:
        namespace["model_config"] = {"extra": "forbid"}
    elif isinstance(declared, dict) and "extra" not in declared:
        namespace["model_config"] = {**declared, "extra": "forbid"}


def _refuse_class_equality(mcs: type, name: str) -> None:
    """A model class is equal to itself alone: ferrule keys its queries (``queryset.fresh``,
    statement shapes) and caches by the class, so a metaclass that makes another class
    equal to it would have its queries read that class's table."""
    for dunder in ("__eq__", "__hash__"):
        owner = next(k for k in mcs.__mro__ if dunder in k.__dict__)
        if owner is not object:
            raise SchemaError(
                f"{name}: its metaclass {owner.__name__} redefines __eq__/__hash__ of "
                "classes; a model class is compared by identity (ferrule keys its queries "
                "and caches by the class)"
            )


@dataclass_transform(kw_only_default=True, field_specifiers=(Field, ColumnInfo, FieldInfo))
class ModelMetaclass(ModelMeta):
    """Compiles an ORM model: see the module docstring."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> ModelMetaclass:
        if namespace.get("__ferrule_root__"):
            return typing.cast(
                ModelMetaclass, super().__new__(mcs, name, bases, namespace, **kwargs)
            )
        _forbid_extra(bases, namespace, kwargs)
        _refuse_class_equality(mcs, name)
        meta = namespace.pop("Meta", None)
        relations = _expand(name, namespace)
        _refuse_reserved(name, namespace["__annotations__"], relations)
        inherited = _parent_info(bases)
        if inherited is not None:
            for rel_name, relation in inherited.relations.items():
                if rel_name not in relations:  # a parent's: each child's own (its table's)
                    relations[rel_name] = relation.for_child()
        own_relations = {k: r for k, r in relations.items() if r.owner is None}
        if any(r.kind != "m2m" for r in relations.values()):
            namespace["_ferrule_relation_check"] = _relation_check(relations)
            namespace["_ferrule_both_given"] = _both_given(relations)
        try:
            cls: Any = super().__new__(mcs, name, bases, namespace, **kwargs)
        except TypeError as exc:
            if "lay-out conflict" not in str(exc):
                raise
            models = [b.__name__ for b in bases if isinstance(b, ModelMetaclass)]
            raise SchemaError(
                f"{name}: a model inherits from one orm.Model (its fields, one table each "
                f"step), not from several ({', '.join(models)}); share fields with an "
                "abstract base (Meta.abstract = True) and plain mixins"
            ) from exc
        _refuse_django_hooks(name, cls, namespace)
        _refuse_own_key(cls, name)
        if cls.model_config.get("extra") == "allow":
            raise SchemaError(
                f"{name}: model_config extra='allow' keeps values no column stores (they would "
                "be lost on save, silently): use 'ignore' or 'forbid', or declare the fields"
            )
        options = MetaOptions(name, meta, inherited.options if inherited else None)
        for relation in own_relations.values():
            relation.owner = cls
        info = ModelInfo(cls, options, relations)
        cls._meta = info
        if options.abstract:  # for Django's `class Meta(Base.Meta):` in a child
            cls.Meta = meta
        parent_dne = getattr(cls, "DoesNotExist", errors.DoesNotExist)
        parent_mor = getattr(cls, "MultipleObjectsReturned", errors.MultipleObjectsReturned)
        cls.DoesNotExist = type("DoesNotExist", (parent_dne,), {"__module__": cls.__module__})
        cls.MultipleObjectsReturned = type(
            "MultipleObjectsReturned", (parent_mor,), {"__module__": cls.__module__}
        )
        from ferrule.orm import relations as relations_module

        relations_module.install_forward(cls, own_relations)
        registry.register(cls)
        return typing.cast(ModelMetaclass, cls)


#: the methods ``create()``, ``get_or_create()``, related managers and user code await
_AWAITED = ("save", "delete", "refresh_from_db")


def _refuse_django_hooks(name: str, cls: Any, namespace: dict[str, Any]) -> None:
    """A Django model's hooks that would silently not run here: ``from_db`` (never called:
    rows are built in the core), and a plain ``def save()`` ported as Django writes it (its
    ``super().save()`` is a coroutine nobody awaits, so nothing would be written)."""
    if hasattr(cls, "from_db"):
        raise SchemaError(
            f"{name}.from_db: Django calls from_db() to make each loaded instance; "
            "ferrule builds rows into instances in its core and never calls it, so it "
            "would silently not run: do that work on the instances a query returns, and "
            "name the method otherwise"
        )
    for method in _AWAITED:
        found = namespace.get(method)
        if inspect.isfunction(found) and not inspect.iscoroutinefunction(inspect.unwrap(found)):
            raise SchemaError(
                f"{name}.{method}: ferrule's {method}() is a coroutine, awaited by create(), "
                f"the related managers and your code; a plain def {method}() would leave "
                f"super().{method}() unawaited and nothing written: make it "
                f"'async def {method}(self, *args, **kwargs)' and "
                f"'await super().{method}(*args, **kwargs)'"
            )


def _refuse_reserved(name: str, annotations: dict[str, Any], relations: dict[str, Any]) -> None:
    """A field named as the ORM's API (``count``, ``values``, ``save``, ``pk``, ...) would
    hide it, and the model would break later with an unrelated error."""
    for field in (*annotations, *relations):
        if field in _ORM_NAMES and not _is_classvar(annotations.get(field)):
            raise SchemaError(
                f"{name}.{field}: the name is taken by orm.Model's {field}; name the field "
                f"otherwise (db_column={field!r} keeps the column's name)"
            )
        if "__" in field and not field.startswith("_"):  # (a leading _ is no field's)
            raise SchemaError(
                f"{name}.{field}: a field name cannot hold '__', which separates relations "
                f"and lookups in filter() names (as in Django); db_column={field!r} keeps "
                "the column's name"
            )


def _refuse_own_key(cls: type, name: str) -> None:
    """``pk`` is ``orm.Model``'s: the ORM reads an instance's key through it (``delete()``,
    ``refresh_from_db()``), so one that answered another key would act on another row."""
    owner = next(k for k in cls.__mro__ if "pk" in k.__dict__)
    if owner.__dict__["pk"] is not Model.__dict__["pk"]:
        raise SchemaError(
            f"{name}.pk: {owner.__name__} defines pk, which orm.Model reads as the primary "
            "key's value; name it otherwise"
        )


def _pk_keyword(declared: dict[str, Any], fields: list[Any]) -> None:
    """Django's ``Model(pk=value)``: the primary key field's schema reads the keyword ``pk``
    after its own name or alias (the first path still names it when it is missing). Given
    both ways, the second is an extra input, refused as any unknown keyword is."""
    for field in fields:
        info = declared.get(field["name"])
        if not (isinstance(info, ColumnInfo) and info.primary_key):
            continue
        paths = field.get("validation_alias")
        if paths is None:
            alias = field["alias"]
            paths = [[alias or field["name"]]]
            if alias is not None:  # the alias moves into the paths; dumps still write it
                field["alias"] = None
                field.setdefault("serialization_alias", alias)
        if ["pk"] not in paths:
            field["validation_alias"] = [*paths, ["pk"]]
        return


def _parent_info(bases: tuple[type, ...]) -> ModelInfo | None:
    for base in bases:
        info = base.__dict__.get("_meta") if isinstance(base, ModelMetaclass) else None
        if info is not None:
            return typing.cast(ModelInfo, info)
    return None


class Model(BaseModel, Queries, metaclass=ModelMetaclass):
    """Base class of ORM models: a validated ``ferrule.Model`` stored in a table."""

    __slots__ = ("__ferrule_related__",)
    __ferrule_root__: ClassVar[bool] = True
    __ferrule_columns__: ClassVar[bool] = True
    #: each field's schema gets the range of its integer column (``ge``/``le``)
    __ferrule_column_constraints__ = staticmethod(column_constraints)
    #: the JSON Schema of its relations: their keys, as its JSON carries them
    __ferrule_json_schema_fields__ = staticmethod(relation_schema.json_fields)
    #: the primary key field also takes the keyword ``pk``: ``Author(pk=5)``, as Django's
    __ferrule_adjust_fields__ = staticmethod(_pk_keyword)
    _meta: ClassVar[ModelInfo]
    DoesNotExist: ClassVar[type[errors.DoesNotExist]] = errors.DoesNotExist
    MultipleObjectsReturned: ClassVar[type[errors.MultipleObjectsReturned]] = (
        errors.MultipleObjectsReturned
    )

    # -- identity -------------------------------------------------------------------------

    @property
    def pk(self) -> Any:
        """The primary key value (None until saved, for a database-generated key)."""
        return getattr(self, type(self)._meta.pk.name, None)

    @pk.setter
    def pk(self, value: Any) -> None:
        """Sets the primary key field, validated as the field is; None on a key the database
        makes leaves the instance unsaved, so ``save()`` stores a copy under a new key
        (Django's way to copy an instance)."""
        key = type(self)._meta.pk
        if value is None and key.identity:
            force_setattr(self, key.name, None)
        else:
            setattr(self, key.name, value)

    def __eq__(self, other: object) -> bool:
        """Two instances are equal when they are the same row: same model, same saved key
        (an unsaved instance equals only itself), as in Django."""
        if type(other) is not type(self):
            return NotImplemented
        mine = self.pk
        return self is other if mine is None else bool(mine == other.pk)

    def __hash__(self) -> int:
        key = self.pk
        if key is None:
            raise TypeError(f"unsaved {type(self).__name__} instances are unhashable")
        return hash((type(self), key))

    @classmethod
    def model_construct(cls, /, _fields_set: Iterable[str] | None = None, **values: Any) -> Self:
        """As ``ferrule.Model.model_construct``; ``save()`` validates such an instance (a
        relation and its key naming different rows are refused here: the relation's key
        would win in silence then)."""
        for relation in cls._meta.relations.values():
            if relation.name in values and relation.attname in values:
                refuse_both(cls, relation, values[relation.name], values[relation.attname])
        instance = super().model_construct(_fields_set, **values)
        _mark_unvalidated(instance)
        return instance

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Self:
        """As ``ferrule.Model.model_copy``; with ``update``, ``save()`` validates the copy."""
        if deep:  # through copy.deepcopy's memo: loaded relations may make cycles
            copied = copying.deep_copy(self, {})
            if update:
                copied = copied.model_copy(update=update)
            return copied  # type: ignore[no-any-return]
        if update:
            for relation in type(self)._meta.relations.values():
                if relation.name in update and relation.attname in update:
                    refuse_both(
                        type(self), relation, update[relation.name], update[relation.attname]
                    )
        copied = super().model_copy(update=update, deep=deep)
        copying.carry_loaded(self, copied, deep)
        if update:
            _mark_unvalidated(copied)
            copying.rekey_copy(copied, update)
        return copied

    def __reduce__(self) -> tuple[Any, ...]:
        return copying.reduce_loaded(self, super().__reduce__())

    def __setstate__(self, state: Any) -> None:
        copying.set_loaded(self, state)

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return copying.deep_copy(self, memo)  # type: ignore[no-any-return]

    def update_from_dict(self, data: Any) -> Self:
        """Tortoise's spelling: set each field of ``data`` (validated, as an assignment is)
        and return the instance; ``save()`` writes it."""
        cls = type(self)
        for name, value in dict(data).items():
            if name not in cls.model_fields:  # a many-to-many relation is none either
                raise errors.FieldError(
                    f"{cls.__name__}.update_from_dict(): {name!r} is not a field of "
                    f"{cls.__name__} (fields: {', '.join(cls._meta.columns)})"
                )
            setattr(self, name, value)
        return self

    def __getattr__(self, name: str) -> Any:
        """Only reached when normal lookup failed: an ``annotate()`` value, or a clear error
        for a field that ``only()``/``defer()`` left out."""
        if not name.startswith("__"):
            relation = type(self)._meta.relation(name)
            if relation is not None:  # the descriptor's own error (not loaded), raised again
                for klass in type(self).__mro__:
                    if name in klass.__dict__:
                        return klass.__dict__[name].__get__(self, type(self))
            cache = related_cache(self)
            if cache is not None and "@" + name in cache:
                return cache["@" + name]
            if name in type(self)._meta.columns:
                raise AttributeError(
                    f"{type(self).__name__}.{name} was not loaded: the query's only()/defer() "
                    "left it out"
                )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        cls = type(self)
        shown = []
        for name in cls._meta.columns:
            value = getattr(self, name, MISSING)
            if value is MISSING:
                text = "<deferred>"
            elif value is not None and cls.model_fields[name].secret:
                text = "'**********'"
            else:
                text = repr(value)
            shown.append(f"{name}={text}")
        return f"{cls.__name__}({', '.join(shown)})"

    def check_password(self, password: str | bytes, *, field: str | None = None) -> bool:
        """Whether `password` matches this row's `PasswordField` (``field=`` names it when
        there are several); a match re-hashes an outdated hash in memory (save to keep it).
        See ``orm.secrets``."""
        from ferrule.orm.secrets import check_password

        return check_password(self, password, field)

    def get_deferred_fields(self) -> set[str]:
        """The fields ``only()``/``defer()`` left unloaded (by column name: ``author_id``),
        as Django's; ``refresh_from_db(fields=...)`` loads them."""
        return set(persistence.not_loaded(self))

    # -- Django's validation hooks (orm.cleaning does the work) ----------------------------

    def clean(self) -> None:
        """Your checks across fields (Django's hook; this one does nothing): raise a
        ``ValidationError``, or a ``ValueError`` that ``full_clean()`` places at
        ``"__all__"``."""

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        """Check every field's current value but those in ``exclude`` (values set past
        validation: ``model_construct``, ``validate_assignment=False``) and keep what the
        check made of them; a ``ValidationError`` for those that fail."""
        cleaning.clean_fields(self, exclude)

    async def validate_unique(
        self, exclude: Iterable[str] | None = None, *, using: Any = None
    ) -> None:
        """A ``ValidationError`` for each ``unique`` field or ``unique_together`` group
        whose values another row holds (a query each)."""
        await cleaning.validate_unique(self, exclude, using)

    async def full_clean(
        self,
        exclude: Iterable[str] | None = None,
        validate_unique: bool = True,
        *,
        using: Any = None,
    ) -> None:
        """``clean_fields()``, ``clean()`` and ``validate_unique()`` in Django's order, their
        errors raised together as one ``ValidationError`` (``orm.cleaning``)."""
        await cleaning.full_clean(self, exclude, validate_unique, using)

    # -- persistence (orm.persistence does the work) --------------------------------------

    #: ``persistence.save_method``: an existing row's update is written out there
    save = persistence.save_method

    async def delete(self, *, using: Any = None) -> int:
        """Delete the row (``on_delete`` rules of other tables apply in the database; the rows
        a cascade removes send their delete signals when a receiver watches them:
        ``orm.cascades``); the number of its rows deleted, 1 (0 when it was gone), as
        ``QuerySet.delete()`` counts: with the rows of its own model its cascade removed, a
        tree's children (Django's answer is a tuple of counts, per model)."""
        return await persistence.delete(self, using)

    async def refresh_from_db(self, *, using: Any = None, fields: Any = None) -> None:
        """Reload the column values (all, or ``fields``) from the database."""
        await refreshing.refresh(self, using, fields)

    async def fetch_related(self, *names: str | Prefetch, using: Any = None) -> None:
        """Load the named relations now (one query each): ``await post.fetch_related(
        "author", "tags")``."""
        from ferrule.orm import prefetch
        from ferrule.orm.relations import own_database

        await prefetch.prefetch([self], names, own_database(self, using))


#: the names orm.Model adds to ferrule.Model's (the query API, save, pk, ...): no field's
_ORM_NAMES = frozenset(n for n in dir(Model) if not n.startswith("_")) - frozenset(
    n for n in dir(BaseModel) if not n.startswith("_")
)
