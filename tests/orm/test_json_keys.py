"""Querying inside a JSON field (``data__owner__name="x"``, ``data__items__0``, ``has_key``,
``contains``) gives one answer on SQLite, PostgreSQL and MariaDB: the answer computed here in
Python over the stored documents, by the rules written out in `_get` and `_matches`:

* a path part of ASCII digits is an array index (only into an array); any other part is an
  object key (only into an object), whatever characters it holds;
* ``exact`` compares JSON values (``1 == 1.0 == 1e0``, ``true`` is not ``1``); ``None`` is JSON
  ``null``; ``isnull=True`` means nothing is at the path (the row's value is SQL NULL, the key
  is absent, or the index is past the end);
* ``gt``/``gte``/``lt``/``lte`` take a number or a string and match only values of the same kind
  (Python refuses ``1 < "a"``; a row holding another kind is not a match): numbers by their
  exact decimal value, strings by code point; the string lookups match string values only;
* ``contains``/``contained_by`` follow PostgreSQL's ``jsonb`` containment; MariaDB's
  ``JSON_CONTAINS`` answers otherwise, so there they raise ``FieldError``;
* ``has_key``/``has_keys``/``has_any_keys`` are the keys of an object (not array elements).

A lookup on the whole field other than ``exact``, ``in``, ``isnull`` and those above raises
``FieldError``: the three databases compared their own ways (text or ``jsonb``) before.
"""

from __future__ import annotations

import decimal
import math
from typing import Any

import pytest

from ferrule import errors, orm

from .conftest import opened
from .models import Everything

DOCS: list[Any] = [
    {"owner": {"name": "x", "age": 3}, "items": [1, "two", {"k": 3}], "n": 1, "s": "abc"},
    {"owner": {"name": "y", "tags": ["a", "b"]}, "items": [], "n": 1.0, "s": "ABC"},
    {"owner": None, "n": 10**20, "s": "abd", "items": [[1, 2], None]},
    {"n": 1e20, "s": "é", "é": "ü", 'a"b': 1, "a.b": 2, "0": "zero", "a\\b": 3, "$[0]": 4},
    {"n": True, "s": 5, "items": {"0": "obj", "1": 1}},
    {"n": "5", "s": "Éa", "items": [2.5, 1e-7]},
    {"n": -2.5, "s": "", "owner": {"name": "X"}},
    {"n": None, "s": None},
    {"n": 2**53 + 1, "s": "ab%_"},
    {"n": 2**53, "t\tab\n": "ctl", "s": "ab"},
    [1, 2, {"n": 3}, "owner"],
    ["a", ["b", 1]],
    "plain",
    7,
    None,  # SQL NULL
]

MISSING = object()


def _get(doc: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in ``doc``, or MISSING."""
    if doc is None:
        return MISSING
    for part in path:
        if part.isascii() and part.isdigit():
            if not isinstance(doc, list) or int(part) >= len(doc):
                return MISSING
            doc = doc[int(part)]
        elif isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            return MISSING
    return doc


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tagged(value: Any) -> Any:
    """Python's == on the result is JSON equality (``true`` is not ``1``)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    return value


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _contains(a: Any, b: Any, top: bool = True) -> bool:
    """PostgreSQL's documented ``jsonb @>`` (checked against PostgreSQL below)."""
    if isinstance(b, dict):
        return isinstance(a, dict) and all(
            k in a and _value_contains(a[k], v) for k, v in b.items()
        )
    if isinstance(b, list):
        return isinstance(a, list) and all(_element_in(a, e) for e in b)
    if top and isinstance(a, list):  # a top-level array contains a scalar it holds
        return any(_scalar(x) and _tagged(x) == _tagged(b) for x in a)
    return _scalar(a) and _tagged(a) == _tagged(b)


def _value_contains(a: Any, b: Any) -> bool:
    if _scalar(a) or _scalar(b):
        return _scalar(a) and _scalar(b) and _tagged(a) == _tagged(b)
    return type(a) is type(b) and _contains(a, b, top=False)


def _element_in(array: list[Any], e: Any) -> bool:
    if _scalar(e):
        return any(_scalar(x) and _tagged(x) == _tagged(e) for x in array)
    return any(type(x) is type(e) and _contains(x, e, top=False) for x in array)


def _matches(doc: Any, path: tuple[str, ...], lookup: str, value: Any) -> bool:
    """The reference answer for one document."""
    if lookup in ("has_key", "has_keys", "has_any_keys"):
        at = _get(doc, path)
        keys = [value] if lookup == "has_key" else value
        found = [isinstance(at, dict) and k in at for k in keys]
        return any(found) if lookup == "has_any_keys" else all(found)
    at = _get(doc, path)
    if lookup == "isnull":
        return (at is MISSING) is value
    if at is MISSING:
        return False
    if lookup == "exact":
        return _tagged(at) == _tagged(value)
    if lookup == "in":
        return any(_tagged(at) == _tagged(v) for v in value)
    if lookup in ("gt", "gte", "lt", "lte"):
        same = (_number(at) and _number(value)) or (isinstance(at, str) and isinstance(value, str))
        if not same:
            return False
        left, right = _tagged(at), _tagged(value)
        return {
            "gt": left > right,
            "gte": left >= right,
            "lt": left < right,
            "lte": left <= right,
        }[lookup]
    if lookup == "contains":
        return _contains(at, value)
    if lookup == "contained_by":
        return _contains(value, at)
    if not isinstance(at, str):
        return False
    text, want = (at.lower(), value.lower()) if lookup.startswith("i") else (at, value)
    return {
        "exact": text == want,
        "contains": want in text,
        "startswith": text.startswith(want),
        "endswith": text.endswith(want),
    }[lookup.removeprefix("i")]


async def _stored() -> dict[int, Any]:
    made = {}
    for doc in DOCS:
        made[(await Everything.create(data=doc)).id] = doc
    return made


async def _check(made: dict[int, Any], name: str, path: tuple[str, ...], lookup: str, value: Any):
    want = sorted(i for i, doc in made.items() if _matches(doc, path, lookup, value))
    got = sorted(
        await Everything.filter(**{name: value}).order_by("id").values_list("id", flat=True)
    )
    assert got == want, (name, value, [made[i] for i in got], [made[i] for i in want])
    left = sorted(await Everything.exclude(**{name: value}).values_list("id", flat=True))
    assert left == sorted(set(made) - set(want)), (name, "exclude", value)


def _name(path: tuple[str, ...], lookup: str | None) -> str:
    return "__".join(("data", *path, *([lookup] if lookup else [])))


#: (path, value) compared with exact (by JSON value)
EXACT = [
    (("owner", "name"), "x"),
    (("owner", "name"), "X"),
    (("n",), 1),
    (("n",), 1.0),
    (("n",), True),
    (("n",), 10**20),
    (("n",), 1e20),
    (("n",), "5"),
    (("n",), 5),
    (("n",), 2**53),
    (("n",), None),
    (("owner",), None),
    (("owner",), {"tags": ["a", "b"], "name": "y"}),
    (("items", "0"), 1),
    (("items", "0"), [1, 2]),
    (("items", "1"), None),
    (("items", "2", "k"), 3.0),
    (("items", "1", "1"), 1),
    (("items", "0", "1"), 2),
    (("1", "0"), "b"),
    (("3",), "owner"),
    (("0",), "zero"),  # an index: the object's key "0" is not reached
    (("é",), "ü"),
    (('a"b',), 1),
    (("a.b",), 2),
    (("a\\b",), 3),
    (("$[0]",), 4),
    (("t\tab\n",), "ctl"),
    (("a\x00",), 1),
    (("\u2028'; DROP TABLE x; --",), 1),
    (("s",), "é"),
    (("s",), 5),
]


@pytest.mark.parametrize(("path", "value"), EXACT, ids=repr)
async def test_exact_on_a_key_is_json_equality(url: str, path: tuple[str, ...], value: Any) -> None:
    async with opened(url):
        made = await _stored()
        await _check(made, _name(path, None), path, "exact", value)
        await _check(made, _name(path, "exact"), path, "exact", value)


@pytest.mark.parametrize(
    ("path", "values"),
    [(("n",), [1, "5", None]), (("s",), ["abc", 5]), (("owner", "name"), ["x", "y"])],
    ids=repr,
)
async def test_in_on_a_key(url: str, path: tuple[str, ...], values: list[Any]) -> None:
    async with opened(url):
        made = await _stored()
        await _check(made, _name(path, "in"), path, "in", values)


@pytest.mark.parametrize(
    "path",
    [
        ("owner",),
        ("n",),
        ("owner", "name"),
        ("items", "1"),
        ("items", "0", "0"),
        ("0",),
        ("a\x00",),
    ],
)
async def test_isnull_on_a_key_means_nothing_there(url: str, path: tuple[str, ...]) -> None:
    async with opened(url):
        made = await _stored()
        for value in (True, False):
            await _check(made, _name(path, "isnull"), path, "isnull", value)


COMPARED = [1, 1.0, 0, -2.5, 10**20, 1e20, 2**53, 2**53 + 1, 1e-7, "abc", "ab", "é", "", "5"]


@pytest.mark.parametrize("lookup", ["gt", "gte", "lt", "lte"])
@pytest.mark.parametrize("value", COMPARED, ids=repr)
async def test_order_compares_like_kinds_only(url: str, lookup: str, value: Any) -> None:
    async with opened(url):
        made = await _stored()
        await _check(made, _name(("n",), lookup), ("n",), lookup, value)
        await _check(made, _name(("s",), lookup), ("s",), lookup, value)
        # the whole value: before, text on SQLite and MariaDB, any jsonb on PostgreSQL
        await _check(made, _name((), lookup), (), lookup, value)


@pytest.mark.parametrize(
    "lookup", ["iexact", "icontains", "startswith", "istartswith", "endswith", "iendswith"]
)
@pytest.mark.parametrize("value", ["ab", "AB", "é", "É", "%", "_", "c", "5", ""], ids=repr)
async def test_string_lookups_on_string_values(url: str, lookup: str, value: str) -> None:
    async with opened(url):
        made = await _stored()
        await _check(made, _name(("s",), lookup), ("s",), lookup, value)
        await _check(made, _name(("owner", "name"), lookup), ("owner", "name"), lookup, value)
        await _check(made, _name((), lookup), (), lookup, value)


@pytest.mark.parametrize(
    ("lookup", "value"),
    [
        ("has_key", "owner"),
        ("has_key", "0"),
        ("has_key", 'a"b'),
        ("has_key", "é"),
        ("has_keys", ["n", "s"]),
        ("has_keys", ["n", "owner"]),
        ("has_any_keys", ["owner", "é"]),
    ],
    ids=repr,
)
async def test_has_key(url: str, lookup: str, value: Any) -> None:
    async with opened(url):
        made = await _stored()
        await _check(made, _name((), lookup), (), lookup, value)
        await _check(made, _name(("owner",), lookup), ("owner",), lookup, value)


CONTAINED = [
    {"n": 1},
    {"n": 1.0},
    {"n": True},
    {"owner": {"name": "y"}},
    {"owner": {}},
    {"owner": {"tags": ["b"]}},
    {"items": [1]},
    {"items": [[2]]},
    {"items": [2]},
    {},
    [],
    [1],
    [["b"]],
    ["b"],
    [{"n": 3.0}],
    1,
    7,
    "plain",
    "owner",
    None,
]


@pytest.mark.parametrize("value", CONTAINED, ids=repr)
async def test_contains_is_jsonb_containment(url: str, value: Any) -> None:
    async with opened(url) as db:
        made = await _stored()
        if db.dialect == "mysql":
            for lookup in ("contains", "contained_by"):
                with pytest.raises(errors.FieldError, match="MariaDB"):
                    await Everything.filter(**{f"data__{lookup}": value}).count()
            return
        await _check(made, "data__contains", (), "contains", value)
        await _check(made, "data__contained_by", (), "contained_by", value)
        await _check(made, "data__owner__contains", ("owner",), "contains", value)


@pytest.mark.parametrize(
    "name",
    [
        "data__regex",
        "data__iregex",
        "data__range",
        "data__n__regex",
        "data__n__range",
        "data__n__iregex",
        "data__owner__name__year",
    ],
)
async def test_lookups_without_one_answer_are_refused(url: str, name: str) -> None:
    """No rule gives these one answer; before, they compared text on SQLite and MariaDB."""
    async with opened(url):
        await _stored()
        value: Any = ("a", "b") if name.endswith("range") else "a"
        with pytest.raises(errors.FieldError, match="JSON"):
            await Everything.filter(**{name: value}).count()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("data__n__gt", math.nan),
        ("data__n__gt", math.inf),
        ("data__n__gt", None),
        ("data__n__gt", [1]),
        ("data__n__gt", True),
        ("data__n", math.nan),
        ("data__n__in", "ab"),
        ("data__n__isnull", 1),
        ("data__has_key", 1),
        ("data__has_keys", "ab"),
        ("data__has_keys", [1]),
        ("data__has_any_keys", None),
        ("data__has_any_keys", []),
        ("data__has_keys", []),
        ("data__s__icontains", 5),
        ("data__contains", {1: 2}),
        ("data__contains", math.nan),
    ],
    ids=repr,
)
async def test_bad_values_are_typed_errors(url: str, name: str, value: Any) -> None:
    async with opened(url) as db:
        if db.dialect == "mysql" and name == "data__contains":
            pass  # refused either way
        with pytest.raises((errors.FieldError, errors.InterfaceError)):
            await Everything.filter(**{name: value}).count()


async def test_a_lookup_name_that_is_not_for_json_says_so(url: str) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError, match="did you mean 'has_key'"):
            await Everything.filter(data__has_kye="a").count()
        with pytest.raises(errors.FieldError, match="year"):
            await Everything.filter(data__n__year=2020).count()


def _same(got: Any, want: Any) -> bool:
    """Equal, and of the same types throughout (a float as the same float)."""
    if type(got) is not type(want):
        return False
    if isinstance(want, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return len(got) == len(want) and all(map(_same, got, want))
    return bool(got == want)


@pytest.mark.parametrize(
    "path", [("n",), ("owner",), ("owner", "name"), ("items", "0"), ("items",), ("é",), ("2",)]
)
async def test_values_reads_the_value_at_a_path(url: str, path: tuple[str, ...]) -> None:
    """None where there is nothing, as for JSON null (as Django reads it)."""
    async with opened(url):
        made = await _stored()
        name = _name(path, None)
        rows = await Everything.all().order_by("id").values_list("id", name)
        assert [i for i, _ in rows] == sorted(made)
        for i, got in rows:
            want = _get(made[i], path)
            want = None if want is MISSING else want
            assert _same(got, want), (path, made[i], got)
        dicts = await Everything.filter(id=min(made)).values(name)
        assert list(dicts[0]) == [name]


@pytest.mark.parametrize("call", ["order_by", "F", "annotate"])
async def test_keys_are_not_ordered_or_computed(url: str, call: str) -> None:
    """PostgreSQL orders jsonb values, SQLite and MariaDB JSON text: no one order."""
    async with opened(url):
        await _stored()
        with pytest.raises(errors.FieldError, match="values"):
            if call == "order_by":
                await Everything.all().order_by("data__n").count()
                await Everything.all().order_by("-data__n").values_list("id")
            elif call == "F":
                await Everything.filter(code=orm.F("data__s")).count()
            else:
                await Everything.all().annotate(m=orm.Max("data__n")).values_list("m")


def test_the_reference_agrees_with_jsonb_documentation() -> None:
    """The examples of PostgreSQL's documentation (section 8.14.3), and what PostgreSQL 15
    answered for the others."""
    assert _contains(["foo", "bar", "baz"], ["bar"])
    assert _contains(["foo", "bar"], "foo")
    assert not _contains({"a": [1, 2]}, {"a": 1})
    assert not _contains([1, 2, [1, 3]], [1, 3])
    assert _contains([1, 2, [1, 3]], [[1, 3]])
    assert not _contains({"foo": {"bar": "baz"}}, {"bar": "baz"})
    assert _contains({"a": {"b": 1, "c": 2}}, {"a": {}})
    assert not _contains(1, [1]) and not _contains("a", ["a"]) and _contains(1, 1.0)
    assert not _contains([1], True) and not _contains({}, [])
    assert _get({"0": 1}, ("0",)) is MISSING and _get([5], ("0",)) == 5


class Typed(orm.Model):
    """A JSON field typed as a dict, as users write it: a key's value is no dict."""

    id: int = orm.Field(primary_key=True)
    data: dict[str, Any] = orm.JSONField(default=dict)

    class Meta:
        table = "ormt_json_typed"


_TYPED_DOCS: list[dict[str, Any]] = [{"k": 2, "s": "b"}, {"k": 1, "s": "a"}, {"k": "a"}, {}]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("data__k", 1),
        ("data__k__gte", 1),
        ("data__k__lt", 2),
        ("data__k__exact", "a"),
        ("data__s__startswith", "a"),
        ("data__k__in", [1, 2]),
        ("data__has_key", "s"),
        ("data__has_keys", ["k", "s"]),
        ("data__k__isnull", True),
    ],
)
async def test_keys_of_a_field_typed_as_a_dict(url: str, name: str, value: Any) -> None:
    """The value given for a key (or a key's name) is not checked as the field's own type: a
    field declared ``dict[str, Any]`` is filtered, counted, got and excluded by key as an
    untyped one is (the statement-shape caches once took the value for a whole document)."""
    async with opened(url):
        await orm.drop_tables(Typed, if_exists=True)
        await orm.create_tables(Typed)
        try:
            made = [await Typed.create(data=doc) for doc in _TYPED_DOCS]
            path, _, lookup = name.removeprefix("data__").partition("__")
            if path.startswith("has_"):
                path, lookup = "", path
            expected = sorted(
                m.id
                for m, doc in zip(made, _TYPED_DOCS, strict=True)
                if _typed(doc, path, lookup, value)
            )
            for _ in range(2):  # the second time through the cached shapes
                got = await Typed.filter(**{name: value}).values_list("id", flat=True)
                assert sorted(got) == expected
                assert await Typed.filter(**{name: value}).count() == len(expected)
                left = await Typed.exclude(**{name: value}).values_list("id", flat=True)
                assert sorted(left) == sorted(set(m.id for m in made) - set(expected))
                if len(expected) == 1:
                    assert (await Typed.get(**{name: value})).id == expected[0]
        finally:
            await orm.drop_tables(Typed)


def _typed(doc: dict[str, Any], key: str, lookup: str, value: Any) -> bool:
    """The reference for `test_keys_of_a_field_typed_as_a_dict`'s lookups."""
    if lookup == "has_key":
        return value in doc
    if lookup == "has_keys":
        return all(v in doc for v in value)
    found = doc.get(key, MISSING)
    if lookup == "isnull":
        return (found is MISSING) == value
    if found is MISSING:
        return False
    if lookup in ("", "exact"):
        return type(found) is type(value) and found == value
    if lookup == "in":
        return any(type(found) is type(v) and found == v for v in value)
    if lookup == "startswith":
        return isinstance(found, str) and found.startswith(value)
    same = type(found) is type(value)
    return same and {"gte": found >= value, "lt": found < value}[lookup]
