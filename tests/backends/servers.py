"""Private, throwaway PostgreSQL and MariaDB servers for tests that restart or crash a server.

The shared servers on 5432/3306 serve every other test (and other sessions running at the same
time): they are never stopped. A ``PrivateServer`` lives in a temporary directory, listens on a
free port of 127.0.0.1, and is created once per test session (``initdb`` /
``mariadb-install-db`` cost about a second each). ``stop(crash=True)`` kills it without a
shutdown (``pg_ctl stop -m immediate``, ``kill -9``), so the next start runs crash recovery.
The fixtures skip by a named reason when the server binaries are missing and remove the
processes and directories at the end, also when a test failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = ("initdb", "pg_ctl", "postgres")
MARIADB_BIN = ("mariadb-install-db", "mariadbd")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def missing(binaries: tuple[str, ...]) -> list[str]:
    """The server binaries not found on PATH (also /usr/sbin, where mariadbd lives)."""
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"
    return [name for name in binaries if shutil.which(name, path=path) is None]


def _which(name: str) -> str:
    found = shutil.which(name, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")
    assert found is not None
    return found


class PrivateServer:
    """One server process of our own: ``start``, ``stop(crash=...)``, ``restart(crash=...)``."""

    dialect = ""
    log_name = ""  # the server's log, in ``dir``

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=f"ferrule-{self.dialect}-"))
        self.port = _free_port()
        self.restarts = 0

    @property
    def log(self) -> Path:
        return self.dir / self.log_name

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _start_command(self) -> list[str]:
        raise NotImplementedError

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self, crash: bool = False) -> None:
        raise NotImplementedError

    async def restart(self, crash: bool = False) -> None:
        """Stop (gracefully, or as a crash) and start again; returns once it accepts logins."""
        await self.stop(crash)
        await self.start()
        self.restarts += 1

    def destroy(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


async def _run(*command: str) -> int:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    return await process.wait()


class PrivatePostgres(PrivateServer):
    dialect = "postgres"
    log_name = "log"

    def __init__(self) -> None:
        super().__init__()
        # initdb and the server refuse to run as root: run them as the postgres OS user.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            [*self._as, _which("initdb"), "-D", str(self.dir / "data"), "-A", "trust",
             "-U", "postgres", "--no-sync", "-E", "UTF8"],
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=200"
        )
        self._ctl = [*self._as, _which("pg_ctl"), "-D", str(self.dir / "data")]
        self._start = [*self._ctl, "-o", options, "-l", str(self.log), "-w", "start"]
        subprocess.run(self._start, check=True, capture_output=True)
        subprocess.run(
            [*self._as, "psql", "-h", str(self.dir), "-p", str(self.port), "-U", "postgres",
             "-c", "CREATE DATABASE test"],
            check=True, capture_output=True,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    async def start(self) -> None:
        # -w: returns once the server accepts connections (crash recovery included).
        if await _run(*self._start) != 0:
            raise RuntimeError(f"private PostgreSQL did not start; see {self.log}")

    async def stop(self, crash: bool = False) -> None:
        await _run(*self._ctl, "-m", "immediate" if crash else "fast", "-w", "stop")

    def close(self) -> None:
        subprocess.run([*self._ctl, "-m", "immediate", "-w", "stop"], capture_output=True)


class PrivateMariaDB(PrivateServer):
    dialect = "mysql"
    log_name = "err.log"  # mariadbd adds ".err" to a name without an extension

    def __init__(self) -> None:
        super().__init__()
        # Its own tmpdir: a starting mariadbd deletes every "#sql*" file in its tmpdir, which
        # would take the shared server's temporary tables in use (test_private_servers.py).
        (self.dir / "tmp").mkdir()
        subprocess.run(
            [_which("mariadb-install-db"), "--no-defaults", f"--datadir={self.dir / 'data'}",
             f"--tmpdir={self.dir / 'tmp'}", "--user=root",
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            check=True, capture_output=True,
        )  # fmt: skip
        self._process: subprocess.Popen[bytes] | None = None
        self._spawn()
        self._wait_ready_sync()
        subprocess.run(
            ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", str(self.port), "-uroot",
             "-e", "CREATE DATABASE test"],
            check=True, capture_output=True,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/test"

    def _spawn(self) -> None:
        self._process = subprocess.Popen(
            [_which("mariadbd"), "--no-defaults", f"--datadir={self.dir / 'data'}",
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--socket={self.dir / 's'}",
             f"--tmpdir={self.dir / 'tmp'}",
             f"--pid-file={self.dir / 'pid'}", "--user=root", "--innodb-buffer-pool-size=16M",
             "--skip-name-resolve", "--max-connections=300", f"--log-error={self.log}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    def _probe(self) -> list[str]:
        return ["mariadb-admin", "--no-defaults", "-h", "127.0.0.1", "-P", str(self.port),
                "-uroot", "--connect-timeout=1", "ping"]  # fmt: skip

    def _wait_ready_sync(self) -> None:
        for _ in range(600):
            if subprocess.run(self._probe(), capture_output=True).returncode == 0:
                return
            time.sleep(0.02)  # polling an external process: nothing to await
        raise RuntimeError(f"private MariaDB did not start; see {self.log}")

    async def start(self) -> None:
        self._spawn()
        for _ in range(600):
            if await _run(*self._probe()) == 0:
                return
            await asyncio.sleep(0.02)  # polling an external process: nothing to await
        raise RuntimeError(f"private MariaDB did not start; see {self.log}")

    async def stop(self, crash: bool = False) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.send_signal(signal.SIGKILL if crash else signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, process.wait)

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()


def _serve(kind: type[PrivatePostgres] | type[PrivateMariaDB]) -> Iterator[PrivateServer]:
    binaries = PG_BIN if kind is PrivatePostgres else MARIADB_BIN
    absent = missing(binaries)
    if absent:
        pytest.skip(f"no private {kind.dialect} server: {', '.join(absent)} not installed")
    server = kind.__new__(kind)
    try:
        server.__init__()  # type: ignore[misc]
        yield server
    finally:
        if hasattr(server, "close"):
            with contextlib.suppress(Exception):
                server.close()
        if hasattr(server, "dir"):
            server.destroy()


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivateServer]:
    """A PostgreSQL of our own, safe to restart and crash (see the module docstring)."""
    yield from _serve(PrivatePostgres)


@pytest.fixture(scope="session")
def private_mysql() -> Iterator[PrivateServer]:
    """A MariaDB of our own, safe to restart and crash (see the module docstring)."""
    yield from _serve(PrivateMariaDB)
