"""A JSON field given a value JSON has no form for (a ``Decimal``, a ``set``, a key that is no
text): ``TypeError: Object of type Decimal is not JSON serializable`` from the standard
library on SQLite and MariaDB, an ``InterfaceError`` from PostgreSQL's driver for the same
``create()``, and a ``TypeError`` again from its ``bulk_create``. The same problem now raises
the same ferrule error everywhere (``InterfaceError``: a value that cannot be sent, as NaN
already was), naming the type, and nothing is written."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Everything

VALUES = [
    ([decimal.Decimal("1.5")], "Decimal"),
    ({"k": {1, 2}}, "set"),
    ({("a", "b"): 1}, "tuple"),
]


@pytest.mark.parametrize(("value", "named"), VALUES, ids=lambda v: type(v).__name__)
async def test_a_value_json_cannot_hold_is_an_interface_error(
    url: str, value: Any, named: str
) -> None:
    async with opened(url):
        with pytest.raises(errors.InterfaceError, match=named):
            await Everything.create(data=value)
        with pytest.raises(errors.InterfaceError, match=named):
            await Everything.bulk_create([Everything(data=value), Everything(data=value)])
        kept = await Everything.create(data=[1])
        with pytest.raises(errors.InterfaceError, match=named):
            await Everything.filter(id=kept.id).update(data=value)
        kept.data = value
        with pytest.raises(errors.InterfaceError, match=named):
            await kept.save()
        assert await Everything.all().values_list("data", flat=True) == [[1]]
