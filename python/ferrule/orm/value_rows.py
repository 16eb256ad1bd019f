"""The rows of ``values()`` and ``values_list()`` of a cached shape: a maker per
selected-column description, made once (``shapes.Entry.rows`` keeps it) and applied to each
result; ``orm.results.values_of`` is the general path's (one loop, no code made per query).

Each value is converted as its field or annotation loads it (SQLite's text dates, its 0/1
booleans, JSON text, ...; ``None`` stays ``None``); a column the driver hands back as the
field's own type (most columns on PostgreSQL) is not touched. Tuples without a conversion
are the driver's rows made tuples in one call (SQLite's are tuples already). Every other kind
is one list comprehension generated for the description, as ``collections.namedtuple``
generates its class: ``[{'id': v0, 'when': c1(v1) if v1 is not None else v1} for v0, v1 in
rows]`` costs about half of ``dict(zip(names, row))`` with a loop over the converters. The
generated text holds only names made here (``v0``, ``c1``, ``k2``) and the ``repr`` of plain
``str`` keys; unpacking each row checks its width, as ``zip(..., strict=True)`` did."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ferrule.orm.stored_as import StoredAs

__all__ = ["Maker", "maker"]

Maker = Callable[[Iterable[Any]], list[Any]]

_FLATS = ("dict", "tuple", "flat", "named")


def maker(described: list[Any], flat: str, dialect: str) -> Maker:
    """What turns the driver's rows of a query described by ``described`` (as
    ``orm.selecting.select`` says) into the items of ``flat`` (``"dict"``, ``"tuple"``,
    ``"flat"``, ``"named"``), each value converted as its field or annotation loads it."""
    if flat not in _FLATS:
        raise ValueError(f"no rows of kind {flat!r}")
    from ferrule.orm.results import value_converters  # (results reads the compiler's scope)

    converters = value_converters(described, dialect)
    names = [d[1] for d in described]
    if not names:  # no query selects no column: nothing to generate for
        raise ValueError("values() rows of no column")
    if flat == "tuple" and not any(converters):
        return _tuples(len(names))
    return _generated(flat, names, converters)


def _tuples(width: int) -> Maker:
    """Rows of values that need no conversion, as tuples."""

    def make(rows: Iterable[Any]) -> list[Any]:
        if type(rows) is not list:
            rows = list(rows)
        if rows and len(rows[0]) != width:  # a result's rows are all as wide
            raise ValueError(f"a row of {len(rows[0])} values for {width} selected columns")
        return list(map(tuple, rows))

    return make


def _generated(flat: str, names: list[Any], converters: list[Any]) -> Maker:
    """The comprehension that makes the items of ``flat`` of rows of ``len(names)`` values."""
    scope: dict[str, Any] = {"__builtins__": {}}
    targets = []
    values = []
    for index, convert in enumerate(converters):
        value = f"v{index}"
        targets.append(value)
        if type(convert) is StoredAs:  # a value of its kind passes untouched
            scope[f"c{index}"], scope[f"t{index}"] = convert, convert.kind
            passes = f"v{index}.__class__ is t{index} or v{index} is None"
            value = f"(v{index} if {passes} else c{index}(v{index}))"
        elif convert is not None:
            scope[f"c{index}"] = convert
            value = f"(c{index}(v{index}) if v{index} is not None else v{index})"
        values.append(value)
    if flat == "dict":
        keys = []
        for index, name in enumerate(names):
            if type(name) is str:
                keys.append(str.__repr__(name))
            else:  # a str subclass stays the very key it is
                scope[f"k{index}"] = name
                keys.append(f"k{index}")
        item = "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, values, strict=True)) + "}"
    elif flat == "flat":
        item = values[0] if len(values) == 1 else f"({', '.join(values)},)[0]"
    else:
        item = f"({', '.join(values)},)"
        if flat == "named":
            from ferrule.orm.named import row_class

            scope["new"] = tuple.__new__
            scope["Row"] = row_class(names)
            item = f"new(Row, {item})"
    source = f"def make(rows):\n    return [{item} for {', '.join(targets)}, in rows]\n"
    exec(compile(source, f"<values rows: {flat}>", "exec"), scope)  # names made here: see above
    made: Maker = scope["make"]
    return made
