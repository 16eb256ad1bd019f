"""Model options with pydantic v2's names that are not per-type (see ``_config_types``): checked
once per class, then handed to the cores as keys of the model schema (``revalidate_instances``,
``ser_json_*``) or read by the introspection (``arbitrary_types_allowed``, ``validate_default``,
``use_attribute_docstrings``) and the JSON Schema generator (``json_schema_extra``)."""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from ferrule.errors import SchemaError

__all__ = ["attribute_docstrings", "check_options", "core_options"]

#: option -> its accepted values, pydantic's default first
CHOICES: dict[str, tuple[str, ...]] = {
    "revalidate_instances": ("never", "always", "subclass-instances"),
    "ser_json_timedelta": ("iso8601", "float"),
    "ser_json_bytes": ("utf8", "base64", "hex"),
    "val_json_bytes": ("utf8", "base64", "hex"),
    "ser_json_inf_nan": ("null", "constants", "strings"),
}
FLAGS = ("arbitrary_types_allowed", "validate_default", "use_attribute_docstrings")
#: the options the cores read from the model schema
_CORE = ("revalidate_instances", "ser_json_timedelta", "ser_json_bytes", "ser_json_inf_nan")


def check_options(config: Any, name: str) -> None:
    """A `SchemaError` for any of these options given a value pydantic would refuse."""
    for option, accepted in CHOICES.items():
        value = config.get(option, accepted[0])
        if value not in accepted:
            choices = ", ".join(repr(v) for v in accepted)
            raise SchemaError(f"{name}: {option} must be one of {choices}, not {value!r}")
    for flag in FLAGS:
        if not isinstance(config.get(flag, False), bool):
            raise SchemaError(f"{name}: {flag} must be True or False")
    extra = config.get("json_schema_extra")
    if extra is not None and not (isinstance(extra, dict) or callable(extra)):
        raise SchemaError(f"{name}: json_schema_extra must be a dict or a function")


def core_options(config: Any) -> dict[str, str]:
    """The options the cores read, where they differ from the default (none: nothing added,
    so that a plain model's schema stays as it was)."""
    return {
        option: config[option]
        for option in _CORE
        if config.get(option, CHOICES[option][0]) != CHOICES[option][0]
    }


def attribute_docstrings(cls: type) -> dict[str, str]:
    """``use_attribute_docstrings``: the string literal written right under a field in a class
    body, by field name (cleaned as a docstring), a subclass's over its bases'. A class whose
    source is not readable (made in a REPL or by ``exec``) gives none."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if "__ferrule_declared__" in vars(klass) or klass is cls:
            found.update(_own_docstrings(klass))
    return found


def _own_docstrings(cls: type) -> dict[str, str]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = next((node.body for node in tree.body if isinstance(node, ast.ClassDef)), [])
    found: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[node.target.id] = inspect.cleandoc(after.value.value)
    return found
