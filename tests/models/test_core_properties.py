"""Property tests: random data through every core. A core may only return or raise
`ValidationError`; and all cores in `cores.CORES` must agree on the outcome.

Both cores are called directly, whichever the process selected: under ``FERRULE_PURE_PYTHON=1``
these are the same runs as without it (neither core reads the switch), so that pass skips them.
The no-fast-paths and version passes keep them: the native core's paths differ there."""

from __future__ import annotations

import enum
import json
import math
import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from cores import CORES, field, make_validator, model_schema, same
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ferrule.errors import JSONError, ValidationError, format_message, pure_python_requested
from ferrule.models import schema as s

pytestmark = pytest.mark.skipif(
    pure_python_requested(), reason="both cores called directly: the run without the switch"
)


class Color(enum.Enum):
    RED = "red"
    ONE = 1


Node = type("Node", (), {"__slots__": ("children", "label", "next")})
Node.__ferrule_schema__ = model_schema(  # type: ignore[attr-defined]
    Node,
    [
        field("label", s.str_schema(max_length=5)),
        field("next", s.nullable_schema(s.model_ref_schema(Node)), default=None),
        field(
            "children", s.collection_schema("list", s.model_ref_schema(Node)), default_factory=list
        ),
    ],
    extra="forbid",
)
INT = s.int_schema()
# every scalar the streaming JSON path reads itself, plus aliases, defaults and extras
Rich = type(
    "Rich", (), {"__slots__": ("n", "x", "flag", "name", "tags", "maybe", "__ferrule_extra__")}
)
Rich.__ferrule_schema__ = model_schema(  # type: ignore[attr-defined]
    Rich,
    [
        field("n", s.int_schema(ge=0, le=10), alias="N"),
        field("x", s.float_schema(gt=-1.5), default=0.0),
        field("flag", s.bool_schema(), default=False),
        field("name", s.str_schema(min_length=1), default="a"),
        field("tags", s.collection_schema("list", s.str_schema()), default_factory=list),
        field("maybe", s.nullable_schema(s.model_ref_schema(Node)), default=None),
    ],
    extra="allow",
    populate_by_name=True,
)

SCHEMAS: list[dict[str, Any]] = [
    s.int_schema(),
    s.int_schema(strict=True, gt=0, multiple_of=3),
    s.float_schema(),
    s.float_schema(allow_inf_nan=False, ge=0, multiple_of=0.5),
    s.bool_schema(),
    s.str_schema(),
    s.str_schema(min_length=1, max_length=3, pattern=r"^\w+$", email=True, url=True),
    s.str_schema(strip_whitespace=True, to_lower=True),
    s.bytes_schema(max_length=4),
    s.decimal_schema(),
    s.decimal_schema(max_digits=4, decimal_places=2, gt=0, multiple_of=Decimal("0.5")),
    s.uuid_schema(),
    s.datetime_schema(),
    s.date_schema(),
    s.time_schema(),
    s.timedelta_schema(),
    s.enum_schema(Color),
    s.literal_schema(["a", 1, None]),
    s.any_schema(),
    s.nullable_schema(INT),
    s.union_schema([INT, s.str_schema(), s.model_ref_schema(Node)]),
    s.collection_schema("list", INT, max_length=3),
    s.collection_schema("set", s.any_schema()),
    s.collection_schema("frozenset", s.float_schema()),
    s.tuple_schema([INT, s.str_schema()], variadic=False),
    s.tuple_schema([s.any_schema()], variadic=True, strict=True),
    s.dict_schema(INT, s.collection_schema("list", s.any_schema())),
    Node.__ferrule_schema__,  # type: ignore[attr-defined]
    Rich.__ferrule_schema__,  # type: ignore[attr-defined]
    s.collection_schema("list", s.model_ref_schema(Rich)),
    s.collection_schema("list", s.model_ref_schema(Node)),
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(
        ["42", " 1.5 ", "nan", "2024-01-01T10:00Z", "P1D", "red", "a@b.co", "x" * 300]
    )
)
json_data = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["label", "next", "children", "1", "x"]) | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def _cyclic_list() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


def _cyclic_node() -> dict[str, Any]:
    node: dict[str, Any] = {"label": "a"}
    node["children"] = [node]
    return node


def _deep_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _deep_node(depth: int) -> Any:
    value: Any = {"label": "x"}
    for _ in range(depth):
        value = {"label": "x", "next": value}
    return value


class _Weird:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("do not compare me")

    __hash__ = None  # type: ignore[assignment]


python_scalars = (
    json_scalars
    | st.binary(max_size=20)
    | st.builds(bytearray, st.binary(max_size=8))
    | st.decimals()
    | st.datetimes()
    | st.dates()
    | st.times()
    | st.timedeltas()
    | st.uuids()
    | st.sampled_from([Color.RED, Color.ONE, object(), b"\xff\xfe", math.nan, -math.inf])
    | st.builds(lambda: 10**5000)
    | st.sampled_from([(), frozenset(), {1: 2}.keys(), "\ud800", complex(1, 1)])
    | st.builds(_cyclic_list)
    | st.builds(_cyclic_node)
)
python_data = st.recursive(
    python_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=3)
        | st.dictionaries(
            st.sampled_from(["label", "next", "children", "x"]) | st.integers(),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)

PROPERTIES = settings(
    # FERRULE_EXAMPLES raises it for a longer local search; the suite keeps 200
    max_examples=int(os.environ.get("FERRULE_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


#: Error codes whose message text is each core's own (docs/validation.md): for them the
#: comparison leaves out ``msg`` and ``ctx``; every other error is compared in full.
_OWN_TEXT = {"json_invalid"}


def _comparable(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in error.items() if k not in ("msg", "ctx")}
        if error["type"] in _OWN_TEXT
        else error
        for error in errors
    ]


def _outcome(run: Any) -> tuple[str, Any]:
    """("ok", value) or ("error", errors()) in full (loc, type, msg, input, ctx); any other
    exception fails the test."""
    try:
        return ("ok", run())
    except ValidationError as exc:
        errors = exc.errors()
        _formatted_by_python(exc, errors)
        return ("error", _comparable(errors))


def _formatted_by_python(exc: ValidationError, errors: list[dict[str, Any]]) -> None:
    """Both cores' errors are read through one ``errors()`` per process (the native C method,
    or the Python one under FERRULE_PURE_PYTHON=1), so comparing the cores never compares the two
    formatters: here every error is rendered again by the Python formatter and must match."""
    expected = []
    for loc, kind, value, ctx, custom in exc._raw:
        line = {
            "type": kind,
            "loc": tuple(loc),
            "msg": custom if custom is not None else format_message(kind, ctx),
            "input": value,
        }
        if ctx:
            line["ctx"] = dict(ctx)
        expected.append(line)
    assert same(errors, expected), (errors, expected)


def _batch_outcome(run: Any) -> tuple[str, Any]:
    """The one record of ``validate_json_many(..., collect=True)`` as an `_outcome`."""
    results, failures = run()
    if failures:
        errors = _comparable(failures[0][1].errors())
        for error in errors:  # an NDJSON line's json_invalid reports the line's bytes
            if error["type"] == "json_invalid" and isinstance(error["input"], bytes):
                error["input"] = error["input"].decode()
        return ("error", errors)
    return ("ok", results[0])


def _serialises(core: Any, schema: dict[str, Any], value: Any) -> None:
    """``to_json`` writes what ``to_python(mode="json")`` returns, value for value and type for
    type (NaN and infinities are null in both)."""
    validator = make_validator(core, schema)
    try:
        validator.to_python(value)
        data = json.loads(validator.to_json(value), parse_int=_big_int)
    except JSONError:  # cycles, bytes that are not UTF-8, objects JSON cannot hold
        return
    assert same(data, validator.to_python(value, mode="json"))


def _big_int(text: str) -> int:
    """A JSON integer of any length (``int(text)`` stops at Python's 4300-digit limit)."""
    return int(Decimal(text))


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(map(_non_finite, value))
    if isinstance(value, dict):
        return any(map(_non_finite, value.values()))
    return False


def _agree(outcomes: list[tuple[str, Any]]) -> None:
    first = outcomes[0]
    for other in outcomes[1:]:
        assert first[0] == other[0], (first, other)
        assert same(first[1], other[1]), (first[1], other[1])


@PROPERTIES
@given(schema=st.sampled_from(SCHEMAS), value=python_data, strict=st.sampled_from([None, True]))
def test_random_python_objects(schema: dict[str, Any], value: Any, strict: bool | None) -> None:
    outcomes = [
        _outcome(lambda c=core: make_validator(c, schema).validate_python(value, strict=strict))
        for core in CORES
    ]
    _agree(outcomes)
    for core, (kind, result) in zip(CORES, outcomes, strict=True):
        if kind == "ok":
            _serialises(core, schema, result)


_DEEP = {
    "node": _deep_node,
    "list": _deep_list,
    "node-in-list": lambda depth: [_deep_node(depth)],
    "list-in-dict": lambda depth: {"label": "a", "children": _deep_list(depth)},
}


@PROPERTIES
@given(
    schema=st.sampled_from(SCHEMAS),
    kind=st.sampled_from(sorted(_DEEP)),
    depth=st.integers(min_value=0, max_value=400) | st.sampled_from([199, 200, 201, 5000]),
)
def test_deeply_nested_inputs(schema: dict[str, Any], kind: str, depth: int) -> None:
    """Built inside the test so that hypothesis never has to print a 5000-level value."""
    value = _DEEP[kind](depth)
    outcomes = [
        _outcome(lambda c=core: make_validator(c, schema).validate_python(value)) for core in CORES
    ]
    _agree(outcomes)
    try:
        text = json.dumps(value)
    except RecursionError:
        text = "[" * depth + "1" + "]" * depth
    _agree(
        [_outcome(lambda c=core: make_validator(c, schema).validate_json(text)) for core in CORES]
    )
    for core, (kind_, result) in zip(CORES, outcomes, strict=True):
        if kind_ == "ok":
            _serialises(core, schema, result)


@PROPERTIES
@given(schema=st.sampled_from(SCHEMAS), value=json_data, strict=st.sampled_from([None, True]))
def test_random_json_documents(schema: dict[str, Any], value: Any, strict: bool | None) -> None:
    text = json.dumps(value)  # NaN/Infinity literals included: they must be json_invalid
    outcomes = [
        _outcome(lambda c=core: make_validator(c, schema).validate_json(text, strict=strict))
        for core in CORES
    ]
    _agree(outcomes)
    if _non_finite(value):
        assert outcomes[0] == ("error", [{"type": "json_invalid", "loc": (), "input": text}])
    for core, (kind, result) in zip(CORES, outcomes, strict=True):
        if kind == "ok":
            _serialises(core, schema, result)


@PROPERTIES
@given(schema=st.sampled_from(SCHEMAS), data=st.binary(max_size=40) | st.text(max_size=40))
def test_random_json_bytes(schema: dict[str, Any], data: bytes | str) -> None:
    _agree(
        [_outcome(lambda c=core: make_validator(c, schema).validate_json(data)) for core in CORES]
    )


@PROPERTIES
@given(
    schema=st.sampled_from(SCHEMAS), items=st.lists(python_data, max_size=5), collect=st.booleans()
)
def test_random_batches(schema: dict[str, Any], items: list[Any], collect: bool) -> None:
    for core in CORES:
        validator = make_validator(core, schema)
        try:
            results, errors = validator.validate_many(items, collect=collect)
        except ValidationError as exc:
            assert not collect
            assert all(isinstance(error["loc"][0], int) for error in exc.errors())
            continue
        assert len(results) == len(items)
        assert all(results[index] is None for index, _ in errors)


@PROPERTIES
@given(value=json_data)
def test_json_round_trip_of_any(value: Any) -> None:
    for core in CORES:
        validator = make_validator(core, s.any_schema())
        try:
            text = validator.to_json(value)
        except JSONError:
            continue
        again = validator.validate_json(text)
        assert same(again, validator.to_python(value, mode="json"))


def test_ten_megabyte_string() -> None:
    big = "x" * 10_000_000
    for core in CORES:
        assert make_validator(core, s.str_schema()).validate_python(big) is big
        assert len(make_validator(core, s.str_schema()).validate_json(json.dumps(big))) == len(big)
        errors = _outcome(lambda c=core: make_validator(c, s.int_schema()).validate_python(big))
        assert errors[0] == "error"
        assert [(e["loc"], e["type"], e["input"] is big) for e in errors[1]] == [
            ((), "int_parsing", True)
        ]


def test_exotic_scalars_are_values_not_crashes() -> None:
    for core in CORES:
        for schema in SCHEMAS:
            for value in (_Weird(), datetime.max, date.min, time.max, timedelta.max, UUID(int=0)):
                _outcome(
                    lambda c=core, sc=schema, v=value: make_validator(c, sc).validate_python(v)
                )


rich_objects = st.dictionaries(
    st.sampled_from(["N", "n", "x", "flag", "name", "tags", "maybe", "other"]),
    json_data,
    max_size=8,
)


@PROPERTIES
@given(document=rich_objects | st.lists(rich_objects, max_size=3), strict=st.booleans())
def test_random_model_documents_stream_like_the_tree(document: Any, strict: bool) -> None:
    """Objects shaped like the model (right keys, random values): the native core reads them
    straight from the JSON text, the pure core from json.loads; both must agree."""
    schema = (
        Rich.__ferrule_schema__  # type: ignore[attr-defined]
        if isinstance(document, dict)
        else s.collection_schema("list", s.model_ref_schema(Rich))
    )
    text = json.dumps(document)
    outcomes = [
        _outcome(lambda c=core: make_validator(c, schema).validate_json(text, strict=strict))
        for core in CORES
    ]
    if not strict and isinstance(document, dict):
        # the streaming path (no parse tree) of every core: each NDJSON line is streamed
        outcomes.extend(
            _batch_outcome(
                lambda c=core: make_validator(c, schema).validate_json_many(text, collect=True)
            )
            for core in CORES
        )
    _agree(outcomes)
