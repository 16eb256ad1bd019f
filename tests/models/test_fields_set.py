"""`model_fields_set` and the dumps built on it (`exclude_unset=`, `exclude_defaults=`), with
pydantic 2.14's answers (recorded from pydantic for the same models), under whichever core the
process selected; the core table at the top runs both cores in one process, on the dict, JSON
tree and JSON stream paths."""

from __future__ import annotations

import copy
import json
import math
import pickle
from typing import Any

import pytest
from cores import field, make_validator, model_schema

from ferrule import Field, Model, TypeAdapter, model_validator
from ferrule.errors import ValidationError
from ferrule.models import _fields_set

INT = {"type": "int"}

# --- both cores, every input path -------------------------------------------------------------


def _slotted(name: str, fields: list[dict[str, Any]], **config: Any) -> type:
    """A class as `ferrule.Model` lays it out, hidden `fields_set` slot included."""
    slots = [f["name"] for f in fields] + [_fields_set.SLOT]
    if config.get("extra") == "allow":
        slots.append("__ferrule_extra__")
    cls = type(name, (), {"__slots__": tuple(slots)})
    cls.__ferrule_schema__ = model_schema(cls, fields, **config)  # type: ignore[attr-defined]
    return cls


FIELDS = [
    field("a", INT),
    field("b", INT, alias="B", default=1),
    field("c", {"type": "list", "items": INT, "strict": False}, default_factory=list),
    field("d", {"type": "nullable", "schema": INT}, default=None),
]
NAMES = ["a", "b", "c", "d"]

#: (input, fields set, exclude_unset dump, exclude_defaults dump)
TABLE: list[tuple[dict[str, Any], set[str], dict[str, Any], dict[str, Any]]] = [
    ({"a": 1}, {"a"}, {"a": 1}, {"a": 1}),
    ({"a": 1, "B": 1}, {"a", "b"}, {"a": 1, "b": 1}, {"a": 1}),
    (
        {"a": 1, "B": 2, "c": [], "d": None},
        {"a", "b", "c", "d"},
        {"a": 1, "b": 2, "c": [], "d": None},
        {"a": 1, "b": 2},
    ),
    ({"a": 1, "d": 4, "b": 9}, {"a", "d"}, {"a": 1, "d": 4}, {"a": 1, "d": 4}),
    (
        {"d": 4, "a": 1, "c": [2]},
        {"a", "c", "d"},
        {"a": 1, "c": [2], "d": 4},
        {"a": 1, "c": [2], "d": 4},
    ),
]


def _validate(core: Any, path: str, data: dict[str, Any], **config: Any) -> Any:
    cls = _slotted("Given", FIELDS, **config)
    validator = make_validator(core, cls.__ferrule_schema__)  # type: ignore[attr-defined]
    if path == "python":
        return validator, validator.validate_python(data)
    if path == "json":
        return validator, validator.validate_json(json.dumps(data))
    results, failures = validator.validate_json_many(json.dumps(data), collect=True)
    assert not failures
    return validator, results[0]


@pytest.mark.parametrize("path", ["python", "json", "stream"])
@pytest.mark.parametrize(("data", "given", "unset", "defaults"), TABLE)
def test_fields_set_table(
    core: Any,
    path: str,
    data: dict[str, Any],
    given: set[str],
    unset: dict[str, Any],
    defaults: dict[str, Any],
) -> None:
    validator, instance = _validate(core, path, data)
    assert _fields_set.given_names(instance, NAMES) == given
    assert validator.to_python(instance, exclude_unset=True) == unset
    assert validator.to_python(instance, exclude_defaults=True) == defaults
    assert json.loads(validator.to_json(instance, exclude_unset=True)) == unset
    assert json.loads(validator.to_json(instance, exclude_defaults=True)) == defaults
    both = {k: v for k, v in unset.items() if k in defaults}
    assert validator.to_python(instance, exclude_unset=True, exclude_defaults=True) == both


@pytest.mark.parametrize("path", ["python", "json", "stream"])
def test_extras_count_as_set(core: Any, path: str) -> None:
    validator, instance = _validate(core, path, {"a": 1, "z": 2}, extra="allow")
    assert _fields_set.given_names(instance, NAMES) == {"a", "z"}
    assert validator.to_python(instance, exclude_unset=True) == {"a": 1, "z": 2}
    assert validator.to_python(instance, exclude_defaults=True) == {"a": 1, "z": 2}


def test_assignment_adds_the_name(core: Any) -> None:
    validator, instance = _validate(core, "python", {"a": 1})
    validator.validate_assignment(instance, "d", 5)
    assert _fields_set.given_names(instance, NAMES) == {"a", "d"}
    for name, value in (("b", 2), ("c", [])):
        validator.validate_assignment(instance, name, value)
    assert getattr(instance, _fields_set.SLOT, "empty") == "empty"  # all given: no record
    assert validator.to_python(instance, exclude_unset=True) == {"a": 1, "b": 2, "c": [], "d": 5}


def test_a_class_without_the_slot_has_every_field_set(core: Any) -> None:
    cls = type("Bare", (), {"__slots__": tuple(NAMES)})
    cls.__ferrule_schema__ = model_schema(cls, FIELDS)  # type: ignore[attr-defined]
    validator = make_validator(core, cls.__ferrule_schema__)  # type: ignore[attr-defined]
    instance = validator.validate_python({"a": 1})
    assert validator.to_python(instance, exclude_unset=True) == {"a": 1, "b": 1, "c": [], "d": None}


# --- the model API ----------------------------------------------------------------------------


class Sub(Model):
    x: int = 1
    y: int = 2


class User(Model):
    id: int
    name: str = Field("anon", alias="Name")
    tags: list[str] = Field(default_factory=list)
    sub: Sub = Sub()
    note: str | None = None


class Open(Model, extra="allow"):
    a: int
    b: int = 1


def test_given_by_name_or_alias_defaults_not() -> None:
    assert User(id=1).model_fields_set == {"id"}
    assert User(id=1, Name="x").model_fields_set == {"id", "name"}
    assert User.model_validate({"id": 1, "tags": []}).model_fields_set == {"id", "tags"}
    assert User.model_validate_json('{"id": 1, "note": null}').model_fields_set == {"id", "note"}
    users = TypeAdapter(list[User]).validate_json('[{"id": 1, "Name": "n"}]')
    assert users[0].model_fields_set == {"id", "name"}
    every = User(id=1, Name="x", tags=[], sub=Sub(), note=None)
    assert every.model_fields_set == {"id", "name", "tags", "sub", "note"}


def test_the_property_is_a_new_set_each_time() -> None:
    user = User(id=1)
    user.model_fields_set.add("note")  # pydantic would keep this; ferrule builds a fresh set
    assert user.model_fields_set == {"id"}


def test_nested_models_keep_their_own() -> None:
    user = User.model_validate({"id": 1, "sub": {"y": 5}})
    assert user.model_fields_set == {"id", "sub"}
    assert user.sub.model_fields_set == {"y"}
    assert user.model_dump(exclude_unset=True) == {"id": 1, "sub": {"y": 5}}
    assert user.model_dump_json(exclude_unset=True) == '{"id":1,"sub":{"y":5}}'


def test_assignment_adds_the_name_with_or_without_validation() -> None:
    user = User(id=1)
    user.note = "n"
    assert user.model_fields_set == {"id", "note"}

    class Loose(Model, validate_assignment=False):
        a: int = 0
        b: int = 0

    loose = Loose()
    loose.b = 3
    assert loose.model_fields_set == {"b"}
    assert loose.model_dump(exclude_unset=True) == {"b": 3}


def test_refused_assignment_adds_nothing() -> None:
    class Checked(Model):
        a: int = 0
        b: int = 0

        @model_validator(mode="after")
        def small(self) -> Checked:
            if self.b > 5:
                raise ValueError("too big")
            return self

    item = Checked()
    with pytest.raises(ValidationError):
        item.a = "x"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        item.b = 9  # ferrule puts the old value back (pydantic keeps it and adds "b")
    assert item.model_fields_set == set()
    item.b = 2
    assert item.model_fields_set == {"b"}


def test_extras_count_as_given_and_are_always_dumped() -> None:
    item = Open(a=1, zz=3)
    assert item.model_fields_set == {"a", "zz"}
    assert item.model_dump(exclude_unset=True) == {"a": 1, "zz": 3}
    item.q = 4
    assert item.model_fields_set == {"a", "zz", "q"}
    assert Open.model_validate_json('{"a": 1, "zz": null}').model_dump(
        exclude_unset=True, exclude_none=True
    ) == {"a": 1}
    assert Open(a=1, zz=2).model_dump(exclude_defaults=True) == {"a": 1, "zz": 2}
    assert Open(a=1, zz=2).model_dump(exclude_unset=True, exclude={"zz"}) == {"a": 1}


def test_model_construct() -> None:
    assert User.model_construct(id=5).model_fields_set == {"id"}
    assert User.model_construct(id=5, Name="a").model_fields_set == {"id", "name"}
    assert User.model_construct(id=5, name="a").model_fields_set == {"id", "name"}
    built = User.model_construct(_fields_set={"id", "q"}, id=5)
    assert built.model_fields_set == {"id", "q"}
    assert built.model_dump(exclude_unset=True) == {"id": 5}
    assert built.model_dump() == {
        "id": 5,
        "name": "anon",
        "tags": [],
        "sub": {"x": 1, "y": 2},
        "note": None,
    }
    assert User.model_construct().model_fields_set == set()
    assert User.model_construct().model_dump(exclude_unset=True) == {}
    # extras of model_construct are kept (extra="allow") and dumped, but not "given"
    opened = Open.model_construct(a=5, zz=1)
    assert opened.model_fields_set == {"a"}
    assert opened.model_dump(exclude_unset=True) == {"a": 5, "zz": 1}
    assert opened.zz == 1


def test_model_copy_keeps_and_adds() -> None:
    user = User(id=1)
    assert user.model_copy().model_fields_set == {"id"}
    assert user.model_copy(update={"note": "n"}).model_fields_set == {"id", "note"}
    assert user.model_copy(deep=True).model_fields_set == {"id"}
    full = user.model_copy(update={"name": "a", "tags": [], "sub": Sub(), "note": None})
    assert full.model_fields_set == {"id", "name", "tags", "sub", "note"}
    copied = Open(a=1).model_copy(update={"zz": 9})
    assert copied.model_fields_set == {"a", "zz"}
    assert copied.model_dump() == {"a": 1, "b": 1, "zz": 9}


@pytest.mark.parametrize(
    "clone",
    [pickle.loads, copy.copy, copy.deepcopy],
    ids=["pickle", "copy", "deepcopy"],
)
def test_copies_and_pickles_keep_it(clone: Any) -> None:
    for user in (User(id=1, note="n"), User(id=1, Name="a", tags=[], sub=Sub(), note=None)):
        source = pickle.dumps(user) if clone is pickle.loads else user
        again = clone(source)
        assert again.model_fields_set == user.model_fields_set
        assert again.model_dump(exclude_unset=True) == user.model_dump(exclude_unset=True)
    built = User.model_construct(_fields_set={"id"}, id=1)
    again = clone(pickle.dumps(built) if clone is pickle.loads else built)
    assert again.model_fields_set == {"id"}


def test_init_of_a_subclass_and_init_again() -> None:
    class Custom(Model):
        a: int = 0
        b: int = 0

        def __init__(self, **data: Any) -> None:
            super().__init__(**data)

    item = Custom(a=1)
    assert item.model_fields_set == {"a"}
    item.__init__(a=1, b=2)  # type: ignore[misc]
    assert item.model_fields_set == {"a", "b"}
    item.__init__(b=2)  # type: ignore[misc]
    assert item.model_fields_set == {"b"}


def test_before_validator_giving_an_instance_to_init() -> None:
    class Given(Model):
        a: int = 0
        b: int = 0

        @model_validator(mode="before")
        @classmethod
        def swap(cls, data: Any) -> Any:
            return Given.model_construct(b=data["b"]) if "b" in data else data

        def __init__(self, **data: Any) -> None:
            super().__init__(**data)

    assert Given(b=3).model_fields_set == {"b"}


def test_more_than_64_fields() -> None:
    names = [f"f{i}" for i in range(70)]
    Wide = type(
        "Wide",
        (Model,),
        {"__annotations__": dict.fromkeys(names, int), **dict.fromkeys(names, 0)},
    )
    Wide.__module__ = __name__
    Wide.__qualname__ = "Wide"
    globals()["Wide"] = Wide  # picklable by name
    item = Wide.model_validate({"f1": 1, "f65": 2, "f69": 3})
    assert item.model_fields_set == {"f1", "f65", "f69"}
    assert item.model_dump(exclude_unset=True) == {"f1": 1, "f65": 2, "f69": 3}
    assert json.loads(item.json_bytes(exclude_unset=True)) == {"f1": 1, "f65": 2, "f69": 3}
    item.f68 = 4
    assert item.model_fields_set == {"f1", "f65", "f68", "f69"}
    assert pickle.loads(pickle.dumps(item)).model_fields_set == item.model_fields_set
    assert Wide.model_validate_json('{"f66": 1}').model_fields_set == {"f66"}


# --- exclude_unset / exclude_defaults in dumps -----------------------------------------------


class Inner(Model):
    a: int = 1
    b: int = 2


class Outer(Model):
    items: list[Inner] = []
    by_key: dict[str, Inner] = {}
    one: Inner = Inner()
    n: float = 0.0
    label: str | None = Field(None, alias="Label")


OUTER = {"items": [{"a": 1}, {"a": 2, "b": 3}], "by_key": {"k": {"b": 2}}, "Label": None}

#: (options, expected python dump) recorded from pydantic
DUMPS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (
        {"exclude_unset": True},
        {"items": [{"a": 1}, {"a": 2, "b": 3}], "by_key": {"k": {"b": 2}}, "label": None},
    ),
    ({"exclude_defaults": True}, {"items": [{}, {"a": 2, "b": 3}], "by_key": {"k": {}}}),
    (
        {"exclude_unset": True, "exclude_defaults": True},
        {"items": [{}, {"a": 2, "b": 3}], "by_key": {"k": {}}},
    ),
    (
        {"exclude_unset": True, "exclude_none": True},
        {"items": [{"a": 1}, {"a": 2, "b": 3}], "by_key": {"k": {"b": 2}}},
    ),
    (
        {"exclude_unset": True, "by_alias": True},
        {"items": [{"a": 1}, {"a": 2, "b": 3}], "by_key": {"k": {"b": 2}}, "Label": None},
    ),
    (
        {"exclude_unset": True, "include": {"items": {0: {"b"}, 1: True}}},
        {"items": [{}, {"a": 2, "b": 3}]},
    ),
    (
        {"exclude_unset": True, "exclude": {"items": {"__all__": {"a"}}, "label": True}},
        {"items": [{}, {"b": 3}], "by_key": {"k": {"b": 2}}},
    ),
    ({"exclude_defaults": True, "include": {"one", "n"}}, {}),
]


@pytest.mark.parametrize(("options", "expected"), DUMPS, ids=[repr(c[0]) for c in DUMPS])
def test_dump_filters_match_pydantic(options: dict[str, Any], expected: dict[str, Any]) -> None:
    outer = Outer.model_validate(OUTER)
    assert outer.model_dump(**options) == expected
    assert outer.model_dump(mode="json", **options) == expected
    assert json.loads(outer.model_dump_json(**options)) == expected
    assert json.loads(outer.json_bytes(**options)) == expected
    assert json.loads(outer.model_dump_json(indent=2, **options)) == expected
    adapter = TypeAdapter(Outer)
    assert adapter.dump_python(outer, **options) == expected
    assert json.loads(adapter.dump_json(outer, **options)) == expected


def test_defaults_compare_with_eq_as_pydantic() -> None:
    class Values(Model):
        f: float = 1.0
        n: float = math.nan
        tags: list[int] = Field(default_factory=lambda: [1])
        inner: Inner = Inner()

    # 1 == 1.0, a factory's fresh value, an equal model: all defaults; NaN never equals itself
    item = Values(f=1, tags=[1], inner=Inner(a=1))
    dumped = item.model_dump(exclude_defaults=True)
    assert list(dumped) == ["n"] and math.isnan(dumped["n"])
    assert Values(tags=[2]).model_dump(exclude_defaults=True, exclude={"n"}) == {"tags": [2]}
    assert Values(tags=[2]).model_dump_json(exclude_defaults=True, exclude={"n"}) == '{"tags":[2]}'


def test_default_factory_is_called_per_dump() -> None:
    calls: list[int] = []

    def fresh() -> list[int]:
        calls.append(1)
        return [1]

    class Made(Model):
        a: list[int] = Field(default_factory=fresh)

    item = Made()
    assert len(calls) == 1
    assert item.model_dump(exclude_defaults=True) == {}
    assert len(calls) == 2
    assert item.model_dump(exclude_unset=True) == {}
    assert len(calls) == 2  # exclude_unset alone never compares


class Boom:
    def __eq__(self, other: object) -> bool:
        raise ValueError("boom")

    __hash__ = None  # type: ignore[assignment]


def test_a_raising_eq_or_factory_propagates() -> None:
    class Raising(Model):
        x: Any = None

    with pytest.raises(ValueError, match="boom"):
        Raising(x=Boom()).model_dump(exclude_defaults=True)
    with pytest.raises(ValueError, match="boom"):
        Raising(x=Boom()).json_bytes(exclude_defaults=True)
    calls: list[int] = []

    def flaky() -> int:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("no default")
        return 1

    class Factory(Model):
        y: int = Field(default_factory=flaky)

    item = Factory()
    with pytest.raises(RuntimeError, match="no default"):
        item.model_dump(exclude_defaults=True)
    with pytest.raises(RuntimeError, match="no default"):
        item.model_dump_json(exclude_defaults=True)


def test_a_corrupt_record_is_a_typed_error() -> None:
    user = User(id=1)
    slot = getattr(User, _fields_set.SLOT)
    slot.__set__(user, object())  # neither bits nor names
    with pytest.raises(TypeError):
        user.model_dump(exclude_unset=True)
    with pytest.raises(TypeError):
        user.json_bytes(exclude_unset=True)
    slot.__set__(user, -1)
    with pytest.raises(OverflowError):
        user.model_dump(exclude_unset=True)
    slot.__set__(user, frozenset({"id"}))
    assert user.model_dump(exclude_unset=True) == {"id": 1}
    assert user.model_dump() == {
        "id": 1,
        "name": "anon",
        "tags": [],
        "sub": {"x": 1, "y": 2},
        "note": None,
    }


def test_an_instance_validated_again_keeps_its_record() -> None:
    class Kept(Model, revalidate_instances="always"):
        a: int = 0
        b: int = 1

    class Holder(Model):
        kept: Kept

    assert Holder(kept=Kept(a=2)).kept.model_fields_set == {"a"}
    assert Holder(kept=Kept()).kept.model_fields_set == set()
    full = Holder(kept=Kept(a=1, b=2))
    assert full.kept.model_fields_set == {"a", "b"}
    assert Holder.model_validate({"kept": Kept(b=5)}).kept.model_dump(exclude_unset=True) == {
        "b": 5
    }


def test_unset_fields_are_left_out_of_a_model_with_serializers() -> None:
    """The dumps of a model with a computed field and a field serializer leave out unset and
    default fields too (pydantic's answers), in every output form."""
    from ferrule import computed_field, field_serializer

    class Invoice(Model):
        number: str
        lines: int = 1
        note: str = "none"

        @computed_field  # type: ignore[prop-decorator]
        @property
        def label(self) -> str:
            return f"#{self.number}"

        @field_serializer("number")
        def upper(self, value: str) -> str:
            return value.upper()

    given = Invoice.model_validate_json('{"number": "a1", "note": "none"}')
    expected = {"number": "A1", "note": "none", "label": "#a1"}
    assert given.model_dump(exclude_unset=True) == expected
    assert given.model_dump(mode="json", exclude_unset=True) == expected
    assert json.loads(given.model_dump_json(exclude_unset=True)) == expected
    assert given.model_dump(exclude_defaults=True) == {"number": "A1", "label": "#a1"}
    assert json.loads(given.model_dump_json(exclude_defaults=True)) == {
        "number": "A1",
        "label": "#a1",
    }
