"""Lookups inside a JSON field, with one answer on SQLite, PostgreSQL and MariaDB: the answer
``backends.json_paths`` computes in Python over the stored values.

Names. After a JSON field, each ``__`` part is a step into the value: ASCII digits are an
index into an array (``data__items__0``; an object's key ``"0"`` is not reached, as in
Django), anything else a key of an object (``data__owner__name``), whatever characters it
holds (the path is bound, its keys escaped). The last part is the lookup when it is one of
`KEY_LOOKUPS`; a part that is another lookup's name (``regex``, ``range``, ``year``) or is
close to one (``has_kye``) is refused with a ``FieldError``: end the name with ``__exact``
to compare a key of that name.

Lookups (the reference is ``json_paths.answer``):

* ``exact`` and ``in``: equal as JSON values (``1 == 1.0``, ``true`` is not ``1``); ``None``
  is JSON ``null`` (Django's rule for a key; on the whole field it is SQL NULL);
* ``isnull=True``: nothing at the path (SQL NULL, no such key, or past the end); ``False``:
  something, JSON ``null`` included;
* ``gt``/``gte``/``lt``/``lte`` take a number or a string and match only values of the same
  kind, as Python refuses ``1 < "a"``: numbers by their exact decimal value, strings by code
  point. PostgreSQL would order any two ``jsonb`` values, and strings by its collation;
  SQLite and MariaDB would compare text;
* ``iexact``, ``icontains``, ``startswith``, ``istartswith``, ``endswith``, ``iendswith``:
  string values only (a number does not match by its digits);
* ``contains``/``contained_by``: PostgreSQL's ``jsonb`` containment (``json_paths.contains``).
  SQLite answers it with ``json_lookup``; MariaDB's ``JSON_CONTAINS`` answers otherwise
  (``[1, [2, 3]]`` contains ``[2]``, ``{"a": [1, 2]}`` contains ``{"a": 1}``), so there they
  raise ``FieldError``;
* ``has_key``, ``has_keys``, ``has_any_keys``: keys of an object (PostgreSQL's ``?`` would also
  find a string element of an array).

Every condition is true or false, never unknown, so ``exclude`` is the complement of
``filter``. On the whole field, lookups other than these (and the whole-field ``exact``,
``in``, ``isnull`` of ``orm.json_lookups``) raise ``FieldError``: they compared text on
SQLite and MariaDB and ``jsonb`` on PostgreSQL.

How: SQLite calls ``json_lookup`` (ferrule's connections carry it). PostgreSQL reads the value
with ``jsonb_path_query_first`` and a strict ``jsonpath`` (bound), and compares ``jsonb`` (exact
``numeric``) or its text ``COLLATE "C"``. MariaDB reads it with ``JSON_EXTRACT`` (path bound;
it matches a key by its escaped text, so a key is found in JSON text that escapes it as
ferrule writes it),
checks that each indexed step is an array (``$[0]`` of an object is the object there), and
compares numbers as doubles, breaking ties exactly through ``DECIMAL(65,30)``; a number of
10**34 or more is refused there, where that is no longer exact.
"""

from __future__ import annotations

import decimal
import difflib
import json
import math
from typing import Any

from ferrule import sql
from ferrule.backends import json_text
from ferrule.backends.json_text import dumps
from ferrule.backends.params import held
from ferrule.errors import FieldError
from ferrule.orm.expressions import shown
from ferrule.orm.json_lookups import mariadb_equal
from ferrule.orm.options import did_you_mean

__all__ = ["KEY_LOOKUPS", "KeyPath", "Read", "condition", "read", "resolve"]

_ORDER = ("gt", "gte", "lt", "lte")
_TEXT = ("iexact", "icontains", "startswith", "istartswith", "endswith", "iendswith")
_KEYS = ("has_key", "has_keys", "has_any_keys")
_WHOLE = ("contains", "contained_by", *_KEYS)
#: the lookups after a key or index
KEY_LOOKUPS = ("exact", "in", "isnull", *_ORDER, *_TEXT, *_WHOLE)
#: numbers MariaDB compares exactly (doubles, ties through DECIMAL(65,30))
_MARIADB_LIMIT = 10**34
_DEPTH = 200
#: how close (difflib's ratio) a last part must be to a lookup name to be refused as a typo
_TYPO = 0.85


class KeyPath:
    """A JSON column and a path into its value: keys (str) and indexes (int)."""

    __slots__ = ("column", "path")

    def __init__(self, column: Any, path: tuple[str | int, ...]) -> None:
        self.column = column
        self.path = path


def resolve(
    expr: Any, rest: list[str], name: str, model: str, known: tuple[str, ...]
) -> tuple[Any, str]:
    """``(expression, lookup)`` for the parts after a JSON field; ``known`` is every lookup
    and transform name of the other fields. The whole field's ``exact``/``in``/``isnull``
    come back as the column itself."""
    *steps, last = rest
    if last in KEY_LOOKUPS:
        lookup = last
    elif last in known:
        raise FieldError(
            f"{model}: {name!r}: {last!r} is not a lookup of a JSON field (lookups: "
            f"{', '.join(KEY_LOOKUPS)}; end the name with __exact to compare a key {last!r})"
        )
    else:
        # a key may be any word: only a near miss of a long lookup name is taken for a typo
        close = difflib.get_close_matches(last, KEY_LOOKUPS, n=1, cutoff=_TYPO)
        if close and len(last) >= 5:
            hint = did_you_mean(last, close)
            raise FieldError(
                f"{model}: {name!r}: {last!r} is not a lookup{hint} (end the name with "
                f"__exact to compare a key {last!r})"
            )
        steps.append(last)
        lookup = "exact"
    if not steps and lookup in ("exact", "in", "isnull"):
        return expr, lookup
    path = tuple(int(s) if s.isascii() and s.isdigit() else s for s in steps)
    return KeyPath(expr, path), lookup


class Read:
    """How ``values()`` loads a value read inside JSON field ``column``: as the column's
    storage loads it (plain JSON, whatever type the field's whole value has), except on
    SQLite, where the backend decodes a JSON column by its declared type, which an
    expression has not."""

    __slots__ = ("column",)

    def __init__(self, column: Any) -> None:
        self.column = column

    def converters(self, dialect: str) -> tuple[Any, Any]:
        if dialect == "sqlite":
            return None, json_text.loads
        return self.column.stored_converters(dialect)  # type: ignore[no-any-return]


def read(dialect: str, expr: Any, rest: list[str], name: str, model: str, selecting: bool) -> Any:
    """For ``values("data__owner")`` (``selecting``): the JSON value at the path, SQL NULL
    where there is none (read as None, as JSON ``null`` is). Anything else (``order_by``,
    ``F``, aggregates) is a ``FieldError``: the databases order JSON values their own ways."""
    if not selecting:
        raise FieldError(
            f"{model}: {name!r}: a key inside a JSON field can be filtered on and read by "
            "values(), not ordered by or computed with (the databases order JSON values "
            "differently)"
        )
    path = tuple(int(s) if s.isascii() and s.isdigit() else s for s in rest)
    found = KeyPath(expr, path)
    if dialect == "sqlite":
        return sql.func.json_value_at(expr, json.dumps(list(path), ensure_ascii=False))
    if dialect == "postgres":
        return _pg_at(found)
    if dialect == "mysql":
        at, guards = _my_at(found)
        return sql.case((sql.and_(*guards), at)) if guards else at
    raise FieldError(f"{model}: {name}: reading inside JSON is not written for {dialect}")


def condition(dialect: str, found: KeyPath, lookup: str, value: Any, name: str, model: str) -> Any:
    """The condition ``lookup`` with ``value`` at ``found`` (always true or false)."""
    argument = _argument(lookup, value, name, model)
    if lookup == "in" and not argument:  # one of no value: false for every row
        return sql.raw("1 = 0")
    if dialect == "sqlite":
        test = sql.func.json_lookup(
            found.column, json.dumps(list(found.path), ensure_ascii=False), lookup, dumps(argument)
        )
        return test == 1
    if dialect == "postgres":
        test = _postgres(found, lookup, argument)
    elif dialect == "mysql":
        test = _mariadb(found, lookup, argument, name, model)
    else:
        raise FieldError(f"{model}: {name}: lookups inside JSON are not written for {dialect}")
    return sql.func.coalesce(test, sql.raw("FALSE"))


# -- values ---------------------------------------------------------------------------------


def _argument(lookup: str, value: Any, name: str, model: str) -> Any:
    """``value`` checked for ``lookup``, as plain JSON data."""
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise FieldError(f"{model}: {name} takes True or False, not {shown(value)}")
        return bool(value)
    if lookup in ("exact", "contains", "contained_by"):
        return _plain(value, name, model, 0)
    if lookup == "in":
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
            raise FieldError(f"{model}: {name} needs a list of values, not {shown(value)}")
        return [_plain(v, name, model, 0) for v in held(value) or ()]
    if lookup in _ORDER:
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _plain(value, name, model, 0)
        raise FieldError(f"{model}: {name} compares with a number or a string, not {shown(value)}")
    if lookup in _TEXT:
        if not isinstance(value, str):
            raise FieldError(f"{model}: {name} needs a string, not {shown(value)}")
        return str.__str__(value)
    if lookup == "has_key":
        if not isinstance(value, str):
            raise FieldError(f"{model}: {name} needs a key (a str), not {shown(value)}")
        return str.__str__(value)
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise FieldError(f"{model}: {name} needs a list of keys, not {shown(value)}")
    keys = held(value) or []
    if not keys or not all(isinstance(k, str) for k in keys):
        raise FieldError(f"{model}: {name} needs one or more keys (str), not {shown(value)}")
    return [str.__str__(k) for k in keys]


def _plain(value: Any, name: str, model: str, depth: int) -> Any:
    """``value`` as plain JSON data (its subclasses' dunders not trusted), or FieldError."""
    if depth > _DEPTH:
        raise FieldError(f"{model}: {name}: the value nests deeper than {_DEPTH} levels")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        number = float.__float__(value)
        if not math.isfinite(number):
            raise FieldError(f"{model}: {name}: JSON has no NaN or Infinity ({number!r})")
        return number
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v, name, model, depth + 1) for v in held(value) or ()]
    if isinstance(value, dict):
        out = {}
        for key, item in list(dict.items(value)):
            if not isinstance(key, str):
                raise FieldError(
                    f"{model}: {name}: a JSON object's keys are strings, not {shown(key)}"
                )
            out[str.__str__(key)] = _plain(item, name, model, depth + 1)
        return out
    raise FieldError(f"{model}: {name}: {shown(value)} is not a JSON value")


# -- PostgreSQL -----------------------------------------------------------------------------


def _jsonpath(path: tuple[str | int, ...]) -> str:
    """A strict jsonpath (an index of an object, a key of an array: nothing)."""
    steps = [f"[{p}]" if isinstance(p, int) else "." + json.dumps(p) for p in path]
    return "strict $" + "".join(steps)


def _pg_at(found: KeyPath, extra: tuple[str | int, ...] = ()) -> Any:
    path = found.path + extra
    if not path:
        return found.column
    if any(isinstance(p, str) and "\x00" in p for p in path):
        return sql.raw("CAST(NULL AS jsonb)")  # jsonb holds no NUL: nothing is there
    return sql.raw(
        "jsonb_path_query_first(?, CAST(? AS jsonpath), CAST('{}' AS jsonb), TRUE)",
        found.column,
        _jsonpath(path),
    )


def _pg_json(value: Any) -> Any:
    """``value`` as a ``jsonb`` parameter (the backend's codec writes it with
    ``json_text.dumps_positional``); JSON ``null`` written out, as a bound None is SQL NULL."""
    if value is None:
        return sql.raw("CAST('null' AS jsonb)")
    return sql.raw("CAST(? AS jsonb)", value)


def _postgres(found: KeyPath, lookup: str, argument: Any) -> Any:
    if lookup in _KEYS:
        keys = [argument] if lookup == "has_key" else argument
        tests = [_pg_at(found, (k,)).is_not(None) for k in keys]
        return sql.or_(*tests) if lookup == "has_any_keys" else sql.and_(*tests)
    at = _pg_at(found)
    if lookup == "isnull":
        return at.is_(None) if argument else at.is_not(None)
    if lookup == "exact":
        return at == _pg_json(argument)
    if lookup == "in":
        return at.in_([_pg_json(v) for v in argument])
    if lookup == "contains":
        return sql.raw("? @> ?", at, _pg_json(argument))
    if lookup == "contained_by":
        return sql.raw("? <@ ?", at, _pg_json(argument))
    kind = "string" if isinstance(argument, str) else "number"
    typed = sql.func.jsonb_typeof(at) == kind
    if lookup in _ORDER and kind == "number":  # jsonb orders numbers by their numeric value
        return sql.and_(typed, _compare(lookup, at, _pg_json(argument)))
    text = sql.raw("(? #>> '{}')", at)
    if lookup in _ORDER:
        return sql.and_(typed, _compare(lookup, sql.raw('? COLLATE "C"', text), argument))
    return sql.and_(typed, _like(text, lookup, argument))


def _compare(lookup: str, left: Any, right: Any) -> Any:
    if lookup == "gt":
        return left > right
    if lookup == "gte":
        return left >= right
    if lookup == "lt":
        return left < right
    return left <= right


def _like(text: Any, lookup: str, argument: str) -> Any:
    escaped = sql.like_escape(argument, "!")
    kind = lookup.removeprefix("i")
    pattern = {
        "exact": escaped,
        "contains": f"%{escaped}%",
        "startswith": f"{escaped}%",
        "endswith": f"%{escaped}",
    }[kind]
    if lookup.startswith("i"):
        return text.ilike(pattern, escape="!")
    return text.like(pattern, escape="!")


# -- MariaDB --------------------------------------------------------------------------------


def _mariadb_path(path: tuple[str | int, ...]) -> str:
    """A MariaDB JSON path. MariaDB matches a key by its escaped text as the stored JSON
    writes it (``"\\u00e9"`` is not ``"é"``), so a key is written as ferrule writes keys
    (``json_text.dumps``: ``\\"``, ``\\\\``, ``\\n``..., other characters as they are)."""
    steps = []
    for part in path:
        if isinstance(part, int):
            steps.append(f"[{part}]")
        elif part.startswith("-"):  # MariaDB's path parser finds no such quoted key: NULL
            raise FieldError(
                f"MariaDB's JSON paths cannot name the key {part!r} (a key starting with '-'"
                " reads as absent there, whatever the value holds): rename the key"
            )
        else:
            steps.append("." + json.dumps(part, ensure_ascii=False))
    return "$" + "".join(steps)


def _my_at(found: KeyPath, extra: tuple[str | int, ...] = ()) -> tuple[Any, list[Any]]:
    """The value at the path (JSON text, NULL if none) and the conditions that each indexed
    step reads an array (MariaDB's ``$[0]`` of anything else is that thing)."""
    path = found.path + extra
    if not path:
        return found.column, []
    guards = [
        sql.func.json_type(sql.func.json_extract(found.column, _mariadb_path(path[:i]))) == "ARRAY"
        for i, part in enumerate(path)
        if isinstance(part, int)
    ]
    return sql.func.json_extract(found.column, _mariadb_path(path)), guards


def _mariadb(found: KeyPath, lookup: str, argument: Any, name: str, model: str) -> Any:
    if lookup in ("contains", "contained_by"):
        raise FieldError(
            f"{model}: {name}: MariaDB's JSON_CONTAINS does not answer as PostgreSQL's jsonb "
            "containment (it finds [2] in [1, [2, 3]] and {'a': 1} in {'a': [1, 2]}), so "
            "contains and contained_by on JSON are refused on MariaDB"
        )
    if lookup in _KEYS:
        keys = [argument] if lookup == "has_key" else argument
        tests = []
        for key in keys:
            at, guards = _my_at(found, (key,))
            tests.append(sql.and_(*guards, at.is_not(None)))
        return sql.or_(*tests) if lookup == "has_any_keys" else sql.and_(*tests)
    at, guards = _my_at(found)
    if lookup == "isnull":
        present = sql.and_(*guards, at.is_not(None))
        return sql.not_(present) if argument else present
    if lookup in ("exact", "in"):
        values = [argument] if lookup == "exact" else argument
        same = [mariadb_equal(at, dumps(v)) for v in values]
        return sql.and_(*guards, at.is_not(None), sql.or_(*same))
    if isinstance(argument, str):
        text = sql.func.json_unquote(at)
        typed = sql.func.json_type(at) == "STRING"
        if lookup in _ORDER:
            test = _compare(lookup, sql.raw("? COLLATE utf8mb4_bin", text), argument)
        else:
            test = _like(text, lookup, argument)
        return sql.and_(*guards, typed, test)
    return sql.and_(*guards, _mariadb_number(at, lookup, argument, name, model))


def _mariadb_number(at: Any, lookup: str, number: int | float, name: str, model: str) -> Any:
    """``at`` (a JSON number) against ``number``: as doubles, which order numbers up to their
    rounding; equal doubles of unequal values (ints past 2**53) ordered as DECIMAL(65,30), exact
    for the 35 integer digits below the limit."""
    if abs(number) >= _MARIADB_LIMIT:
        raise FieldError(
            f"{model}: {name}: MariaDB compares JSON numbers exactly below 10**34 only, not "
            f"{number!r}"
        )
    text = repr(number) if isinstance(number, float) else str(number)
    value = sql.func.json_unquote(at)
    left, right = sql.cast(value, "double"), sql.cast(sql.literal(text), "double")
    exact = sql.raw("CAST(? AS DECIMAL(65,30))", value)
    wanted = sql.raw("CAST(? AS DECIMAL(65,30))", str(decimal.Decimal(text)))
    typed = sql.func.json_type(at).in_(["INTEGER", "DOUBLE"])
    same = mariadb_equal(at, text)
    beyond = left > right if lookup.startswith("g") else left < right
    tie = sql.and_(left == right, _compare(lookup, exact, wanted))
    if lookup in ("gt", "lt"):  # an equal value is no match, whatever DECIMAL says
        tie = sql.and_(tie, sql.not_(same))
    else:  # an equal value matches, whatever DECIMAL says
        tie = sql.or_(sql.and_(left == right, same), tie)
    return sql.and_(typed, sql.or_(beyond, tie))
