"""Where a test's database lives, so a test never cares which one: an SQLite file copied from one migrated once,
or (in the PostgreSQL pass, `pytest --database postgresql` with TEST_POSTGRES_URL set) a schema of its own on the
server, copied from a template migrated once per worker, and dropped after.

The server's administration (create, drop) runs on one asyncpg connection in a thread of its own with its own
event loop: a test's loop, a sync test's `asyncio.run` and a session fixture all call it the same way."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from storage.db import migrate

POSTGRES_ENV = "TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
EXAMPLE_URL = "sqlite+aiosqlite:///data/binhlu.db"  # config.example.toml's
SCHEMA_MARK = "@schema@"


def sqlite_url(path: Path) -> str:
    """The URL of an SQLite file."""
    return f"sqlite+aiosqlite:///{path}"


def on_database(example: str, url: str) -> str:
    """The example configuration's text with its database at `url`."""
    assert EXAMPLE_URL in example
    return example.replace(EXAMPLE_URL, url)


async def connect(at: URL):
    """An asyncpg connection to the server and database `at` names (as `postgres` on 127.0.0.1:5432 by default)."""
    import asyncpg

    return await asyncpg.connect(
        host=at.host or "127.0.0.1",
        port=at.port or 5432,
        user=at.username or "postgres",
        password=at.password,
        database=at.database or "postgres",
    )


async def run_once(at: URL, statement: str) -> None:
    """One statement (CREATE or DROP DATABASE) on a connection of its own, closed after."""
    connection = await connect(at)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


class SqliteDatabases:
    """Each database a copy of one file every migration was applied to."""

    backend = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.template = folder / "migrated.db"
        asyncio.run(migrate(sqlite_url(self.template)))

    def create(self, folder: Path, name: str = "test") -> str:
        """A migrated database of its own, in `folder`."""
        path = folder / f"{name}.db"
        shutil.copyfile(self.template, path)
        return sqlite_url(path)

    def empty(self, folder: Path, name: str = "empty") -> str:
        """A database with nothing in it, not even the migrations' table."""
        return sqlite_url(folder / f"{name}.db")

    def drop(self, url: str) -> None:
        """Nothing to do: the file goes with the test's folder."""

    def close(self) -> None:
        """Nothing to do."""


class PostgresDatabases:
    """Each test's database a schema of its own on the server, reached as a role of the same name (whose
    search_path is that schema alone): the code under test sees a database it has to itself. The schema is the
    template's, which every migration was applied to once per worker, copied by replaying what `pg_dump` wrote
    of it. A schema, not a database: PostgreSQL checkpoints at every DROP DATABASE, a schema drops for free.
    Each worker's schemas live in a database of the worker's own, so what PostgreSQL scopes by database (advisory
    locks, LISTEN/NOTIFY) never meets another worker's test. Every name is new, so runs side by side (two
    worktrees, two workers) never meet."""

    backend = "postgresql"

    def __init__(self, url: str) -> None:
        self.home = make_url(url)  # the database named: where the worker's own is made and dropped
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="postgres-admin", daemon=True)
        self._thread.start()
        self.server = self.home.set(database=f"t_db_{uuid.uuid4().hex[:12]}")
        self._call(run_once(self.home, f'CREATE DATABASE "{self.server.database}"'))
        self._admin = self._call(connect(self.server))
        self._lock = self._call(self._new_lock())
        self._pending: list = []
        self._ready: list[asyncio.Future] = []  # the next test's schema, made while this one runs
        self._template = self._call(self._schema())
        asyncio.run(migrate(self._url(self._template)))
        self._script = self._dump(self._template)

    def _url(self, role: str) -> str:
        return self.server.set(username=role, password=None).render_as_string(hide_password=False)

    async def _new_lock(self) -> asyncio.Lock:
        return asyncio.Lock()

    async def _execute(self, statement: str) -> None:
        async with self._lock:  # one connection runs one statement at a time
            await self._admin.execute(statement)

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _schema(self, script: str = "") -> str:
        """A new role and its own schema, `script` run in it as that role (so the role owns what it makes)."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        await self._execute(
            f'BEGIN; CREATE ROLE "{name}" LOGIN; ALTER ROLE "{name}" SET search_path = "{name}";'
            # A test's database is thrown away: a commit need not wait for the disk (nothing else changes).
            f' ALTER ROLE "{name}" SET synchronous_commit = off;'
            f' CREATE SCHEMA "{name}" AUTHORIZATION "{name}"; SET LOCAL ROLE "{name}";'
            f" {script.replace(SCHEMA_MARK, name)} COMMIT;"
        )
        return name

    def _dump(self, schema: str) -> str:
        """The template schema's tables, sequences and rows as SQL, its name left as a mark to fill in."""
        s = self.server
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                s.host or "127.0.0.1",
                "-p",
                str(s.port or 5432),
                "-U",
                s.username or "postgres",
                "-d",
                s.database or "postgres",
                "--schema",
                schema,
                "--inserts",
                "--no-owner",
                "--no-privileges",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PGPASSWORD": s.password or ""},
        ).stdout
        session = ("--", "\\", "SET ", "SELECT pg_catalog.set_config")  # comments, psql's commands, settings
        kept = [line for line in dump.splitlines() if not line.startswith(session)]
        script = "\n".join(line for line in kept if not line.startswith(f"CREATE SCHEMA {schema};"))
        return script.replace(f"{schema}.", f'"{SCHEMA_MARK}".')

    async def _take(self) -> str:
        if not self._ready:
            self._ready.append(asyncio.ensure_future(self._schema(self._script)))
        made = self._ready.pop(0)
        self._ready.append(asyncio.ensure_future(self._schema(self._script)))
        return await made

    def create(self, folder: Path | None = None, name: str = "test") -> str:
        """A migrated database of its own on the server (`folder` and `name` matter only to SQLite)."""
        return self._url(self._call(self._take()))

    def empty(self, folder: Path | None = None, name: str = "empty") -> str:
        """A database with nothing in it, not even the migrations' table."""
        return self._url(self._call(self._schema()))

    async def _drop(self, role: str) -> None:
        await self._execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}';"
            f' DROP OWNED BY "{role}" CASCADE; DROP ROLE "{role}";'
        )

    def drop(self, url: str) -> None:
        """Drop the schema and its role, whoever is still connected; the next test does not wait for it."""
        self._pending.append(asyncio.run_coroutine_threadsafe(self._drop(make_url(url).username), self._loop))

    def close(self) -> None:
        """Drop the template and what is left, close the connection and the thread."""
        for ready in self._ready:
            self._pending.append(asyncio.run_coroutine_threadsafe(self._drop_when_made(ready), self._loop))
        for dropping in self._pending:
            dropping.result()  # a drop that failed says so here
        self._call(self._drop(self._template))
        self._call(self._admin.close())
        self._call(run_once(self.home, f'DROP DATABASE IF EXISTS "{self.server.database}" WITH (FORCE)'))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _drop_when_made(self, ready: asyncio.Future) -> None:
        await self._drop(await ready)


def databases_for(backend: str, folder: Path) -> SqliteDatabases | PostgresDatabases:
    """The databases of one pass: SQLite's files under `folder`, or the server TEST_POSTGRES_URL names."""
    if backend == "sqlite":
        return SqliteDatabases(folder)
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        raise RuntimeError(
            f"--database postgresql needs {POSTGRES_ENV}, e.g. postgresql+asyncpg://postgres@127.0.0.1/test"
        )
    return PostgresDatabases(url)
