"""JSON Pointer against RFC 6901: the section 5 examples, the escaping of section 3 and the array
index rules of section 4, plus the helpers and hostile input."""

from __future__ import annotations

import pickle
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrule.errors import JSONError, JSONPointerError
from ferrule.json import Pointer

# RFC 6901 section 5: the document and each pointer with the value it names.
RFC6901_DOC: dict[str, Any] = {
    "foo": ["bar", "baz"],
    "": 0,
    "a/b": 1,
    "c%d": 2,
    "e^f": 3,
    "g|h": 4,
    "i\\j": 5,
    'k"l': 6,
    " ": 7,
    "m~n": 8,
}
RFC6901_SECTION_5 = [
    ("", RFC6901_DOC),
    ("/foo", ["bar", "baz"]),
    ("/foo/0", "bar"),
    ("/", 0),
    ("/a~1b", 1),
    ("/c%d", 2),
    ("/e^f", 3),
    ("/g|h", 4),
    ("/i\\j", 5),
    ('/k"l', 6),
    ("/ ", 7),
    ("/m~0n", 8),
]


@pytest.mark.parametrize(("text", "expected"), RFC6901_SECTION_5)
def test_rfc6901_section_5(text: str, expected: Any) -> None:
    pointer = Pointer.parse(text)
    assert pointer.resolve(RFC6901_DOC) == expected
    assert pointer.exists(RFC6901_DOC)
    assert str(pointer) == text


# RFC 6901 section 6: the same pointers as URI fragments, percent-encoded.
RFC6901_SECTION_6 = [
    ("#", RFC6901_DOC),
    ("#/foo", ["bar", "baz"]),
    ("#/foo/0", "bar"),
    ("#/", 0),
    ("#/a~1b", 1),
    ("#/c%25d", 2),
    ("#/e%5Ef", 3),
    ("#/g%7Ch", 4),
    ("#/i%5Cj", 5),
    ("#/k%22l", 6),
    ("#/%20", 7),
    ("#/m~0n", 8),
]


@pytest.mark.parametrize(("fragment", "expected"), RFC6901_SECTION_6)
def test_rfc6901_section_6(fragment: str, expected: Any) -> None:
    pointer = Pointer.from_fragment(fragment)
    assert pointer.resolve(RFC6901_DOC) == expected
    assert pointer.fragment == fragment


@pytest.mark.parametrize(
    "fragment",
    [
        "",
        "/foo",
        "foo",
        "#foo",
        "##",
        "#/a b",
        "#/a%",
        "#/a%2",
        "#/%zz",
        "#/%FF",
        "#/%C3",
        "#/[",
        "#/~2",
    ],
)
def test_malformed_fragments_are_rejected(fragment: str) -> None:
    with pytest.raises(JSONPointerError):
        Pointer.from_fragment(fragment)


def test_a_lone_surrogate_has_no_fragment() -> None:
    with pytest.raises(JSONPointerError, match="surrogate"):
        _ = Pointer(["\ud800"]).fragment


@given(st.lists(st.text(max_size=6), max_size=5))
def test_tokens_round_trip_through_fragments(tokens: list[str]) -> None:
    fragment = Pointer(tokens).fragment
    assert Pointer.from_fragment(fragment).tokens == tuple(tokens)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", ()),
        ("/", ("",)),
        ("//", ("", "")),
        ("/a~1b/c", ("a/b", "c")),
        ("/~01", ("~1",)),  # section 4: ~1 is decoded before ~0
        ("/~10", ("/0",)),
        ("/~0~1~0", ("~/~",)),
        ("/0/-", ("0", "-")),
    ],
)
def test_parse_unescapes_and_round_trips(text: str, tokens: tuple[str, ...]) -> None:
    pointer = Pointer.parse(text)
    assert pointer.tokens == tokens
    assert Pointer(list(tokens)) == pointer
    assert str(Pointer(tokens)) == text


@given(st.lists(st.text(max_size=6), max_size=5))
def test_tokens_round_trip_through_text(tokens: list[str]) -> None:
    text = str(Pointer(tokens))
    assert Pointer.parse(text).tokens == tuple(tokens)


@pytest.mark.parametrize("text", ["a", "a/b", "~1", "/~", "/a~", "/~2", "/a~x/b", "/~~0"])
def test_malformed_text_is_rejected(text: str) -> None:
    with pytest.raises(JSONPointerError) as caught:
        Pointer.parse(text)
    assert caught.value.pointer == text


@pytest.mark.parametrize("value", [None, 1, b"/a", ["a"], Pointer(["a"])])
def test_parse_takes_only_text(value: Any) -> None:
    with pytest.raises(JSONPointerError, match="must be a str"):
        Pointer.parse(value)
    with pytest.raises(JSONPointerError, match="must be a str"):
        Pointer.from_fragment(value)


@pytest.mark.parametrize("tokens", ["/a", ("a", 1), ["a", None], {"a": 1}, iter(["a"])])
def test_constructor_takes_only_str_tokens(tokens: Any) -> None:
    with pytest.raises(JSONPointerError):
        Pointer(tokens)


DOC = {"a": [10, 11, 12], "o": {"0": "zero", "01": "leading"}, "s": "text", "n": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/a/0", 10),
        ("/a/2", 12),
        ("/o/0", "zero"),  # on an object a digit token is a member name
        ("/o/01", "leading"),  # leading zeros are fine for member names
        ("/n", None),
    ],
)
def test_resolve(text: str, expected: Any) -> None:
    assert Pointer.parse(text).resolve(DOC) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("/a/3", "out of range"),
        ("/a/-", "'-' names the element after the last"),  # section 4: always an error here
        ("/a/01", "not an array index"),  # section 4: no leading zeros
        ("/a/00", "not an array index"),
        ("/a/-1", "not an array index"),  # no negative index
        ("/a/+1", "not an array index"),
        ("/a/ 1", "not an array index"),
        ("/a/1 ", "not an array index"),
        ("/a/1.0", "not an array index"),
        ("/a/1e0", "not an array index"),
        ("/a/\u0661", "not an array index"),  # ARABIC-INDIC DIGIT ONE: str.isdigit() says yes
        ("/a/" + "9" * 30, "out of range"),
        ("/a/" + "9" * 5000, "out of range"),  # beyond int()'s default digit limit
        ("/a/", "not an array index"),
        ("/missing", "no member 'missing'"),
        ("/o/x/y", "no member 'x'"),
        ("/s/0", "cannot descend into a JSON string"),
        ("/n/x", "cannot descend into a JSON null"),
    ],
)
def test_resolve_errors(text: str, problem: str) -> None:
    pointer = Pointer.parse(text)
    with pytest.raises(JSONPointerError, match=re.escape(problem)):
        pointer.resolve(DOC)
    assert not pointer.exists(DOC)


def test_error_names_pointer_and_where_it_failed() -> None:
    with pytest.raises(JSONPointerError) as caught:
        Pointer.parse("/o/x~1y/z").resolve(DOC)
    assert caught.value.pointer == "/o/x~1y/z"
    assert "at /o:" in str(caught.value)
    assert pickle.loads(pickle.dumps(caught.value)).pointer == "/o/x~1y/z"


class LyingDict(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        return "lie"

    def __iter__(self) -> Any:
        raise RuntimeError("hostile")


@pytest.mark.parametrize("container", [LyingDict(a=1), ("a",), {1, 2}, object()])
def test_descending_into_what_is_not_json_is_a_json_error(container: Any) -> None:
    with pytest.raises(JSONError, match="not a JSON value"):
        Pointer.parse("/0").resolve(container)
    with pytest.raises(JSONError, match="not a JSON value"):
        Pointer.parse("/0").exists(container)


def test_helpers() -> None:
    pointer = Pointer.parse("/a/b~1c")
    assert pointer.parent == Pointer(["a"])
    assert pointer.last == "b/c"
    assert pointer.parent.parent.is_root
    assert pointer / "d" == Pointer.parse("/a/b~1c/d")
    assert pointer.child("~") == Pointer(["a", "b/c", "~"])
    assert Pointer(["a"]).is_prefix_of(pointer)
    assert pointer.is_prefix_of(pointer)
    assert not Pointer(["a", "b"]).is_prefix_of(pointer)
    assert not Pointer.parse("/a").is_prefix_of(Pointer.parse("/ab"))
    assert len(pointer) == 2
    assert list(pointer) == ["a", "b/c"]
    assert repr(pointer) == "Pointer('/a/b~1c')"
    assert {pointer: 1}[Pointer(("a", "b/c"))] == 1
    assert pickle.loads(pickle.dumps(pointer)) == pointer
    assert pointer != "/a/b~1c"
    with pytest.raises(JSONPointerError):
        _ = Pointer().parent
    with pytest.raises(JSONPointerError):
        _ = Pointer().last
    with pytest.raises(JSONPointerError):
        pointer.child(1)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        pointer._tokens = ()  # type: ignore[misc]


def test_a_long_pointer_resolves_without_recursion() -> None:
    depth = 100_000
    doc: Any = "bottom"
    for _ in range(depth):
        doc = [doc]
    pointer = Pointer(["0"] * depth)
    assert pointer.resolve(doc) == "bottom"
    assert not Pointer(["0"] * (depth + 1)).exists(doc)
