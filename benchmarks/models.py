"""Models benchmark: ferrule against pydantic v2, msgspec and satya in the same run.

Run with `make bench` (installs the `bench` dependency group). Prints a markdown table; the
"vs ferrule" column is the peer's time divided by ferrule's (above 1.00x: ferrule is faster).
"""

from __future__ import annotations

import enum
import gc
import json
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

sys.path.insert(0, os.path.dirname(__file__))

import _parity_fieldsset
import _parity_generics
import _parity_info
import _parity_serializers
import _parity_temporal
import _parity_types
import _parity_unions
import msgspec
import pydantic
import satya
from _harness import Table, per_batch, per_op

import ferrule
from ferrule import Field, Model

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


# --- the flat 6-field model in each library ---------------------------------------------------


class FUser(Model):
    id: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=50)
    email: str = Field(email=True)
    age: int = Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = Field(default_factory=list)


class PUser(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(validate_assignment=True)
    id: int = pydantic.Field(gt=0)
    name: str = pydantic.Field(min_length=2, max_length=50)
    email: str = pydantic.Field(pattern=EMAIL_PATTERN)
    age: int = pydantic.Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = pydantic.Field(default_factory=list)


class MUser(msgspec.Struct):
    id: Annotated[int, msgspec.Meta(gt=0)]
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=50)]
    email: Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN)]
    age: Annotated[int, msgspec.Meta(ge=0, le=150)]
    score: float = 0.0
    tags: list[str] = []


class SUser(satya.Model):
    id: int = satya.Field(gt=0)
    name: str = satya.Field(min_length=2, max_length=50)
    email: str = satya.Field(email=True)
    age: int = satya.Field(ge=0, le=150)
    score: float = satya.Field(default=0.0)
    tags: list[str] = satya.Field(default_factory=list)


class Plain:
    __slots__ = ("age", "email", "id", "name", "score", "tags")

    def __init__(self, **kw: Any) -> None:
        for key, value in kw.items():
            setattr(self, key, value)


DATA = {
    "id": 1,
    "name": "Alice",
    "email": "alice@example.com",
    "age": 30,
    "score": 1.5,
    "tags": ["a", "b"],
}
BAD = {**DATA, "id": 0, "email": "not-an-email"}
TAGS = ["a", "b"]
DATA_JSON = json.dumps(DATA).encode()


# --- the flat model with a regular-expression e-mail field ---------------------------------------

EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


class FPatternUser(Model):
    id: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=50)
    email: str = Field(pattern=EMAIL_REGEX)
    age: int = Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = Field(default_factory=list)


class PPatternUser(pydantic.BaseModel):
    id: int = pydantic.Field(gt=0)
    name: str = pydantic.Field(min_length=2, max_length=50)
    email: str = pydantic.Field(pattern=EMAIL_REGEX)
    age: int = pydantic.Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = pydantic.Field(default_factory=list)


class MPatternUser(msgspec.Struct):
    id: Annotated[int, msgspec.Meta(gt=0)]
    name: Annotated[str, msgspec.Meta(min_length=2, max_length=50)]
    email: Annotated[str, msgspec.Meta(pattern=EMAIL_REGEX)]
    age: Annotated[int, msgspec.Meta(ge=0, le=150)]
    score: float = 0.0
    tags: list[str] = []


# --- the nested order model ---------------------------------------------------------------------


class FCustomer(Model):
    id: int
    name: str = Field(min_length=1)
    email: str = Field(email=True)


class FItem(Model):
    sku: str = Field(min_length=3)
    quantity: int = Field(gt=0)
    price: float = Field(ge=0)


class FOrder(Model):
    id: int
    customer: FCustomer
    items: list[FItem]
    note: str | None = None


class PCustomer(pydantic.BaseModel):
    id: int
    name: str = pydantic.Field(min_length=1)
    email: str = pydantic.Field(pattern=EMAIL_PATTERN)


class PItem(pydantic.BaseModel):
    sku: str = pydantic.Field(min_length=3)
    quantity: int = pydantic.Field(gt=0)
    price: float = pydantic.Field(ge=0)


class POrder(pydantic.BaseModel):
    id: int
    customer: PCustomer
    items: list[PItem]
    note: str | None = None


class MCustomer(msgspec.Struct):
    id: int
    name: Annotated[str, msgspec.Meta(min_length=1)]
    email: Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN)]


class MItem(msgspec.Struct):
    sku: Annotated[str, msgspec.Meta(min_length=3)]
    quantity: Annotated[int, msgspec.Meta(gt=0)]
    price: Annotated[float, msgspec.Meta(ge=0)]


class MOrder(msgspec.Struct):
    id: int
    customer: MCustomer
    items: list[MItem]
    note: str | None = None


ORDER = {
    "id": 7,
    "customer": {"id": 1, "name": "Ann", "email": "ann@example.com"},
    "items": [{"sku": f"SKU-{i}", "quantity": i + 1, "price": 9.99} for i in range(10)],
}
ORDER_JSON = json.dumps(ORDER).encode()


# --- a model of the non-JSON scalar kinds (Decimal, UUID, datetime, date, Enum) ---------------


class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class FKinds(Model):
    amount: Decimal
    uid: UUID
    at: datetime
    day: date
    status: Status
    name: str


class PKinds(pydantic.BaseModel):
    amount: Decimal
    uid: UUID
    at: datetime
    day: date
    status: Status
    name: str


class MKinds(msgspec.Struct):
    amount: Decimal
    uid: UUID
    at: datetime
    day: date
    status: Status
    name: str


KINDS = {
    "amount": Decimal("12.50"),
    "uid": UUID("12345678-1234-5678-1234-567812345678"),
    "at": datetime(2026, 12, 3, 8, 30, tzinfo=timezone.utc),
    "day": date(2026, 12, 3),
    "status": Status.OPEN,
    "name": "invoice",
}


def construction(table: Table) -> None:
    def ferrule_keywords() -> Any:
        return FUser(id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS)

    def pydantic_keywords() -> Any:
        return PUser(id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS)

    def satya_keywords() -> Any:
        return SUser(id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS)

    table.add("construct from keywords", "ferrule", per_op(ferrule_keywords))
    table.add("construct from keywords", "pydantic", per_op(pydantic_keywords))
    table.add("construct from keywords", "satya", per_op(satya_keywords))
    table.add("construct from kwargs (**dict)", "ferrule", per_op(lambda: FUser(**DATA)))
    table.add("construct from kwargs (**dict)", "pydantic", per_op(lambda: PUser(**DATA)))
    table.add(
        "construct from kwargs (**dict)", "msgspec (no validation)", per_op(lambda: MUser(**DATA))
    )
    table.add("construct from kwargs (**dict)", "satya", per_op(lambda: SUser(**DATA)))
    table.add("construct from dict", "ferrule", per_op(lambda: FUser.model_validate(DATA)))
    table.add("construct from dict", "pydantic", per_op(lambda: PUser.model_validate(DATA)))
    table.add(
        "construct from dict", "msgspec.convert", per_op(lambda: msgspec.convert(DATA, MUser))
    )
    table.add("construct from dict", "satya", per_op(lambda: SUser(**DATA)))


def batch(table: Table) -> None:
    rows = [dict(DATA, id=i + 1) for i in range(100_000)]
    table.add("100k dicts -> instances", "ferrule", per_batch(lambda: FUser.validate_many(rows)))
    table.add(
        "100k dicts -> instances",
        "pydantic",
        per_batch(lambda: pydantic.TypeAdapter(list[PUser]).validate_python(rows)),
    )
    table.add(
        "100k dicts -> instances",
        "msgspec.convert",
        per_batch(lambda: msgspec.convert(rows, list[MUser])),
    )
    array = json.dumps(rows).encode()
    users = pydantic.TypeAdapter(list[PUser])
    decoder = msgspec.json.Decoder(list[MUser])
    table.add(
        "100k JSON array -> instances",
        "ferrule",
        per_batch(lambda: FUser.validate_json_many(array)),
    )
    table.add(
        "100k JSON array -> instances",
        "pydantic",
        per_batch(lambda: users.validate_json(array)),
    )
    table.add("100k JSON array -> instances", "msgspec", per_batch(lambda: decoder.decode(array)))
    hundred = rows[:100]
    mine, theirs = ferrule.TypeAdapter(list[FUser]), pydantic.TypeAdapter(list[PUser])
    case = "TypeAdapter(list[User]).validate_python, 100 dicts"
    table.add(case, "ferrule", per_op(lambda: mine.validate_python(hundred)))
    table.add(case, "pydantic", per_op(lambda: theirs.validate_python(hundred)))
    table.add(case, "msgspec.convert", per_op(lambda: msgspec.convert(hundred, list[MUser])))


def attributes(table: Table) -> None:
    f, p, plain = FUser(**DATA), PUser(**DATA), Plain(**DATA)
    table.add("attribute read", "ferrule", per_op(lambda: f.age))
    table.add("attribute read", "plain __slots__ class", per_op(lambda: plain.age))
    table.add("attribute read", "pydantic", per_op(lambda: p.age))
    table.add("validated assignment", "ferrule", per_op(lambda: setattr(f, "age", 31)))
    table.add(
        "validated assignment",
        "plain __slots__ store (no checks)",
        per_op(lambda: setattr(plain, "age", 31)),
    )
    table.add(
        "validated assignment",
        "pydantic (validate_assignment)",
        per_op(lambda: setattr(p, "age", 31)),
    )


def output(table: Table) -> None:
    f, p, m = FUser(**DATA), PUser(**DATA), msgspec.convert(DATA, MUser)
    encoder = msgspec.json.Encoder()
    table.add("to dict", "ferrule", per_op(lambda: f.model_dump()))
    table.add("to dict", "pydantic", per_op(lambda: p.model_dump()))
    table.add("to dict", "msgspec.to_builtins", per_op(lambda: msgspec.to_builtins(m)))
    table.add("to JSON bytes", "ferrule", per_op(lambda: f.json_bytes()))
    table.add("to JSON bytes", "pydantic", per_op(lambda: p.model_dump_json()))
    table.add("to JSON bytes", "msgspec", per_op(lambda: encoder.encode(m)))
    decoder = msgspec.json.Decoder(MUser)
    table.add(
        "JSON bytes -> instance", "ferrule", per_op(lambda: FUser.model_validate_json(DATA_JSON))
    )
    table.add(
        "JSON bytes -> instance", "pydantic", per_op(lambda: PUser.model_validate_json(DATA_JSON))
    )
    table.add("JSON bytes -> instance", "msgspec", per_op(lambda: decoder.decode(DATA_JSON)))


def kinds(table: Table) -> None:
    """`model_dump()` in Python mode keeps the values as they are: the cost is the dispatch."""
    f, p, m = FKinds(**KINDS), PKinds(**KINDS), MKinds(**KINDS)
    table.add("Decimal/UUID/datetime/date/Enum to dict", "ferrule", per_op(lambda: f.model_dump()))
    table.add("Decimal/UUID/datetime/date/Enum to dict", "pydantic", per_op(lambda: p.model_dump()))
    table.add(
        "Decimal/UUID/datetime/date/Enum to dict",
        "msgspec.structs.asdict",
        per_op(lambda: msgspec.structs.asdict(m)),
    )
    encoder = msgspec.json.Encoder()
    table.add("Decimal/UUID/datetime/date/Enum to JSON", "ferrule", per_op(lambda: f.json_bytes()))
    table.add(
        "Decimal/UUID/datetime/date/Enum to JSON", "pydantic", per_op(lambda: p.model_dump_json())
    )
    table.add(
        "Decimal/UUID/datetime/date/Enum to JSON", "msgspec", per_op(lambda: encoder.encode(m))
    )


def nested(table: Table) -> None:
    f = FOrder.model_validate(ORDER)
    p = POrder.model_validate(ORDER)
    m = msgspec.convert(ORDER, MOrder)
    encoder = msgspec.json.Encoder()
    table.add("nested order -> dict", "ferrule", per_op(lambda: f.model_dump()))
    table.add("nested order -> dict", "pydantic", per_op(lambda: p.model_dump()))
    table.add("nested order -> dict", "msgspec.to_builtins", per_op(lambda: msgspec.to_builtins(m)))
    table.add("nested order -> JSON", "ferrule", per_op(lambda: f.json_bytes()))
    table.add("nested order -> JSON", "pydantic", per_op(lambda: p.model_dump_json()))
    table.add("nested order -> JSON", "msgspec", per_op(lambda: encoder.encode(m)))
    decoder = msgspec.json.Decoder(MOrder)
    table.add(
        "nested order dict -> instance", "ferrule", per_op(lambda: FOrder.model_validate(ORDER))
    )
    table.add(
        "nested order dict -> instance", "pydantic", per_op(lambda: POrder.model_validate(ORDER))
    )
    table.add(
        "nested order dict -> instance",
        "msgspec.convert",
        per_op(lambda: msgspec.convert(ORDER, MOrder)),
    )
    table.add(
        "nested order JSON -> instance",
        "ferrule",
        per_op(lambda: FOrder.model_validate_json(ORDER_JSON)),
    )
    table.add(
        "nested order JSON -> instance",
        "pydantic",
        per_op(lambda: POrder.model_validate_json(ORDER_JSON)),
    )
    table.add(
        "nested order JSON -> instance", "msgspec", per_op(lambda: decoder.decode(ORDER_JSON))
    )


def pattern_email(table: Table) -> None:
    """The flat model with `pattern=EMAIL_REGEX` on the e-mail field, in every library."""

    def ferrule_keywords() -> Any:
        return FPatternUser(
            id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS
        )

    def pydantic_keywords() -> Any:
        return PPatternUser(
            id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS
        )

    def msgspec_keywords() -> Any:
        return MPatternUser(
            id=1, name="Alice", email="alice@example.com", age=30, score=1.5, tags=TAGS
        )

    case = "pattern e-mail: construct from keywords"
    table.add(case, "ferrule", per_op(ferrule_keywords))
    table.add(case, "pydantic", per_op(pydantic_keywords))
    table.add(case, "msgspec (no validation)", per_op(msgspec_keywords))
    case = "pattern e-mail: dict -> instance"
    table.add(case, "ferrule", per_op(lambda: FPatternUser.model_validate(DATA)))
    table.add(case, "pydantic", per_op(lambda: PPatternUser.model_validate(DATA)))
    table.add(case, "msgspec.convert", per_op(lambda: msgspec.convert(DATA, MPatternUser)))
    decoder = msgspec.json.Decoder(MPatternUser)
    case = "pattern e-mail: JSON bytes -> instance"
    table.add(case, "ferrule", per_op(lambda: FPatternUser.model_validate_json(DATA_JSON)))
    table.add(case, "pydantic", per_op(lambda: PPatternUser.model_validate_json(DATA_JSON)))
    table.add(case, "msgspec", per_op(lambda: decoder.decode(DATA_JSON)))


def errors(table: Table) -> None:
    def ferrule_errors() -> None:
        try:
            FUser.model_validate(BAD)
        except ferrule.ValidationError as exc:
            assert len(exc.errors()) == 2

    def pydantic_errors() -> None:
        try:
            PUser.model_validate(BAD)
        except pydantic.ValidationError as exc:
            assert len(exc.errors()) == 2

    table.add("two bad fields -> both errors", "ferrule", per_op(ferrule_errors))
    table.add("two bad fields -> both errors", "pydantic", per_op(pydantic_errors))


def class_definition(table: Table) -> None:
    def define_ferrule() -> None:
        class User(Model):
            id: int = Field(gt=0)
            name: str = Field(min_length=2, max_length=50)
            email: str = Field(email=True)
            age: int = Field(ge=0, le=150)
            score: float = 0.0
            tags: list[str] = Field(default_factory=list)

    def define_pydantic() -> None:
        class User(pydantic.BaseModel):
            id: int = pydantic.Field(gt=0)
            name: str = pydantic.Field(min_length=2, max_length=50)
            email: str = pydantic.Field(pattern=EMAIL_PATTERN)
            age: int = pydantic.Field(ge=0, le=150)
            score: float = 0.0
            tags: list[str] = pydantic.Field(default_factory=list)

    table.add("class definition", "ferrule", per_op(define_ferrule, number=200))
    table.add("class definition", "pydantic", per_op(define_pydantic, number=200))


def memory() -> list[str]:
    """Bytes per instance, by tracemalloc (the instance object alone and with its own values)
    and by RSS growth over 200k instances."""
    lines = [
        "## Memory per instance (flat model)",
        "",
        "| library | instance object | instance + own values (tracemalloc) | RSS per instance |",
        "|---|---|---|---|",
    ]
    shared_tags: list[str] = []
    for name, make in [
        (
            "ferrule",
            lambda i: FUser(
                id=i + 1,
                name="Alice",
                email="alice@example.com",
                age=30,
                score=1.5,
                tags=shared_tags,
            ),
        ),
        (
            "pydantic",
            lambda i: PUser(
                id=i + 1,
                name="Alice",
                email="alice@example.com",
                age=30,
                score=1.5,
                tags=shared_tags,
            ),
        ),
        (
            "msgspec",
            lambda i: MUser(
                id=i + 1,
                name="Alice",
                email="alice@example.com",
                age=30,
                score=1.5,
                tags=shared_tags,
            ),
        ),
    ]:
        count = 50_000
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = [make(i) for i in range(count)]
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        list_bytes = sys.getsizeof(kept)
        with_values = (after - before - list_bytes) / count
        instance = sys.getsizeof(kept[0])  # includes the GC header
        if name == "pydantic":
            instance += sys.getsizeof(kept[0].__dict__)
        del kept
        gc.collect()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kept = [make(i) for i in range(200_000)]
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss = (rss_after - rss_before) * 1024 / 200_000
        del kept
        lines.append(
            f"| {name} | {instance} B | {with_values:.0f} B | {rss:.0f} B (0 = no new peak) |"
        )
    return lines


def main() -> None:
    started = time.time()
    table = Table(
        f"Models (ferrule {ferrule.__version__}, pydantic {pydantic.VERSION}, "
        f"msgspec {msgspec.__version__}, satya {satya.__version__})"
    )
    parts = (
        construction,
        attributes,
        output,
        kinds,
        nested,
        pattern_email,
        errors,
        class_definition,
        batch,
        # issue 12's rows: pydantic features, each against pydantic in this run
        _parity_unions.rows,
        _parity_fieldsset.rows,
        _parity_serializers.rows,
        _parity_generics.rows,
        _parity_info.rows,
        _parity_temporal.rows,
        _parity_types.rows,
    )
    for part in parts:
        part(table)
    print(table.render())
    print()
    print("\n".join(memory()))
    print(f"\n(run took {time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
