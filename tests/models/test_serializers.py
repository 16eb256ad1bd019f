"""`field_serializer`, `model_serializer`, ``Annotated[T, PlainSerializer(f)]`` /
`WrapSerializer`, `SerializationInfo` and the dumps' ``context=``/``round_trip=``, under
whichever core the process selected, plus a differential of both cores on the same instances.

Every expected value was recorded from pydantic 2.14 for the same models (``PlainSerializer``
return types aside: pydantic warns when a result does not match ``return_type``, ferrule writes
the result by its own type, as pydantic does after the warning)."""

from __future__ import annotations

import datetime
import functools
import json
from typing import Annotated, Any

import pytest

from ferrule import (
    Field,
    Model,
    PlainSerializer,
    SerializationError,
    SerializationInfo,
    WrapSerializer,
    computed_field,
    field_serializer,
    model_serializer,
)
from ferrule.errors import JSONError, SchemaError

DAY = datetime.datetime(2020, 1, 1)


class Plain(Model):
    a: int
    b: datetime.datetime
    c: int | None = None

    @field_serializer("a", "c")
    def ser_a(self, value: Any) -> str:
        return f"a={value}"

    @field_serializer("b", mode="wrap", when_used="json")
    def ser_b(self, value: Any, handler: Any, info: SerializationInfo) -> Any:
        return {
            "h": handler(value),
            "mode": info.mode,
            "json": info.mode_is_json(),
            "ctx": info.context,
            "fn": info.field_name,
            "en": info.exclude_none,
            "rt": info.round_trip,
        }


def wrapped_b(mode: str, ctx: Any = None, rt: bool = False) -> dict[str, Any]:
    return {
        "h": "2020-01-01T00:00:00",
        "mode": mode,
        "json": mode == "json",
        "ctx": ctx,
        "fn": "b",
        "en": False,
        "rt": rt,
    }


def test_plain_and_wrap_field_serializers() -> None:
    m = Plain(a=1, b=DAY)
    assert m.model_dump() == {"a": "a=1", "b": DAY, "c": "a=None"}
    assert m.model_dump(mode="json", context={"x": 1}) == {
        "a": "a=1",
        "b": wrapped_b("json", {"x": 1}),
        "c": "a=None",
    }
    out = m.model_dump_json(context=[1], exclude={"c"}, round_trip=True)
    assert json.loads(out) == {"a": "a=1", "b": wrapped_b("json", [1], True)}
    assert m.json_bytes(context=[1], exclude={"c"}, round_trip=True) == out.encode()
    assert m.model_dump(exclude_none=True) == {"a": "a=1", "b": DAY}  # the raw None decides


class WhenUsed(Model):
    c: int | None = None
    d: int | None = None

    @field_serializer("c", when_used="unless-none")
    def s(self, value: int) -> int:
        return value * 10

    @field_serializer("d", when_used="json-unless-none")
    def s2(self, value: int) -> int:
        return value * 10


@pytest.mark.parametrize(
    ("values", "dump", "text"),
    [
        ({}, {"c": None, "d": None}, '{"c":null,"d":null}'),
        ({"c": 1, "d": 1}, {"c": 10, "d": 1}, '{"c":10,"d":10}'),
    ],
)
def test_when_used(values: dict[str, Any], dump: Any, text: str) -> None:
    assert WhenUsed(**values).model_dump() == dump
    assert WhenUsed(**values).model_dump_json() == text


def double(value: int) -> int:
    return value * 2


def wrap_with_mode(value: Any, handler: Any, info: SerializationInfo) -> Any:
    return [handler(value), info.mode]


class Annotations(Model):
    x: Annotated[int, PlainSerializer(double, return_type=int, when_used="always")]
    y: Annotated[datetime.date, WrapSerializer(wrap_with_mode)]
    z: Annotated[int, PlainSerializer(double)] = 1

    @field_serializer("z")
    def wins(self, value: int) -> int:  # a field_serializer overrides the Annotated one
        return value * 10


def test_annotated_serializers() -> None:
    m = Annotations(x=2, y=datetime.date(2020, 1, 1))
    assert m.model_dump() == {"x": 4, "y": [datetime.date(2020, 1, 1), "python"], "z": 10}
    assert m.model_dump_json() == '{"x":4,"y":["2020-01-01","json"],"z":10}'


class _Doubler:
    def __call__(self, value: int) -> int:
        return value * 2


def _tagged(tag: str, value: Any) -> str:
    return f"{tag}:{value}"


class Callables(Model):
    """Serializers of every kind of callable: the native core calls each through its own
    entry (a Python function, a builtin, a partial, an instance with ``__call__``)."""

    a: Annotated[int, PlainSerializer(hex)]
    b: Annotated[int, PlainSerializer(abs)]
    c: Annotated[int, PlainSerializer(functools.partial(_tagged, "c"))]
    d: Annotated[int, PlainSerializer(_Doubler())]
    e: Annotated[int, PlainSerializer(lambda value: -value)]
    f: int

    @field_serializer("f")
    @staticmethod
    def negated(value: int) -> int:
        return -value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def g(self) -> int:
        return self.a + self.f


def test_every_kind_of_callable_is_called() -> None:
    m = Callables(a=10, b=-2, c=3, d=4, e=5, f=6)
    expected = {"a": "0xa", "b": 2, "c": "c:3", "d": 8, "e": -5, "f": -6, "g": 16}
    assert m.model_dump() == expected
    assert json.loads(m.model_dump_json()) == expected


class EveryField(Model):
    a: int
    b: int

    @field_serializer("*")
    def plus_one(self, value: int) -> int:
        return value + 1


def test_star_names_every_field() -> None:
    assert EveryField(a=1, b=2).model_dump() == {"a": 2, "b": 3}


class ModelPlain(Model):
    a: int
    b: int = 2

    @model_serializer
    def ser(self) -> dict[str, Any]:
        return {"A": self.a, "b": self.b}


class ModelJsonOnly(Model):
    a: int

    @model_serializer(when_used="json")
    def ser(self) -> str:
        return "J"


class ModelWrap(Model):
    a: int

    @computed_field
    @property
    def z(self) -> int:
        return 9

    @model_serializer(mode="wrap")
    def ser(self, handler: Any, info: SerializationInfo) -> dict[str, Any]:
        out = handler(self)
        out["mode"] = info.mode
        return out


class ModelInfo(Model):
    a: int

    @model_serializer
    def ser(self, info: SerializationInfo) -> list[Any]:
        return [self.a, info.mode]


class Outer(Model):
    inner: ModelPlain
    items: list[ModelWrap]


def test_model_serializers() -> None:
    m = ModelPlain(a=1)
    # include/exclude do not apply to a plain model serializer's result
    assert m.model_dump(include={"b"}) == {"A": 1, "b": 2}
    assert m.model_dump(exclude={"A"}) == {"A": 1, "b": 2}
    assert m.model_dump_json(include={"b"}) == '{"A":1,"b":2}'
    j = ModelJsonOnly(a=1)
    assert (j.model_dump(), j.model_dump(mode="json"), j.model_dump_json()) == (
        {"a": 1},
        "J",
        '"J"',
    )
    w = ModelWrap(a=1)
    assert w.model_dump() == {"a": 1, "z": 9, "mode": "python"}
    assert w.model_dump_json() == '{"a":1,"z":9,"mode":"json"}'
    assert w.model_dump(include={"a"}) == {"a": 1, "mode": "python"}  # the handler filters
    assert (ModelInfo(a=1).model_dump(), ModelInfo(a=1).model_dump_json()) == (
        [1, "python"],
        '[1,"json"]',
    )
    outer = Outer(inner=ModelPlain(a=1), items=[ModelWrap(a=2)])
    expected = {"inner": {"A": 1, "b": 2}, "items": [{"a": 2, "z": 9, "mode": "python"}]}
    assert outer.model_dump() == expected
    assert json.loads(outer.model_dump_json()) == {
        "inner": {"A": 1, "b": 2},
        "items": [{"a": 2, "z": 9, "mode": "json"}],
    }


class InfoProbe(Model):
    a: int
    seen: list[Any] = []

    @field_serializer("a")
    def s(self, value: int, info: SerializationInfo) -> int:
        self.seen.append(info)
        return value


def test_info_is_pydantics() -> None:
    probe = InfoProbe(a=1)
    probe.model_dump(by_alias=True, context="c")
    [info] = probe.seen
    assert isinstance(info, SerializationInfo)
    assert (info.mode, info.by_alias, info.context, info.field_name) == ("python", True, "c", "a")
    assert (info.include, info.exclude, info.exclude_unset, info.exclude_defaults) == (
        None,
        None,
        False,
        False,
    )
    assert repr(info) == (
        "SerializationInfo(include=None, exclude=None, context='c', mode='python', "
        "by_alias=True, exclude_unset=False, exclude_defaults=False, exclude_none=False, "
        "exclude_computed_fields=False, round_trip=False, serialize_as_any=False)"
    )


# --- errors and hostile serializers ----------------------------------------------------------


class Raises(Model):
    a: int

    @field_serializer("a")
    def s(self, value: int) -> int:
        raise ValueError("boom")


class RaisesKey(Model):
    a: int

    @field_serializer("a")
    def s(self, value: int) -> int:
        raise KeyError("k")


class ModelRaises(Model):
    a: int

    @model_serializer
    def ser(self) -> Any:
        raise ValueError("m")


@pytest.mark.parametrize(
    ("instance", "message", "cause"),
    [
        (Raises(a=1), "Error calling function `s`: ValueError: boom", ValueError),
        (RaisesKey(a=1), "Error calling function `s`: KeyError: 'k'", KeyError),
        (ModelRaises(a=1), "Error calling function `ser`: ValueError: m", ValueError),
    ],
)
def test_an_exception_in_a_serializer_is_a_serialization_error(
    instance: Model, message: str, cause: type
) -> None:
    for dump in (instance.model_dump, instance.model_dump_json, instance.json_bytes):
        with pytest.raises(SerializationError) as caught:
            dump()
        assert str(caught.value) == message
        assert type(caught.value.__cause__) is cause
        assert isinstance(caught.value, JSONError) and isinstance(caught.value, ValueError)


class ReturnsObject(Model):
    a: int

    @field_serializer("a")
    def s(self, value: int) -> Any:
        return object()


class ReturnsSelf(Model):
    a: int

    @field_serializer("a")
    def s(self, value: int) -> Any:
        return self


class Recurses(Model):
    a: int

    @field_serializer("a")
    def s(self, value: int) -> Any:
        return self.model_dump()


class Mutates(Model):
    a: int
    b: list[int] = [1, 2]

    @field_serializer("a")
    def s(self, value: int) -> int:
        self.b = [9]
        self.a = value + 1
        return value


class KeepsHandler(Model):
    a: int
    kept: list[Any] = []

    @field_serializer("a", mode="wrap")
    def s(self, value: int, handler: Any) -> Any:
        self.kept.append(handler)
        return handler(value)


class Evicts(Model):
    a: int
    b: list[int] = [1]

    @field_serializer("a")
    def s(self, value: int) -> int:
        # new model classes dumped meanwhile push this class out of the core's class cache
        for index in range(130):
            cls: Any = type(f"T{index}", (Model,), {"__annotations__": {"x": int}})
            cls(x=index).model_dump()
        return value


def test_a_serializer_that_evicts_the_class_cache() -> None:
    assert Evicts(a=1).model_dump() == {"a": 1, "b": [1]}
    assert Evicts(a=1).model_dump_json() == '{"a":1,"b":[1]}'


def test_hostile_serializers_give_typed_errors() -> None:
    assert type(ReturnsObject(a=1).model_dump()["a"]) is object
    with pytest.raises(JSONError, match="not JSON serializable"):
        ReturnsObject(a=1).model_dump_json()
    with pytest.raises(JSONError):
        ReturnsSelf(a=1).model_dump()
    with pytest.raises(JSONError):
        ReturnsSelf(a=1).model_dump_json()
    with pytest.raises(SerializationError, match=r"RecursionError|JSONError"):
        Recurses(a=1).model_dump()
    m = Mutates(a=1)
    assert m.model_dump() == {"a": 1, "b": [9]}
    assert m.model_dump_json() == '{"a":2,"b":[9]}'
    k = KeepsHandler(a=1)
    k.model_dump()
    assert k.kept[0](datetime.date(2020, 1, 2)) == datetime.date(2020, 1, 2)  # still usable
    assert repr(k.kept[0]) == "SerializerFunctionWrapHandler()"
    with pytest.raises(TypeError):
        k.kept[0]()


def test_definition_errors() -> None:
    with pytest.raises(SchemaError, match="unknown field 'zz'"):

        class Unknown(Model):
            a: int

            @field_serializer("zz")
            def s(self, value: Any) -> Any:
                return value

    class Unchecked(Model):
        a: int

        @field_serializer("zz", check_fields=False)
        def s(self, value: Any) -> Any:
            return value

    assert Unchecked(a=1).model_dump() == {"a": 1}
    with pytest.raises(SchemaError, match="already has the field_serializer"):

        class Twice(Model):
            a: int

            @field_serializer("a")
            def s(self, value: Any) -> Any:
                return value

            @field_serializer("a")
            def t(self, value: Any) -> Any:
                return value

    with pytest.raises(SchemaError, match="positional arguments"):

        class BadSignature(Model):
            a: int

            @field_serializer("a")
            def s(self) -> Any:
                return 1

    with pytest.raises(SchemaError, match="inside a type"):

        class Nested(Model):
            a: list[Annotated[int, PlainSerializer(double)]]

    with pytest.raises(TypeError):
        field_serializer("a", mode="before")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        model_serializer(when_used="sometimes")  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        PlainSerializer(1)  # type: ignore[arg-type]


# --- both cores on the same instances ---------------------------------------------------------

INSTANCES = [
    Plain(a=1, b=DAY),
    WhenUsed(c=1),
    Annotations(x=2, y=datetime.date(2020, 1, 1)),
    ModelPlain(a=1),
    ModelJsonOnly(a=1),
    ModelWrap(a=1),
    Outer(inner=ModelPlain(a=1), items=[ModelWrap(a=2)]),
]
OPTIONS: list[dict[str, Any]] = [
    {},
    {"mode": "json"},
    {"by_alias": True, "exclude_none": True},
    {"include": {"a", "b", "x", "inner"}, "context": 5},
]


@pytest.mark.parametrize("instance", INSTANCES, ids=lambda m: type(m).__name__)
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_both_cores_agree(core: Any, instance: Model, options: dict[str, Any]) -> None:
    validator = core.SchemaValidator(type(instance).__ferrule_schema__)
    assert validator.to_python(instance, **options) == instance.model_dump(**options)
    json_options = {k: v for k, v in options.items() if k != "mode"}
    expected = instance.model_dump_json(**json_options).encode()
    assert validator.to_json(instance, **json_options) == expected


class ShowsFilters(Model):
    y: list[int]

    @field_serializer("y")
    def s(self, value: Any, info: SerializationInfo) -> Any:
        return [info.include, info.exclude]


class ModelShowsFilters(Model):
    a: int

    @model_serializer
    def s(self, info: SerializationInfo) -> Any:
        return [info.include, info.exclude]


@pytest.mark.parametrize(
    ("instance", "options", "expected"),
    [
        (ShowsFilters(y=[1, 2]), {"include": {"y": {0}}}, {"y": [{0}, None]}),
        (ShowsFilters(y=[1]), {"exclude": {"y": {0}}}, {"y": [None, {0}]}),
        (ShowsFilters(y=[1]), {"include": {"y": True}}, {"y": [None, None]}),
        (ModelShowsFilters(a=1), {"include": {"a"}}, [{"a"}, None]),
        (ModelShowsFilters(a=1), {"exclude": {"a": {"x"}}}, [None, {"a": {"x"}}]),
    ],
)
def test_info_filters_in_pydantics_shape(
    instance: Model, options: dict[str, Any], expected: Any
) -> None:
    assert instance.model_dump(**options) == expected


class WithSecret(Model):
    token: str | None = Field(default=None, secret=True)
    calls: list[str] = []

    @field_serializer("token")
    def s(self, value: Any) -> Any:
        self.calls.append(value)
        return "seen"


def test_a_masked_secret_is_not_passed_to_its_serializer() -> None:
    m = WithSecret(token="hunter2", calls=[])
    assert m.model_dump() == {"token": "**********", "calls": []}
    assert m.model_dump_json() == '{"token":"**********","calls":[]}'
    assert m.model_dump(exclude_none=True)["token"] == "**********"
    assert m.calls == []
    assert m.model_dump(reveal_secrets=True)["token"] == "seen"
    assert WithSecret().model_dump_json() == '{"token":"seen","calls":[null]}'  # None is shown


class ModelReturnsSelf(Model):
    a: int

    @model_serializer
    def ser(self) -> Any:
        return self


class WrapReturnsSelf(Model):
    a: int

    @model_serializer(mode="wrap")
    def ser(self, handler: Any) -> Any:
        return [handler(self), self]


class ComputedSelf(Model):
    a: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def me(self) -> ComputedSelf:
        return self


@pytest.mark.parametrize("cls", [ModelReturnsSelf, WrapReturnsSelf, ComputedSelf])
@pytest.mark.parametrize("dump", ["model_dump", "model_dump_json", "json_bytes"])
def test_a_result_holding_the_model_itself_is_a_cycle(cls: Any, dump: str) -> None:
    with pytest.raises(JSONError, match="nested too deeply or cyclic"):
        getattr(cls(a=1), dump)()


def test_type_adapter_dumps_hand_the_context_to_serializers() -> None:
    """``TypeAdapter.dump_python``/``dump_json`` take ``context=`` (and ``round_trip=``) as
    pydantic's do; the context reaches a field serializer's ``info.context``."""
    from ferrule import TypeAdapter, field_serializer

    class Price(Model):
        amount: float

        @field_serializer("amount")
        def scaled(self, value: float, info: SerializationInfo) -> float:
            return value * (info.context or {}).get("scale", 1)

    adapter = TypeAdapter(list[Price])
    items = [Price(amount=2.0)]
    assert adapter.dump_python(items, context={"scale": 10}) == [{"amount": 20.0}]
    assert adapter.dump_json(items, context={"scale": 3}, round_trip=True) == b'[{"amount":6.0}]'
    assert adapter.dump_python(items) == [{"amount": 2.0}]


@pytest.mark.parametrize("flag", ["exclude_unset", "exclude_defaults"])
def test_info_tells_a_serializer_which_fields_the_dump_leaves_out(flag: str) -> None:
    """``info.exclude_unset``/``info.exclude_defaults`` say what the dump call asked
    (pydantic's answers), in Python and JSON output."""
    from ferrule import field_serializer

    seen: list[tuple[bool, bool]] = []

    class Tagged(Model):
        name: str

        @field_serializer("name")
        def record(self, value: str, info: SerializationInfo) -> str:
            seen.append((info.exclude_unset, info.exclude_defaults))
            return value

    item = Tagged(name="a")
    item.model_dump(**{flag: True})
    item.model_dump_json(**{flag: True})
    item.model_dump()
    asked = (flag == "exclude_unset", flag == "exclude_defaults")
    assert seen == [asked, asked, (False, False)]


def test_a_plain_attribute_in_a_subclass_removes_the_base_serializer_and_computed_field() -> None:
    """The scans skip a namespace that holds nothing marked only while nothing was found in
    the bases: a subclass's plain value must still replace a base's marked attribute."""

    class Base(Model):
        x: int

        @field_serializer("x")
        def double(self, value: int) -> int:
            return value * 2

        @computed_field  # type: ignore[prop-decorator]
        @property
        def twice(self) -> int:
            return self.x * 2

    class Child(Base):
        double = None
        twice = 5

    assert Base(x=2).model_dump() == {"x": 4, "twice": 4}
    assert Child(x=2).model_dump() == {"x": 2}
