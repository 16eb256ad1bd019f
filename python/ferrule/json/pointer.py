"""JSON Pointer (RFC 6901): a path to one value inside a JSON document.

``""`` is the whole document; ``"/a/0"`` the first element of the array under key ``"a"``. In a
reference token ``~1`` stands for ``/`` and ``~0`` for ``~`` (``~1`` is decoded first, so
``"~01"`` is the key ``"~1"``); a ``~`` followed by anything else is an error. As a URI
fragment (section 6) the same text follows ``#``, percent-encoded: `Pointer.from_fragment` and
`Pointer.fragment`.

Array indexes follow section 4 exactly: ASCII digits, ``0`` or no leading zero, never negative
or signed, and smaller than the array's length. ``-`` names the (absent) element after the last:
it resolves to nothing, and only JSON Patch's ``add`` may use it, to append. An index of more
digits than any list can be long is out of range without being converted (so ``int()``'s digit
limit never shows).

Every problem is a `JSONPointerError` naming the pointer; descending into something that is not
a JSON value at all (a tuple, a dict subclass) is a `JSONError` (see `_value`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

from ferrule.errors import JSONPointerError
from ferrule.json._value import kind

__all__ = ["Pointer"]

_BAD_ESCAPE = re.compile(r"~(?![01])")
#: RFC 3986 fragment characters besides letters, digits and "-._~" (which quote() keeps)
_FRAGMENT_SAFE = "!$&'()*+,;=:@/?"
_FRAGMENT = re.compile(r"#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")
_INDEX = re.compile(r"0|[1-9][0-9]*")
#: more digits than this and an index exceeds any list's length (sys.maxsize has 19)
_MAX_INDEX_DIGITS = 19


def escape(token: str) -> str:
    """One reference token as it is written in a pointer (``~`` → ``~0``, ``/`` → ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def render(tokens: tuple[str, ...] | list[str]) -> str:
    """The pointer text of ``tokens``."""
    return "".join("/" + escape(token) for token in tokens)


def parse(text: Any) -> tuple[str, ...]:
    """The reference tokens of a pointer's text (`JSONPointerError` if it is malformed)."""
    if type(text) is not str:
        raise JSONPointerError(
            _safe_text(text), f"a pointer must be a str, not {type(text).__name__}"
        )
    if not text:
        return ()
    if text[0] != "/":
        raise JSONPointerError(text, "a pointer must be empty or start with '/'")
    bad = _BAD_ESCAPE.search(text)
    if bad is not None:
        raise JSONPointerError(
            text, f"'~' at offset {bad.start()} is not followed by '0' or '1' (write '~0')"
        )
    if "~" not in text:
        return tuple(text[1:].split("/"))
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


def _safe_text(value: Any) -> str:
    return value if type(value) is str else f"<{type(value).__name__}>"


def array_index(tokens: tuple[str, ...], depth: int, length: int, *, append: bool) -> int:
    """The index that token ``tokens[depth]`` names in an array of ``length`` elements.

    ``append`` allows the position after the last element (``-`` or ``length``), as JSON Patch's
    ``add`` does; otherwise the element must exist."""
    token = tokens[depth]
    if token == "-":
        if append:
            return length
        raise _error(tokens, depth, "'-' names the element after the last, which does not exist")
    if _INDEX.fullmatch(token) is None:
        raise _error(
            tokens, depth, f"{token!r} is not an array index (digits, no leading zero, or '-')"
        )
    index = int(token) if len(token) <= _MAX_INDEX_DIGITS else length + 1
    if index < length or (append and index == length):
        return index
    limit = f"at most {length}" if append else f"below {length}"
    raise _error(tokens, depth, f"index {token} is out of range (must be {limit})")


def _error(tokens: tuple[str, ...], depth: int, problem: str) -> JSONPointerError:
    where = render(tokens[:depth]) or "the root"
    return JSONPointerError(render(tokens), f"at {where}: {problem}")


def missing(tokens: tuple[str, ...], depth: int) -> JSONPointerError:
    """The error for an object that has no member ``tokens[depth]``."""
    return _error(tokens, depth, f"the object has no member {tokens[depth]!r}")


def not_container(tokens: tuple[str, ...], depth: int, node: Any) -> JSONPointerError:
    """The error for descending into a scalar (`JSONError` if it is no JSON value at all)."""
    return _error(tokens, depth, f"cannot descend into a JSON {kind(node)}")


def resolve(doc: Any, tokens: tuple[str, ...]) -> Any:
    """The value ``tokens`` names in ``doc`` (iterative: a pointer of any length is fine)."""
    node = doc
    for depth, token in enumerate(tokens):
        node_type = type(node)
        if node_type is dict:
            try:
                node = node[token]
            except KeyError:
                raise missing(tokens, depth) from None
        elif node_type is list:
            node = node[array_index(tokens, depth, len(node), append=False)]
        else:
            raise not_container(tokens, depth, node)
    return node


class Pointer:
    """A parsed JSON Pointer: ``Pointer.parse("/a/b~1c")`` or ``Pointer(["a", "b/c"])``.

    Immutable and hashable; ``str()`` gives the escaped text back, so parsing and printing round
    trip. ``tokens`` are the unescaped reference tokens (all ``str``: array indexes too).
    """

    __slots__ = ("_tokens",)

    _tokens: tuple[str, ...]

    def __init__(self, tokens: list[str] | tuple[str, ...] = ()) -> None:
        if type(tokens) is not list and type(tokens) is not tuple:
            raise JSONPointerError(
                f"<{type(tokens).__name__}>",
                "Pointer() takes a list or tuple of str tokens (Pointer.parse() takes text)",
            )
        checked = tuple(tokens)
        for token in checked:
            if type(token) is not str:
                raise JSONPointerError(
                    f"<{type(tokens).__name__}>",
                    f"every token must be a str, not {type(token).__name__}",
                )
        object.__setattr__(self, "_tokens", checked)

    @classmethod
    def parse(cls, text: str) -> Pointer:
        """Parse a pointer's text, e.g. ``"/foo/0"``; `JSONPointerError` if malformed."""
        return cls._from_tokens(parse(text))

    @classmethod
    def from_fragment(cls, fragment: str) -> Pointer:
        """Parse a pointer written as a URI fragment (RFC 6901 section 6), e.g. ``"#/c%25d"``:
        ``#``, then the pointer's UTF-8 bytes percent-encoded where a fragment needs it."""
        if type(fragment) is not str:
            raise JSONPointerError(
                _safe_text(fragment), f"a fragment must be a str, not {type(fragment).__name__}"
            )
        if _FRAGMENT.fullmatch(fragment) is None:
            raise JSONPointerError(
                fragment,
                "a fragment is '#' then URI fragment characters, others percent-encoded (%XX)",
            )
        try:
            text = unquote(fragment[1:], errors="strict")
        except UnicodeDecodeError:
            raise JSONPointerError(fragment, "the percent-encoded bytes are not UTF-8") from None
        return cls._from_tokens(parse(text))

    @property
    def fragment(self) -> str:
        """The pointer as a URI fragment (RFC 6901 section 6): ``Pointer(["c%d"])`` is
        ``"#/c%25d"``."""
        text = render(self._tokens)
        try:
            return "#" + quote(text, safe=_FRAGMENT_SAFE, errors="strict")
        except UnicodeEncodeError:
            raise JSONPointerError(text, "a lone surrogate has no UTF-8 form") from None

    @classmethod
    def _from_tokens(cls, tokens: tuple[str, ...]) -> Pointer:
        pointer = cls.__new__(cls)
        object.__setattr__(pointer, "_tokens", tokens)
        return pointer

    @property
    def tokens(self) -> tuple[str, ...]:
        """The reference tokens, unescaped."""
        return self._tokens

    @property
    def is_root(self) -> bool:
        """Whether this is ``""``, the whole document."""
        return not self._tokens

    @property
    def parent(self) -> Pointer:
        """The pointer to the containing object or array (`JSONPointerError` at the root)."""
        if not self._tokens:
            raise JSONPointerError("", "the root has no parent")
        return Pointer._from_tokens(self._tokens[:-1])

    @property
    def last(self) -> str:
        """The last reference token: the member name or index within the parent."""
        if not self._tokens:
            raise JSONPointerError("", "the root has no last token")
        return self._tokens[-1]

    def child(self, token: str) -> Pointer:
        """This pointer extended by one reference token (unescaped: ``"a/b"`` is one key)."""
        if type(token) is not str:
            raise JSONPointerError(str(self), f"a token must be a str, not {type(token).__name__}")
        return Pointer._from_tokens((*self._tokens, token))

    def __truediv__(self, token: str) -> Pointer:
        return self.child(token)

    def is_prefix_of(self, other: Pointer) -> bool:
        """Whether ``other`` is this location or inside it (token by token: ``/a`` is a prefix of
        ``/a/b`` but not of ``/ab``)."""
        if type(other) is not Pointer:
            raise JSONPointerError(str(self), f"cannot compare with a {type(other).__name__}")
        return other._tokens[: len(self._tokens)] == self._tokens

    def resolve(self, doc: Any) -> Any:
        """The value this pointer names in ``doc``; `JSONPointerError` if there is none."""
        return resolve(doc, self._tokens)

    def exists(self, doc: Any) -> bool:
        """Whether this pointer names a value in ``doc`` (``/-`` never does)."""
        try:
            resolve(doc, self._tokens)
        except JSONPointerError:
            return False
        return True

    def __str__(self) -> str:
        return render(self._tokens)

    def __repr__(self) -> str:
        return f"Pointer({render(self._tokens)!r})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Pointer:
            return NotImplemented
        return self._tokens == other._tokens

    def __hash__(self) -> int:
        return hash(self._tokens)

    def __len__(self) -> int:
        return len(self._tokens)

    def __iter__(self) -> Iterator[str]:
        return iter(self._tokens)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Pointer is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Pointer, (self._tokens,))
