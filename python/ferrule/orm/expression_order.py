"""``order_by()`` of expressions, as Django takes them: a computed priority
(``order_by(Case(When(status="urgent", then=Value(0)), default=Value(9)), "id")``),
``F("points").desc()``, ``Lower("title")``, arithmetic.

An expression term is kept as a hidden annotation (``_o0``, ``_o1``...: annotate() refuses
names starting with ``_``, so none is a user's) and ordered by that name. It is no value of
the rows, as in Django: model rows select it under its name for the ORDER BY (PostgreSQL
orders DISTINCT rows only by selected values) and the loaders skip it; ``values()`` rows
order by the expression itself. ``F("a").desc()`` is ``"-a"``.

Refused, naming ``annotate()``: an aggregate or a window (ordering by one would group the
rows, or order before the window is computed), and an expression in grouped or distinct
``values()`` rows (a row stands for many values of it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.errors import FieldError
from ferrule.orm import refs
from ferrule.orm.expressions import EXPRESSIONS, F, Value, has_aggregate, shown

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["hidden", "in_order", "ordered", "refuse_in_rows"]

_PREFIX = "_o"


def hidden(name: str) -> bool:
    """Whether an annotation name is an ordered expression's (no user annotation starts
    with ``_``)."""
    return name.startswith(_PREFIX)


def in_order(qs: QuerySet[Any], name: str) -> bool:
    """Whether the hidden annotation ``name`` is one the queryset orders by now (an earlier
    ``order_by()`` may have left others)."""
    return any(n.lstrip("-") == name for n in qs._order_names())


def ordered(qs: QuerySet[Any], terms: tuple[Any, ...]) -> QuerySet[Any]:
    """``qs.order_by(*terms)`` where some terms are expressions or ``asc()``/``desc()``."""
    from ferrule.orm.windows import OrderBy, contains_window

    if getattr(qs, "_combined", None) is not None:
        raise FieldError(
            f"{qs._model.__name__}: order_by() of a union(), intersection() or difference() "
            "takes the names of what its parts select: annotate(k=...) the expression in "
            "each part and order_by('k')"
        )
    annotations = {k: v for k, v in qs._annotations.items() if not hidden(k)}
    names: list[str] = []
    for term in terms:
        if isinstance(term, str):
            names.append(term)
            continue
        descending = False
        expression = term
        if isinstance(term, OrderBy):
            expression, descending = term.expression, term.descending
        elif not isinstance(term, EXPRESSIONS) or isinstance(term, Value):
            raise FieldError(
                f"order_by() takes field names and expressions (F, Case, functions, "
                f"arithmetic), not {shown(term)}"
            )
        sign = "-" if descending else ""
        if type(expression) is F:
            names.append(sign + expression.name)
            continue
        value = refs.resolved(annotations, expression)
        if has_aggregate(value) or contains_window(value, annotations):
            raise FieldError(
                f"{qs._model.__name__}: order_by({shown(term)}) holds an aggregate or a "
                "window: annotate(k=...) first, then order_by('k')"
            )
        name = f"{_PREFIX}{len(names)}"
        annotations[name] = value
        names.append(sign + name)
    out = qs._clone("_annotations", annotations)
    return out.order_by(*names)


def refuse_in_rows(qs: QuerySet[Any], name: str, why: str) -> None:
    """A hidden order of grouped or distinct ``values()`` rows (``why``): a row stands for
    many values of it."""
    raise FieldError(
        f"{qs._model.__name__}: order_by({shown(qs._annotations[name])}) of {why} values() "
        "rows: a row stands for many values of it; annotate(k=...) it, name k in values() "
        "and order_by('k')"
    )
