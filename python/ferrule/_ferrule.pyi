"""Type stubs for the native extension `ferrule._ferrule`."""

__version__: str
