"""``is_instance`` (``arbitrary_types_allowed``): an instance of the class, kept as it is."""

from __future__ import annotations

from typing import Any

from ferrule.models._pure.core import State, Validator, builder, error

__all__ = ["IsInstanceValidator"]


class IsInstanceValidator(Validator):
    __slots__ = ("cls", "name")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: type = schema["cls"]
        self.name: str = getattr(self.cls, "__name__", repr(self.cls))

    def validate(self, value: Any, state: State) -> Any:
        if state.json:  # JSON holds no instances of a Python class
            raise error("needs_python_object", value, {"method_name": "isinstance"})
        if isinstance(value, self.cls):
            return value
        raise error("is_instance_of", value, {"class": self.name})


builder("is_instance")(IsInstanceValidator)
