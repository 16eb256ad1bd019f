# ruff: noqa: E501 - golden SQL is one line per case
"""Pattern matching: ``like``/``ilike`` with an ESCAPE character, ``like_escape`` and ``regex``.

The golden SQL per dialect goes through both compilers; then every probe runs on the three real
databases against one fixed set of strings (mixed case, ``%``, ``_``, the escape character, a
backslash, ``[``, non-ASCII text, the empty string, NULL) and must return the same rows there:
the ones written down here, so no database is the reference for the others. Where the servers
are documented to differ (non-ASCII case folding in ``ilike``), ``FOLDING`` pins what each does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ferrule import sql
from ferrule.errors import SQLError

from .support import Golden, Runner, Unsupported, assert_golden

W = sql.table("sqlt_words", "id", "s")
s = W.c.s

PREFIX = {
    "sqlite": "SELECT `sqlt_words`.`id` FROM `sqlt_words` WHERE ",
    "postgres": 'SELECT "sqlt_words"."id" FROM "sqlt_words" WHERE ',
    "mysql": "SELECT `sqlt_words`.`id` FROM `sqlt_words` WHERE ",
    "mssql": "SELECT [sqlt_words].[id] FROM [sqlt_words] WHERE ",
}
REGEX = Unsupported("regular expression match")

# name -> (condition, {dialect: (SQL after WHERE, params) or Unsupported})
# fmt: off
GOLDEN: dict[str, tuple[Callable[[], sql.Expr], dict[str, Golden]]] = {
    "like": (lambda: s.like("a%"), {
        "sqlite": ("`sqlt_words`.`s` LIKE ?", ["a%"]),
        "postgres": ('"sqlt_words"."s" LIKE $1', ["a%"]),
        "mysql": ("`sqlt_words`.`s` LIKE %s COLLATE utf8mb4_bin", ["a%"]),
        "mssql": ("[sqlt_words].[s] LIKE ? COLLATE Latin1_General_100_BIN2", ["a%"]),
    }),
    "like_escape": (lambda: s.like("a!%c", escape="!"), {
        "sqlite": ("`sqlt_words`.`s` LIKE ? ESCAPE ?", ["a!%c", "!"]),
        "postgres": ('"sqlt_words"."s" LIKE $1 ESCAPE $2', ["a!%c", "!"]),
        "mysql": ("`sqlt_words`.`s` LIKE %s COLLATE utf8mb4_bin ESCAPE %s", ["a!%c", "!"]),
        "mssql": ("[sqlt_words].[s] LIKE ? COLLATE Latin1_General_100_BIN2 ESCAPE ?", ["a!%c", "!"]),
    }),
    "not_like_escape": (lambda: s.not_like("a\\%", escape="\\"), {
        "sqlite": ("`sqlt_words`.`s` NOT LIKE ? ESCAPE ?", ["a\\%", "\\"]),
        "postgres": ('"sqlt_words"."s" NOT LIKE $1 ESCAPE $2', ["a\\%", "\\"]),
        "mysql": ("`sqlt_words`.`s` NOT LIKE %s COLLATE utf8mb4_bin ESCAPE %s", ["a\\%", "\\"]),
        "mssql": ("[sqlt_words].[s] NOT LIKE ? COLLATE Latin1_General_100_BIN2 ESCAPE ?", ["a\\%", "\\"]),
    }),
    "ilike_escape": (lambda: s.ilike("A!_C", escape="!"), {
        "sqlite": ("LOWER(`sqlt_words`.`s`) LIKE LOWER(?) ESCAPE ?", ["A!_C", "!"]),
        "postgres": ('"sqlt_words"."s" ILIKE $1 ESCAPE $2', ["A!_C", "!"]),
        "mysql": ("LOWER(`sqlt_words`.`s`) LIKE LOWER(%s) COLLATE utf8mb4_bin ESCAPE %s", ["A!_C", "!"]),
        "mssql": ("LOWER([sqlt_words].[s]) LIKE LOWER(?) COLLATE Latin1_General_100_BIN2 ESCAPE ?", ["A!_C", "!"]),
    }),
    "not_ilike": (lambda: s.not_ilike("a%"), {
        "sqlite": ("LOWER(`sqlt_words`.`s`) NOT LIKE LOWER(?)", ["a%"]),
        "postgres": ('"sqlt_words"."s" NOT ILIKE $1', ["a%"]),
        "mysql": ("LOWER(`sqlt_words`.`s`) NOT LIKE LOWER(%s) COLLATE utf8mb4_bin", ["a%"]),
        "mssql": ("LOWER([sqlt_words].[s]) NOT LIKE LOWER(?) COLLATE Latin1_General_100_BIN2", ["a%"]),
    }),
    "like_inside_and": (lambda: sql.not_(s.like("%", escape="!") & (s.ilike("x") == 0)), {
        "sqlite": ("NOT (`sqlt_words`.`s` LIKE ? ESCAPE ? AND (LOWER(`sqlt_words`.`s`) LIKE LOWER(?)) = ?)", ["%", "!", "x", 0]),
        "postgres": ('NOT ("sqlt_words"."s" LIKE $1 ESCAPE $2 AND ("sqlt_words"."s" ILIKE $3) = $4)', ["%", "!", "x", 0]),
        "mysql": ("NOT (`sqlt_words`.`s` LIKE %s COLLATE utf8mb4_bin ESCAPE %s AND (LOWER(`sqlt_words`.`s`) LIKE LOWER(%s) COLLATE utf8mb4_bin) = %s)", ["%", "!", "x", 0]),
        "mssql": ("NOT ([sqlt_words].[s] LIKE ? COLLATE Latin1_General_100_BIN2 ESCAPE ? AND (LOWER([sqlt_words].[s]) LIKE LOWER(?) COLLATE Latin1_General_100_BIN2) = ?)", ["%", "!", "x", 0]),
    }),
    "regex": (lambda: s.regex("^a.c$"), {
        "sqlite": ("`sqlt_words`.`s` REGEXP ?", ["^a.c$"]),
        "postgres": ('"sqlt_words"."s" ~ $1', ["^a.c$"]),
        "mysql": ("`sqlt_words`.`s` REGEXP %s COLLATE utf8mb4_bin", ["^a.c$"]),
        "mssql": REGEX,
    }),
    "regex_ignore_case": (lambda: s.regex("^a", ignore_case=True), {
        "sqlite": ("regexp(?, `sqlt_words`.`s`, 'i')", ["^a"]),
        "postgres": ('"sqlt_words"."s" ~* $1', ["^a"]),
        "mysql": ("`sqlt_words`.`s` REGEXP %s COLLATE utf8mb4_general_ci", ["^a"]),
        "mssql": REGEX,
    }),
    "not_regex": (lambda: s.not_regex("^a"), {
        "sqlite": ("`sqlt_words`.`s` NOT REGEXP ?", ["^a"]),
        "postgres": ('"sqlt_words"."s" !~ $1', ["^a"]),
        "mysql": ("`sqlt_words`.`s` NOT REGEXP %s COLLATE utf8mb4_bin", ["^a"]),
        "mssql": REGEX,
    }),
    "not_regex_ignore_case": (lambda: s.not_regex("^a", ignore_case=True), {
        "sqlite": ("NOT regexp(?, `sqlt_words`.`s`, 'i')", ["^a"]),
        "postgres": ('"sqlt_words"."s" !~* $1', ["^a"]),
        "mysql": ("`sqlt_words`.`s` NOT REGEXP %s COLLATE utf8mb4_general_ci", ["^a"]),
        "mssql": REGEX,
    }),
    # the bound values follow the text: the pattern comes first in SQLite's function call
    "regex_params_in_text_order": (lambda: s == sql.literal("abc").regex("B", ignore_case=True), {
        "sqlite": ("`sqlt_words`.`s` = (regexp(?, ?, 'i'))", ["B", "abc"]),
        "postgres": ('"sqlt_words"."s" = ($1 ~* $2)', ["abc", "B"]),
        "mysql": ("`sqlt_words`.`s` = (%s REGEXP %s COLLATE utf8mb4_general_ci)", ["abc", "B"]),
        "mssql": REGEX,
    }),
}
# fmt: on

DIALECTS = ("sqlite", "postgres", "mysql", "mssql")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden(name: str, dialect: str) -> None:
    build, expected = GOLDEN[name]
    golden = expected[dialect]
    if not isinstance(golden, Unsupported):
        golden = (PREFIX[dialect] + golden[0], golden[1])
    assert_golden(sql.select(W.c.id).from_(W).where(build()), dialect, golden)


# --- the escape character and like_escape --------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "problem"),
    [
        ("", "one character"),
        ("!!", "one character"),
        (5, "a one-character string"),
        (b"!", "a one-character string"),
        ("%", "a wildcard"),
        ("_", "a wildcard"),
        ("a", "ASCII punctuation"),
        ("A", "ASCII punctuation"),
        ("1", "ASCII punctuation"),
        ("é", "ASCII punctuation"),
        (" ", "ASCII punctuation"),
        ("[", "SQL Server"),
        ("]", "SQL Server"),
    ],
)
@pytest.mark.parametrize("method", ["like", "not_like", "ilike", "not_ilike"])
def test_a_bad_escape_is_refused_naming_the_problem(method: str, escape: Any, problem: str) -> None:
    with pytest.raises(SQLError, match="escape") as info:
        getattr(s, method)("x", escape=escape)
    assert problem in str(info.value)
    assert repr(escape) in str(info.value)
    with pytest.raises(SQLError, match="escape"):
        sql.like_escape("x", escape)


@pytest.mark.parametrize(
    ("text", "escape", "escaped"),
    [
        ("plain", "!", "plain"),
        ("50%_off!", "!", "50!%!_off!!"),
        ("a[b]c", "!", "a![b]c"),  # SQL Server reads [b] as a character class
        ("a\\b%", "\\", "a\\\\b\\%"),
        ("a\\b", "!", "a\\b"),  # with ESCAPE '!' a backslash is an ordinary character
        ("", "!", ""),
        ("é_😀", "#", "é#_😀"),
    ],
)
def test_like_escape(text: str, escape: str, escaped: str) -> None:
    assert sql.like_escape(text, escape) == escaped
    if escape == "!":
        assert sql.like_escape(text) == escaped


@pytest.mark.parametrize("text", [None, 5, b"x", s])
def test_like_escape_takes_text(text: Any) -> None:
    with pytest.raises(SQLError, match="like_escape"):
        sql.like_escape(text)


def test_ignore_case_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        s.regex("a", True)  # type: ignore[misc]


# --- the same rows on every real database --------------------------------------------------------

WORDS: dict[int, str | None] = {
    1: "abc", 2: "ABC", 3: "Abc", 4: "a%c", 5: "a_c", 6: "a!c", 7: "a\\c", 8: "a[b]c",
    9: "100%", 10: "é", 11: "É", 12: "e", 13: "Straße", 14: "STRASSE", 15: "naïve café",
    16: "😀x", 17: None, 18: "", 19: "a'c",
}  # fmt: skip
NOT_NULL = sorted(k for k, v in WORDS.items() if v is not None)
A_PREFIX = [1, 4, 5, 6, 7, 8, 19]  # begin with a lower-case "a"

esc = sql.like_escape

# name -> (condition, the ids of the rows it keeps, in order)
# fmt: off
PROBES: dict[str, tuple[Callable[[], sql.Expr], list[int]]] = {
    "like is case-sensitive": (lambda: s.like("abc"), [1]),
    "like prefix": (lambda: s.like("a%"), A_PREFIX),
    "like one character": (lambda: s.like("a_c"), [1, 4, 5, 6, 7, 19]),
    "like escaped percent": (lambda: s.like("a!%c", escape="!"), [4]),
    "like escaped underscore": (lambda: s.like("a!_c", escape="!"), [5]),
    "like escaped escape": (lambda: s.like("a!!c", escape="!"), [6]),
    "like backslash escape": (lambda: s.like("a\\%c", escape="\\"), [4]),
    "like quote escape": (lambda: s.like("a'_c", escape="'"), [5]),
    "backslash is ordinary under ESCAPE": (lambda: s.like(esc("a\\c"), escape="!"), [7]),
    "contains percent": (lambda: s.like("%" + esc("%") + "%", escape="!"), [4, 9]),
    "ends with percent": (lambda: s.like("%" + esc("%"), escape="!"), [9]),
    "contains [b]": (lambda: s.like("%" + esc("[b]") + "%", escape="!"), [8]),
    "starts with a!": (lambda: s.like(esc("a!") + "%", escape="!"), [6]),
    "underscore is one character": (lambda: s.like("_"), [10, 11, 12]),
    "an emoji is one character": (lambda: s.like("__"), [16]),
    "like non-ASCII exactly": (lambda: s.like("é"), [10]),
    "like non-ASCII suffix": (lambda: s.like("%é"), [10, 15]),
    "like the empty string": (lambda: s.like(""), [18]),
    "not like": (lambda: s.not_like("a%"), [k for k in NOT_NULL if k not in A_PREFIX]),
    "not like escaped": (lambda: s.not_like("%!%%", escape="!"), [k for k in NOT_NULL if k not in (4, 9)]),
    "ilike folds ASCII": (lambda: s.ilike("abc"), [1, 2, 3]),
    "ilike escaped": (lambda: s.ilike("A!%C", escape="!"), [4]),
    "ilike keeps accents": (lambda: s.ilike("e"), [12]),
    "ilike with non-ASCII of the same case": (lambda: s.ilike("%CAFé"), [15]),
    "ilike does not expand ß": (lambda: s.ilike("straße"), [13]),
    "not ilike": (lambda: s.not_ilike("a%"), [k for k in NOT_NULL if k not in [*A_PREFIX, 2, 3]]),
    "regex is case-sensitive": (lambda: s.regex("^A"), [2, 3]),
    "regex any character": (lambda: s.regex("^a.c$"), [1, 4, 5, 6, 7, 19]),
    "regex ignore case": (lambda: s.regex("^a", ignore_case=True), [*A_PREFIX[:1], 2, 3, *A_PREFIX[1:]]),
    "regex dot is one character": (lambda: s.regex("^.$"), [10, 11, 12]),
    "regex an emoji": (lambda: s.regex("^😀"), [16]),
    "regex non-ASCII": (lambda: s.regex("é"), [10, 15]),
    "regex non-ASCII ignore case": (lambda: s.regex("é", ignore_case=True), [10, 11, 15]),
    "regex class": (lambda: s.regex(r"\[b\]"), [8]),
    "regex percent is ordinary": (lambda: s.regex("%"), [4, 9]),
    "regex empty": (lambda: s.regex("^$"), [18]),
    "regex does not expand ß": (lambda: s.regex("strasse", ignore_case=True), [14]),
    "not regex": (lambda: s.not_regex("^a"), [k for k in NOT_NULL if k not in A_PREFIX]),
    "not regex ignore case": (lambda: s.not_regex("^a", ignore_case=True), [k for k in NOT_NULL if k not in [*A_PREFIX, 2, 3]]),
}
# fmt: on

#: where the servers differ, as documented in ``sql.nodes``: non-ASCII case folding in ``ilike``
#: (SQLite's LOWER folds ASCII only; PostgreSQL folds by the database's LC_CTYPE, C.UTF-8 here)
FOLDING: dict[str, tuple[Callable[[], sql.Expr], dict[str, list[int]]]] = {
    "ilike non-ASCII": (
        lambda: s.ilike("é"),
        {"sqlite": [10], "postgres": [10, 11], "mysql": [10, 11]},
    ),
}

SERVERS = ("sqlite", "postgres", "mysql")
_COLUMN = {"sqlite": "TEXT", "postgres": "TEXT", "mysql": "VARCHAR(50)"}
_OPTIONS = {"sqlite": "", "postgres": "", "mysql": " DEFAULT CHARSET=utf8mb4"}


@pytest.fixture(scope="module", params=SERVERS)
def words(request: pytest.FixtureRequest) -> Iterator[Runner]:
    """The dialect's session runner with ``sqlt_words`` filled (in the server's default
    collation: on MariaDB one that ignores case and accents)."""
    runner: Runner = request.getfixturevalue(f"{request.param}_db")
    runner.execute("DROP TABLE IF EXISTS sqlt_words", [])
    runner.execute(
        f"CREATE TABLE sqlt_words (id INTEGER PRIMARY KEY, s {_COLUMN[runner.dialect]})"
        + _OPTIONS[runner.dialect],
        [],
    )
    try:
        for key, value in WORDS.items():
            runner.execute(*sql.insert(W).values(id=key, s=value).compile(runner.dialect))
        yield runner
    finally:
        runner.execute("DROP TABLE sqlt_words", [])


def _ids(runner: Runner, condition: sql.Expr) -> list[int]:
    query = sql.select(W.c.id).from_(W).where(condition).order_by(W.c.id)
    return [row[0] for row in runner.run(query)]


def test_the_rows_are_stored_as_given(words: Runner) -> None:
    rows = words.run(sql.select(W.c.id, W.c.s).from_(W).order_by(W.c.id))
    assert dict(rows) == WORDS


@pytest.mark.parametrize("name", list(PROBES))
def test_the_same_rows_on_every_database(words: Runner, name: str) -> None:
    build, expected = PROBES[name]
    assert _ids(words, build()) == expected


@pytest.mark.parametrize("name", list(FOLDING))
def test_documented_folding_differences(words: Runner, name: str) -> None:
    build, expected = FOLDING[name]
    assert _ids(words, build()) == expected[words.dialect]


@pytest.mark.parametrize(
    "build",
    [
        lambda x: x.like("a%", escape="!"),
        lambda x: x.not_like("a%"),
        lambda x: x.ilike("a%", escape="!"),
        lambda x: x.not_ilike("a%"),
        lambda x: x.regex("a"),
        lambda x: x.not_regex("a", ignore_case=True),
        lambda x: x.regex("a", ignore_case=True),
    ],
)
def test_null_in_null_out(words: Runner, build: Callable[[Any], sql.Expr]) -> None:
    query = sql.select(build(s)).from_(W).where(W.c.id == 17)
    assert words.run(query) == [(None,)]
