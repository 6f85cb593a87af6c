"""/web and what signing in to the pages is: a one-time link for the person who asks (a random token of 192 bits,
kept only as its SHA-256, usable once within ten minutes), the session it opens (a cookie of as many bits, kept
the same way, for eight hours), `/web dangxuat` ending them all, and who a session is right now: a member whose
roles were taken away is no one, and their sessions end the moment they are next used."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import local_date
from bot.core.commune import Commune
from bot.core.features.web import OpenWeb, SignedOut, SignOut, WebLink, parse_web
from bot.core.outcomes import Refused
from bot.core.permissions import EVERYONE, Actor
from bot.core.registry import Command, Feature
from bot.service.context import Context, Deployment, Source
from bot.service.registry import registry
from storage import people
from storage import web as store
from storage.db import Database

LINK_LIFE = timedelta(minutes=10)
SESSION_LIFE = timedelta(hours=8)
LINK_PATH = "/web/vao/"  # under the configured public URL; the token follows


def new_secret() -> tuple[str, str]:
    """A fresh secret and what is stored of it: 192 random bits as 32 URL-safe characters (the shape the logs
    mask), and its SHA-256."""
    secret = secrets.token_urlsafe(24)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    """What is stored of a link's token or a session's cookie."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Viewer:
    """Who a session is: a member with their roles now, and their commune (None: the province officer)."""

    actor: Actor
    commune: Commune | None


@dataclass(frozen=True)
class Opened:
    """A link redeemed: the session's cookie (shown to the browser once), until when, and whose it is."""

    cookie: str
    expires_at: datetime
    viewer: Viewer


async def open_web(ctx: Context, command: OpenWeb | SignOut) -> WebLink | SignedOut | Refused:
    """A sign-in link for the sender, in a private chat only; or every session of theirs ended."""
    web = ctx.deployment.web
    if not web.enabled or web.public_url is None:
        return Refused.of("web.disabled")
    if ctx.source.is_group:
        return Refused.of("web.private_only")
    me = ctx.me
    if isinstance(command, SignOut):
        ended = await store.end_sessions(ctx.session, me.commune_id, me.person_id, ctx.now)
        await ctx.audit("web_sign_out", "person", me.person_id, sessions=ended)
        return SignedOut(ended)
    token, digest = new_secret()
    expires_at = ctx.now + LINK_LIFE
    await store.add_link(
        ctx.session, me.commune_id, person_id=me.person_id, token_hash=digest, now=ctx.now, expires_at=expires_at
    )
    await ctx.audit("web_link", "person", me.person_id, expires_at=expires_at.isoformat())
    tz = (ctx.commune or next(iter(ctx.deployment.communes))).tz
    return WebLink(f"{web.public_url}{LINK_PATH}{token}", expires_at.astimezone(tz), LINK_LIFE.seconds // 60)


async def _viewer(session, deployment: Deployment, holder: store.Holder) -> Viewer | None:
    actor = await people.person_actor(session, holder.commune_id, holder.person_id)
    commune = deployment.communes.get(holder.commune_id)
    if actor is None or commune is None and not actor.is_province:
        return None  # no role left, or a commune no longer served
    return Viewer(actor, commune)


async def redeem(db: Database, deployment: Deployment, token: str, now: datetime) -> Opened | None:
    """Use a link up and open a session for its person; None for a link unknown, used, expired, or of someone
    who is no longer a member (the link is used up all the same)."""
    async with db.unit_of_work() as session:
        holder = await store.claim_link(session, hash_secret(token), now)
        if holder is None:
            return None
        viewer = await _viewer(session, deployment, holder)
        if viewer is None:
            await session.commit()
            return None
        cookie, digest = new_secret()
        expires_at = now + SESSION_LIFE
        await store.add_session(
            session, holder.commune_id, person_id=holder.person_id, token_hash=digest, now=now, expires_at=expires_at
        )
        await session.commit()
    return Opened(cookie, expires_at, viewer)


async def signed_in(db: Database, deployment: Deployment, cookie: str, now: datetime) -> Viewer | None:
    """Who the session with this cookie is now; None if there is none, it is over, or its person lost every role
    (then all their sessions end here)."""
    async with db.reading() as session:
        holder = await store.session_holder(session, hash_secret(cookie), now)
        if holder is None:
            return None
        viewer = await _viewer(session, deployment, holder)
    if viewer is None:
        async with db.unit_of_work() as session:
            await store.end_sessions(session, holder.commune_id, holder.person_id, now)
            await session.commit()
    return viewer


@asynccontextmanager
async def viewing(
    db: Database, deployment: Deployment, viewer: Viewer, now: datetime, commune: Commune | None = None
) -> AsyncIterator[Context]:
    """A read-only request of the pages, as the chat's use cases take one: the viewer, the commune looked at
    (theirs unless the province officer names one), its date."""
    place = commune or viewer.commune
    tz = (place or next(iter(deployment.communes))).tz
    actor = viewer.actor
    source = Source("web", f"person:{actor.person_id}", "", str(actor.person_id), actor.name)
    async with db.reading() as session:
        yield Context(session, deployment, source, actor, place, now, local_date(now, tz), registry=registry())


FEATURE = Feature(
    "web",
    order=90,
    commands=(Command("web", parse_web, open_web, EVERYONE, writes=False, aliases=("trangweb",)),),
)
