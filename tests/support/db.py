"""The tests' own look at the database: a session whose queries may span communes (what a test checks is the
whole database), which the commune-isolation guard lets through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database

EVERY_COMMUNE = {"all_communes": True}


@asynccontextmanager
async def inspecting(db: Database, *, write: bool = True) -> AsyncIterator[AsyncSession]:
    """A session over every commune (a writing one, unless `write` is False)."""
    async with db.unit_of_work() if write else db.reading() as session:
        await session.connection(execution_options=EVERY_COMMUNE)
        yield session
