"""Generic models: ``Page[User]`` is a real subclass of ``Page``, compiled once with its type
variables replaced, and cached, as pydantic does.

A parametrised class keeps ``(origin, args, parameters)`` under `GENERIC`; its fields are the
origin's, and `_resolve.resolve_hints` replaces the origin's type variables by `args` in them.
A type variable left open (``Page`` itself, or ``Pair[int, T]``) validates as pydantic does:
its default, else the union of its constraints, else its bound, else anything.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["GENERIC", "parametrise", "reduce_class", "substitute", "typevar_type"]

#: Where a parametrised class keeps ``(origin, args, parameters)``.
GENERIC = "__ferrule_generic__"

#: ``(origin, args)`` → the parametrised class, so that ``Page[User] is Page[User]``.
_CACHE: dict[tuple[type, tuple[Any, ...]], type] = {}


def parameters(cls: type) -> tuple[Any, ...]:
    """The type variables ``cls[...]`` binds: a partial parametrisation's open ones, the
    class's own ``Generic[...]`` ones, else those its bases leave open (pydantic's rule)."""
    generic = cls.__dict__.get(GENERIC)
    if generic is not None:
        return typing.cast("tuple[Any, ...]", generic[2])
    own = cls.__dict__.get("__parameters__", ())
    if own:
        return tuple(own)
    found: list[Any] = []
    for base in cls.__bases__:
        for param in parameters(base) if isinstance(base, type) else ():
            if param not in found:
                found.append(param)
    return tuple(found)


def _has_default(param: Any) -> bool:
    check = getattr(param, "has_default", None)
    return bool(check()) if callable(check) else False


def typevar_type(param: Any) -> Any:
    """What an open type variable validates as."""
    if _has_default(param):
        return param.__default__
    if param.__constraints__:
        return typing.Union[param.__constraints__]  # noqa: UP007 - built from a tuple
    if param.__bound__ is not None:
        return param.__bound__
    return Any


def _arguments(cls: type, params: tuple[Any, ...], given: Any) -> tuple[Any, ...]:
    """``given`` as one argument per parameter (defaults filling the tail), or TypeError."""
    args = given if isinstance(given, tuple) else (given,)
    if len(args) > len(params):
        raise TypeError(f"Too many arguments for {cls}; actual {len(args)}, expected {len(params)}")
    required = len(params)
    while required and _has_default(params[required - 1]):
        required -= 1
    if len(args) < required:
        raise TypeError(
            f"Too few arguments for {cls}; actual {len(args)}, expected at least {required}"
        )
    mapping = dict(zip(params, args, strict=False))
    tail = [substitute(param.__default__, mapping) for param in params[len(args) :]]
    return (*args, *tail)


def parametrise(cls: type, given: Any, compile_class: Callable[[type], None]) -> type:
    """``cls[given]``: the cached parametrised subclass (``cls`` itself when every parameter
    is given as itself, as pydantic does); `compile_class` compiles it once cached, so that a
    class naming itself (``next: Page[T] | None``) finds itself in the cache."""
    params = parameters(cls)
    if not params:
        raise TypeError(
            f"{cls} cannot be parametrized because it does not inherit from typing.Generic"
        )
    args = _arguments(cls, params, given)
    if all(arg is param for arg, param in zip(args, params, strict=True)):
        return cls
    generic = cls.__dict__.get(GENERIC)
    if generic is not None:  # Pair[int, T][str] is Pair[int, str]
        origin, partial, _ = generic
        mapping = dict(zip(params, args, strict=True))
        args = tuple(substitute(arg, mapping) for arg in partial)
    else:
        origin = cls
    key: tuple[type, tuple[Any, ...]] | None = (origin, args)
    try:
        found = _CACHE.get((origin, args))
    except Exception:  # an unhashable argument (Annotated metadata): made anew each time
        found, key = None, None
    if found is not None:
        return found
    created = _create(origin, args)
    if key is not None:
        _CACHE[key] = created
    try:
        compile_class(created)
    except BaseException:
        if key is not None:
            _CACHE.pop(key, None)
        raise
    return created


def _create(origin: type, args: tuple[Any, ...]) -> type:
    """The subclass ``origin[args]``, not compiled yet (`GENERIC` in its namespace tells the
    metaclass to wait)."""
    suffix = f"[{', '.join(display(arg) for arg in args)}]"
    open_params: list[Any] = []
    for arg in args:
        for param in _typevars(arg):
            if param not in open_params:
                open_params.append(param)
    namespace = {
        "__module__": origin.__module__,
        "__qualname__": origin.__qualname__ + suffix,
        "__parameters__": (),
        GENERIC: (origin, args, tuple(open_params)),
    }
    meta: Any = type(origin)
    created: type = meta(origin.__name__ + suffix, (origin,), namespace)
    return created


def _typevars(value: Any) -> list[Any]:
    if isinstance(value, typing.TypeVar):
        return [value]
    is_class = isinstance(value, type) and typing.get_origin(value) is None  # see `substitute`
    generic = getattr(value, "__dict__", {}).get(GENERIC) if is_class else None
    if generic is not None:
        return list(generic[2])
    if is_class:
        return []
    found: list[Any] = []
    for arg in typing.get_args(value):
        found.extend(_typevars(arg))
    return found


def _is_generic_model(value: type) -> bool:
    return hasattr(value, "__ferrule_declared__") and bool(parameters(value))


def display(value: Any) -> str:
    """An argument as pydantic writes it in a parametrised class's name."""
    if value is Ellipsis:
        return "..."
    if isinstance(value, typing.TypeVar):
        return repr(value)
    if isinstance(value, types.UnionType) or typing.get_origin(value) is typing.Union:
        return f"Union[{', '.join(display(arg) for arg in typing.get_args(value))}]"
    if isinstance(value, types.GenericAlias):
        origin = typing.get_origin(value)
        return f"{origin.__name__}[{', '.join(display(arg) for arg in typing.get_args(value))}]"
    if isinstance(value, type):
        return str(getattr(value, "__qualname__", None) or object.__repr__(value))
    try:
        text = repr(value)
    except Exception:  # a user's metadata whose repr fails: the name still has to be made
        text = object.__repr__(value)
    return text.replace("typing.", "")


def substitute(value: Any, mapping: Mapping[Any, Any]) -> Any:
    """`value` with the type variables of `mapping` replaced, at any depth (a generic model
    left open, like ``Page`` in its own annotations, becomes ``Page[...]`` of the mapping)."""
    if not mapping:
        return value
    if isinstance(value, typing.TypeVar):
        return mapping.get(value, value)
    # (on 3.10 ``list[T]`` passes ``isinstance(_, type)``: an alias has an origin, a class not)
    if isinstance(value, type) and typing.get_origin(value) is None:
        if not _is_generic_model(value):
            return value
        params = parameters(value)
        new = tuple(substitute(param, mapping) for param in params)
        if new == params:
            return value
        return value[new[0] if len(new) == 1 else new]  # type: ignore[index]
    origin = typing.get_origin(value)
    args = typing.get_args(value)
    if not args or origin is typing.Literal:
        return value
    if origin is typing.Annotated:
        base = substitute(value.__origin__, mapping)
        if base is value.__origin__:
            return value
        annotated: Any = (base, *value.__metadata__)
        return typing.Annotated[annotated]
    new_args = tuple(substitute(arg, mapping) for arg in args)
    if all(new is old for new, old in zip(new_args, args, strict=True)):
        return value
    if isinstance(value, types.UnionType):
        return functools.reduce(operator.or_, new_args)
    if isinstance(value, types.GenericAlias):
        return types.GenericAlias(origin, new_args)
    return value.copy_with(new_args)


def reduce_class(cls: type) -> Any:
    """How pickle writes a model class: a parametrised one as ``origin[args]`` (it has no
    name to be found by in its module), any other by name, as pickle does by default."""
    generic = cls.__dict__.get(GENERIC)
    if generic is None:
        return cls.__qualname__
    return _parametrised, (generic[0], generic[1])


def _parametrised(origin: Any, args: tuple[Any, ...]) -> Any:
    return origin[args if len(args) != 1 else args[0]]
