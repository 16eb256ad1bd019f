"""IP addresses, networks and interfaces (``ipaddress`` and pydantic's ``IPvAny*``), URLs
(``AnyUrl``/``AnyHttpUrl``/``HttpUrl``), ``NameEmail`` and ``EmailStr``: pydantic 2.14's
accepted inputs, error types, dumps and JSON Schema, on both cores and every input path."""

from __future__ import annotations

import json
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from typing import Any

import pytest
from cores import Err
from paths import JSON_PATHS, PATHS
from typecases import run_row

import ferrule
from ferrule import TypeAdapter
from ferrule.errors import ValidationError
from ferrule.types import (
    AnyHttpUrl,
    AnyUrl,
    EmailStr,
    HttpUrl,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    NameEmail,
)

R: tuple[Any, ...] = ()
A4 = IPv4Address("1.2.3.4")

# (type, input, expected) on the Python path
PYTHON: list[tuple[Any, Any, Any]] = [
    (IPv4Address, "1.2.3.4", A4),
    (IPv4Address, 16909060, A4),
    (IPv4Address, b"\x01\x02\x03\x04", A4),
    (IPv4Address, A4, A4),
    (IPv4Address, "x", Err((R, "ip_v4_address"))),
    (IPv4Address, "::1", Err((R, "ip_v4_address"))),
    (IPv4Address, 1.5, Err((R, "ip_v4_address"))),
    (IPv4Address, b"1.2.3.4", Err((R, "ip_v4_address"))),
    (IPv6Address, "::1", IPv6Address("::1")),
    (IPv6Address, 1, IPv6Address("::1")),
    (IPv6Address, "1.2.3.4", Err((R, "ip_v6_address"))),
    (IPvAnyAddress, "::1", IPv6Address("::1")),
    (IPvAnyAddress, "1.2.3.4", A4),
    (IPvAnyAddress, 5, IPv4Address("0.0.0.5")),
    (IPvAnyAddress, "x", Err((R, "ip_any_address"))),
    (IPv4Network, "10.0.0.0/8", IPv4Network("10.0.0.0/8")),
    (IPv4Network, ("10.0.0.0", 8), IPv4Network("10.0.0.0/8")),
    (IPv4Network, 167772160, IPv4Network("10.0.0.0/32")),
    (IPv4Network, "10.0.0.1/8", Err((R, "ip_v4_network"))),  # host bits set
    (IPv6Network, "::/0", IPv6Network("::/0")),
    (IPv6Network, "x", Err((R, "ip_v6_network"))),
    (IPvAnyNetwork, "::/0", IPv6Network("::/0")),
    (IPvAnyNetwork, "x", Err((R, "ip_any_network"))),
    (IPv4Interface, "10.0.0.1/8", IPv4Interface("10.0.0.1/8")),
    (IPv4Interface, "x", Err((R, "ip_v4_interface"))),
    (IPv6Interface, "::1/64", IPv6Interface("::1/64")),
    (IPv6Interface, "x", Err((R, "ip_v6_interface"))),
    (IPvAnyInterface, "10.0.0.1/8", IPv4Interface("10.0.0.1/8")),
    (IPvAnyInterface, "x", Err((R, "ip_any_interface"))),
    (AnyUrl, "http://Example.COM", AnyUrl("http://example.com/")),
    (AnyUrl, "x", Err((R, "url_parsing"))),
    (AnyUrl, "http://", Err((R, "url_parsing"))),
    (AnyUrl, 1, Err((R, "url_type"))),
    (HttpUrl, "ftp://x.com", Err((R, "url_scheme"))),
    (HttpUrl, "http://x.com/" + "a" * 2100, Err((R, "url_too_long"))),
    (AnyHttpUrl, "https://x.com", AnyHttpUrl("https://x.com/")),
    (NameEmail, "John <j@x.com>", NameEmail("John", "j@x.com")),
    (NameEmail, "j@X.com", NameEmail("j", "j@x.com")),
    (NameEmail, "bad", Err((R, "value_error"))),
    (NameEmail, 1, Err((R, "name_email_type"))),
    (EmailStr, "J@X.com", "J@x.com"),
    (EmailStr, "John <j@x.com>", "j@x.com"),
    (EmailStr, "bad", Err((R, "value_error"))),
    (EmailStr, 1, Err((R, "string_type"))),
]

# JSON text in, on the tree and streaming paths
JSON: list[tuple[Any, str, Any]] = [
    (IPv4Address, '"1.2.3.4"', A4),
    (IPv4Address, "16909060", A4),
    (IPv4Address, '"x"', Err((R, "ip_v4_address"))),
    (IPvAnyAddress, '"::1"', IPv6Address("::1")),
    (IPv4Network, '"10.0.0.0/8"', IPv4Network("10.0.0.0/8")),
    (AnyUrl, '"https://a.b/c?d=1#f"', AnyUrl("https://a.b/c?d=1#f")),
    (AnyUrl, "1", Err((R, "url_type"))),
    (NameEmail, '"John <j@x.com>"', NameEmail("John", "j@x.com")),
    (EmailStr, '"a@B.co"', "a@b.co"),
]


def _id(row: tuple[Any, ...]) -> str:
    return f"{getattr(row[0], '__name__', row[0])}-{row[1]!r}"[:60]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON, ids=[_id(r) for r in PYTHON])
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON, ids=[_id(r) for r in JSON])
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


@pytest.mark.parametrize("path", PATHS)
def test_strict_mode_takes_instances_and_json_text(core: Any, path: str) -> None:
    value = A4 if path == "python" else '"1.2.3.4"'
    run_row(core, IPv4Address, path, value, A4, strict=True)
    if path == "python":
        run_row(core, IPv4Address, path, "1.2.3.4", Err((R, "is_instance_of")), strict=True)


STRICT: list[tuple[Any, Any, Any]] = [
    (IPv6Address, "::1", Err((R, "is_instance_of"))),
    (AnyUrl, "http://x.com", AnyUrl("http://x.com/")),  # pydantic: text in strict mode too
    (NameEmail, "a@b.co", NameEmail("a", "a@b.co")),
    (EmailStr, "a@b.co", "a@b.co"),
]


@pytest.mark.parametrize(("annotation", "value", "expected"), STRICT, ids=[_id(r) for r in STRICT])
def test_strict_python_input(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected, strict=True)


URLS = [
    # (input, str() as pydantic normalises it)
    ("http://Example.COM", "http://example.com/"),
    ("https://a.b/c?d=1#f", "https://a.b/c?d=1#f"),
    ("ftp://x:y@host:21/p", "ftp://x:y@host/p"),
    ("HTTP://EX.com:80/a/../b", "http://ex.com/b"),
    ("mailto:a@b.c", "mailto:a@b.c"),
    ("http://x.com:8080", "http://x.com:8080/"),
    ("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
    ("wss://h:443/x?", "wss://h/x?"),
    ("http://h/a/./b", "http://h/a/b"),
    ("http://h//a", "http://h//a"),
    ("http://h/#", "http://h/#"),
    ("http://h?", "http://h/?"),
    ("http://h/a/", "http://h/a/"),
    ("http://h/.well-known/x", "http://h/.well-known/x"),
    ("http://h/a..b", "http://h/a..b"),
    ("HTTP://U:P@H.COM:8080/A%20b?x=%41#Y", "http://U:P@h.com:8080/A%20b?x=%41#Y"),
    ("http://h/a b", "http://h/a%20b"),
    ("http://[::1]:80/", "http://[::1]/"),
    ("http://127.0.0.1/", "http://127.0.0.1/"),
    ("http://h/ä?ö#ü", "http://h/%C3%A4?%C3%B6#%C3%BC"),
    ("file:///etc/passwd", "file:///etc/passwd"),
    ("postgres://u:p@db:5432/x", "postgres://u:p@db:5432/x"),
    ("redis://localhost", "redis://localhost"),
    ("http://h/a/../../b", "http://h/b"),
    ("http://h:0/", "http://h:0/"),
    ("http://h/a/.", "http://h/a/"),
    ("http://h/a/..", "http://h/"),
    ("http://h/./", "http://h/"),
    ("http://h/a//b/../c", "http://h/a//c"),
    ("https://h/x#", "https://h/x#"),
]


@pytest.mark.parametrize(("text", "normalised"), URLS)
def test_urls_are_normalised(text: str, normalised: str) -> None:
    url = TypeAdapter(AnyUrl).validate_python(text)
    assert str(url) == normalised
    assert repr(url) == f"AnyUrl({normalised!r})"


def test_url_parts() -> None:
    url = TypeAdapter(AnyUrl).validate_python("https://u:p@Ex.com:8080/a/b?q=1#f")
    parts = (url.scheme, url.username, url.password, url.host, url.port, url.path)
    assert parts == ("https", "u", "p", "ex.com", 8080, "/a/b")
    assert (url.query, url.fragment) == ("q=1", "f")
    assert TypeAdapter(AnyUrl).validate_python("https://x.com").port == 443
    assert url != "https://u:p@ex.com:8080/a/b?q=1#f"  # a Url is not its text (pydantic)
    assert hash(url) == hash(TypeAdapter(AnyUrl).validate_python(str(url)))
    idna = TypeAdapter(HttpUrl).validate_python("https://例え.jp/")
    assert idna.unicode_string() == "https://例え.jp/"


def test_error_details() -> None:
    cases = [
        (HttpUrl, "ftp://x.com", {"expected_schemes": "'http' or 'https'"}),
        (AnyUrl, "x", {"error": "relative URL without a base"}),
        (AnyUrl, "http://", {"error": "empty host"}),
        (NameEmail, "bad", {"reason": "An email address must have an @-sign."}),
    ]
    for annotation, value, ctx in cases:
        with pytest.raises(ValidationError) as caught:
            TypeAdapter(annotation).validate_python(value)
        assert caught.value.errors()[0]["ctx"] == ctx
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(EmailStr).validate_python("bad")
    message = "value is not a valid email address: An email address must have an @-sign."
    assert caught.value.errors()[0]["msg"] == message
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(IPv4Address).validate_python("x")
    assert caught.value.errors()[0]["msg"] == "Input is not a valid IPv4 address"


class Host(ferrule.Model):
    address: IPv4Address
    any_address: IPvAnyAddress
    network: IPv6Network
    site: HttpUrl
    contact: NameEmail
    email: EmailStr


HOST = {
    "address": "1.2.3.4",
    "any_address": "::1",
    "network": "::/0",
    "site": "http://Example.com",
    "contact": "Ann <ann@x.com>",
    "email": "ann@X.com",
}


def test_dumps() -> None:
    host = Host.model_validate(HOST)
    python = host.model_dump()
    assert python["address"] == A4 and python["any_address"] == IPv6Address("::1")
    assert python["site"] == HttpUrl("http://example.com/")
    assert python["contact"] == NameEmail("Ann", "ann@x.com")
    written = {
        "address": "1.2.3.4",
        "any_address": "::1",
        "network": "::/0",
        "site": "http://example.com/",
        "contact": "Ann <ann@x.com>",
        "email": "ann@x.com",
    }
    assert host.model_dump(mode="json") == written
    assert json.loads(host.model_dump_json()) == written
    assert Host.model_validate_json(host.model_dump_json()) == host


def test_json_schema() -> None:
    properties = Host.model_json_schema()["properties"]
    assert properties == {
        "address": {"type": "string", "format": "ipv4", "title": "Address"},
        "any_address": {"type": "string", "format": "ipvanyaddress", "title": "Any Address"},
        "network": {"type": "string", "format": "ipv6network", "title": "Network"},
        "site": {
            "type": "string",
            "format": "uri",
            "minLength": 1,
            "maxLength": 2083,
            "title": "Site",
        },
        "contact": {"type": "string", "format": "name-email", "title": "Contact"},
        "email": {"type": "string", "format": "email", "title": "Email"},
    }
    assert TypeAdapter(AnyUrl).json_schema() == {"type": "string", "format": "uri", "minLength": 1}
    assert TypeAdapter(IPv4Interface).json_schema() == {"type": "string", "format": "ipv4interface"}
    assert TypeAdapter(IPvAnyNetwork).json_schema() == {"type": "string", "format": "ipvanynetwork"}


def test_ipvany_types_construct_as_pydantic() -> None:
    assert IPvAnyAddress("::1") == IPv6Address("::1")
    assert IPvAnyNetwork("10.0.0.0/8") == IPv4Network("10.0.0.0/8")
    assert IPvAnyInterface("::1/64") == IPv6Interface("::1/64")
