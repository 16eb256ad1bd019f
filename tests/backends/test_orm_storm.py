"""The restart storm of ``storm.py`` with its transfers written through ``ferrule.orm``: the
ORM's write paths (``update()`` with ``F``, ``save()`` of a row read ``select_for_update``,
``create``, ``bulk_create``, ``get_or_create``) inside ``orm.transaction`` while a private
server is restarted and crash-stopped. Counted as there: no acknowledged transfer lost, none
half-applied, none reported failed that committed, every error a ``FerruleError``."""

from __future__ import annotations

import ferrule
from ferrule import orm

from .servers import PrivateServer
from .storm import ACCOUNTS, Ledger, restart_storm
from .test_storms import assert_clean_restarts


class StormAccount(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = 0

    class Meta:
        table = "storm_orm_acct"


class StormEntry(orm.Model):
    tx: int = orm.Field(primary_key=True)
    acct: int

    class Meta:
        table = "storm_orm_log"


class OrmLedger(Ledger):
    """Transfers through the ORM, each kind of write in turn."""

    def __init__(self, dialect: str) -> None:
        super().__init__(dialect)
        self.acct, self.log = StormAccount._meta.table, StormEntry._meta.table

    async def create(self, db: ferrule.Database) -> None:
        await orm.drop_tables(StormAccount, StormEntry, using=db, if_exists=True)
        await orm.create_tables(StormAccount, StormEntry, using=db)
        # keys from 1: MariaDB's AUTO_INCREMENT cannot store 0 (orm.refusals.refuse_zero_key)
        await StormAccount.bulk_create([StormAccount(id=i + 1) for i in range(ACCOUNTS)], using=db)

    async def drop(self, db: ferrule.Database) -> None:
        await orm.drop_tables(StormAccount, StormEntry, using=db, if_exists=True)

    async def work(self, db: ferrule.Database, tx: int, account: int) -> None:
        kind, account = tx % 4, account + 1
        async with orm.transaction(using=db):
            if kind == 0:
                await StormAccount.filter(id=account).using(db).update(n=orm.F("n") + 1)
                await StormEntry.create(tx=tx, acct=account, using=db)
            elif kind == 1:
                query = StormAccount.filter(id=account).using(db).select_for_update()
                row = await query.get()
                row.n += 1
                await row.save(using=db)
                await StormEntry.bulk_create([StormEntry(tx=tx, acct=account)], using=db)
            elif kind == 2:
                entry, made = await StormEntry.get_or_create(
                    tx=tx, defaults={"acct": account}, using=db
                )
                assert made and entry.tx == tx
                await StormAccount.all().using(db).filter(id=account).update(n=orm.F("n") + 1)
            else:
                await StormEntry(tx=tx, acct=account).save(using=db, force_insert=True)
                await StormAccount.filter(id=account).using(db).update(n=orm.F("n") + 1)


async def test_orm_restart_storm(server: PrivateServer) -> None:
    figures = await restart_storm(
        server, tasks=100, pool=5, commits_between=40, ledger=OrmLedger(server.dialect)
    )
    assert_clean_restarts(figures, 40)
