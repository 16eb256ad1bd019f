"""URLs, name-and-address e-mails and "any version" IP types, with pydantic's names.

``AnyUrl``/``HttpUrl`` values are `Url` objects whose ``str()`` is the normalised URL, as
pydantic's (WHATWG-style) are: the scheme and host lower-cased, a non-ASCII host in IDNA form,
the default port dropped, an empty path of an http(s)/ftp/ws(s)/file URL written ``/``, ``.``
and ``..`` path segments resolved, non-ASCII in path, query and fragment percent-encoded. It is
a small parser over `urllib.parse`, not the full WHATWG algorithm (see docs/validation.md).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from typing import TYPE_CHECKING, Any, ClassVar

from ferrule.errors import ValidationError
from ferrule.models import schema as s
from ferrule.models._encoders import register

__all__ = [
    "AnyHttpUrl",
    "AnyUrl",
    "EmailStr",
    "HttpUrl",
    "IPvAnyAddress",
    "IPvAnyInterface",
    "IPvAnyNetwork",
    "NameEmail",
]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}
_SPECIAL = {"http", "https", "ftp", "ws", "wss", "file"}
_SAFE = "/:@!$&'()*+,;=-._~%?#[]"
#: scheme, username, password, host, port, path, query, fragment
_Parts = tuple[
    str,
    "str | None",
    "str | None",
    "str | None",
    "int | None",
    "str | None",
    "str | None",
    "str | None",
]


def _line(
    error_type: str, value: Any, ctx: dict[str, Any] | None = None, msg: str | None = None
) -> ValidationError:
    return ValidationError("", [((), error_type, value, ctx, msg)])


class AnyUrl:
    """A parsed, normalised URL of any scheme. ``str()`` is the normalised text."""

    __slots__ = ("_parts", "_text")
    allowed_schemes: ClassVar[tuple[str, ...] | None] = None
    max_length: ClassVar[int | None] = None

    _text: str
    _parts: _Parts

    def __init__(self, url: str) -> None:
        self._text, self._parts = _normalise(url)

    @classmethod
    def _validate(cls, value: Any) -> AnyUrl:
        if isinstance(value, AnyUrl):
            value = str(value)
        if not isinstance(value, str):
            raise _line("url_type", value)
        if cls.max_length is not None and len(value) > cls.max_length:
            raise _line("url_too_long", value, {"max_length": cls.max_length})
        url = object.__new__(cls)
        try:
            url._text, url._parts = _normalise(value)
        except ValueError as exc:
            raise _line("url_parsing", value, {"error": str(exc)}) from None
        if cls.allowed_schemes is not None and url._parts[0] not in cls.allowed_schemes:
            expected = " or ".join(f"'{scheme}'" for scheme in cls.allowed_schemes)
            raise _line("url_scheme", value, {"expected_schemes": expected})
        return url

    @classmethod
    def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
        json_schema: dict[str, Any] = {"type": "string", "format": "uri", "minLength": 1}
        if cls.max_length is not None:
            json_schema["maxLength"] = cls.max_length
        return s.convert_schema(cls, cls._validate, "url_type", json_schema=json_schema)

    @property
    def scheme(self) -> str:
        return self._parts[0]

    @property
    def username(self) -> str | None:
        return self._parts[1]

    @property
    def password(self) -> str | None:
        return self._parts[2]

    @property
    def host(self) -> str | None:
        return self._parts[3]

    @property
    def port(self) -> int | None:
        return self._parts[4]

    @property
    def path(self) -> str | None:
        return self._parts[5]

    @property
    def query(self) -> str | None:
        return self._parts[6]

    @property
    def fragment(self) -> str | None:
        return self._parts[7]

    def unicode_string(self) -> str:
        """The URL with an IDNA host shown in Unicode."""
        host = self.host
        if host and "xn--" in host:
            return self._text.replace(host, host.encode("ascii").decode("idna"), 1)
        return self._text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and str(other) == self._text

    def __hash__(self) -> int:
        return hash(self._text)


class AnyHttpUrl(AnyUrl):
    """A URL whose scheme is http or https."""

    __slots__ = ()
    allowed_schemes = ("http", "https")


class HttpUrl(AnyUrl):
    """An http or https URL of at most 2083 characters (pydantic's limit)."""

    __slots__ = ()
    allowed_schemes = ("http", "https")
    max_length = 2083


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe=_SAFE)


#: The common case, already in normal form but for the default port and an empty path: a
#: special scheme, a lower-case ASCII host, plain path/query/fragment characters, no userinfo,
#: no percent signs (one match instead of the full parse; anything else takes the full parse).
_SIMPLE = re.compile(
    r"(https?|wss?|ftp)://([a-z0-9][a-z0-9.-]*)(?::([1-9][0-9]{0,4}))?"
    r"(/[A-Za-z0-9_.~!$&'()*+,;=:@/-]*)?"
    r"(?:\?([A-Za-z0-9_.~!$&'()*+,;=:@/?-]*))?"
    r"(?:#([A-Za-z0-9_.~!$&'()*+,;=:@/?-]*))?",
    re.ASCII,
)


def _normalise(url: str) -> tuple[str, _Parts]:
    simple = _SIMPLE.fullmatch(url)
    if simple is None:
        return _parse(url)
    scheme, host, port_text, path, query, fragment = simple.groups()
    default = _DEFAULT_PORTS[scheme]
    port = int(port_text) if port_text else default
    if "/." in (path or "") or host[-1] in ".-" or ".." in host or port > 65535:
        return _parse(url)
    path = path or "/"
    text = f"{scheme}://{host}:{port}{path}" if port != default else f"{scheme}://{host}{path}"
    if query is not None:
        text += "?" + query
    if fragment is not None:
        text += "#" + fragment
    return text, (scheme, None, None, host, port, path, query, fragment)


def _parse(url: str) -> tuple[str, _Parts]:
    scheme, colon, rest = url.strip().partition(":")
    if not colon or not scheme or not scheme[0].isalpha():
        raise ValueError("relative URL without a base")
    if any(not (c.isalnum() or c in "+-.") for c in scheme):
        raise ValueError("relative URL without a base")
    scheme = scheme.lower()
    parts = urllib.parse.urlsplit(f"{scheme}:{rest}")
    if not rest.startswith("//"):
        if scheme in _SPECIAL:
            raise ValueError("empty host")
        text = f"{scheme}:{_quote(rest)}"
        return text, (scheme, None, None, None, None, _quote(parts.path), None, None)
    try:
        port = parts.port
    except ValueError:
        raise ValueError("invalid port number") from None
    host = parts.hostname or ""
    if not host and scheme in _SPECIAL and scheme != "file":
        raise ValueError("empty host")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        raise ValueError("invalid international domain name") from None
    if host.startswith("[") or ":" in host:
        host = f"[{host.strip('[]')}]"
    if port == _DEFAULT_PORTS.get(scheme):
        port = None
    raw_path = _resolve_dots(parts.path)
    if not raw_path and scheme in _SPECIAL:
        raw_path = "/"
    path = _quote(raw_path) or None
    query = _quote(parts.query) if parts.query or url.rstrip().endswith("?") else None
    fragment = _quote(parts.fragment) if parts.fragment or "#" in url else None
    auth = ""
    if parts.username is not None:
        auth = parts.username + (f":{parts.password}" if parts.password is not None else "") + "@"
    netloc = f"{auth}{host}" + (f":{port}" if port is not None else "")
    text = f"{scheme}://{netloc}{path or ''}"
    text += f"?{query}" if query is not None else ""
    text += f"#{fragment}" if fragment is not None else ""
    shown_port = port if port is not None else _DEFAULT_PORTS.get(scheme)
    fields = (
        scheme,
        parts.username,
        parts.password,
        host or None,
        shown_port,
        path,
        query,
        fragment,
    )
    return text, fields


def _resolve_dots(path: str) -> str:
    """``.`` and ``..`` segments resolved, every other segment (empty ones too) kept."""
    if "/." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


class NameEmail:
    """``"John Doe <jd@example.com>"`` (or a bare address, named by its local part)."""

    __slots__ = ("email", "name")

    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email

    @classmethod
    def _validate(cls, value: Any) -> NameEmail:
        if isinstance(value, NameEmail):
            return value
        if not isinstance(value, str):
            raise _line("name_email_type", value)
        name, local, domain = _split_address(value)
        return cls(name or local, f"{local}@{domain}")

    @classmethod
    def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
        json_schema = {"type": "string", "format": "name-email"}
        return s.convert_schema(cls, cls._validate, "name_email_type", json_schema=json_schema)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameEmail) and (other.name, other.email) == (self.name, self.email)

    def __hash__(self) -> int:
        return hash((self.name, self.email))

    def __str__(self) -> str:
        return (
            f'"{self.name}" <{self.email}>' if "@" in self.name else f"{self.name} <{self.email}>"
        )

    def __repr__(self) -> str:
        return f"NameEmail(name={self.name!r}, email={self.email!r})"


def _email_reason(text: str) -> str | None:
    """Why ``text`` is not an address ferrule accepts (one ``@``, a dotted domain, no spaces)."""
    if "@" not in text:
        return "An email address must have an @-sign."
    local, _, domain = text.rpartition("@")
    if not local:
        return "There must be something before the @-sign."
    if any(char.isspace() for char in text) or "@" in local:
        return "The email address contains invalid characters."
    if "." not in domain or not all(domain.split(".")):
        return "The part after the @-sign is not valid. It should have a period."
    return None


def _split_address(value: Any) -> tuple[str | None, str, str]:
    """``(display name or None, local part, lower-cased domain)`` of ``"Name <addr>"`` or a bare
    address; a `ValidationError` (pydantic's ``value_error`` with its ``reason``) if invalid."""
    text = value.strip()
    name: str | None = None
    if text.endswith(">") and "<" in text:
        name, _, text = text[:-1].partition("<")
        name = name.strip().strip('"') or None
    reason = _email_reason(text)
    if reason is not None:
        message = f"value is not a valid email address: {reason}"
        raise _line("value_error", value, {"reason": reason}, message)
    local, _, domain = text.rpartition("@")
    return name, local, domain.lower()


def _email(value: str) -> str:
    _, local, domain = _split_address(value)
    return f"{local}@{domain}"


if TYPE_CHECKING:
    EmailStr = str
else:

    class EmailStr:
        """An e-mail address as a str: ``"Name <a@b.c>"`` gives ``"a@b.c"``, the domain is
        lower-cased. ferrule's own check (one ``@``, a dotted domain, no spaces), not the
        email-validator package's full grammar."""

        __slots__ = ()

        @classmethod
        def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
            return s.convert_schema(
                None,
                _email,
                "value_error",
                inner=s.str_schema(strict=strict),
                json_schema={"format": "email"},
            )


register(AnyUrl, str)
register(NameEmail, str)


def _ip_any(kind: str, parse: Any, fmt: str) -> Any:
    """An ``IPvAny*`` class: calling it parses either IP version; as an annotation, the same."""

    def __new__(cls: type, value: Any) -> Any:
        return parse(value)

    def __ferrule_type_schema__(cls: type, *, strict: bool, sub: Any) -> s.Schema:
        return s.convert_schema(
            None, parse, f"ip_any_{kind}", json_schema={"type": "string", "format": fmt}
        )

    namespace = {
        "__new__": __new__,
        "__ferrule_type_schema__": classmethod(__ferrule_type_schema__),
        "__doc__": f"An IPv4 or IPv6 {kind}, whichever the input is.",
        "__slots__": (),
    }
    return type(f"IPvAny{kind.title()}", (), namespace)


IPvAnyAddress: Any = _ip_any("address", ipaddress.ip_address, "ipvanyaddress")
IPvAnyNetwork: Any = _ip_any("network", ipaddress.ip_network, "ipvanynetwork")
IPvAnyInterface: Any = _ip_any("interface", ipaddress.ip_interface, "ipvanyinterface")
