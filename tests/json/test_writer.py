"""Writing JSON to files a record at a time, and the seed project's encoder/decoder names."""

from __future__ import annotations

import io
import json
import math
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from ferrule import json as fjson
from ferrule.errors import JSONError

RECORDS = [{"id": 1, "name": "é"}, [1, 2.5, None], "x", 2**70]


@pytest.mark.parametrize("binary", [True, False])
def test_array_writer_writes_one_array(binary: bool) -> None:
    out: Any = io.BytesIO() if binary else io.StringIO()
    with fjson.ArrayWriter(out) as writer:
        for record in RECORDS:
            writer.write(record)
    text = out.getvalue().decode() if binary else out.getvalue()
    assert json.loads(text) == RECORDS
    assert writer.count == len(RECORDS)


def test_an_empty_array_and_ndjson_lines(tmp_path: Path) -> None:
    out = io.BytesIO()
    with fjson.ArrayWriter(out):
        pass
    assert out.getvalue() == b"[]"
    path = tmp_path / "records.ndjson"
    with path.open("w", encoding="utf-8") as file, fjson.NDJSONWriter(file) as writer:
        writer.write_all(RECORDS)
    assert list(fjson.iter_items(path.read_bytes())) == RECORDS


def test_a_bad_record_writes_nothing_and_an_error_leaves_the_array_open() -> None:
    out = io.BytesIO()
    with pytest.raises(RuntimeError), fjson.ArrayWriter(out) as writer:
        writer.write(1)
        with pytest.raises(JSONError):
            writer.write(math.nan)  # refused before anything is written
        raise RuntimeError("stop")
    assert out.getvalue() == b"[1"  # not closed: the data is not complete
    with pytest.raises(JSONError, match="closed"):
        writer.write(2)


def test_memory_stays_flat_while_writing_many_records() -> None:
    class Sink:
        written = 0

        def write(self, data: bytes) -> None:
            self.written += len(data)

    def run(count: int) -> int:
        sink = Sink()
        tracemalloc.start()
        with fjson.ArrayWriter(sink) as writer:
            for i in range(count):
                writer.write({"id": i, "tags": ["a", "b"]})
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert sink.written > count * 10
        return peak

    small, large = run(1_000), run(20_000)
    assert large < small * 2 + 50_000, (small, large)


def test_dump_writes_to_text_and_binary_files() -> None:
    binary, text = io.BytesIO(), io.StringIO()
    fjson.dump({"a": [1]}, binary, indent=2)
    fjson.dump({"a": [1]}, text, indent=2)
    assert binary.getvalue().decode() == text.getvalue() == json.dumps({"a": [1]}, indent=2)
    with pytest.raises(TypeError):
        fjson.dump(1, object())
    with pytest.raises(TypeError):
        fjson.ArrayWriter(object())


def test_seed_names() -> None:
    assert fjson.FastJsonEncoder().encode({"b": 1, "a": 2}) == '{"b":1,"a":2}'
    assert fjson.FastJsonEncoder(pretty=True, sort_keys=True).encode({"b": 1, "a": 2}) == (
        json.dumps({"a": 2, "b": 1}, indent=2)
    )
    assert fjson.FastJsonDecoder().decode('{"a": 1}') == {"a": 1}
    with pytest.raises(JSONError):
        fjson.FastJsonDecoder(strict=True).decode('{"a": 1, "a": 2}')
    lax = fjson.FastJsonDecoder(strict=False).decode('{"a": NaN, "a": 2}')
    assert lax == {"a": 2}
