"""Parity rows for pydantic's value types (issue 12): a model of IP address, path, secret, URL,
deque and Sequence fields from a dict and from JSON, its JSON output, and a list from a
generator; ferrule and pydantic in the same run. Run alone: ``python benchmarks/_parity_types.py``.
"""

from __future__ import annotations

import collections
import ipaddress
import json
import os
import pathlib
import sys
from collections.abc import Sequence

sys.path.insert(0, os.path.dirname(__file__))

import pydantic
from _harness import Table, per_op

import ferrule
from ferrule.types import HttpUrl, SecretStr


class FHost(ferrule.Model):
    address: ipaddress.IPv4Address
    root: pathlib.Path
    token: SecretStr
    site: HttpUrl
    queue: collections.deque[int]
    ports: Sequence[int]


class PHost(pydantic.BaseModel):
    address: ipaddress.IPv4Address
    root: pathlib.Path
    token: pydantic.SecretStr
    site: pydantic.HttpUrl
    queue: collections.deque[int]
    ports: Sequence[int]


class FPlain(ferrule.Model):
    address: ipaddress.IPv4Address
    root: pathlib.Path
    queue: collections.deque[int]


class PPlain(pydantic.BaseModel):
    address: ipaddress.IPv4Address
    root: pathlib.Path
    queue: collections.deque[int]


DATA = {
    "address": "10.1.2.3",
    "root": "/srv/data",
    "token": "s3cret",
    "site": "https://example.com/a",
    "queue": [1, 2, 3],
    "ports": (80, 443),
}
PLAIN = {"address": "10.1.2.3", "root": "/srv/data", "queue": [1, 2, 3]}
TEXT = json.dumps({**DATA, "ports": [80, 443]})


def rows(table: Table) -> None:
    table.add("value types from dict", "ferrule", per_op(lambda: FHost.model_validate(DATA)))
    table.add("value types from dict", "pydantic", per_op(lambda: PHost.model_validate(DATA)))
    table.add("value types from JSON", "ferrule", per_op(lambda: FHost.model_validate_json(TEXT)))
    table.add("value types from JSON", "pydantic", per_op(lambda: PHost.model_validate_json(TEXT)))
    table.add("IP, path, deque from dict", "ferrule", per_op(lambda: FPlain.model_validate(PLAIN)))
    table.add("IP, path, deque from dict", "pydantic", per_op(lambda: PPlain.model_validate(PLAIN)))
    mine, theirs = FHost.model_validate(DATA), PHost.model_validate(DATA)
    table.add("value types -> JSON", "ferrule", per_op(mine.model_dump_json))
    table.add("value types -> JSON", "pydantic", per_op(theirs.model_dump_json))
    ours = ferrule.TypeAdapter(list[int])
    peer = pydantic.TypeAdapter(list[int])
    table.add(
        "list[int] from a generator of 100",
        "ferrule",
        per_op(lambda: ours.validate_python(x for x in range(100))),
    )
    table.add(
        "list[int] from a generator of 100",
        "pydantic",
        per_op(lambda: peer.validate_python(x for x in range(100))),
    )


if __name__ == "__main__":
    table = Table("pydantic value types")
    rows(table)
    print(table.render())
