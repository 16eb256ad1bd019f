"""The Django write differential's last steps (``djangowrite_steps.Step``), run after the
instance steps: an error caught inside a transaction without a savepoint, writes naming rows
that are gone, a reverse ``set()`` of a key that cannot be NULL, larger batches (several
statements, PostgreSQL's COPY) whose keys must name the rows made, and
``update_or_create``/``get_or_create`` corners. Each makes its own rows (names ``m-``)."""

from __future__ import annotations

from .djangowrite_steps import Step

MORE = [
    Step(
        "transaction(): an IntegrityError caught without a savepoint",
        """
async with transaction():
    await Author.create(name="m-one")
    try:
        await Author.create(name="m-one")
    except IntegrityError:
        pass
    await Author.create(name="m-two")
""",
    ),
    Step(
        "transaction(): a DoesNotExist caught without a savepoint",
        """
async with transaction():
    await Author.create(name="m-three")
    try:
        await Author.get(name="m-nobody")
    except Exception:
        pass
    await Author.create(name="m-four")
""",
    ),
    Step(
        "save() and update(): a key naming a row that is gone",
        """
gone = await Author.create(name="m-gone")
book = await Book.create(title="m-book-1", author=await Author.create(name="m-two"))
keep = gone.pk
await Author.filter(name="m-gone").delete()
book.editor_id = keep
await book.save()
""",
    ),
    Step(
        "update(): a key naming no row",
        'return await Book.filter(title="m-book-1").update(editor_id=999999)',
    ),
    Step(
        "delete(): an unsaved instance",
        'return deleted(await Author(name="m-unsaved").delete(), "Author")',
    ),
    Step(
        "reverse set() of a key that cannot be NULL (rolled back)",
        """
two = await Author.get(name="m-two")
await Book.create(title="m-book-2", author=two)
try:
    async with transaction():
        await two.books.set([await Book.get(title="m-book-2"), await Book.get(title="b-kim-1")])
        raise Rollback(sorted(await two.books.all().values_list("title", flat=True)))
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "many-to-many add() and remove(): an unsaved row, another model's row",
        """
book = await Book.get(title="m-book-1")
try:
    await book.tags.add(Tag(name="m-unsaved"))
except ValueError as error:
    first = type(error).__name__
await book.tags.remove(await Author.get(name="m-two"))
""",
    ),
    Step(
        "update_or_create(): several rows match",
        'return await Author.update_or_create(name__startswith="m-", defaults={"age": 5})',
    ),
    Step(
        "get_or_create(): defaults naming a lookup field",
        'return await Author.get_or_create(name="m-five", defaults={"name": "m-six", "age": 6})',
    ),
    Step(
        "bulk_create(): 300 rows, their keys",
        """
made = await Author.bulk_create([Author(name=f"m-bulk-{i:03}", age=i) for i in range(300)])
return made[:3], made[-3:], [a.pk is not None for a in made].count(True)
""",
    ),
    Step(
        "bulk_create(on_conflict=update): batches, inserted and updated rows mixed",
        """
batch = [Author(name=f"m-bulk-{i:03}", age=1000 + i, score=i) for i in (5, 400, 7, 401, 299)]
made = await Author.bulk_create(batch, on_conflict=("update", ["age"]), batch_size=2)
return made
""",
        django="""
batch = [Author(name=f"m-bulk-{i:03}", age=1000 + i, score=i) for i in (5, 400, 7, 401, 299)]
made = Author.bulk_create(batch, update_conflicts=True, unique_fields=NAME_KEY,
                          update_fields=["age"], batch_size=2)
return made
""",
    ),
    Step(
        "bulk_update(): 40 rows in batches of 7",
        """
rows = list(await Author.filter(name__startswith="m-bulk-").order_by("name")[:40])
for row in rows:
    row.score = row.age * 2
    row.active = row.age % 3 == 0
return await Author.bulk_update(rows, ["score", "active"], batch_size=7)
""",
    ),
    Step(
        "delete(): 300 rows by a filter",
        'return deleted(await Author.filter(name__startswith="m-bulk-").delete(), "Author")',
    ),
    Step(
        "update(): Case on a condition across a to-many relation",
        """
return await Author.filter(name__startswith="m-").update(
    score=Case(When(books__pages__gt=100, then=Value(1)), default=Value(0)))
""",
    ),
    Step(
        "update(): a Subquery and an Exists of another table",
        """
top = Book.filter(author=OuterRef("pk")).order_by("-pages", "title").values("pages")[:1]
n = await Author.filter(name__in=["kim", "m-two", "lou"]).update(
    age=Subquery(top), active=Exists(Book.filter(author=OuterRef("pk"), pages__gt=5)))
rows = await Author.filter(name__in=["kim", "m-two", "lou"]).order_by("name").values_list(
    "name", "age", "active")
return n, list(rows)
""",
    ),
    Step(
        "update() and delete(): filtered by a subquery of the same table",
        """
older = Author.filter(name__startswith="m-", age__gte=0).values("pk")
n = await Author.filter(pk__in=older).update(score=F("score") + 1)
gone = Author.filter(name__in=["m-three", "m-four"]).values("pk")
return n, deleted(await Author.filter(pk__in=gone).delete(), "Author")
""",
    ),
    Step(
        "delete(): filtered by Exists",
        """
lonely = ~Exists(Book.filter(author=OuterRef("pk")))
return deleted(await Author.filter(lonely, name__startswith="m-").delete(), "Author")
""",
    ),
    Step(
        "save() of a deleted instance makes a new row; refresh_from_db() of a gone one",
        """
made = await Author.create(name="m-again", age=1)
await made.delete()
made.age = 2
await made.save()
gone = await Author.get(name="m-again")
await Author.filter(name="m-again").delete()
try:
    await gone.refresh_from_db()
except Exception as error:
    return made, type(error).__name__
""",
    ),
    Step(
        "update() and delete() of none()",
        """
return (await Author.none().update(age=1),
        deleted(await Author.none().delete(), "Author"))
""",
    ),
    Step(
        "update() after values()",
        """
await Author.create(name="m-values")
return await Author.filter(name="m-values").values("name").update(age=66)
""",
    ),
    Step(
        "delete() after values() (rolled back)",
        """
try:
    async with transaction():
        n = deleted(await Author.filter(name="m-values").values("name").delete(), "Author")
        raise Rollback(n)
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "select_for_update(): get_or_create() and update_or_create() of a locked QuerySet",
        """
async with transaction():
    found = await Author.select_for_update().get_or_create(name="kim")
    made = await Author.select_for_update().update_or_create(
        name="m-locked", defaults={"age": 3})
return found, made
""",
    ),
    Step(
        "get_or_create() and update_or_create() of a filtered QuerySet",
        """
inactive = Author.filter(active=False)
made = await inactive.get_or_create(name="m-filtered", defaults={"age": 9})
found = await inactive.get_or_create(name="max")
updated = await inactive.update_or_create(name="max", defaults={"score": 12})
clash = None
try:
    async with transaction():
        await inactive.get_or_create(name="kim")  # active: not found, and its name taken
except IntegrityError:
    clash = "refused"
return made, found, updated, clash
""",
    ),
    Step(
        "decimals past the column's places: create(), update(), update() of F * D (rolled back)",
        """
kim = await Author.get(name="kim")
answers = []
for write in (
    lambda: Book.create(title="m-dec", author=kim, price=D("1.005")),
    lambda: Book.filter(title="b-kim-1").update(price=D("2.345")),
    lambda: Book.filter(title="b-kim-1").update(price=F("price") * D("1.5")),
):
    try:
        async with transaction():
            await write()
            raise Rollback(list(await Book.filter(title__in=["m-dec", "b-kim-1"]).order_by(
                "title").values_list("title", "price")))
    except Rollback as done:
        answers.append(done.args[0])
    except Exception as error:
        answers.append(type(error).__name__)
return answers
""",
    ),
    Step(
        "text: past max_length, and names equal but for case or trailing spaces (rolled back)",
        """
answers = []
for name in ("m-" + "x" * 40, "KIM", "kim "):
    try:
        async with transaction():
            await Author.create(name=name)
            raise Rollback(await Author.filter(name__iexact=name.strip()).count())
    except Rollback as done:
        answers.append(done.args[0])
    except Exception as error:
        answers.append(type(error).__name__)
return answers
""",
    ),
    Step(
        "through model: callable through_defaults, then the club deleted with its members",
        """
chess = await Club.get(name="chess")
await chess.members.add(await Author.get(name="m-filtered"), through_defaults={
    "role": lambda: "called"})
roles = sorted(await Member.filter(club=chess).values_list("role", flat=True))
return roles, deleted(await Club.filter(name="chess").delete(), "Club")
""",
    ),
]
