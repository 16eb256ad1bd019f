"""ferrule in five minutes: validated models, readable errors, JSON and batches.

Run with `make demo`.
"""

from __future__ import annotations

from ferrule import Field, Model, ValidationError, field_validator


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


if __name__ == "__main__":
    main()
