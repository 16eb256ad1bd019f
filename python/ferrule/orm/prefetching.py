"""``orm.Prefetch`` and the plan of a ``prefetch_related()`` call, checked when it is made.

A lookup is a relation path (``"posts"``, ``"posts__tags"``); a `Prefetch` adds a QuerySet of
the last relation's target (its filters apply in the batched query, its order is the order of
each parent's list) and ``to_attr``, the attribute that receives what it loads (a list, or one
instance or None for a single-valued relation) instead of the relation's own accessor. A later
lookup may go through a ``to_attr`` (``Prefetch("posts", qs, to_attr="popular")`` then
``"popular__tags"``).

The plan is checked as a whole, in order, as it will run: every level of every lookup is loaded
once, and the first lookup that reaches a level decides how. So a plain ``"posts__tags"`` after
``Prefetch("posts", qs)`` loads the tags of the filtered posts, while a ``Prefetch("posts", qs)``
after ``"posts"`` (already loaded unfiltered) is an error rather than a silent no-op, and one
``to_attr`` given twice is an error. Refused as well, with `FieldError`: a QuerySet of another
model, an indexed one (``qs[0]``), a ``values()`` one, a ``to_attr`` that names a field,
relation or attribute of the model, and a QuerySet on a forward key without ``to_attr`` (a
parent whose row is filtered out would read None while its key names a row; saving it would
write NULL).

A sliced QuerySet (``Post.order_by("-created")[:3]``) slices each parent's list, not the
batch: its rows are numbered per parent in SQL (``orm.prefetch_slices``, which says what it
refuses: a slice on a single-valued relation, and with ``distinct()``, aggregate or window
annotations, an order by an annotation, ``select_for_update()``); a sliced queryset with no
order at all is ordered by the primary key, and ties are broken by it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ferrule.errors import FieldError
from ferrule.orm.options import did_you_mean

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["Level", "Prefetch", "plan"]


class Prefetch:
    """One ``prefetch_related()`` lookup with its own QuerySet and/or target attribute:
    ``Prefetch("posts", queryset=Post.filter(views__gt=5), to_attr="popular")``."""

    __slots__ = ("lookup", "queryset", "to_attr")
    lookup: str
    queryset: Any  # a QuerySet of the relation's target, or None
    to_attr: str | None

    def __init__(
        self, lookup: str, queryset: QuerySet[Any] | None = None, to_attr: str | None = None
    ) -> None:
        # through the slots themselves, as `_read` reads them (a subclass may shadow them)
        _SLOTS["lookup"].__set__(self, _text(lookup, "lookup"))
        name = None if to_attr is None else _attribute(_text(to_attr, "to_attr"))
        _SLOTS["to_attr"].__set__(self, name)
        _SLOTS["queryset"].__set__(self, _queryset(queryset))

    def __repr__(self) -> str:
        extra = "" if self.queryset is None else f", queryset={self.queryset!r}"
        extra += "" if self.to_attr is None else f", to_attr={self.to_attr!r}"
        return f"Prefetch({self.lookup!r}{extra})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not Prefetch or type(self) is not Prefetch:
            return NotImplemented
        return (self.lookup, self.to_attr) == (other.lookup, other.to_attr) and (
            self.queryset is other.queryset
        )

    __hash__ = None  # type: ignore[assignment]


# the slots themselves: a subclass's properties cannot change what the plan reads
_SLOTS = {name: Prefetch.__dict__[name] for name in Prefetch.__slots__}


def _text(value: Any, what: str) -> str:
    if not issubclass(type(value), str):  # type(): a __class__ property may claim anything
        raise FieldError(f"Prefetch(): {what} must be a str, not {type(value).__name__}")
    plain: str = str.__add__("", value)  # a str subclass's own methods are never called
    if not plain:
        raise FieldError(f"Prefetch(): {what} must not be empty")
    return plain


def _attribute(name: str) -> str:
    if not name.isidentifier() or name.startswith("_") or "__" in name:
        raise FieldError(
            f"Prefetch(): to_attr={name!r} is not a plain attribute name (an identifier, "
            "no leading underscore, no '__')"
        )
    return name


def _queryset(queryset: Any) -> Any:
    if queryset is None:
        return None
    from ferrule.orm.combined import CombinedQuerySet
    from ferrule.orm.queryset import QuerySet

    kind = type(queryset)
    if not issubclass(kind, QuerySet) or issubclass(kind, CombinedQuerySet):
        raise FieldError(
            f"Prefetch(): queryset must be a QuerySet of the related model, not "
            f"{type(queryset).__name__}"
        )
    if queryset._single:
        raise FieldError(
            f"Prefetch(): the {queryset._model.__name__} queryset is indexed (qs[n] is one "
            "row of all); slice it (qs[n:n + 1]) for each parent's row n"
        )
    if queryset._flat is not None:
        raise FieldError(
            f"Prefetch(): the {queryset._model.__name__} queryset returns values(); "
            "prefetching loads instances"
        )
    return queryset


@dataclass(frozen=True)
class Level:
    """One relation step of a lookup, as the plan runs it: its parents are the objects of
    the level ``key[:-1]`` (the queried instances at ``()``), loaded by an earlier level."""

    key: tuple[str, ...]  # where its objects are stored, by the names of the path to it
    part: str  # the relation's accessor on the parent model
    relation: Any
    forward: bool
    queryset: Any  # None: the target's default rows
    to_attr: str | None  # None: the relation's own accessor
    single: bool  # one instance (or None) per parent, not a list
    #: a list (not single) stored in its queryset's order: ``Meta.ordering``, the queryset's
    #: ``order_by()`` (``relations.ORDERED`` marks it beside the list)
    ordered: bool = False


def _read(item: Any) -> tuple[str, Any, str | None]:
    kind = type(item)  # not isinstance(): a __class__ property may claim anything
    if issubclass(kind, str):
        return str.__add__("", item), None, None
    if issubclass(kind, Prefetch):
        try:
            lookup = _SLOTS["lookup"].__get__(item, Prefetch)
            return (
                lookup,
                _SLOTS["queryset"].__get__(item, Prefetch),
                _SLOTS["to_attr"].__get__(item, Prefetch),
            )
        except AttributeError:
            raise FieldError(
                f"prefetch_related(): a {type(item).__name__} that was never initialised"
            ) from None
    raise FieldError(
        f"prefetch_related() takes relation names or orm.Prefetch objects, not "
        f"{type(item).__name__}"
    )


def _target(relation: Any, forward: bool) -> Any:
    if relation.kind == "m2m":
        return (relation.link_target if forward else relation.link_source).target
    return relation.target if forward else relation.owner


def plan(model: Any, items: Any) -> list[Level]:
    """The levels these lookups load on ``model``, in order, every one checked (`FieldError`)."""
    models: dict[tuple[str, ...], Any] = {(): model}  # each loaded level's model
    custom: dict[tuple[str, ...], str] = {}  # levels loaded by a Prefetch, as written
    levels: list[Level] = []
    for item in items:
        lookup, queryset, to_attr = _read(item)
        parts = lookup.split("__")
        if "" in parts:
            raise FieldError(f"prefetch_related(): {lookup!r} is not a relation path")
        for depth, part in enumerate(parts, 1):
            last = depth == len(parts)
            key = (*parts[: depth - 1], to_attr or part) if last else tuple(parts[:depth])
            owner = models[key[:-1]]
            if key in models and not (last and (queryset is not None or to_attr)):
                continue  # loaded by an earlier lookup
            if last and key in models:
                raise FieldError(
                    f"prefetch_related(): {_shown(item)} loads {'__'.join(key)!r}, which "
                    f"{custom.get(key, 'an earlier lookup')} loads already (each to_attr "
                    "once; a Prefetch goes before the plain lookups through it)"
                )
            relation = owner._meta.relation(part)
            if relation is None:
                here = [k[-1] for k in models if len(k) == depth and k[:-1] == key[:-1]]
                raise _unknown(owner, part, here)
            forward = owner._meta.relations.get(part) is relation
            single = relation.kind == "o2o" or (forward and relation.kind == "fk")
            target = _target(relation, forward)
            if last and queryset is not None:
                _fits(item, owner, part, target, queryset, forward and single, to_attr)
                if queryset._offset is not None or queryset._limit is not None:
                    from ferrule.orm import prefetch_slices

                    prefetch_slices.check(_shown(item), owner, part, queryset, not single)
            if last and to_attr:
                _free(owner, to_attr)
            models[key] = target
            if last and (queryset is not None or to_attr):
                custom[key] = _shown(item)
            levels.append(
                Level(
                    key,
                    part,
                    relation,
                    forward,
                    queryset if last else None,
                    to_attr if last else None,
                    single,
                    not single and _ordered(queryset if last else None, target),
                )
            )
    return levels


def _ordered(queryset: Any, target: Any) -> bool:
    """Whether a level's rows come in an order: its queryset's (the target's ``all()``,
    ``Meta.ordering``, when none is given)."""
    return bool((queryset if queryset is not None else target.all())._ordered())


def _shown(item: Any) -> str:
    return repr(item) if type(item) is Prefetch else repr(_read(item)[0])


def _unknown(owner: Any, part: str, extra: list[str]) -> FieldError:
    meta = owner._meta
    choices = [*meta.relations, *meta.reverse, *extra]
    return FieldError(
        f"{meta.name} has no relation {part!r}{did_you_mean(part, choices)} "
        f"(relations: {', '.join(choices)})"
    )


def _fits(
    item: Any, owner: Any, part: str, target: Any, queryset: Any, keyed: bool, to_attr: Any
) -> None:
    given = queryset._model
    if given is not target:
        raise FieldError(
            f"{_shown(item)}: {owner.__name__}.{part} holds {target.__name__} rows; the "
            f"queryset is of {getattr(given, '__name__', given)!r}"
        )
    if keyed and not to_attr:
        raise FieldError(
            f"{_shown(item)}: {owner.__name__}.{part} is a forward key; a queryset on it "
            "needs to_attr= (a row it filters out would read as None while the key names it)"
        )


def _free(owner: Any, name: str) -> None:
    meta = owner._meta
    taken = {*meta.columns, *meta.relations, *meta.reverse} | set(dir(owner))
    taken.update(r.attname for r in meta.relations.values() if r.attname)
    if name in taken:
        raise FieldError(
            f"Prefetch(to_attr={name!r}): {meta.name} already has a field, relation or "
            f"attribute {name!r}; choose another to_attr"
        )
