"""The Django write differential's one-to-one steps (``djangowrite_steps.Step``), run last: a
profile (``OneToOneField``, cascade) and a badge (nullable, set null) of an author, their
unique key refusing a second row, reassigned, upserted on the key, and deleted with the
author. Each makes its own rows (names starting ``o-``)."""

from __future__ import annotations

from .djangowrite_steps import Step

ONE_TO_ONE = [
    Step(
        "one-to-one: created, and a second row refused",
        """
one = await Author.create(name="o-one")
two = await Author.create(name="o-two")
made = [await Profile.create(bio="first", author=one),
        await Badge.create(label="o-gold", holder=one),
        await Badge.create(label="o-silver", holder=two)]
try:
    async with transaction():
        await Profile.create(bio="second", author=one)
except IntegrityError:
    made.append("refused")
return made
""",
    ),
    Step(
        "one-to-one: reassigned by save() and refused by update()",
        """
three = await Author.create(name="o-three")
badge = await Badge.get(label="o-silver")
badge.holder = three
await badge.save()
return badge, await Badge.filter(label="o-gold").update(holder=three)
""",
    ),
    Step(
        "one-to-one: bulk_create upserting on the key",
        """
one = await Author.get(name="o-one")
four = await Author.create(name="o-four")
return await Profile.bulk_create(
    [Profile(bio="again", author=one), Profile(bio="fresh", author=four)],
    update_conflicts=True, unique_fields=ONE_KEY, update_fields=["bio"])
""",
    ),
    Step(
        "one-to-one: update_or_create and get_or_create by the related row",
        """
two = await Author.get(name="o-two")
made = await Profile.update_or_create(author=two, defaults={"bio": "two"})
again = await Profile.update_or_create(author=two, defaults={"bio": "two again"})
found = await Profile.get_or_create(author=two, defaults={"bio": "never"})
return made, again, found
""",
    ),
    Step(
        "one-to-one: an upsert on the key meeting another row's label (rolled back)",
        """
one = await Author.get(name="o-one")
try:
    async with transaction():
        await Badge.bulk_create([Badge(label="o-silver", holder=one)],
            update_conflicts=True, unique_fields=HOLDER_KEY, update_fields=["label"])
        raise Rollback(sorted(await Badge.all().values_list("label", "holder__name")))
except Rollback as done:
    return done.args
""",
    ),
    Step(
        "one-to-one: the author deleted, profile cascading, badge set to NULL",
        """
return (deleted(await Author.filter(name__in=["o-one", "o-three"]).delete(), "Author"),
        await Profile.count(), await Badge.filter(holder__isnull=True).count())
""",
    ),
]
