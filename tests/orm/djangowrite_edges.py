"""The Django write differential's edge steps (``djangowrite_steps.Step``), run after the main
script on the tables it left: writes whose QuerySet joins a to-many relation or holds an
aggregate, slices, callable defaults, rows that already hold the values written (MariaDB
counts changed rows), duplicates inside one batch, and relation writes undone by a savepoint.
Each makes its own rows (names starting ``e-``)."""

from __future__ import annotations

from .djangowrite_steps import Step

EDGES = [
    Step(
        "edge rows",
        """
one = await Author.create(name="e-one", age=20)
two = await Author.create(name="e-two", age=None, score=3)
three = await Author.create(name="e-three", age=70, active=False)
for i in range(3):
    await Book.create(title=f"e-one-{i}", author=one, pages=200 + i, editor=two)
await Book.create(title="e-two-0", author=two, pages=50)
for name in ("e-red", "e-blue", "e-gold"):
    await Tag.create(name=name)
""",
    ),
    Step(
        "update(): filtered through a to-many join",
        """
return await Author.filter(name__startswith="e-", books__pages__gt=100).update(
    score=F("score") + 1)
""",
    ),
    Step(
        "update(): filtered on an aggregate annotation",
        """
many = Author.annotate(n=Count("books")).filter(n__gt=1, name__startswith="e-")
return await many.update(age=F("age") + 5)
""",
    ),
    Step(
        "update(): filtered on an alias",
        """
# (alias() is a QuerySet's only: on the model it would take a field name, README)
none = Author.all().alias(n=Count("books")).filter(n=0, name__startswith="e-")
return await none.update(active=True)
""",
    ),
    Step(
        "update(): Case on Q conditions into a boolean",
        """
return await Author.filter(name__startswith="e-").update(active=Case(
    When(Q(age__isnull=True) | Q(score__gt=3), then=Value(False)), default=Value(True)))
""",
    ),
    Step(
        "update(): a key set from another key",
        'return await Book.filter(title__startswith="e-").update(editor=F("author"))',
    ),
    Step(
        "update(): F reading a joined field",
        'return await Book.filter(title__startswith="e-").update(pages=F("author__age"))',
    ),
    Step(
        "update(): a sliced QuerySet (rolled back)",
        """
try:
    async with transaction():
        n = await Author.filter(name__startswith="e-").order_by("name")[:1].update(age=1)
        raise Rollback(n)
except Rollback as done:
    return done.args[0]
""",
    ),
    Step(
        "delete(): a sliced QuerySet (rolled back)",
        """
try:
    async with transaction():
        n = deleted(await Author.filter(name__startswith="e-")[:1].delete(), "Author")
        raise Rollback(n)
except Rollback as done:
    return done.args[0]
""",
    ),
    Step(
        "delete(): a distinct QuerySet",
        """
await Author.create(name="e-gone")
return deleted(await Author.filter(name="e-gone").distinct().delete(), "Author")
""",
    ),
    Step(
        "save(update_fields): a key's column name",
        """
book = await Book.get(title="e-two-0")
book.editor_id = (await Author.get(name="e-three")).pk
book.pages = 1
await book.save(update_fields=["editor_id"])
return await Book.get(title="e-two-0")
""",
    ),
    Step(
        "get_or_create(): a lookup with __iexact, found and made",
        """
found = await Author.get_or_create(name__iexact="E-ONE")
made = await Author.get_or_create(name__iexact="e-four", defaults={"name": "e-four"})
return found, made
""",
    ),
    Step(
        "get_or_create() and update_or_create(): callable defaults",
        """
made = await Author.get_or_create(name="e-five", defaults={"age": lambda: 7})
updated = await Author.update_or_create(name="e-five", defaults={"score": lambda: 8})
return made, updated
""",
    ),
    Step(
        "update_or_create(): the row already holds the defaults",
        'return await Author.update_or_create(name="e-five", defaults={"score": 8, "age": 7})',
    ),
    Step(
        "update_or_create(): defaults that clash with another row",
        'return await Author.update_or_create(name="e-five", defaults={"name": "e-one"})',
    ),
    Step(
        "bulk_update(): rows that already hold the values, and none",
        """
same = list(await Author.filter(name__startswith="e-").order_by("name"))
return await Author.bulk_update(same, ["age", "score"]), await Author.bulk_update([], ["age"])
""",
    ),
    Step(
        "bulk_create(): none, and batch_size",
        """
empty = await Tag.bulk_create([])
made = await Tag.bulk_create([Tag(name=f"e-t{i}") for i in range(5)], batch_size=2)
return empty, made
""",
    ),
    Step(
        "bulk_create(on_conflict='ignore'): a name twice in the batch",
        """
return await Tag.bulk_create([Tag(name="e-dup"), Tag(name="e-dup"), Tag(name="e-t1")],
                             on_conflict="ignore")
""",
        django="""
return Tag.bulk_create([Tag(name="e-dup"), Tag(name="e-dup"), Tag(name="e-t1")],
                       ignore_conflicts=True)
""",
    ),
    Step(
        "bulk_create(update_conflicts): a name twice in the batch (rolled back)",
        """
try:
    async with transaction():
        made = await Author.bulk_create(
            [Author(name="e-six", age=1), Author(name="e-six", age=2)],
            update_conflicts=True, unique_fields=NAME_KEY, update_fields=["age"])
        rows = list(await Author.filter(name="e-six").values_list("name", "age"))
        raise Rollback([(a.name, a.age, a.pk is not None) for a in made], rows)
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "many-to-many add(): the same row three times; set() and remove() by key",
        """
book = await Book.get(title="e-one-0")
red = await Tag.get(name="e-red")
await book.tags.add(red, red, red.pk)
blue, gold = await Tag.get(name="e-blue"), await Tag.get(name="e-gold")
await book.tags.set([blue.pk, gold.pk, gold.pk])
await book.tags.remove(gold.pk)
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "reverse set(clear=True) of a nullable key",
        """
two = await Author.get(name="e-two")
await two.edited.set([await Book.get(title="e-one-1"), await Book.get(title="e-two-0")],
                     clear=True)
return sorted(await two.edited.all().values_list("title", flat=True))
""",
    ),
    Step(
        "reverse create() on a nullable key",
        """
two = await Author.get(name="e-two")
return await two.edited.create(title="e-two-1", author=await Author.get(name="e-one"))
""",
    ),
    Step(
        "relation writes undone by a savepoint",
        """
book = await Book.get(title="e-one-0")
two = await Author.get(name="e-two")
chess = await Club.get(name="chess")
async with transaction():
    try:
        async with transaction():
            await book.tags.set([await Tag.get(name="e-red")])
            await two.edited.clear()
            await chess.members.add(two, through_defaults={"role": "temp"})
            await book.tags.create(name="e-temp")
            raise Rollback
    except Rollback:
        pass
    await book.tags.add(await Tag.get(name="e-t0"))
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "get_or_create(): an IntegrityError caught inside a transaction",
        """
async with transaction():
    try:
        await Author.get_or_create(age=-5, defaults={"name": "e-one"})
    except IntegrityError:
        pass
    made = await Author.create(name="e-seven")
return made
""",
    ),
    Step(
        "delete(): a tag, its links cascading both ways",
        """
red = await Tag.get(name="e-red")
return deleted(await red.delete(), "Tag"), await Book.filter(tags__name="e-red").count()
""",
    ),
    Step(
        "delete(): filtered through a to-many join and an annotation",
        """
joined = deleted(await Author.filter(books__title__startswith="e-one").delete(), "Author")
lone = Author.annotate(n=Count("books")).filter(n=0, name__startswith="e-")
return joined, deleted(await lone.delete(), "Author")
""",
    ),
    Step(
        "create(): a key given, then one made",
        """
try:
    async with transaction():
        await Tag.create(id=900, name="e-900")
        made = await Tag.create(name="e-after-900")
        raise Rollback(made.pk > 900)
except Rollback as done:
    return done.args[0]
""",
    ),
]
