"""``F("alias")`` naming an earlier annotation, as Django allows
(``annotate(a=F("views") * 2).annotate(b=F("a") + 1)``).

In ``annotate()`` the alias is replaced by the expression it names (`merged`), so everything
after sees one expression: its kind (``orm.arithmetic``: a decimal alias times a float is
refused as the decimal is), whether it aggregates (an alias of a ``Count`` keeps the query
grouped), its joins. Elsewhere (a ``filter()`` value, a ``When()``, ``update()``) the compiler
reads the alias through ``Scope.annotations`` (`expression_of`). ``update()`` takes a row
annotation, not an aggregate one (Django refuses it too: an UPDATE has no groups)."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import Aggregate, Arith, Case, F, When, has_aggregate

__all__ = ["expression_of", "for_update", "merged", "resolved"]

_new = object.__new__


def merged(existing: dict[str, Any], added: dict[str, Any]) -> dict[str, Any]:
    """``existing`` with ``added`` after it, each added expression's aliases (of ``existing``
    or of an annotation before it in ``added``) replaced by what they name."""
    out = dict(existing)
    for name, value in added.items():
        out[name] = resolved(out, value) if out else value
    return out


def resolved(annotations: dict[str, Any], value: Any) -> Any:
    """``value`` with each plain ``F`` naming a key of ``annotations`` replaced by its value
    (the same object when none does)."""
    if type(value) is F:
        found = annotations.get(value.name)
        return value if found is None else found
    if isinstance(value, Arith):
        left = resolved(annotations, value.left)
        right = resolved(annotations, value.right)
        if left is value.left and right is value.right:
            return value
        return Arith(value.op, left, right)
    if isinstance(value, Case):
        whens = tuple(_when(annotations, w) for w in value.whens)
        default = resolved(annotations, value.default)
        if default is value.default and all(
            a is b for a, b in zip(whens, value.whens, strict=True)
        ):
            return value
        case: Case = _new(Case)
        case.whens, case.default = whens, default
        return case
    if isinstance(value, Aggregate):
        field = _aggregated(annotations, value)
        if field is value.field:
            return value
        aggregate: Aggregate = _new(type(value))
        aggregate.field, aggregate.distinct, aggregate.filter = field, value.distinct, value.filter
        return aggregate
    rebuilt = getattr(value, "resolved_by", None)  # an orm.windows.Window: its parts
    return value if rebuilt is None else rebuilt(annotations, resolved)


def _aggregated(annotations: dict[str, Any], aggregate: Aggregate) -> Any:
    """What ``aggregate`` reads, its aliases replaced: ``Sum("t")`` of a row annotation ``t``
    is the sum of its expression (as ``Sum(F("t"))`` is). An alias of an aggregate (or of a
    window) has no value per row to aggregate: refused, in Django's words."""
    field = aggregate.field
    if not isinstance(field, str):
        return resolved(annotations, field)
    found = annotations.get(field)
    if found is None:
        return field
    if has_aggregate(found) or hasattr(found, "resolved_by"):
        name = type(aggregate).__name__
        raise FieldError(f"Cannot compute {name}('{field}'): '{field}' is an aggregate")
    return found.name if type(found) is F else found


def _when(annotations: dict[str, Any], when: When) -> When:
    then = resolved(annotations, when.then)
    if then is when.then:
        return when
    out: When = _new(When)
    out.condition, out.then = when.condition, then
    return out


def expression_of(annotations: dict[str, Any], value: Any) -> Any:
    """The annotation a plain ``F`` names, or None (a field, or no annotation of that name)."""
    if type(value) is not F or not annotations:
        return None
    return annotations.get(value.name)


def for_update(qs: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The annotations ``update(**values)`` on ``qs`` may name: its row annotations; naming
    an aggregate one is a ``FieldError``."""
    from ferrule.orm.arithmetic import field_names

    rows = {}
    for name, value in qs._annotations.items():
        if not has_aggregate(value):
            rows[name] = value
            continue
        for field, given in values.items():
            if name in field_names(given):
                raise FieldError(
                    f"{qs._model.__name__}: update({field}=...) names the aggregate annotation "
                    f"{name!r}: an UPDATE has no groups (annotate a row value instead)"
                )
    return rows
