"""``Avg`` of an integer or float field is a ``float`` on every database, computed in double
precision: PostgreSQL would answer a ``Decimal`` of 16 places and MariaDB a ``Decimal`` of 4
(``Avg`` of 1, 2, 2 would be ``Decimal('1.6667')`` there), as Django's ``FloatField`` output
expects. Answers are checked against the same mean computed in Python."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author, Post

VIEWS = {"ann": [1, 2, 2], "bo": [7], "cy": [2**31 - 1, 2**31 - 2]}


def _mean(values: list[int]) -> float:
    return float(sum(values)) / len(values)


async def test_average_of_integers_is_a_float_in_double_precision(url: str) -> None:
    async with opened(url):
        for name, views in VIEWS.items():
            author = await Author.create(name=name, rating=len(views))
            for index, count in enumerate(views):
                await Post.create(title=f"{name}{index}", author=author, views=count)
        everything = [v for views in VIEWS.values() for v in views]
        found = await Post.all().aggregate(mean=orm.Avg("views"), ratings=orm.Avg("author__rating"))
        assert type(found["mean"]) is float and found["mean"] == _mean(everything)
        assert found["ratings"] == _mean([len(VIEWS[p]) for p in VIEWS for _ in VIEWS[p]])
        means = Author.all().annotate(mean=orm.Avg("posts__views")).order_by("name")
        groups = await means.values("name", "mean")
        assert [(g["name"], g["mean"]) for g in groups] == [(n, _mean(v)) for n, v in VIEWS.items()]
        assert all(type(g["mean"]) is float for g in groups)
        per_author = await Author.all().annotate(mean=orm.Avg("posts__views")).order_by("name")
        assert [a.mean for a in per_author] == [_mean(v) for v in VIEWS.values()]  # type: ignore[attr-defined]
        high = await Author.all().annotate(mean=orm.Avg("posts__views")).filter(mean__gt=5 / 3)
        assert sorted(a.name for a in high) == ["bo", "cy"]
        empty = await Post.filter(views__lt=0).aggregate(mean=orm.Avg("views"))
        assert empty == {"mean": None}
