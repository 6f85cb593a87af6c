"""Group commit: concurrent writes share a transaction, each caller returns once its own write is committed, and
one bad write fails only its caller."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, select, update

from jobs.group_commit import GroupCommit
from storage.models.messaging import OutboxMessage
from tests.jobs.test_sender import put
from tests.support.db import inspecting


@pytest.fixture
def commits(service) -> list[int]:
    """Counts the writer's commits."""
    seen: list[int] = []
    event.listen(service.db.engine.sync_engine, "commit", lambda conn: seen.append(1))
    return seen


async def texts(service) -> list[str]:
    async with inspecting(service.db) as session:
        return list(await session.scalars(select(OutboxMessage.text).order_by(OutboxMessage.chat_id)))


def retext(chat: str, body: str):
    async def write(session) -> str:
        await session.execute(update(OutboxMessage).where(OutboxMessage.chat_id == chat).values(text=body))
        return chat

    return write


async def test_writes_that_come_together_are_committed_together(service, commits):
    await put(service, "1", "2", "3")
    writes = GroupCommit(service.db)
    commits.clear()
    done = await asyncio.gather(*(writes.write(retext(chat, f"Đã sửa {chat}")) for chat in "123"))
    assert done == ["1", "2", "3"] and len(commits) == 1, "three writes, one commit, each its own result"
    assert await texts(service) == ["Đã sửa 1", "Đã sửa 2", "Đã sửa 3"]


async def test_a_write_that_fails_fails_alone(service):
    await put(service, "1", "2")
    writes = GroupCommit(service.db)

    async def broken(session) -> None:
        await session.execute(update(OutboxMessage).values(text="lẽ ra không được ghi"))
        raise ValueError("hỏng")

    results = await asyncio.gather(
        writes.write(retext("1", "Một")), writes.write(broken), writes.write(retext("2", "Hai")),
        return_exceptions=True,
    )  # fmt: skip
    assert results[0] == "1" and isinstance(results[1], ValueError) and results[2] == "2"
    assert await texts(service) == ["Một", "Hai"], "the others written, none of the broken one's change"
