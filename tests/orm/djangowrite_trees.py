"""The Django write differential's tree steps (``djangowrite_steps.Step``), run last: a tree
whose parent key cascades and whose mentor key sets NULL, with many-to-many links to itself
(symmetrical friends, one-way follows), deleted by QuerySet and by instance. Django counts
every row of the model a delete removes, the children its cascade reached included."""

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
        "many-to-many to self: symmetrical add(), remove(), set(), clear()",
        """
a, b, c, e, g = [await Node.get(name=n) for n in ("a", "b", "c", "e", "g")]
await a.friends.add(b, c, e)
await b.friends.add(a)
await c.friends.remove(a)
await g.friends.set([a, e])
await e.friends.clear()
return (sorted(await a.friends.all().values_list("name", flat=True)),
        sorted(await g.friends.all().values_list("name", flat=True)))
""",
    ),
    Step(
        "many-to-many to self, not symmetrical: add(), reverse add() and remove()",
        """
a, b, d, f, h = [await Node.get(name=n) for n in ("a", "b", "d", "f", "h")]
await a.follows.add(b, d)
await f.followers.add(a, h)
await b.followers.remove(a)
await h.follows.set([d, a])
return (sorted(await a.follows.all().values_list("name", flat=True)),
        sorted(await a.followers.all().values_list("name", flat=True)))
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
