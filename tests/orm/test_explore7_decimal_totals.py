"""``Sum`` and ``Avg`` of a decimal field are the exact answer, or a typed error where the
database cannot give it: never another number.

SQLite holds decimals as doubles and adds them as whole units of the scale (``orm.compiler``,
``orm.arithmetic.decimal_mean``, ``orm.windows``). Two things went wrong when a value had
more units than a double or a 64-bit int holds exactly, and later values cancelled it out, so
that the total looked small enough to trust: the double sum of 1e19 units and 1 unit lost the
1 (``Sum`` of 1E+17, 0.01 and -1E+17 at two places was 0.00; of 1E+19, 1 and -1E+19 at
none, 0), and the cast of 1e19 units to
``BIGINT`` saturated at 2**63 - 1 (``Avg`` of 1E+17, -1E+17 and 0.02 was 0.003333, not
0.006667). A value of more than 15 digits of units is now refused there, in any total."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError, InterfaceError

from .conftest import opened, own_tables


class Ledger(orm.Model):
    id: int = orm.Field(primary_key=True)
    amount = orm.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        table = "ormt_x7_ledger"


class Tally(orm.Model):
    """Whole numbers: SQLite stores a decimal of 2**63 or more as a double."""

    id: int = orm.Field(primary_key=True)
    amount = orm.DecimalField(max_digits=25, decimal_places=0)

    class Meta:
        table = "ormt_x7_tally"


#: amounts whose total or mean is small while a part is not (15 significant digits at most,
#: which SQLite stores)
CANCELLING = [
    (Ledger, [Decimal("1E+17"), Decimal("0.01"), Decimal("-1E+17")]),
    (Ledger, [Decimal("1E+17"), Decimal("-1E+17"), Decimal("0.02")]),
    (Ledger, [Decimal("1.23456789012345E+16"), Decimal("0.01"), Decimal("-1.23456789012345E+16")]),
    (Tally, [Decimal("1E+19"), Decimal("1"), Decimal("-1E+19")]),
]


def _exact(model: Any, amounts: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The total, and the mean at the scale + 4 places, rounded half away from zero."""
    total = sum(amounts, Decimal(0))
    places = Decimal(1).scaleb(-model._meta.columns["amount"].logical.scale - 4)
    return total, (total / len(amounts)).quantize(places, rounding=ROUND_HALF_UP)


async def _answer(make: Any) -> Any:
    """The answer, or the type of a typed refusal."""
    try:
        return await make()
    except (DataError, InterfaceError) as error:
        return type(error)


def _case_id(case: Any) -> str:
    return case.__name__ if isinstance(case, type) else "+".join(map(str, case))


@pytest.mark.parametrize(("model", "amounts"), CANCELLING, ids=_case_id)
async def test_totals_are_exact_or_refused(url: str, model: Any, amounts: list[Decimal]) -> None:
    total, mean = _exact(model, amounts)
    async with opened(url), own_tables(model):
        for key, amount in enumerate(amounts, 1):
            await model.create(id=key, amount=amount)
        whole = model.all()
        window = model.annotate(
            s=orm.Window(orm.Sum("amount")), m=orm.Window(orm.Avg("amount"))
        ).order_by("id")
        answers = {
            "sum": await _answer(lambda: whole.aggregate(x=orm.Sum("amount"))),
            "avg": await _answer(lambda: whole.aggregate(x=orm.Avg("amount"))),
            "distinct sum": await _answer(
                lambda: whole.aggregate(x=orm.Sum("amount", distinct=True))
            ),
            "window": await _answer(lambda: window.values_list("s", "m")),
        }
        wrong = []
        for path, got in answers.items():
            if isinstance(got, type):
                if not url.startswith("sqlite"):  # the servers add decimals exactly
                    wrong.append((path, got))
                continue
            if path == "window":
                want: Any = [(total, mean)] * len(amounts)
            else:
                want = {"x": mean if path == "avg" else total}
            if got != want:
                wrong.append((path, got))
        assert wrong == []
