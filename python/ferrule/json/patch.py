"""JSON Patch (RFC 6902): a list of operations (add, remove, replace, move, copy, test) applied
in order to a JSON document, all or nothing.

Atomic, without copying the document: the document is never written to. Each container on the
way to a change is copied once per patch (copy on write), and every later change inside it
writes to that copy; everything the patch does not touch is shared between the input and the
result. So a failing operation leaves nothing to undo: the copies are dropped and the caller's
document is as it was. ``in_place=True`` keeps the identity of the root container: the result is
written into it only after the last operation succeeded (nested containers that changed are new
objects, never written to either).

The patch is read before anything is applied, so a malformed operation fails the patch whatever
its position: ``op`` missing, not a str or not one of the six; ``path`` (and ``from`` for move
and copy) missing or not a valid pointer; ``value`` missing for add, replace and test, or not a
JSON value; an operation that is not a dict or has a key that is not a str; a move into its own
child. Members an operation does not define are ignored, as section 4 requires (appendix A.11).

Rules worth knowing (sections 4.1-4.6): ``add`` on an existing member replaces it, on an array
inserts (``-`` appends; an index may equal the length); ``remove``, ``replace`` and ``test``
need an existing target; ``move`` is a remove then an add, so the target index counts after the
removal; the root cannot be removed but can be replaced. ``test`` compares JSON values
(`equal`): numbers by value (``1`` equals ``1.0``), booleans are not numbers (``true`` is not
``1``), objects regardless of member order.

A failure raises `JSONPatchError` with ``index`` and ``op`` of the failing operation; the pointer
or value error behind it is its ``__cause__``. Values taken from the patch are copied into the
result, so the result never shares a mutable part with the patch.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import JSONError, JSONPatchError, JSONPointerError
from ferrule.json import _value
from ferrule.json.pointer import array_index, missing, not_container, parse, render, resolve

__all__ = ["Patch", "apply_patch"]

#: op → the members it needs besides "op" and "path"
_MEMBERS: dict[str, tuple[str, ...]] = {
    "add": ("value",),
    "remove": (),
    "replace": ("value",),
    "move": ("from",),
    "copy": ("from",),
    "test": ("value",),
}
_MISSING: Any = object()

#: A parsed operation: (op, path text, path tokens, from tokens or None, value or None).
_Operation = tuple[str, str, tuple[str, ...], "tuple[str, ...] | None", Any]


class _Failed(Exception):
    """An operation that cannot be applied for a reason that is not a pointer's."""


def _parse_operation(index: int, operation: Any) -> _Operation:
    if type(operation) is not dict:
        raise JSONPatchError(
            f"an operation must be an object (a dict), not {type(operation).__name__}", index
        )
    for key in operation:
        if type(key) is not str:
            raise JSONPatchError(f"member names must be str, not {type(key).__name__}", index)
    name = operation.get("op", _MISSING)
    if name is _MISSING:
        raise JSONPatchError("the operation has no 'op' member", index)
    if type(name) is not str:
        raise JSONPatchError(f"'op' must be a str, not {type(name).__name__}", index)
    needed = _MEMBERS.get(name)
    if needed is None:
        known = ", ".join(_MEMBERS)
        raise JSONPatchError(f"unknown op {name!r} (the ops are {known})", index)
    tokens = _pointer(operation, "path", index, name)
    from_tokens = _pointer(operation, "from", index, name) if "from" in needed else None
    value = None
    if "value" in needed:
        if "value" not in operation:
            raise JSONPatchError("the operation has no 'value' member", index, name)
        try:
            value = _value.copy(operation["value"])
        except JSONError as error:
            raise JSONPatchError(f"'value': {error}", index, name) from error
    if (
        name == "move"
        and from_tokens is not None
        and len(from_tokens) < len(tokens)
        and tokens[: len(from_tokens)] == from_tokens
    ):
        raise JSONPatchError(
            f"cannot move {render(from_tokens) or 'the root'!r} into its own child", index, name
        )
    return (name, operation["path"], tokens, from_tokens, value)  # parse(text) round trips


def _pointer(operation: dict[str, Any], member: str, index: int, name: str) -> tuple[str, ...]:
    text = operation.get(member, _MISSING)
    if text is _MISSING:
        raise JSONPatchError(f"the operation has no {member!r} member", index, name)
    try:
        return parse(text)
    except JSONPointerError as error:
        raise JSONPatchError(f"{member!r}: {error.problem}", index, name) from error


def _parse(operations: Any) -> list[_Operation]:
    if type(operations) is not list:
        raise JSONPatchError(
            f"a patch must be a list of operations, not {type(operations).__name__}"
        )
    return [_parse_operation(index, operation) for index, operation in enumerate(operations)]


class _Draft:
    """The document being patched: the input, plus the containers copied so far (by id; they
    are kept alive here, so an id is never reused for another object during the patch)."""

    __slots__ = ("owned", "root")

    def __init__(self, root: Any) -> None:
        self.root = root
        self.owned: dict[int, Any] = {}

    def _own(self, node: Any) -> Any:
        if id(node) in self.owned:
            return node
        copied = node.copy()
        self.owned[id(copied)] = copied
        return copied

    def parent(self, tokens: tuple[str, ...]) -> Any:
        """The container that holds ``tokens[-1]``, writable: copied, with the path to it."""
        node = self.root
        if type(node) is dict or type(node) is list:
            node = self.root = self._own(node)
        for depth in range(len(tokens) - 1):
            token = tokens[depth]
            key: Any
            if type(node) is dict:
                key = token
                child = node.get(token, _MISSING)
                if child is _MISSING:
                    raise missing(tokens, depth)
            elif type(node) is list:
                key = array_index(tokens, depth, len(node), append=False)
                child = node[key]
            else:
                raise not_container(tokens, depth, node)
            if (type(child) is dict or type(child) is list) and id(child) not in self.owned:
                child = node[key] = self._own(child)
            node = child
        return node

    def add(self, tokens: tuple[str, ...], value: Any) -> None:
        if not tokens:
            self.root = value
            return
        parent, last = self.parent(tokens), len(tokens) - 1
        if type(parent) is dict:
            parent[tokens[last]] = value
        elif type(parent) is list:
            parent.insert(array_index(tokens, last, len(parent), append=True), value)
        else:
            raise not_container(tokens, last, parent)

    def remove(self, tokens: tuple[str, ...]) -> Any:
        if not tokens:
            raise _Failed("the root cannot be removed (replace it instead)")
        parent, last = self.parent(tokens), len(tokens) - 1
        if type(parent) is dict:
            removed = parent.pop(tokens[last], _MISSING)
            if removed is _MISSING:
                raise missing(tokens, last)
            return removed
        if type(parent) is list:
            return parent.pop(array_index(tokens, last, len(parent), append=False))
        raise not_container(tokens, last, parent)

    def replace(self, tokens: tuple[str, ...], value: Any) -> None:
        if not tokens:
            self.root = value
            return
        parent, last = self.parent(tokens), len(tokens) - 1
        if type(parent) is dict:
            if tokens[last] not in parent:
                raise missing(tokens, last)
            parent[tokens[last]] = value
        elif type(parent) is list:
            parent[array_index(tokens, last, len(parent), append=False)] = value
        else:
            raise not_container(tokens, last, parent)


def _run(doc: Any, operations: list[_Operation], fresh_values: bool) -> Any:
    draft = _Draft(doc)
    for index, (name, path, tokens, from_tokens, value) in enumerate(operations):
        try:
            if name == "test":
                if not _value.equal(resolve(draft.root, tokens), value):
                    raise _Failed(f"test failed: the value at {path!r} is not equal to 'value'")
            elif name == "add":
                draft.add(tokens, value if fresh_values else _value.copy(value))
            elif name == "replace":
                draft.replace(tokens, value if fresh_values else _value.copy(value))
            elif name == "remove":
                draft.remove(tokens)
            elif name == "copy":
                assert from_tokens is not None
                draft.add(tokens, _value.copy(resolve(draft.root, from_tokens)))
            elif from_tokens == tokens:  # move to where it is: only needs to exist
                resolve(draft.root, tokens)
            else:
                assert from_tokens is not None
                draft.add(tokens, draft.remove(from_tokens))
        except _Failed as error:
            raise JSONPatchError(str(error), index, name) from None
        except JSONError as error:
            raise JSONPatchError(str(error), index, name) from error
    return draft.root


def _apply(doc: Any, operations: list[_Operation], in_place: bool, fresh_values: bool) -> Any:
    if type(in_place) is not bool:
        raise JSONPatchError(f"in_place must be a bool, not {type(in_place).__name__}")
    if in_place and type(doc) is not dict and type(doc) is not list:
        raise JSONPatchError(
            f"in_place=True needs a dict or list document, not {type(doc).__name__}"
        )
    result = _run(doc, operations, fresh_values)
    if not in_place or result is doc:
        return result
    if type(doc) is dict and type(result) is dict:
        doc.clear()
        doc.update(result)
    elif type(doc) is list and type(result) is list:
        doc[:] = result
    else:
        raise JSONPatchError(
            f"in_place=True cannot turn the document's {type(doc).__name__} into a "
            f"{type(result).__name__} (the document is unchanged)"
        )
    return doc


class Patch:
    """A JSON Patch, checked once and applicable many times: ``Patch(ops).apply(doc)``.

    The operations are read (and their values copied) when the patch is made, so later changes
    to the list given have no effect on it, and a malformed patch fails here, not half-way.
    """

    __slots__ = ("_operations",)

    def __init__(self, operations: list[dict[str, Any]]) -> None:
        self._operations = _parse(operations)

    def apply(self, doc: Any, *, in_place: bool = False) -> Any:
        """The patched document (see the module docstring); `JSONPatchError` on failure."""
        return _apply(doc, self._operations, in_place, fresh_values=False)

    def to_list(self) -> list[dict[str, Any]]:
        """The operations as JSON data (new dicts; members the RFC does not define dropped)."""
        out: list[dict[str, Any]] = []
        for name, path, _tokens, from_tokens, value in self._operations:
            operation: dict[str, Any] = {"op": name, "path": path}
            if from_tokens is not None:
                operation["from"] = render(from_tokens)
            if "value" in _MEMBERS[name]:
                operation["value"] = _value.copy(value)
            out.append(operation)
        return out

    def __len__(self) -> int:
        return len(self._operations)

    def __repr__(self) -> str:  # names and paths only: a value may be too deep for repr()
        shown = ", ".join(f"{name} {path!r}" for name, path, *_ in self._operations[:8])
        more = ", ..." if len(self._operations) > 8 else ""
        return f"<Patch of {len(self)} operations: {shown}{more}>"


def apply_patch(doc: Any, patch: list[dict[str, Any]] | Patch, *, in_place: bool = False) -> Any:
    """Apply a JSON Patch (a list of operation dicts, or a `Patch`) to ``doc``, all or nothing.

    Returns the patched document and never changes ``doc`` (with ``in_place=True``: writes the
    result into ``doc``'s root container, only once every operation succeeded). Unchanged parts
    are shared with ``doc``. Raises `JSONPatchError` naming the failing operation.
    """
    if type(patch) is Patch:
        return patch.apply(doc, in_place=in_place)
    return _apply(doc, _parse(patch), in_place, fresh_values=True)
