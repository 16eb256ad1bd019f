"""Django's "Conditional expressions" page walked through: where ``Case``/``When`` answered
otherwise than Django documents. As in Django, a string given as ``then`` or ``default``
names a field (Django parses it as ``F("...")``), and an empty ``Q()`` is no condition."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class E11Client(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    kind = orm.CharField(max_length=10)
    nick = orm.CharField(max_length=20, default="")

    class Meta:
        table = "ormt_e11_client"


async def _load() -> None:
    for name, kind, nick in [("Jane", "R", "jj"), ("James", "G", "jim"), ("Jack", "P", "")]:
        await E11Client.create(name=name, kind=kind, nick=nick)


async def test_a_string_then_or_default_names_a_field(url: str) -> None:
    async with opened(url), own_tables(E11Client):
        await _load()
        rows = E11Client.order_by("id")
        shown = rows.annotate(
            shown=orm.Case(orm.When(kind="G", then="nick"), default="name"),
        )
        assert await shown.values_list("shown", flat=True) == ["Jane", "jim", "Jack"]
        # the constant is still a Value
        plain = rows.annotate(
            shown=orm.Case(orm.When(kind="G", then=orm.Value("nick")), default=orm.Value("-"))
        )
        assert await plain.values_list("shown", flat=True) == ["-", "nick", "-"]
        # across a filter and an update, as in annotate
        assert await rows.filter(
            name=orm.Case(orm.When(kind="R", then="name"), default="nick")
        ).values_list("name", flat=True) == ["Jane"]
        await E11Client.filter(nick="").update(
            nick=orm.Case(orm.When(kind="P", then="name"), default="nick")
        )
        assert await rows.values_list("nick", flat=True) == ["jj", "jim", "Jack"]
        with pytest.raises(FieldError, match="nope"):
            await rows.annotate(x=orm.Case(orm.When(kind="G", then="nope"))).values("x")


def test_an_empty_q_is_no_when_condition() -> None:
    for condition in (orm.Q(), orm.Q(orm.Q()), orm.Q() & orm.Q(), ~orm.Q()):
        with pytest.raises(FieldError, match=r"empty Q\(\)"):
            orm.When(condition, then=orm.Value(1))
    assert orm.When(orm.Q(), kind="G", then=1).condition is not None  # a keyword is one
