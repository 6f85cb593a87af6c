"""What the deployment records about itself, by key (such as which webhook it last registered)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.system import Setting


async def value(session: AsyncSession, key: str) -> str | None:
    """The value kept under `key`, or None."""
    return (await session.execute(select(Setting.value).where(Setting.key == key))).scalar_one_or_none()


async def put(session: AsyncSession, key: str, new: str) -> None:
    """Keep `new` under `key`, replacing what was there."""
    setting = await session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=new))
    else:
        setting.value = new
