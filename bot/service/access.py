"""Getting in: invites and /start, /help, /toi, /kenh."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import MAX_INVITE_HOURS
from bot.core.commune import Commune
from bot.core.features.access import (
    NOTIFY_CHANNELS,
    Help,
    HelpView,
    NotifyVia,
    Profile,
    RoleView,
    Start,
    Welcome,
    WhoAmI,
    parse_help,
    parse_notify,
    parse_start,
    parse_whoami,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Refused, Say
from bot.core.permissions import ALL_ROLES, EVERYONE, Actor, Grant, Role, may_run
from bot.core.registry import Command, Feature, Registry
from bot.service.context import Context
from storage import audit, people
from storage.models.people import Invite

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class NewInvite:
    """A freshly made invite: the code is shown once and stored only hashed."""

    code: str
    role: Role
    department: str | None
    expires_at: datetime


def hash_invite_code(code: str) -> str:
    """What is stored of an invite code."""
    return hashlib.sha256(code.encode()).hexdigest()


def role_view(grant: Grant, commune: Commune | None) -> RoleView:
    """A grant as shown, with the department's name."""
    department = commune.department_name(grant.department) if grant.department and commune else grant.department
    return RoleView(grant.role, department)


def may_start(command: object) -> bool:
    """Before registering, only redeeming an invite is answered as such."""
    return isinstance(command, Start) and command.code is not None


async def start(ctx: Context, command: Start) -> object:
    if command.code is None:
        return Say.of("start.registered", name=ctx.me.name)
    source, invites = ctx.source, ctx.deployment.invites
    window = ctx.now - timedelta(minutes=invites.failure_window_minutes)
    failures = await people.count_invite_failures(ctx.session, window, source.channel, source.sender_id)
    # Many wrong codes from everyone together: someone is guessing. Each account then gets one try a window,
    # which slows the guessers down; a newcomer with a valid code is never turned away for what others did.
    guessing = await people.count_invite_failures(ctx.session, ctx.now - HOUR) >= invites.max_failures_per_hour
    if failures >= (1 if guessing else invites.max_failures):
        # A try while held back counts too: who keeps guessing stays held back, who waits gets their tries again.
        await people.add_invite_failure(ctx.session, source.channel, source.sender_id, ctx.now, keep=HOUR)
        return Refused.of("invite.throttled", minutes=invites.failure_window_minutes)
    invite = await people.get_invite(ctx.session, hash_invite_code(command.code))
    if invite is None:
        await people.add_invite_failure(ctx.session, source.channel, source.sender_id, ctx.now, keep=HOUR)
        return Refused.of("invite.unknown")
    if invite.department is not None and not invite.department.active:
        return Refused.of("invite.department_gone")  # the code is kept: the department may come back
    if invite.person_id is not None:
        return await _link(ctx, invite)
    commune = ctx.deployment.communes.get(invite.commune_id)
    grant = Grant(Role(invite.role), invite.department.code if invite.department else None)
    if invite.used_at is not None:
        if ctx.actor is not None and grant in ctx.actor.grants:
            return Say.of("start.registered", name=ctx.actor.name)
        return Refused.of("invite.used")
    if invite.expires_at <= ctx.now:
        return Refused.of("invite.expired")
    role = role_view(grant, commune)
    account = await people.identify(ctx.session, source.channel, source.sender_id)
    if account is not None and account.commune_id != invite.commune_id:
        elsewhere = ctx.deployment.communes.get(account.commune_id)
        return Refused.of("invite.other_commune", commune=elsewhere.name if elsewhere else Say.of("role.province"))
    if ctx.actor is not None and grant in ctx.actor.grants:
        return Refused.of("invite.duplicate_role", role=role)
    if account is None:
        new = await people.add_person_with_account(
            ctx.session,
            invite.commune_id,
            name=source.sender_name[:200] or source.sender_id,
            channel=source.channel,
            external_id=source.sender_id,
            now=ctx.now,
        )
        account_id, person_id, name = new.id, new.person_id, new.person.full_name
    else:
        person = await people.get_person(ctx.session, account.commune_id, account.person_id)
        account_id, person_id, name = account.account_id, account.person_id, person.full_name
    if not await people.claim_invite(ctx.session, invite, account_id=account_id, now=ctx.now):
        return Refused.of("invite.used")
    await people.add_membership(
        ctx.session, invite.commune_id, person_id=person_id, role=grant.role, department=grant.department, now=ctx.now
    )
    await audit.add_audit(
        ctx.session,
        invite.commune_id,
        now=ctx.now,
        actor_id=person_id,
        actor_label=source.sender_name,
        action="register",
        entity="invite",
        entity_id=invite.id,
        detail={"role": invite.role, "department": grant.department, "channel": source.channel},
    )
    return Welcome(name if ctx.actor is None else ctx.actor.name, role)


def commands_for(registry: Registry, actor: Actor, consolidating: str | None = None) -> tuple[str, ...]:
    """The commands a person may use, in the order /help and the command menu list them."""
    return tuple(
        c.name
        for c in registry
        if not c.public and may_run(actor, c.roles, consolidating=consolidating if c.consolidating else None)
    )


async def _link(ctx: Context, invite: Invite) -> object:
    """Another app joins an existing member: the same person, entries and roles on both."""
    source = ctx.source
    app = Say.of(f"app.{source.channel}")
    if ctx.actor is not None and ctx.actor.person_id == invite.person_id:
        return Say.of("link_app.already", app=app)
    if invite.used_at is not None:
        return Refused.of("invite.used")
    if invite.expires_at <= ctx.now:
        return Refused.of("invite.expired")
    if await people.identify(ctx.session, source.channel, source.sender_id) is not None:
        return Refused.of("link_app.account_taken", app=app)
    person = await people.get_active_person(ctx.session, invite.commune_id, invite.person_id)
    if person is None:
        return Refused.of("link_app.member_gone")
    account = await people.add_account(
        ctx.session, person_id=person.id, channel=source.channel, external_id=source.sender_id, now=ctx.now
    )
    if not await people.claim_invite(ctx.session, invite, account_id=account.id, now=ctx.now):
        return Refused.of("invite.used")
    await audit.add_audit(
        ctx.session,
        invite.commune_id,
        now=ctx.now,
        actor_id=person.id,
        actor_label=person.full_name,
        action="link_app",
        entity="person",
        entity_id=person.id,
        detail={"channel": source.channel},
    )
    return Say.of("link_app.done", app=app, name=person.full_name, person_id=person.id)


async def help_(ctx: Context, command: Help) -> HelpView | Say | Refused:
    consolidating = ctx.commune.consolidating if ctx.commune else None
    if command.topic is None:
        return HelpView(commands_for(ctx.registry, ctx.me, consolidating))
    found = ctx.registry.get(command.topic)
    if found is None:
        return Refused.of("access.unknown_command", command=command.topic)
    line = Say.of("help.line", command=found.name, summary=Say.of(found.summary_key))
    return Say.of("help.topic", line=line, usage=Say.of(found.usage_key))


async def whoami(ctx: Context, command: WhoAmI) -> Profile:
    roles = tuple(role_view(g, ctx.commune) for g in ctx.me.grants)
    person = await people.get_person(ctx.session, ctx.me.commune_id, ctx.me.person_id)
    apps = tuple(await people.account_channels(ctx.session, ctx.me.person_id))
    commune = ctx.commune.name if ctx.commune is not None and ctx.deployment.several else None
    return Profile(ctx.me.person_id, ctx.me.name, roles, apps, person.notify_channel, commune)


async def notify_via(ctx: Context, command: NotifyVia) -> Say | Refused:
    apps = await people.account_channels(ctx.session, ctx.me.person_id)
    if command.channel is not None and command.channel not in apps:
        return Refused.of("notify.not_linked", app=Say.of(f"app.{command.channel}"))
    await people.set_notify_channel(ctx.session, ctx.me.commune_id, ctx.me.person_id, command.channel)
    await ctx.audit("notify_via", "person", ctx.me.person_id, channel=command.channel)
    where = Say.of(f"app.{command.channel}") if command.channel else Say.of("notify.every_app")
    return Say.of("notify.done", where=where)


async def channel_options(ctx: Context, missing: Missing) -> list[Option]:
    """The chat apps the person uses that reminders can go to, and all of them."""
    apps = await people.account_channels(ctx.session, ctx.me.person_id)
    chosen = [app for app in apps if app in NOTIFY_CHANNELS.values()]
    if len(chosen) < 2:
        return []  # one app or none: nothing to choose between (said by ask.channel_none)
    options = [Option(Say.of(f"app.{app}"), missing.template.format(app)) for app in chosen]
    return [*options, Option(Say.of("option.every_app"), missing.template.format("ca_hai"))]


async def create_invite(
    session: AsyncSession,
    commune: Commune | None,
    role: Role | None,
    department: str | None,
    *,
    created_by: str,
    ttl_hours: int,
    now: datetime,
    person_id: int | None = None,
) -> NewInvite:
    """Make a single-use invite to a commune (None: the province); the code is returned once, only its hash kept.

    With `person_id`, the code links another app's account to that existing member."""
    if department is not None and (commune is None or department not in commune.codes):
        raise ValueError(f"không có phòng mã {department!r}")
    if not 1 <= ttl_hours <= MAX_INVITE_HOURS:
        raise ValueError(f"số giờ hiệu lực phải từ 1 đến {MAX_INVITE_HOURS}")
    commune_id = commune.id if commune else None
    expires_at = now + timedelta(hours=ttl_hours)
    code = secrets.token_urlsafe(24)  # 192 bits, 32 characters of A-Z a-z 0-9 _ -
    if person_id is not None and await people.get_active_person(session, commune_id, person_id) is None:
        raise ValueError(f"không có thành viên đang hoạt động mã {person_id}")
    invite = await people.add_invite(
        session,
        commune_id,
        code_hash=hash_invite_code(code),
        role="link" if person_id is not None else role,
        department=department,
        now=now,
        expires_at=expires_at,
        created_by=created_by,
        person_id=person_id,
    )
    await audit.add_audit(
        session,
        commune_id,
        now=now,
        actor_label=created_by,
        action="invite",
        entity="invite",
        entity_id=invite.id,
        detail={"role": role, "department": department, "person": person_id, "expires_at": expires_at.isoformat()},
    )
    return NewInvite(code, role, department, expires_at)


FEATURE = Feature(
    "access",
    order=10,
    commands=(
        Command("start", parse_start, start, EVERYONE, writes=True, public=True),
        Command("help", parse_help, help_, ALL_ROLES, writes=False, aliases=("trogiup", "huongdan")),
        Command("toi", parse_whoami, whoami, ALL_ROLES, writes=False),
        Command("kenh", parse_notify, notify_via, ALL_ROLES, writes=True, aliases=("kenhnhac",)),
    ),
    asks={Ask.CHANNEL: channel_options},
)
