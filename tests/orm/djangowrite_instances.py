"""The Django write differential's instance steps (``djangowrite_steps.Step``), run after the
edge steps: saves of instances in unusual states (loaded with ``only()``, given a key, holding
an unsaved related instance, an ``F()`` value), instances refused by ``bulk_update``, keys
mixed in one ``bulk_create``, related ``get_or_create``, and an ``update()`` reading the
columns it writes. Each makes its own rows (names starting ``i-``)."""

from __future__ import annotations

from .djangowrite_steps import Step

INSTANCES = [
    Step(
        "instance rows",
        """
for name, age, score in [("i-one", 10, 1), ("i-two", 20, 2), ("i-three", None, 3)]:
    await Author.create(name=name, age=age, score=score, active=False)
""",
    ),
    Step(
        "save(): an instance loaded with only() writes the fields it loaded",
        """
one = await Author.only("id", "age").get(name="i-one")
one.age = 11
await one.save()
return await Author.get(name="i-one")
""",
    ),
    Step(
        "save(): an instance loaded with defer()",
        """
two = await Author.defer("score", "active").get(name="i-two")
two.age = 21
await two.save()
return await Author.get(name="i-two")
""",
    ),
    Step(
        "save(): a key given, no row: inserted; again: updated",
        """
first = Tag(id=700, name="i-700")
await first.save()
second = Tag(id=700, name="i-seven-hundred")
await second.save()
return first, second, await Tag.filter(id=700).count()
""",
    ),
    Step(
        "create(): a key that exists",
        'return await Tag.create(id=700, name="i-again")',
    ),
    Step(
        "save(): a nullable key naming an unsaved instance",
        """
one = await Author.get(name="i-one")
book = Book(title="i-book-1", author=one, editor=Author(name="i-unsaved"))
await book.save()
return book
""",
    ),
    Step(
        "save(): a key naming an instance saved after it was assigned (rolled back)",
        """
try:
    async with transaction():
        later = Author(name="i-later")
        book = Book(title="i-book-2", author=later, editor=later)
        await later.save()
        await book.save()
        raise Rollback(book.author_id == later.pk, book.editor_id == later.pk)
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "save(update_fields): a name that is no field",
        """
one = await Author.get(name="i-one")
one.age = 99
await one.save(update_fields=["nickname"])
""",
    ),
    Step(
        "save(): an F() value (rolled back)",
        """
try:
    async with transaction():
        one = await Author.get(name="i-one")
        one.score = F("score") + 10
        await one.save()
        await one.refresh_from_db()
        raise Rollback(one.score)
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "bulk_update(): an F() value (rolled back)",
        """
try:
    async with transaction():
        two = await Author.get(name="i-two")
        two.score = F("score") * 3
        n = await Author.bulk_update([two], ["score"])
        raise Rollback(n, list(await Author.filter(name="i-two").values_list("score", flat=True)))
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "bulk_update(): an instance without a key",
        """
two = await Author.get(name="i-two")
two.age = 0
return await Author.bulk_update([two, Author(name="i-new")], ["age"])
""",
    ),
    Step(
        "bulk_update(): a field that is no column",
        """
book = await Book.get(title="b-kim-1")
return await Book.bulk_update([book], ["tags"])
""",
    ),
    Step(
        "bulk_create(): keys given and made in one batch (rolled back)",
        """
try:
    async with transaction():
        top = (await Tag.order_by("-id").first()).pk
        made = await Tag.bulk_create([Tag(id=top + 1, name="i-given"), Tag(name="i-made-1"),
                                      Tag(name="i-made-2")])
        raise Rollback([tag.name for tag in made],
                       await Tag.filter(name__startswith="i-made").count())
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "bulk_create(): a key that exists refuses the whole batch",
        """
made = await Tag.bulk_create([Tag(id=701, name="i-fresh"), Tag(id=700, name="i-clash")])
""",
    ),
    Step(
        "reverse get_or_create() and update_or_create()",
        """
one = await Author.get(name="i-one")
first = await one.books.get_or_create(title="i-book-3", defaults={"pages": 3})
again = await one.books.get_or_create(title="i-book-3", defaults={"pages": 4})
updated = await one.books.update_or_create(title="i-book-3", defaults={"pages": 5})
return first, again, updated
""",
    ),
    Step(
        "many-to-many get_or_create(): a row that exists unlinked",
        """
book = await Book.get(title="i-book-3")
return await book.tags.get_or_create(name="i-given")
""",
    ),
    Step(
        "many-to-many get_or_create() and update_or_create(): made and linked",
        """
book = await Book.get(title="i-book-3")
made = await book.tags.get_or_create(name="i-linked")
again = await book.tags.update_or_create(name="i-linked", defaults={"name": "i-linked-2"})
return made, again, sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "update(): NULL into a column that cannot hold it",
        'return await Author.filter(name="i-two").update(score=None)',
    ),
    Step(
        "update(): two columns reading each other (rolled back)",
        """
try:
    async with transaction():
        mine = Author.filter(name__startswith="i-", age__isnull=False)
        n = await mine.update(age=F("score"), score=F("age"))
        rows = list(await mine.order_by("name").values_list(
            "name", "age", "score"))
        raise Rollback(n, rows)
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "delete(): a restricting row that the same delete sets to NULL elsewhere",
        """
one = await Author.get(name="i-one")
two = await Author.get(name="i-two")
book = await Book.create(title="i-book-4", author=two, editor=one)
await Pin.create(label="i-pin", book=book, author=one)
try:
    async with transaction():
        n = deleted(await Author.filter(name__in=["i-one", "i-two"]).delete(), "Author")
        left = await Pin.filter(label="i-pin").count()
        raise Rollback(n, left)
except Rollback as done:
    return done.args
""",
    ),
]
