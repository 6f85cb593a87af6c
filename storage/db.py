"""Engine and sessions: one session per update or job run, owned by the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite(engine: AsyncEngine, *, writer: bool) -> None:
    """WAL, full fsync, foreign keys, a busy timeout, and (for writers) the write lock taken at BEGIN.

    BEGIN IMMEDIATE is what keeps concurrent read-then-write handlers from failing with
    "database is locked": a deferred transaction that later upgrades to a writer cannot wait.
    A reader's plain BEGIN reads a snapshot beside the writer (WAL) and blocks no one.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names, a `file:` URI filename (`...///file:/srv/x.db?mode=ro&uri=true`) read as SQLite
    reads it; None for another database or one in memory."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    if name.startswith("file:"):
        name = unquote(urlsplit(name).path)
        if not name or name == ":memory:" or parsed.query.get("mode") == "memory":
            return None
    return Path(name)


def create_engine(url: str, *, writer: bool = True) -> AsyncEngine:
    """An async engine for `url`; an SQLite file gets its folder and its pragmas."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if (path := sqlite_file(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _tune_sqlite(engine, writer=writer)
    return engine


def _foreign_keys(connection, *, on: bool) -> None:
    """Turn SQLite's foreign keys on or off on this connection, outside any transaction."""
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


class Database:
    """The engines and session factories; `unit_of_work()` and `reading()` are the only ways to a session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            self._reader = create_engine(url, writer=False)
        else:
            # One snapshot for the whole read, as SQLite's deferred transaction gives (READ COMMITTED would not).
            self._reader = self.engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._readers = async_sessionmaker(self._reader, expire_on_commit=False)

    @property
    def shared(self) -> bool:
        """Whether several processes (replicas) may use this store at once: PostgreSQL; one process owns an SQLite
        file."""
        return self.engine.dialect.name != "sqlite"

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A fresh session; the caller commits, anything uncommitted is rolled back on exit."""
        async with self._sessions() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only: a consistent snapshot that never holds up a writer."""
        async with self._readers() as session:  # closed at the end: the snapshot is let go, objects stay loaded
            yield session

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied.

        On SQLite a migration that alters a table copies it (Alembic's batch mode), which foreign keys would
        refuse while rows point at it: they are off during the migration and every reference is checked before
        it commits (as SQLite's own documentation on altering tables prescribes). A database already at the
        latest revision is left as it is without Alembic being imported (`storage.migrate.at_head`)."""
        from storage.migrate import at_head, upgrade_connection

        async with self.engine.connect() as connection:
            if await connection.run_sync(at_head):
                return
        sqlite = self.engine.dialect.name == "sqlite"
        async with self.engine.connect() as connection:
            if sqlite:
                await connection.run_sync(_foreign_keys, on=False)  # outside a transaction, or it does nothing
            try:
                async with connection.begin():
                    await connection.run_sync(upgrade_connection)
                    if sqlite and (broken := (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()):
                        raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
            finally:
                if sqlite:
                    await connection.run_sync(_foreign_keys, on=True)

    async def ping(self) -> None:
        """A query the database must answer (what /healthz asks)."""
        async with self.reading() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        await self._reader.dispose()


async def migrate(url: str) -> None:
    """Bring the database at `url` to the latest migration, and close it (a test's template, a bench's database)."""
    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()
