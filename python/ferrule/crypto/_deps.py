"""The optional libraries behind ``ferrule.crypto``, imported on first use, never at import time.

``import ferrule.crypto`` costs nothing and works without the extra; the first call that needs
``cryptography``, ``argon2-cffi``, ``bcrypt`` or ``blake3`` imports it here, and a missing one
becomes a `MissingDependencyError` that says how to install the extra.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from ferrule.errors import MissingDependencyError

EXTRA = "crypto"
INSTALL = f"pip install ferrule[{EXTRA}]"

#: module imported -> the PyPI distribution that provides it (named in the error message)
DISTRIBUTIONS = {
    "argon2": "argon2-cffi",
    "bcrypt": "bcrypt",
    "blake3": "blake3",
    "cryptography": "cryptography",
}


def load(module: str, feature: str) -> ModuleType:
    """The module, imported once; a `MissingDependencyError` naming `feature` and the extra
    when it is not installed."""
    found = sys.modules.get(module)
    if found is not None:
        return found
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.partition(".")[0]
        raise MissingDependencyError(
            f"{feature} needs the {DISTRIBUTIONS.get(top, top)!r} package, which is not "
            f"installed: {INSTALL}",
            EXTRA,
        ) from exc
