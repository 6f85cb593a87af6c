"""The audit log: who did what, when, written in the transaction of the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.system import AuditEvent


async def add_audit(
    session: AsyncSession,
    commune_id: int | None,
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: object = None,
    actor_id: int | None = None,
    actor_label: str = "",
    detail: dict | None = None,
) -> None:
    """Record who did what, when, in which commune (None: the deployment itself), in the transaction of the change."""
    session.add(
        AuditEvent(
            commune_id=commune_id,
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
