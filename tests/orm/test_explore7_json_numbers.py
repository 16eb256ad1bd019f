"""A JSON number written in exponent form (``1e+20``, ``1e-07``: Python's ``repr`` of such
floats, which the JSON writers keep) is found by ``exact``, ``in`` and key lookups on every
database, whatever else the table holds.

MariaDB 10.11's ``JSON_EQUALS`` normalizes a number by reading its exponent with ``strtol``
from the text, which is not terminated where the number ends: a number that ends the text (a
top-level ``1e+20``, or what ``JSON_EXTRACT`` picked out) had whatever digits followed it in
the server's buffer read into its exponent, so ``filter(data=1e20)`` missed its row whenever
the buffer held digits (``JSON_NORMALIZE('1E20')`` printed ``1.0E2008`` after other rows). A
number followed by ``]``, ``,`` or ``}`` is read right, so both sides are compared as
one-element arrays."""

from __future__ import annotations

from typing import Any

from ferrule import orm

from .conftest import opened, own_tables
from .models import Everything

#: floats whose shortest repr has an exponent (and one without, as a control)
EXPONENT_FORMS = [1e20, 1e-07, 1.5e300, 5e-324, 2e16, -1e-05, 1e22, 1e308, 1e16, 2.5]


async def _ids(qs: Any) -> list[int]:
    return sorted(await qs.values_list("id", flat=True))


async def test_numbers_in_exponent_form_are_found(url: str) -> None:
    async with opened(url):
        # rows of other shapes first: MariaDB's buffer then holds digits after the number
        await Everything.create(id=1000, data={"a": 1, "b": [12345, "6789"]})
        await Everything.create(id=1001, data=[1234567890])
        for i, number in enumerate(EXPONENT_FORMS, 1):
            await Everything.create(id=i, data=number)
            await Everything.create(id=100 + i, data={"x": number, "y": [number]})
        misses = []
        for i, number in enumerate(EXPONENT_FORMS, 1):
            asked = {
                "exact": (Everything.filter(data=number), [i]),
                "in": (Everything.filter(data__in=[number, "other"]), [i]),
                "Q": (Everything.filter(orm.Q(data=number) | orm.Q(id=-1)), [i]),
                "key": (Everything.filter(data__x=number), [100 + i]),
                "key in": (Everything.filter(data__x__in=[number, 0]), [100 + i]),
                "index": (Everything.filter(data__y__0=number), [100 + i]),
            }
            if abs(number) < 1e34:  # MariaDB orders JSON numbers below 10**34 only
                asked["key range"] = (
                    Everything.filter(data__x__gte=number, data__x__lte=number),
                    [100 + i],
                )
            for label, (qs, want) in asked.items():
                got = await _ids(qs)
                if got != want:
                    misses.append((number, label, got))
            left = await Everything.exclude(data=number).count()
            if left != len(EXPONENT_FORMS) * 2 + 1:
                misses.append((number, "exclude", left))
        assert misses == []


class Pair(orm.Model):
    id: int = orm.Field(primary_key=True)
    left = orm.JSONField(null=True)
    right = orm.JSONField(null=True)

    class Meta:
        table = "ormt_x7_json_pair"


#: a value of MariaDB's deepest nesting (31 levels)
DEEPEST: Any = 1
for _ in range(31):
    DEEPEST = [DEEPEST]

#: (left, right, equal as JSON values): numbers in exponent form, and values of MariaDB's
#: deepest nesting, which a number's one-element array must not push past its limit
PAIRS: list[tuple[Any, Any, bool]] = [
    (1e20, 1e20, True),
    (1e-07, 1e-07, True),
    (1e20, 10**20, True),
    (-1e-05, -1e-05, True),
    (5e-324, 1e22, False),
    (1e20, [1e20], False),
    ({"k": [12345]}, {"k": [12345]}, True),
    (DEEPEST, DEEPEST, True),
    (DEEPEST, 1, False),
]


async def test_a_field_against_a_field(url: str) -> None:
    async with opened(url), own_tables(Pair):
        await Pair.create(id=1000, left={"a": 123456}, right=[7890])
        for i, (left, right, _) in enumerate(PAIRS, 1):
            await Pair.create(id=i, left=left, right=right)
        want = [i for i, (_, _, equal) in enumerate(PAIRS, 1) if equal]
        assert await _ids(Pair.filter(left=orm.F("right"))) == want
        assert await _ids(Pair.filter(id__lt=1000).exclude(left=orm.F("right"))) == [
            i for i in range(1, len(PAIRS) + 1) if i not in want
        ]


async def test_a_number_against_the_deepest_value(url: str) -> None:
    async with opened(url):
        deep = DEEPEST
        await Everything.create(id=1, data=deep)
        await Everything.create(id=2, data=1)
        assert await _ids(Everything.filter(data=1)) == [2]
        assert await _ids(Everything.filter(data=deep)) == [1]
        assert await _ids(Everything.filter(data__in=[1, deep])) == [1, 2]
