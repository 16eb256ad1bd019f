"""Type stubs for the native extension `ferrule._ferrule`."""

from typing import Any

__version__: str

# ferrule.sql: compile a query node tree to (sql, params); the shape cache lives in the core.
def sql_compile(node: tuple[Any, ...], dialect: str, /) -> tuple[str, list[Any]]: ...
def sql_cache_clear() -> None: ...
def sql_register_constant_type(cls: type, /) -> None: ...
