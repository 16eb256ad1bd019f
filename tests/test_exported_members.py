"""The public surface is exactly what `__all__` says, and every name in it resolves."""

from __future__ import annotations

import ferrule


def isort_order(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    assert ferrule.__all__ == sorted(set(ferrule.__all__), key=isort_order)
    public = {name for name in dir(ferrule) if not name.startswith("_")}
    exported = set(ferrule.__all__)
    assert exported <= public | {"__version__"}
    # subpackages (orm, json, crypto, alias_generators: once imported)
    modules = {
        "errors",
        "models",
        "sql",
        "backends",
        "orm",
        "json",
        "crypto",
        "alias_generators",
        "types",
    }
    assert public - exported - modules == set()


def test_orm_all_is_sorted_and_resolves() -> None:
    from ferrule import orm

    assert orm.__all__ == sorted(set(orm.__all__))
    assert all(getattr(orm, name) is not None for name in orm.__all__)
    assert orm.Prefetch.__module__ == "ferrule.orm.prefetching"


def test_every_exported_name_resolves() -> None:
    for name in ferrule.__all__:
        assert getattr(ferrule, name) is not None


def test_exceptions_share_one_root() -> None:
    for name in ferrule.errors.__all__:
        cls = getattr(ferrule.errors, name)
        assert issubclass(cls, ferrule.FerruleError)


def test_pydantic_code_finds_its_names_at_the_top_level() -> None:
    """What pydantic code imports from ``pydantic`` it finds in ``ferrule`` under the same
    names (the models, validators and types ferrule implements)."""
    assert ferrule.BaseModel is ferrule.Model
    for name in ("PositiveInt", "StrictStr", "conint", "constr", "SecretStr", "EmailStr"):
        assert getattr(ferrule, name) is getattr(ferrule.types, name)
