"""The queries of the Django differential test: each is one line of Python, made from a seed,
that means the same in both libraries (``Book.filter(Q(author__name__icontains='an') |
~Q(pages__gt=50)).order_by('-price', 'pk').values('id', 'price')``), evaluated in Django's
namespace (sync) and in ferrule's (async), and the answers compared after `canonical`.

A line is evaluated to a QuerySet (its rows are read), a value, or a coroutine (awaited). A
``Case`` says how its answer is compared: in order or as a multiset, and for a write, which
query reads the rows it left (inside the write's transaction, which is rolled back)."""

from __future__ import annotations

import datetime
import decimal
import math
import random
import re
from dataclasses import dataclass
from typing import Any

D = decimal.Decimal
UTC = datetime.timezone.utc

# field catalogue per root model: name -> type; a "*" marks a path through a to-many relation
BOOK = {
    "id": "int",
    "title": "text",
    "blurb": "text",
    "note": "text?",
    "pages": "int?",
    "price": "dec?",
    "rating": "float?",
    "in_print": "bool",
    "signed": "bool?",
    "published": "date?",
    "stamp": "dt?",
    "author": "fk",
    "editor": "fk?",
    "author_id": "fk",
    "author__name": "text",
    "author__nick": "text?",
    "author__age": "int?",
    "author__score": "float?",
    "author__active": "bool",
    "author__born": "date?",
    "editor__name": "text?",
    "editor__age": "int?",
    "tags": "fk*",
    "tags__name": "text*",
    "tags__id": "int*",
    "author__books__pages": "int?*",
    "author__books__title": "text*",
}
AUTHOR = {
    "id": "int",
    "name": "text",
    "nick": "text?",
    "age": "int?",
    "score": "float?",
    "born": "date?",
    "active": "bool",
    "books": "fk*",
    "books__title": "text*",
    "books__pages": "int?*",
    "books__price": "dec?*",
    "books__rating": "float?*",
    "books__in_print": "bool*",
    "books__signed": "bool?*",
    "books__published": "date?*",
    "books__tags__name": "text*",
    "books__tags": "fk*",
    "edited__pages": "int?*",
    "edited": "fk*",
}
TAG = {
    "id": "int",
    "name": "text",
    "books": "fk*",
    "books__pages": "int?*",
    "books__title": "text*",
    "books__author__name": "text*",
    "books__author__age": "int?*",
}
FIELDS = {"Book": BOOK, "Author": AUTHOR, "Tag": TAG}
#: the model a relation's name leads to
TARGETS = {
    "author": "Author",
    "author_id": "Author",
    "editor": "Author",
    "tags": "Tag",
    "books": "Book",
    "edited": "Book",
}
#: paths through a to-many relation a root's values() may read
MANY_VALUES = {
    "Book": ("tags__name", "author__books__pages", "tags"),
    "Author": ("books__title", "books__tags__name", "edited__pages", "books"),
    "Tag": ("books__title", "books__pages", "books__author__name"),
}
#: the plain (own, single-valued) fields a root's values()/order_by() read
OWN = {
    "Book": ("id", "title", "note", "pages", "price", "rating", "in_print", "signed",
             "published", "stamp", "author", "editor", "author__name", "editor__age"),
    "Author": ("id", "name", "nick", "age", "score", "born", "active"),
    "Tag": ("id", "name"),
}  # fmt: skip
#: pairs of fields of one type for F() comparisons
F_PAIRS = {
    "Book": (
        ("pages", "author__age"),
        ("rating", "author__score"),
        ("title", "author__name"),
        ("title", "blurb"),
        ("note", "blurb"),
        ("published", "author__born"),
        ("author", "editor"),
        ("pages", "tags__id"),
    ),
    "Author": (
        ("age", "books__pages"),
        ("name", "books__title"),
        ("score", "books__rating"),
        ("name", "nick"),
        ("born", "books__published"),
    ),
    "Tag": (("name", "books__title"), ("id", "books__pages")),
}
#: to-many relations of a root, and numeric/ordered fields through them, for aggregates
AGGREGATES = {
    "Book": {
        "count": ("id", "tags", "note", "author", "editor", "author__books", "tags__books"),
        "num": ("pages", "price", "rating", "tags__id", "author__age", "author__books__pages"),
        "ord": ("title", "published", "stamp", "price", "author__name", "tags__name"),
    },
    "Author": {
        "count": ("id", "books", "edited", "books__tags", "nick", "books__note"),
        "num": ("age", "score", "books__pages", "books__price", "books__rating", "edited__pages"),
        "ord": ("name", "born", "books__title", "books__published", "books__stamp"),
    },
    "Tag": {
        "count": ("id", "books", "books__author", "books__tags"),
        "num": ("books__pages", "books__price", "books__author__age"),
        "ord": ("name", "books__title", "books__published"),
    },
}

TEXT_VALUES = ("ann", "Ann", "ANNA", "bob", "", " ann", "ann ", "élan", "Élan", "Жук", "a_b",
               "50% off", "back\\slash", "zeta", "o'neil", "m")  # fmt: skip
TEXT_LOOKUPS = ("exact", "iexact", "contains", "icontains", "startswith", "istartswith",
                "endswith", "iendswith")  # fmt: skip
PATTERNS = ("ann", "Ann", "AN", "n", "é", "É", "ж", "Ж", "%", "_", "!", "\\", "'", "b", "o", "",
            " ", "x", "a_b", "50%")  # fmt: skip


@dataclass
class Case:
    seed: str  # "<data seed>:<query number>"
    text: str
    ordered: bool  # compare rows in order (else as a multiset)
    root: str
    after: str | None = None  # a write: the query reading what it left
    django: str | None = None  # Django's spelling of the query, where it differs (`Query`)
    multiplied: bool = False  # Django's aggregates are multiplied by a filter's join (`Query`)

    @property
    def django_text(self) -> str:
        return self.django or self.text

    def __str__(self) -> str:
        shown = f"[{self.seed}] {self.text}"
        if self.django:
            shown += f"\n    Django: {self.django}"
        return shown + (f"\n    then {self.after}" if self.after else "")


def _value(rnd: random.Random, kind: str) -> Any:
    kind = kind.rstrip("?*")
    if kind == "text":
        return rnd.choice(TEXT_VALUES)
    if kind in ("int", "fk"):
        return rnd.choice((0, 1, 2, 3, 5, 7, 18, 40, 50, 65, 120, 300, 999))
    if kind == "dec":
        return D(rnd.choice(("0.00", "1.50", "9.99", "10", "25.25", "-1")))
    if kind == "float":
        return rnd.choice((0.0, 0.25, 1.5, 2.0, 4.75, -1.5))
    if kind == "bool":
        return rnd.random() < 0.5
    if kind == "date":
        return datetime.date(2020, 1, 1) + datetime.timedelta(days=rnd.randint(-20000, 1500))
    assert kind == "dt", kind
    return datetime.datetime(2024, 1, 1, tzinfo=UTC) + datetime.timedelta(
        hours=rnd.randint(-100, 100), minutes=rnd.choice((0, 30))
    )


def _lookup(rnd: random.Random, path: str, kind: str) -> str:
    """``path__lookup=value`` as text."""
    base = kind.rstrip("?*")
    if base == "fk":
        if rnd.random() < 0.4:
            return f"{path}={rnd.randint(1, 9)!r}"
        if rnd.random() < 0.2:  # a QuerySet as the list of keys
            target = TARGETS[path.split("__")[-1]]
            field = rnd.choice([n for n in OWN[target] if "__" not in n and n != "id"])
            inner = _lookup(rnd, field, FIELDS[target][field])
            keys = rnd.choice(("", ".values('pk')", ".values_list('id', flat=True)"))
            return f"{path}__in={target}.filter({inner}){keys}"
        lookups = ["in", "isnull", "exact"]
    elif base == "bool":
        lookups = ["exact", "isnull", "in"]
    elif base == "text":
        lookups = [*TEXT_LOOKUPS, "in", "gt", "gte", "lt", "lte", "range", "isnull"]
    else:
        lookups = ["exact", "in", "gt", "gte", "lt", "lte", "range", "isnull"]
        if base in ("date", "dt"):
            lookups += ["year", "year__gt", "month", "day__lte", "quarter"]
            if base == "dt":
                lookups += ["date", "hour", "date__gt"]
    lookup = rnd.choice(lookups)
    if lookup == "isnull":
        value: Any = rnd.random() < 0.5
    elif lookup == "in":
        value = [_value(rnd, kind) for _ in range(rnd.choice((0, 1, 2, 3)))]
        if rnd.random() < 0.15:
            value.append(None)  # Django leaves a None out of an IN list
    elif lookup == "range":
        value = tuple(sorted((_value(rnd, kind), _value(rnd, kind))))
    elif lookup.startswith("year"):
        value = rnd.choice((1990, 2020, 2021, 2023, 2024))
    elif lookup.startswith(("month", "day", "quarter", "hour")):
        value = rnd.choice((1, 2, 3, 4, 6, 12, 15, 23, 28))
    elif lookup.startswith("date"):
        value = _value(rnd, "date")
    elif lookup in ("exact", "iexact") and kind.endswith("?") and rnd.random() < 0.2:
        value = None  # `x=None` is `x__isnull=True` in Django
    elif "contains" in lookup or "startswith" in lookup or "endswith" in lookup:
        value = rnd.choice(PATTERNS)
    else:
        value = _value(rnd, kind)
    if lookup == "exact" and rnd.random() < 0.5:
        return f"{path}={value!r}"
    return f"{path}__{lookup}={value!r}"


def _f_condition(rnd: random.Random, root: str) -> str:
    left, right = rnd.choice(F_PAIRS[root])
    lookup = rnd.choice(("", "__gt", "__lt", "__gte", "__lte"))
    other = f"F({right!r})"
    if rnd.random() < 0.3 and left in ("pages", "age", "id"):
        other += rnd.choice((" + 1", " - 10", " * 2"))
    if rnd.random() < 0.5:
        left, right = right, left  # either side may be the to-many one
        other = f"F({right!r})"
    return f"{left}{lookup}={other}"


#: the to-many relations of each root a path may go through
MANY = {
    "Book": ("tags", "author__books", "tags__books"),
    "Author": ("books", "edited", "books__tags"),
    "Tag": ("books", "books__tags"),
}
_NAME = re.compile(r"[A-Za-z_]\w*")


def to_many(root: str, text: str) -> set[str]:
    """The to-many relations the field paths of ``text`` (a condition, an aggregate) go
    through."""
    found = set()
    for token in _NAME.findall(text):
        found.update(p for p in MANY[root] if token == p or token.startswith(p + "__"))
    return found


def condition(rnd: random.Random, root: str, depth: int = 0) -> tuple[str, str]:
    """A ``Q`` tree as text: ferrule's, and Django's for the same meaning (`Query`): a negated
    condition across a to-many relation is its complement among the root's rows."""
    ours, theirs, _ = _condition(rnd, root, depth)
    return ours, theirs


def _condition(rnd: random.Random, root: str, depth: int) -> tuple[str, str, str]:
    """(ferrule's text, Django's, Django's without the outermost ``~``: ``~~a`` is ``a``)."""
    roll = rnd.random()
    if depth >= 2 or roll < 0.45:
        fields = FIELDS[root]
        if rnd.random() < 0.15:
            leaf = f"Q({_f_condition(rnd, root)})"
        else:
            path = rnd.choice(list(fields))
            leaf = f"Q({_lookup(rnd, path, fields[path])})"
        return _negated(root, leaf, leaf, leaf) if rnd.random() < 0.2 else (leaf, leaf, leaf)
    if roll < 0.9:
        joint = " & " if roll < 0.68 else " | " if roll < 0.86 else " ^ "
        a, a2, _ = _condition(rnd, root, depth + 1)
        b, b2, _ = _condition(rnd, root, depth + 1)
        if joint == " ^ ":
            if to_many(root, a + b):
                joint = " | "  # Django's XOR emulation would read a NOT on the joined row
            else:  # Django's own ^ is no complement under NOT, and drops rows by its joins
                parity = f"(({a2} | {b2}) & ~({a2} & {b2}))"
                return f"({a} ^ {b})", parity, parity
        return f"({a}{joint}{b})", f"({a2}{joint}{b2})", f"({a2}{joint}{b2})"
    return _negated(root, *_condition(rnd, root, depth + 1))


#: what Django's NOT leaves unknown, not true, for some rows with a NULL (`Query`)
_UNSURE = ("^", "F(", "~")


def _negated(root: str, ours: str, theirs: str, plain: str) -> tuple[str, str, str]:
    if ours.startswith("~"):
        return "~" + ours, plain, theirs
    if to_many(root, ours) or any(mark in ours for mark in _UNSURE):  # (`Query`)
        return "~" + ours, f"~Q(pk__in={root}.filter({theirs}).values('pk'))", theirs
    return "~" + ours, "~" + theirs, theirs


def _filters(rnd: random.Random, root: str) -> list[tuple[str, str, str]]:
    """0 to 3 ``filter()``/``exclude()`` calls: (method, arguments as text, Django's)."""
    out = []
    for _ in range(rnd.choice((0, 1, 1, 1, 2, 2, 3))):
        method = "exclude" if rnd.random() < 0.3 else "filter"
        if rnd.random() < 0.3:
            fields = FIELDS[root]
            path = rnd.choice(list(fields))
            lookup = _lookup(rnd, path, fields[path])
            out.append((method, lookup, lookup))
        else:
            out.append((method, *condition(rnd, root)))
    return out


def _joining(text: str) -> str:
    """Django's text of a condition without its subqueries (``pk__in=M.filter(...)``): what
    joins the outer query."""
    while (start := text.find("pk__in=")) >= 0:
        depth, end = 0, text.index("(", start)
        while True:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        text = text[:start] + text[end + 1 :]
    return text


class Query:
    """One query's text for ferrule and, beside it, for Django, where Django's spelling of
    ferrule's documented meaning differs (README, ORM section):

    * rows of instances are each model row once (ferrule selects DISTINCT rows when a filter
      joins a to-many relation; Django repeats a row for each related row met): Django's text
      gets ``.distinct()``;
    * ``exclude(c)`` across a to-many relation is the complement of ``filter(c)``: Django's is
      ``exclude(pk__in=M.filter(c).values("pk"))``, as is ``exclude(c)`` of a ``^`` (Django's
      NOT of its parity is not its complement where a value is NULL), of an ``F`` (Django's
      ticket #23797: ``F("a") + 1`` NULL leaves its NOT unknown) or of a ``~`` (Django's NOT
      of ``~Q(editor=8) & Q(editor__name__lt="b")`` drops the rows without an editor), and so
      is ``~Q(c)`` of any of them inside a filter
      (Django's answer to ``Q(a) & ~Q(c)`` there depends on the order of the two: after a
      join of the relation, it reads the negated condition on that join's row);
    * a filter on a to-many relation no aggregate of the query reads picks the rows, leaving
      the aggregates whole (Django's join would multiply them): Django's is
      ``filter(pk__in=M.filter(c).values("pk"))``; so is a filter made after the aggregates
      (``annotate(...).filter(c)``) on one that an aggregate reads;
    * a later ``filter()`` call joining a relation an earlier one joined picks the rows
      (``orm.compiler.Scope.rejoins``): the aggregates read the first call's join, where
      Django's read the last one's, and ``values()`` rows repeat for the first call's
      related rows, where Django's repeat for the product of the two;
    * a ``filter()`` call joining both a relation an aggregate reads and one none reads:
      ferrule picks the rows of the second part by a subquery, where Django's join multiplies
      the aggregates; Django has no other spelling, so the case is passed over
      (``multiplied``)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.ours = root
        self.theirs = root
        self.multiplied = False

    def add(self, text: str) -> None:
        self.ours += text
        self.theirs += text

    def filters(
        self, calls: list[tuple[str, str, str]], aggregates: str | None = None, after: bool = False
    ) -> None:
        """``calls`` added; ``aggregates`` is the text of the query's aggregates, None when it
        has none, and ``after`` says the calls follow them."""
        read = to_many(self.root, aggregates or "")
        earlier: set[str] = set()
        for method, arguments, theirs in calls:
            self.ours += f".{method}({arguments})"
            joined = to_many(self.root, _joining(theirs))
            picks = bool(joined) and (
                method == "exclude"
                or bool(joined & earlier)
                or (aggregates is not None and (after or not joined & read))
            )
            if method == "filter":
                earlier |= joined
                # one call joining a relation an aggregate reads and one none reads: ferrule
                # picks the rows of the second by a subquery, Django's join multiplies
                self.multiplied |= bool(aggregates is not None and joined & read and joined - read)
            if picks or (method == "exclude" and any(mark in arguments for mark in _UNSURE)):
                self.theirs += f".{method}(pk__in={self.root}.filter({theirs}).values('pk'))"
            else:
                self.theirs += f".{method}({theirs})"
        if not self.ours.endswith(")"):
            self.add(".all()")  # a model class, not a QuerySet: Django's `objects`

    def instances(self) -> None:
        self.theirs += ".distinct()"

    def case(self, seed: str, ordered: bool, after: str | None = None) -> Case:
        theirs = None if self.theirs == self.ours else self.theirs
        return Case(seed, self.ours, ordered, self.root, after, theirs, self.multiplied)


def _order(rnd: random.Random, root: str) -> str:
    names = [
        ("-" if rnd.random() < 0.4 else "") + name
        for name in rnd.sample(OWN[root], min(len(OWN[root]), rnd.choice((1, 1, 2))))
    ]
    return ", ".join(repr(n) for n in [*names, "pk"])


def _aggregate(rnd: random.Random, root: str, filtered: bool = True) -> str:
    kinds = AGGREGATES[root]
    roll = rnd.random()
    if roll < 0.4:
        function, arg = "Count", rnd.choice(kinds["count"])
    elif roll < 0.75:
        function, arg = rnd.choice(("Sum", "Avg", "Min", "Max")), rnd.choice(kinds["num"])
    else:
        function, arg = rnd.choice(("Min", "Max")), rnd.choice(kinds["ord"])
    extra = ""
    if rnd.random() < 0.25 and function in ("Count", "Sum"):
        extra += ", distinct=True"
    if filtered and rnd.random() < 0.25:
        extra += f", filter={condition(rnd, root, 1)[0]}"  # read on the aggregated row
    return f"{function}({arg!r}{extra})"


def make_case(data_seed: int, number: int) -> Case:
    rnd = random.Random(f"{data_seed}:{number}")
    seed = f"{data_seed}:{number}"
    root = rnd.choice(("Book", "Book", "Book", "Author", "Author", "Tag"))
    calls = _filters(rnd, root)
    q = Query(root)
    shape = rnd.random()
    if shape < 0.22:  # rows, in order (maybe sliced) or as a set
        q.filters(calls)
        if rnd.random() < 0.6:
            q.instances()
            q.add(f".order_by({_order(rnd, root)})")
            if rnd.random() < 0.4:
                start = rnd.choice((0, 0, 1, 3))
                q.add(f"[{start}:{start + rnd.choice((1, 2, 5))}]")
            return q.case(seed, True)
        if rnd.random() < 0.3:
            q.add(".distinct()")
        else:
            q.instances()
        return q.case(seed, False)
    if shape < 0.32:
        q.filters(calls)
        q.instances()
        if rnd.random() < 0.3:
            start = rnd.choice((0, 1, 3))
            q.add(f".order_by({_order(rnd, root)})[{start}:{start + rnd.choice((1, 2, 5))}]")
            q.add(rnd.choice((".count()", ".exists()")))
        else:
            q.add(rnd.choice((".count()", ".exists()", ".distinct().count()")))
        return q.case(seed, True)
    if shape < 0.38:
        q.filters(calls)
        q.instances()
        if rnd.random() < 0.5:
            q.add(f".order_by({_order(rnd, root)})")
        q.add(rnd.choice((".first()", ".last()", f".get(pk={rnd.randint(0, 9)})")))
        return q.case(seed, True)
    if shape < 0.52:  # values / values_list, maybe distinct
        q.filters(calls)
        names = rnd.sample(OWN[root], min(len(OWN[root]), rnd.choice((1, 1, 2, 3))))
        many = rnd.random() < 0.3  # also a to-many path: a row for each related row
        if many:
            names.append(rnd.choice(MANY_VALUES[root]))
        shown = ", ".join(repr(n) for n in names)
        method = "values" if rnd.random() < 0.5 else "values_list"
        flat = ", flat=True" if method == "values_list" and len(names) == 1 else ""
        q.add(f".{method}({shown}{flat})")
        if rnd.random() < 0.4:
            q.add(".distinct()")
            roll = rnd.random()
            if roll < 0.2:
                q.add(rnd.choice((".count()", ".exists()")))
                return q.case(seed, True)
            if roll < 0.6:
                q.add(f".order_by({shown})")
                if roll < 0.3:
                    q.add(rnd.choice((".first()", ".last()", "[1:3]")))
                return q.case(seed, True)
            return q.case(seed, False)
        if rnd.random() < 0.5:
            q.add(f".order_by({_order(rnd, root)})")
            return q.case(seed, not many)
        return q.case(seed, False)
    if shape < 0.64:  # aggregate()
        aggs = [_aggregate(rnd, root) for _ in range(rnd.choice((1, 2)))]
        q.filters(calls, " ".join(aggs))
        q.add(".aggregate({})".format(", ".join(f"a{i}={a}" for i, a in enumerate(aggs))))
        return q.case(seed, True)
    if shape < 0.76:  # annotate() per row, maybe filtered on, read as values
        aggs = [_aggregate(rnd, root) for _ in range(rnd.choice((1, 1, 2)))]
        q.filters(calls, " ".join(aggs))
        q.add(".annotate({})".format(", ".join(f"a{i}={a}" for i, a in enumerate(aggs))))
        if rnd.random() < 0.35 and aggs[0].startswith(("Count", "Sum")):
            q.add(f".filter(a0__{rnd.choice(('gt', 'lte', 'exact'))}={rnd.choice((0, 1, 2, 50))})")
        if rnd.random() < 0.2:
            q.filters(_filters(rnd, root), " ".join(aggs), after=True)
        if rnd.random() < 0.2:
            outer = rnd.choice(("Max", "Min", "Sum", "Avg", "Count"))
            q.add(f".aggregate(m={outer}('a0'))")
            return q.case(seed, True)
        names = ["id", *(f"a{i}" for i in range(len(aggs)))]
        order = rnd.choice(("'pk'", "'pk'", "'-a0', 'pk'", "'a0', '-id'"))
        q.add(f".order_by({order}).values({', '.join(repr(n) for n in names)})")
        return q.case(seed, True)
    if shape < 0.84:  # grouped: values(...).annotate(...)
        keys = [n for n in OWN[root] if n != "id"]
        group = rnd.sample(keys, min(len(keys), rnd.choice((1, 1, 2))))
        shown = ", ".join(repr(n) for n in group)
        aggs = [_aggregate(rnd, root) for _ in range(rnd.choice((1, 2)))]
        q.filters(calls, " ".join(aggs))
        q.add(f".values({shown}).annotate(")
        q.add(", ".join(f"a{i}={a}" for i, a in enumerate(aggs)) + ")")
        if rnd.random() < 0.3 and aggs[0].startswith("Count"):
            q.add(f".filter(a0__gt={rnd.choice((0, 1, 2))})")
        q.add(f".order_by({shown})")
        return q.case(seed, True)
    if shape < 0.9:  # F() annotations
        left, right = rnd.choice((("pages", "author__age"), ("pages", "pages"), ("id", "pages"),
                                  ("rating", "author__score"), ("price", "pages")))  # fmt: skip
        if root != "Book":
            q = Query("Book")
            calls = _filters(rnd, "Book")
        q.filters(calls)
        q.add(f".annotate(x=F({left!r}) {rnd.choice(('+', '-', '*'))} F({right!r}))")
        if rnd.random() < 0.5:
            q.add(f".filter(x__{rnd.choice(('gt', 'lt'))}={rnd.choice((0, 50))})")
        elif rnd.random() < 0.3:
            q.add(f".filter(x__isnull={rnd.random() < 0.5})")
        q.add(".order_by('x', 'pk').values('id', 'x')")
        return q.case(seed, True)
    q.filters(calls)
    if shape < 0.96 and root != "Tag":  # update()
        if root == "Book":
            change = rnd.choice(("pages=F('pages') + 1", "note=None", "title='t'",
                                 "editor=None", "price=F('price') * 2", "signed=True",
                                 "rating=F('rating') - 1", "pages=F('author__age')",
                                 "editor=F('author')", "pages=Count('tags')"))  # fmt: skip
            after = "Book.order_by('pk').values_list('id', 'pages', 'note', 'title', 'editor', "
            after += "'price', 'signed', 'rating')"
        else:
            change = rnd.choice(("age=F('age') + 1", "nick=None", "active=False", "score=2.5"))
            after = "Author.order_by('pk').values_list('id', 'age', 'nick', 'active', 'score')"
        q.add(f".update({change})")
        return q.case(seed, True, after)
    after = {
        "Book": "Book.order_by('pk').values_list('id', flat=True)",
        "Author": "Book.order_by('pk').values_list('id', 'author', 'editor')",
        "Tag": "Tag.order_by('pk').values_list('id', flat=True)",
    }[root]
    q.add(".delete()")
    return q.case(seed, True, after)


# -- comparing ---------------------------------------------------------------------------------


def canonical(value: Any) -> Any:
    """An answer in the one form both libraries' answers are compared in: a model instance is
    its class's root name and key, a Django delete's ``(total, per model)`` the count of the
    root model's rows, sequences lists."""
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return ("row", value.pk)
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    return value


def sort_key(value: Any) -> str:
    if isinstance(value, dict):
        return repr(sorted((k, sort_key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return repr([sort_key(v) for v in value])
    if isinstance(value, D):
        return f"D{value.normalize()}" if value.is_finite() else repr(value)
    if isinstance(value, float):
        return f"D{D(repr(round(value, 9))).normalize()}"
    return f"{type(value).__name__}{value!r}"


def same(left: Any, right: Any) -> bool:
    """Equal answers: the same structure and types (a bool is not an int), decimals equal at the
    coarser of their two scales (an ``Avg`` of decimals has more places on PostgreSQL's side),
    floats within rounding."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if type(left) is not type(right):
        return False
    if isinstance(left, D):
        exponent = max(left.as_tuple().exponent, right.as_tuple().exponent)  # type: ignore[type-var]
        places = D(1).scaleb(exponent)
        return bool(
            left.quantize(places, decimal.ROUND_HALF_UP)
            == right.quantize(places, decimal.ROUND_HALF_UP)
        )
    if isinstance(left, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    return bool(left == right)
