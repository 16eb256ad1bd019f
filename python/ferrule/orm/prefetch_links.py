"""A many-to-many ``Prefetch`` whose queryset filters through the link: Django's answer.

``Club.prefetch_related(Prefetch("members", queryset=Author.filter(memberships__role="chair")))``
lists, for each club, the chairs *of that club*: Django's prefetch query reuses the link
table's join for every condition of the queryset that goes through the link (its link model's
reverse accessor, ``memberships__...``, or the relation's own from the target's side,
``clubs__...``), so the conditions hold for the link row of the prefetched pair, within ORs
too. ferrule's prefetch reads the links apart from the target rows, and matched them to any
link of the target (every author who chairs some club). So the queryset's conditions are
also applied to the links, each path rewritten from the target model to the link model
(``memberships__role`` -> ``role``, ``clubs__name`` -> ``club__name``, ``name`` ->
``person__name``): the pairs are then exactly Django's, and the target rows (a superset)
are matched through them. What this cannot rewrite exactly, a negation or a value that is an
expression in a queryset that goes through the link, is an ``ORMError`` rather than another
answer."""

from __future__ import annotations

from typing import Any

from ferrule.errors import ORMError
from ferrule.orm.expressions import EXPRESSIONS, Q

__all__ = ["link_conditions"]


def link_conditions(
    queryset: Any, target: Any, link: Any, mine: Any, other: Any, own: str
) -> Q | None:
    """The queryset's conditions as a condition on the link model (``mine``: its key to the
    prefetched parents; ``other``: to ``target``; ``own``: the relation's name on the target
    side), or None when none of them goes through the link (nothing to bind)."""
    where = getattr(queryset, "_where", ())
    through = {name for name in (other.accessor, own) if name and name != "+"}
    if not where or not through or not any(_goes_through(q, through) for q in where):
        return None
    names = (other.accessor, own, mine.name, other.name)
    fields = set(link._meta.columns) | set(link._meta.relations)
    return Q(*(_rewritten(q, names, fields, through, target) for q in where))


def _goes_through(node: Any, through: set[str]) -> bool:
    if isinstance(node, Q):
        return any(_goes_through(child, through) for child in node.children)
    key = node[0] if isinstance(node, tuple) and node and isinstance(node[0], str) else ""
    return key.split("__", 1)[0] in through


def _rewritten(
    node: Any, names: tuple[str, ...], fields: set[str], through: set[str], target: Any
) -> Q:
    """``node`` (a ``Q``, or one ``(key, value)`` condition) as a ``Q`` on the link model."""
    if isinstance(node, Q):
        if node.negated and _goes_through(node, through):
            raise ORMError(
                f"{target.__name__}: a Prefetch queryset that filters through the link model "
                "cannot hold a negation (exclude(), ~Q): Django binds its conditions to each "
                "prefetched link, which ferrule cannot do for a NOT; filter the links' model "
                "instead"
            )
        out = Q(*(_rewritten(child, names, fields, through, target) for child in node.children))
        out.connector = node.connector
        out.negated = node.negated  # (a negation of single-valued paths only: exact)
        return out
    key, value = node
    if not isinstance(key, str) or key.startswith("(") or isinstance(value, EXPRESSIONS):
        raise ORMError(
            f"{target.__name__}: a Prefetch queryset that filters through the link model takes "
            f"field=value conditions only, not {key!r}={value!r} (Django binds them to each "
            "prefetched link)"
        )
    link_name, own, mine_name, other_name = names
    head, _, rest = key.partition("__")
    if head == link_name:  # memberships__role -> role; memberships__in -> pk__in
        first = rest.split("__", 1)[0]
        name = rest if first in fields else f"pk__{rest}" if rest else "pk"
    elif head == own:  # clubs__name -> club__name
        name = f"{mine_name}__{rest}" if rest else mine_name
    else:
        name = f"{other_name}__{key}"  # name -> person__name
    return Q(**{name: value})
