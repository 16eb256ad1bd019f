"""The Django write differential's tree steps (``djangowrite_steps.Step``), run last: a tree
whose parent key cascades and whose mentor key sets NULL, deleted by QuerySet and by
instance. Django counts every row of the model a delete removes, the children its cascade
reached included."""

from __future__ import annotations

from .djangowrite_steps import Step

TREES = [
    Step(
        "tree rows",
        """
async def node(name, parent=None, mentor=None):
    parent = None if parent is None else await Node.get(name=parent)
    mentor = None if mentor is None else await Node.get(name=mentor)
    return await Node.create(name=name, parent=parent, mentor=mentor)

for name, parent, mentor in [("r1", None, None), ("a", "r1", None), ("c", "r1", None),
        ("b", "a", None), ("d", "b", None), ("r2", None, None), ("e", "r2", "a"),
        ("f", "e", "d"), ("r3", None, None), ("g", "r3", None), ("h", "g", None),
        ("r4", None, None), ("i", "r4", None), ("j", "i", None), ("k", "j", None)]:
    await node(name, parent, mentor)
""",
    ),
    Step(
        "tree: delete() of a QuerySet counts the children its cascade removed",
        'return deleted(await Node.filter(name="a").delete(), "Node")',
    ),
    Step(
        "tree: delete() of an instance counts the children its cascade removed",
        'return deleted(await (await Node.get(name="r3")).delete(), "Node")',
    ),
    Step(
        "tree: delete() of a parent and its child together",
        'return deleted(await Node.filter(name__in=["r4", "j"]).delete(), "Node")',
    ),
    Step(
        "tree: delete() of every row",
        'return deleted(await Node.all().delete(), "Node")',
    ),
]
