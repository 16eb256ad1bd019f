"""ferrule in five minutes: validated models, readable errors, JSON, batches, and SQLite.

Run with `make demo`.
"""

from __future__ import annotations

import asyncio

import ferrule
from ferrule import Field, IntegrityError, Model, ValidationError, field_validator, sql


class Address(Model):
    city: str = Field(min_length=1)
    zip: str = Field(pattern=r"^\d{5}$")


class User(Model):
    id: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=50, strip_whitespace=True)
    email: str = Field(email=True)
    age: int = Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = Field(default_factory=list)
    address: Address | None = None

    @field_validator("name")
    @classmethod
    def capitalised(cls, value: str) -> str:
        return value[:1].upper() + value[1:]


def main() -> None:
    # 1. Construction validates and coerces ("42" -> 42), nested dicts become models.
    user = User(
        id="42",
        name="  ada lovelace ",
        email="ada@example.com",
        age=36,
        tags=["math", "engines"],
        address={"city": "London", "zip": "12345"},
    )
    print("user:     ", user)
    assert user.id == 42 and user.name == "Ada lovelace"

    # 2. Assignment validates too; a failed assignment leaves the old value.
    try:
        user.age = -1
    except ValidationError as exc:
        print("assign:   ", exc.errors()[0]["msg"])
    assert user.age == 36

    # 3. Every error is reported, with its path.
    try:
        User(id=0, name="A", email="not-an-email", age=200, tags=["ok", 3], address={"zip": "x"})
    except ValidationError as exc:
        print(exc)
        locations = [error["loc"] for error in exc.errors()]
        assert ("tags", 1) in locations and ("address", "zip") in locations

    # 4. JSON out and back in, exactly.
    text = user.model_dump_json()
    print("json:     ", text)
    assert User.model_validate_json(text) == user
    assert user.model_dump()["address"] == {"city": "London", "zip": "12345"}

    # 5. Batches: many records at once, errors collected per record.
    rows = [
        {"id": i, "name": f"user{i}", "email": f"u{i}@example.com", "age": 20} for i in range(1, 4)
    ]
    rows.append({"id": -5, "name": "x", "email": "bad", "age": 20})
    batch = User.validate_many(rows, errors="collect")
    print(f"batch:     {len(batch.valid)} valid, errors at records {sorted(batch.errors)}")
    assert len(batch.valid) == 3 and list(batch.errors) == [3]

    # 6. The database: SQLite in-process, queries from the builder, rows back into models.
    asyncio.run(store(batch.valid))


async def store(users: list[User]) -> None:
    db = await ferrule.connect("sqlite://")  # a private in-memory database
    try:
        await db.execute(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " email TEXT UNIQUE NOT NULL, age INTEGER NOT NULL)"
        )
        table = sql.table("users", "id", "name", "email", "age")
        rows = [(u.id, u.name, u.email, u.age) for u in users]
        await db.copy_records("users", ["id", "name", "email", "age"], rows)

        # a failed transaction leaves the database as it was
        try:
            async with db.transaction():
                await db.execute(
                    sql.insert(table).values(id=99, name="Eve", email="e@x.io", age=30)
                )
                await db.execute(sql.insert(table).values(id=98, name="Dup", email="e@x.io", age=1))
        except IntegrityError as exc:
            print("rollback: ", type(exc).__name__, exc.constraint or "")
        assert await db.fetch_val("SELECT count(*) FROM users") == len(users)

        query = (
            sql.select(table.c.id, table.c.name, table.c.email, table.c.age)
            .from_(table)
            .where(table.c.age >= 18)
            .order_by(table.c.id.desc())
            .limit(2)
        )
        result = await db.fetch_all(query)
        loaded = User.validate_many(result.mappings())
        print("from db:  ", loaded)
        assert [u.id for u in loaded] == [3, 2]
    finally:
        await db.close()


if __name__ == "__main__":
    main()
