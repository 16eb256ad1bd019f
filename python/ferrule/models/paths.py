"""``FilePath``, ``DirectoryPath`` and ``NewPath``: a `pathlib.Path` that must (or must not)
exist as a file or a directory when it is validated (pydantic's names, errors and formats)."""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING, Any

from ferrule.errors import ValidationError
from ferrule.models import schema as s
from ferrule.models._stdlib_types import path_converter

__all__ = ["DirectoryPath", "FilePath", "NewPath"]

_TO_PATH = path_converter(pathlib.Path)


def _checked(check: str, error_type: str, fmt: str) -> Any:
    def convert(value: Any) -> pathlib.Path:
        path = value if isinstance(value, pathlib.Path) else _TO_PATH(value)
        ok = {"file": path.is_file, "dir": path.is_dir, "new": lambda: not path.exists()}[check]()
        if not ok:
            raise ValidationError("", [((), error_type, value, None, None)])
        return path

    def schema(cls: type, *, strict: bool, sub: Any) -> s.Schema:
        return s.convert_schema(
            None, convert, "path_type", json_schema={"type": "string", "format": fmt}
        )

    return classmethod(schema)


if TYPE_CHECKING:
    FilePath = pathlib.Path
    DirectoryPath = pathlib.Path
    NewPath = pathlib.Path
else:

    class FilePath:
        """A path to an existing file."""

        __slots__ = ()
        __ferrule_type_schema__ = _checked("file", "path_not_file", "file-path")

    class DirectoryPath:
        """A path to an existing directory."""

        __slots__ = ()
        __ferrule_type_schema__ = _checked("dir", "path_not_directory", "directory-path")

    class NewPath:
        """A path where nothing exists yet."""

        __slots__ = ()
        __ferrule_type_schema__ = _checked("new", "path_exists", "path")
