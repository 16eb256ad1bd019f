# ruff: noqa: E501 - golden SQL is one line per case
"""Golden DDL per dialect: every case in ``CASES`` compiles to exactly these statements, or is
refused with ``UnsupportedFeatureError`` naming the construct (``Unsupported``) or with an
``SQLError`` (``Refused``, a misuse on that dialect). The real-server half is
``tests/backends/test_ddl.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from ferrule import sql
from ferrule.errors import SQLError, UnsupportedFeatureError
from ferrule.sql import column_def as col
from ferrule.sql import logical_type as lt

from .support import Runner, Unsupported

C = sql.column


@dataclass(frozen=True)
class Refused:
    """Golden expectation: an ``SQLError`` (not ``UnsupportedFeatureError``) starting so."""

    message: str


def _all_types() -> sql.CreateTable:
    return sql.create_table(
        "all_types",
        col("i", "int"), col("bi", "bigint"), col("si", "smallint"), col("f", "float"),
        col("d", lt("decimal", precision=10, scale=2)), col("b", "bool"),
        col("s", lt("str", length=20)), col("t", "text"), col("by", "bytes"),
        col("dt", "datetime"), col("dtz", "datetime_tz"), col("da", "date"), col("ti", "time"),
        col("td", "timedelta"), col("u", "uuid"), col("j", "json"),
        col("e", lt("enum", values=["red", "green"])),
    )  # fmt: skip


# fmt: off
CASES: dict[str, Callable[[], sql.DDLStatement]] = {
    "create_basic": lambda: sql.create_table(
        "t", col("id", "int", primary_key=True), col("name", lt("str", length=50), nullable=False),
        col("note", "text"),
    ),
    "create_identity": lambda: sql.create_table(
        "t", col("id", "bigint", primary_key=True, identity=True), col("n", "int")
    ),
    "create_identity_not_pk": lambda: sql.create_table(
        "t", col("id", "int", primary_key=True), col("seq", "bigint", identity=True, unique=True)
    ),
    "create_composite_pk": lambda: sql.create_table(
        "t", col("a", "int"), col("b", "int"), sql.primary_key("a", "b", name="t_pk")
    ),
    "create_pk_columns": lambda: sql.create_table(
        "t", col("a", "int", primary_key=True), col("b", "int", primary_key=True)
    ),
    "create_unique": lambda: sql.create_table(
        "t", col("a", "int", unique=True), col("b", "int"), col("c", "int"),
        sql.unique("b", "c", name="t_bc"), sql.unique("c"),
    ),
    "create_fk": lambda: sql.create_table(
        "t", col("id", "int", primary_key=True), col("p", "int"),
        sql.foreign_key("p", "parent", "id", on_delete="cascade", on_update="set_null", name="t_p"),
        sql.foreign_key(["id"], sql.table("other", schema="s"), ["x"], on_delete="NO ACTION"),
    ),
    "create_fk_set_default": lambda: sql.create_table(
        "t", col("p", "int", default=0), sql.foreign_key("p", "parent", "id", on_delete="set default")
    ),
    "create_fk_restrict": lambda: sql.create_table(
        "t", col("p", "int"), sql.foreign_key("p", "parent", "id", on_update="restrict")
    ),
    "create_check": lambda: sql.create_table(
        "t", col("qty", "int"), col("lo", "int"), col("hi", "int"),
        sql.check(C("qty") > 0, name="qty_positive"),
        sql.check((C("lo") <= C("hi")) | C("lo").is_(None)),
    ),
    "create_default_values": lambda: sql.create_table(
        "t",
        col("s", lt("str", length=30), default="it's 50% \\ off"),
        col("i", "int", default=-7), col("f", "float", default=1.5),
        col("d", lt("decimal", precision=8, scale=3), default=Decimal("1E+2")),
        col("b", "bool", default=True), col("n", "int", default=None),
        col("by", "bytes", default=b"\x00\xff'"), col("da", "date", default=dt.date(2024, 2, 29)),
        col("ts", "datetime", default=dt.datetime(2024, 1, 2, 3, 4, 5, 6)),
        col("tz", "datetime_tz", default=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        col("ti", "time", default=dt.time(12, 30)),
        col("td", "timedelta", default=dt.timedelta(days=1, seconds=2, microseconds=3)),
        col("u", "uuid", default=uuid.UUID(int=1)),
    ),
    "create_default_expr": lambda: sql.create_table(
        "t", col("at", "datetime", default=sql.raw("CURRENT_TIMESTAMP")),
        col("n", "int", default=sql.literal(2) * 3), col("t", "text", default="x"),
    ),
    "create_comments": lambda: sql.create_table(
        "t", col("a", "int", comment="the a"), col("b", "int"), comment="a table's comment",
    ),
    "create_if_not_exists": lambda: sql.create_table(
        "t", col("a", "int"), schema="s", if_not_exists=True
    ),
    "create_enum": lambda: sql.create_table(
        "t", col("e", lt("enum", values=["small", "it's"]), nullable=False, default="small")
    ),
    "create_all_types": _all_types,
    "create_quoted_names": lambda: sql.create_table(
        'we"ird`]', col("a b", "int"), col("x%y", "int", default=1), sql.unique("a b", name="u[1]")
    ),
    "drop_table": lambda: sql.drop_table("t"),
    "drop_table_if_exists": lambda: sql.drop_table(sql.table("t", schema="s"), if_exists=True),
    "drop_table_cascade": lambda: sql.drop_table("t", cascade=True),
    "create_index": lambda: sql.create_index("t_a", "t", "a", C("b").desc()),
    "create_unique_index": lambda: sql.create_index(
        "t_a", sql.table("t", schema="s"), "a", unique=True, if_not_exists=True
    ),
    "create_index_expression": lambda: sql.create_index("t_lower", "t", sql.func.lower(C("email"))),
    "create_index_partial": lambda: sql.create_index(
        "t_open", "t", "a", where=(C("status") == "open") & C("deleted").is_(None)
    ),
    "create_index_concurrently": lambda: sql.create_index("t_a", "t", "a", concurrently=True),
    "create_index_nulls": lambda: sql.create_index("t_a", "t", C("a").asc(nulls="last")),
    "drop_index": lambda: sql.drop_index("t_a", "t"),
    "drop_index_if_exists": lambda: sql.drop_index("t_a", sql.table("t", schema="s"), if_exists=True),
    "drop_index_concurrently": lambda: sql.drop_index("t_a", "t", concurrently=True),
    "add_column": lambda: sql.alter_table("t").add_column(
        col("n", "int", nullable=False, default=0, comment="count")
    ),
    "add_column_if_not_exists": lambda: sql.alter_table("t").add_column(
        col("n", "int"), if_not_exists=True
    ),
    "add_column_unique": lambda: sql.alter_table("t").add_column(col("n", "int", unique=True)),
    "add_column_not_null_no_default": lambda: sql.alter_table("t").add_column(
        col("n", "int", nullable=False)
    ),
    "add_column_expr_default": lambda: sql.alter_table("t").add_column(
        col("at", "datetime", default=sql.raw("CURRENT_TIMESTAMP"))
    ),
    "drop_column": lambda: sql.alter_table("t").drop_column("n"),
    "drop_column_if_exists": lambda: sql.alter_table("t").drop_column("n", if_exists=True),
    "rename_column": lambda: sql.alter_table(sql.table("t", schema="s")).rename_column("a", "b"),
    "rename_table": lambda: sql.alter_table("t").rename_to("u"),
    "alter_type_and_null": lambda: sql.alter_table("t").alter_column(
        "n", type="bigint", nullable=False, default=1, comment=None
    ),
    "alter_type_full": lambda: sql.alter_table("t").alter_column("n", type="bigint", nullable=False),
    "alter_type_only": lambda: sql.alter_table("t").alter_column("n", type="bigint"),
    "alter_nullable": lambda: sql.alter_table("t").alter_column("n", nullable=True),
    "alter_default": lambda: sql.alter_table("t").alter_column("n", default=5),
    "alter_drop_default": lambda: sql.alter_table("t").alter_column("n", drop_default=True),
    "alter_comment": lambda: sql.alter_table("t").alter_column("n", comment="new"),
    "add_constraint": lambda: sql.alter_table("t").add_constraint(
        sql.foreign_key("p", "parent", "id", on_delete="cascade", name="t_p")
    ),
    "add_check": lambda: sql.alter_table("t").add_constraint(sql.check(C("n") >= 0, name="n_ok")),
    "drop_fk": lambda: sql.alter_table("t").drop_constraint("t_p", kind="foreign_key"),
    "drop_unique": lambda: sql.alter_table("t").drop_constraint(sql.unique("a", name="t_a")),
    "drop_check_if_exists": lambda: sql.alter_table("t").drop_constraint(
        "n_ok", kind="check", if_exists=True
    ),
    "drop_pk": lambda: sql.alter_table("t").drop_constraint("t_pkey", kind="primary_key"),
    "drop_constraint_no_kind": lambda: sql.alter_table("t").drop_constraint("c"),
    "alter_many": lambda: sql.alter_table("t").add_column(col("n", "int")).rename_column("a", "b")
    .drop_column("c"),
}

GOLDEN: dict[str, dict[str, list[str] | Unsupported | Refused]] = {
    "sqlite": {
        'create_basic': ['CREATE TABLE `t` (`id` INTEGER NOT NULL PRIMARY KEY CONSTRAINT `ferrule_type_id` CHECK (`id` BETWEEN -2147483648 AND 2147483647), `name` VARCHAR(50) NOT NULL CONSTRAINT `ferrule_type_name` CHECK (length(`name`) <= 50), `note` TEXT NULL)'],
        'create_identity': ['CREATE TABLE `t` (`id` INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, `n` INTEGER NULL CONSTRAINT `ferrule_type_n` CHECK (`n` BETWEEN -2147483648 AND 2147483647))'],
        'create_identity_not_pk': Unsupported('identity column that is not the whole primary key'),
        'create_composite_pk': ['CREATE TABLE `t` (`a` INTEGER NOT NULL CONSTRAINT `ferrule_type_a` CHECK (`a` BETWEEN -2147483648 AND 2147483647), `b` INTEGER NOT NULL CONSTRAINT `ferrule_type_b` CHECK (`b` BETWEEN -2147483648 AND 2147483647), CONSTRAINT `t_pk` PRIMARY KEY (`a`, `b`))'],
        'create_pk_columns': ['CREATE TABLE `t` (`a` INTEGER NOT NULL CONSTRAINT `ferrule_type_a` CHECK (`a` BETWEEN -2147483648 AND 2147483647), `b` INTEGER NOT NULL CONSTRAINT `ferrule_type_b` CHECK (`b` BETWEEN -2147483648 AND 2147483647), PRIMARY KEY (`a`, `b`))'],
        'create_unique': ['CREATE TABLE `t` (`a` INTEGER NULL UNIQUE CONSTRAINT `ferrule_type_a` CHECK (`a` BETWEEN -2147483648 AND 2147483647), `b` INTEGER NULL CONSTRAINT `ferrule_type_b` CHECK (`b` BETWEEN -2147483648 AND 2147483647), `c` INTEGER NULL CONSTRAINT `ferrule_type_c` CHECK (`c` BETWEEN -2147483648 AND 2147483647), CONSTRAINT `t_bc` UNIQUE (`b`, `c`), UNIQUE (`c`))'],
        'create_fk': ['CREATE TABLE `t` (`id` INTEGER NOT NULL PRIMARY KEY CONSTRAINT `ferrule_type_id` CHECK (`id` BETWEEN -2147483648 AND 2147483647), `p` INTEGER NULL CONSTRAINT `ferrule_type_p` CHECK (`p` BETWEEN -2147483648 AND 2147483647), CONSTRAINT `t_p` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY (`id`) REFERENCES `s`.`other` (`x`) ON DELETE NO ACTION)'],
        'create_fk_set_default': ['CREATE TABLE `t` (`p` INTEGER NULL DEFAULT 0 CONSTRAINT `ferrule_type_p` CHECK (`p` BETWEEN -2147483648 AND 2147483647), FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE SET DEFAULT)'],
        'create_fk_restrict': ['CREATE TABLE `t` (`p` INTEGER NULL CONSTRAINT `ferrule_type_p` CHECK (`p` BETWEEN -2147483648 AND 2147483647), FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON UPDATE RESTRICT)'],
        'create_check': ['CREATE TABLE `t` (`qty` INTEGER NULL CONSTRAINT `ferrule_type_qty` CHECK (`qty` BETWEEN -2147483648 AND 2147483647), `lo` INTEGER NULL CONSTRAINT `ferrule_type_lo` CHECK (`lo` BETWEEN -2147483648 AND 2147483647), `hi` INTEGER NULL CONSTRAINT `ferrule_type_hi` CHECK (`hi` BETWEEN -2147483648 AND 2147483647), CONSTRAINT `qty_positive` CHECK (`qty` > 0), CHECK (`lo` <= `hi` OR `lo` IS NULL))'],
        'create_default_values': ["CREATE TABLE `t` (`s` VARCHAR(30) NULL DEFAULT 'it''s 50% \\ off' CONSTRAINT `ferrule_type_s` CHECK (length(`s`) <= 30), `i` INTEGER NULL DEFAULT -7 CONSTRAINT `ferrule_type_i` CHECK (`i` BETWEEN -2147483648 AND 2147483647), `f` REAL NULL DEFAULT 1.5, `d` DECIMAL(8,3) NULL DEFAULT 100 CONSTRAINT `ferrule_type_d` CHECK (round(abs(`d`), 3) < 100000), `b` BOOLEAN NULL DEFAULT TRUE, `n` INTEGER NULL DEFAULT NULL CONSTRAINT `ferrule_type_n` CHECK (`n` BETWEEN -2147483648 AND 2147483647), `by` BLOB NULL DEFAULT X'00ff27', `da` DATE NULL DEFAULT '2024-02-29', `ts` TIMESTAMP NULL DEFAULT '2024-01-02 03:04:05.000006', `tz` TIMESTAMPTZ NULL DEFAULT '2024-01-02 03:04:05+02:00', `ti` TIME NULL DEFAULT '12:30:00', `td` BIGINT NULL DEFAULT 86402000003, `u` UUID NULL DEFAULT '00000000-0000-0000-0000-000000000001')"],
        'create_default_expr': ["CREATE TABLE `t` (`at` TIMESTAMP NULL DEFAULT (CURRENT_TIMESTAMP), `n` INTEGER NULL DEFAULT (2 * 3) CONSTRAINT `ferrule_type_n` CHECK (`n` BETWEEN -2147483648 AND 2147483647), `t` TEXT NULL DEFAULT 'x')"],
        'create_comments': ["CREATE TABLE `t` (/* a table's comment */ `a` INTEGER NULL CONSTRAINT `ferrule_type_a` CHECK (`a` BETWEEN -2147483648 AND 2147483647) /* the a */, `b` INTEGER NULL CONSTRAINT `ferrule_type_b` CHECK (`b` BETWEEN -2147483648 AND 2147483647))"],
        'create_if_not_exists': ['CREATE TABLE IF NOT EXISTS `s`.`t` (`a` INTEGER NULL CONSTRAINT `ferrule_type_a` CHECK (`a` BETWEEN -2147483648 AND 2147483647))'],
        'create_enum': ['CREATE TABLE `t` (`e` VARCHAR(5) NOT NULL DEFAULT \'small\' CHECK (`e` IN (\'small\', \'it\'\'s\')))'],
        'create_all_types': ["CREATE TABLE `all_types` (`i` INTEGER NULL CONSTRAINT `ferrule_type_i` CHECK (`i` BETWEEN -2147483648 AND 2147483647), `bi` BIGINT NULL CONSTRAINT `ferrule_type_bi` CHECK (`bi` BETWEEN -9223372036854775808 AND 9223372036854775807), `si` SMALLINT NULL CONSTRAINT `ferrule_type_si` CHECK (`si` BETWEEN -32768 AND 32767), `f` REAL NULL, `d` DECIMAL(10,2) NULL CONSTRAINT `ferrule_type_d` CHECK (round(abs(`d`), 2) < 100000000), `b` BOOLEAN NULL, `s` VARCHAR(20) NULL CONSTRAINT `ferrule_type_s` CHECK (length(`s`) <= 20), `t` TEXT NULL, `by` BLOB NULL, `dt` TIMESTAMP NULL, `dtz` TIMESTAMPTZ NULL, `da` DATE NULL, `ti` TIME NULL, `td` BIGINT NULL, `u` UUID NULL, `j` JSON TEXT NULL, `e` VARCHAR(5) NULL CHECK (`e` IN ('red', 'green')))"],
        'create_quoted_names': ['CREATE TABLE `we"ird``]` (`a b` INTEGER NULL CONSTRAINT `ferrule_type_a b` CHECK (`a b` BETWEEN -2147483648 AND 2147483647), `x%y` INTEGER NULL DEFAULT 1 CONSTRAINT `ferrule_type_x%y` CHECK (`x%y` BETWEEN -2147483648 AND 2147483647), CONSTRAINT `u[1]` UNIQUE (`a b`))'],
        'drop_table': ['DROP TABLE `t`'],
        'drop_table_if_exists': ['DROP TABLE IF EXISTS `s`.`t`'],
        'drop_table_cascade': Unsupported('DROP TABLE ... CASCADE'),
        'create_index': ['CREATE INDEX `t_a` ON `t` (`a`, `b` DESC)'],
        'create_unique_index': ['CREATE UNIQUE INDEX IF NOT EXISTS `s`.`t_a` ON `t` (`a`)'],
        'create_index_expression': ['CREATE INDEX `t_lower` ON `t` ((LOWER(`email`)))'],
        'create_index_partial': ['CREATE INDEX `t_open` ON `t` (`a`) WHERE `status` = \'open\' AND `deleted` IS NULL'],
        'create_index_concurrently': Unsupported('CREATE INDEX CONCURRENTLY'),
        'create_index_nulls': Unsupported('NULLS FIRST/LAST in an index'),
        'drop_index': ['DROP INDEX `t_a`'],
        'drop_index_if_exists': ['DROP INDEX IF EXISTS `s`.`t_a`'],
        'drop_index_concurrently': Unsupported('DROP INDEX CONCURRENTLY'),
        'add_column': ['ALTER TABLE `t` ADD COLUMN `n` INTEGER NOT NULL DEFAULT 0 CONSTRAINT `ferrule_type_n` CHECK (`n` BETWEEN -2147483648 AND 2147483647) /* count */'],
        'add_column_if_not_exists': Unsupported('ADD COLUMN IF NOT EXISTS'),
        'add_column_unique': Unsupported('ADD COLUMN with UNIQUE'),
        'add_column_not_null_no_default': Unsupported('ADD COLUMN NOT NULL without a default'),
        'add_column_expr_default': Unsupported('ADD COLUMN with an expression default'),
        'drop_column': ['ALTER TABLE `t` DROP COLUMN `n`'],
        'drop_column_if_exists': Unsupported('DROP COLUMN IF EXISTS'),
        'rename_column': ['ALTER TABLE `s`.`t` RENAME COLUMN `a` TO `b`'],
        'rename_table': ['ALTER TABLE `t` RENAME TO `u`'],
        'alter_type_and_null': Unsupported('ALTER COLUMN TYPE'),
        'alter_type_full': Unsupported('ALTER COLUMN TYPE'),
        'alter_type_only': Unsupported('ALTER COLUMN TYPE'),
        'alter_nullable': Unsupported('ALTER COLUMN NULL/NOT NULL'),
        'alter_default': Unsupported('ALTER COLUMN DEFAULT'),
        'alter_drop_default': Unsupported('ALTER COLUMN DEFAULT'),
        'alter_comment': Unsupported('ALTER COLUMN COMMENT'),
        'add_constraint': Unsupported('ADD CONSTRAINT'),
        'add_check': Unsupported('ADD CONSTRAINT'),
        'drop_fk': Unsupported('DROP CONSTRAINT'),
        'drop_unique': Unsupported('DROP CONSTRAINT'),
        'drop_check_if_exists': Unsupported('DROP CONSTRAINT'),
        'drop_pk': Unsupported('DROP CONSTRAINT'),
        'drop_constraint_no_kind': Unsupported('DROP CONSTRAINT'),
        'alter_many': ['ALTER TABLE `t` ADD COLUMN `n` INTEGER NULL CONSTRAINT `ferrule_type_n` CHECK (`n` BETWEEN -2147483648 AND 2147483647)', 'ALTER TABLE `t` RENAME COLUMN `a` TO `b`', 'ALTER TABLE `t` DROP COLUMN `c`'],
    },
    "postgres": {
        'create_basic': ['CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(50) NOT NULL, "note" TEXT NULL)'],
        'create_identity': ['CREATE TABLE "t" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL PRIMARY KEY, "n" INTEGER NULL)'],
        'create_identity_not_pk': ['CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY, "seq" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL UNIQUE)'],
        'create_composite_pk': ['CREATE TABLE "t" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, CONSTRAINT "t_pk" PRIMARY KEY ("a", "b"))'],
        'create_pk_columns': ['CREATE TABLE "t" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"))'],
        'create_unique': ['CREATE TABLE "t" ("a" INTEGER NULL UNIQUE, "b" INTEGER NULL, "c" INTEGER NULL, CONSTRAINT "t_bc" UNIQUE ("b", "c"), UNIQUE ("c"))'],
        'create_fk': ['CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY, "p" INTEGER NULL, CONSTRAINT "t_p" FOREIGN KEY ("p") REFERENCES "parent" ("id") ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY ("id") REFERENCES "s"."other" ("x") ON DELETE NO ACTION)'],
        'create_fk_set_default': ['CREATE TABLE "t" ("p" INTEGER NULL DEFAULT 0, FOREIGN KEY ("p") REFERENCES "parent" ("id") ON DELETE SET DEFAULT)'],
        'create_fk_restrict': ['CREATE TABLE "t" ("p" INTEGER NULL, FOREIGN KEY ("p") REFERENCES "parent" ("id") ON UPDATE RESTRICT)'],
        'create_check': ['CREATE TABLE "t" ("qty" INTEGER NULL, "lo" INTEGER NULL, "hi" INTEGER NULL, CONSTRAINT "qty_positive" CHECK ("qty" > 0), CHECK ("lo" <= "hi" OR "lo" IS NULL))'],
        'create_default_values': ['CREATE TABLE "t" ("s" VARCHAR(30) NULL DEFAULT E\'it\'\'s 50% \\\\ off\', "i" INTEGER NULL DEFAULT -7, "f" DOUBLE PRECISION NULL DEFAULT 1.5, "d" NUMERIC(8,3) NULL DEFAULT 100, "b" BOOLEAN NULL DEFAULT TRUE, "n" INTEGER NULL DEFAULT NULL, "by" BYTEA NULL DEFAULT decode(\'00ff27\', \'hex\'), "da" DATE NULL DEFAULT \'2024-02-29\', "ts" TIMESTAMP NULL DEFAULT \'2024-01-02 03:04:05.000006\', "tz" TIMESTAMPTZ NULL DEFAULT \'2024-01-02 03:04:05+02:00\', "ti" TIME NULL DEFAULT \'12:30:00\', "td" INTERVAL NULL DEFAULT INTERVAL \'1 days 2000003 microseconds\', "u" UUID NULL DEFAULT \'00000000-0000-0000-0000-000000000001\')'],
        'create_default_expr': ['CREATE TABLE "t" ("at" TIMESTAMP NULL DEFAULT (CURRENT_TIMESTAMP), "n" INTEGER NULL DEFAULT (2 * 3), "t" TEXT NULL DEFAULT \'x\')'],
        'create_comments': ['CREATE TABLE "t" ("a" INTEGER NULL, "b" INTEGER NULL)', 'COMMENT ON TABLE "t" IS \'a table\'\'s comment\'', 'COMMENT ON COLUMN "t"."a" IS \'the a\''],
        'create_if_not_exists': ['CREATE TABLE IF NOT EXISTS "s"."t" ("a" INTEGER NULL)'],
        'create_enum': ['CREATE TABLE "t" ("e" VARCHAR(5) NOT NULL DEFAULT \'small\' CHECK ("e" IN (\'small\', \'it\'\'s\')))'],
        'create_all_types': ['CREATE TABLE "all_types" ("i" INTEGER NULL, "bi" BIGINT NULL, "si" SMALLINT NULL, "f" DOUBLE PRECISION NULL, "d" NUMERIC(10,2) NULL, "b" BOOLEAN NULL, "s" VARCHAR(20) NULL, "t" TEXT NULL, "by" BYTEA NULL, "dt" TIMESTAMP NULL, "dtz" TIMESTAMPTZ NULL, "da" DATE NULL, "ti" TIME NULL, "td" INTERVAL NULL, "u" UUID NULL, "j" JSONB NULL, "e" VARCHAR(5) NULL CHECK ("e" IN (\'red\', \'green\')))'],
        'create_quoted_names': ['CREATE TABLE "we""ird`]" ("a b" INTEGER NULL, "x%y" INTEGER NULL DEFAULT 1, CONSTRAINT "u[1]" UNIQUE ("a b"))'],
        'drop_table': ['DROP TABLE "t"'],
        'drop_table_if_exists': ['DROP TABLE IF EXISTS "s"."t"'],
        'drop_table_cascade': ['DROP TABLE "t" CASCADE'],
        'create_index': ['CREATE INDEX "t_a" ON "t" ("a", "b" DESC)'],
        'create_unique_index': ['CREATE UNIQUE INDEX IF NOT EXISTS "t_a" ON "s"."t" ("a")'],
        'create_index_expression': ['CREATE INDEX "t_lower" ON "t" ((LOWER("email")))'],
        'create_index_partial': ['CREATE INDEX "t_open" ON "t" ("a") WHERE "status" = \'open\' AND "deleted" IS NULL'],
        'create_index_concurrently': ['CREATE INDEX CONCURRENTLY "t_a" ON "t" ("a")'],
        'create_index_nulls': ['CREATE INDEX "t_a" ON "t" ("a" ASC NULLS LAST)'],
        'drop_index': ['DROP INDEX "t_a"'],
        'drop_index_if_exists': ['DROP INDEX IF EXISTS "s"."t_a"'],
        'drop_index_concurrently': ['DROP INDEX CONCURRENTLY "t_a"'],
        'add_column': ['ALTER TABLE "t" ADD COLUMN "n" INTEGER NOT NULL DEFAULT 0', 'COMMENT ON COLUMN "t"."n" IS \'count\''],
        'add_column_if_not_exists': ['ALTER TABLE "t" ADD COLUMN IF NOT EXISTS "n" INTEGER NULL'],
        'add_column_unique': ['ALTER TABLE "t" ADD COLUMN "n" INTEGER NULL UNIQUE'],
        'add_column_not_null_no_default': ['ALTER TABLE "t" ADD COLUMN "n" INTEGER NOT NULL'],
        'add_column_expr_default': ['ALTER TABLE "t" ADD COLUMN "at" TIMESTAMP NULL DEFAULT (CURRENT_TIMESTAMP)'],
        'drop_column': ['ALTER TABLE "t" DROP COLUMN "n"'],
        'drop_column_if_exists': ['ALTER TABLE "t" DROP COLUMN IF EXISTS "n"'],
        'rename_column': ['ALTER TABLE "s"."t" RENAME COLUMN "a" TO "b"'],
        'rename_table': ['ALTER TABLE "t" RENAME TO "u"'],
        'alter_type_and_null': ['ALTER TABLE "t" ALTER COLUMN "n" TYPE BIGINT, ALTER COLUMN "n" SET NOT NULL, ALTER COLUMN "n" SET DEFAULT 1', 'COMMENT ON COLUMN "t"."n" IS NULL'],
        'alter_type_full': ['ALTER TABLE "t" ALTER COLUMN "n" TYPE BIGINT, ALTER COLUMN "n" SET NOT NULL'],
        'alter_type_only': ['ALTER TABLE "t" ALTER COLUMN "n" TYPE BIGINT'],
        'alter_nullable': ['ALTER TABLE "t" ALTER COLUMN "n" DROP NOT NULL'],
        'alter_default': ['ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT 5'],
        'alter_drop_default': ['ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT'],
        'alter_comment': ['COMMENT ON COLUMN "t"."n" IS \'new\''],
        'add_constraint': ['ALTER TABLE "t" ADD CONSTRAINT "t_p" FOREIGN KEY ("p") REFERENCES "parent" ("id") ON DELETE CASCADE'],
        'add_check': ['ALTER TABLE "t" ADD CONSTRAINT "n_ok" CHECK ("n" >= 0)'],
        'drop_fk': ['ALTER TABLE "t" DROP CONSTRAINT "t_p"'],
        'drop_unique': ['ALTER TABLE "t" DROP CONSTRAINT "t_a"'],
        'drop_check_if_exists': ['ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "n_ok"'],
        'drop_pk': ['ALTER TABLE "t" DROP CONSTRAINT "t_pkey"'],
        'drop_constraint_no_kind': ['ALTER TABLE "t" DROP CONSTRAINT "c"'],
        'alter_many': ['ALTER TABLE "t" ADD COLUMN "n" INTEGER NULL', 'ALTER TABLE "t" RENAME COLUMN "a" TO "b"', 'ALTER TABLE "t" DROP COLUMN "c"'],
    },
    "mysql": {
        'create_basic': ['CREATE TABLE `t` (`id` INT NOT NULL PRIMARY KEY, `name` VARCHAR(50) NOT NULL, `note` LONGTEXT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_identity': ['CREATE TABLE `t` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `n` INT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_identity_not_pk': ['CREATE TABLE `t` (`id` INT NOT NULL PRIMARY KEY, `seq` BIGINT NOT NULL AUTO_INCREMENT UNIQUE) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_composite_pk': ['CREATE TABLE `t` (`a` INT NOT NULL, `b` INT NOT NULL, CONSTRAINT `t_pk` PRIMARY KEY (`a`, `b`)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_pk_columns': ['CREATE TABLE `t` (`a` INT NOT NULL, `b` INT NOT NULL, PRIMARY KEY (`a`, `b`)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_unique': ['CREATE TABLE `t` (`a` INT NULL UNIQUE, `b` INT NULL, `c` INT NULL, CONSTRAINT `t_bc` UNIQUE (`b`, `c`), UNIQUE (`c`)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_fk': ['CREATE TABLE `t` (`id` INT NOT NULL PRIMARY KEY, `p` INT NULL, CONSTRAINT `t_p` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY (`id`) REFERENCES `s`.`other` (`x`) ON DELETE NO ACTION) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_fk_set_default': Unsupported('ON DELETE SET DEFAULT'),
        'create_fk_restrict': ['CREATE TABLE `t` (`p` INT NULL, FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON UPDATE RESTRICT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_check': ['CREATE TABLE `t` (`qty` INT NULL, `lo` INT NULL, `hi` INT NULL, CONSTRAINT `qty_positive` CHECK (`qty` > 0), CHECK (`lo` <= `hi` OR `lo` IS NULL)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_default_values': ["CREATE TABLE `t` (`s` VARCHAR(30) NULL DEFAULT 'it''s 50%% \\\\ off', `i` INT NULL DEFAULT -7, `f` DOUBLE NULL DEFAULT 1.5, `d` DECIMAL(8,3) NULL DEFAULT 100, `b` BOOLEAN NULL DEFAULT TRUE, `n` INT NULL DEFAULT NULL, `by` LONGBLOB NULL DEFAULT (X'00ff27'), `da` DATE NULL DEFAULT '2024-02-29', `ts` DATETIME(6) NULL DEFAULT '2024-01-02 03:04:05.000006', `tz` DATETIME(6) NULL DEFAULT '2024-01-02 01:04:05', `ti` TIME(6) NULL DEFAULT '12:30:00', `td` BIGINT NULL DEFAULT 86402000003, `u` CHAR(36) NULL DEFAULT '00000000-0000-0000-0000-000000000001') DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"],
        'create_default_expr': ["CREATE TABLE `t` (`at` DATETIME(6) NULL DEFAULT (CURRENT_TIMESTAMP), `n` INT NULL DEFAULT (2 * 3), `t` LONGTEXT NULL DEFAULT ('x')) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"],
        'create_comments': ["CREATE TABLE `t` (`a` INT NULL COMMENT 'the a', `b` INT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin COMMENT='a table''s comment'"],
        'create_if_not_exists': ['CREATE TABLE IF NOT EXISTS `s`.`t` (`a` INT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'create_enum': ["CREATE TABLE `t` (`e` VARCHAR(5) NOT NULL DEFAULT 'small' CHECK (`e` IN ('small', 'it''s'))) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"],
        'create_all_types': ["CREATE TABLE `all_types` (`i` INT NULL, `bi` BIGINT NULL, `si` SMALLINT NULL, `f` DOUBLE NULL, `d` DECIMAL(10,2) NULL, `b` BOOLEAN NULL, `s` VARCHAR(20) NULL, `t` LONGTEXT NULL, `by` LONGBLOB NULL, `dt` DATETIME(6) NULL, `dtz` DATETIME(6) NULL, `da` DATE NULL, `ti` TIME(6) NULL, `td` BIGINT NULL, `u` CHAR(36) NULL, `j` JSON NULL, `e` VARCHAR(5) NULL CHECK (`e` IN ('red', 'green'))) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"],
        'create_quoted_names': ['CREATE TABLE `we"ird``]` (`a b` INT NULL, `x%%y` INT NULL DEFAULT 1, CONSTRAINT `u[1]` UNIQUE (`a b`)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin'],
        'drop_table': ['DROP TABLE `t`'],
        'drop_table_if_exists': ['DROP TABLE IF EXISTS `s`.`t`'],
        'drop_table_cascade': Unsupported('DROP TABLE ... CASCADE'),
        'create_index': ['CREATE INDEX `t_a` ON `t` (`a`, `b` DESC)'],
        'create_unique_index': ['CREATE UNIQUE INDEX IF NOT EXISTS `t_a` ON `s`.`t` (`a`)'],
        'create_index_expression': Unsupported('expression index'),
        'create_index_partial': Unsupported('partial index'),
        'create_index_concurrently': ['CREATE INDEX `t_a` ON `t` (`a`) LOCK=NONE'],
        'create_index_nulls': Unsupported('NULLS FIRST/LAST in an index'),
        'drop_index': ['DROP INDEX `t_a` ON `t`'],
        'drop_index_if_exists': ['DROP INDEX IF EXISTS `t_a` ON `s`.`t`'],
        'drop_index_concurrently': ['DROP INDEX `t_a` ON `t` LOCK=NONE'],
        'add_column': ["ALTER TABLE `t` ADD COLUMN `n` INT NOT NULL DEFAULT 0 COMMENT 'count'"],
        'add_column_if_not_exists': ['ALTER TABLE `t` ADD COLUMN IF NOT EXISTS `n` INT NULL'],
        'add_column_unique': ['ALTER TABLE `t` ADD COLUMN `n` INT NULL UNIQUE'],
        'add_column_not_null_no_default': ['ALTER TABLE `t` ADD COLUMN `n` INT NOT NULL'],
        'add_column_expr_default': ['ALTER TABLE `t` ADD COLUMN `at` DATETIME(6) NULL DEFAULT (CURRENT_TIMESTAMP)'],
        'drop_column': ['ALTER TABLE `t` DROP COLUMN `n`'],
        'drop_column_if_exists': ['ALTER TABLE `t` DROP COLUMN IF EXISTS `n`'],
        'rename_column': ['ALTER TABLE `s`.`t` RENAME COLUMN `a` TO `b`'],
        'rename_table': ['ALTER TABLE `t` RENAME TO `u`'],
        'alter_type_and_null': ['ALTER TABLE `t` MODIFY COLUMN `n` BIGINT NOT NULL DEFAULT 1'],
        'alter_type_full': Refused('MySQL restates the whole column (MODIFY '),
        'alter_type_only': Refused("mysql changes a column's type and nullab"),
        'alter_nullable': Refused("mysql changes a column's type and nullab"),
        'alter_default': ['ALTER TABLE `t` ALTER COLUMN `n` SET DEFAULT 5'],
        'alter_drop_default': ['ALTER TABLE `t` ALTER COLUMN `n` DROP DEFAULT'],
        'alter_comment': Refused('MySQL changes a comment only by restatin'),
        'add_constraint': ['ALTER TABLE `t` ADD CONSTRAINT `t_p` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE'],
        'add_check': ['ALTER TABLE `t` ADD CONSTRAINT `n_ok` CHECK (`n` >= 0)'],
        'drop_fk': ['ALTER TABLE `t` DROP FOREIGN KEY `t_p`'],
        'drop_unique': ['ALTER TABLE `t` DROP INDEX `t_a`'],
        'drop_check_if_exists': ['ALTER TABLE `t` DROP CONSTRAINT IF EXISTS `n_ok`'],
        'drop_pk': ['ALTER TABLE `t` DROP PRIMARY KEY'],
        'drop_constraint_no_kind': Refused('MySQL drops a constraint by kind: drop_c'),
        'alter_many': ['ALTER TABLE `t` ADD COLUMN `n` INT NULL', 'ALTER TABLE `t` RENAME COLUMN `a` TO `b`', 'ALTER TABLE `t` DROP COLUMN `c`'],
    },
    "mssql": {
        'create_basic': ['CREATE TABLE [t] ([id] INT NOT NULL PRIMARY KEY, [name] NVARCHAR(50) NOT NULL, [note] NVARCHAR(MAX) NULL)'],
        'create_identity': ['CREATE TABLE [t] ([id] BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY, [n] INT NULL)'],
        'create_identity_not_pk': ['CREATE TABLE [t] ([id] INT NOT NULL PRIMARY KEY, [seq] BIGINT IDENTITY(1,1) NOT NULL UNIQUE)'],
        'create_composite_pk': ['CREATE TABLE [t] ([a] INT NOT NULL, [b] INT NOT NULL, CONSTRAINT [t_pk] PRIMARY KEY ([a], [b]))'],
        'create_pk_columns': ['CREATE TABLE [t] ([a] INT NOT NULL, [b] INT NOT NULL, PRIMARY KEY ([a], [b]))'],
        'create_unique': ['CREATE TABLE [t] ([a] INT NULL UNIQUE, [b] INT NULL, [c] INT NULL, CONSTRAINT [t_bc] UNIQUE ([b], [c]), UNIQUE ([c]))'],
        'create_fk': ['CREATE TABLE [t] ([id] INT NOT NULL PRIMARY KEY, [p] INT NULL, CONSTRAINT [t_p] FOREIGN KEY ([p]) REFERENCES [parent] ([id]) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY ([id]) REFERENCES [s].[other] ([x]) ON DELETE NO ACTION)'],
        'create_fk_set_default': ['CREATE TABLE [t] ([p] INT NULL CONSTRAINT [DF_t_p] DEFAULT 0, FOREIGN KEY ([p]) REFERENCES [parent] ([id]) ON DELETE SET DEFAULT)'],
        'create_fk_restrict': Unsupported('ON UPDATE RESTRICT'),
        'create_check': ['CREATE TABLE [t] ([qty] INT NULL, [lo] INT NULL, [hi] INT NULL, CONSTRAINT [qty_positive] CHECK ([qty] > 0), CHECK ([lo] <= [hi] OR [lo] IS NULL))'],
        'create_default_values': ["CREATE TABLE [t] ([s] NVARCHAR(30) NULL CONSTRAINT [DF_t_s] DEFAULT N'it''s 50% \\ off', [i] INT NULL CONSTRAINT [DF_t_i] DEFAULT -7, [f] FLOAT(53) NULL CONSTRAINT [DF_t_f] DEFAULT 1.5, [d] DECIMAL(8,3) NULL CONSTRAINT [DF_t_d] DEFAULT 100, [b] BIT NULL CONSTRAINT [DF_t_b] DEFAULT 1, [n] INT NULL CONSTRAINT [DF_t_n] DEFAULT NULL, [by] VARBINARY(MAX) NULL CONSTRAINT [DF_t_by] DEFAULT 0x00ff27, [da] DATE NULL CONSTRAINT [DF_t_da] DEFAULT N'2024-02-29', [ts] DATETIME2(6) NULL CONSTRAINT [DF_t_ts] DEFAULT N'2024-01-02 03:04:05.000006', [tz] DATETIMEOFFSET(6) NULL CONSTRAINT [DF_t_tz] DEFAULT N'2024-01-02 03:04:05+02:00', [ti] TIME(6) NULL CONSTRAINT [DF_t_ti] DEFAULT N'12:30:00', [td] BIGINT NULL CONSTRAINT [DF_t_td] DEFAULT 86402000003, [u] UNIQUEIDENTIFIER NULL CONSTRAINT [DF_t_u] DEFAULT N'00000000-0000-0000-0000-000000000001')"],
        'create_default_expr': ["CREATE TABLE [t] ([at] DATETIME2(6) NULL CONSTRAINT [DF_t_at] DEFAULT (CURRENT_TIMESTAMP), [n] INT NULL CONSTRAINT [DF_t_n] DEFAULT (2 * 3), [t] NVARCHAR(MAX) NULL CONSTRAINT [DF_t_t] DEFAULT N'x')"],
        'create_comments': ['CREATE TABLE [t] ([a] INT NULL, [b] INT NULL)', "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'a table''s comment', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N't'", "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'the a', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N't', @level2type = N'COLUMN', @level2name = N'a'"],
        'create_if_not_exists': ["IF OBJECT_ID(N'[s].[t]', N'U') IS NULL CREATE TABLE [s].[t] ([a] INT NULL)"],
        'create_enum': ["CREATE TABLE [t] ([e] NVARCHAR(5) NOT NULL CONSTRAINT [DF_t_e] DEFAULT N'small' CHECK ([e] IN (N'small', N'it''s')))"],
        'create_all_types': ["CREATE TABLE [all_types] ([i] INT NULL, [bi] BIGINT NULL, [si] SMALLINT NULL, [f] FLOAT(53) NULL, [d] DECIMAL(10,2) NULL, [b] BIT NULL, [s] NVARCHAR(20) NULL, [t] NVARCHAR(MAX) NULL, [by] VARBINARY(MAX) NULL, [dt] DATETIME2(6) NULL, [dtz] DATETIMEOFFSET(6) NULL, [da] DATE NULL, [ti] TIME(6) NULL, [td] BIGINT NULL, [u] UNIQUEIDENTIFIER NULL, [j] NVARCHAR(MAX) NULL, [e] NVARCHAR(5) NULL CHECK ([e] IN (N'red', N'green')))"],
        'create_quoted_names': ['CREATE TABLE [we"ird`]]] ([a b] INT NULL, [x%y] INT NULL CONSTRAINT [DF_we"ird`]]_x%y] DEFAULT 1, CONSTRAINT [u[1]]] UNIQUE ([a b]))'],
        'drop_table': ['DROP TABLE [t]'],
        'drop_table_if_exists': ['DROP TABLE IF EXISTS [s].[t]'],
        'drop_table_cascade': Unsupported('DROP TABLE ... CASCADE'),
        'create_index': ['CREATE INDEX [t_a] ON [t] ([a], [b] DESC)'],
        'create_unique_index': ["IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N't_a' AND object_id = OBJECT_ID(N'[s].[t]')) CREATE UNIQUE INDEX [t_a] ON [s].[t] ([a])"],
        'create_index_expression': Unsupported('expression index'),
        'create_index_partial': ["CREATE INDEX [t_open] ON [t] ([a]) WHERE [status] = N'open' AND [deleted] IS NULL"],
        'create_index_concurrently': ['CREATE INDEX [t_a] ON [t] ([a]) WITH (ONLINE = ON)'],
        'create_index_nulls': Unsupported('NULLS FIRST/LAST in an index'),
        'drop_index': ['DROP INDEX [t_a] ON [t]'],
        'drop_index_if_exists': ['DROP INDEX IF EXISTS [t_a] ON [s].[t]'],
        'drop_index_concurrently': ['DROP INDEX [t_a] ON [t] WITH (ONLINE = ON)'],
        'add_column': ['ALTER TABLE [t] ADD [n] INT NOT NULL CONSTRAINT [DF_t_n] DEFAULT 0', "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'count', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N't', @level2type = N'COLUMN', @level2name = N'n'"],
        'add_column_if_not_exists': Unsupported('ADD COLUMN IF NOT EXISTS'),
        'add_column_unique': ['ALTER TABLE [t] ADD [n] INT NULL UNIQUE'],
        'add_column_not_null_no_default': ['ALTER TABLE [t] ADD [n] INT NOT NULL'],
        'add_column_expr_default': ['ALTER TABLE [t] ADD [at] DATETIME2(6) NULL CONSTRAINT [DF_t_at] DEFAULT (CURRENT_TIMESTAMP)'],
        'drop_column': ['ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [DF_t_n]', 'ALTER TABLE [t] DROP COLUMN [n]'],
        'drop_column_if_exists': ['ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [DF_t_n]', 'ALTER TABLE [t] DROP COLUMN IF EXISTS [n]'],
        'rename_column': ["EXEC sp_rename N'[s].[t].[a]', N'b', N'COLUMN'"],
        'rename_table': ["EXEC sp_rename N'[t]', N'u'"],
        'alter_type_and_null': Unsupported('ALTER COLUMN COMMENT'),
        'alter_type_full': ['ALTER TABLE [t] ALTER COLUMN [n] BIGINT NOT NULL'],
        'alter_type_only': Refused("mssql changes a column's type and nullab"),
        'alter_nullable': Refused("mssql changes a column's type and nullab"),
        'alter_default': ['ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [DF_t_n]', 'ALTER TABLE [t] ADD CONSTRAINT [DF_t_n] DEFAULT 5 FOR [n]'],
        'alter_drop_default': ['ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [DF_t_n]'],
        'alter_comment': Unsupported('ALTER COLUMN COMMENT'),
        'add_constraint': ['ALTER TABLE [t] ADD CONSTRAINT [t_p] FOREIGN KEY ([p]) REFERENCES [parent] ([id]) ON DELETE CASCADE'],
        'add_check': ['ALTER TABLE [t] ADD CONSTRAINT [n_ok] CHECK ([n] >= 0)'],
        'drop_fk': ['ALTER TABLE [t] DROP CONSTRAINT [t_p]'],
        'drop_unique': ['ALTER TABLE [t] DROP CONSTRAINT [t_a]'],
        'drop_check_if_exists': ['ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [n_ok]'],
        'drop_pk': ['ALTER TABLE [t] DROP CONSTRAINT [t_pkey]'],
        'drop_constraint_no_kind': ['ALTER TABLE [t] DROP CONSTRAINT [c]'],
        'alter_many': ['ALTER TABLE [t] ADD [n] INT NULL', "EXEC sp_rename N'[t].[a]', N'b', N'COLUMN'", 'ALTER TABLE [t] DROP CONSTRAINT IF EXISTS [DF_t_c]', 'ALTER TABLE [t] DROP COLUMN [c]'],
    },
}
# fmt: on


def test_golden_covers_every_case_in_every_dialect() -> None:
    for dialect in sql.DIALECT_NAMES:
        assert GOLDEN[dialect].keys() == CASES.keys(), dialect


@pytest.mark.parametrize("dialect", sql.DIALECT_NAMES)
@pytest.mark.parametrize("name", list(CASES))
def test_golden(name: str, dialect: str) -> None:
    expected = GOLDEN[dialect][name]
    statement = CASES[name]()
    if isinstance(expected, Unsupported):
        with pytest.raises(UnsupportedFeatureError) as info:
            statement.statements(dialect)
        assert (info.value.dialect, info.value.feature) == (dialect, expected.feature)
    elif isinstance(expected, Refused):
        with pytest.raises(SQLError) as error:
            statement.statements(dialect)
        assert not isinstance(error.value, UnsupportedFeatureError)
        assert str(error.value).startswith(expected.message)
    else:
        assert statement.statements(dialect) == [(text, []) for text in expected]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: sql.create_table("t"), "at least one column"),
        (lambda: sql.create_table("t", col("a", "int"), col("a", "text")), "repeated"),
        (lambda: sql.create_table("t", col("a", "int"), "b"), "takes column_def"),
        (lambda: sql.create_table("t", col("a", "int", primary_key=True), sql.primary_key("a")),
         "more than one primary key"),
        (lambda: sql.create_table("t", col("a", "int"), sql.unique("b")), "unknown column 'b'"),
        (lambda: sql.create_table("", col("a", "int")), "non-empty string"),
        (lambda: sql.create_table("t\x00", col("a", "int")), "NUL"),
        (lambda: sql.create_table("t", col("\ud800", "int")), "lone surrogate"),
        (lambda: sql.create_table(sql.table("t", schema="a"), col("a", "int"), schema="b"),
         "not both"),
        (lambda: col("a", "varchar"), "unknown logical type"),
        (lambda: col("a", "text", identity=True), "identity column must be"),
        (lambda: col("a", "int", identity=True, default=1), "takes no default"),
        (lambda: col("a", "int", nullable="no"), "nullable must be a bool"),
        (lambda: col("a", "int", comment=5), "comment must be a string"),
        (lambda: sql.check("qty > 0"), "takes an SQL expression"),
        (lambda: sql.foreign_key(["a", "b"], "p", ["x"]), "as many referenced columns"),
        (lambda: sql.foreign_key("a", "p", "x", on_delete="explode"), "on_delete must be"),
        (lambda: sql.primary_key(), "at least one column"),
        (lambda: sql.create_index("i", "t"), "at least one column"),
        (lambda: sql.create_index("i", "t", "a", where="a > 1"), "takes an SQL expression"),
        (lambda: sql.alter_table("t").alter_column("a"), "needs a change"),
        (lambda: sql.alter_table("t").alter_column("a", default=1, drop_default=True), "not both"),
        (lambda: sql.alter_table("t").alter_column("a", type="enum"), "collection of strings"),
        (lambda: sql.alter_table("t").alter_column("a", type=lt("enum", values=["x"])),
         "alter_column to an enum"),
        (lambda: sql.alter_table("t").add_column("a"), "takes a column_def"),
        (lambda: sql.alter_table("t").add_constraint("a"), "takes a constraint"),
        (lambda: sql.alter_table("t").drop_constraint(sql.unique("a")), "named constraint"),
        (lambda: sql.alter_table("t").drop_constraint("c", kind="index"), "kind must be"),
    ],
)  # fmt: skip
def test_misuse_is_an_sql_error_when_built(build: Callable[[], object], message: str) -> None:
    with pytest.raises(SQLError, match=message):
        build()


@pytest.mark.parametrize(
    ("statement", "dialect", "message"),
    [
        (sql.create_table("t", col("a", "int", default={"x": 1})), "postgres", "SQL literal"),
        (sql.create_table("t", col("a", "float", default=float("nan"))), "mysql", "no SQL literal"),
        (sql.create_table("t", col("a", "text", default="a\x00")), "sqlite", "NUL"),
        (sql.create_table("t", col("a", "int", comment="*/ DROP")), "sqlite", "'\\*/'"),
        (sql.create_table("t", col("a", "int"), comment="x */"), "sqlite", "'\\*/'"),
        (sql.create_index("i", "t", "a", where=C("a") == [1]), "postgres", "SQL literal"),
        (sql.drop_index("i"), "mysql", "needs the table"),
        (sql.drop_index("i"), "mssql", "needs the table"),
        (sql.alter_table("t"), "postgres", "at least one operation"),
        (sql.drop_table("t"), "oracle", "unknown dialect"),
    ],
)  # fmt: skip
def test_what_cannot_be_written_safely_is_an_sql_error_when_compiled(
    statement: sql.DDLStatement, dialect: str, message: str
) -> None:
    with pytest.raises(SQLError, match=message):
        statement.statements(dialect)


def test_compile_is_the_one_statement_or_an_error() -> None:
    create = sql.create_table("t", col("a", "int", comment="c"))
    assert create.compile("mysql") == (
        "CREATE TABLE `t` (`a` INT NULL COMMENT 'c') DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
        [],
    )
    with pytest.raises(SQLError, match="2 statements on postgres"):
        create.compile("postgres")
    assert len(create.statements("postgres")) == 2


def test_builders_are_immutable_and_describe_themselves() -> None:
    base = sql.alter_table("t")
    longer = base.add_column(col("n", "int"))
    assert base.ops == () and len(longer.ops) == 1
    assert repr(sql.drop_table("t")) == "<DropTable 'DROP TABLE \"t\"'>"
    assert "ALTER COLUMN" in repr(sql.alter_table("t").alter_column("a", type="int"))


def test_create_table_gives_the_table_for_queries() -> None:
    create = sql.create_table("t", col("id", "int"), col("name", "text"), schema="s")
    t = create.table
    assert sql.select(t.c.name).from_(t).compile("postgres") == (
        'SELECT "t"."name" FROM "s"."t"',
        [],
    )


@pytest.mark.parametrize("db", ["sqlite_db", "postgres_db", "mysql_db"])
def test_hostile_names_and_defaults_reach_the_server_exactly(
    db: str, request: pytest.FixtureRequest
) -> None:
    """Quotes, ``%`` and backslashes in names and defaults: the server creates exactly the named
    objects and stores exactly the value (through the raw driver, params passed as compiled)."""
    runner: Runner = request.getfixturevalue(db)
    name = f"ddl%'\"`]{uuid.uuid4().hex[:8]}"
    value = "50% off 'now' \\ \"here\""
    create = sql.create_table(
        name, col("id", "int", primary_key=True), col("a%b`", "text", default=value)
    )
    t = create.table
    for text, params in create.statements(runner.dialect):
        runner.execute(text, params)
    try:
        runner.execute(*sql.insert(t).values(id=1).compile(runner.dialect))
        assert runner.run(sql.select(t.c["a%b`"]).from_(t)) == [(value,)]
    finally:
        for text, params in sql.drop_table(name).statements(runner.dialect):
            runner.execute(text, params)


def test_a_check_naming_an_unknown_column_is_refused() -> None:
    with pytest.raises(SQLError, match="CHECK names unknown column 'qyt'"):
        sql.create_table("t", col("qty", "int"), sql.check((C("qty") > 0) & (C("qyt") < 9)))
    sql.create_table("t", col("qty", "int"), sql.check(C("qty") == "qyt"))  # a value, not a name


@pytest.mark.parametrize(
    "build",
    [
        lambda: sql.foreign_key(5, "p", "id"),
        lambda: sql.foreign_key("a", 5, "id"),
        lambda: sql.unique(None),
        lambda: col(["a"], "int"),
        lambda: col("a", ["int"]),
        lambda: col("a", None),
        lambda: sql.column_type(["int"], "sqlite"),
        lambda: sql.logical_type("str", length="5"),
        lambda: sql.create_index("i", "t", 5),
        lambda: sql.create_index(5, "t", "a"),
        lambda: sql.drop_index("i", 5),
        lambda: sql.alter_table("t").alter_column("a", type=["int"]),
        lambda: sql.alter_table("t").rename_column("a", None),
        lambda: sql.alter_table("t").drop_constraint(5),
        lambda: sql.create_table("t", col("a", "int"), comment=b"x"),
    ],
)
def test_wrong_argument_types_are_sql_errors(build: Callable[[], object]) -> None:
    with pytest.raises(SQLError):
        build()
