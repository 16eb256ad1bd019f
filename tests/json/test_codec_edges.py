"""The edges of `ferrule.json`'s fast paths, held to the standard library on both cores.

The writer escapes strings 16 bytes at a time, reuses one output buffer and a cache of encoded
keys per thread, and reads a dict's items from its table; the reader decodes strings (escapes,
non-ASCII text) itself and hands out cached keys. Each test aims at a boundary of one of those:
a chunk edge, the kept buffer's size, a call made from inside a call, another thread, a cache
slot taken over, a str of each width.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest
from codec_options import read_options, write_options

import ferrule._ferrule as native
from ferrule import json as fjson
from ferrule.errors import JSONError
from ferrule.json import _pure_codec as pure


def native_dumps(obj: Any, **kw: Any) -> str:
    return native.json_dumps(obj, **kw)  # type: ignore[no-any-return]


def pure_dumps(obj: Any, **kw: Any) -> str:
    return pure.dumps_bytes(obj, text=True, **write_options(kw))  # type: ignore[no-any-return]


def pure_loads(data: Any) -> Any:
    return pure.loads(data, **read_options({}))


# `fjson.dumps(obj)` with no options takes the native one-argument entry (or the pure twin)
DUMPS = [pytest.param(fjson.dumps, id="public"), native_dumps, pure_dumps]
LOADS = [pytest.param(fjson.loads, id="public"), native.json_loads, pure_loads]


def compact(value: Any, **kw: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), **kw)


SPECIALS = ['"', "\\", "\n", "\x00", "\x1f", "\x7f", "é", "δ", "雪", "😀"]


@pytest.mark.parametrize("dumps", DUMPS)
@pytest.mark.parametrize("special", SPECIALS)
def test_a_character_to_escape_at_every_position_of_a_string(dumps: Any, special: str) -> None:
    for length in range(1, 50):
        for at in range(length):
            text = "k" * at + special + "k" * (length - at - 1)
            assert dumps(text) == compact(text)
            assert dumps({text: at}) == compact({text: at})


@pytest.mark.parametrize("dumps", DUMPS)
def test_two_escapes_at_every_pair_of_positions(dumps: Any) -> None:
    for length in (15, 16, 17, 31, 32, 33, 40):
        for first in range(length):
            for second in range(first + 1, length):
                chars = ["v"] * length
                chars[first], chars[second] = "\t", '"'
                text = "".join(chars)
                assert dumps([text]) == compact([text])


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize("special", SPECIALS)
def test_escapes_and_wide_characters_read_at_every_position(loads: Any, special: str) -> None:
    for length in range(1, 40):
        for at in range(length):
            text = "r" * at + special + "r" * (length - at - 1)
            for written in (json.dumps([text]), json.dumps([text], ensure_ascii=False)):
                assert loads(written) == [text]
                assert loads(written.encode()) == [text]


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize("repeat", [1, 20, 200])  # short strings and long ones
def test_strs_of_every_width_read_as_the_standard_library_reads_them(
    loads: Any, repeat: int
) -> None:
    texts = [
        "café" * repeat,  # one byte a character
        "δέλτα " * repeat,  # two
        "雪 and δ" * repeat,  # two, three-byte UTF-8
        "😀 x" * repeat,  # four
        "\u07ff\u0800\uffff\U00010000\U0010ffff" * repeat,  # the UTF-8 length edges
        "ÿ" * repeat + "Ā",  # one past one byte a character
        'q"uo\\te\u00e9\n' * repeat,  # escapes among non-ASCII text
    ]
    for text in texts:
        for written in (json.dumps(text), json.dumps(text, ensure_ascii=False)):
            read = loads(written.encode())
            assert read == text
            assert hash(read) == hash(text)


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize("at", [0, 5, 40, 127, 128, 129, 300])
@pytest.mark.parametrize(
    "bad", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe9", b"\xe9x"]
)
def test_invalid_utf8_anywhere_in_a_string_is_refused(loads: Any, at: int, bad: bytes) -> None:
    for before in (b"a" * at, b"\xc3\xa9" * (at // 2), b"\\n" * (at // 2)):
        document = b'["ok", "' + before + bad + b'tail"]'
        with pytest.raises(JSONError):
            loads(document)


@pytest.mark.parametrize("loads", LOADS)
def test_escapes_the_reader_leaves_to_jiter(loads: Any) -> None:
    assert loads(r'["\ud83d\ude00", "\u00e9\u0000", "\/"]') == ["😀", "é\x00", "/"]
    for bad in (r'["\x"]', r'["\u12"]', r'["\u12g4"]', '["a\tb"]'):
        with pytest.raises(JSONError):
            loads(bad)


@pytest.mark.parametrize("loads", LOADS)
def test_many_keys_long_keys_and_keys_nested_under_keys(loads: Any) -> None:
    """More distinct keys than the reader caches, some too long to cache, the keys of inner
    objects read while an outer key waits for its value."""
    wide = {f"key{i}": i for i in range(2000)}
    long = {"k" * 65 + str(i): i for i in range(50)}
    nested: dict[str, Any] = {}
    inner = nested
    for i in range(300):
        inner[f"level{i}"] = {f"sibling{i}": i}
        inner = inner[f"level{i}"]
    records = [{f"field{(i * 7 + j) % 700}": j for j in range(30)} for i in range(100)]
    for value in (wide, long, nested, records, [wide, long, wide]):
        text = json.dumps(value)
        assert loads(text) == value
        assert loads(text.encode()) == value


@pytest.mark.parametrize("loads", LOADS)
def test_duplicates_found_among_cached_keys(loads: Any) -> None:
    loads('[{"a": 1, "b": 2}, {"b": 3, "a": 4}]')
    with pytest.raises(JSONError, match='duplicate key "b"') as caught:
        loads('[{"a": 1, "b": 2}, {"b": 3, "a": 4, "b": 5}]')
    assert caught.value.offset == 36  # its opening quote


def _read_often(loads: Any, text: str, times: int = 4) -> Any:
    """`text` read `times` times (the native reader makes a template of an object's shape the
    second time it sees it, and follows it from then on): every reading alike."""
    first = loads(text)
    for _ in range(times - 1):
        again = loads(text)
        assert again == first and json.dumps(again) == json.dumps(first)
    return first


@pytest.mark.parametrize("loads", LOADS)
def test_objects_that_follow_a_known_shape_or_leave_it(loads: Any) -> None:
    """Objects read after a shape was learnt: the same keys, a prefix, more keys, other keys
    from each position, the same keys in another order; each read as the standard library
    reads it, the members in document order."""
    shape = {"id": 1, "name": "n", "tags": [1, {"x": 2}], "address": {"city": "c"}, "z": None}
    _read_often(loads, json.dumps(shape))
    keys = list(shape)
    variants: list[dict[str, Any]] = [dict(list(shape.items())[:n]) for n in range(1, 6)]
    variants.append({**shape, "extra": [1]})
    variants.append(dict(reversed(list(shape.items()))))
    for at in range(1, len(keys)):
        renamed = {k if i != at else f"other{at}": v for i, (k, v) in enumerate(shape.items())}
        variants.append(renamed)
    for value in variants:
        for text in (json.dumps(value), json.dumps([value, shape, value])):
            assert _read_often(loads, text, 3) == json.loads(text)
            assert list(loads(text if text[0] == "{" else json.dumps(value))) == list(value)


@pytest.mark.parametrize("loads", LOADS)
def test_a_repeated_key_after_a_known_shape(loads: Any) -> None:
    """A key repeated inside an object whose first keys follow a learnt shape is refused
    where it stands, as in any other object; with duplicate_keys="last" the last value wins."""
    _read_often(loads, '{"a": 1, "b": 2, "c": 3}')
    for text, offset in (
        ('{"a": 1, "a": 2}', 9),
        ('{"a": 1, "b": 2, "a": 3}', 17),
        ('{"a": 1, "b": 2, "c": 3, "b": 4}', 25),
        ('[{"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "b": 9, "c": 3}]', 44),
    ):
        with pytest.raises(JSONError, match="duplicate key") as caught:
            loads(text)
        assert caught.value.offset == offset, text
    last = fjson.loads('{"a": 1, "b": 2, "a": 3}', duplicate_keys="last")
    assert last == json.loads('{"a": 1, "b": 2, "a": 3}') and list(last) == ["a", "b"]


def test_dicts_from_shapes_are_tracked_as_the_standard_librarys() -> None:
    """A dict is tracked by the collector exactly when the standard library's is (when a value
    is a container), whether it was filled live or copied from a template."""
    import gc

    for text in ('{"a": 1, "b": "x", "c": null}', '{"a": 1, "b": [], "c": 2}', '{"a": {"b": {}}}'):
        for _ in range(4):
            ours, theirs = fjson.loads(text), json.loads(text)
            assert gc.is_tracked(ours) == gc.is_tracked(theirs), text
            if isinstance(ours.get("a"), dict):
                assert gc.is_tracked(ours["a"]) == gc.is_tracked(theirs["a"]), text
    assert fjson.loads('{"a": 1.5, "d": 2}', decimal=True) == {"a": 1.5, "d": 2}


def test_many_shapes_that_share_first_keys() -> None:
    """Objects with the same first key and different later keys take turns in one shape slot;
    nested objects whose template is replaced while an outer one follows its own stay whole."""
    docs = []
    for i in range(200):
        inner = {"k": i, f"v{i % 3}": [i] * (i % 4)}
        docs.append({"k": inner, f"w{i % 5}": i, "tail": {"k": i % 2}})
    text = json.dumps(docs)
    for _ in range(3):
        assert fjson.loads(text) == docs
    for doc in docs[:50]:
        assert _read_often(fjson.loads, json.dumps(doc), 3) == doc


@pytest.mark.parametrize("dumps", DUMPS)
def test_outputs_around_the_kept_buffer_size(dumps: Any) -> None:
    """The writer keeps its buffer between calls up to 4 MiB: outputs on both sides of that, in
    any order, are each whole and exact."""
    small = {"a": [1, 2, 3]}
    just_under = ["x" * 1000] * (4 * 1024 - 10)
    over = ["y" * 1000] * (5 * 1024)
    for value in (small, over, small, just_under, over, just_under, small):
        assert dumps(value) == compact(value)


class _Box:
    def __init__(self, value: Any) -> None:
        self.value = value


@pytest.mark.parametrize("dumps", DUMPS[1:])
def test_a_default_that_calls_dumps_itself(dumps: Any) -> None:
    """A `default=` that writes JSON itself (through the public one-argument call, which uses
    the thread's buffer) leaves the outer call's output whole."""

    def default(value: Any) -> Any:
        assert isinstance(value, _Box)
        return {"inner": fjson.dumps([value.value, {"pad": "p" * 300}]), "n": value.value}

    doc = {"before": "b" * 100, "items": [_Box(i) for i in range(20)], "after": "z"}
    expected = compact(doc, default=lambda v: default(v))
    assert dumps(doc, default=default) == expected
    assert fjson.dumps(doc["before"]) == compact(doc["before"])


def test_threads_write_with_buffers_of_their_own() -> None:
    """Each thread has its own buffer and key cache; a `default=` that runs Python code lets
    the threads take turns in the middle of a call."""
    docs = [
        {"id": i, "name": f"n{i}" * (i % 40), "tags": [f"t{j}" for j in range(i % 7)]}
        for i in range(60)
    ]

    def default(value: Any) -> Any:
        return sum(range(200)) + value.value

    failures: list[str] = []

    def work(offset: int) -> None:
        for round_ in range(30):
            doc = docs[(offset + round_) % len(docs)]
            boxed = {"doc": doc, "box": _Box(offset)}
            got = fjson.dumps_bytes(doc)
            if got != compact(doc).encode():
                failures.append(f"plain {offset} {round_}")
            got_text = fjson.dumps(boxed, default=default)
            if got_text != compact(boxed, default=default):
                failures.append(f"default {offset} {round_}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("dumps", DUMPS)
def test_keys_written_again_and_keys_that_come_and_go(dumps: Any) -> None:
    """Keys met again come from the writer's cache (interned ones at once, keys made at run time
    when they come back); no key may ever be written as another key's text, also when a key
    made at run time is freed and a new one takes its address."""
    interned = [sys.intern(f"key{i}") for i in range(600)]
    made = ["".join(["made", str(i)]) for i in range(600)]
    odd = [sys.intern(k) for k in ('a"b', "tab\there", "é", "雪", "k" * 29, "k" * 30, "k" * 40)]
    records = [
        {k: i for k in (interned[i : i + 20] + made[i : i + 5] + odd)} for i in range(0, 580, 9)
    ]
    for _ in range(2):
        assert dumps(records) == compact(records)
        assert dumps(records, indent=2) == json.dumps(records, ensure_ascii=False, indent=2)
    for i in range(3000):
        key = sys.intern(f"passing{i}")
        assert dumps({key: i}) == f'{{"{key}":{i}}}'
        del key
    for i in range(3000):
        made_key = "".join(["gone", str(i)])
        for _ in range(3):
            assert (
                dumps({made_key: i, "x": [made_key]}) == f'{{"{made_key}":{i},"x":["{made_key}"]}}'
            )
        del made_key
    loaded = json.loads(json.dumps(records))  # the records' keys made at run time, shared
    for _ in range(3):
        assert dumps(loaded) == compact(records)


@pytest.mark.parametrize("dumps", DUMPS)
def test_dicts_of_every_table_shape(dumps: Any) -> None:
    class Slots:
        pass

    holder = Slots()
    holder.a = 1  # type: ignore[attr-defined]
    holder.b = [2]  # type: ignore[attr-defined]
    with_holes = {f"k{i}": i for i in range(100)}
    for i in range(0, 100, 3):
        del with_holes[f"k{i}"]
    mixed = {1: "int", "s": "str", 2.5: "float", None: "none", False: "bool"}
    big = {f"key{i}": [i] for i in range(70_000)}  # index table of four bytes a slot
    for value in (holder.__dict__, with_holes, mixed, big, {}):
        assert dumps(value) == compact(value)


@pytest.mark.parametrize("dumps", DUMPS)
def test_cached_keys_of_every_length_in_every_position(dumps: Any) -> None:
    """A key met again is copied from the cache as one block whatever its length: every
    encoded length up to and past the longest kept (32 bytes, comma included), escapes and
    multi-byte characters, as the first member and after a comma, and str subclasses (never
    cached) beside them."""

    class Key(str):
        def __str__(self) -> str:
            return "lie"

    keys = [sys.intern("k" * n) for n in range(36)]
    keys += [sys.intern("é" * n) for n in range(1, 18)]
    keys += [sys.intern(s * n) for s in ('"', "\t", "\x01") for n in range(1, 7)]
    keys += ["".join(["made", "k" * n]) for n in range(30)]
    for key in keys:
        for other in (keys[0], keys[29], keys[35]):
            for doc in ({key: 1}, {key: 1, other: 2}, {other: 1, key: [key]}, {Key(key): key}):
                for _ in range(3):
                    assert dumps(doc) == compact(doc), (key, other)


@pytest.mark.parametrize("dumps", DUMPS)
def test_ints_at_every_digit_count(dumps: Any) -> None:
    """Every length of decimal digits, on both sides of each power of ten, both signs, the
    64-bit bounds and past them (the big-int path), and int subclasses that lie about their
    text: each as the standard library writes it."""

    class Lying(int):
        def __str__(self) -> str:
            return "lie"

        def __repr__(self) -> str:
            return "lie"

    values: list[int] = [0, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30)]
    for digits in range(20):
        for delta in (-2, -1, 0, 1, 2):
            values += [10**digits + delta, -(10**digits + delta)]
    doc = {"values": values, "lying": [Lying(v) for v in values[:12]], "flags": [True, False]}
    for _ in range(2):
        assert dumps(doc) == compact(doc)
        assert dumps(values) == compact(values)
