"""``ferrule.json``: exact, strict JSON for plain data (the models' reader and writer)."""

from ferrule.errors import JSONError
from ferrule.json.codec import MAX_DEPTH_LIMIT, dumps, dumps_bytes, loads
from ferrule.json.stream import iter_items

__all__ = ["MAX_DEPTH_LIMIT", "JSONError", "dumps", "dumps_bytes", "iter_items", "loads"]
