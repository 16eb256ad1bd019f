"""The native ``QuerySet.order_by``/``limit`` (``model.chain``, installed by
``orm.queryset``) against the Python methods they stand in for: for every kind of QuerySet
and argument, hostile ones included, both give the same QuerySet (member by member) or the
same error. Nothing here runs a query: these are the calls that build one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.orm import native_paths
from ferrule.orm.native_paths import PYTHON_CHAIN
from ferrule.orm.queryset import _STATE, QuerySet

from .models import Author

pytestmark = pytest.mark.skipif(
    not native_paths.NATIVE_CHAIN, reason="the native order_by/limit are not installed here"
)


class LyingName(str):
    """A str subclass that claims to be any name."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("name")


class LyingCount(int):
    def __index__(self) -> int:
        return 5


def querysets() -> list[tuple[str, Any]]:
    keyed = Author.filter(name__startswith="a")
    return [
        ("keyed", keyed),
        ("all", Author.all()),
        ("unkeyed", Author.filter(orm.Q(name="a") | orm.Q(name="b"))),
        ("ordered", keyed.order_by("-id")),
        ("limited", keyed.limit(4)),
        ("sliced", keyed[2:5]),
        ("offset", keyed.offset(3)),
        ("offset zero", keyed.offset(0)),
        ("empty", Author.none()),
        ("values", keyed.values("name")),
        ("plain", QuerySet(Author)),
    ]


CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    *(
        ("order_by", repr(name), (name,), {})
        for name in ("name", "-name", "id", "nope", "", "-", "--name", "?", LyingName("name"))
    ),
    ("order_by", "two names", ("name", "-id"), {}),
    ("order_by", "none", (), {}),
    ("order_by", "int", (5,), {}),
    ("order_by", "expression", (orm.F("name").desc(),), {}),
    ("order_by", "keyword", (), {"names": "name"}),
    *(
        ("limit", repr(count), (count,), {})
        for count in (0, 1, 10, 2**63 - 1, 2**63, -1, True, 3.0, None, "3", LyingCount(3))
    ),
    ("limit", "keyword", (), {"count": 3}),
    ("limit", "two", (1, 2), {}),
    ("limit", "none", (), {}),
]


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        out = call()
    except Exception as exc:  # the error itself is what is compared
        return "raised", (type(exc), str(exc))
    if not isinstance(out, QuerySet):
        return "returned", out
    return "queryset", (type(out), tuple(getattr(out, name, "<unset>") for name in _STATE))


@pytest.mark.parametrize(("method", "label", "args", "kwargs"), CALLS, ids=lambda v: str(v))
def test_native_and_python_methods_agree(
    method: str, label: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    python = dict(zip(("order_by", "limit"), PYTHON_CHAIN, strict=True))[method]
    native = QuerySet.__dict__[method]
    assert native is not python  # the native method is the one installed
    for name, qs in querysets():
        for _ in range(2):  # once before the Python method checked a name, once after
            got = outcome(lambda q=qs: native(q, *args, **kwargs))
            want = outcome(lambda q=qs: python(q, *args, **kwargs))
            assert got == want, (name, label)


def test_the_native_methods_refuse_what_is_no_queryset() -> None:
    for method in ("order_by", "limit"):
        with pytest.raises(TypeError):
            QuerySet.__dict__[method](object(), 1)


def test_a_chained_query_keys_its_calls_and_leaves_its_source_alone() -> None:
    source = Author.filter(name="a")
    before = tuple(getattr(source, name) for name in _STATE)
    ordered = source.order_by("name")
    ordered = source.order_by("name")  # the second time: the native fast path
    limited = ordered.limit(7)
    assert tuple(getattr(source, name) for name in _STATE) == before
    assert ordered._order == ("name",) and ordered._limit is None
    assert limited._limit == 7 and limited._order == ("name",)
    assert limited._key == (*source._key, "o", ("name",), "l", 7)
    assert Author.filter(orm.Q(name="a")).order_by("name").limit(2)._key is None


def _shape(qs: Any) -> tuple[Any, ...]:
    """A QuerySet's members, its ``Q`` conditions read out (each call makes new ones)."""
    where = tuple((type(q), list(q.children), q.connector, q.negated, q._depth) for q in qs._where)
    return (type(qs), where, *(getattr(qs, n) for n in _STATE if n != "_where"))


def _made(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "made", _shape(call())
    except Exception as exc:  # the error itself is what is compared
        return "raised", (type(exc), str(exc))


FILTERS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("one name", (), {"name": "a"}),
    ("two names, given unsorted", (), {"name": "a", "id__gte": 3}),
    ("three names", (), {"name__startswith": "a", "id__lt": 9, "born__isnull": True}),
    ("an __in list", (), {"id__in": [1, 2]}),
    ("an __in tuple", (), {"id__in": (1, 2, 3)}),
    ("a Q", (orm.Q(name="a"),), {}),
    ("a Q and a name", (orm.Q(name="a"),), {"id": 1}),
    ("nothing", (), {}),
    ("no such field", (), {"nope": 1}),
    ("a hostile value", (), {"name": LyingName("x")}),
    ("not a condition", (5,), {}),
    ("a lying name", (), {LyingName("name"): "a"}),
]


@pytest.mark.parametrize(("label", "args", "kwargs"), FILTERS, ids=lambda v: str(v))
def test_native_and_python_filter_agree(
    label: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    from ferrule.orm import native_paths as queries

    if not queries.NATIVE_FILTER:
        pytest.skip("the native Model.filter is not installed here")
    assert queries.PYTHON_FILTER is not Author.filter
    for _ in range(2):  # the first call may meet its names; the second runs the native path
        got = _made(lambda: Author.filter(*args, **kwargs))
        want = _made(lambda: queries.PYTHON_FILTER(Author, *args, **kwargs))
        assert got == want, label


def test_native_filter_follows_a_change_of_the_models_options() -> None:
    """A model's QuerySets carry its options as they are when made (``queryset.fresh``)."""
    options = Author._meta.options
    assert Author.filter(name="a")._validate is options.validate
    before = options.validate
    try:
        options.validate = not before
        assert Author.filter(name="a")._validate is (not before)
    finally:
        options.validate = before
    assert Author.filter(name="a")._validate is before
