"""Values the deployment keeps about itself, such as the day it started tracking."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Setting

TRACKING_START = "reminders_start"


async def get_setting(session: AsyncSession, key: str) -> str | None:
    """A stored setting."""
    return await session.scalar(select(Setting.value).where(Setting.key == key))


async def set_setting_once(session: AsyncSession, key: str, value: str) -> str:
    """Store a setting unless it already exists; the value in force."""
    existing = await get_setting(session, key)
    if existing is not None:
        return existing
    session.add(Setting(key=key, value=value))
    await session.flush()
    return value
