"""The web pages' sign-in links and sessions, by the SHA-256 of their secret. Finding one by its hash is the edge
(the secret decides whose it is and so the commune); everything after that is scoped to the person's commune
(`None` for the province officer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.web import WebLink, WebSession
from storage.people import EDGE, _in


@dataclass(frozen=True)
class Holder:
    """Whose a link or a session is."""

    commune_id: int | None
    person_id: int


async def _add_token(session: AsyncSession, model, commune_id: int | None, **row) -> None:
    """Store a new token row (a link or a session) for one of the commune's people, and forget that person's
    rows of the kind long expired."""
    await session.execute(
        delete(model).where(
            _in(model.commune_id, commune_id), model.person_id == row["person_id"], model.expires_at < row["created_at"]
        )
    )
    session.add(model(commune_id=commune_id, **row))
    await session.flush()


async def add_link(
    session: AsyncSession,
    commune_id: int | None,
    *,
    person_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Store a new sign-in link for one of the commune's people, and forget that person's links long expired."""
    row = {"person_id": person_id, "token_hash": token_hash, "created_at": now, "expires_at": expires_at}
    await _add_token(session, WebLink, commune_id, **row)


async def claim_link(session: AsyncSession, token_hash: str, now: datetime) -> Holder | None:
    """Use a link up, atomically (of two redemptions at once exactly one wins): whose it was, or None if it is
    unknown, used or expired."""
    query = (
        update(WebLink)
        .where(WebLink.token_hash == token_hash, WebLink.used_at.is_(None), WebLink.expires_at > now)
        .values(used_at=now)
        .returning(WebLink.commune_id, WebLink.person_id)
    )
    row = (await session.execute(query.execution_options(**EDGE))).first()
    return Holder(*row) if row is not None else None


async def add_session(
    session: AsyncSession,
    commune_id: int | None,
    *,
    person_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Open a session for one of the commune's people, and forget that person's sessions long over."""
    row = {"person_id": person_id, "token_hash": token_hash, "created_at": now, "expires_at": expires_at}
    await _add_token(session, WebSession, commune_id, **row)


async def session_holder(session: AsyncSession, token_hash: str, now: datetime) -> Holder | None:
    """Whose the session with this cookie is, while it lasts and was not ended."""
    query = select(WebSession.commune_id, WebSession.person_id).where(
        WebSession.token_hash == token_hash, WebSession.ended_at.is_(None), WebSession.expires_at > now
    )
    row = (await session.execute(query.execution_options(**EDGE))).first()
    return Holder(*row) if row is not None else None


async def end_sessions(session: AsyncSession, commune_id: int | None, person_id: int, now: datetime) -> int:
    """End every open session of one of the commune's people (and their unused links); how many sessions."""
    await session.execute(
        update(WebLink)
        .where(_in(WebLink.commune_id, commune_id), WebLink.person_id == person_id, WebLink.used_at.is_(None))
        .values(used_at=now)
    )
    result = await session.execute(
        update(WebSession)
        .where(
            _in(WebSession.commune_id, commune_id),
            WebSession.person_id == person_id,
            WebSession.ended_at.is_(None),
            WebSession.expires_at > now,
        )
        .values(ended_at=now)
    )
    return result.rowcount or 0
