"""Custom serialisation with pydantic v2's names: `computed_field`, `field_serializer`,
`model_serializer`, and ``Annotated[T, PlainSerializer(f)]`` / ``WrapSerializer(f)``.

Everything here runs once per class: the decorators only mark functions, and
`serializers_schema` turns the marks into the ``"serializers"`` entry of the model schema that
both cores read. The per-value work (calling the functions, writing their results) is the
cores' (``src/serialize/custom.rs`` and ``_pure/custom.py``); a model without any of these
features gets no ``"serializers"`` entry, so its dumps take the usual fast paths.

A function is called with what its signature asks for, decided here from the number of its
positional parameters (as pydantic decides): ``info`` (a `SerializationInfo`) only when there
is a parameter for it, so the common ``(self, value)`` form costs one call and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, Literal, Protocol

from ferrule.errors import SchemaError
from ferrule.models import _core  # its names are read at call time: _core imports this module
from ferrule.models._marks import marks_of, may_carry

__all__ = [
    "ComputedFieldInfo",
    "FieldSerializationInfo",
    "PlainSerializer",
    "SerializationInfo",
    "SerializerFunctionWrapHandler",
    "WrapSerializer",
    "computed_field",
    "field_serializer",
    "model_serializer",
]

F = typing.TypeVar("F", bound=Callable[..., Any])
WhenUsed = Literal["always", "unless-none", "json", "json-unless-none"]
_WHEN_USED = ("always", "unless-none", "json", "json-unless-none")
_FIELD_SERIALIZER = "__ferrule_field_serializer__"
_SERIALIZER_RETURN = "__ferrule_serializer_return__"
_MODEL_SERIALIZER = "__ferrule_model_serializer__"


class SerializationInfo:
    """What a serializer function's ``info`` parameter receives: the options of the dump call
    (``include``/``exclude`` are the ones that apply at this value, normalised to dicts)."""

    __slots__ = (
        "by_alias",
        "context",
        "exclude",
        "exclude_computed_fields",
        "exclude_defaults",
        "exclude_none",
        "exclude_unset",
        "field_name",
        "include",
        "mode",
        "round_trip",
        "serialize_as_any",
    )

    def __init__(
        self,
        mode: str,
        by_alias: bool,
        exclude_none: bool,
        round_trip: bool,
        context: Any,
        include: Any,
        exclude: Any,
        field_name: str | None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
    ) -> None:
        self.mode = mode
        self.by_alias = by_alias
        self.exclude_none = exclude_none
        self.round_trip = round_trip
        self.context = context
        self.include = _as_given(include)
        self.exclude = _as_given(exclude)
        self.field_name = field_name
        self.exclude_unset = exclude_unset
        self.exclude_defaults = exclude_defaults
        self.exclude_computed_fields = False
        self.serialize_as_any = False

    def mode_is_json(self) -> bool:
        return self.mode == "json"

    def __repr__(self) -> str:
        names = (
            "include",
            "exclude",
            "context",
            "mode",
            "by_alias",
            "exclude_unset",
            "exclude_defaults",
            "exclude_none",
            "exclude_computed_fields",
            "round_trip",
            "serialize_as_any",
        )
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"SerializationInfo({inner})"


def _as_given(spec: Any) -> Any:
    """A normalised filter (``{key: True | nested}``) in the shape pydantic shows it: the keys
    as a set when every entry is whole, else a dict of the entries."""
    if not isinstance(spec, dict):
        return spec
    if all(value is True for value in spec.values()):
        return set(spec)
    return {key: value if value is True else _as_given(value) for key, value in spec.items()}


#: pydantic's name for the ``info`` of a field serializer (the same object here).
FieldSerializationInfo = SerializationInfo


class SerializerFunctionWrapHandler(Protocol):
    """The ``handler`` of a wrap serializer: ``handler(value)`` is the default serialisation."""

    def __call__(self, value: Any, /) -> Any: ...


# --- decorators and Annotated metadata ---------------------------------------------------------


def _check_when_used(when_used: Any, what: str) -> None:
    if when_used not in _WHEN_USED:
        raise TypeError(f"{what}() when_used must be one of {', '.join(_WHEN_USED)}")


def _check_mode(mode: Any, what: str) -> None:
    if mode not in ("plain", "wrap"):
        raise TypeError(f"{what}() mode must be 'plain' or 'wrap', not {mode!r}")


class _AnnotatedSerializer:
    """``Annotated`` metadata: a function serialising the field's value."""

    __slots__ = ("func", "return_type", "when_used")
    mode: str = ""

    def __init__(
        self,
        func: Callable[..., Any],
        return_type: Any = None,
        when_used: WhenUsed = "always",
    ) -> None:
        if not callable(func):
            raise TypeError(f"{type(self).__name__}() takes a function, not {type(func).__name__}")
        _check_when_used(when_used, type(self).__name__)
        self.func = func
        self.return_type = return_type
        self.when_used = when_used

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self.func, '__name__', self.func)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and other.func == self.func
            and other.when_used == self.when_used
        )

    def __hash__(self) -> int:
        return hash((type(self), self.func, self.when_used))


class PlainSerializer(_AnnotatedSerializer):
    """``func(value)`` or ``func(value, info)``: its result is what the value is written as."""

    __slots__ = ()
    mode = "plain"


class WrapSerializer(_AnnotatedSerializer):
    """``func(value, handler)`` or ``func(value, handler, info)``; ``handler(value)`` gives
    the default serialisation."""

    __slots__ = ()
    mode = "wrap"


def field_serializer(
    *fields: str,
    mode: Literal["plain", "wrap"] = "plain",
    when_used: WhenUsed = "always",
    return_type: Any = None,
    check_fields: bool | None = None,
) -> Callable[[F], F]:
    """A method writing the named fields (``"*"``: every field; computed fields too):
    ``(self, value[, info])``, or with ``mode="wrap"`` ``(self, value, handler[, info])``."""
    if not fields or not all(isinstance(name, str) for name in fields):
        raise TypeError("field_serializer() needs the names of the fields it writes")
    _check_mode(mode, "field_serializer")
    _check_when_used(when_used, "field_serializer")

    def mark(function: F) -> F:
        marks = _marks(function, "field_serializer")
        marks[_FIELD_SERIALIZER] = (fields, mode, when_used, check_fields is False)
        if return_type is not None:
            marks[_SERIALIZER_RETURN] = return_type
        return function

    return mark


def model_serializer(
    function: Any = None,
    /,
    *,
    mode: Literal["plain", "wrap"] = "plain",
    when_used: WhenUsed = "always",
    return_type: Any = None,
) -> Any:
    """A method writing the whole model: ``(self[, info])``, or with ``mode="wrap"``
    ``(self, handler[, info])`` where ``handler(self)`` gives the usual dict."""
    _check_mode(mode, "model_serializer")
    _check_when_used(when_used, "model_serializer")

    def mark(function: F) -> F:
        marks = _marks(function, "model_serializer")
        marks[_MODEL_SERIALIZER] = (mode, when_used)
        if return_type is not None:
            marks[_SERIALIZER_RETURN] = return_type
        return function

    return mark if function is None else mark(function)


def _marks(function: Any, decorator: str) -> dict[str, Any]:
    target = getattr(function, "__func__", function)
    marks = getattr(target, "__dict__", None)
    if not callable(target) or not isinstance(marks, dict):
        raise TypeError(f"{decorator}() decorates a function, not {function!r}")
    return marks


class ComputedFieldInfo:
    """What ``Model.model_computed_fields`` holds for one computed field."""

    __slots__ = ("alias", "description", "repr", "return_type", "title", "wrapped_property")

    def __init__(
        self,
        wrapped_property: Any,
        return_type: Any,
        alias: str | None,
        title: str | None,
        description: str | None,
        repr: bool,
    ) -> None:
        self.wrapped_property = wrapped_property
        self.return_type = return_type
        self.alias = alias
        self.title = title
        self.description = description
        self.repr = repr

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"ComputedFieldInfo({inner})"


_NO_RETURN_TYPE: Any = inspect.Parameter.empty


class _ComputedProperty(property):
    """A `property` marked as a computed field (it stays a plain property on the class)."""

    __ferrule_computed__: dict[str, Any]


class _CachedComputed:
    """A ``functools.cached_property`` computed field. Model instances have slots, not a
    ``__dict__``: the value is kept in a slot of its own (``_ferrule_cache_<name>``)."""

    __ferrule_computed__: dict[str, Any]

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.slot: Any = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = owner.__dict__.get(cache_slot(name))

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        if self.slot is None:
            raise TypeError(f"computed field {self.func.__name__!r} is not on a model class")
        try:
            return self.slot.__get__(instance, owner)
        except AttributeError:
            value = self.func(instance)
            self.__set__(instance, value)
            return value

    def __set__(self, instance: Any, value: Any) -> None:
        _core.keep_gc_tracked(instance, value)
        self.slot.__set__(instance, value)

    def __delete__(self, instance: Any) -> None:
        with contextlib.suppress(AttributeError):
            self.slot.__delete__(instance)


def cache_slot(name: str) -> str:
    return f"_ferrule_cache_{name}"


def computed_field(
    function: Any = None,
    /,
    *,
    alias: str | None = None,
    title: str | None = None,
    description: str | None = None,
    repr: bool = True,
    return_type: Any = _NO_RETURN_TYPE,
) -> Any:
    """A property (or ``functools.cached_property``, or a plain method, made a property) whose
    value is written by the dumps and appears in the serialisation JSON Schema."""
    options = {
        "alias": alias,
        "title": title,
        "description": description,
        "repr": repr,
        "return_type": return_type,
    }

    def mark(target: Any) -> Any:
        marked: Any
        if isinstance(target, functools.cached_property):
            marked = _CachedComputed(target.func)
        elif isinstance(target, property):
            marked = _ComputedProperty(target.fget, target.fset, target.fdel, target.__doc__)
        elif callable(target):
            marked = _ComputedProperty(target, None, None, target.__doc__)
        else:
            raise TypeError(f"computed_field() decorates a property, not {target!r}")
        marked.__ferrule_computed__ = options
        return marked

    return mark if function is None else mark(function)


# --- once per class: the marks into the schema -------------------------------------------------


def cache_slots(namespace: dict[str, Any]) -> list[str]:
    """The extra slots a class body's cached computed fields keep their values in."""
    return [cache_slot(name) for name, v in namespace.items() if isinstance(v, _CachedComputed)]


def _positional_count(function: Any, where: str) -> int | None:
    """How many positional arguments ``function`` takes (None: any number)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        raise SchemaError(f"{where}: the serializer's signature cannot be read") from None
    count = 0
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return None
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            count += 1
    return count


def _spec(function: Any, mode: str, when_used: str, *, fixed: int, method: bool, where: str) -> Any:
    """The schema entry for one function: ``fixed`` arguments always passed (self, value,
    handler), one more when it takes ``info``."""
    count = _positional_count(function, where)
    if count is None:
        takes_info = True
    elif count in (fixed, fixed + 1):
        takes_info = count == fixed + 1
    else:
        raise SchemaError(
            f"{where}: a {mode} serializer takes {fixed} or {fixed + 1} positional arguments "
            f"(the last one `info`), not {count}"
        )
    return {
        "function": function,
        "mode": mode,
        "when_used": when_used,
        "info": takes_info,
        "method": method,
        "name": getattr(function, "__name__", repr(function)),
    }


def _method_function(raw: Any) -> tuple[Any, bool]:
    """A decorated attribute as ``(function, called with self)``."""
    if isinstance(raw, staticmethod):
        return raw.__func__, False
    if isinstance(raw, classmethod):
        raise SchemaError("a serializer is a method of the instance, not a classmethod")
    return raw, True


def _annotated_serializer(annotation: Any) -> _AnnotatedSerializer | None:
    """The last `PlainSerializer`/`WrapSerializer` of a field's own ``Annotated`` metadata, or
    the one its type brings (``Json[T]``: written back as text with ``round_trip=True``)."""
    implicit = getattr(annotation, "__ferrule_serializer__", None)
    if isinstance(implicit, _AnnotatedSerializer):
        return implicit
    if isinstance(annotation, type) or typing.get_origin(annotation) is not typing.Annotated:
        return None
    found = None
    for extra in typing.get_args(annotation)[1:]:
        if isinstance(extra, _AnnotatedSerializer):
            found = extra
    return found


def _return_type(prop: Any, options: dict[str, Any], cls: type, where: str) -> Any:
    if options["return_type"] is not _NO_RETURN_TYPE:
        return options["return_type"]
    func = prop.func if isinstance(prop, _CachedComputed) else prop.fget
    try:
        hints = typing.get_type_hints(func, localns={cls.__name__: cls, **vars(cls)})
    except NameError:
        hints = {"return": Any}
    if "return" not in hints:
        raise SchemaError(
            f"{where}: a computed field needs a return annotation "
            "(or computed_field(return_type=...))"
        )
    return hints["return"]


def computed_fields(cls: type) -> dict[str, ComputedFieldInfo]:
    """The computed fields of `cls` and its bases, base classes first."""
    found: dict[str, ComputedFieldInfo] = {}
    for klass in reversed(cls.__mro__):
        if _library_class(klass, found) or not (found or may_carry(vars(klass))):
            continue
        for name, raw in vars(klass).items():
            computed = isinstance(raw, (_ComputedProperty, _CachedComputed))
            options = getattr(raw, "__ferrule_computed__", None) if computed else None
            if options is not None:
                where = f"{cls.__name__}.{name}"
                found[name] = ComputedFieldInfo(
                    raw,
                    _return_type(raw, options, klass, where),
                    options["alias"],
                    options["title"],
                    options["description"],
                    options["repr"],
                )
            else:
                found.pop(name, None)
    return found


def serializers_schema(
    cls: type, hints: dict[str, Any], computed: dict[str, ComputedFieldInfo]
) -> dict[str, Any] | None:
    """The ``"serializers"`` entry of `cls`'s schema, or None when it has none of these."""
    field_names = list(hints)
    clash = sorted(set(computed) & set(field_names))
    if clash:
        raise SchemaError(f"{cls.__name__}: {clash} are both fields and computed fields")
    per_field: dict[str, Any] = {}
    for name in field_names:
        annotated = _annotated_serializer(hints[name])
        if annotated is not None:
            where = f"{cls.__name__}.{name}"
            fixed = 1 if annotated.mode == "plain" else 2
            per_field[name] = _spec(
                annotated.func,
                annotated.mode,
                annotated.when_used,
                fixed=fixed,
                method=False,
                where=where,
            )
    model = None
    seen: dict[str, str] = {}
    for attr, raw in _marked(cls).items():
        where = f"{cls.__name__}.{attr}"
        function, method = _method_function(raw)
        marks = getattr(function, "__dict__", {})
        if _MODEL_SERIALIZER in marks:
            mode, when_used = marks[_MODEL_SERIALIZER]
            fixed = (1 if mode == "plain" else 2) if method else (0 if mode == "plain" else 1)
            model = _spec(function, mode, when_used, fixed=fixed, method=method, where=where)
            continue
        names, mode, when_used, unchecked = marks[_FIELD_SERIALIZER]
        fixed = (2 if mode == "plain" else 3) if method else (1 if mode == "plain" else 2)
        spec = _spec(function, mode, when_used, fixed=fixed, method=method, where=where)
        targets: list[str] = []
        for name in names:
            if name == "*":
                targets.extend(field_names + list(computed))
            elif name in hints or name in computed:
                targets.append(name)
            elif not unchecked:
                raise SchemaError(
                    f"{where}: field_serializer names unknown field {name!r} "
                    "(use check_fields=False for a field of the subclasses)"
                )
        for name in targets:
            if seen.get(name, attr) != attr:
                raise SchemaError(
                    f"{where}: field {name!r} already has the field_serializer {seen[name]}"
                )
            seen[name] = attr
            per_field[name] = spec
    if not per_field and not computed and model is None:
        return None
    fields = [per_field.get(name) for name in field_names]
    computed_list = [
        {
            "name": name,
            "alias": info.alias,
            "serializer": per_field.get(name),
            # a property's function is called directly (no attribute lookup); a cached one
            # is read as an attribute (its cache slot)
            "getter": getattr(info.wrapped_property, "fget", None),
        }
        for name, info in computed.items()
    ]
    return {"fields": fields, "computed": computed_list, "model": model}


def _marked(cls: type) -> dict[str, Any]:
    """The serializer-marked attributes of `cls` and its bases; a name redefined in a subclass
    replaces (or, when no longer marked, removes) the base's."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if _library_class(klass, found) or not (found or may_carry(vars(klass))):
            continue
        for attr, raw in vars(klass).items():
            if attr.startswith("__"):
                continue
            marks = marks_of(raw)
            if _FIELD_SERIALIZER in marks or _MODEL_SERIALIZER in marks:
                found[attr] = raw
            else:
                found.pop(attr, None)
    return found


def _library_class(klass: type, found: dict[str, Any]) -> bool:
    """Whether `klass` is one of ferrule's own roots (`object`, the core's ``ModelBase``, a
    ``Model`` root), which declare no serializers: its names only hide a base's (removed from
    `found`) and it is not scanned (its ~70 attributes were most of a small class's scan)."""
    own = klass.__dict__
    if klass is not object and klass is not _model_base() and "__ferrule_root__" not in own:
        return False
    if found:
        for name in found.keys() & own.keys():
            del found[name]
    return True


@functools.cache
def _model_base() -> type:
    """The core's ``ModelBase``, imported on first use: the pure core imports this module."""
    from ferrule.models._core import ModelBase

    return ModelBase


def refuse_nested(extras: tuple[Any, ...], where: str) -> None:
    """A serializer in ``Annotated`` metadata nested inside a field's type is not supported:
    refused at definition, never silently skipped."""
    for extra in extras:
        if isinstance(extra, _AnnotatedSerializer):
            raise SchemaError(
                f"{where}: {type(extra).__name__} inside a type is not supported yet; "
                "put it on the field's own Annotated"
            )


def serialized_types(cls: type, hints: dict[str, Any]) -> dict[str, Any]:
    """The output types the serializers of `cls` declare (their ``return_type=``, else their
    return annotation): ``{"fields": {name: type}, "model": type}``, what a serialization-mode
    JSON Schema describes, as pydantic does. What declares none is described by its own type
    (a field absent from ``"fields"``; ``"model"`` absent)."""
    fields: dict[str, Any] = {}
    out: dict[str, Any] = {"fields": fields}
    for name in hints:
        annotated = _annotated_serializer(hints.get(name))
        implicit = getattr(hints.get(name), "__ferrule_serializer__", None)
        if annotated is not None and annotated is not implicit:
            found = _declared_return(annotated.func, annotated.return_type)
            if found is not _NO_RETURN_TYPE:
                fields[name] = found
    for raw in _marked(cls).values():
        function, _ = _method_function(raw)
        marks = getattr(function, "__dict__", {})
        found = _declared_return(function, marks.get(_SERIALIZER_RETURN))
        if found is _NO_RETURN_TYPE:
            continue
        if _MODEL_SERIALIZER in marks:
            out["model"] = found
        elif _FIELD_SERIALIZER in marks:
            names = marks[_FIELD_SERIALIZER][0]
            for name in hints if "*" in names else names:
                fields[name] = found
    return out


def _declared_return(function: Any, given: Any) -> Any:
    if given is not None:
        return given
    try:
        hints = typing.get_type_hints(function)
    except Exception:  # an annotation that cannot be resolved declares nothing usable
        return _NO_RETURN_TYPE
    return hints.get("return", _NO_RETURN_TYPE)
