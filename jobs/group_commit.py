"""Group commit: the small writes of concurrent sends (a claim, an outcome) coalesced into one transaction.

Thirty sends in flight each claiming their row and recording their outcome would be sixty commits a second, each
one a disk flush that SQLite makes one at a time; written together they are a few. Each caller still waits for
the commit of its own write before going on (a row is claimed before its send, a send recorded before its next
step), so nothing is confirmed that is not stored. A batch that fails is written again one write at a time, so one
bad write fails only its own caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database

T = TypeVar("T")
Write = Callable[[AsyncSession], Awaitable[Any]]


class GroupCommit:
    """Runs each write given to `write` in a transaction shared with the writes that came while the last one was
    committing; returns its result once committed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._waiting: list[tuple[Write, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None

    async def write(self, write: Callable[[AsyncSession], Awaitable[T]]) -> T:
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting.append((write, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await asyncio.shield(future)  # a caller cancelled does not cancel the others' transaction

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                results = await self._commit([write for write, _ in batch])
            except Exception as err:
                if len(batch) == 1:
                    _settle(batch[0][1], error=err)
                    continue
                for write, future in batch:  # which one failed: each on its own
                    try:
                        (result,) = await self._commit([write])
                    except Exception as alone:
                        _settle(future, error=alone)
                    else:
                        _settle(future, result=result)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                _settle(future, result=result)

    async def _commit(self, writes: list[Write]) -> list[Any]:
        async with self.db.unit_of_work() as session:
            results = [await write(session) for write in writes]
            await session.commit()
        return results


def _settle(future: asyncio.Future, *, result: Any = None, error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
