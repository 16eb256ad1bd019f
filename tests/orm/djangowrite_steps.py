"""The steps of the Django write differential: one script of writes, each step the body of a
function written in ferrule's spelling (``await``, ``async with transaction()``) and run in
order on one database, so each step starts from the tables the ones before it left.

Django runs the same text with ``await`` and ``async`` taken out (its ORM is synchronous:
an ``async def`` is a plain one), ``transaction`` being ``atomic(using=alias)``; where the
spellings differ (ferrule's ``on_conflict=``), a step gives Django its own text. A step
returns what is compared besides the tables: row counts, ``(instance, created)``, instances
(their fields and key)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str
    text: str  # ferrule's body
    django: str | None = None  # Django's body, when not ferrule's with await/async removed

    def django_text(self) -> str:
        if self.django is not None:
            return self.django
        return re.sub(r"\bawait |\basync (?=with|for|def)", "", self.text)


_SEED = [
    Step(
        "seed authors: create",
        """
made = []
for name, age, score, active in [("ann", 30, 1, True), ("bob", 45, 0, True),
        ("cy", None, 2, True), ("dan", 60, 0, True), ("eve", 25, 5, True),
        ("fay", 33, 0, False)]:
    made.append(await Author.create(name=name, age=age, score=score, active=active))
return made
""",
    ),
    Step(
        "seed tags: save() of new instances",
        """
made = []
for name in ("red", "green", "blue", "gold"):
    tag = Tag(name=name)
    await tag.save()
    made.append(tag)
return made
""",
    ),
    Step(
        "seed books: create with relations",
        """
rows = [("b-ann-1", "ann", "bob", 100, "9.99"), ("b-ann-2", "ann", None, None, "0"),
        ("b-bob-1", "bob", "ann", 250, "12.50"), ("b-cy-1", "cy", "dan", 40, "3.00"),
        ("b-dan-1", "dan", "cy", 300, "20.00"), ("b-dan-2", "dan", "dan", 10, "1.00"),
        ("b-eve-1", "eve", None, 80, "5.55"), ("b-fay-1", "fay", "eve", 120, "7.00")]
made = []
for title, author, editor, pages, price in rows:
    editor = None if editor is None else await Author.get(name=editor)
    made.append(await Book.create(title=title, author=await Author.get(name=author),
                                  editor=editor, pages=pages, price=D(price)))
return made
""",
    ),
    Step(
        "seed links: many-to-many add",
        """
for title, names in [("b-ann-1", ["red", "green"]), ("b-ann-2", ["red"]),
        ("b-bob-1", ["blue"]), ("b-dan-1", ["red", "gold"]), ("b-eve-1", ["green"])]:
    book = await Book.get(title=title)
    await book.tags.add(*list(await Tag.filter(name__in=names)))
chess = await Club.create(name="chess")
poets = await Club.create(name="poets")
await chess.members.add(await Author.get(name="ann"), await Author.get(name="bob"))
await chess.members.add(await Author.get(name="cy"), through_defaults={"role": "chair"})
await poets.members.add(await Author.get(name="ann"), through_defaults={"role": "chair"})
await poets.members.add(await Author.get(name="fay"))
""",
    ),
    Step(
        "seed pins and seals",
        """
for label, book, author in [("pin-own", "b-ann-1", "ann"), ("pin-other", "b-bob-1", "cy"),
        ("pin-dan", "b-dan-1", "dan")]:
    await Pin.create(label=label, book=await Book.get(title=book),
                     author=await Author.get(name=author))
for label, book, owner in [("seal-eve", "b-eve-1", "bob"), ("seal-fay", "b-fay-1", "fay")]:
    await Seal.create(label=label, book=await Book.get(title=book),
                      owner=await Author.get(name=owner))
""",
    ),
]

_SAVES = [
    Step("create: defaults filled", 'return await Author.create(name="gil", age=50)'),
    Step("create: a duplicate name", 'return await Author.create(name="gil")'),
    Step(
        "save(): insert, then update every field",
        """
made = Author(name="hal", age=None)
await made.save()
again = await Author.get(name="hal")
again.age = 41
again.score = 3
await again.save()
return made, again, await Author.get(name="hal")
""",
    ),
    Step(
        "save(update_fields): two instances each writing its own field",
        """
one = await Author.get(name="ann")
two = await Author.get(name="ann")
one.age = 31
two.score = 9
await one.save(update_fields=["age"])
await two.save(update_fields=["score"])
return one, two, await Author.get(name="ann")
""",
    ),
    Step(
        "save(): a stale instance writes every field back",
        """
one = await Author.get(name="bob")
two = await Author.get(name="bob")
one.age = 46
await one.save()
two.score = 4
await two.save()
return await Author.get(name="bob")
""",
    ),
    Step(
        "save(update_fields): the fields left out stay as stored",
        """
cy = await Author.get(name="cy")
cy.age = 70
cy.score = 8
await cy.save(update_fields=["score"])
await cy.refresh_from_db()
return cy
""",
    ),
    Step(
        "save(): the row was deleted meanwhile",
        """
hal = await Author.get(name="hal")
await Author.filter(name="hal").delete()
hal.age = 1
await hal.save()
return hal, await Author.filter(name="hal").count()
""",
    ),
    Step(
        "save(update_fields): the row was deleted meanwhile",
        """
hal = await Author.get(name="hal")
await Author.filter(name="hal").delete()
hal.age = 2
await hal.save(update_fields=["age"])
return hal
""",
    ),
    Step(
        "save(force_insert=True) of a stored row",
        """
eve = await Author.get(name="eve")
eve.age = 26
await eve.save(force_insert=True)
""",
    ),
    Step(
        "save(force_update=True) of a new instance",
        """
await Author(name="ivy").save(force_update=True)
""",
    ),
    Step(
        "save(): a foreign key moved to another row",
        """
book = await Book.get(title="b-ann-2")
book.author = await Author.get(name="gil")
book.editor = await Author.get(name="eve")
await book.save(update_fields=["author", "editor"])
return book
""",
    ),
]

_UPDATES = [
    Step(
        "update(): F arithmetic",
        'return await Author.filter(age__gte=30).update(score=F("score") + 1, age=F("age") - 1)',
    ),
    Step(
        "update(): rows matched that already hold the values",
        "return await Author.filter(active=True).update(active=True)",
    ),
    Step(
        "update(): Case/When",
        """
return await Book.all().update(pages=Case(
    When(pages__isnull=True, then=Value(0)),
    When(pages__lt=100, then=F("pages") * 2),
    default=F("pages")))
""",
    ),
    Step(
        "update(): filtered across a relation, decimals",
        'return await Book.filter(author__name="ann").update(price=F("price") + D("1.50"))',
    ),
    Step(
        "update(): a foreign key set to NULL, and to a row",
        """
gone = await Book.filter(editor__name="cy").update(editor=None)
moved = await Book.filter(editor__isnull=True, pages__gt=100).update(
    editor=await Author.get(name="eve"))
return gone, moved
""",
    ),
    Step("update(): no row matches", 'return await Author.filter(name="nobody").update(age=1)'),
    Step(
        "update(): Case on a condition across a relation",
        """
return await Book.all().update(price=Case(
    When(author__active=False, then=Value(D("0.50"))), default=F("price")))
""",
    ),
]

_DELETES = [
    Step(
        "delete(): an instance, its links cascading",
        """
book = await Book.get(title="b-ann-2")
n = deleted(await book.delete(), "Book")
return n, book.pk
""",
    ),
    Step(
        "delete(): refused by a restricting pin",
        'return deleted(await Author.filter(name="cy").delete(), "Author")',
    ),
    Step(
        "delete(): a restricting pin removed by the same cascade",
        'return deleted(await Author.filter(name="dan").delete(), "Author")',
    ),
    Step(
        "delete(): a protected book, directly",
        'return deleted(await (await Book.get(title="b-eve-1")).delete(), "Book")',
    ),
    Step(
        "delete(): a protected book through its author's cascade",
        'return deleted(await Author.filter(name="eve").delete(), "Author")',
    ),
    Step(
        "delete(): a protected book whose seal the same delete removes (rolled back)",
        """
try:
    async with transaction():
        n = deleted(await Author.filter(name="fay").delete(), "Author")
        raise Rollback(n)
except Rollback as done:
    return done.args[0]
""",
    ),
    Step(
        "delete(): one restricted row refuses the whole QuerySet",
        'return deleted(await Author.filter(name__in=["ann", "cy"]).delete(), "Author")',
    ),
    Step(
        "delete(): cascade and set null together",
        'return deleted(await Author.filter(name="bob").delete(), "Author")',
    ),
    Step(
        "delete(): no row matches",
        'return deleted(await Author.filter(age=-1).delete(), "Author")',
    ),
    Step(
        "delete(): an instance already deleted",
        """
gil = await Author.get(name="gil")
first = deleted(await gil.delete(), "Author")
return first, gil.pk, deleted(await gil.delete(), "Author")
""",
    ),
]

_BULK = [
    Step(
        "bulk_create(): keys set on the instances",
        'return await Tag.bulk_create([Tag(name="teal"), Tag(name="pink")])',
    ),
    Step(
        "bulk_create(): a duplicate refuses the whole batch",
        'return await Tag.bulk_create([Tag(name="lime"), Tag(name="teal")])',
    ),
    Step(
        "bulk_create(on_conflict='ignore')",
        'return await Tag.bulk_create([Tag(name="teal"), Tag(name="lime")], on_conflict="ignore")',
        django='return Tag.bulk_create([Tag(name="teal"), Tag(name="lime")],'
        " ignore_conflicts=True)",
    ),
    Step(
        "bulk_create(on_conflict=('update', fields))",
        """
return await Author.bulk_create(
    [Author(name="ann", age=99, score=7), Author(name="jo", age=20, score=1)],
    on_conflict=("update", ["age"]))
""",
        django="""
return Author.bulk_create(
    [Author(name="ann", age=99, score=7), Author(name="jo", age=20, score=1)],
    update_conflicts=True, unique_fields=NAME_KEY, update_fields=["age"])
""",
    ),
    Step(
        "bulk_create(): Django's update_conflicts spelling",
        """
return await Author.bulk_create(
    [Author(name="jo", age=21, score=50), Author(name="kit", age=40)],
    update_conflicts=True, unique_fields=NAME_KEY, update_fields=["age", "score"])
""",
    ),
    Step(
        "bulk_update(): two fields",
        """
authors = list(await Author.filter(name__in=["ann", "eve", "jo"]).order_by("name"))
for author in authors:
    author.age = (author.age or 0) + 10
    author.active = not author.active
return await Author.bulk_update(authors, ["age", "active"]), authors
""",
    ),
    Step(
        "bulk_update(): one row deleted meanwhile",
        """
authors = list(await Author.filter(name__in=["jo", "kit"]).order_by("name"))
await Author.filter(name="kit").delete()
for author in authors:
    author.score = 77
return await Author.bulk_update(authors, ["score"])
""",
    ),
    Step(
        "bulk_update(): the same row twice",
        """
one = await Author.get(name="jo")
two = await Author.get(name="jo")
one.age = 1
two.age = 2
return await Author.bulk_update([one, two], ["age"])
""",
    ),
    Step(
        "bulk_update(): a foreign key",
        """
books = list(await Book.filter(title__in=["b-ann-1", "b-cy-1"]).order_by("title"))
jo = await Author.get(name="jo")
for book in books:
    book.editor = jo
    book.pages = None
return await Book.bulk_update(books, ["editor", "pages"])
""",
    ),
]

_CREATES = [
    Step(
        "get_or_create(): found",
        'return await Author.get_or_create(name="eve", defaults={"age": 1})',
    ),
    Step(
        "get_or_create(): made from the lookup and defaults",
        'return await Author.get_or_create(name="kim", defaults={"age": 22})',
    ),
    Step(
        "get_or_create(): several rows match",
        'return await Author.get_or_create(active=True, defaults={"name": "x"})',
    ),
    Step(
        "get_or_create(): a lookup across a relation, made",
        """
kim = await Author.get(name="kim")
return await Book.get_or_create(title="b-kim-1", author=kim, defaults={"pages": 5})
""",
    ),
    Step(
        "get_or_create(): a duplicate from the defaults",
        'return await Author.get_or_create(age=12345, defaults={"name": "kim"})',
    ),
    Step(
        "update_or_create(): found and updated",
        """
return await Author.update_or_create(
    name="kim", defaults={"age": 23}, create_defaults={"age": 99})
""",
    ),
    Step(
        "update_or_create(): made from create_defaults",
        """
return await Author.update_or_create(
    name="lou", defaults={"age": 1}, create_defaults={"age": 2, "score": 3})
""",
    ),
    Step(
        "update_or_create(): made from defaults",
        'return await Author.update_or_create(name="max", defaults={"age": 4, "active": False})',
    ),
    Step(
        "update_or_create(): a relation in defaults",
        """
max_ = await Author.get(name="max")
return await Book.update_or_create(title="b-kim-1", defaults={"editor": max_, "pages": 6})
""",
    ),
]

_LINKS = [
    Step(
        "many-to-many add(): instances, a key, one linked already",
        """
book = await Book.get(title="b-ann-1")
await book.tags.add(await Tag.get(name="red"), (await Tag.get(name="gold")).pk)
await book.tags.add(await Tag.get(name="gold"))
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "many-to-many remove(): linked and not linked",
        """
book = await Book.get(title="b-ann-1")
await book.tags.remove(await Tag.get(name="red"), await Tag.get(name="teal"))
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "many-to-many set(): some kept, some dropped, some added",
        """
book = await Book.get(title="b-ann-1")
await book.tags.set(list(await Tag.filter(name__in=["green", "blue", "pink"])))
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "many-to-many set(clear=True)",
        """
book = await Book.get(title="b-eve-1")
await book.tags.set([await Tag.get(name="gold"), await Tag.get(name="lime")], clear=True)
return sorted(await book.tags.all().values_list("name", flat=True))
""",
    ),
    Step(
        "many-to-many reverse add() and set()",
        """
blue = await Tag.get(name="blue")
await blue.books.add(*list(await Book.filter(author__name__in=["eve", "kim"])))
teal = await Tag.get(name="teal")
await teal.books.set(list(await Book.filter(title__in=["b-cy-1", "b-ann-1"])))
return (sorted(await blue.books.all().values_list("title", flat=True)),
        sorted(await teal.books.all().values_list("title", flat=True)))
""",
    ),
    Step(
        "many-to-many reverse remove() and clear()",
        """
blue = await Tag.get(name="blue")
await blue.books.remove(await Book.get(title="b-eve-1"))
green = await Tag.get(name="green")
await green.books.clear()
return await blue.books.count(), await green.books.count()
""",
    ),
    Step(
        "many-to-many create()",
        """
book = await Book.get(title="b-fay-1")
return await book.tags.create(name="navy")
""",
    ),
    Step(
        "through model add(through_defaults), set(), remove() both ways, clear()",
        """
chess = await Club.get(name="chess")
poets = await Club.get(name="poets")
await chess.members.add(await Author.get(name="kim"), through_defaults={"role": "guest"})
await chess.members.add(await Author.get(name="ann"), through_defaults={"role": "boss"})
await poets.members.set([await Author.get(name="ann"), await Author.get(name="max")],
                        through_defaults={"role": "new"})
cy = await Author.get(name="cy")
await cy.clubs.remove(chess)
lou = await Author.get(name="lou")
await lou.clubs.add(poets, chess, through_defaults={"role": "late"})
return (sorted(await chess.members.all().values_list("name", flat=True)),
        sorted(await poets.members.all().values_list("name", flat=True)))
""",
    ),
    Step(
        "through model create() and clear()",
        """
chess = await Club.get(name="chess")
made = await chess.members.create(name="ned", through_defaults={"role": "chair"})
poets = await Club.get(name="poets")
await poets.members.clear()
return made, await chess.members.count(), await poets.members.count()
""",
    ),
]

_REVERSE = [
    Step(
        "reverse create()",
        """
kim = await Author.get(name="kim")
return await kim.books.create(title="b-kim-2", pages=12)
""",
    ),
    Step(
        "reverse add(): a saved instance moved over",
        """
kim = await Author.get(name="kim")
book = await Book.get(title="b-cy-1")
await kim.books.add(book)
return book.author_id == kim.pk, await kim.books.count()
""",
    ),
    Step(
        "reverse add(), remove(), clear() of a nullable key",
        """
max_ = await Author.get(name="max")
await max_.edited.add(*list(await Book.filter(title__in=["b-ann-1", "b-kim-1", "b-fay-1"])))
await max_.edited.remove(await Book.get(title="b-fay-1"))
after_remove = sorted(await max_.edited.all().values_list("title", flat=True))
eve = await Author.get(name="eve")
await eve.edited.clear()
return after_remove, await eve.edited.count()
""",
    ),
    Step(
        "reverse set(): some kept, some dropped, some added",
        """
max_ = await Author.get(name="max")
await max_.edited.set(list(await Book.filter(title__in=["b-kim-1", "b-kim-2", "b-eve-1"])))
return sorted(await max_.edited.all().values_list("title", flat=True))
""",
    ),
    Step(
        "reverse set(bulk=False) and add(bulk=False) of a new instance",
        """
lou = await Author.get(name="lou")
await lou.edited.set([await Book.get(title="b-kim-2"), await Book.get(title="b-fay-1")],
                     bulk=False)
made = Book(title="b-lou-1", author=lou, pages=3)
await lou.edited.add(made, bulk=False)
return made, sorted(await lou.edited.all().values_list("title", flat=True))
""",
    ),
    Step(
        "reverse clear(bulk=False) and remove(bulk=False)",
        """
lou = await Author.get(name="lou")
await lou.edited.remove(await Book.get(title="b-lou-1"), bulk=False)
max_ = await Author.get(name="max")
await max_.edited.clear(bulk=False)
return await lou.edited.count(), await max_.edited.count()
""",
    ),
    Step(
        "reverse add(): an unsaved instance with bulk=True",
        """
lou = await Author.get(name="lou")
await lou.edited.add(Book(title="b-lou-2", author=lou))
""",
    ),
    Step(
        "reverse remove(): a row related to another instance",
        """
lou = await Author.get(name="lou")
await lou.edited.remove(await Book.get(title="b-eve-1"))
""",
    ),
]

_LOCKS = [
    Step(
        "select_for_update() in a transaction, then save",
        """
async with transaction():
    kim = await Author.select_for_update().get(name="kim")
    kim.score = kim.score + 5
    await kim.save(update_fields=["score"])
    books = list(await Book.select_for_update().filter(author__name="kim").order_by("title"))
    for book in books:
        book.pages = (book.pages or 0) + 1
        await book.save()
return kim, books
""",
    ),
    Step(
        "select_for_update() outside a transaction",
        'return list(await Author.select_for_update().filter(name="kim"))',
    ),
]

_BLOCKS = [
    Step(
        "transaction(): an inner block rolled back, the outer committed",
        """
async with transaction():
    one = await Author.create(name="t-outer")
    try:
        async with transaction():
            two = await Author.create(name="t-inner")
            await Author.filter(name="ann").update(age=0)
            await Book.filter(title="b-ann-1").delete()
            raise Rollback
    except Rollback:
        pass
    three = await Author.create(name="t-after")
return one, three, two.pk is None
""",
    ),
    Step(
        "transaction(): the outer block rolled back over a committed inner one",
        """
try:
    async with transaction():
        async with transaction():
            await Author.create(name="t-lost")
            await Author.filter(name="kim").update(age=F("age") + 100)
        raise Rollback
except Rollback:
    pass
return await Author.filter(name="t-lost").count()
""",
    ),
    Step(
        "transaction(): three levels, the middle one rolled back",
        """
async with transaction():
    await Author.create(name="t-one")
    try:
        async with transaction():
            await Author.create(name="t-two")
            async with transaction():
                await Author.create(name="t-three")
                await Tag.filter(name="navy").delete()
            raise Rollback
    except Rollback:
        pass
    async with transaction():
        await Author.create(name="t-four")
return list(await Author.filter(name__startswith="t-").order_by("name").values_list(
    "name", flat=True))
""",
    ),
    Step(
        "transaction(): an IntegrityError caught at a savepoint",
        """
async with transaction():
    await Author.create(name="t-five")
    try:
        async with transaction():
            await Author.create(name="t-six")
            await Author.create(name="t-five")
    except IntegrityError:
        pass
    await Author.create(name="t-seven")
return await Author.filter(name__startswith="t-").count()
""",
    ),
    Step(
        "transaction(): a cascading delete rolled back",
        """
kim = await Author.get(name="kim")
try:
    async with transaction():
        n = deleted(await kim.delete(), "Author")
        inside = await Book.filter(author__name="kim").count()
        raise Rollback
except Rollback:
    pass
return n, inside, await Book.filter(author__name="kim").count(), kim.pk is None
""",
    ),
    Step(
        "transaction(): updates read back inside, then rolled back",
        """
try:
    async with transaction():
        changed = await Book.all().update(pages=F("pages") + 1000)
        async with transaction():
            big = await Book.filter(pages__gte=1000).count()
        raise Rollback
except Rollback:
    pass
return changed, big, await Book.filter(pages__gte=1000).count()
""",
    ),
]

STEPS = (
    _SEED + _SAVES + _UPDATES + _DELETES + _BULK + _CREATES + _LINKS + _REVERSE + _LOCKS + _BLOCKS
)
