"""`ferrule.json.iter_items` and the models' stream validators: the same answers as reading
everything at once, from every kind of source and every chunk size, in bounded memory."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule
from ferrule import json as fjson
from ferrule.errors import JSONError, ValidationError

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def sources(text: str, chunk: int) -> list[Any]:
    data = text.encode()
    pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    return [data, text, io.BytesIO(data), io.StringIO(text), iter(pieces), pieces]


@given(items=st.lists(values, max_size=8), chunk=st.integers(min_value=1, max_value=9))
@settings(max_examples=120, deadline=None)
def test_array_items_equal_reading_it_whole(items: list[Any], chunk: int) -> None:
    text = json.dumps(items, ensure_ascii=False, indent=1 if chunk % 2 else None)
    for source in sources(text, chunk):
        assert list(fjson.iter_items(source, chunk_size=chunk)) == items


@given(items=st.lists(values, max_size=8), chunk=st.integers(min_value=1, max_value=9))
@settings(max_examples=120, deadline=None)
def test_ndjson_documents_equal_reading_each_line(items: list[Any], chunk: int) -> None:
    text = "\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n\n"
    if items and isinstance(items[0], list):
        items = [{"first": items[0]}, *items[1:]]  # a leading "[" would mean one array
        text = "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    for source in sources(text, chunk):
        assert list(fjson.iter_items(source, chunk_size=chunk)) == items


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2", "ends before its closing"),
        ("[1 2]", "expected ',' or ']'"),
        ("[1,]", "expected value"),
        ("[1] x", "after the JSON array"),
        ('[{"a": 1, "a": 2}]', "duplicate key"),
        ("[NaN]", "allow_nan"),
        ('{"a": 1}\n{"a": }\n', "line 2 of the NDJSON stream"),
        ('{"a": 1} 2\n', "line 1 of the NDJSON stream is not one JSON document"),
    ],
)
@pytest.mark.parametrize("chunk", [1, 3, 64])
def test_damaged_streams_are_errors(text: str, message: str, chunk: int) -> None:
    with pytest.raises(JSONError, match=message):
        list(fjson.iter_items(text, chunk_size=chunk))


@pytest.mark.parametrize(
    ("source", "error"),
    [(123, TypeError), ([b"[1]", 5], TypeError), (b"[1]", ValueError)],
)
def test_bad_sources_are_typed_errors(source: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        list(fjson.iter_items(source, chunk_size=0 if error is ValueError else 4))


def test_a_leading_number_is_not_cut_at_a_chunk_edge() -> None:
    assert list(fjson.iter_items("[12345, 678]", chunk_size=2)) == [12345, 678]


def _records(count: int) -> Iterator[bytes]:
    for i in range(count):
        yield b'{"id": %d, "name": "user %d", "tags": ["a", "b"]}\n' % (i, i)


def _peak(work: Any) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_input() -> None:
    def read(count: int) -> None:
        seen = 0
        for item in fjson.iter_items(_records(count)):
            seen += item["id"] >= 0
        assert seen == count

    small, large = _peak(lambda: read(2_000)), _peak(lambda: read(40_000))
    assert large < small * 2 + 200_000, (small, large)


class Person(ferrule.Model):
    id: int
    name: str


def test_models_validate_ndjson_and_arrays_as_they_stream() -> None:
    lines = [b'{"id": 1, "name": "a"}', b'{"id": "x", "name": "b"}', b"", b'{"id": 3, "name": "c"}']
    ndjson = b"\n".join(lines)
    array = b"[" + b",".join(line for line in lines if line) + b"]"
    for data in (ndjson, array):
        for chunk in (1, 7, 1 << 16):
            got = list(Person.validate_json_stream(data, errors="collect", chunk_size=chunk))
            assert [p.id for p in got if isinstance(p, Person)] == [1, 3]
            index, error = got[1]
            assert index == 1 and error.errors()[0]["loc"] == (1, "id")
            with pytest.raises(ValidationError) as caught:
                list(Person.validate_json_stream(data, chunk_size=chunk))
            assert caught.value.errors()[0]["loc"] == (1, "id")


def test_record_indexes_run_across_blocks() -> None:
    def source() -> Iterator[bytes]:
        yield from _records(5000)
        yield b'{"id": "bad", "name": "x"}\n'

    got = list(Person.validate_json_stream(source(), errors="collect", chunk_size=256))
    assert len(got) == 5001 and got[-1][0] == 5000


def test_models_validate_iterables_of_dicts() -> None:
    records = ({"id": i, "name": "n"} if i != 1500 else {"id": "?"} for i in range(3000))
    got = list(Person.validate_stream(records, errors="collect"))
    assert len(got) == 3000
    assert got[1500][0] == 1500 and {e["loc"] for e in got[1500][1].errors()} == {
        (1500, "id"),
        (1500, "name"),
    }
    with pytest.raises(ValueError, match="errors must be"):
        Person.validate_stream([], errors="ignore")  # type: ignore[arg-type]


def test_model_stream_memory_does_not_grow_with_the_input() -> None:
    def run(count: int) -> None:
        total = 0
        for person in Person.validate_json_stream(_records(count)):
            total += person.id
        assert total == count * (count - 1) // 2

    small, large = _peak(lambda: run(5_000)), _peak(lambda: run(50_000))
    assert large < small * 2 + 200_000, (small, large)
