"""The native stand-ins of the calls that build the ORM's common query,
``Model.filter(name=value).order_by(name).limit(n)`` (``_ferrule.install_chain`` and
``install_filter``, ``src/model/chain.rs``): method descriptors put on ``QuerySet`` and on the
models' query mixin in place of the Python methods, which build such a QuerySet without a
Python frame and hand every other call to the Python method they replaced (kept here).
Installed where the native core proved the classes' layouts (``queryset._copy``): never on
the pure core nor with the fast paths off."""

from __future__ import annotations

from typing import Any

from ferrule.orm import expressions, queryset
from ferrule.orm.expressions import Q
from ferrule.orm.queries import Queries
from ferrule.orm.queryset import QuerySet

__all__ = ["NATIVE_CHAIN", "NATIVE_FILTER", "PYTHON_CHAIN", "PYTHON_FILTER"]

#: the Python ``QuerySet.order_by`` and ``QuerySet.limit``
PYTHON_CHAIN: tuple[Any, Any] = (QuerySet.order_by, QuerySet.limit)
#: the Python ``Model.filter`` (the classmethod's function)
PYTHON_FILTER: Any = Queries.__dict__["filter"].__func__


def _install() -> tuple[bool, bool]:
    """Whether ``order_by``/``limit``, then ``Model.filter``, are the native ones now."""
    if queryset._copy is None:
        return False, False
    try:
        from ferrule._ferrule import install_chain, install_filter
    except ImportError:  # an extension without them
        return False, False
    chained = install_chain(QuerySet, queryset._STATE, queryset._CHECKED_ORDERS, *PYTHON_CHAIN)
    if not chained:
        return False, False
    filtered = install_filter(
        Queries,
        Q,
        Q.__slots__,
        queryset._STATE,
        queryset._BLANK,
        expressions._PLAIN_NAMES,
        "and",
        PYTHON_FILTER,
    )
    return chained, filtered


NATIVE_CHAIN, NATIVE_FILTER = _install()
