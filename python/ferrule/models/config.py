"""``model_config``: the options a model takes (``ConfigDict``, pydantic v2's names), their
defaults, and how a class's own options merge with its bases' and are checked once, at class
definition."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypedDict

from ferrule.errors import SchemaError
from ferrule.models import _config_options
from ferrule.models._config_types import TYPE_OPTIONS
from ferrule.models.schema import ExtraBehavior

__all__ = ["CONFIG_DEFAULTS", "GIVEN_CONFIG", "ConfigDict", "merge_config"]


class ConfigDict(TypedDict, total=False):
    """Model options; also accepted as class keywords (``class User(Model, strict=True)``)."""

    strict: bool
    extra: ExtraBehavior
    frozen: bool
    validate_assignment: bool
    populate_by_name: bool
    title: str
    #: the alias of every field without one of its own (``ferrule.alias_generators.to_camel``)
    alias_generator: Callable[[str], str] | None
    # every field of a kind (see ``_config_types``); a field's own setting comes first
    str_strip_whitespace: bool
    str_to_lower: bool
    str_to_upper: bool
    str_min_length: int | None
    str_max_length: int | None
    use_enum_values: bool
    coerce_numbers_to_str: bool
    #: read an object that is not a dict through its attributes (an ORM row, a dataclass)
    from_attributes: bool
    # pydantic's other options (see ``_config_options``)
    #: an instance given for a model: kept ("never"), or validated again from its fields
    revalidate_instances: Literal["never", "always", "subclass-instances"]
    #: a field of any other class is an isinstance check (Python input only)
    arbitrary_types_allowed: bool
    #: defaults are validated (and converted) when used
    validate_default: bool
    #: JSON output: a timedelta as ISO 8601 text or as float seconds
    ser_json_timedelta: Literal["iso8601", "float"]
    #: JSON output of bytes, and how a string input for a bytes field is decoded
    ser_json_bytes: Literal["utf8", "base64", "hex"]
    val_json_bytes: Literal["utf8", "base64", "hex"]
    #: JSON text of NaN and the infinities: null, NaN/Infinity, or "NaN"/"Infinity" strings
    ser_json_inf_nan: Literal["null", "constants", "strings"]
    #: merged into (a dict) or called on (a function) the model's JSON Schema
    json_schema_extra: dict[str, Any] | Callable[..., None] | None
    #: a string literal under a field is its description
    use_attribute_docstrings: bool


CONFIG_DEFAULTS: ConfigDict = {
    "strict": False,
    "extra": "ignore",
    "frozen": False,
    "validate_assignment": True,
    "populate_by_name": False,
}

CONFIG_KEYS = frozenset(ConfigDict.__annotations__)

#: the options a class (or its bases) wrote, without the defaults (``info.config``)
GIVEN_CONFIG = "__ferrule_given_config__"


def merge_config(
    model_bases: list[type], namespace: dict[str, Any], kwargs: dict[str, Any], name: str
) -> ConfigDict:
    if not kwargs and "model_config" not in namespace and plain_bases(model_bases):
        # nothing written anywhere: the defaults, which every check below accepts
        namespace[GIVEN_CONFIG] = {}
        return typing.cast(ConfigDict, dict(CONFIG_DEFAULTS))
    config: dict[str, Any] = dict(CONFIG_DEFAULTS)
    given: dict[str, Any] = {}  # what the classes wrote, without the defaults (`info.config`)
    for base in reversed(model_bases):
        config.update(base.model_config)  # type: ignore[attr-defined]
        given.update(getattr(base, GIVEN_CONFIG, {}))
    declared = namespace.get("model_config", {})
    if not isinstance(declared, Mapping):
        raise SchemaError(f"{name}.model_config must be a dict (ConfigDict)")
    config.update(declared)
    config.update(kwargs)
    given.update(declared)
    given.update(kwargs)
    namespace[GIVEN_CONFIG] = given
    if not CONFIG_KEYS.issuperset(config):
        unknown = sorted(set(config) - CONFIG_KEYS)
        raise SchemaError(f"{name}: unknown model option(s): {', '.join(unknown)}")
    if config["extra"] not in ("ignore", "forbid", "allow"):
        raise SchemaError(f"{name}: extra must be 'ignore', 'forbid' or 'allow'")
    if not isinstance(config.get("from_attributes", False), bool):
        raise SchemaError(f"{name}: from_attributes must be True or False")
    for flag in ("strict", "frozen", "validate_assignment", "populate_by_name"):
        if not isinstance(config[flag], bool):
            raise SchemaError(f"{name}: {flag} must be True or False")
    for option in TYPE_OPTIONS:
        value = config.get(option)
        wants_int = option in ("str_min_length", "str_max_length")
        if value is not None and (
            (wants_int and (type(value) is not int or value < 0))
            or (not wants_int and not isinstance(value, bool))
        ):
            kind = "a non-negative int or None" if wants_int else "True or False"
            raise SchemaError(f"{name}: {option} must be {kind}")
    _config_options.check_options(config, name)
    generator = config.get("alias_generator")
    if generator is not None and not callable(generator):
        raise SchemaError(f"{name}: alias_generator must be a function of the field name")
    namespace.pop("model_config", None)
    return typing.cast(ConfigDict, config)


def plain_bases(model_bases: list[type]) -> bool:
    """Every model base has the default options, and wrote none of its own."""
    return all(
        getattr(base, "model_config", None) == CONFIG_DEFAULTS
        and not getattr(base, GIVEN_CONFIG, None)
        for base in model_bases
    )
