"""Work that one process at a time may do among replicas sharing the store: the reminder sweep, and setup done
for every replica (registering a webhook).

On PostgreSQL a session-level advisory lock, held on a connection of its own: the server lets it go the moment
that connection dies (a replica killed), and the next replica to try takes it. On SQLite only one process can
use the file, so it always holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database, sqlite_file

logger = logging.getLogger(__name__)

SWEEP_LOCK = 641_2026  # the advisory lock's key: Kế hoạch 641, the year it began
SETUP_LOCK = 641_0534  # setup for every replica: Kế hoạch 641 and the Quyết định 534 it carries out


class ProcessLock:
    """A lock one process among replicas holds until it stops or dies."""

    def __init__(self, db: Database, key: int = SWEEP_LOCK) -> None:
        self.db, self.key = db, key
        self._connection: AsyncConnection | None = None

    async def hold(self) -> bool:
        """Whether this process holds the lock now, taking it if it is free."""
        if not self.db.shared:  # one process: nothing to lock
            return True
        if self._connection is not None:
            try:
                await self._connection.exec_driver_sql("SELECT 1")
                return True
            except Exception:  # the connection died, and the lock with it: another process may hold it now
                logger.warning("lost the connection holding the sweep lock; trying to take it again")
                await self._drop()
        connection = await self.db.engine.connect()
        try:
            taken = (await connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({int(self.key)})")).scalar()
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        logger.info("this process now runs the reminder sweep")
        self._connection = connection
        return True

    async def release(self) -> None:
        """Let another process take it (at stop)."""
        if self._connection is None:
            return
        with contextlib.suppress(Exception):
            await self._connection.exec_driver_sql(f"SELECT pg_advisory_unlock({int(self.key)})")
            await self._connection.commit()
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()


@contextlib.asynccontextmanager
async def one_at_a_time(db: Database, key: int = SETUP_LOCK) -> AsyncIterator[None]:
    """Processes sharing the store run the block one after another: entered once no other holds `key`, which is
    let go when the block ends or this process dies. On SQLite there is one process: nothing to wait for."""
    if not db.shared:
        yield
        return
    async with db.engine.connect() as connection:
        await connection.exec_driver_sql(f"SELECT pg_advisory_lock({int(key)})")
        await connection.commit()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # a connection that died has let the lock go already
                await connection.exec_driver_sql(f"SELECT pg_advisory_unlock({int(key)})")
                await connection.commit()


async def server_time(db: Database) -> datetime | None:
    """The database server's clock, a time source no user can move (None on SQLite, which has none of its own)."""
    if db.engine.dialect.name != "postgresql":
        return None
    async with db.engine.connect() as connection:
        value = (await connection.exec_driver_sql("SELECT statement_timestamp()")).scalar()
    return value.astimezone(UTC) if value is not None else None


class AlreadyRunning(Exception):
    """Another process already runs the bot on this SQLite file."""


@contextlib.contextmanager
def only_process(url: str) -> Iterator[None]:
    """On an SQLite file, refuse to run beside another process that runs on it (an exclusive lock on a file
    beside it, freed by the system whenever that process ends, even killed); PostgreSQL takes any number."""
    database = sqlite_file(url)
    if database is None:
        yield
        return
    path = database.with_name(f"{database.name}.run-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(str(database)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
