"""Case-blind matching on MariaDB answered as Python folds: its ``LOWER()`` (the case table of
``utf8mb4_nopad_bin``, which ferrule's tables use) leaves 737 capitals as they are that
``str.lower()`` lowers (``ẞ``, ``Ƞ``, ``Ⱥ``, ...; every other code point it lowers as
``unicode_lower`` does, checked against the server in ``tests/orm/test_query_differential``).

The ``i`` lookups compare ``LOWER(x) LIKE p`` there, ``p`` lowered in Python. A row's ``ẞ``
stays ``ẞ`` under ``LOWER()``, which matters only where ``p`` holds its lower case ``ß`` as a
letter (``_`` and ``%`` match either, and no lowered pattern holds a capital): for each such
letter of ``p`` the column is first given ``REPLACE(x, 'ẞ', 'ß')`` (``replacements``), so
every row folds as in Python and the answer is exact."""

from __future__ import annotations

import functools

from ferrule.backends.sqlite_functions import unicode_lower

__all__ = ["replacements", "unlowered"]

#: (start, stop, step) runs of the code points MariaDB's LOWER() leaves unlowered
_UNLOWERED = (
    (0x0220, 0x0221, 1),
    (0x023A, 0x023C, 1),
    (0x023D, 0x023F, 1),
    (0x0241, 0x0244, 2),
    (0x0244, 0x0247, 1),
    (0x0248, 0x024F, 2),
    (0x0370, 0x0373, 2),
    (0x0376, 0x0377, 1),
    (0x037F, 0x0380, 1),
    (0x03CF, 0x03D0, 1),
    (0x03D8, 0x03D9, 1),
    (0x03F4, 0x03F5, 1),
    (0x03F7, 0x03FA, 2),
    (0x03FA, 0x03FB, 1),
    (0x03FD, 0x0400, 1),
    (0x048A, 0x048B, 1),
    (0x04C0, 0x04C1, 1),
    (0x04C5, 0x04C6, 1),
    (0x04C9, 0x04CA, 1),
    (0x04CD, 0x04CE, 1),
    (0x04F6, 0x04F7, 1),
    (0x04FA, 0x052F, 2),
    (0x10A0, 0x10C6, 1),
    (0x10C7, 0x10C8, 1),
    (0x10CD, 0x10CE, 1),
    (0x13A0, 0x13F6, 1),
    (0x1C90, 0x1CBB, 1),
    (0x1CBD, 0x1CC0, 1),
    (0x1E9E, 0x1E9F, 1),
    (0x1EFA, 0x1EFF, 2),
    (0x2132, 0x2133, 1),
    (0x2183, 0x2184, 1),
    (0x2C00, 0x2C30, 1),
    (0x2C60, 0x2C63, 2),
    (0x2C63, 0x2C65, 1),
    (0x2C67, 0x2C6E, 2),
    (0x2C6E, 0x2C71, 1),
    (0x2C72, 0x2C73, 1),
    (0x2C75, 0x2C76, 1),
    (0x2C7E, 0x2C81, 1),
    (0x2C82, 0x2CE3, 2),
    (0x2CEB, 0x2CEE, 2),
    (0x2CF2, 0x2CF3, 1),
    (0xA640, 0xA66D, 2),
    (0xA680, 0xA69B, 2),
    (0xA722, 0xA72F, 2),
    (0xA732, 0xA76F, 2),
    (0xA779, 0xA77E, 2),
    (0xA77E, 0xA787, 2),
    (0xA78B, 0xA78E, 2),
    (0xA790, 0xA793, 2),
    (0xA796, 0xA7AB, 2),
    (0xA7AB, 0xA7AF, 1),
    (0xA7B0, 0xA7B5, 1),
    (0xA7B6, 0xA7C5, 2),
    (0xA7C5, 0xA7C8, 1),
    (0xA7C9, 0xA7CA, 1),
    (0xA7D0, 0xA7D1, 1),
    (0xA7D6, 0xA7D9, 2),
    (0xA7F5, 0xA7F6, 1),
    (0x10400, 0x10428, 1),
    (0x104B0, 0x104D4, 1),
    (0x10570, 0x1057B, 1),
    (0x1057C, 0x1058B, 1),
    (0x1058C, 0x10593, 1),
    (0x10594, 0x10596, 1),
    (0x10C80, 0x10CB3, 1),
    (0x118A0, 0x118C0, 1),
    (0x16E40, 0x16E60, 1),
    (0x1E900, 0x1E922, 1),
)


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, list[str]]:
    """Lower case -> the capitals MariaDB leaves unlowered that lower to it."""
    out: dict[str, list[str]] = {}
    for capital in sorted(unlowered()):
        out.setdefault(unicode_lower(capital), []).append(capital)
    return out


def unlowered() -> frozenset[str]:
    """The capitals MariaDB's LOWER() leaves as they are (the test reads the server's)."""
    return frozenset(chr(p) for start, stop, step in _UNLOWERED for p in range(start, stop, step))


def replacements(lowered: str) -> list[tuple[str, str]]:
    """``(capital, lower)`` pairs to replace in the column before ``LOWER()``, for a pattern
    already lowered in Python: one per capital whose lower case the pattern holds."""
    capitals = _capitals()
    return [(c, low) for low in sorted(set(lowered)) for c in capitals.get(low, ())]
