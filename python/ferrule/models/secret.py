"""``SecretStr`` and ``SecretBytes``: values that never show themselves by accident.

The validated value is wrapped: ``repr``, ``str``, ``model_dump(mode="json")`` and JSON output
show ``'**********'``; ``get_secret_value()`` gives the real value. Python-mode dumps keep the
wrapper (as pydantic). The text or bytes inside is validated by ferrule's own str/bytes rules.
(For a plain ``str`` field kept out of output, ``Field(secret=True)`` is ferrule's own way.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ferrule.models import schema as s
from ferrule.models._encoders import register

__all__ = ["SecretBytes", "SecretStr"]

_MASK = "**********"


class _Secret:
    __slots__ = ("_secret_value",)
    _secret_value: Any
    _inner: ClassVar[Callable[..., s.Schema]]

    def __init__(self, secret_value: Any) -> None:
        self._secret_value = secret_value

    def get_secret_value(self) -> Any:
        """The real value."""
        return self._secret_value

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Secret)
            and type(other) is type(self)
            and (other._secret_value == self._secret_value)
        )

    def __hash__(self) -> int:
        return hash(self._secret_value)

    def __len__(self) -> int:
        return len(self._secret_value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._display()!r})"

    def _display(self) -> Any:
        raise NotImplementedError

    @classmethod
    def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
        return s.convert_schema(
            cls,
            cls,
            "string_type",
            strict=False,  # the inner str/bytes schema carries the strictness
            inner=cls._inner(strict=strict),
            json_schema={"type": "string", "writeOnly": True, "format": "password"},
        )


class SecretStr(_Secret):
    """A str shown as ``'**********'`` (``''`` when empty)."""

    __slots__ = ()
    _secret_value: str
    _inner = s.str_schema

    def __init__(self, secret_value: str) -> None:
        self._secret_value = secret_value

    def get_secret_value(self) -> str:
        """The real value."""
        return self._secret_value

    def _display(self) -> str:
        return _MASK if self._secret_value else ""

    def __str__(self) -> str:
        return self._display()


class SecretBytes(_Secret):
    """Bytes shown as ``b'**********'`` (``b''`` when empty)."""

    __slots__ = ()
    _secret_value: bytes
    _inner = s.bytes_schema

    def __init__(self, secret_value: bytes) -> None:
        self._secret_value = secret_value

    def get_secret_value(self) -> bytes:
        """The real value."""
        return self._secret_value

    def _display(self) -> bytes:
        return _MASK.encode() if self._secret_value else b""

    def __str__(self) -> str:
        return str(self._display())


register(SecretStr, str)
register(SecretBytes, lambda value: value._display().decode())
