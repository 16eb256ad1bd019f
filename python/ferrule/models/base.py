"""`Model`: a declarative class compiled once, at definition, into a validator of the chosen core.

Instances keep plain ``__slots__`` members (fast reads, ~8 bytes per field); construction and
assignment go through the base class's native ``tp_new``/``tp_setattro``, never through
``__getattr__``.
"""

from __future__ import annotations

import abc
import copy
import copyreg
import functools
import reprlib
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Literal, NamedTuple, TypeVar

from typing_extensions import Self, dataclass_transform

from ferrule.errors import SchemaError, ValidationError
from ferrule.models import _config_options, _generics, _introspect, _resolve, serializers
from ferrule.models import _fields_set as _given
from ferrule.models import private as _private
from ferrule.models._class_methods import bind_class_methods, unbind_inherited
from ferrule.models._config_types import apply_type_options, has_type_options
from ferrule.models._core import (
    ModelBase,
    SchemaValidator,
    force_setattr,
    install_fast_call,
    new_instance,
    remove_fast_call,
)
from ferrule.models._signatures import needs_info, plain_leaf
from ferrule.models.aliases import NOT_FOUND, take_for_construct
from ferrule.models.config import CONFIG_DEFAULTS, GIVEN_CONFIG, ConfigDict, merge_config
from ferrule.models.decorators import collect_validators, field_validator, model_validator
from ferrule.models.fields import MISSING, Field, FieldInfo
from ferrule.models.schema import ModelSchema

__all__ = ["BaseModel", "BatchResult", "ConfigDict", "Model", "field_validator", "model_validator"]

M = TypeVar("M", bound="Model")
T = TypeVar("T")


#: Names a field may not take because the model API already uses them.
_RESERVED = frozenset(
    {"dict", "json", "json_bytes", "validate", "from_dict", "validate_json", "validate_many"}
    | {"validate_json_many", "json_schema", "copy", "model_config", "model_fields"}
    | {"validate_json_stream", "validate_stream"}
    | {"model_computed_fields"}
)

#: What a ``Field(secret=True)`` value is shown as (pydantic's `SecretStr` text).
_SECRET_MASK = "**********"


class BatchResult(NamedTuple):
    """Outcome of ``validate_many(..., errors="collect")``."""

    items: list[Any]  # aligned with the input; None where the record failed
    errors: dict[int, ValidationError]

    @property
    def valid(self) -> list[Any]:
        return [item for index, item in enumerate(self.items) if index not in self.errors]


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, ModelMeta) and candidate.__dict__.get("__ferrule_root__") is None


@dataclass_transform(kw_only_default=True, field_specifiers=(Field, FieldInfo))
class ModelMeta(abc.ABCMeta):
    """Turns annotations into slots and a compiled validator when a model class is defined.

    An `abc.ABCMeta` so that ABC mixins combine with models; instance and subclass checks stay
    `type`'s own (exact, and no Python frame on the validators' ``isinstance`` path)."""

    __instancecheck__ = type.__instancecheck__
    __subclasscheck__ = type.__subclasscheck__

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> ModelMeta:
        if namespace.get("__ferrule_root__"):
            return super().__new__(mcs, name, bases, namespace)
        model_bases = _model_bases(bases)
        config = merge_config(model_bases, namespace, kwargs, name)
        inherited = _inherited_fields(model_bases)
        annotations = _resolve.class_annotations(namespace)
        inherited_private = _inherited_private(model_bases)
        private, private_slots = _private.collect(
            name, namespace, annotations, inherited_private, _is_classvar
        )
        columns_allowed = any(getattr(base, "__ferrule_columns__", False) for base in bases)
        own: dict[str, FieldInfo] = {}
        for field_name, annotation in annotations.items():
            if field_name.startswith("_") or _is_classvar(annotation):
                continue
            if field_name in _RESERVED:
                raise SchemaError(f"{name}.{field_name}: the name is reserved by the Model API")
            value = namespace.pop(field_name, MISSING)
            own[field_name] = value if isinstance(value, FieldInfo) else FieldInfo(value)
            options = own[field_name].column_options()
            if options and not columns_allowed:
                raise SchemaError(
                    f"{name}.{field_name}: column options ({', '.join(options)}) belong to "
                    "ferrule.orm.Model fields, not to a plain ferrule.Model"
                )
        for field_name, value in namespace.items():
            if isinstance(value, FieldInfo):
                if value.column_options() and not columns_allowed:
                    raise SchemaError(
                        f"{name}.{field_name}: column options belong to ferrule.orm.Model "
                        "fields, not to a plain ferrule.Model"
                    )
                raise SchemaError(f"{name}.{field_name}: Field() without a type annotation")
        slots = [n for n in own if n not in inherited] + private_slots
        slots.extend(serializers.cache_slots(namespace))
        if config["extra"] == "allow" and not any(
            "__ferrule_extra__" in getattr(b, "__slots__", ()) for b in model_bases
        ):
            slots.append("__ferrule_extra__")
        if slots and not any(hasattr(b, _given.SLOT) for b in bases):
            slots.append(_given.SLOT)  # which fields an instance was given
        namespace["__slots__"] = tuple(slots)
        if config["extra"] == "allow" and _no_user_getattr(namespace, bases):
            namespace["__getattr__"] = _read_extra
        # in the namespace: a setattr on the new class would invalidate its type caches again
        namespace["__private_attributes__"] = private
        namespace["__ferrule_declared__"] = {**inherited, **own}
        namespace["__ferrule_validator__"] = None
        cls = super().__new__(mcs, name, bases, namespace)
        cls.model_config = config  # type: ignore[attr-defined]
        if _generics.GENERIC in namespace:  # Page[User]: compiled once it is cached
            _await_names(cls)
        else:
            _compile_or_wait(cls, _resolve.defining_frame(ModelMeta, cls.__module__))
        return cls

    if not typing.TYPE_CHECKING:  # (a type checker keeps refusing unknown class attributes)

        def __setattr__(cls, name: str, value: Any) -> None:
            _keep_slot(cls, name, value)
            super().__setattr__(name, value)

        def __delattr__(cls, name: str) -> None:
            _keep_slot(cls, name, MISSING)
            super().__delattr__(name)

    def register(cls, subclass: type[T]) -> type[T]:
        """Refused: only real subclasses of a model hold its validated fields."""
        raise TypeError(f"{cls.__name__} is a model class: it cannot have virtual subclasses")

    def __ferrule_complete__(cls) -> Any:
        """Compile a class whose forward references could not be resolved at definition."""
        validator = cls.__dict__.get("__ferrule_validator__")
        if validator is None:
            try:
                validator = _compile(cls)
            except NameError as exc:
                raise _not_defined(cls, exc) from exc
        return validator


def _keep_slot(cls: Any, name: str, value: Any) -> None:
    """Refuse to put ``value`` in front of a field's slot on a made class (a property, a
    plain value), or to delete the slot: the compiled validator and the ORM's readers store
    and read the slot itself, the pure twin through the attribute, so the two would part.
    A subclass declaring the field anew is the way (checked when it is made)."""
    declared = cls.__dict__.get("__ferrule_declared__") or getattr(
        cls, "__ferrule_declared__", None
    )
    if not declared or name not in declared:
        return
    slot = getattr(cls, name, None)
    if type(slot) is types.MemberDescriptorType and value is not slot:
        raise SchemaError(
            f"{cls.__name__}.{name} is a field: its slot cannot be replaced or deleted on the "
            "class (the instances store their values there); declare a subclass instead"
        )


def _await_names(cls: Any) -> None:
    """`cls` is compiled on first use (a forward reference, or a parametrised class)."""
    unbind_inherited(cls)
    for attr in ("model_fields", "__ferrule_schema__"):
        setattr(cls, attr, _AwaitingNames(attr))


def _compile_or_wait(cls: Any, scope: Any = None) -> None:
    """`scope`: the frame of the class statement, kept on the class only while it waits."""
    try:
        _compile(cls, scope=scope)
    except NameError:  # a forward reference: compiled on first use instead
        if scope is not None:
            setattr(cls, _resolve.SCOPE, scope)
        _await_names(cls)


copyreg.pickle(ModelMeta, _generics.reduce_class)


def _not_defined(cls: type, exc: NameError) -> SchemaError:
    return SchemaError(
        f"{cls.__name__} is not fully defined: {exc}; define it, then use the class "
        f"(or call {cls.__name__}.model_rebuild())"
    )


class _AwaitingNames:
    """Stands, in the own dict of a class waiting for a forward reference, for an attribute its
    compilation sets: reading it compiles the class first, so that the class never answers
    with its base class's value (and says what is missing when it cannot compile yet)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Any) -> Any:
        owner.__ferrule_complete__()
        return owner.__dict__[self.name]


def _read_extra(self: Any, name: str) -> Any:
    """``extra="allow"`` classes only: an attribute that is no field is read from the extra
    values (the base class never gets a ``__getattr__``: it would slow every read)."""
    extra = None if name.startswith("__") else getattr(self, "__ferrule_extra__", None)
    if extra is None or name not in extra:
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
    return extra[name]


def _no_user_getattr(namespace: dict[str, Any], bases: tuple[type, ...]) -> bool:
    """No ``__getattr__`` of the user's own (which `_read_extra` must never replace)."""
    inherited = (getattr(base, "__getattr__", _read_extra) for base in bases)
    return "__getattr__" not in namespace and all(found is _read_extra for found in inherited)


def _model_bases(bases: Iterable[type]) -> list[type]:
    return [b for b in bases if _is_model(b)]


def _generated_alias(info: FieldInfo, name: str, config: ConfigDict, where: str) -> FieldInfo:
    """``info`` with the alias ``model_config["alias_generator"]`` gives ``name``."""
    generator = config.get("alias_generator")
    assert generator is not None
    alias = generator(name)
    if not isinstance(alias, str) or not alias:
        raise SchemaError(f"{where}: alias_generator gave {alias!r}, not a non-empty str")
    out = copy.copy(info)
    out.alias = alias
    if out.validation_alias is None:
        out.validation_alias = alias
    if out.serialization_alias is None:
        out.serialization_alias = alias
    return out


def _inherited_private(model_bases: list[type]) -> dict[str, Any]:
    private: dict[str, Any] = {}
    for base in reversed(model_bases):
        private.update(getattr(base, "__private_attributes__", {}))
    return private


def _inherited_fields(model_bases: list[type]) -> dict[str, FieldInfo]:
    fields: dict[str, FieldInfo] = {}
    for base in reversed(model_bases):
        fields.update(base.__ferrule_declared__)  # type: ignore[attr-defined]
    return fields


def _is_classvar(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or typing.get_origin(annotation) is ClassVar


def _compile(cls: Any, names: Mapping[str, Any] | None = None, scope: Any = None) -> Any:
    """Build the schema from the class's annotations and compile it into a validator; `names`
    are extra names the annotations may use, `scope` the frame of the class statement (else
    the one the class keeps, if any). Raises NameError while a name is missing."""
    config: ConfigDict = cls.model_config
    declared: dict[str, FieldInfo] = cls.__ferrule_declared__
    own = _resolve.own_annotations(cls)
    hints = _resolve.resolve_hints(cls, declared, names or {}, own, scope)
    per_field, before, after = collect_validators(cls)
    if cls.__abstractmethods__:
        before.insert(0, _refuse_abstract(cls))
    unknown = sorted(set(per_field) - set(declared)) if per_field else None
    if unknown:
        raise SchemaError(f"{cls.__name__}: field_validator names unknown field(s) {unknown}")
    fields = []
    field_info = False  # a function in a field's schema takes info
    infos: dict[str, FieldInfo] = {}
    docstrings = (
        _config_options.attribute_docstrings(cls) if config.get("use_attribute_docstrings") else {}
    )
    plain_config = config == CONFIG_DEFAULTS  # no type options, no core options
    typed = not plain_config and has_type_options(config)
    generator = config.get("alias_generator")
    strict = bool(config["strict"])
    arbitrary_types = bool(config.get("arbitrary_types_allowed"))
    validate_default = bool(config.get("validate_default"))
    #: an ORM model's ``(declared info, schema tag) -> bounds`` of its columns' storage
    column_constraints = getattr(cls, "__ferrule_column_constraints__", None)
    for name, info in declared.items():
        where = f"{cls.__name__}.{name}"
        annotation, annotated_info, annotated_validators = _introspect.annotated_parts(
            hints[name], where
        )
        if annotated_info is not None:
            info = annotated_info.merged(info)
        if info.alias is None and generator is not None:
            info = _generated_alias(info, name, config, where)
        if docstrings and info.description is None and name in docstrings:
            info = copy.copy(info)
            info.description = docstrings[name]
        infos[name] = info
        field = _introspect.build_field_schema(
            name,
            annotation,
            info,
            strict=strict,
            is_model=_is_model,
            where=where,
            validators=annotated_validators + per_field[name]
            if name in per_field
            else annotated_validators,
            arbitrary_types=arbitrary_types,
            validate_default=validate_default,
            own_constraints=None
            if column_constraints is None
            else functools.partial(column_constraints, declared[name]),
        )
        if typed:
            field["schema"] = apply_type_options(field["schema"], config)
        if not field_info and not plain_leaf(field["schema"]):
            field_info = needs_info(field["schema"])
        fields.append(field)
    adjust_fields = getattr(cls, "__ferrule_adjust_fields__", None)
    if adjust_fields is not None:  # an ORM model's: its key also read as ``pk``
        adjust_fields(declared, fields)
    computed = serializers.computed_fields(cls)
    custom = serializers.serializers_schema(cls, {n: hints[n] for n in declared}, computed)
    schema: ModelSchema = {
        "type": "model",
        "cls": cls,
        "name": config.get("title", cls.__name__),
        "fields": fields,
        "extra": config["extra"],
        "strict": config["strict"],
        "frozen": config["frozen"],
        "populate_by_name": config["populate_by_name"],
        "from_attributes": bool(config.get("from_attributes", False)),
        "validate_assignment": config["validate_assignment"],
        "before_validators": before,
        "after_validators": after,
        "config": {**getattr(cls, GIVEN_CONFIG, {}), "title": config.get("title", cls.__name__)},
        "field_info": field_info,
        "post_init": _post_init(cls),
    }
    if not plain_config:
        schema.update(_config_options.core_options(config))  # type: ignore[typeddict-item]
    if getattr(cls, "__ferrule_root_model__", False):
        _check_root_model(cls, fields, config)
        schema["root"] = True
    generic = cls.__dict__.get(_generics.GENERIC)
    if generic is not None:  # Page[int] validates an instance of Page again, as pydantic
        schema["generic_origin"] = generic[0]
    private = _private.schema_entries(cls.__private_attributes__)
    if private:
        schema["private"] = private
    if custom is not None:
        schema["serializers"] = custom
        # what the serialization JSON Schema describes for fields whose serializer declares it
        cls.__ferrule_serialized__ = serializers.serialized_types(
            cls, {n: hints[n] for n in declared}
        )
    validator = SchemaValidator(typing.cast("dict[str, Any]", schema))
    setattr(cls, _resolve.HINTS, {name: hints[name] for name in own if name in hints})
    if _resolve.SCOPE in cls.__dict__:
        delattr(cls, _resolve.SCOPE)  # the names are resolved: the frame can go
    cls.__ferrule_schema__ = schema
    cls.model_fields = infos
    cls.model_computed_fields = computed
    cls.__ferrule_validator__ = validator
    if install_fast_call is not None and remove_fast_call is not None:
        if _plain_construction(cls):
            install_fast_call(cls)
        else:
            remove_fast_call(cls)
    bind_class_methods(cls)
    return validator


def _check_root_model(cls: Any, fields: list[Any], config: ConfigDict) -> None:
    """A `RootModel` has the one field ``root`` and no extra values (pydantic's rules)."""
    for field in fields:
        if field["name"] != "root":
            raise SchemaError(
                f"{cls.__name__}: unexpected field with name {field['name']!r}; only 'root' "
                "is allowed as a field of a RootModel"
            )
    if config["extra"] != "ignore":
        raise SchemaError(f"{cls.__name__}: a RootModel does not take model_config['extra']")


def _post_init(cls: Any) -> Callable[[Any, Any], None] | None:
    """The class's own ``model_post_init``, if it (or a base below `Model`) defines one."""
    function = getattr(cls, "model_post_init", None)
    return None if function is None or function is Model.model_post_init else function


def _plain_construction(cls: type) -> bool:
    """Construction runs no user code: no ``__init__``/``__new__`` below `Model` and no
    metaclass ``__call__``; only then may calls skip ``type.__call__`` (the fast path)."""
    for klass in cls.__mro__:
        if klass is Model:
            break
        if "__init__" in klass.__dict__ or "__new__" in klass.__dict__:
            return False
    meta: type = type(cls)
    caller = next(k for k in meta.__mro__ if "__call__" in k.__dict__)
    return caller is type


def _abstract_error(cls: type) -> TypeError:
    names = ", ".join(sorted(cls.__abstractmethods__))  # type: ignore[attr-defined]
    return TypeError(f"Can't instantiate abstract class {cls.__name__} (abstract: {names})")


def _refuse_abstract(cls: type) -> Callable[[Any], Any]:
    """The first model validator of an abstract model (an ABC with abstract methods left): as
    `object.__new__` would, it refuses to make an instance, whatever the entry point."""

    def refuse(data: Any) -> Any:
        if isinstance(data, cls):  # an instance of a concrete subclass is kept as it is
            return data
        raise _abstract_error(cls)

    return refuse


def _validator(cls: Any) -> Any:
    return cls.__dict__.get("__ferrule_validator__") or type(cls).__ferrule_complete__(cls)


def _collect(errors: str) -> bool:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    return errors == "collect"


def _restore(
    cls: type[M],
    values: tuple[Any, ...],
    extra: dict[str, Any] | None,
    given: Any = None,
    private: dict[str, Any] | None = None,
) -> M:
    instance = new_instance(cls)
    for name, value in zip(cls.model_fields, values, strict=True):
        if value is not MISSING:
            force_setattr(instance, name, value)
    if extra is not None:
        force_setattr(instance, "__ferrule_extra__", extra)
    _given.store_record(instance, given)
    for name, value in (private or {}).items():
        force_setattr(instance, name, value)
    return instance


class Model(ModelBase, metaclass=ModelMeta):
    """Base class of validated models. Subclass it and annotate fields."""

    __slots__ = ()
    __ferrule_root__: ClassVar[bool] = True
    model_config: ClassVar[ConfigDict]
    model_fields: ClassVar[dict[str, FieldInfo]]
    model_computed_fields: ClassVar[dict[str, serializers.ComputedFieldInfo]] = {}
    __ferrule_schema__: ClassVar[ModelSchema]
    #: name → `ferrule.models.private.ModelPrivateAttr`, base classes' first
    __private_attributes__: ClassVar[dict[str, Any]] = {}

    if typing.TYPE_CHECKING:

        def __init__(self, **data: Any) -> None: ...

    def __class_getitem__(cls, params: Any) -> Any:
        """``Page[User]``: the subclass with the type variables replaced, made once; a name
        given as a string (``Page["User"]``) is looked up where the subscript is written (a
        NameError while it is not defined, which an annotation waits out)."""
        if isinstance(params, str) or (
            isinstance(params, tuple) and any(isinstance(p, str) for p in params)
        ):
            frame = sys._getframe(1)
            look_up = functools.partial(
                _resolve.evaluate, globalns=frame.f_globals, localns=frame.f_locals
            )
            params = (
                tuple(look_up(p) if isinstance(p, str) else p for p in params)
                if isinstance(params, tuple)
                else look_up(params)
            )
        return _generics.parametrise(cls, params, _compile_or_wait)

    def model_post_init(self, context: Any, /) -> None:
        """Override to run code after the fields are validated (before after-validators)."""

    # --- validating input -------------------------------------------------------------------

    @classmethod
    def validate_many(
        cls, items: Iterable[Any], *, errors: Literal["raise", "collect"] = "raise"
    ) -> Any:
        """Validate many records; ``errors="collect"`` returns a `BatchResult` instead of raising
        one `ValidationError` whose locations start with the record index."""
        if errors not in ("raise", "collect"):
            raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
        records = items if isinstance(items, list) else list(items)
        results, failures = _validator(cls).validate_many(records, collect=errors == "collect")
        return BatchResult(results, dict(failures)) if errors == "collect" else results

    @classmethod
    def validate_json_many(
        cls, data: str | bytes, *, errors: Literal["raise", "collect"] = "raise"
    ) -> Any:
        """Like `validate_many` for a JSON array or newline-delimited JSON."""
        if errors not in ("raise", "collect"):
            raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
        results, failures = _validator(cls).validate_json_many(data, collect=errors == "collect")
        return BatchResult(results, dict(failures)) if errors == "collect" else results

    @classmethod
    def validate_json_stream(
        cls,
        source: Any,
        *,
        errors: Literal["raise", "collect"] = "raise",
        chunk_size: int = 1 << 16,
    ) -> Iterator[Any]:
        """Instances from NDJSON or a JSON array read a piece at a time (bytes, str, a file or
        an iterable of chunks), in memory bounded by a block of records, not the input.
        ``errors="collect"`` yields ``(index, ValidationError)`` in place of a bad record."""
        from ferrule.models.streams import validate_json_stream

        collect = _collect(errors)
        return validate_json_stream(_validator(cls), source, collect=collect, chunk_size=chunk_size)

    @classmethod
    def validate_stream(
        cls, records: Iterable[Any], *, errors: Literal["raise", "collect"] = "raise"
    ) -> Iterator[Any]:
        """Instances from an iterable of dicts (or instances), validated in batches as they
        come, never all held; ``errors`` as in `validate_json_stream`."""
        from ferrule.models.streams import validate_stream

        return validate_stream(_validator(cls), records, collect=_collect(errors))

    @classmethod
    def model_construct(cls, _fields_set: Iterable[str] | None = None, **values: Any) -> Self:
        """Build an instance from trusted values without validation (defaults filled in); a
        value is found under the field's alias, validation alias, then name, as in pydantic.
        The fields found are its `model_fields_set`, unless ``_fields_set`` names them;
        ``extra="allow"`` keeps the other values as extras."""
        if cls.__abstractmethods__:
            raise _abstract_error(cls)
        instance = new_instance(cls)
        fields = cls.__ferrule_schema__["fields"]
        given: list[int] = []
        for index, field in enumerate(fields):
            name = field["name"]
            info = cls.model_fields[name]
            value = take_for_construct(values, name, info.alias, info.validation_alias)
            if value is NOT_FOUND:
                if "default_factory" in field:
                    force_setattr(instance, name, field["default_factory"]())
                elif "default" in field:
                    force_setattr(instance, name, copy.copy(field["default"]))
                continue
            given.append(index)
            force_setattr(instance, name, value)
        extra = values if cls.model_config["extra"] == "allow" else None
        if extra is not None:
            force_setattr(instance, "__ferrule_extra__", extra)
        if _fields_set is not None:
            record: Any = frozenset(_fields_set)
        elif extra:  # the extras of model_construct are not given fields (as in pydantic)
            record = frozenset(fields[index]["name"] for index in given)
        else:
            record = _given.record_of(given, len(fields))
        _given.store_record(instance, record)
        _private.start(instance, cls.__ferrule_schema__.get("private", ()))
        post_init = cls.__ferrule_schema__["post_init"]
        if post_init is not None:  # as pydantic, model_construct runs model_post_init
            post_init(instance, None)
        return instance

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the fields given explicitly (by name or alias, or assigned since),
        extras included; a new set each time."""
        return _given.given_names(self, type(self).model_fields)

    @classmethod
    def model_rebuild(cls, *, raise_errors: bool = True) -> bool | None:
        """Resolve the class's forward references now (they are otherwise resolved on first
        use), also in the caller's local names, as pydantic does. None: the class was complete;
        True: it is now; False: a name is still missing (with ``raise_errors=False``)."""
        if "__ferrule_root__" in cls.__dict__ or cls.__dict__.get("__ferrule_validator__"):
            return None
        try:
            _compile(cls, sys._getframe(1).f_locals)
        except NameError as exc:
            if raise_errors:
                raise _not_defined(cls, exc) from exc
            return False
        return True

    # --- output -----------------------------------------------------------------------------

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool = True,
        ref_template: str = "#/$defs/{model}",
        mode: Literal["validation", "serialization"] = "validation",
    ) -> dict[str, Any]:
        """JSON Schema (draft 2020-12) of the input the model accepts (``mode="validation"``)
        or of the output it writes (``"serialization"``), as pydantic writes it."""
        from ferrule.models.json_schema import model_json_schema

        return model_json_schema(cls, by_alias=by_alias, ref_template=ref_template, mode=mode)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; ``update`` values are set as given (not validated, as in pydantic)."""
        cls = type(self)
        values = {name: getattr(self, name) for name in cls.model_fields if hasattr(self, name)}
        extra = getattr(self, "__ferrule_extra__", None)
        added: dict[str, Any] = {}
        if update:
            unknown = sorted(set(update) - set(cls.model_fields))
            if unknown and extra is None:
                raise ValueError(f"model_copy(update=...) names unknown field(s) {unknown}")
            added = {name: update[name] for name in unknown}  # extra="allow": new extras
            values.update((k, v) for k, v in update.items() if k not in added)
        if deep:
            values = copy.deepcopy(values)
        instance = new_instance(cls)
        for name, value in values.items():
            force_setattr(instance, name, value)
        if extra is not None:
            extra = copy.deepcopy(extra) if deep else dict(extra)
            force_setattr(instance, "__ferrule_extra__", {**extra, **added})
        _given.store_record(instance, getattr(self, _given.SLOT, None))
        for index, name in enumerate(cls.model_fields):
            if update and name in update:
                _given.mark_given(instance, index, name, len(cls.model_fields))
        for name in added:
            _given.mark_extra(instance, name)
        private = _private.values(self)
        for name, value in (copy.deepcopy(private) if deep else private).items():
            force_setattr(instance, name, value)
        return instance

    # --- protocol ---------------------------------------------------------------------------

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name, MISSING) for name in type(self).model_fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (
            self._values() == other._values()
            and getattr(self, "__ferrule_extra__", None)
            == getattr(other, "__ferrule_extra__", None)
            and (
                not type(self).__private_attributes__
                or _private.values(self) == _private.values(other)
            )
        )

    def __hash__(self) -> int:
        if not type(self).model_config.get("frozen"):
            raise TypeError(f"unhashable type: {type(self).__name__!r} (not frozen)")
        return hash((type(self), self._values()))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = type(self)
        parts = [
            f"{name}={_SECRET_MASK!r}"
            if info.secret and getattr(self, name) is not None
            else f"{name}={getattr(self, name)!r}"
            for name, info in cls.model_fields.items()
            if hasattr(self, name)
        ]
        parts.extend(
            f"{name}={getattr(self, name)!r}"
            for name, info in cls.model_computed_fields.items()
            if info.repr
        )
        extra = getattr(self, "__ferrule_extra__", None)
        if extra:
            parts.extend(f"{k}={v!r}" for k, v in extra.items())
        return f"{cls.__name__}({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        extra = getattr(self, "__ferrule_extra__", None)
        given = getattr(self, _given.SLOT, None)
        private = _private.values(self) or None
        return (_restore, (type(self), self._values(), extra, given, private))

    def __copy__(self) -> Self:
        return self.model_copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self.model_copy(deep=True)

    def __getstate__(self) -> Any:  # slots classes pickle through __reduce__ above
        return None

    json_schema = model_json_schema


#: pydantic's name for the same class: code written against pydantic moves by its import line.
BaseModel = Model
