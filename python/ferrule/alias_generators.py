"""Name converters for ``model_config["alias_generator"]`` (pydantic's names): a field
``user_name`` read and written as ``userName`` with ``alias_generator=to_camel``."""

from __future__ import annotations

import re

__all__ = ["to_camel", "to_pascal", "to_snake"]

_UNDERSCORE_BEFORE_WORD = re.compile(r"([0-9A-Za-z])_(?=[0-9A-Z])")
_LEADING_CAPITAL = re.compile(r"^(_*)([A-Z])")
_CAPS_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z])([A-Z])")
_DIGIT_THEN_UPPER = re.compile(r"([0-9])([A-Z])")
_LOWER_THEN_DIGIT = re.compile(r"([a-z])([0-9])")


def to_pascal(snake: str) -> str:
    """``snake_case`` → ``SnakeCase``."""
    return _UNDERSCORE_BEFORE_WORD.sub(r"\1", snake.title())


def to_camel(snake: str) -> str:
    """``snake_case`` → ``snakeCase`` (a name already in camel case is kept)."""
    if re.fullmatch(r"[a-z]+[A-Za-z0-9]*", snake) and not re.search(r"\d[a-z]", snake):
        return snake
    return _LEADING_CAPITAL.sub(lambda m: m.group(1) + m.group(2).lower(), to_pascal(snake))


def to_snake(camel: str) -> str:
    """``camelCase``, ``PascalCase`` or ``kebab-case`` → ``snake_case``."""
    text = _CAPS_THEN_WORD.sub(r"\1_\2", camel)
    text = _LOWER_THEN_UPPER.sub(r"\1_\2", text)
    text = _DIGIT_THEN_UPPER.sub(r"\1_\2", text)
    text = _LOWER_THEN_DIGIT.sub(r"\1_\2", text)
    return text.replace("-", "_").lower()
