"""The audit log: who did what, when, written in the transaction of the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent


async def add_audit(
    session: AsyncSession,
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: object = None,
    actor_id: int | None = None,
    actor_label: str = "",
    detail: dict | None = None,
) -> None:
    """Record who did what, when, in the transaction of the change."""
    session.add(
        AuditEvent(
            at=now,
            actor_id=actor_id,
            actor_label=actor_label[:100],
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail or {},
        )
    )
    await session.flush()
