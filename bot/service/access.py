"""Getting in: invites and /start, /help, /toi."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import MAX_INVITE_HOURS
from bot.core.commands import REGISTRY
from bot.core.commands.access import NOTIFY_CHANNELS, Help, NotifyVia, Start, WhoAmI
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.permissions import Actor, Grant, Role, may_run
from bot.core.views import HelpView, Profile, Refusal, RoleView, Say, Welcome
from bot.service.context import Request, Settings
from storage import audit, people
from storage.models import ChatAccount, Membership

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


def grant_of(membership: Membership) -> Grant:
    """A membership as the core sees it."""
    return Grant(Role(membership.role), membership.department.code if membership.department else None)


def actor_of(account: ChatAccount | None, settings: Settings) -> Actor | None:
    """The core's view of a chat account: None unless it has an active membership."""
    if account is None:
        return None
    # A department taken out of the config leaves its focal people without that role.
    grants = tuple(grant_of(m) for m in account.person.memberships if m.department is None or m.department.active)
    return Actor(account.person.id, account.person.full_name, grants) if grants else None


def role_view(grant: Grant, settings: Settings) -> RoleView:
    """A grant as shown, with the department's name."""
    return RoleView(grant.role, settings.name(grant.department) if grant.department else None)


def may_start(command: object) -> bool:
    """Before registering, only redeeming an invite is answered as such."""
    return isinstance(command, Start) and command.code is not None


async def start(req: Request, command: Start) -> object:
    if command.code is None:
        return Say.of("start.registered", name=req.me.name)
    incoming, invites = req.incoming, req.settings.config.invites
    window = req.now - timedelta(minutes=invites.failure_window_minutes)
    failures = await people.count_invite_failures(req.session, window, incoming.channel, incoming.sender_id)
    if failures >= invites.max_failures:
        raise Refusal("invite.throttled", minutes=invites.failure_window_minutes)
    if await people.count_invite_failures(req.session, req.now - HOUR) >= invites.max_failures_per_hour:
        raise Refusal("invite.busy")  # many wrong codes from many accounts: someone is guessing
    invite = await people.get_invite(req.session, hash_invite_code(command.code))
    if invite is None:
        await people.add_invite_failure(req.session, incoming.channel, incoming.sender_id, req.now, keep=HOUR)
        raise Refusal("invite.unknown")
    if invite.department is not None and not invite.department.active:
        raise Refusal("invite.department_gone")  # the code is kept: the department may come back
    if invite.person_id is not None:
        return await _link(req, invite)
    grant = Grant(Role(invite.role), invite.department.code if invite.department else None)
    if invite.used_at is not None:
        if req.actor is not None and grant in req.actor.grants:
            return Say.of("start.registered", name=req.actor.name)
        raise Refusal("invite.used")
    if invite.expires_at <= req.now:
        raise Refusal("invite.expired")
    role = role_view(grant, req.settings)
    if req.actor is not None and grant in req.actor.grants:
        raise Refusal("invite.duplicate_role", role=role)
    account = await people.get_account(req.session, incoming.channel, incoming.sender_id)
    if account is None:
        account = await people.add_person_with_account(
            req.session,
            name=incoming.sender_name[:200] or incoming.sender_id,
            channel=incoming.channel,
            external_id=incoming.sender_id,
            now=req.now,
        )
    if not await people.claim_invite(req.session, invite.id, account_id=account.id, now=req.now):
        raise Refusal("invite.used")
    await people.add_membership(
        req.session, person_id=account.person_id, role=grant.role, department=grant.department, now=req.now
    )
    await audit.add_audit(
        req.session,
        now=req.now,
        actor_id=account.person_id,
        actor_label=incoming.sender_name,
        action="register",
        entity="invite",
        entity_id=invite.id,
        detail={"role": invite.role, "department": grant.department, "channel": incoming.channel},
    )
    return Welcome(account.person.full_name if req.actor is None else req.actor.name, role)


def commands_for(actor: Actor, consolidating: str | None = None) -> tuple[str, ...]:
    """The commands a person may use, in the order /help and the command menu list them."""
    return tuple(
        s.name
        for s in REGISTRY
        if not s.public and may_run(actor, s.roles, consolidating=consolidating if s.consolidating else None)
    )


async def _link(req: Request, invite) -> Say:
    """Another app joins an existing member: the same person, entries and roles on both."""
    incoming = req.incoming
    app = Say.of(f"app.{incoming.channel}")
    if req.actor is not None and req.actor.person_id == invite.person_id:
        return Say.of("link_app.already", app=app)
    if invite.used_at is not None:
        raise Refusal("invite.used")
    if invite.expires_at <= req.now:
        raise Refusal("invite.expired")
    if await people.get_account(req.session, incoming.channel, incoming.sender_id) is not None:
        raise Refusal("link_app.account_taken", app=app)
    person = await people.get_active_person(req.session, invite.person_id)
    if person is None:
        raise Refusal("link_app.member_gone")
    account = await people.add_account(
        req.session, person_id=person.id, channel=incoming.channel, external_id=incoming.sender_id, now=req.now
    )
    if not await people.claim_invite(req.session, invite.id, account_id=account.id, now=req.now):
        raise Refusal("invite.used")
    await audit.add_audit(
        req.session,
        now=req.now,
        actor_id=person.id,
        actor_label=person.full_name,
        action="link_app",
        entity="person",
        entity_id=person.id,
        detail={"channel": incoming.channel},
    )
    return Say.of("link_app.done", app=app, name=person.full_name, person_id=person.id)


async def help_(req: Request, command: Help) -> HelpView | Say:
    if command.topic is None:
        return HelpView(commands_for(req.me, req.settings.consolidating))
    spec = REGISTRY.get(command.topic)
    if spec is None:
        raise Refusal("access.unknown_command", command=command.topic)
    return Say.of("help.topic", line=Say.of(spec.help_key), usage=Say.of(spec.usage_key))


async def whoami(req: Request, command: WhoAmI) -> Profile:
    roles = tuple(role_view(g, req.settings) for g in req.me.grants)
    person = await people.get_person(req.session, req.me.person_id)
    apps = tuple(await people.account_channels(req.session, req.me.person_id))
    return Profile(req.me.person_id, req.me.name, roles, apps, person.notify_channel)


async def notify_via(req: Request, command: NotifyVia) -> Say:
    apps = await people.account_channels(req.session, req.me.person_id)
    if command.channel is not None and command.channel not in apps:
        raise Refusal("notify.not_linked", app=Say.of(f"app.{command.channel}"))
    await people.set_notify_channel(req.session, req.me.person_id, command.channel)
    await req.audit("notify_via", "person", req.me.person_id, channel=command.channel)
    where = Say.of(f"app.{command.channel}") if command.channel else Say.of("notify.every_app")
    return Say.of("notify.done", where=where)


async def channel_options(req: Request, missing: Missing) -> list[Option]:
    """The chat apps the person uses that reminders can go to, and all of them."""
    apps = await people.account_channels(req.session, req.me.person_id)
    chosen = [app for app in apps if app in NOTIFY_CHANNELS.values()]
    options = [Option(Say.of(f"app.{app}"), missing.template.format(app)) for app in chosen]
    return [*options, Option(Say.of("notify.every_app"), missing.template.format("ca_hai"))]


async def create_invite(
    session: AsyncSession,
    settings: Settings,
    role: Role,
    department: str | None,
    *,
    created_by: str,
    ttl_hours: int | None,
    now: datetime,
    person_id: int | None = None,
) -> NewInvite:
    """Make a single-use invite; the code is returned once and only its hash is stored.

    With `person_id`, the code links another app's account to that existing member.
    """
    if department is not None and department not in settings.codes:
        raise ValueError(f"không có phòng mã {department!r}")
    if ttl_hours is not None and not 1 <= ttl_hours <= MAX_INVITE_HOURS:
        raise ValueError(f"số giờ hiệu lực phải từ 1 đến {MAX_INVITE_HOURS}")
    expires_at = now + timedelta(hours=ttl_hours or settings.config.invites.ttl_hours)
    code = secrets.token_urlsafe(24)  # 192 bits, 32 characters of A-Z a-z 0-9 _ -
    if person_id is not None and await people.get_active_person(session, person_id) is None:
        raise ValueError(f"không có thành viên đang hoạt động mã {person_id}")
    invite = await people.add_invite(
        session,
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
        now=now,
        actor_label=created_by,
        action="invite",
        entity="invite",
        entity_id=invite.id,
        detail={
            "role": role,
            "department": department,
            "person": person_id,
            "expires_at": expires_at.isoformat(),
        },
    )
    return NewInvite(code, role, department, expires_at)


HANDLERS = {Start: start, Help: help_, WhoAmI: whoami, NotifyVia: notify_via}
ASKS = {Ask.CHANNEL: channel_options}
