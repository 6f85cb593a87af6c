"""A PostgreSQL server of a test's own, which the test may stop and start (the machine's shared server must never
be restarted: other tests use it): a cluster made by `initdb` in a temporary folder, on a free port of 127.0.0.1,
its socket in that folder, trust authentication for `postgres`; stopped and removed after.

`initdb` refuses to run as root, so as root the cluster belongs to the `postgres` OS user (`runuser`); a test is
skipped, saying why, where the binaries or that user are missing (a laptop without a server installed)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BINARIES = Path(os.environ.get("PG_BINARIES", "/usr/lib/postgresql/15/bin"))
OS_USER = "postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """One cluster: `url` for the bot (asyncpg, database `postgres`), `stop()` and `start()` whenever a test likes."""

    def __init__(self, folder: Path, owner: str | None) -> None:
        self.folder, self.owner = folder, owner
        self.data, self.log = folder / "data", folder / "server.log"
        self.port = _free_port()
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, timeout: float = 200) -> None:
        program = [str(BINARIES / command[0]), *command[1:]]
        as_owner = ["runuser", "-u", self.owner, "--"] if self.owner else []
        done = subprocess.run([*as_owner, *program], capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr.strip()}\n{log}")

    def create(self) -> None:
        """A new cluster (no fsync: it is thrown away), then started."""
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        self.start()

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
            " -c synchronous_commit=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "180", "start")

    def stop(self) -> None:
        """Stop the server at once, every connection cut (`-m fast`), as a restart by an operator does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "180", "stop")

    def running(self) -> bool:
        """Whether the server is up (its pid file is there)."""
        return (self.data / "postmaster.pid").exists()


def _owner() -> str | None:
    """Who runs the cluster: nobody else when this is not root, else the `postgres` user (or the test is skipped)."""
    if not (BINARIES / "initdb").exists() or not (BINARIES / "pg_ctl").exists():
        pytest.skip(f"no PostgreSQL server binaries in {BINARIES} (set PG_BINARIES): no private server to restart")
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        pytest.skip(f"initdb refuses root and there is no {OS_USER!r} user to run a private server as")
    if shutil.which("runuser") is None:
        pytest.skip(f"no runuser to run a private server as {OS_USER!r}")
    return OS_USER


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running private server; stopped (if still running) and its folder removed after."""
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="private-pg-"))  # not under pytest's tmp_path: postgres must reach it
    if owner is not None:
        user = pwd.getpwnam(owner)
        os.chown(folder, user.pw_uid, user.pw_gid)
    server = PrivatePostgres(folder, owner)
    try:
        server.create()
        yield server
    finally:
        try:
            if server.running():
                server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
