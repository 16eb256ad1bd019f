"""`hash` and `compare_digest` are C functions on the native core and Python functions on the
pure-Python twin: every way of calling them (positional, keywords, wrong counts, hostile
arguments) gives the same result or the same error on both, and the library's answer where
there is one. The tables run on both cores (the suite runs with and without
``FERRULE_PURE_PYTHON=1``)."""

from __future__ import annotations

import array
import hashlib
import hmac as std_hmac
import inspect
import os
import pickle
import subprocess
import sys
import traceback
import types
from typing import Any

import pytest

from ferrule import crypto
from ferrule.crypto import hashing
from ferrule.errors import CryptoError, CryptoTypeError, pure_python_requested

needs_buffer_dunder = pytest.mark.skipif(
    sys.version_info < (3, 12), reason="__buffer__ in Python code is 3.12+"
)


def test_the_core_decides_which_function_it_is() -> None:
    kind = types.FunctionType if pure_python_requested() else types.BuiltinFunctionType
    assert type(crypto.hash) is kind
    assert type(crypto.compare_digest) is kind


@pytest.mark.parametrize(
    ("function", "name", "parameters"),
    [
        (crypto.hash, "hash", [("data", inspect.Parameter.empty), ("algo", "sha256")]),
        (
            crypto.compare_digest,
            "compare_digest",
            [("a", inspect.Parameter.empty), ("b", inspect.Parameter.empty)],
        ),
    ],
)
def test_same_name_signature_doc_and_pickle(
    function: Any, name: str, parameters: list[tuple[str, object]]
) -> None:
    assert function.__name__ == name
    assert function.__qualname__ == name
    assert function.__module__ == "ferrule.crypto.hashing"
    assert function.__doc__.startswith({"hash": "The digest", "compare_digest": "Whether"}[name])
    signature = inspect.signature(function)
    assert [(p.name, p.default) for p in signature.parameters.values()] == parameters
    for parameter in signature.parameters.values():
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert pickle.loads(pickle.dumps(function)) is function
    assert getattr(hashing, name) is function


SHA256_X = hashlib.sha256(b"x").digest()
BLAKE2B_X = hashlib.blake2b(b"x").digest()


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((b"x",), {}, SHA256_X),
        ((b"x", "blake2b"), {}, BLAKE2B_X),
        ((b"x",), {"algo": "blake2b"}, BLAKE2B_X),
        ((), {"data": b"x"}, SHA256_X),
        ((), {"algo": "blake2b", "data": b"x"}, BLAKE2B_X),
        ((bytearray(b"x"),), {"algo": "sha256"}, SHA256_X),
        ((memoryview(b"x"),), {"algo": "md5"}, CryptoError("unknown hash algorithm 'md5'")),
        (("x",), {"algo": "sha256"}, CryptoTypeError("data must be bytes, not str")),
        ((b"x", b"sha256"), {}, CryptoTypeError("hash algorithm must be a str, not bytes")),
        ((b"x",), {"algo": None}, CryptoTypeError("hash algorithm must be a str, not NoneType")),
        ((None,), {}, CryptoTypeError("data must be bytes-like")),
        ((None, "blake3"), {}, CryptoTypeError("data must be bytes-like")),
        ((), {}, TypeError("missing 1 required positional argument: 'data'")),
        ((), {"algo": "sha256"}, TypeError("missing 1 required positional argument: 'data'")),
        ((b"x", "sha256", 1), {}, TypeError("takes from 1 to 2 positional arguments")),
        ((b"x", "sha256"), {"algo": "sha256"}, TypeError("multiple values for argument 'algo'")),
        ((b"x",), {"digest": b""}, TypeError("unexpected keyword argument 'digest'")),
    ],
)
def test_hash_call_forms(args: tuple[Any, ...], kwargs: dict[str, Any], expected: object) -> None:
    if isinstance(expected, bytes):
        assert crypto.hash(*args, **kwargs) == expected
        return
    assert isinstance(expected, Exception)
    with pytest.raises(type(expected)) as info:
        crypto.hash(*args, **kwargs)
    assert type(info.value) is type(expected)
    assert str(expected) in str(info.value)
    assert_clean(info.value)


MAC = std_hmac.digest(b"k", b"m", "sha256")


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((MAC, MAC), {}, True),
        ((MAC, bytes(32)), {}, False),
        ((MAC,), {"b": MAC}, True),
        ((), {"b": MAC, "a": bytearray(MAC)}, True),
        (("abc", "abc"), {}, True),
        ((), {"a": "abc", "b": "abd"}, False),
        ((b"abc", "abc"), {}, CryptoTypeError("needs two str or two bytes, not bytes and str")),
        ((), {"a": "é", "b": "é"}, CryptoError("ASCII text only")),
        ((1, 1), {}, CryptoTypeError("a must be bytes-like")),
        ((b"", None), {}, CryptoTypeError("b must be bytes-like")),
        ((MAC,), {}, TypeError("missing 1 required positional argument: 'b'")),
        ((), {}, TypeError("missing 2 required positional arguments")),
        ((MAC, MAC, MAC), {}, TypeError("takes 2 positional arguments but 3 were given")),
        ((MAC, MAC), {"b": MAC}, TypeError("multiple values for argument 'b'")),
        ((MAC,), {"other": MAC}, TypeError("unexpected keyword argument 'other'")),
    ],
)
def test_compare_digest_call_forms(
    args: tuple[Any, ...], kwargs: dict[str, Any], expected: object
) -> None:
    if isinstance(expected, bool):
        assert crypto.compare_digest(*args, **kwargs) is expected
        return
    assert isinstance(expected, Exception)
    with pytest.raises(type(expected)) as info:
        crypto.compare_digest(*args, **kwargs)
    assert type(info.value) is type(expected)
    assert str(expected) in str(info.value)
    assert_clean(info.value)


def assert_clean(error: BaseException) -> None:
    """Nothing the library raised is shown with the typed error."""
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert "During handling" not in "".join(traceback.format_exception(error))


class LyingLength(bytes):
    def __len__(self) -> int:
        return 1


class RaisingLength(bytes):
    def __len__(self) -> int:
        raise RuntimeError("__len__ must not be asked")


class AlwaysEqual(bytes):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class RaisingBytes(bytes):
    def __bytes__(self) -> bytes:
        raise RuntimeError("__bytes__ must not be asked")


class AlwaysEqualText(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("blake2b")


@pytest.mark.parametrize("kind", [LyingLength, RaisingLength, AlwaysEqual, RaisingBytes])
def test_bytes_subclasses_are_read_by_their_buffer(kind: type[bytes]) -> None:
    value = kind(b"abc")
    assert crypto.hash(value) == hashlib.sha256(b"abc").digest()
    assert crypto.hash(value, "blake3") == crypto.hash(b"abc", "blake3")
    assert crypto.compare_digest(value, b"abc") is True
    assert crypto.compare_digest(b"abc", value) is True
    assert crypto.compare_digest(value, b"abd") is False
    assert crypto.compare_digest(value, b"ab") is False


def test_a_str_subclass_name_is_read_as_its_text() -> None:
    """Its __eq__/__hash__ would find another constructor in the table: not consulted."""
    name = AlwaysEqualText("sha512")
    assert crypto.hash(b"x", name) == hashlib.sha512(b"x").digest()
    assert crypto.hash(b"x", algo=name) == hashlib.sha512(b"x").digest()


class Buffer:
    """A buffer exporter written in Python (3.12+): what its `__buffer__` does on each call."""

    def __init__(self, action: Any) -> None:
        self.action = action
        self.calls = 0

    def __buffer__(self, flags: int) -> memoryview:
        self.calls += 1
        return self.action()  # type: ignore[no-any-return]

    def __len__(self) -> int:
        raise AssertionError("__len__ must not be asked")


@needs_buffer_dunder
def test_a_python_buffer_is_hashed_and_compared_by_its_contents() -> None:
    value = Buffer(lambda: memoryview(b"abc"))
    assert crypto.hash(value) == hashlib.sha256(b"abc").digest()
    assert crypto.compare_digest(value, b"abc") is True


def interrupt() -> memoryview:
    raise KeyboardInterrupt


def fail() -> memoryview:
    raise RuntimeError("no buffer today")


@needs_buffer_dunder
def test_only_exceptions_send_a_call_to_the_typed_error() -> None:
    """An `Exception` from the buffer becomes the typed error; `KeyboardInterrupt` is raised
    as it is, from the first read (as ``except Exception`` in the Python functions)."""
    with pytest.raises(CryptoTypeError) as info:
        crypto.hash(Buffer(fail))
    assert_clean(info.value)
    with pytest.raises(CryptoTypeError):
        crypto.compare_digest(Buffer(fail), b"abc")
    for call in (
        lambda value: crypto.hash(value),
        lambda value: crypto.hash(value, "blake2b"),
        lambda value: crypto.compare_digest(value, b"abc"),
        lambda value: crypto.compare_digest(b"abc", value),
    ):
        value = Buffer(interrupt)
        with pytest.raises(KeyboardInterrupt):
            call(value)
        assert value.calls == 1


@needs_buffer_dunder
def test_the_table_may_change_while_the_data_is_read() -> None:
    """The constructor found is held for the call even when reading the data removes it."""

    def remove() -> memoryview:
        del hashing._constructors["sha512"]
        return memoryview(b"abc")

    try:
        assert crypto.hash(Buffer(remove), "sha512") == hashlib.sha512(b"abc").digest()
        assert "sha512" not in hashing._constructors
    finally:
        hashing._constructors["sha512"] = hashlib.sha512
    assert crypto.hash(b"abc", "sha512") == hashlib.sha512(b"abc").digest()


def test_a_name_added_to_the_table_later_is_found() -> None:
    """blake3's constructor joins the table on first use; the native function reads the
    same table."""
    hashing._constructors.pop("blake3", None)
    assert crypto.hash(b"x", "blake3") == crypto.Hasher("blake3", b"x").digest()
    assert "blake3" in hashing._constructors
    assert crypto.hash(b"x", "blake3") == crypto.Hasher("blake3", b"x").digest()


def test_the_table_is_read_as_it_is_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module's table is the one truth: a name looked up before is looked up again once
    the table changed (the native function remembers a name only while the dict is
    unchanged)."""
    for _ in range(3):
        assert crypto.hash(b"x") == SHA256_X
    monkeypatch.setitem(hashing._constructors, "sha256", hashlib.sha512)
    assert crypto.hash(b"x") == hashlib.sha512(b"x").digest()
    monkeypatch.setitem(hashing._constructors, "sha256", hashlib.sha256)
    assert crypto.hash(b"x") == SHA256_X
    hashing._constructors.update({"sha256": hashlib.blake2b})
    assert crypto.hash(b"x") == BLAKE2B_X
    hashing._constructors.clear()
    hashing._constructors.update(
        {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
    )
    hashing._constructors["blake2b"] = hashlib.blake2b
    assert crypto.hash(b"x") == SHA256_X
    assert crypto.hash(b"x", "blake2b") == BLAKE2B_X


def test_a_method_replaced_on_the_hasher_type_is_the_one_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """blake3's hasher type can be changed: ``digest`` is what the type has at each call."""
    import blake3

    expected = blake3.blake3(b"x").digest()
    for _ in range(3):
        assert crypto.hash(b"x", "blake3") == expected
    monkeypatch.setattr(blake3.blake3, "digest", lambda self, length=32: b"replaced")
    assert crypto.hash(b"x", "blake3") == b"replaced"
    monkeypatch.undo()
    assert crypto.hash(b"x", "blake3") == expected


def warm(algo: str) -> None:
    """Calls enough for the native function to take its fast path for `algo` (the name found
    again in an unchanged table, the hasher type's ``digest`` known)."""
    for _ in range(4):
        assert crypto.hash(b"warm", algo) == crypto.Hasher(algo, b"warm").digest()


@pytest.mark.parametrize("algo", ["sha256", "blake2b", "blake3"])
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"x" * 200,
        bytearray(b"abc"),
        memoryview(b"abcdef")[1:4],
        memoryview(b"abcdef")[::2],
        memoryview(bytes(range(16))).cast("I"),
        LyingLength(b"lying"),
        AlwaysEqual(b"equal"),
        array.array("d", [1.5, -2.0]),
    ],
    ids=repr,
)
def test_the_fast_path_hashes_every_layout_as_the_library(algo: str, data: Any) -> None:
    warm(algo)
    expected = crypto.Hasher(algo, bytes(memoryview(data).tobytes())).digest()
    assert crypto.hash(data, algo) == expected
    assert crypto.hash(data, algo=algo) == expected


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ("text", CryptoTypeError("data must be bytes, not str")),
        (12, CryptoTypeError("data must be bytes-like")),
        (None, CryptoTypeError("data must be bytes-like")),
        ([1, 2], CryptoTypeError("data must be bytes-like")),
    ],
)
@pytest.mark.parametrize("algo", ["sha256", "blake2b", "blake3"])
def test_the_fast_path_refusals_are_the_typed_errors(
    algo: str, data: object, error: Exception
) -> None:
    warm(algo)
    with pytest.raises(type(error)) as info:
        crypto.hash(data, algo)  # type: ignore[arg-type]
    assert type(info.value) is type(error)
    assert str(error) in str(info.value)
    assert_clean(info.value)
    assert crypto.hash(b"x", algo) == crypto.Hasher(algo, b"x").digest()


def test_the_fast_path_name_is_read_by_its_text_not_its_address() -> None:
    """A name made at run time (another str object with the same text) and a str subclass
    that lies about equality find what the text finds."""
    warm("blake2b")
    made = "".join(["blake", "2b"])
    assert made is not "blake2b"  # noqa: F632 (another object on purpose)
    assert crypto.hash(b"x", made) == BLAKE2B_X
    assert crypto.hash(b"x", "blake2b") == BLAKE2B_X
    with pytest.raises(CryptoError):
        crypto.hash(b"x", "".join(["blake", "2s"]))
    assert crypto.hash(b"x", AlwaysEqualText("sha256")) == SHA256_X


def test_the_fast_path_follows_a_table_changed_after_it_was_taken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name taken by the fast path, then bound to a Python function, a builtin, and back."""
    warm("blake2b")
    calls: list[bytes] = []

    class Fake:
        def __init__(self, data: bytes) -> None:
            calls.append(bytes(data))

        def digest(self) -> bytes:
            return b"fake"

    monkeypatch.setitem(hashing._constructors, "blake2b", Fake)
    for _ in range(4):
        assert crypto.hash(b"x", "blake2b") == b"fake"
    assert calls == [b"x"] * 4
    monkeypatch.setitem(hashing._constructors, "blake2b", lambda data: hashlib.sha384(data))
    for _ in range(4):
        assert crypto.hash(b"x", "blake2b") == hashlib.sha384(b"x").digest()
    monkeypatch.setitem(hashing._constructors, "blake2b", hashlib.sha512)
    for _ in range(4):
        assert crypto.hash(b"x", "blake2b") == hashlib.sha512(b"x").digest()
    monkeypatch.undo()
    assert crypto.hash(b"x", "blake2b") == BLAKE2B_X


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (MAC, MAC, True),
        (MAC, bytearray(MAC), True),
        (memoryview(MAC), MAC, True),
        (memoryview(MAC)[::2], MAC[::2], True),
        (MAC, MAC[:-1], False),
        (MAC, MAC[:-1] + b"\0", False),
        (AlwaysEqual(b"a"), b"b", False),
        (LyingLength(b"abc"), b"abc", True),
        ("abc", "abc", True),
        ("abc", "abd", False),
        ("", "", True),
        ("é", "é", CryptoError("ASCII text only")),
        (b"abc", "abc", CryptoTypeError("needs two str or two bytes, not bytes and str")),
        (1, 1, CryptoTypeError("a must be bytes-like")),
        (b"", None, CryptoTypeError("b must be bytes-like")),
    ],
)
def test_compare_digest_after_many_calls(a: Any, b: Any, expected: object) -> None:
    for _ in range(4):
        assert crypto.compare_digest(MAC, MAC) is True
    if isinstance(expected, bool):
        assert crypto.compare_digest(a, b) is expected
        return
    assert isinstance(expected, Exception)
    with pytest.raises(type(expected)) as info:
        crypto.compare_digest(a, b)
    assert type(info.value) is type(expected)
    assert str(expected) in str(info.value)
    assert_clean(info.value)


SCRIPT = """
import hashlib, hmac
from ferrule import crypto
from ferrule.errors import CryptoTypeError
assert crypto.hash(b"x") == hashlib.sha256(b"x").digest()
assert crypto.hash(b"x", algo="sha384") == hashlib.sha384(b"x").digest()
assert crypto.hash(b"x", "blake3") == crypto.Hasher("blake3", b"x").digest()
assert crypto.compare_digest(b"a", b"a") and not crypto.compare_digest(b"a", b"b")
for bad in ((b"a", "a"), (None, b"")):
    try:
        crypto.compare_digest(*bad)
    except CryptoTypeError:
        pass
    else:
        raise AssertionError(bad)
print(type(crypto.hash).__name__)
"""


@pytest.mark.parametrize(
    ("variable", "kind"),
    [("FERRULE_NO_FAST_PATHS", "builtin_function_or_method"), ("FERRULE_PURE_PYTHON", "function")],
)
def test_with_fast_paths_off_and_on_the_pure_core(variable: str, kind: str) -> None:
    """Without the vectorcall fast path (the stable-API calls) and on the pure-Python twin."""
    env = {**os.environ, "FERRULE_PURE_PYTHON": "0", "FERRULE_NO_FAST_PATHS": "0", variable: "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == kind
