"""JSON Patch, Pointer and diff: ferrule.json (pure Python for now) vs python-json-patch, one run.

The document: 1,000 users, each a small object with a nested object and an array. Cases:

- apply 5 ops: a test, a replace, an add, a remove and a move at different depths. ferrule copies
  only the containers on the changed paths (and is atomic); jsonpatch deep-copies the whole
  document first (``in_place=False``, its default; its ``in_place=True`` is not atomic);
- apply 1,000 appends to one array (ferrule copies that array once, not per operation);
- diff: two versions of the document that differ in 3 places (``jsonpatch.make_patch``);
- resolve: one pointer three levels deep (``jsonpointer.resolve_pointer``).

Run: ``.venv/bin/python benchmarks/json_patch.py`` after ``pip install --group bench``.
"""

from __future__ import annotations

import copy
import platform
import sys
from typing import Any

import jsonpatch
import jsonpointer
from _harness import Table, per_op

from ferrule.json import Pointer, apply_patch, diff


def make_doc() -> dict[str, Any]:
    users = [
        {
            "id": n,
            "name": f"user{n}",
            "tags": ["a", "b"],
            "address": {"city": "Lyon", "zip": f"{n:05}"},
        }
        for n in range(1000)
    ]
    return {"users": users, "meta": {"version": 1}}


SMALL_PATCH = [
    {"op": "test", "path": "/meta/version", "value": 1},
    {"op": "replace", "path": "/users/500/address/city", "value": "Paris"},
    {"op": "add", "path": "/users/10/tags/-", "value": "c"},
    {"op": "remove", "path": "/users/999"},
    {"op": "move", "from": "/users/0/name", "path": "/meta/first"},
]
APPENDS = [{"op": "add", "path": "/users/-", "value": {"id": n}} for n in range(1000)]


def main() -> None:
    doc = make_doc()
    changed = copy.deepcopy(doc)
    changed["users"][3]["name"] = "renamed"
    changed["users"][700]["tags"].append("z")
    changed["meta"]["version"] = 2
    assert apply_patch(doc, SMALL_PATCH) == jsonpatch.apply_patch(doc, SMALL_PATCH)
    assert apply_patch(doc, diff(doc, changed)) == changed
    assert jsonpatch.apply_patch(doc, jsonpatch.make_patch(doc, changed)) == changed

    table = Table("JSON Patch (1,000-user document)")
    table.add("apply 5 ops", "ferrule", per_op(lambda: apply_patch(doc, SMALL_PATCH)))
    table.add("apply 5 ops", "jsonpatch", per_op(lambda: jsonpatch.apply_patch(doc, SMALL_PATCH)))
    table.add("apply 1,000 appends", "ferrule", per_op(lambda: apply_patch(doc, APPENDS)))
    table.add(
        "apply 1,000 appends", "jsonpatch", per_op(lambda: jsonpatch.apply_patch(doc, APPENDS))
    )
    table.add("diff (3 changes)", "ferrule", per_op(lambda: diff(doc, changed)))
    table.add("diff (3 changes)", "jsonpatch", per_op(lambda: jsonpatch.make_patch(doc, changed)))
    text = "/users/500/address/city"
    table.add("resolve", "ferrule", per_op(lambda: Pointer.parse(text).resolve(doc)))
    table.add("resolve", "jsonpointer", per_op(lambda: jsonpointer.resolve_pointer(doc, text)))
    print(f"Python {platform.python_version()} on {sys.platform}")
    print(table.render())


if __name__ == "__main__":
    main()
