"""Private attributes (`PrivateAttr`, underscore-named annotations) and `model_post_init`:
per-instance defaults set after validation and before ``model_post_init``, writable, never
validated, dumped or in the JSON Schema; kept by copies and pickles; compared by ``==``, as in
pydantic. Run on both cores (the suite runs again with ``FERRULE_PURE_PYTHON=1``)."""

from __future__ import annotations

import copy
import itertools
import json
import pickle
from typing import Any, ClassVar

import pytest

import ferrule
from ferrule import PrivateAttr
from ferrule.errors import SchemaError

_counter = itertools.count(1)


def _next() -> list[int]:
    return [next(_counter)]


class Job(ferrule.Model):
    x: int
    _a: int = PrivateAttr(default=1)
    _b: list[int] = PrivateAttr(default_factory=_next)
    _c: str = "plain"
    _d: int
    _tags: list[str] = []
    _seen: ClassVar[list[Any]] = []

    def model_post_init(self, context: Any, /) -> None:
        Job._seen.append((self._a, list(self._b), context))
        self._d = self.x * 2


PATHS = ["dict", "json", "init", "construct"]


def make(path: str, **data: Any) -> Job:
    if path == "dict":
        return Job.model_validate(data)
    if path == "json":
        return Job.model_validate_json(json.dumps(data))
    if path == "init":
        return Job(**data)
    return Job.model_construct(**data)


@pytest.mark.parametrize("path", PATHS)
def test_defaults_then_post_init(path: str) -> None:
    Job._seen.clear()
    job = make(path, x=3)
    assert (job._a, job._c, job._d, job._tags) == (1, "plain", 6, [])
    assert len(job._b) == 1
    assert Job._seen == [(1, job._b, None)]  # defaults are set before model_post_init


@pytest.mark.parametrize("path", PATHS)
def test_not_fields_not_dumped(path: str) -> None:
    job = make(path, x=3, _a=5)
    assert job._a == 1  # an input key is no way to set a private attribute
    assert list(Job.model_fields) == ["x"]
    assert job.model_dump() == {"x": 3}
    assert job.model_dump_json() == '{"x":3}'
    assert repr(job) == "Job(x=3)"


def test_factory_and_mutable_defaults_per_instance() -> None:
    one, two = Job(x=1), Job(x=1)
    assert one._b != two._b  # the factory ran for each
    one._tags.append("t")
    assert two._tags == []


def test_writable_unvalidated_and_deletable() -> None:
    job = Job(x=1)
    job._a = "anything"  # type: ignore[assignment]
    assert job._a == "anything"
    del job._a
    with pytest.raises(AttributeError):
        job._a  # noqa: B018
    with pytest.raises(AttributeError, match="_missing"):
        job._missing  # type: ignore[attr-defined]  # noqa: B018


def test_unset_without_default() -> None:
    class Bare(ferrule.Model):
        x: int
        _later: int

    with pytest.raises(AttributeError):
        Bare(x=1)._later  # noqa: B018


def test_equality_compares_private_values() -> None:
    class Plain(ferrule.Model):
        x: int = 0
        _p: int = 3

    assert Plain() == Plain()
    changed = Plain()
    changed._p = 4
    assert changed != Plain()


def test_copies_and_pickles_keep_private_values() -> None:
    job = Job(x=2)
    job._a = 9
    shallow = job.model_copy()
    assert (shallow._a, shallow._d) == (9, 4)
    assert shallow._b is job._b
    deep = copy.deepcopy(job)
    assert deep._b == job._b
    assert deep._b is not job._b
    again = pickle.loads(pickle.dumps(job))
    assert (again._a, again._b, again._d) == (9, job._b, 4)
    assert again == job


def test_inherited_and_listed() -> None:
    class More(Job):
        _e: int = 7

    more = More(x=1)
    assert (more._a, more._e, more._d) == (1, 7, 2)
    assert list(More.__private_attributes__) == ["_a", "_b", "_c", "_d", "_tags", "_e"]
    assert repr(Job.__private_attributes__["_a"]) == "ModelPrivateAttr(default=1)"


def test_json_schema_has_no_private_attributes() -> None:
    assert Job.model_json_schema() == {
        "title": "Job",
        "type": "object",
        "properties": {"x": {"title": "X", "type": "integer"}},
        "required": ["x"],
    }


def test_methods_classvars_and_unannotated_values() -> None:
    class Mixed(ferrule.Model):
        x: int = 0
        _plain = 5  # unannotated: a private default too, as in pydantic
        _shared: ClassVar[int] = 1

        def _helper(self) -> int:
            return self.x + 1

        @property
        def _prop(self) -> int:
            return 2

    mixed = Mixed()
    assert (mixed._plain, mixed._helper(), mixed._prop, Mixed._shared) == (5, 1, 2, 1)
    assert list(Mixed.__private_attributes__) == ["_plain"]


def test_refused_declarations() -> None:
    with pytest.raises(SchemaError, match="private attributes must not use valid field names"):

        class Bad(ferrule.Model):
            x: int = PrivateAttr()

    with pytest.raises(TypeError, match="cannot specify both default and default_factory"):
        PrivateAttr(default=1, default_factory=list)


def test_post_init_without_private_attributes_runs_on_construct() -> None:
    calls: list[Any] = []

    class Hooked(ferrule.Model):
        x: int

        def model_post_init(self, context: Any, /) -> None:
            calls.append(self.x)

    Hooked(x=1)
    Hooked.model_validate({"x": 2})
    Hooked.model_validate_json('{"x": 3}')
    Hooked.model_construct(x=4)
    assert calls == [1, 2, 3, 4]


def test_private_attributes_with_a_root_model_and_generics() -> None:
    from typing import Generic, TypeVar

    T = TypeVar("T")

    class Cached(ferrule.RootModel[list[int]]):
        _hits: int = 0

    cached = Cached.model_validate(["1"])
    cached._hits += 1
    assert (cached.root, cached._hits) == ([1], 1)

    class Box(ferrule.Model, Generic[T]):
        item: T
        _note: str = "n"

    assert Box[int](item="1")._note == "n"
