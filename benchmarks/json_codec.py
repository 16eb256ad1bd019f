"""JSON benchmark: ``ferrule.json`` against orjson, msgspec.json and the standard library.

(Named json_codec.py: a script named json.py would shadow the standard library's json.)

Run with `make bench` (installs the `bench` dependency group). Two documents: a ~200-byte
object (the size of an API record) and a ~1 MB mixed document (records with nested lists,
strings with escapes and non-ASCII text, floats, big and small ints). Every library reads and
writes the same data; the outputs are checked equal before anything is timed. "vs ferrule" is
the peer's time divided by ferrule's (above 1.00x: ferrule is faster).
"""

from __future__ import annotations

import io
import itertools
import json as stdlib_json
import os
import random
import resource
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

import msgspec
import orjson
from _harness import Table, per_op

import ferrule
from ferrule import json as fjson


def small_document() -> dict[str, Any]:
    return {
        "id": 12345,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "active": True,
        "score": 97.25,
        "tags": ["math", "engines", "poetry"],
        "address": {"city": "London", "zip": "W1", "lat": 51.5072, "lon": -0.1276},
        "note": None,
    }


def large_document() -> list[dict[str, Any]]:
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "δέλτα", "epsilon", 'quo"te', "tab\there", "雪"]
    records = []
    while len(stdlib_json.dumps(records)) < 1_000_000:
        records.append(
            {
                "id": len(records),
                "uuid": f"{rng.getrandbits(128):032x}",
                "title": " ".join(rng.choice(words) for _ in range(6)),
                "price": round(rng.uniform(0, 1000), 2),
                "ratio": rng.random(),
                "count": rng.randrange(-(2**40), 2**40),
                "flags": [rng.random() < 0.5 for _ in range(4)],
                "children": [{"k": rng.choice(words), "v": rng.randrange(100)} for _ in range(3)],
                "empty": None,
            }
        )
    return records


class Record(ferrule.Model):
    id: int
    name: str
    email: str
    score: float
    tags: list[str]


def stream(records: int) -> None:
    """Validate ``records`` NDJSON lines from a file with ``Model.validate_json_stream``:
    records per second, and the peak resident set before and during the stream (a stream in
    bounded memory leaves the peak where a small run left it)."""
    line = (
        b'{"id": %d, "name": "user %d", "email": "u%d@example.com", "score": 1.5, '
        b'"tags": ["a", "b"]}\n'
    )
    with tempfile.NamedTemporaryFile(suffix=".ndjson", delete=False) as file:
        for start in range(0, records, 10_000):
            file.write(b"".join(line % (i, i, i) for i in range(start, start + 10_000)))
        path = file.name
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as source:
            head = io.BytesIO(b"".join(itertools.islice(source, records // 100)))
        runs = (("warm-up, first 1%", head, records // 100), ("whole file", None, records))
        for label, given, count in runs:
            with open(path, "rb") as source:
                started = time.perf_counter()
                found = Record.validate_json_stream(given or source, chunk_size=1 << 20)
                seen = sum(1 for _ in found)
                elapsed = time.perf_counter() - started
            assert seen == count
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"stream ({label}): {seen:,} records ({size * count // records / 1e6:.0f} MB) in "
                f"{elapsed:.2f} s = {seen / elapsed:,.0f} records/s; peak RSS {peak:.0f} MiB"
            )
    finally:
        os.unlink(path)


def main() -> None:
    table = Table("JSON (ferrule.json, orjson, msgspec.json, json)")
    decoder = msgspec.json.Decoder()
    encoder = msgspec.json.Encoder()
    for label, doc in (("~200 B object", small_document()), ("1 MB document", large_document())):
        measure(table, label, doc, encoder, decoder)
    print(table.render())
    stream(1_000_000)


def measure(
    table: Table, label: str, doc: Any, encoder: msgspec.json.Encoder, decoder: msgspec.json.Decoder
) -> None:
    text = stdlib_json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    assert fjson.dumps_bytes(doc) == text == orjson.dumps(doc) == encoder.encode(doc)
    assert fjson.loads(text) == orjson.loads(text) == decoder.decode(text) == doc
    size = f"{len(text):,} bytes" if len(text) > 10_000 else f"{len(text)} bytes"
    print(f"{label}: {size}", file=sys.stderr)
    dumps_case, loads_case = f"dumps {label}", f"loads {label}"
    table.add(dumps_case, "ferrule", per_op(lambda: fjson.dumps_bytes(doc)))
    table.add(dumps_case, "orjson", per_op(lambda: orjson.dumps(doc)))
    table.add(dumps_case, "msgspec.json", per_op(lambda: encoder.encode(doc)))
    table.add(
        dumps_case,
        "json (stdlib)",
        per_op(lambda: stdlib_json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()),
    )
    table.add(loads_case, "ferrule", per_op(lambda: fjson.loads(text)))
    table.add(loads_case, "orjson", per_op(lambda: orjson.loads(text)))
    table.add(loads_case, "msgspec.json", per_op(lambda: decoder.decode(text)))
    table.add(loads_case, "json (stdlib)", per_op(lambda: stdlib_json.loads(text)))


if __name__ == "__main__":
    main()
