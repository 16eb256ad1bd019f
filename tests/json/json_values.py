"""Random JSON values for the property tests of tests/json, and the references they are checked
against: the standard library's JSON text and a type-tagged form (never ferrule's own equality).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st


def tagged(value: Any) -> Any:
    """``value`` with every scalar tagged by its type: ``True``, ``1`` and ``1.0`` (and ``0.0``
    and ``-0.0``) all differ, unlike with ``==``."""
    if type(value) is dict:
        return ("object", sorted((key, tagged(item)) for key, item in value.items()))
    if type(value) is list:
        return ("array", [tagged(item) for item in value])
    return (type(value).__name__, repr(value))


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.0, -0.0, 1.0, 1.5, 1e300])
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=3)
)
keys = st.text(alphabet="ab/~0", max_size=3)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=4),
    max_leaves=16,
)


@st.composite
def edited(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with a few random changes, so that ``a`` and ``b`` share most of their shape."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return copy.deepcopy(value)
    if choice == 1 or type(value) not in (dict, list):
        return draw(values)
    if type(value) is list:
        items = list(value)
        for _ in range(draw(st.integers(0, 3))):
            action = draw(st.sampled_from(["insert", "delete", "edit"]))
            if action == "insert" or not items:
                items.insert(draw(st.integers(0, len(items))), draw(values))
            elif action == "delete":
                del items[draw(st.integers(0, len(items) - 1))]
            else:
                index = draw(st.integers(0, len(items) - 1))
                items[index] = draw(edited(items[index]))
        return items
    members = dict(value)
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(sorted(members)) if members and draw(st.booleans()) else keys)
        action = draw(st.sampled_from(["set", "delete", "edit"]))
        if action == "delete":
            members.pop(key, None)
        elif action == "edit" and key in members:
            members[key] = draw(edited(members[key]))
        else:
            members[key] = draw(values)
    return members


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    a = draw(values)
    return a, draw(edited(a))
