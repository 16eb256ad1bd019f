"""`AliasPath` and `AliasChoices`: where a field's value is looked up in the input, as pydantic's
``Field(validation_alias=...)`` takes them.

`AliasPath("a", 0, "b")` reads ``input["a"][0]["b"]`` (a str item is a mapping key, an int item
a sequence index, negative from the end, or an int key of a dict); `AliasChoices("x",
AliasPath(...))` tries each choice in order and takes the first found. Both compile, once per
class, into the plain data the validators read: a list of paths, each a list of str and int.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NOT_FOUND", "AliasChoices", "AliasPath", "alias_paths", "follow", "take_for_construct"]


class AliasPath:
    """A path into the input: a first key (a str), then keys and indexes."""

    __slots__ = ("path",)

    def __init__(self, first_arg: str, *args: str | int) -> None:
        self.path: list[str | int] = [first_arg, *args]

    def convert_to_aliases(self) -> list[str | int]:
        """The path as a list (pydantic's name)."""
        return list(self.path)

    def search_dict_for_path(self, d: dict[Any, Any]) -> Any:
        """The value at the path in ``d``, or `ferrule.models.fields.MISSING`."""
        from ferrule.models.fields import MISSING

        found = follow(d, self.path)
        return MISSING if found is NOT_FOUND else found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AliasPath) and other.path == self.path

    def __hash__(self) -> int:
        return hash(("AliasPath", tuple(self.path)))

    def __repr__(self) -> str:
        return f"AliasPath(path={self.path!r})"


class AliasChoices:
    """Several places a value may be found: each a str key or an `AliasPath`, the first found
    wins."""

    __slots__ = ("choices",)

    def __init__(self, first_choice: str | AliasPath, *choices: str | AliasPath) -> None:
        self.choices: list[str | AliasPath] = [first_choice, *choices]

    def convert_to_aliases(self) -> list[list[str | int]]:
        """Every choice as a path (pydantic's name)."""
        return [c.convert_to_aliases() if isinstance(c, AliasPath) else [c] for c in self.choices]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AliasChoices) and other.choices == self.choices

    def __hash__(self) -> int:
        return hash(("AliasChoices", tuple(self.choices)))

    def __repr__(self) -> str:
        return f"AliasChoices(choices={self.choices!r})"


def alias_paths(alias: str | AliasPath | AliasChoices, where: str) -> list[list[str | int]]:
    """``validation_alias`` as the schema's list of paths; a malformed one is a `SchemaError`
    (each path starts with a non-empty str, then str and int items only)."""
    from ferrule.errors import SchemaError

    if isinstance(alias, str):
        paths: list[list[Any]] = [[alias]]
    elif isinstance(alias, AliasPath):
        paths = [alias.convert_to_aliases()]
    elif isinstance(alias, AliasChoices):
        for choice in alias.choices:
            if not isinstance(choice, (str, AliasPath)):
                raise SchemaError(f"{where}: AliasChoices takes str and AliasPath, not {choice!r}")
        paths = alias.convert_to_aliases()
    else:
        raise SchemaError(f"{where}: validation_alias must be a str, AliasPath or AliasChoices")
    for path in paths:
        first = path[0]
        if not isinstance(first, str) or not first:
            raise SchemaError(f"{where}: the first item of an alias path must be a str")
        for item in path[1:]:
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise SchemaError(f"{where}: alias path items are str or int, not {item!r}")
    return paths


NOT_FOUND: Any = object()  # `follow` found nothing


def follow(data: Any, path: list[str | int]) -> Any:
    """The value at ``path`` in ``data`` as validation reads it, or `NOT_FOUND`: a str item
    reads a dict key; an int item a list or tuple index (negative from the end) or a dict's int
    key; anything else is not found."""
    value = data
    for item in path:
        if isinstance(value, dict):
            value = dict.get(value, item, NOT_FOUND)  # the dict's own entries, as natively
            if value is NOT_FOUND:
                return NOT_FOUND
        elif isinstance(item, int) and isinstance(value, (list, tuple)):
            # its own items, whatever a subclass's methods say (as natively)
            items: Any = (
                list.copy(value)
                if isinstance(value, list)
                else tuple.__getitem__(value, slice(None))
            )
            if not -len(items) <= item < len(items):
                return NOT_FOUND
            value = items[item]
        else:
            return NOT_FOUND
    return value


def take_for_construct(
    values: dict[str, Any], name: str, alias: str | None, validation_alias: Any
) -> Any:
    """``model_construct``'s value of one field, as pydantic finds it: under ``alias``, then
    each ``validation_alias`` choice, then the name (a key found is removed from ``values``);
    `NOT_FOUND` if none."""
    if alias is not None and alias in values:
        return values.pop(alias)
    if isinstance(validation_alias, (AliasPath, AliasChoices)) or (
        isinstance(validation_alias, str) and validation_alias != alias
    ):
        choices = (
            validation_alias.choices
            if isinstance(validation_alias, AliasChoices)
            else [validation_alias]
        )
        for choice in choices:
            if isinstance(choice, str) and choice in values:
                return values.pop(choice)
            if isinstance(choice, AliasPath):
                found = follow(values, choice.path)
                if found is not NOT_FOUND:
                    return found
    if name in values:
        return values.pop(name)
    return NOT_FOUND
