"""Annotations → objects, once per class: which names a model's annotations see, and when.

An annotation may name a class that does not exist yet (a forward reference). Names are looked
up, as pydantic does, in the class's module and in the scope where its class statement ran: a
function's local names are read again at every attempt, so a class defined later in the same
function is found. A class whose names are still missing at definition keeps that scope (its
frame) and is compiled on first use; once compiled it keeps its own resolved annotations, which
its subclasses reuse, and lets the frame go.
"""

from __future__ import annotations

import functools
import inspect
import operator
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from ferrule.models import _generics

__all__ = [
    "class_annotations",
    "defining_frame",
    "evaluate",
    "own_annotations",
    "resolve_hints",
]

#: Where a waiting class keeps the frame of its class statement (function scopes only).
SCOPE = "__ferrule_scope__"
#: Where a compiled class keeps its own annotations, resolved.
HINTS = "__ferrule_hints__"


def class_annotations(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The annotations of a class body being defined (3.14 evaluates them lazily: names not
    defined yet come back as forward references)."""
    if "__annotations__" in namespace:
        return dict(namespace["__annotations__"])
    if sys.version_info >= (3, 14):  # pragma: no cover - PEP 649/749
        import annotationlib

        annotate = annotationlib.get_annotate_from_class_namespace(namespace)
        if annotate is not None:
            forward = annotationlib.Format.FORWARDREF
            return dict(annotationlib.call_annotate_function(annotate, forward))
    return {}


def own_annotations(cls: type) -> dict[str, Any]:
    """``inspect.get_annotations(cls)``, without the copy of the class's namespace it makes
    (unused without ``eval_str``) before 3.14."""
    if sys.version_info >= (3, 14):  # pragma: no cover - PEP 649/749
        return inspect.get_annotations(cls)
    found = cls.__dict__.get("__annotations__")  # noqa: RUF063 - the point: no namespace copy
    if found is None or isinstance(found, types.GetSetDescriptorType):
        return {}
    if not isinstance(found, dict):
        raise ValueError(f"{cls!r}.__annotations__ is neither a dict nor None")
    return dict(found)


def defining_frame(meta: type, module: str) -> types.FrameType | None:
    """The frame running the class statement that called ``meta.__new__`` (past the ``__new__``
    of any subclass of ``meta``), or None when it is the top level of the class's `module`
    (whose names stay reachable through ``sys.modules``)."""
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_name == "__new__" and _new_of(frame, meta):
        frame = frame.f_back
    if frame is None:
        return None
    if frame.f_code.co_name == "<module>" and frame.f_globals is _module_names(module):
        return None
    return frame


def _module_names(module: str) -> dict[str, Any] | None:
    found = sys.modules.get(module)
    return None if found is None else vars(found)


def _new_of(frame: types.FrameType, meta: type) -> bool:
    code = frame.f_code
    first = frame.f_locals.get(code.co_varnames[0]) if code.co_argcount else None
    return isinstance(first, type) and issubclass(first, meta)


def resolve_hints(
    cls: Any,
    declared: Mapping[str, Any],
    names: Mapping[str, Any],
    cls_annotations: Mapping[str, Any] | None = None,
    scope: types.FrameType | None = None,
) -> dict[str, Any]:
    """Each field's annotation resolved in the class that declares it (base classes first, so a
    subclass's redeclaration wins); `names` (model_rebuild's caller) are seen everywhere;
    `cls_annotations`:
    ``inspect.get_annotations(cls)``, when the caller has it; `scope`: the frame of `cls`'s
    class statement, when the caller has it (not yet kept on the class). Raises NameError while
    a name is missing."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        own = vars(klass)
        if "__ferrule_declared__" not in own:  # not a compiled model class (Model, mixins)
            continue
        generic = own.get(_generics.GENERIC)
        if generic is not None:  # Page[User]: the origin's hints with T replaced
            mapping = dict(zip(_generics.parameters(generic[0]), generic[1], strict=True))
            hints = {name: _generics.substitute(hint, mapping) for name, hint in hints.items()}
            continue
        cached = own.get(HINTS)
        if cached is not None:
            hints.update((name, hint) for name, hint in cached.items() if name in declared)
            continue
        annotations = (
            cls_annotations
            if klass is cls and cls_annotations is not None
            else own_annotations(klass)
        )
        frame = scope if klass is cls and scope is not None else own.get(SCOPE)
        if frame is None:
            globalns = _module_names(klass.__module__) or {}
            localns = dict(names)
        else:  # the globals and locals where the class statement ran, as they are now
            globalns = frame.f_globals
            localns = {**names, **frame.f_locals}
        # PEP 695 (``class Page[T](Model)``): the class's type parameters are in scope
        # (read from the class's own dict: a failed getattr on a class is slow before 3.12)
        params = own.get("__type_params__", ())
        localns.update((param.__name__, param) for param in params)
        localns[cls.__name__] = cls
        localns[klass.__name__] = klass
        for name, annotation in annotations.items():
            if name in declared:
                hints[name] = evaluate(annotation, globalns, localns)
    return hints


_CODE: dict[str, types.CodeType] = {}


def _eval_type_function() -> Callable[[Any, Any, Any], Any]:
    """`typing._eval_type` (what `typing.get_type_hints` uses for the forward references nested
    in an annotation), called as each version wants: 3.13 deprecates leaving out type_params."""
    function: Callable[..., Any] = getattr(typing, "_eval_type")  # noqa: B009
    if "type_params" in inspect.signature(function).parameters:
        return lambda value, globalns, localns: function(value, globalns, localns, type_params=())
    return function


_EVAL_TYPE = _eval_type_function()


def _quoted_as_refs(value: Any) -> Any:
    """Python 3.10 only: a string inside a builtin generic (``list["Leaf"]``) as the
    `typing.ForwardRef` that 3.11's `typing._eval_type` makes of it before evaluating."""
    if isinstance(value, types.GenericAlias):
        args = tuple(
            typing.ForwardRef(arg) if isinstance(arg, str) else _quoted_as_refs(arg)
            for arg in value.__args__
        )
        origin: Any = value.__origin__
        return value if args == value.__args__ else types.GenericAlias(origin, args)
    origin = typing.get_origin(value)
    if origin is typing.Literal:  # strings there are values, not names
        return value
    if origin is typing.Annotated:
        base = _quoted_as_refs(value.__origin__)
        return value if base is value.__origin__ else _annotated(base, value.__metadata__)
    args = typing.get_args(value)
    rebuilt = tuple(_quoted_as_refs(arg) for arg in args)
    if rebuilt == args:
        return value
    if isinstance(value, types.UnionType):
        return functools.reduce(operator.or_, rebuilt)
    return value.copy_with(rebuilt)


def _annotated(base: Any, metadata: tuple[Any, ...]) -> Any:
    parameters: Any = (base, *metadata)
    return typing.Annotated[parameters]


def _resolved(annotation: Any) -> bool:
    """A plain class, or a builtin generic alias (``list[str]``, ``dict[str, int]``) of plain
    classes: what `typing._eval_type` would give back unchanged (equal), so it is skipped."""
    if isinstance(annotation, types.GenericAlias):
        return type(annotation) is types.GenericAlias and all(
            _resolved(arg) for arg in annotation.__args__
        )
    return isinstance(annotation, type)


def evaluate(annotation: Any, globalns: dict[str, Any], localns: Mapping[str, Any]) -> Any:
    """One annotation, resolved like `typing.get_type_hints` does, but with string annotations
    compiled once per process (compiling is most of a class definition's cost otherwise)."""
    if isinstance(annotation, str):
        code = _CODE.get(annotation)
        if code is None:
            code = _CODE[annotation] = compile(annotation, "<annotation>", "eval")
        annotation = eval(code, globalns, localns)
    if annotation is None:
        return type(None)
    if _resolved(annotation):
        return annotation  # `int`, `list[str]`: nothing nested to resolve
    if sys.version_info < (3, 11):
        annotation = _quoted_as_refs(annotation)
    return _EVAL_TYPE(annotation, globalns, localns)
