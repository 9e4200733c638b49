"""A throw-away PostgreSQL server for the test run, when this machine has one to start (the Debian `postgresql`
package, or initdb on the PATH), or the server TEST_DATABASE_URL names. Each test gets a database of its own."""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

_counter = itertools.count()


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server's tools as the `postgres` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def throwaway_server() -> Iterator[str | None]:
    """The server's URL for the whole run, or None when there is none to start (the PostgreSQL tests skip)."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        initdb = None
    if initdb is None or pg_ctl is None:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="mastermind-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "data")
    subprocess.run(
        _as_postgres([initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=300"
    subprocess.run(
        _as_postgres([pg_ctl, "-D", data, "-o", options, "-l", os.path.join(folder, "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={folder}"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _run_statement(server: str, statement: str) -> None:
    """One statement on the server's maintenance database, from any thread (fixtures may run inside a loop)."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(server)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, run()).result()


def fresh_database(server: str) -> str:
    """A new, empty database on the server, for one test."""
    name = f"test_{os.getpid()}_{next(_counter)}"
    _run_statement(server, f"CREATE DATABASE {name}")
    return _with_database(server, name)


def drop_database(server: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _run_statement(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _with_database(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
