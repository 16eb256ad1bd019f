"""Model validators: a full ``model`` schema, references to other models, and assignment."""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from ferrule.errors import RawError, RelationNotLoadedError, SchemaError
from ferrule.models import _fields_set
from ferrule.models._pure.core import (
    STRICT,
    LineErrors,
    State,
    Validator,
    build,
    builder,
    call_user,
    call_user_with,
    error,
    prefixed,
)
from ferrule.models._pure.info import ValidatorCallable, as_python, model_info
from ferrule.models.aliases import NOT_FOUND, follow

__all__ = ["ModelValidator", "model_validator_for"]

MAX_DEPTH = 200
#: What a secret field's value is reported as (the native core's text).
SECRET_MASK = "**********"
_COPIED_DEFAULTS = (list, dict, set, bytearray)
_MISSING = object()

#: what an assignment to a field stores as it is, when the function (instance, field name)
#: says yes: the ORM's expressions in a column, which ``save()`` writes as SQL
#: (``orm.held_expressions`` sets both; the native core's is ``_ferrule.hold_assigned``); the
#: third, given a class and the keywords its constructor refused, builds the instance holding
#: such expressions (``Entry(views=Value(3))``), or says None
HELD: list[Any] = [(), None, None]


class _Revalidated(dict):  # type: ignore[type-arg]
    """The fields of an instance validated again (``revalidate_instances``), with the
    instance's fields-set record, which the new instance keeps (pydantic's answer)."""

    given: Any = None


class _Field:
    __slots__ = (
        "alias",
        "default",
        "factory",
        "frozen",
        "keys",
        "messages",
        "name",
        "paths",
        "schema",
        "secret",
        "validate_default",
        "validator",
    )

    def __init__(self, field: dict[str, Any], populate_by_name: bool) -> None:
        self.name: str = field["name"]
        self.alias: str | None = field.get("alias")
        self.schema: dict[str, Any] = field["schema"]
        self.validator = build(field["schema"])
        self.default: Any = field.get("default", _MISSING)
        self.factory: Callable[[], Any] | None = field.get("default_factory")
        if field.get("required"):
            self.default, self.factory = _MISSING, None
        self.frozen = bool(field.get("frozen"))
        self.messages: dict[str, str] = dict(field.get("messages") or {})
        self.secret = bool(field.get("secret"))
        self.validate_default = bool(field.get("validate_default"))
        # The keys looked up in the input, in order; the first is used for `missing`.
        if self.alias is None:
            self.keys: tuple[str, ...] = (self.name,)
        elif populate_by_name and self.alias != self.name:
            self.keys = (self.alias, self.name)
        else:
            self.keys = (self.alias,)
        # `validation_alias` as paths (AliasPath/AliasChoices): read before the name, which
        # counts only with `populate_by_name`; the first path locates `missing`
        self.paths: tuple[tuple[Any, ...], ...] = ()
        if field.get("validation_alias"):
            self.paths = tuple(tuple(path) for path in field["validation_alias"])
            self.keys = (self.name,) if populate_by_name else ()

    def find(self, data: Mapping[Any, Any]) -> tuple[Any, tuple[Any, ...]]:
        """The value for this field in ``data`` and where it was (``_MISSING``, () if none)."""
        for path in self.paths:
            top = data.get(path[0], _MISSING)
            if top is not _MISSING:
                found = follow(top, list(path[1:]))
                if found is not NOT_FOUND:
                    return found, path
        for key in self.keys:
            raw = data.get(key, _MISSING)
            if raw is not _MISSING:
                return raw, (key,)
        return _MISSING, ()

    def missing_loc(self) -> tuple[Any, ...]:
        return self.paths[0] if self.paths else (self.keys[0],)

    def with_messages(self, errors: list[RawError]) -> list[RawError]:
        """The field's custom messages applied; a secret field's inputs become `SECRET_MASK`."""
        if self.secret:
            errors = [(loc, kind, SECRET_MASK, ctx, msg) for loc, kind, _, ctx, msg in errors]
        if not self.messages:
            return errors
        # The outermost field wins: its messages replace any set further down.
        messages = self.messages
        return [
            (loc, kind, value, ctx, messages.get(kind, msg))
            for loc, kind, value, ctx, msg in errors
        ]

    def missing_value(self, state: State) -> Any:
        if self.factory is not None:
            default = self.factory()
        else:
            default = self.default
            if type(default) in _COPIED_DEFAULTS:
                default = default.copy()
        if not self.validate_default:
            return default
        # ``validate_default``: the default is a Python value, even in a JSON input
        json_input, state.json = state.json, False
        try:
            return self.validator.validate(default, state)
        except LineErrors as exc:
            raise LineErrors(prefixed(self.name, self.with_messages(exc.errors))) from None
        finally:
            state.json = json_input


class ModelValidator(Validator):
    __slots__ = (
        "_attribute_keys",
        "after",
        "before",
        "by_name",
        "cls",
        "config",
        "extra",
        "field_info",
        "fields",
        "from_attributes",
        "frozen",
        "generic_origin",
        "layered",
        "name",
        "outer",
        "post_init",
        "private",
        "records_given",
        "revalidate",
        "root",
        "secret_keys",
        "strict",
        "validate_assignment_enabled",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: type = schema["cls"]
        self.name: str = schema.get("name") or self.cls.__name__
        populate_by_name = bool(schema.get("populate_by_name"))
        self.fields = [_Field(field, populate_by_name) for field in schema.get("fields", [])]
        for field in self.fields:
            _own_slot(self.cls, field.name)
        self.by_name = {field.name: field for field in self.fields}
        self.secret_keys = {
            key
            for field in self.fields
            if field.secret
            for key in (field.name, field.alias, *(path[0] for path in field.paths))
            if key is not None
        }
        self.extra: str = schema.get("extra", "ignore")
        self.strict = bool(schema.get("strict"))
        self.frozen = bool(schema.get("frozen"))
        self.validate_assignment_enabled = bool(schema.get("validate_assignment", True))
        # (function, takes info); the outer layers also say their mode: "after" or "wrap"
        self.before = [_hook(entry)[1:] for entry in schema.get("before_validators") or []]
        self.outer = [_hook(entry) for entry in schema.get("after_validators") or []]
        self.after = [(function, info) for mode, function, info in self.outer if mode == "after"]
        self.config: Any = schema.get("config") or {}
        self.field_info = bool(schema.get("field_info"))  # see `_signatures.needs_info`
        # info, a wrap validator or a field's info: the general path (`_layer`)
        self.layered = self.field_info or any(
            info or mode == "wrap"
            for mode, _, info in [("before", *b) for b in self.before] + self.outer
        )
        self.post_init: Callable[[Any, Any], Any] | None = schema.get("post_init")
        self.from_attributes: bool = bool(schema.get("from_attributes"))
        self._attribute_keys = [
            key
            for field in self.fields
            for key in ([path[0] for path in field.paths] or [field.alias or field.name])
        ]
        # the class has the hidden slot saying which fields an instance was given
        self.records_given = hasattr(self.cls, _fields_set.SLOT)
        self.revalidate: str = schema.get("revalidate_instances", "never")
        #: a RootModel: its one field, ``root``, is the whole input
        self.root: _Field | None = self.fields[0] if schema.get("root") else None
        #: ``Page`` for ``Page[int]``: an instance of it is validated again from its fields
        self.generic_origin: type | None = schema.get("generic_origin")
        self.private: list[dict[str, Any]] = list(schema.get("private") or ())

    def _kept(self, value: Any) -> bool:
        """An instance of the class given as input is kept as it is (``revalidate_instances``
        says which are validated again)."""
        if not issubclass(type(value), self.cls):  # its real type: a __class__ may claim it
            return False
        return self.revalidate == "never" or (
            self.revalidate == "subclass-instances" and type(value) is self.cls
        )

    def _instance_fields(self, instance: Any) -> dict[str, Any]:
        """``revalidate_instances``: an instance's fields (those of its own class, set ones
        only) under the keys this model reads, then its extra values."""
        own = getattr(type(instance), "__ferrule_schema__", {"fields": []})["fields"]
        keys = {field.name: (field.keys or (field.name,))[0] for field in self.fields}
        out = _Revalidated()
        out.given = getattr(instance, _fields_set.SLOT, None)  # kept, as pydantic
        for field in own:
            name = field["name"]
            try:
                out[keys.get(name, name)] = object.__getattribute__(instance, name)
            except AttributeError:
                continue
        extra = getattr(instance, "__ferrule_extra__", None)
        if isinstance(extra, dict):
            out.update(extra)
        return out

    def _attributes_of(self, obj: Any) -> dict[str, Any]:
        """``from_attributes``: the fields read from ``obj``'s attributes (by alias where a
        field has one); one that is not there is left out, as in the native core."""
        out: dict[str, Any] = {}
        for key in self._attribute_keys:
            try:
                out[key] = getattr(obj, key)
            except AttributeError as exc:
                if isinstance(exc, RelationNotLoadedError):  # not absent: refused (`absent`)
                    raise
                continue
        return out

    def validate(self, value: Any, state: State) -> Any:
        if self.before and state.json:
            # what a before-validator returns is a Python object: the model reads it as one
            # (the native core's rule), also in a JSON call
            return as_python(_Unjson(self), value, state)
        if self.layered:
            return self._layer(value, state, len(self.outer))
        # `_fields` and `_finish` inlined: nested models cost fewer Python frames per level
        for function, _ in self.before:
            value = self._call(function, value)
        if issubclass(type(value), self.cls):
            if self._kept(value):
                return value
            value = self._instance_fields(value)
        state.floor(STRICT)  # building an instance is not an exact match
        if self.root is not None:
            instance = self._build_root(value, state)
            return (
                instance
                if self.post_init is None and not self.after
                else self._finish(instance, value, state)
            )
        if (self.from_attributes or state.from_attributes) and _has_attributes(value):
            value = self._attributes_of(value)
        elif self.generic_origin is not None and isinstance(value, self.generic_origin):
            value = self._origin_fields(value)
        if not isinstance(value, dict) and (
            state.strict_for(self.strict) or state.json or not isinstance(value, Mapping)
        ):
            raise error("model_type", value, {"class_name": self.name})
        key = id(value)
        if key in state.active or state.depth >= MAX_DEPTH:
            raise error("recursion_loop", value)
        state.active.add(key)
        state.depth += 1
        try:
            instance = self._build(value, state)
        finally:
            state.depth -= 1
            state.active.discard(key)
        if self.post_init is None and not self.after:
            return instance
        return self._finish(instance, value, state)

    def _layer(self, value: Any, state: State, top: int) -> Any:
        """The outer layers below ``top`` (after- and wrap validators, in declaration order,
        each around the ones before it) around the fields; an instance given as input passes
        the after-validators unchanged, as on the plain path."""
        if top == 0:
            instance, is_new = self._fields(value, state)
            if is_new and self.post_init is not None:
                post_init = self.post_init
                self._call(lambda _: post_init(instance, None), value)
            return instance
        mode, function, info = self.outer[top - 1]
        extra = (model_info(self.config, state),) if info else ()
        if mode == "wrap":
            handler = ValidatorCallable(_Layer(self, top - 1), state)
            return self._call(function, value, handler, *extra)
        instance = self._layer(value, state, top - 1)
        if instance is value:
            return instance
        return call_user_with(function, instance, *extra)

    def _fields(self, value: Any, state: State, target: Any = None) -> tuple[Any, bool]:
        """Before-validators, then the fields into a new instance: ``(instance, is_new)``
        (an instance given as input is returned as it is)."""
        if self.before and state.json:  # as in `validate`: Python input from here on
            state.json = False
            try:
                return self._fields(value, state, target)
            finally:
                state.json = True
        for function, info in self.before:
            extra = (model_info(self.config, state),) if info else ()
            value = self._call(function, value, *extra)
        if issubclass(type(value), self.cls):
            if self._kept(value):
                return value, False
            value = self._instance_fields(value)
        if self.root is not None:
            return self._build_root(value, state, target), True
        if (self.from_attributes or state.from_attributes) and _has_attributes(value):
            value = self._attributes_of(value)
        elif self.generic_origin is not None and isinstance(value, self.generic_origin):
            value = self._origin_fields(value)
        if not isinstance(value, dict) and (
            state.strict_for(self.strict) or state.json or not isinstance(value, Mapping)
        ):
            raise error("model_type", value, {"class_name": self.name})
        key = id(value)
        if key in state.active or state.depth >= MAX_DEPTH:
            raise error("recursion_loop", value)
        state.active.add(key)
        state.depth += 1
        outer = state.frame  # the fields' frames (`field_info`) are this model's own
        try:
            return self._build(value, state, target), True
        finally:
            state.depth -= 1
            state.active.discard(key)
            state.frame = outer

    def allocate(self) -> Any:
        """A new instance with its private attributes' defaults (the native `allocate`)."""
        instance: Any = object.__new__(self.cls)
        for entry in self.private:
            factory = entry.get("default_factory")
            value = entry["default"] if factory is None else factory()
            object.__setattr__(instance, entry["name"], value)
        return instance

    def _origin_fields(self, obj: Any) -> dict[str, Any]:
        """An instance of the generic origin's fields, keyed as this class looks them up."""
        out: dict[str, Any] = {}
        for field in self.fields:
            try:
                out[field.keys[0]] = getattr(obj, field.name)
            except AttributeError:
                continue
        return out

    def _finish(self, instance: Any, data: Any, state: State) -> Any:
        """`model_post_init` (a failure reports the whole input), then the after-validators."""
        if self.post_init is not None:
            post_init = self.post_init
            self._call(lambda _: post_init(instance, None), data)
        for function, info in self.after:
            if info:
                instance = call_user_with(function, instance, model_info(self.config, state))
            else:
                instance = call_user(function, instance)
        return instance

    def _masked(self, data: Any) -> Any:
        """``data`` as an error reports it: a copy with the secret fields' values masked."""
        if not self.secret_keys or not isinstance(data, dict):
            return data
        return {k: SECRET_MASK if k in self.secret_keys else v for k, v in data.items()}

    def _call(self, function: Callable[..., Any], value: Any, *extra: Any) -> Any:
        """`call_user`, its errors about ``value`` itself reporting it `_masked`."""
        try:
            if not extra:
                return call_user(function, value)
            return call_user_with(function, value, *extra)
        except LineErrors as exc:
            if not self.secret_keys:
                raise
            lines = [
                (loc, kind, self._masked(item) if item is value else item, ctx, msg)
                for loc, kind, item, ctx, msg in exc.errors
            ]
            raise LineErrors(lines) from None

    def _build_root(self, value: Any, state: State, target: Any = None) -> Any:
        """A root model: the whole input is the value of ``root`` (its errors keep their own
        locations, as pydantic's do)."""
        assert self.root is not None
        try:
            result = self.root.validator.validate(value, state)
        except LineErrors as exc:
            raise LineErrors(self.root.with_messages(exc.errors)) from None
        instance = self.allocate() if target is None else target
        object.__setattr__(instance, "root", result)
        return instance

    def _init_root(self, instance: Any, data: dict[str, Any], state: State) -> None:
        """``RootModel(value)``: ``data`` holds the value under ``root``; without it the
        field's default is taken as it is, or the input is ``missing``."""
        assert self.root is not None
        if "root" not in data:
            if self.root.default is _MISSING and self.root.factory is None:
                raise LineErrors([((), "missing", data, None, None)])
            object.__setattr__(instance, "root", self.root.missing_value(state))
            self._finish(instance, data, state)
            return
        value = data["root"]
        built, _ = self._fields(value, state, instance)
        if built is not instance:
            object.__setattr__(instance, "root", object.__getattribute__(built, "root"))
        self._finish(instance, value, state)

    def init_instance(self, instance: Any, data: dict[str, Any], state: State) -> None:
        """``__init__``: validate ``data`` into the existing ``instance``, all or nothing (no
        temporary instance: the class's ``__del__`` must not run for one); then
        `model_post_init` and the after-validators see ``instance``."""
        if self.root is not None:
            self._init_root(instance, data, state)
            return
        if any(mode == "wrap" for mode, _, _ in self.outer):
            # the layers build a new instance; its values then move into this one
            built = self._layer(data, state, len(self.outer))
            if not issubclass(type(built), self.cls):
                raise TypeError(
                    f"a wrap model_validator of {self.name} returned "
                    f"{type(built).__name__}, not an instance, from __init__"
                )
            if built is not instance:
                _move(built, instance, self.fields)
                if self.records_given:
                    _fields_set.store_record(instance, getattr(built, _fields_set.SLOT, None))
            return
        built, _ = self._fields(data, state, instance)
        if built is not instance:  # a before-validator returned an instance
            _move(built, instance, self.fields)
            if self.records_given:
                _fields_set.store_record(instance, getattr(built, _fields_set.SLOT, None))
        self._finish(instance, data, state)

    def init_holding(self, instance: Any, data: dict[str, Any]) -> bool:
        """After ``init_instance`` refused ``data``: whether ``HELD``'s constructor took it
        (an expression given to a column), its instance's fields moved into ``instance``,
        each holding field marked by ``HELD``'s function; False leaves the refusal as is."""
        types, takes, construct = HELD
        if construct is None or not any(issubclass(type(v), types) for v in data.values()):
            return False
        found = construct(self.cls, data)
        if found is None:
            return False
        made, names = found
        _move(made, instance, self.fields)
        if self.records_given:
            _fields_set.store_record(instance, getattr(made, _fields_set.SLOT, None))
        for name in names:
            takes(instance, name)
        return True

    def _build(self, data: Mapping[Any, Any], state: State, target: Any = None) -> Any:
        """The fields of ``data`` into a new instance, or into ``target`` once all are valid."""
        if any(type(key) is not str and isinstance(key, str) for key in data):
            data = _keyed_by_text(data)
        errors: list[RawError] = []
        values: dict[str, Any] = {}
        used: set[Any] = set()
        given: list[int] = []
        for index, field in enumerate(self.fields):
            if self.field_info:  # info.data: the live dict of the valid fields so far
                state.frame = (self.config, field.name, values)
            raw, where = field.find(data)
            if raw is _MISSING:
                if field.default is _MISSING and field.factory is None:
                    whole = self._masked(data)
                    missing = field.messages.get("missing")
                    errors.append((field.missing_loc(), "missing", whole, None, missing))
                    continue
                try:
                    result = field.missing_value(state)
                except LineErrors as exc:
                    errors.extend(exc.errors)
                    continue
            else:
                used.add(where[0])
                given.append(index)
                try:
                    result = field.validator.validate(raw, state)
                except LineErrors as exc:
                    lines = field.with_messages(exc.errors)
                    errors.extend(
                        ((*where, *loc), kind, value, ctx, msg)
                        for loc, kind, value, ctx, msg in lines
                    )
                    continue
            values[field.name] = result
        state.fields_set = (state.fields_set or 0) + len(used)  # unions prefer more fields set
        extra: dict[Any, Any] | None = None
        if self.extra != "ignore":
            # a field's name given beside its alias is an extra key: the alias gave the value
            extra = {key: item for key, item in data.items() if key not in used}
            if self.extra == "forbid":
                errors.extend(
                    ((key,), "extra_forbidden", item, None, None) for key, item in extra.items()
                )
                extra = None
        if errors:
            raise LineErrors(errors)
        instance = self.allocate() if target is None else target
        for name, value in values.items():
            object.__setattr__(instance, name, value)
        if extra is not None:
            object.__setattr__(instance, "__ferrule_extra__", extra)
        if self.records_given:
            if type(data) is _Revalidated:  # an instance validated again keeps its record
                _fields_set.store_record(instance, data.given)
            elif target is not None or len(given) < len(self.fields):
                _fields_set.store_record(instance, _fields_set.record_of(given, len(self.fields)))
        return instance

    def check_field(self, instance: Any, name: str, value: Any) -> Any:
        """The value field ``name`` would hold after ``instance.name = value``, from the field's
        own check, storing nothing: no frozen test and no after-validators (they judge whole
        instances; ``orm.loading`` re-checks a partial row field by field)."""
        field = self.by_name.get(name)
        if field is None:
            raise AttributeError(f"{type(instance).__name__} has no field {name}")
        return self._checked(instance, field, value)

    def _checked(self, instance: Any, field: Any, value: Any) -> Any:
        """``value`` through ``field``'s validation, as an assignment to ``instance`` runs it
        (``info.data``: the instance's other fields)."""
        state = State(strict=None, json=False)
        if self.field_info:
            others = {}
            for other in self.fields:  # the stored values, as the native core reads its slots
                if other is not field:
                    try:
                        others[other.name] = self._stored(instance, other.name)
                    except AttributeError:
                        continue
            state.frame = (self.config, field.name, others)
        try:
            return field.validator.validate(value, state)
        except LineErrors as exc:
            raise LineErrors(prefixed(field.name, field.with_messages(exc.errors))) from None

    def _stored(self, instance: Any, name: str) -> Any:
        """The value stored for field ``name``, read from the class's own slot: not through
        a descriptor a subclass put in front of it (an ORM relation reads a key for a value
        not loaded)."""
        slot = getattr(self.cls, name, None)
        if not isinstance(slot, types.MemberDescriptorType):
            return getattr(instance, name)
        return slot.__get__(instance, self.cls)

    def assign(self, instance: Any, name: str, value: Any) -> None:
        """Validate ``value`` for field ``name`` and store it; errors leave the old value."""
        if name.startswith("_"):
            object.__setattr__(instance, name, value)
            return
        if self.frozen:
            raise LineErrors([((name,), "frozen_instance", value, None, None)])
        field = self.by_name.get(name)
        if field is None:
            setter = _property_of(type(instance), name)
            if setter is not None:  # pydantic runs a property's setter (or its AttributeError)
                setter.__set__(instance, value)
                return
            if self.extra == "allow":
                extra = getattr(instance, "__ferrule_extra__", None)
                if extra is None:
                    extra = {}
                    object.__setattr__(instance, "__ferrule_extra__", extra)
                extra[name] = value
                return
            raise LineErrors([((name,), "no_such_attribute", value, {"attribute": name}, None)])
        if field.frozen:
            raise LineErrors([((name,), "frozen_field", value, None, None)])
        index = self.fields.index(field)
        if HELD[0] and issubclass(type(value), HELD[0]) and HELD[1](instance, name):
            object.__setattr__(instance, name, value)
            _fields_set.mark_given(instance, index, name, len(self.fields))
            return
        if self.validate_assignment_enabled:
            value = self._checked(instance, field, value)
        if not self.after or not self.validate_assignment_enabled:
            object.__setattr__(instance, name, value)
            _fields_set.mark_given(instance, index, name, len(self.fields))
            return
        # the after-validators judge the instance with the new value; refused, the old comes back
        old = getattr(instance, name, _MISSING)
        object.__setattr__(instance, name, value)
        try:
            for function, info in self.after:
                extra = (model_info(self.config, State(strict=None, json=False)),) if info else ()
                call_user_with(function, instance, *extra)
        except BaseException:
            if old is _MISSING:
                object.__delattr__(instance, name)
            else:
                object.__setattr__(instance, name, old)
            raise
        _fields_set.mark_given(instance, index, name, len(self.fields))


_MEMBER = types.MemberDescriptorType


def _own_slot(cls: type, name: str) -> None:
    """The native core's check (``Slot::lookup``): a field is a slot of the class or a base;
    anything in front of it (a subclass's property) is a ``SchemaError`` when the class is
    made, not an ``AttributeError`` at each construction."""
    found = getattr(cls, name, None)
    owner = getattr(found, "__objclass__", None)
    if type(found) is not _MEMBER or not isinstance(owner, type) or not issubclass(cls, owner):
        raise SchemaError(f"{cls.__name__}.{name} is not a slot of the class")


def _keyed_by_text(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """``data`` with each str subclass key read as the text it holds, as the native core
    reads it: its ``__eq__``/``__hash__`` never decide which field it fills ('titel' is no
    'title'). A plain str key wins over a subclass key of its text (which a lookup by hash,
    pydantic's, never finds), a later subclass key over an earlier one."""
    exact = {key for key in data if type(key) is str}
    out: dict[Any, Any] = {}
    for key, value in data.items():
        if type(key) is not str and isinstance(key, str):
            text = str.__str__(key)
            if text not in exact:
                out[text] = value
        else:
            out[key] = value
    return out


def _property_of(cls: type, name: str) -> property | None:
    """The ``property`` (or subclass) named ``name`` on ``cls`` or its bases, found as
    ``type.__getattribute__`` would (first in the MRO), else None."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name, _NOTHING)
        if found is not _NOTHING:
            return found if isinstance(found, property) else None
    return None


_NOTHING = object()


def _hook(entry: Any) -> tuple[str, Callable[..., Any], bool]:
    """A model validator as the schema lists it: ``(mode, function, takes info)``."""
    if isinstance(entry, dict):
        return entry["mode"], entry["function"], bool(entry.get("info"))
    return "after", entry, False


def _move(built: Any, instance: Any, fields: list[_Field]) -> None:
    """The field values of ``built`` into ``instance`` (``__init__`` of a layered model)."""
    for field in fields:
        try:
            value = object.__getattribute__(built, field.name)
        except AttributeError:
            continue
        object.__setattr__(instance, field.name, value)


class _Unjson(Validator):
    """A model validated as Python input (`as_python` clears the JSON flag around it)."""

    __slots__ = ("model",)

    def __init__(self, model: ModelValidator) -> None:
        self.model = model

    def validate(self, value: Any, state: State) -> Any:
        return self.model.validate(value, state)


class _Layer(Validator):
    """The layers under a wrap model validator, as its handler runs them."""

    __slots__ = ("model", "top")

    def __init__(self, model: ModelValidator, top: int) -> None:
        self.model = model
        self.top = top

    def validate(self, value: Any, state: State) -> Any:
        return self.model._layer(value, state, self.top)


_COMPILED: weakref.WeakKeyDictionary[type, ModelValidator] = weakref.WeakKeyDictionary()


def model_validator_for(cls: type) -> ModelValidator:
    """The compiled validator of ``cls.__ferrule_schema__``, compiled once per class."""
    compiled = _COMPILED.get(cls)
    if compiled is None:
        schema = getattr(cls, "__ferrule_schema__", None)
        if not isinstance(schema, dict) or "fields" not in schema:
            raise SchemaError(f"{cls.__name__} has no __ferrule_schema__ model schema")
        compiled = ModelValidator(schema)
        _COMPILED[cls] = compiled
    return compiled


class ModelRefValidator(Validator):
    """``{"type": "model", "cls": C}``: validated by C's own schema, looked up on first use."""

    __slots__ = ("cls", "target")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.target: ModelValidator | None = None

    def validate(self, value: Any, state: State) -> Any:
        target = self.target
        if target is None:
            target = self.target = model_validator_for(self.cls)
        return target.validate(value, state)


@builder("model")
def _build_model(schema: dict[str, Any]) -> Validator:
    if "fields" in schema:
        return ModelValidator(schema)
    return ModelRefValidator(schema["cls"])


def _has_attributes(value: Any) -> bool:
    """Whether ``from_attributes`` reads ``value`` (never a dict, scalar, string or sequence)."""
    return value is not None and not isinstance(
        value, (dict, Mapping, str, bytes, bytearray, int, float, list, tuple)
    )
