"""Model options with pydantic v2's names and answers (written out here, from pydantic 2.14):
ser_json_timedelta, ser_json_bytes, val_json_bytes, ser_json_inf_nan, revalidate_instances,
arbitrary_types_allowed, validate_default, use_attribute_docstrings. Run under whichever core
the process selected (the suite runs once per core); validation on the dict and JSON paths."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Optional

import pytest

from ferrule import ConfigDict, Field, Model
from ferrule.errors import SchemaError, ValidationError
from ferrule.models._core import force_setattr

# ruff: noqa: UP045

PATHS = ["python", "json"]


def validate(cls: Any, data: dict[str, Any], path: str) -> Any:
    return (
        cls.model_validate(data) if path == "python" else cls.model_validate_json(json.dumps(data))
    )


def errors_of(run: Any) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        run()
    return [(e["type"], e["loc"], e.get("ctx")) for e in caught.value.errors()]


# --- ser_json_timedelta, ser_json_bytes ------------------------------------------------------


class Plain(Model):
    d: dt.timedelta
    b: bytes = b"a"


class Output(Model):
    model_config = ConfigDict(ser_json_timedelta="float", ser_json_bytes="base64")
    d: dt.timedelta
    ds: list[dt.timedelta] = []
    inner: Optional[Plain] = None  # a nested model keeps its own options
    anything: Any = None  # a value of any type follows the model's options
    b: bytes = b"\xff\x00a"


OUTPUT = Output(
    d=dt.timedelta(days=1, microseconds=5),
    ds=[dt.timedelta(seconds=-1.5)],
    inner=Plain(d=dt.timedelta(1)),
    anything=dt.timedelta(seconds=3),
)
OUTPUT_JSON = {
    "d": 86400.000005,
    "ds": [-1.5],
    "inner": {"d": "P1D", "b": "a"},
    "anything": 3.0,
    "b": "_wBh",
}


def test_timedelta_and_bytes_output_follow_the_model() -> None:
    assert OUTPUT.model_dump(mode="json") == OUTPUT_JSON
    assert OUTPUT.model_dump_json() == (
        '{"d":86400.000005,"ds":[-1.5],"inner":{"d":"P1D","b":"a"},"anything":3.0,"b":"_wBh"}'
    )
    python = OUTPUT.model_dump()
    assert python["d"] == dt.timedelta(days=1, microseconds=5) and python["b"] == b"\xff\x00a"
    assert Plain(d=dt.timedelta(days=-1)).model_dump_json() == '{"d":"-P1D","b":"a"}'


@pytest.mark.parametrize(
    ("mode", "raw", "text"),
    [
        ("utf8", b"xy", "xy"),
        ("base64", b"", ""),
        ("base64", b"\x01", "AQ=="),
        ("base64", b"\xfb\xff\xbf", "-_-_"),
        ("base64", b"abcd", "YWJjZA=="),
        ("hex", b"\x01\xff", "01ff"),
        ("hex", b"", ""),
    ],
)
def test_bytes_output(mode: str, raw: bytes, text: str) -> None:
    class Blob(Model, ser_json_bytes=mode):  # type: ignore[call-arg]
        b: bytes
        extra: Any = None

    blob = Blob(b=raw, extra=bytearray(raw))
    assert blob.model_dump(mode="json") == {"b": text, "extra": text}
    assert json.loads(blob.model_dump_json()) == {"b": text, "extra": text}
    assert blob.model_dump()["b"] == raw


def test_timedelta_float_reads_back() -> None:
    class Span(Model, ser_json_timedelta="float"):  # type: ignore[call-arg]
        d: dt.timedelta

    text = Span(d=dt.timedelta(days=-1)).model_dump_json()
    assert text == '{"d":-86400.0}'
    assert Span.model_validate_json(text).d == dt.timedelta(days=-1)


# --- val_json_bytes ---------------------------------------------------------------------------

BASE64 = [
    ("", b""),
    ("AQ==", b"\x01"),
    ("AQ=", b"\x01"),
    ("AQ", b"\x01"),
    ("AQID", b"\x01\x02\x03"),
    ("-_-_", b"\xfb\xff\xbf"),
    ("+/+/", b"\xfb\xff\xbf"),
    ("AAA", b"\x00\x00"),
    ("AB==", "Invalid last symbol 0x42 ('B') at offset 1, decoded as 0b00000001."),
    ("AR==", "Invalid last symbol 0x52 ('R') at offset 1, decoded as 0b00010001."),
    ("A===", "Invalid symbol 61, offset 1."),
    ("AQ=a", "Invalid symbol 61, offset 2."),
    ("A Q==", "Invalid symbol 32, offset 1."),
    ("AQ==AQ==", "Invalid symbol 61, offset 2."),
    ("Zg\n==", "Invalid symbol 10, offset 2."),
    ("====", "Invalid symbol 61, offset 0."),
    ("AA=A", "Invalid symbol 61, offset 2."),
    ("A", "Invalid input length: 1"),
    ("é", "Invalid symbol 195, offset 0."),
]
HEX = [
    ("", b""),
    ("0A", b"\n"),
    ("0aff", b"\n\xff"),
    ("zz", "Invalid character 'z' at position 0"),
    ("abc", "Odd number of digits"),
    ("0 ", "Invalid character ' ' at position 1"),
    ("é1", "Odd number of digits"),
]


class B64(Model, val_json_bytes="base64"):  # type: ignore[call-arg]
    b: bytes


class Hex(Model, val_json_bytes="hex"):  # type: ignore[call-arg]
    b: bytes


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("cls", "text", "expected"),
    [(B64, *case) for case in BASE64] + [(Hex, *case) for case in HEX],
)
def test_bytes_input(cls: Any, text: str, expected: Any, path: str) -> None:
    if isinstance(expected, bytes):
        assert validate(cls, {"b": text}, path).b == expected
        return
    encoding = "base64" if cls is B64 else "hex"
    ctx = {"encoding": encoding, "encoding_error": expected}
    assert errors_of(lambda: validate(cls, {"b": text}, path)) == [
        ("bytes_invalid_encoding", ("b",), ctx)
    ]
    with pytest.raises(ValidationError) as caught:
        validate(cls, {"b": text}, path)
    assert caught.value.errors()[0]["msg"] == f"Data should be valid {encoding}: {expected}"


def test_bytes_input_that_is_bytes_is_kept() -> None:
    assert B64(b=b"AQ==").b == b"AQ=="
    assert B64(b=bytearray(b"AQ==")).b == b"AQ=="
    assert errors_of(lambda: B64(b="\ud800")) == [("bytes_type", ("b",), None)]


def test_bytes_round_trip_with_both_options() -> None:
    class Both(Model, ser_json_bytes="base64", val_json_bytes="base64"):  # type: ignore[call-arg]
        b: bytes
        many: list[bytes] = []

    blob = Both(b=b"\xff\x00a", many=[b"\x01"])
    assert Both.model_validate_json(blob.model_dump_json()) == blob


# --- ser_json_inf_nan -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("null", '{"f":null,"l":[null,null],"a":null}'),
        ("constants", '{"f":NaN,"l":[Infinity,-Infinity],"a":NaN}'),
        ("strings", '{"f":"NaN","l":["Infinity","-Infinity"],"a":"NaN"}'),
    ],
)
def test_inf_nan_output(mode: str, text: str) -> None:
    class Numbers(Model, ser_json_inf_nan=mode):  # type: ignore[call-arg]
        f: float
        l: list[float] = []  # noqa: E741
        a: Any = None

    numbers = Numbers(f=math.nan, l=[math.inf, -math.inf], a=math.nan)
    assert numbers.model_dump_json() == text
    dumped = numbers.model_dump(mode="json")
    if mode == "null":  # ferrule's mode="json" answer: JSON has no NaN (see docs/validation.md)
        assert dumped == {"f": None, "l": [None, None], "a": None}
    else:  # pydantic keeps the floats in mode="json"
        assert math.isnan(dumped["f"]) and dumped["l"] == [math.inf, -math.inf]


# --- revalidate_instances ---------------------------------------------------------------------


def _classes(mode: str) -> tuple[Any, Any, Any]:
    class Item(Model, revalidate_instances=mode, extra="allow"):  # type: ignore[call-arg]
        x: int
        y: int = 0

    class Special(Item):
        z: str = "z"

    class Box(Model):
        item: Item

    return Item, Special, Box


@pytest.mark.parametrize(
    ("mode", "item_checked", "subclass_checked"),
    [("never", False, False), ("always", True, True), ("subclass-instances", False, True)],
)
def test_revalidate_instances(mode: str, item_checked: bool, subclass_checked: bool) -> None:
    item_cls, special_cls, box_cls = _classes(mode)
    item = item_cls(x=1)
    force_setattr(item, "x", "bad")
    if item_checked:
        assert errors_of(lambda: box_cls(item=item)) == [("int_parsing", ("item", "x"), None)]
        assert errors_of(lambda: item_cls.model_validate(item)) == [("int_parsing", ("x",), None)]
    else:
        assert box_cls(item=item).item is item
        assert item_cls.model_validate(item) is item
    special = special_cls(x=2, w=5)
    kept = box_cls(item=special).item
    if subclass_checked:  # a new instance of the field's class; the subclass's field is extra
        assert type(kept) is item_cls and kept is not special
        assert (kept.x, kept.y, kept.__ferrule_extra__) == (2, 0, {"z": "z", "w": 5})
    else:
        assert kept is special


def test_revalidated_instance_is_read_by_alias() -> None:
    class Tagged(Model, revalidate_instances="always"):  # type: ignore[call-arg]
        x: int = Field(alias="X")

    class Holder(Model):
        tagged: Tagged

    assert Holder(tagged=Tagged(X=1)).tagged.x == 1


# --- arbitrary_types_allowed ------------------------------------------------------------------


class Thing:
    pass


class Special(Thing):
    pass


class Holds(Model):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    thing: Thing
    things: Optional[list[Thing]] = None


def test_arbitrary_types_are_an_isinstance_check() -> None:
    thing, special = Thing(), Special()
    assert Holds(thing=thing).thing is thing
    assert Holds(thing=special, things=[thing]).thing is special
    assert errors_of(lambda: Holds(thing=Thing, things=[1])) == [
        ("is_instance_of", ("thing",), {"class": "Thing"}),
        ("is_instance_of", ("things", 0), {"class": "Thing"}),
    ]
    assert Holds(thing=thing).model_dump()["thing"] is thing
    with pytest.raises(ValidationError) as caught:
        Holds(thing=1)
    assert caught.value.errors()[0]["msg"] == "Input should be an instance of Thing"


@pytest.mark.parametrize("text", ['{"thing": 1}', '{"thing": {}}'])
def test_arbitrary_types_refuse_json(text: str) -> None:
    assert errors_of(lambda: Holds.model_validate_json(text)) == [
        ("needs_python_object", ("thing",), {"method_name": "isinstance"})
    ]
    with pytest.raises(ValidationError) as caught:
        Holds.model_validate_json(text)
    assert caught.value.errors()[0]["msg"] == (
        "Cannot check `isinstance` when validating from json, use a JsonOrPython validator instead"
    )


def test_type_adapter_takes_arbitrary_types() -> None:
    from ferrule import TypeAdapter

    thing = Thing()
    adapter = TypeAdapter(list[Thing], config=ConfigDict(arbitrary_types_allowed=True))
    assert adapter.validate_python([thing])[0] is thing
    assert errors_of(lambda: adapter.validate_python([1])) == [
        ("is_instance_of", (0,), {"class": "Thing"})
    ]
    with pytest.raises(SchemaError, match="Thing"):
        TypeAdapter(Thing)


def test_arbitrary_types_need_the_option() -> None:
    with pytest.raises(SchemaError, match="Thing"):

        class Refused(Model):
            thing: Thing


# --- validate_default -------------------------------------------------------------------------


class Defaults(Model, validate_default=True):  # type: ignore[call-arg]
    a: int = "3"  # type: ignore[assignment]
    b: int = Field(default_factory=lambda: "x")
    c: Optional[int] = None
    d: list[int] = Field(default=["1"], alias="D")


@pytest.mark.parametrize("path", PATHS)
def test_validate_default(path: str) -> None:
    made = validate(Defaults, {"b": 1}, path)
    assert (made.a, made.b, made.c, made.d) == (3, 1, None, [1])
    assert errors_of(lambda: validate(Defaults, {}, path)) == [("int_parsing", ("b",), None)]


def test_validate_default_per_field_runs_the_validators() -> None:
    from ferrule import field_validator

    class Own(Model):
        a: int = Field("4", validate_default=True)
        b: int = Field("z")  # not validated: kept as it is, as in pydantic

        @field_validator("a")
        @classmethod
        def twice(cls, value: int) -> int:
            return value * 2

    own = Own()
    assert (own.a, own.b) == (8, "z")
    assert Own.validate_json_many("{}\n{}")[0].a == 8


def test_validate_default_errors_name_the_field() -> None:
    class Listed(Model, validate_default=True):  # type: ignore[call-arg]
        d: list[int] = Field(default=["x"], alias="D")

    assert errors_of(Listed) == [("int_parsing", ("d", 0), None)]
    assert errors_of(lambda: Listed.validate_json_many("{}")) == [
        ("int_parsing", (0, "d", 0), None)
    ]


# --- use_attribute_docstrings ----------------------------------------------------------------


class Documented(Model, use_attribute_docstrings=True):  # type: ignore[call-arg]
    x: int
    """The x.

    More."""
    y: int = Field(1, description="own")
    """Not used: the field has its own."""
    z: int = 2
    "Single."


def test_attribute_docstrings() -> None:
    assert Documented.model_fields["x"].description == "The x.\n\nMore."
    assert Documented.model_fields["y"].description == "own"
    props = Documented.model_json_schema()["properties"]
    assert props == {
        "x": {"description": "The x.\n\nMore.", "title": "X", "type": "integer"},
        "y": {"default": 1, "description": "own", "title": "Y", "type": "integer"},
        "z": {"default": 2, "description": "Single.", "title": "Z", "type": "integer"},
    }


# --- the options' values are checked ----------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("ser_json_timedelta", "seconds"),
        ("ser_json_bytes", "base32"),
        ("val_json_bytes", None),
        ("ser_json_inf_nan", "nan"),
        ("revalidate_instances", True),
        ("arbitrary_types_allowed", "yes"),
        ("validate_default", 1),
        ("use_attribute_docstrings", None),
        ("json_schema_extra", "x"),
    ],
)
def test_bad_option_values(option: str, value: Any) -> None:
    with pytest.raises(SchemaError, match=option):

        class Bad(Model):
            model_config = ConfigDict(**{option: value})  # type: ignore[misc]
            x: int = 0


def test_a_lying_instance_check_propagates() -> None:
    class Meta(type):
        def __instancecheck__(cls, instance: Any) -> bool:
            raise RuntimeError("no")

    class Odd(metaclass=Meta):
        pass

    class Holds2(Model, arbitrary_types_allowed=True):  # type: ignore[call-arg]
        odd: Odd

    with pytest.raises(RuntimeError, match="no"):
        Holds2(odd=1)
    assert errors_of(lambda: Holds2.model_validate_json('{"odd": 1}')) == [
        ("needs_python_object", ("odd",), {"method_name": "isinstance"})
    ]


def test_output_options_inside_ferrule_json_dumps() -> None:
    from ferrule.json import dumps

    class Kept(Model, ser_json_inf_nan="constants", ser_json_timedelta="float"):  # type: ignore[call-arg]
        f: float
        d: dt.timedelta = dt.timedelta(seconds=1)
        b: bytes = b"\x01"

    class Named(Model, ser_json_inf_nan="strings", ser_json_bytes="hex"):  # type: ignore[call-arg]
        f: float
        b: bytes = b"\x01"

    assert dumps({"k": Kept(f=math.nan)}) == '{"k":{"f":NaN,"d":1.0,"b":"\\u0001"}}'
    assert dumps([Named(f=-math.inf)]) == '[{"f":"-Infinity","b":"01"}]'
