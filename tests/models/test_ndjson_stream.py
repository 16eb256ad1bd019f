"""`validate_json_stream` on hostile NDJSON, through both cores: the records, the errors and
where they are reported must not depend on the core, the chunk size or the kind of source
(lines cut across chunks, very long lines, UTF-8 cut or broken at a chunk's edge, CRLF, blank
lines, a missing last newline, file objects whose ``read`` gives str or more than asked)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from cores import CORES, field, make_model, make_validator, same

from ferrule.errors import ValidationError
from ferrule.models import schema as s
from ferrule.models import streams
from ferrule.models.streams import validate_json_stream

Row = make_model(
    "Row",
    [
        field("id", s.int_schema()),
        field("name", s.str_schema(min_length=1)),
        field("tags", s.collection_schema("list", s.str_schema()), default_factory=list),
    ],
)
SCHEMA = Row.__ferrule_schema__  # type: ignore[attr-defined]


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    """``errors()`` without the texts each core words itself (a JSON syntax error's reason)."""
    return [
        {k: v for k, v in e.items() if k not in ("msg", "ctx")}
        if e["type"] == "json_invalid"
        else e
        for e in exc.errors()
    ]


def _item(item: Any) -> Any:
    if isinstance(item, tuple):
        index, exc = item
        return ("error", index, _errors(exc))
    return ("ok", item.id, item.name, item.tags)


def outcome(core: Any, source: Any, chunk: int, collect: bool) -> list[Any]:
    """Every record (fields) or collected error in order; with ``collect=False`` the records
    before the first bad one, then its error."""
    validator = make_validator(core, SCHEMA)
    got: list[Any] = []
    try:
        for item in validate_json_stream(validator, source, collect=collect, chunk_size=chunk):
            got.append(_item(item))
    except ValidationError as exc:
        got.append(("raised", _errors(exc)))
    return got


def _line(i: int, name: str = "n") -> bytes:
    return b'{"id": %d, "name": "%s", "tags": ["a", "b"]}' % (i, name.encode())


LONG = _line(7, "x" * 5000)
HOSTILE = {
    "plain": b"\n".join(_line(i) for i in range(6)) + b"\n",
    "no last newline": b"\n".join(_line(i) for i in range(4)),
    "crlf": b"\r\n".join(_line(i) for i in range(4)) + b"\r\n",
    "blank lines": b"\n\n" + _line(1) + b"\n \t\r\n\n\x0c\n" + _line(2) + b"\n\n \n",
    "bracket line": _line(1) + b"\n" + b'[{"id": 2, "name": "b"}]\n' + _line(3) + b"\n",
    "bracket lines": _line(1) + b'\n[{"id": 2, "name": "b"}]\n[1, 2]\n' + _line(4) + b"\n",
    "bad records": _line(1) + b'\n{"id": "x", "name": ""}\n' + _line(3) + b'\n{"id": 4}\n',
    "broken json": _line(1) + b'\n{"id": 2, "name": \n' + _line(3) + b"\n{nope}\n" + _line(5),
    "two documents on a line": _line(1) + b" " + _line(2) + b"\n" + _line(3) + b"\n",
    "very long line": _line(1) + b"\n" + LONG + b"\n" + _line(2) + b"\n" + LONG,
    "utf-8 text": "\n".join(_line(i, "é雪😀" * (i + 1)).decode() for i in range(4)).encode(),
    "invalid utf-8": _line(1) + b'\n{"id": 2, "name": "a\xff\xfeb"}\n' + _line(3) + b"\n",
    "cut utf-8 sequence": _line(1) + b'\n{"id": 2, "name": "\xe9\x9b"}\n' + _line(3) + b"\n",
    "bom": b"\xef\xbb\xbf" + _line(1) + b"\n" + _line(2) + b"\n",
    "nul byte": _line(1) + b"\n\x00\n" + _line(3) + b"\n",
    "only blank": b"\n \n\r\n\t\n",
    "empty": b"",
}
CHUNKS = [1, 2, 3, 7, 16, 31, 44, 45, 46, 64, 100, 4096, 1 << 16]


@pytest.mark.parametrize("collect", [True, False])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_cores_and_chunk_sizes_agree(name: str, collect: bool) -> None:
    data = HOSTILE[name]
    expected = outcome(CORES[0], data, 1 << 20, collect)
    for core in CORES:
        for chunk in CHUNKS:
            assert same(outcome(core, data, chunk, collect), expected), (core, chunk)


def test_a_lone_surrogate_escape_is_read_alike() -> None:
    data = _line(1) + b'\n{"id": 2, "name": "\\ud800"}\n' + _line(3)
    assert same(outcome(CORES[0], data, 7, True), outcome(CORES[1], data, 7, True))


SURROGATES = [
    b'{"id": 2, "name": "\\ud800"}',  # a lone high half
    b'{"id": 2, "name": "\\udc00x"}',  # a lone low half
    b'{"id": 2, "name": "\\uDE00\\ud83d"}',  # the halves the wrong way round
    b'{"id": 2, "name": "ok", "\\ud800": 1}',  # in a key
    b'{"id": 2, "name": "ok", "tags": ["\\ud83d"]}',  # deeper
    b'{"id": 2, "name": "\\ud83d\\ude00"}',  # a pair: one character, valid
    b'{"id": 2, "name": "\\\\ud800"}',  # an escaped backslash: plain text, valid
    '{"id": 2, "name": "\ud800"}',  # a str holding a surrogate: no UTF-8 form
    '{"id": 2, "name": "\U0001f600"}',
]


@pytest.mark.parametrize("data", SURROGATES, ids=range(len(SURROGATES)))
def test_surrogates_in_json_get_the_same_answer_from_both_cores(data: Any) -> None:
    answers = []
    for core in CORES:
        validator = make_validator(core, SCHEMA)
        try:
            built = validator.validate_json(data)
            answers.append(("ok", built.id, built.name, built.tags))
        except ValidationError as exc:
            answers.append(("invalid", _errors(exc)))
        except ValueError as exc:
            answers.append((type(exc).__name__, str(exc)))
    assert same(answers[0], answers[1]), answers
    valid = SURROGATES.index(data) in (5, 6, 8)
    assert (answers[0][0] == "ok") is valid, answers


@pytest.mark.parametrize("block", [1, 5, 50])
def test_blocks_cut_smaller_than_the_chunks_read_give_the_same_records(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a chunk read is validated in parts of about `_BLOCK` bytes of whole lines
    expected = {name: outcome(CORES[0], data, 1 << 20, True) for name, data in HOSTILE.items()}
    monkeypatch.setattr(streams, "_BLOCK", block)
    for name, data in HOSTILE.items():
        for core in CORES:
            for chunk in (3, 64, 1 << 20):
                assert same(outcome(core, data, chunk, True), expected[name]), (name, core, chunk)


def test_a_line_starting_with_a_bracket_is_one_record_wherever_the_chunk_starts() -> None:
    # the stream is NDJSON (its first character is "{"): a later line "[...]" is a record that
    # is not a model, even when a chunk happens to begin with it
    data = HOSTILE["bracket line"]
    for core in CORES:
        for chunk in range(1, len(data) + 2):
            got = outcome(core, data, chunk, collect=True)
            assert [g[:2] for g in got] == [("ok", 1), ("error", 1), ("ok", 3)], (core, chunk)
            assert got[1][2][0]["type"] == "model_type"


class _Reader:
    """A file whose ``read`` gives the data in pieces of its own choosing: str or bytes,
    bytearray or memoryview, shorter or longer than asked."""

    def __init__(self, data: bytes, sizes: list[int], kinds: list[str]) -> None:
        self.data, self.sizes, self.kinds, self.calls = data, sizes, kinds, 0

    def read(self, size: int = -1) -> Any:
        assert size > 0
        take = self.sizes[self.calls % len(self.sizes)]
        kind = self.kinds[self.calls % len(self.kinds)]
        self.calls += 1
        # a str reader cannot cut a character: take whole characters
        if kind == "str":
            while take < len(self.data) and (self.data[take] & 0xC0) == 0x80:
                take += 1
        piece, self.data = self.data[:take], self.data[take:]
        return {
            "bytes": bytes,
            "bytearray": bytearray,
            "memoryview": memoryview,
            "str": lambda p: p.decode("utf-8"),
        }[kind](piece)


def _sources(data: bytes) -> Iterator[Any]:
    yield data
    yield io.BytesIO(data)
    yield [data[i : i + 5] for i in range(0, len(data), 5)]
    yield iter([data[:1], b"", data[1:9], data[9:]])
    yield _Reader(data, [3, 1000, 1], ["bytes", "bytearray", "memoryview"])
    yield _Reader(data, [50000], ["bytes"])  # more than asked
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    yield text
    yield io.StringIO(text)
    yield io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    yield _Reader(data, [2, 9, 700], ["str", "bytes", "str"])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_kind_of_source_gives_the_same_records(name: str) -> None:
    data = HOSTILE[name]
    for collect in (True, False):
        expected = outcome(CORES[0], data, 1 << 20, collect)
        for core in CORES:
            for chunk in (4, 64):
                for source in _sources(data):
                    got = outcome(core, source, chunk, collect)
                    assert same(got, expected), (core, chunk, source)


def test_an_error_stops_the_stream_for_good() -> None:
    data = HOSTILE["bad records"]
    for core in CORES:
        stream = validate_json_stream(make_validator(core, SCHEMA), data, collect=False)
        assert next(stream).id == 1
        with pytest.raises(ValidationError) as caught:
            next(stream)
        assert caught.value.errors()[0]["loc"] == (1, "id")
        assert list(stream) == []


def test_nothing_is_read_before_the_first_record_is_asked_for() -> None:
    reader = _Reader(HOSTILE["plain"], [10], ["bytes"])
    stream = validate_json_stream(make_validator(CORES[1], SCHEMA), reader, collect=True)
    assert reader.calls == 0
    assert next(stream).id == 0
