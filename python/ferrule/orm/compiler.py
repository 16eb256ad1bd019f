"""Turns the names of a query (``author__name__icontains``, ``F("views")``, ``-created``)
into ``ferrule.sql`` expressions over the model's table and the joins the names need.

Every name is checked against the models: an unknown one is a `FieldError` with a "did you
mean", never text in the SQL. Values are always bound, converted to the column's storage."""

from __future__ import annotations

import contextvars
import functools
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import (
    arithmetic,
    conditional,
    datetimes,
    deviations,
    durations,
    json_keys,
    now,
    row_negation,
    subqueries,
    windows,
)
from ferrule.orm.annotation_types import NUMBER, Plain
from ferrule.orm.chains import chained
from ferrule.orm.column_kinds import (
    BINARY_NUMBERS,
    NUMERIC,
    is_decimal,
    is_duration,
    sqlite_scale,
)
from ferrule.orm.columns import Column, flag_integer, read_column
from ferrule.orm.dated_expressions import Trunc
from ferrule.orm.expressions import (
    Aggregate,
    Arith,
    Case,
    F,
    Func,
    Q,
    Value,
    has_aggregate,
)
from ferrule.orm.fields import Relation
from ferrule.orm.having_refs import refuse_ungrouped
from ferrule.orm.lookups import (
    ANNOTATION_LOOKUPS,
    TEXT_LOOKUPS,
    field_lookup,
    is_json,
    lookup_as_value,
)
from ferrule.orm.options import did_you_mean, named_text, other_spelling
from ferrule.orm.refs import expression_of
from ferrule.orm.refusals import refuse_nul_condition
from ferrule.orm.relations import row_of

__all__ = [
    "ANNOTATION_LOOKUPS",
    "INLINE_LIMIT",
    "LOOKUPS",
    "Scope",
    "has_aggregate",
    "pairs",
]

#: dialects whose LIMIT is written into the text, not bound: PostgreSQL plans a prepared
#: statement with a bound LIMIT for a tenth of the rows, finds that plan dearer than one made
#: for the values, and so plans ``filter(...).order_by(...).limit(10)`` again at every run
#: (~80 us a query); OFFSET stays bound (a text per page would crowd the statement cache)
INLINE_LIMIT = frozenset({"postgres"})


def limited(query: Any, limit: int | None, offset: int | None, dialect: str) -> Any:
    """``query`` with a QuerySet's LIMIT and OFFSET (SQLite and MariaDB take an OFFSET only
    after a LIMIT: the largest they take stands for none)."""
    if limit is not None:
        query = query.limit(limit, inline=dialect in INLINE_LIMIT)
    if offset:
        if limit is None and dialect in ("sqlite", "mysql"):
            query = query.limit(2**62)
        query = query.offset(offset)
    return query


LOOKUPS = (
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "range",
    "isnull",
    "regex",
    "iregex",
)


class Scope:
    """One query's tables: the model's own (unaliased) and one LEFT JOIN per relation path."""

    def __init__(self, model: Any, dialect: str) -> None:
        self.model = model
        self.dialect = dialect
        #: the query this one is a subquery of (``orm.subqueries``): its tables are aliased
        #: ``u<depth>``, ``u<depth>j0``..., apart from the outer ones an OuterRef reads
        self.outer = subqueries.OUTER.get()
        self.depth: int = 0 if self.outer is None else self.outer.depth + 1
        #: ``orm.Now()``'s one reading of the clock for the whole statement, once read
        #: (``now.read``): shared with its subqueries, as a database's statement time is
        self.clock: list[Any] = self.outer.clock if self.outer is not None else now.CLOCK.get([])
        self.prefix = f"u{self.depth}" if self.depth else ""
        self.alias = self.prefix or model._meta.table
        #: relation path -> (alias, model); joins in the order they were needed
        self.joins: dict[tuple[str, ...], tuple[str, Any]] = {}
        self.join_clauses: list[tuple[sql.Table, Any]] = []
        self.aggregated = False
        self.aggregating = False  # compiling an aggregate's argument: it reads joined rows
        self.multi = False  # a join that can repeat base rows (reverse or many-to-many)
        #: the relation paths whose join repeats the rows before it (reverse or many-to-many)
        self.multi_paths: list[tuple[str, ...]] = []
        #: the relation chains of the query's aggregates, with whether repeated rows leave
        #: them unchanged (Min, Max, distinct): a filter's to-many join must not multiply them
        self.chains: list[tuple[tuple[str, ...], bool]] = []
        #: the to-many paths a grouped query's keys join (``values("tags__name")``): a
        #: filter through one shares its join, picking the related rows grouped, as Django's
        self.grain: frozenset[tuple[str, ...]] = frozenset()
        self.subqueries = False  # a condition reads the table again (MySQL cannot in writes)
        #: the query's annotations: a filter may name them (``n__gt=1``)
        self.annotations: dict[str, Any] = {}
        self.grouped: frozenset[str] = frozenset()  # fields in the GROUP BY (for a HAVING)
        self.selecting = False  # resolving values(): a key inside a JSON field may be read
        #: (model, id of a negated Q) -> (that Q, whether its conditions join a to-many
        #: relation): shared with the probes and key subqueries this query's NOTs make
        shared = _PROBED.get()
        self.probed: dict[tuple[Any, int], tuple[Q, bool]] = {} if shared is None else shared
        self.probing = False  # a probe: only which joins the conditions need matters
        #: MariaDB, inside a CASE holding a window or an aggregate: the zero its numeric
        #: columns add so they wait for the branch taken (``orm.mariadb_lazy``)
        self.lazy_zero: Any = None

    # -- names ------------------------------------------------------------------------------

    def _join(
        self, path: tuple[str, ...], left: str, relation: Relation, reverse: bool
    ) -> tuple[str, Any]:
        found = self.joins.get(path)
        if found is not None:
            return found
        if relation.kind == "m2m":
            source, target = relation.link_source, relation.link_target
            assert source is not None and target is not None
            if reverse:
                source, target = target, source
            link = source.owner
            link_alias = f"{self.prefix}j{len(self.join_clauses)}"
            left_model = source.target
            self.join_clauses.append(
                (
                    _table(link, link_alias),
                    sql.column(source.owner._meta.column(source.attname).column, link_alias)
                    == sql.column(left_model._meta.pk.column, left),
                )
            )
            other = target.target
            alias = f"{self.prefix}j{len(self.join_clauses)}"
            self.join_clauses.append(
                (
                    _table(other, alias),
                    sql.column(other._meta.pk.column, alias)
                    == sql.column(link._meta.column(target.attname).column, link_alias),
                )
            )
            self.multi = True
            self.multi_paths.append(path)
            self.joins[path] = (alias, other)
            return alias, other
        alias = f"{self.prefix}j{len(self.join_clauses)}"
        if reverse:  # the rows of relation.owner whose key points at `left`
            other = relation.owner
            on = sql.column(other._meta.column(relation.attname).column, alias) == sql.column(
                relation.target._meta.pk.column, left
            )
            if relation.kind == "fk":
                self.multi = True
                self.multi_paths.append(path)
        else:
            other = relation.target
            on = sql.column(other._meta.pk.column, alias) == sql.column(
                relation.owner._meta.column(relation.attname).column, left
            )
        self.join_clauses.append((_table(other, alias), on))
        self.joins[path] = (alias, other)
        return alias, other

    def resolve_join(self, path: tuple[str, ...]) -> tuple[str, Any]:
        """The alias and model at the end of a path of relations to at most one row each
        (forward, or the reverse of a one-to-one), joined."""
        model, alias = self.model, self.alias
        for depth, part in enumerate(path):
            info = model._meta
            relation = info.relations.get(part)
            reverse = relation is None
            if relation is None:
                relation = info.reverse[part]
            alias, model = self._join(path[: depth + 1], alias, relation, reverse=reverse)
        return alias, model

    def resolve(self, name: str, *, lookups: bool) -> tuple[Any, Column | None, str]:
        """``(expression, column, lookup)`` for a ``__``-separated name; the column is None
        for a relation compared as a whole (its key). ``lookup`` is ``exact`` when none."""
        name = named_text(self.model.__name__, name, "field or relation")
        parts = name.split("__")
        model, alias = self.model, self.alias
        path: tuple[str, ...] = ()
        for index, part in enumerate(parts):
            info = model._meta
            rest = parts[index + 1 :]
            column = info.columns.get(part) or (info.pk if part == "pk" else None)
            if column is not None:
                result = self.selecting and not rest  # values("flag"), not "data__key"
                expr = read_column(column, alias, self.dialect, result=result)
                return self._finish(expr, column, rest, name, lookups)
            relation = info.relation(part)
            if relation is None:
                extra = LOOKUPS if index and lookups else ()
                raise info.unknown(part, "field or relation", extra)
            forward = relation.owner is model and info.relations.get(part) is relation
            if forward and relation.kind != "m2m" and (not rest or rest[0] in LOOKUPS):
                key = info.columns[relation.attname]  # post.author == x: the key column
                return self._finish(sql.column(key.column, alias), key, rest, name, lookups)
            path = (*path, part)
            alias, model = self._join(path, alias, relation, reverse=not forward)
            if not rest or rest[0] in LOOKUPS:
                pk = model._meta.pk
                return self._finish(sql.column(pk.column, alias), pk, rest, name, lookups)
        raise FieldError(f"{self.model.__name__}: cannot resolve {name!r}")

    def _finish(
        self, expr: Any, column: Column, rest: list[str], name: str, lookups: bool
    ) -> tuple[Any, Column, str]:
        if not rest:
            return expr, column, "exact"
        if is_json(column):  # data__owner__name, data__has_key: orm.json_keys
            if not lookups:
                model, selecting = self.model.__name__, self.selecting
                read = json_keys.read(self.dialect, expr, rest, name, model, selecting)
                return read, json_keys.Read(column), "exact"  # type: ignore[return-value]
            known = (*LOOKUPS, *datetimes.PARTS)
            found, lookup = json_keys.resolve(expr, rest, name, self.model.__name__, known)
            return found, column, lookup
        if len(rest) == 1 and lookups and rest[0] in LOOKUPS:
            return expr, column, rest[0]
        parts = datetimes.parts_of(column.logical.name)
        if rest[0] in datetimes.PARTS and parts:  # created__year, created__date__lt
            return datetimes.transform(self, expr, column, rest, name, lookups)
        bad = rest[0]
        if not lookups and len(rest) == 1 and bad in LOOKUPS:  # values("name__exact")
            raise lookup_as_value(self.model.__name__, name, bad)
        hint = other_spelling(name, bad) or did_you_mean(bad, (*LOOKUPS, *parts))
        raise FieldError(
            f"{self.model.__name__}: {name!r}: {bad!r} is not a lookup of {column.name}{hint} "
            f"(lookups: {', '.join(LOOKUPS)}{'; parts: ' if parts else ''}{', '.join(parts)})"
        )

    def column_of(self, name: str) -> tuple[Any, Column | None]:
        expr, column, _ = self.resolve(name, lookups=False)
        return expr, column

    def selected(self, name: str) -> tuple[Any, Column | None]:
        """`column_of` for values(), which may also read inside a JSON field."""
        self.selecting = True
        try:
            return self.column_of(name)
        finally:
            self.selecting = False

    # -- expressions ------------------------------------------------------------------------

    def value(self, value: Any, column: Column | None) -> Any:
        """A bound value converted for ``column``, or the SQL of an ``F``/aggregate (by its
        real type: an object whose ``__class__`` claims ``F`` is a value, checked as one)."""
        if issubclass(type(value), _EXPRS):
            plain_f = type(value) is F  # (a date with a datetime: two answers)
            if (plain_f or isinstance(value, subqueries.EXPRESSIONS)) and isinstance(
                column, Column
            ):
                subqueries.check_compared(self, value, column)
            if type(value) is Arith and column is not None:  # a date's kind (orm.durations)
                durations.check_compared(self, value, column)
            if isinstance(value, (F, Arith, Value)) and isinstance(column, Column):
                arithmetic.check_compared(self, value, column)  # decimal with float
            return self.expression(value)
        if value is None or column is None:
            return value
        if hasattr(type(value), "_subquery"):  # a QuerySet: Django's pk=qs.values("pk")[:1]
            return self.value(subqueries.Subquery(value), column)
        if hasattr(type(value), "_meta") and (column.relation is not None or column.primary_key):
            value = self._key_of(value, column)  # author=<Author>: compare keys
        value = column.check(value, self.model.__name__)
        to_db = column.converters(self.dialect)[0]
        return to_db(value) if to_db is not None else value

    def _key_of(self, instance: Any, column: Column) -> Any:
        """The key of a model instance compared with a relation (its key column) or with a
        related model's key: refused when it is another model's, whose key would match
        unrelated rows."""
        model = column.relation.target if column.relation is not None else column.model
        if isinstance(model, type) and not row_of(instance, model):  # (a subclass's table too)
            raise FieldError(
                f"{self.model.__name__}: a {type(instance).__name__} instance compared with "
                f"{column.name}, which holds {model.__name__} keys"
            )
        if instance.pk is None:  # = NULL would match nothing, and hide the mistake
            raise FieldError(
                f"{self.model.__name__}: an unsaved {type(instance).__name__} compared with "
                f"{column.name}: save it first"
            )
        return instance.pk

    def expression(self, value: Any) -> Any:
        if isinstance(value, subqueries.EXPRESSIONS):
            return subqueries.compile(self, value)
        if isinstance(value, F):
            named = expression_of(self.annotations, value) if self.annotations else None
            if named is not None:  # F("alias") of an annotation (orm.refs)
                return self.expression(named)
            if isinstance(value, Trunc):
                return datetimes.trunc(self, value)
            expr, column = self.column_of(value.name)
            return expr if column is None else flag_integer(column, expr, self.dialect)
        if isinstance(value, (Arith, Case, Value, Func)):  # typed: orm.arithmetic
            return arithmetic.compile(self, value)
        if isinstance(value, Aggregate):
            self.aggregated = True
            if not isinstance(value.field, str) or value.field in self.annotations:
                return arithmetic.aggregate(self, value)
            if value.field == "*":
                arg: Any = (
                    sql.raw("*") if value.filter is None else conditional.when(self, value, None)
                )
            else:
                arg, column = self.column_of(value.field)
                if column is not None:  # MAX(flag): its integer
                    arg = flag_integer(column, arg, self.dialect)
                if value.filter is not None:  # CASE WHEN filter THEN arg END
                    arg = conditional.when(self, value, arg)
                numeric = column is None or (column.logical.name in NUMERIC and column.enum is None)
                summed = value.function == "sum" and is_duration(column)  # exact everywhere
                spread = value.function in deviations.FUNCTIONS
                if (value.function in ("sum", "avg") or spread) and not numeric and not summed:
                    raise FieldError(
                        f"{self.model.__name__}: {value!r}: {value.field} is not a number "
                        f"(SQLite and MariaDB would answer 0, PostgreSQL refuse it)"
                    )
                if value.function == "avg" and is_decimal(column):
                    places = column.logical.scale or 0
                    where = _summed(self.model, value.field)
                    return arithmetic.decimal_mean(self.dialect, arg, places, value.distinct, where)
                scale = sqlite_scale(self.dialect, column)
                if value.function == "sum" and scale is not None:
                    # SQLite's DECIMALs are doubles: add them as whole units of the scale,
                    # which doubles add exactly (orm.results turns it back into a Decimal)
                    where = _summed(self.model, value.field)
                    units = arithmetic.sqlite_units(arg, scale, where)
                    return sql.func.sum(units, distinct=value.distinct) / float(10**scale)
                if (
                    value.function == "avg"
                    and self.dialect != "sqlite"
                    and column is not None
                    and column.logical.name in BINARY_NUMBERS
                    and column.enum is None
                ):
                    # a float in double precision, as SQLite answers: PostgreSQL's AVG of
                    # integers is a numeric of 16 places, MariaDB's a decimal of 4
                    arg = sql.cast(arg, "double")
                if is_json(column) and (value.function != "count" or value.distinct):
                    raise FieldError(
                        f"{self.model.__name__}: {value!r}: {value.field} is JSON, which the "
                        "databases order and tell apart differently (only Count of its rows "
                        "can be answered)"
                    )
                answerable = value.function == "count" and not value.distinct
                if column is not None and column.encryption is not None and not answerable:
                    raise FieldError(
                        f"{self.model.__name__}: {value!r}: {column.name} is encrypted "
                        "(only Count of its rows can be answered)"
                    )
                if self.dialect == "postgres" and value.function in ("min", "max"):
                    logical = column.logical.name if column is not None else ""
                    return arithmetic.postgres_min_max(value.function, arg, logical, value.distinct)
                if spread:
                    kind = arithmetic.column_kind(column) if column is not None else None
                    return deviations.call(self.dialect, value.function, arg, kind)
            return getattr(sql.func, value.function)(arg, distinct=value.distinct)
        return sql.literal(value)

    def condition(self, name: str, value: Any, negated: bool = False) -> Any:
        """One ``name=value`` condition; ``negated``: under an odd number of NOTs, where a
        NULL must make it false, not unknown (``exclude(c)`` keeps the rows where ``c`` is
        NULL, as Django does: the complement of ``filter(c)``)."""
        if type(name) is str and name == subqueries.CONDITION:  # Q(Exists(...)); (a str
            # subclass is a name given, whose == may say anything)
            return subqueries.condition(self, value)
        if self.annotations and name.partition("__")[0] in self.annotations:
            return self._annotation_condition(name, value, negated)
        expr, column, lookup = self.resolve(name, lookups=True)
        if self.dialect == "postgres":
            field = name[: -len(lookup) - 2] if name.endswith("__" + lookup) else name
            refuse_nul_condition(self.model, field, column, value)
        ranged = datetimes.year_range(self, name, column, lookup, value)
        if ranged is not None:  # created__year=2024: a range of created, which an index serves
            found, expr = ranged
        else:
            found = field_lookup(self, expr, column, lookup, value, name)
        json_key = isinstance(expr, json_keys.KeyPath)  # never unknown
        if negated and not json_key and (column is None or column.nullable or self._joined(name)):
            found = _known(found, expr, lookup, value)
        return self._known_values(found, lookup, value) if negated else found

    def _joined(self, name: str) -> bool:
        """Whether a filter name reads through a LEFT JOIN (NULL where none joins)."""
        parts = name.split("__")
        if len(parts) > 1 and parts[-1] in LOOKUPS:
            parts.pop()
        return len(parts) > 1 or self.model._meta.outer(parts[0])

    def _known_values(self, found: Any, lookup: str, value: Any) -> Any:
        """``found`` (under a NOT) made false, not unknown, where an expression on its value
        side is NULL: ``exclude(e__lt=F("d"))`` keeps the rows where ``d`` is NULL, as Django
        does (it adds ``d IS NOT NULL`` inside the NOT)."""
        if lookup in _ONE_OPERAND and hasattr(type(value), "_subquery"):
            value = subqueries.Subquery(value)  # a QuerySet's one value: NULL with no row
        if lookup in _ONE_OPERAND and issubclass(type(value), _EXPRS):
            return sql.and_(found, self.expression(value).is_not(None))
        if lookup in ("in", "range") and _holds_expression(value):
            # one NULL bound or item may leave it unknown for some rows only: false there
            return sql.func.coalesce(found, sql.raw("FALSE"))
        return found

    def _annotation_condition(self, name: str, value: Any, negated: bool = False) -> Any:
        """``n__gt=1`` on the annotation ``n``: its expression compared (bound values)."""
        first, _, rest = name.partition("__")
        windows.check_filtered(self, first)  # computed after WHERE and HAVING
        lookup = rest or "exact"
        annotation = self.annotations[first]
        if lookup not in ANNOTATION_LOOKUPS:
            text = lookup in TEXT_LOOKUPS and _is_text(self._annotation_type(annotation))
            if not text:
                raise FieldError(
                    f"{self.model.__name__}: {name}: an annotation takes the lookups "
                    f"{', '.join(ANNOTATION_LOOKUPS)}, and a text annotation also "
                    f"{', '.join(TEXT_LOOKUPS)}; not {rest!r}"
                )
        refs = _refs(value) if has_aggregate(annotation) else []
        for ref in refs:  # an annotation (orm.refs) has one value per group
            if ref not in self.grouped and ref not in self.annotations:  # SQLite: any row
                raise FieldError(
                    f"{self.model.__name__}: {name}: F({ref!r}) is not a grouped field, so an "
                    "annotation cannot be compared with it"
                )
        expr = self.expression(annotation)
        if lookup in TEXT_LOOKUPS and self.dialect == "mysql":
            # a text expression may carry an explicit collation (a constant's), which would
            # clash with the one LIKE and REGEXP name there: cast it to the implicit kind
            expr = sql.raw("CAST(? AS CHAR CHARACTER SET utf8mb4)", expr)
        found = field_lookup(self, expr, self._annotation_type(annotation), lookup, value, name)
        counted = isinstance(annotation, Aggregate) and annotation.function == "count"
        if negated and not counted:
            found = _known(found, expr, lookup, value)
        return self._known_values(found, lookup, value) if negated else found

    def _annotation_type(self, value: Any) -> Any:
        """What a value compared with an annotation is checked and converted as: the field
        an ``F``, ``Min``, ``Max`` or ``Sum`` reads (``Sum`` of an int field: int), else a
        number (``Count``, ``Avg``, arithmetic)."""
        if isinstance(value, (Arith, Case, Value, Func, *subqueries.EXPRESSIONS)) or (
            isinstance(value, Aggregate) and not isinstance(value.field, str)
        ):
            kind = arithmetic.kind_of(self, value)
            if kind.name == "field":
                return kind.column
            if kind.name in durations.TEMPORAL:
                return durations.Compared(kind.name)
            return NUMBER if kind.name in arithmetic.NUMBERS else Plain(kind.name)
        if isinstance(value, F):
            field = value.name
        elif isinstance(value, Aggregate) and value.function in ("sum", "min", "max"):
            field = value.field
        else:
            return NUMBER
        if field != "*":
            column = _column(self.model, self.dialect, field)
            if column is not None and sqlite_scale(self.dialect, column) is not None:
                return NUMBER  # a double there: compared with the number as a double
            if column is not None:
                return column
        return NUMBER

    def split(
        self, nodes: tuple[Q, ...], grouped: frozenset[str] = frozenset(), late: int | None = None
    ) -> tuple[Any, Any]:
        """``(where, having)``: the conditions on rows and those on aggregate annotations.
        ANDed parts are sorted into the two. An OR or NOT mixing both kinds goes whole into
        HAVING when its row conditions name only ``grouped`` fields (constant in a group,
        so the answer is the same); otherwise it is refused. ``late``: the index of the first
        node made after an aggregate ``annotate()`` (``row_condition``)."""
        where: list[Any] = []
        having: list[Any] = []
        self.grouped = grouped

        def walk(node: Q, after: bool, keyed: list[Q]) -> None:
            if not node.negated and node.connector == "and":
                for child in node.children:
                    if isinstance(child, Q):
                        walk(child, after, keyed)
                    elif self._aggregate_pair(*child):
                        self._refuse_ungrouped([child], grouped)
                        having.append(self.condition(*child))
                    elif (condition := self.row_condition(child, after, keyed)) is not None:
                        where.append(condition)
                return
            found = pairs(node)
            kinds = {self._aggregate_pair(name, value) for name, value in found}
            if True in kinds:
                self._refuse_ungrouped([p for p in found if self._aggregate_pair(*p)], grouped)
            if kinds == {True, False}:
                rows = [(n, v) for n, v in found if not self._aggregate_pair(n, v)]
                if not all(
                    _grouped_name(n, grouped) and all(r in grouped for r in _refs(v))
                    for n, v in rows
                ):
                    raise FieldError(
                        f"{self.model.__name__}: {node!r} mixes conditions on aggregate "
                        "annotations (HAVING) and on rows (WHERE) under OR/NOT, and "
                        f"{', '.join(n for n, _ in rows)} is not on grouped fields: filter "
                        "them in separate "
                        "filter() calls or Q objects joined by &"
                    )
            condition = (
                self.q(node, having=True)
                if True in kinds
                else self.row_condition(node, after, keyed)
            )
            if condition is not None:
                (having if True in kinds else where).append(condition)

        for index, node in enumerate(nodes):
            if self.rejoins(node):
                where.append(self.keys_matching(node))
            else:  # the parts of one call that pick keys, met by one related row: one subquery
                keyed: list[Q] = []
                walk(node, late is not None and index >= late, keyed)
                if keyed:
                    where.append(self.keys_matching(Q(*keyed)))
        return (
            chained("and", where, self.dialect)
            if len(where) > 1
            else (where[0] if where else None),
            chained("and", having, self.dialect)
            if len(having) > 1
            else (having[0] if having else None),
        )

    def row_condition(self, item: Any, late: bool = False, keyed: list[Q] | None = None) -> Any:
        """A WHERE condition (a ``Q`` or a ``(name, value)`` pair) beside the query's
        aggregates. A to-many join it needs would repeat the rows an aggregate reads: it
        shares the join when every aggregate that repeated rows would change reads through
        that relation (``filter(posts__views__gt=0).annotate(n=Count("posts"))`` counts the
        matching posts, as in Django); it becomes ``pk IN (subquery)`` when no aggregate
        reads through it (the rows that have a matching related row, each once), or when it
        is ``late``, made after the ``annotate()`` whose aggregates read through it: as in
        Django, it then picks rows and leaves their aggregates whole (``grouping.
        check_late_filters`` refuses it beside a Count or Sum, which Django multiplies);
        anything between has no one answer and is refused. ``keyed`` collects what picks keys."""
        if not self.chains:
            return self.q(item) if isinstance(item, Q) else self.condition(*item)
        node = item if isinstance(item, Q) else Q(**{item[0]: item[1]})
        probe = Scope(self.model, self.dialect)
        probe.annotations = self.annotations
        probe.q(node)
        if late and any(c[: len(p)] == p for p in probe.multi_paths for c, _ in self.chains):
            return self._picking(node, keyed)
        shared = rewritten = grouped = False
        for path in probe.multi_paths:
            if path in self.grain:
                grouped = True  # the groups are made of its rows: the filter picks them
                continue
            readers = [c for c, _ in self.chains if c[: len(path)] == path]
            changed = [c for c, immune in self.chains if not immune and c[: len(path)] != path]
            if not changed:
                shared = True
            elif not readers:
                rewritten = True
            else:
                shared = rewritten = True
        if not rewritten:
            return self.q(node)
        if grouped:  # a key subquery would leave the groups' rows unpicked
            raise FieldError(
                f"{self.model.__name__}: {node!r} joins a to-many relation past the one the "
                "groups are made of: pick its rows by filter(<relation>__in=<Model>.filter(...))"
            )
        if shared:
            raise FieldError(
                f"{self.model.__name__}: {node!r} joins a to-many relation that some "
                "aggregates read and others would be multiplied by: filter it in a separate "
                "filter() call, or aggregate with distinct=True"
            )
        return self._picking(node, keyed)

    def _picking(self, node: Q, keyed: list[Q] | None) -> Any:
        return self.keys_matching(node) if keyed is None else keyed.append(node)  # None

    def keys_matching(self, node: Q) -> Any:
        """``pk IN (the keys of the rows matching node)``: a condition with joins of its own."""
        from ferrule.orm.queryset import QuerySet

        self.subqueries = True
        plain = {k: v for k, v in self.annotations.items() if not has_aggregate(v)}
        keys = QuerySet(self.model).annotate(**plain).filter(node)._subquery(self.dialect)
        return sql.column(self.model._meta.pk.column, self.alias).in_(keys)

    def rejoins(self, node: Q) -> bool:
        """Whether ``node`` (a later ``filter()`` call) names a to-many path an earlier call
        joined. As in Django, each call's conditions may then be met by another related row
        (``filter(tags__label="a").filter(tags__label="b")``: tagged with both), so the call
        becomes :meth:`keys_matching` instead of sharing that join."""
        if not self.multi_paths:
            return False
        if any(self._aggregate_name(name) for name, _ in pairs(node)):
            return False  # a HAVING condition: it stays with the query's groups
        probe = Scope(self.model, self.dialect)
        probe.annotations = self.annotations
        probe.q(node)
        return not set(probe.multi_paths).isdisjoint(self.multi_paths)

    def _aggregate_pair(self, name: str, value: Any) -> bool:
        """Whether a condition reads an aggregate annotation: by its name (``n__gt=1``) or
        by an ``F`` of its value (``rating__lt=F("n")``): a HAVING condition either way, as
        Django makes it (the second was looked for among the row's fields: 'no field n')."""
        return self._aggregate_name(name) or any(self._aggregate_name(r) for r in _refs(value))

    def _refuse_ungrouped(self, found: list[tuple[str, Any]], grouped: frozenset[str]) -> None:
        refuse_ungrouped(self.model, self.annotations, self._aggregate_name, _refs, found, grouped)

    def _aggregate_name(self, name: str) -> bool:
        """Whether a filter name refers to an annotation holding an aggregate."""
        found = self.annotations.get(name.partition("__")[0])
        return found is not None and has_aggregate(found)

    def q(self, node: Q, *, having: bool = False, negated: bool = False) -> Any:
        """A ``Q`` tree's condition; ``negated``: it sits under an odd number of NOTs."""
        odd = negated != node.negated
        if node.negated and not having and self._multi_under(node):
            # NOT over a join that repeats rows would drop the rows without related ones
            # and keep those with others: exclude by key instead, as Django does
            from ferrule.orm.queryset import QuerySet

            pk = sql.column(self.model._meta.pk.column, self.alias)
            if self.probing:
                return pk.is_(None)  # no join of this scope's: what stands here is moot
            self.subqueries = True
            positive = ~node  # the same conditions, not negated
            plain = {k: v for k, v in self.annotations.items() if not has_aggregate(v)}
            inner = QuerySet(self.model).annotate(**plain).filter(positive)
            token = _PROBED.set(self.probed)
            try:
                with now.one_clock(self.clock):
                    keys = inner._subquery(self.dialect)
            finally:
                _PROBED.reset(token)
            return pk.not_in(keys)
        if node.connector == "xor":  # its terms are flags, a NULL one false: never unknown
            odd = False
        parts = []
        for child in node.children:
            if isinstance(child, Q):
                parts.append(self.q(child, having=having, negated=odd))
            else:
                parts.append(self.condition(child[0], child[1], odd))
        parts = [p for p in parts if p is not None]  # an empty Q() is no condition
        if not parts:
            combined = None
        elif len(parts) == 1:
            combined = parts[0]
        else:
            combined = chained(node.connector, parts, self.dialect)
        if node.negated and combined is not None:
            return sql.not_(combined)
        return combined

    def _multi_under(self, node: Q) -> bool:
        """Whether ``node``'s conditions, not negated, join a to-many relation. A probe scope
        compiles them to see; the answer is kept per node for this query, and its probe shares
        the store, so NOTs nested n deep cost n probes, not 2**n (each probe compiles the NOTs
        under it, which probe again)."""
        key = (self.model, id(node))
        found = self.probed.get(key)
        if found is None:
            probe = Scope(self.model, self.dialect)
            probe.annotations = self.annotations
            probe.probed, probe.probing = self.probed, True
            probe.q(~node)
            multi = probe.multi and row_negation.joins_many(self, node)
            found = self.probed[key] = (node, multi)
        return found[1]

    def from_(self) -> Any:
        base = _table(self.model, self.prefix or None)
        return base, self.join_clauses


#: the probe answers of the query whose NOT makes a key subquery (``Scope.probed``)
_PROBED: contextvars.ContextVar[dict[tuple[Any, int], tuple[Q, bool]] | None] = (
    contextvars.ContextVar("ferrule_probed", default=None)
)

_EXPRS = (F, Arith, Aggregate, Case, Value, Func, *subqueries.EXPRESSIONS)


def _is_text(kind: Any) -> bool:
    """An annotation of text: a text function or ``Case`` of text, or the values of a text
    field (``F("blog__name")``, ``Max("headline")``; an enum's are not text)."""
    if isinstance(kind, Plain):
        return kind.kind == "text"
    return isinstance(kind, Column) and kind.logical.name in ("str", "text") and kind.enum is None


@functools.lru_cache(maxsize=4096)
def _column(model: Any, dialect: str, name: str) -> Column | None:
    """The column a name reads (resolved on a scope of its own: no join in the query)."""
    return Scope(model, dialect).column_of(name)[1]


#: the lookups whose value is one operand (``in`` and ``range`` hold several, and one NULL
#: among them does not make the condition unknown for every row)
_ONE_OPERAND = frozenset({"exact", "gt", "gte", "lt", "lte", *TEXT_LOOKUPS})


def _holds_expression(value: Any) -> bool:
    """Whether a list or pair of values holds an expression (an ``F``, ...)."""
    return isinstance(value, (list, tuple)) and any(isinstance(v, _EXPRS) for v in value)


def _known(condition: Any, expr: Any, lookup: str, value: Any) -> Any:
    """``condition`` made false, not unknown, where ``expr`` is NULL (for under a NOT)."""
    if lookup == "isnull" or (lookup in ("exact", "iexact") and value is None):
        return condition
    return sql.and_(condition, expr.is_not(None))


def _grouped_name(name: str, grouped: frozenset[str]) -> bool:
    """Whether a filter name (``rating``, ``rating__gt``) is on a grouped field itself."""
    field, _, lookup = name.partition("__")
    return field in grouped and (not lookup or lookup in LOOKUPS)


def _refs(value: Any) -> list[str]:
    """The field names of the ``F``s in a value, outside aggregates (rows, not groups)."""
    if isinstance(value, F):
        return [value.name]
    if isinstance(value, Arith):
        return [*_refs(value.left), *_refs(value.right)]
    if isinstance(value, Func):
        return _refs(list(value.args))
    if isinstance(value, (list, tuple)):
        return [name for item in value for name in _refs(item)]
    return []


def pairs(node: Q) -> list[tuple[str, Any]]:
    """Every ``(name, value)`` condition of a ``Q`` tree."""
    out: list[tuple[str, Any]] = []
    for child in node.children:
        out.extend(pairs(child) if isinstance(child, Q) else [child])
    return out


def _table(model: Any, alias: str | None) -> sql.Table:
    table: sql.Table = model._meta.sql_table
    return table.alias(alias) if alias else table


def _summed(model: Any, field: Any) -> str:
    """``Model.field`` of an aggregate over one field, for its messages; "" for one over an
    expression (``arithmetic.sqlite_units`` checks a field's places only)."""
    return f"{model.__name__}.{field}" if isinstance(field, str) else ""
