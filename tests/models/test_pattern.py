"""`pattern`: Python `re.search` semantics in both cores (docs/validation.md, "String options").

The native core runs a pattern on Rust's `regex` engine after translating it to the exact code-point
sets Python's `re` uses, and falls back to Python's `re` only for constructs that engine cannot
express. The tables hold Python's own answers (the same on CPython 3.10 to 3.13); the hypothesis
tests compare the native core with `re.search(...) is not None` on random and on near-matching text.
"""

from __future__ import annotations

import array
import functools
import json
import re
import sys
from typing import Any

import pytest
from cores import Err, check, make_validator, to_json_text
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ferrule import Field, Model
from ferrule import _ferrule as native_core
from ferrule.errors import SchemaError, ValidationError
from ferrule.models import schema as s

EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
MISMATCH = Err(((), "string_pattern_mismatch"))

# (pattern, text, does re.search find a match)
CASES: list[tuple[str, str, bool]] = [
    # \w is str.isalnum() or "_"; \d is category Nd; \s is str.isspace()
    (r"^\w+$", "\u00bd", True),  # VULGAR FRACTION ONE HALF is numeric
    (r"^\w+$", "a\u0301", False),  # a combining mark is not alphanumeric
    (r"^\w+$", "\u0e01\u0e34", False),
    (r"^\w+$", "\u00b2", True),
    (r"^\w+$", "\u2160", True),
    (r"^\w+$", "\u200d", False),
    (r"^\W$", "\u0301", True),
    (r"^\d+$", "\u0663\u0664", True),
    (r"^\d$", "\u00b2", False),
    (r"^\d$", "\u2460", False),
    (r"^\D$", "\u00b2", True),
    (r"^\s$", "\x1c", True),
    (r"^\s$", "\x1f", True),
    (r"^\s$", "\x85", True),
    (r"^\s$", "\u200b", False),
    (r"^\s$", "\u180e", False),
    (r"^\S$", "\x1e", False),
    (EMAIL, "ann@example.com", True),
    (EMAIL, "a\x1cb@c.de", False),
    (EMAIL, "ab@c.de\n", True),
    (EMAIL, "ab@c.de\n\n", False),
    (EMAIL, "ab@c.d", False),
    # $ also matches before a final newline; \Z only at the very end
    (r"^a$", "a\n", True),
    (r"^a$", "a\n\n", False),
    (r"a$\n", "a\n", True),
    (r"a$\Z", "a\n", False),
    (r"a$\Z", "a", True),
    (r"a\Z", "a\n", False),
    (r"^a$|^b$", "b\n", True),
    (r"(?:a$)?x", "x", True),
    (r"a$$", "a\n", True),
    (r"a$\b", "a\n", True),
    (r"(?m)^b$", "a\nb\nc", True),
    (r"(?m)a$", "a\n\n", True),
    # . is anything but "\n" unless DOTALL
    (r"^.$", "\n", False),
    (r"(?s)^.$", "\n", True),
    (r"^.$", "\r", True),
    (r"^.$", "\u2028", True),
    # \b and \B use the same \w
    (r"\b\u00bd", "\u00bd", True),
    (r"a\b", "a\u0301", True),
    (r"\bx\b", "\u00e9x", False),
    (r"(?a)\bx\b", "\u00e9x", True),
    (r"\B", "", False),
    (r"\B", "a", False),
    (r"a\B", "a\u0301", False),
    # IGNORECASE: Python's simple lower-casing plus its extra equivalences
    (r"(?i)^i$", "\u0130", True),
    (r"(?i)^\u0131$", "I", True),
    (r"(?i)^k$", "\u212a", True),
    (r"(?ai)^k$", "\u212a", False),
    (r"(?i)^\u00df$", "\u1e9e", True),
    (r"(?i)^s$", "\u017f", True),
    (r"(?i)^[a-z]+$", "\u212a\u017f", True),
    (r"(?i)^[^k]$", "\u212a", False),
    (r"(?i)^\u03c3$", "\u03c2", True),
    (r"(?i)^\ufb05$", "\ufb06", True),
    (r"(?i)^\u0345$", "\u1fbe", True),
    (r"(?i)^[\U00010400-\U0001044f]+$", "\U00010428", True),
    # inline flags
    (r"(?i:a)b", "Ab", True),
    (r"(?i:a)b", "AB", False),
    (r"(?i)(?-i:a)b", "aB", True),
    (r"(?i)(?-i:a)b", "AB", False),
    (r"(?x) ^ a  b # comment", "ab", True),
    # quantifier syntax: {,n}; a "{" that starts no quantifier is a literal
    (r"^a{,2}$", "aa", True),
    (r"^a{,2}$", "aaa", False),
    (r"^a{,}$", "aaaa", True),
    (r"^a{$", "a{", True),
    (r"^a{1,x}$", "a{1,x}", True),
    (r"^a{}$", "a{}", True),
    # escapes and classes
    (r"^\x41\u00e9\U0001F600\101$", "A\u00e9\U0001f600A", True),
    (r"^\N{EM DASH}$", "\u2014", True),
    (r"^\0$", "\x00", True),
    (r"^[\]a-]+$", "]-a", True),
    (r"[\d-]", "-", True),
    (r"^[~~]+$", "~", True),
    # what Rust's engine cannot express still answers as re.search
    (r"^(a)\1$", "aa", True),
    (r"^(a)\1$", "ab", False),
    (r"^(?=.*\d).+$", "ab1", True),
    (r"^(?=.*\d).+$", "abc", False),
    (r"^(?!a)", "ba", True),
    (r"(?<=a)b", "ab", True),
    (r"^(a)?(?(1)b|c)$", "c", True),
    # repetition beyond the engine's size limit
    (r"^a{0,100000}$", "a" * 50, True),
    (r"^(?:\w{1000}){100}$", "a", False),
]


@pytest.mark.parametrize(("pattern", "text", "matches"), CASES)
def test_pattern_search(core: Any, pattern: str, text: str, matches: bool) -> None:
    validator = make_validator(core, s.str_schema(pattern=pattern))
    expected = text if matches else MISMATCH
    check(lambda: validator.validate_python(text), expected)
    check(lambda: validator.validate_json(to_json_text(text)), expected)


class Contact(Model):
    email: str = Field(pattern=EMAIL)


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("ann@example.com", True),
        ("ann@example.com\n", True),
        ("ann @example.com", False),
        ("ann\x1c@example.com", False),
        ("ann@example.c0m", False),
        ("\u00e5sa@\u00e9x.se", True),
    ],
)
def test_model_field_pattern(text: str, matches: bool) -> None:
    """Keywords, a dict and JSON: every way into a model checks the pattern the same way."""
    runs = [
        lambda: Contact(email=text).email,
        lambda: Contact.model_validate({"email": text}).email,
        lambda: Contact.model_validate_json(json.dumps({"email": text})).email,
    ]
    for run in runs:
        if matches:
            assert run() == text
        else:
            with pytest.raises(ValidationError) as info:
                run()
            assert [e["type"] for e in info.value.errors()] == ["string_pattern_mismatch"]


@pytest.mark.parametrize("pattern", [r"\p{L}", r"\e", "a{2,1}", "(?L)a", "a**", "(", r"(?<=a+)b"])
def test_invalid_pattern_is_schema_error(pattern: str) -> None:
    with pytest.raises(SchemaError, match="not a valid regex"):
        type("Bad", (Model,), {"__annotations__": {"x": str}, "x": Field(pattern=pattern)})


# (pattern, the text that runs on Rust's engine: "all", "ascii" or "none" (all on Python's re))
ENGINE: list[tuple[str, str]] = [
    (EMAIL, "all"),
    (r"^\w+$", "all"),
    (r"^\d{5}(-\d{4})?$", "all"),
    (r"(?i)^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$", "all"),
    (r"^a$\n?", "all"),
    (r"(?m)^b$", "all"),
    (r"(?s)a.b", "all"),
    (r"(?x) ^ a  b # comment", "all"),
    (r"^a{,2}$", "all"),
    (r"^\N{EM DASH}\x41\101$", "all"),
    (r"[\ud800-\udfff]", "all"),
    (r"(?a)\bword\b", "all"),
    (r"\bword\b", "ascii"),
    (r"\Bx", "ascii"),
    (r"^(?:\w{1000}){100}$", "ascii"),
    (r"^(a)\1$", "none"),
    (r"^(?P<x>a)(?P=x)$", "none"),
    (r"^(?=.*\d).+$", "none"),
    (r"(?<!a)b", "none"),
    (r"^(a)?(?(1)b|c)$", "none"),
    (r"^(?:a{1000}){1000}$", "none"),
]
if sys.version_info >= (3, 11):
    ENGINE += [(r"^a++$", "none"), (r"^(?>a+)b$", "none")]


@pytest.mark.parametrize(("pattern", "native"), ENGINE)
def test_pattern_engine(pattern: str, native: str) -> None:
    translated = native_core._pattern_translation(pattern)
    if translated is None:
        assert native == "none"
    else:
        assert native == ("all" if translated[1] is not None else "ascii")


# --- every translated code-point set equals the set Python's re matches ----------------------

ATOMS = [
    r"\w",
    r"\W",
    r"\d",
    r"\D",
    r"\s",
    r"\S",
    r".",
    r"(?s:.)",
    r"(?a:\w)",
    r"(?a:\d)",
    r"(?a:\s)",
    r"[^@\s]",
    r"[\w\-]",
    r"[^\d\s]",
    r"(?i:k)",
    r"(?i:i)",
    r"(?i:s)",
    r"(?i:\u00df)",
    r"(?i:\u03c3)",
    r"(?i:\ufb05)",
    r"(?i:\u0345)",
    r"(?i:[a-z])",
    r"(?i:[^a-z])",
    r"(?i:[a\w])",
    r"(?i:[^\W\d])",
    r"(?i:\w)",
    r"(?i:[\U00010400-\U0001044f])",
    r"(?i:[\u0100-\u024f])",
    r"(?ai:[a-z])",
    r"(?ai:k)",
]


@functools.cache
def _universe() -> str:
    """Every code point a str can hold as UTF-8 (surrogates excluded), in order."""
    points = array.array("I", range(0xD800))
    points.extend(range(0xE000, 0x110000))
    return points.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _normalise(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges without surrogates, joined where they touch (across the surrogate gap too)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        pieces = [(lo, min(hi, 0xD7FF)), (max(lo, 0xE000), hi)]
        for a, b in pieces:
            if a > b:
                continue
            touching = out and (out[-1][1] + 1 == a or (out[-1][1] == 0xD7FF and a == 0xE000))
            if touching:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


def _python_set(atom: str) -> list[tuple[int, int]]:
    def point(index: int) -> int:
        return index if index < 0xD800 else index + 0x800

    runs = re.finditer(f"(?:{atom})+", _universe())
    return _normalise([(point(m.start()), point(m.end() - 1)) for m in runs])


_POINT = re.compile(r"\\x\{([0-9A-F]+)\}(?:-\\x\{([0-9A-F]+)\})?")


def _ranges(translated: str) -> list[tuple[int, int]]:
    """The ranges of the one class (or the one character) an atom translates to."""
    if "[^" in translated:  # the empty class
        return []
    return _normalise([(int(a, 16), int(b or a, 16)) for a, b in _POINT.findall(translated)])


@pytest.mark.parametrize("atom", ATOMS)
def test_pattern_sets_are_pythons(atom: str) -> None:
    translated = native_core._pattern_translation(atom)
    assert translated is not None and translated[1] is not None
    ascii_source, any_source = translated
    expected = _python_set(atom)
    assert _ranges(any_source) == expected
    in_ascii = [(lo, min(hi, 0x7F)) for lo, hi in expected if lo <= 0x7F]
    assert ascii_source.startswith("(?-u)")
    assert _ranges(ascii_source.removeprefix("(?-u)")) == in_ascii


# --- differential: the native core against re.search -----------------------------------------

REAL_WORLD = [
    EMAIL,
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    r"(?i)^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
    r"^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$",
    r"^\d{5}(-\d{4})?$",
    r"^\+?[1-9]\d{1,14}$",
    r"^\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}$",
    r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$",
    r"^#?([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$",
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    r"^\w+$",
    r"^[\w.-]+$",
    r"^\S+$",
    r"^\s*$",
    r"\s",
    r"^[^\W\d_]+$",
    r"^\d+(\.\d+)?$",
    r"^-?\d*\.?\d+$",
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[\w.]+)?$",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    r"^([01]?\d|2[0-3]):[0-5]\d$",
    r"^\d{4}-\d{2}-\d{2}$",
    r"^https?://[^\s/$.?#].[^\s]*$",
    r"(?i)^https?://",
    r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$",
    r"\bcat\b",
    r"(?i)\bstop\b",
    r"(?m)^#",
    r"(?s)^<.*>$",
    r"^.+$",
    r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*$",
    r"(?i)^[a-zß]+$",
    r"^[\u0400-\u04ff]+$",
    r"^[^<>]*$",
    r"^(?=.*[A-Z])(?=.*\d).{8,}$",
    r"^(\w)\w*\1$",
    r"a$\Z",
    r"x$\n",
    r"\B",
]
TRICKY = (
    "\n\r\t \x1c\x85\u00a0\u2028"  # whitespace by str.isspace() (and not)
    "\u00bd\u0301\u00b2\u0663"  # \w and \d where engines differ
    "\u212a\u017f\u0130\u0131\u00df\u1e9e\u00e9"  # case folding where engines differ
    "_-@.#:/"
)


def _alphabet(pattern: str) -> list[str]:
    """Characters the pattern names, their case variants, and characters where engines differ."""
    chars = set(TRICKY) | set(pattern) | {"a", "Z", "0", "9", "\U0001f600"}
    chars |= {c.swapcase() for c in pattern if len(c.swapcase()) == 1}
    return sorted(chars)


@functools.cache
def _native_validator(pattern: str) -> Any:
    return native_core.SchemaValidator(s.str_schema(pattern=pattern), None)


def _native_matches(pattern: str, text: str) -> bool:
    try:
        _native_validator(pattern).validate_python(text)
    except ValidationError:
        return False
    return True


@functools.cache
def _texts(pattern: str) -> st.SearchStrategy[str]:
    """Random text, text over the pattern's alphabet, and matching text with something added."""
    near = st.text(st.sampled_from(_alphabet(pattern)), max_size=16)
    matching = st.from_regex(pattern) if "\\1" not in pattern else near
    mutated = st.tuples(matching, near, st.sampled_from(["", "\n", "\n\n"])).map(
        lambda parts: parts[0] + parts[2] if parts[2] else parts[0] + parts[1][:2]
    )
    return st.one_of(st.text(max_size=16), near, matching, mutated)


DIFFERENTIAL = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@DIFFERENTIAL
@given(st.data())
def test_real_world_patterns_agree_with_re(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(REAL_WORLD))
    text = data.draw(_texts(pattern))
    assert _native_matches(pattern, text) == (re.search(pattern, text) is not None)


# generated patterns: a small grammar over atoms that differ between engines
_ATOM = st.sampled_from(
    [
        "a",
        "b",
        "k",
        "K",
        "s",
        "i",
        "\u00e9",
        "\u00bd",
        "\u0131",
        "\u00df",
        "_",
        "-",
        "0",
        r"\n",
        r"\.",
        ".",
        r"\w",
        r"\W",
        r"\d",
        r"\D",
        r"\s",
        r"\S",
        "[a-z]",
        "[^a-z]",
        r"[\w-]",
        r"[^\s@]",
        r"[\d\s]",
        "[k\u00e9]",
        r"\x1c",
        r"\u212a",
        r"\x41",
        "[K-k]",
        "[\u00c0-\u00ff]",
        r"[^\W\d]",
        r"[\S]",
    ]
)
_ANCHOR = st.sampled_from(["^", "$", r"\A", r"\Z", r"\b", r"\B"])
_QUANT = st.sampled_from(["", "", "", "*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}", "*?", "+?"])


def _pattern_tree(depth: int) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.tuples(_ATOM, _QUANT).map("".join),
        _ANCHOR,
    )
    if depth > 0:
        inner = _pattern_tree(depth - 1)
        piece = st.one_of(
            piece,
            st.tuples(
                st.sampled_from(["(", "(?:", "(?i:", "(?-i:", "(?s:", "(?m:"]), inner, _QUANT
            ).map(lambda t: f"{t[0]}{t[1]}){t[2]}"),
            st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
        )
    return st.lists(piece, min_size=1, max_size=5).map("".join)


_FLAGS = st.sampled_from(["", "", "(?i)", "(?m)", "(?s)", "(?a)", "(?ai)", "(?x)", "(?ims)"])
_PATTERNS = st.tuples(_FLAGS, _pattern_tree(2)).map("".join)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, OverflowError):
        return False
    return True


@settings(DIFFERENTIAL, max_examples=150)
@given(st.data())
def test_generated_patterns_agree_with_re(data: st.DataObject) -> None:
    pattern = data.draw(_PATTERNS)
    assume(_compiles(pattern))
    near = st.text(st.sampled_from(_alphabet(pattern)), max_size=12)
    for text in data.draw(st.lists(near, min_size=1, max_size=6)):
        assert _native_matches(pattern, text) == (re.search(pattern, text) is not None), text
