"""The rows of ``values_list(..., named=True)``: a named tuple class ``Row`` per list of names,
made once (as Django's ``Row``), picklable.

A name a named tuple cannot hold (a keyword such as an annotation called ``class``, a name
given twice, one starting with ``_``) is a ``FieldError`` naming it, not a renamed field: the
caller reads fields by the names asked for, and ``row._1`` would be a silent change. Names are
the text they hold (``str.__str__``, whatever a subclass says), checked before
``collections.namedtuple`` generates any code from them."""

from __future__ import annotations

import collections
import functools
import keyword
from collections.abc import Iterable
from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import Combinable

__all__ = ["annotated", "as_named", "plain_row_class", "row_class"]


def as_named(qs: Any, flat: bool) -> None:
    """Make ``qs`` (a ``values_list()`` just made) give named rows, its names checked."""
    if flat:
        raise FieldError("values_list(): flat=True and named=True exclude each other")
    row_class(qs._values or (), qs._model.__name__)
    qs._flat = "named"


def row_class(names: Iterable[Any], owner: str = "values_list()") -> type[tuple[Any, ...]]:
    """The ``Row`` class of these field names (``owner`` names the model in errors)."""
    texts = tuple(str.__str__(name) for name in names)
    seen: set[str] = set()
    for text in texts:
        if not text.isidentifier() or keyword.iskeyword(text) or text.startswith("_"):
            raise FieldError(
                f"{owner}: values_list(named=True) cannot name a field {text!r}: a named "
                "tuple's fields are identifiers that are not keywords nor start with '_' "
                "(read it with values() or a plain values_list())"
            )
        if text in seen:
            raise FieldError(
                f"{owner}: values_list(named=True) names {text!r} twice: a named tuple's "
                "fields are distinct"
            )
        seen.add(text)
    return _made(texts)


#: names (plain ``str``s: equal only to the same text) -> their checked ``Row`` class
_PLAIN: dict[tuple[str, ...], type[tuple[Any, ...]]] = {}


def plain_row_class(names: tuple[str, ...], owner: str) -> type[tuple[Any, ...]]:
    """``row_class`` of names that are all plain ``str``s (the caller checked), its check
    made once per names: a keyed ``values_list(named=True)`` asks it for every query."""
    found = _PLAIN.get(names)
    if found is None:
        found = row_class(names, owner)  # raises for names a named tuple cannot hold
        if len(_PLAIN) >= 512:
            _PLAIN.clear()
        _PLAIN[names] = found
    return found


@functools.lru_cache(maxsize=512)
def _made(names: tuple[str, ...]) -> type[tuple[Any, ...]]:
    base = collections.namedtuple("Row", names)  # type: ignore[misc]
    made: type[tuple[Any, ...]] = type(
        "Row", (base,), {"__slots__": (), "__reduce__": _reduce, "__module__": __name__}
    )
    return made


def _reduce(row: Any) -> tuple[Any, tuple[Any, ...]]:
    return _unpickle, (row._fields, tuple(row))


def _unpickle(names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    return tuple.__new__(_made(tuple(str(n) for n in names)), values)


def annotated(qs: Any, names: tuple[Any, ...]) -> tuple[Any, tuple[str, ...]]:
    """``values_list``'s expressions annotated under Django's names: the expression's
    ``default_alias`` or its class name in lower case, then a counter of the expressions so
    far that skips the names taken."""
    if all(isinstance(name, str) for name in names):
        return qs, names
    taken = {name for name in names if isinstance(name, str)}
    expressions: dict[str, Any] = {}
    out: list[str] = []
    counter = 1
    for name in names:
        if not isinstance(name, Combinable):
            out.append(name)
            continue
        prefix = getattr(name, "default_alias", None) or type(name).__name__.lower()
        while f"{prefix}{counter}" in taken:
            counter += 1
        alias = f"{prefix}{counter}"
        counter += 1
        taken.add(alias)
        expressions[alias] = name
        out.append(alias)
    return qs.annotate(**expressions), tuple(out)
