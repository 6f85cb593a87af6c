"""What every use case is handed: who acts, in which commune, through which channel or page (`Source`), and the
request in hand (`Context`): its session, time, and the deployment's settings. A use case never sees a chat
message: the chat, the CLI and the web page all reach it through these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.sections import ExportsConfig, InvitesConfig, WebConfig
from bot.core.commune import Commune, Communes
from bot.core.grammar import Ask, Missing
from bot.core.messages import Incoming
from bot.core.outcomes import Refused
from bot.core.permissions import Actor, may_act_for, resolve_department
from bot.core.registry import RawCommand, Registry
from storage import audit, conversations, inbox, outbox
from storage.chats import Group


@dataclass(frozen=True)
class Deployment:
    """What use cases need of the deployment besides the commune in hand."""

    communes: Communes
    invites: InvitesConfig = InvitesConfig()
    exports: ExportsConfig = ExportsConfig()
    name: str = ""  # whom it serves: the province, or its one commune
    web: WebConfig = WebConfig()  # the pages `/web` links to

    @property
    def several(self) -> bool:
        """Whether it serves more than one commune (a province)."""
        return len(self.communes) > 1


@dataclass(frozen=True)
class Source:
    """Where a request comes from: a channel (telegram, zalo, console, web, cli), the chat or page, the request's
    own id there (what its answer is kept under), and who sent it."""

    channel: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str = ""
    is_group: bool = False
    attachment: str | None = None  # the channel's id of a file sent with it
    upload: str | None = None  # where the channel saved a file sent for import
    upload_bytes: int | None = None  # its size as announced: a file over the limit is refused unsaved
    bot_name: str | None = None  # the bot's username on the channel, for a deep link

    @classmethod
    def of(cls, incoming: Incoming) -> Source:
        """A chat message as a source."""
        return cls(
            incoming.channel,
            incoming.chat_id,
            incoming.message_id,
            incoming.sender_id,
            incoming.sender_name,
            incoming.is_group,
            incoming.attachment,
            incoming.upload,
            incoming.upload_bytes,
            incoming.bot_name,
        )


@dataclass
class Context:
    """One request being handled: its session, source, actor and commune, time, and the command as typed."""

    session: AsyncSession
    deployment: Deployment
    source: Source
    actor: Actor | None
    commune: Commune | None  # the actor's (None: not registered yet, or the province officer)
    now: datetime
    today: date  # the commune's date of the request
    group: Group | None = None  # the department of the actor's commune a group chat is bound to
    registry: Registry | None = None  # every command, for those that speak of the others (/help)
    raw: RawCommand | None = None
    confirmed: bool = False  # an answer to "are you sure?"
    told_others: bool = False  # messages for other chats were queued (`tell`): the sender is woken for them
    handling: inbox.Handling | None = None  # what marking a chat message's update handled read first

    async def replied_before(self, key: conversations.Source) -> str | None:
        """The reply the message (or the pick) behind `key` got before, if it changed something: read as its
        handling began, when it was."""
        if self.handling is not None and self.handling.message == key:
            return self.handling.reply
        return await conversations.get_handled_reply(self.session, key)

    async def tell(self, key: outbox.OutboxKey, recipients, text: str, *, body: dict | None = None) -> None:
        """Queue a message for other chats (a department told of its task, a nudge), sent after this answer."""
        await outbox.enqueue(self.session, key, recipients, text, due_at=self.now, now=self.now, body=body)
        self.told_others = True

    @property
    def me(self) -> Actor:
        """The registered sender (the pipeline lets no one else past a member-only command)."""
        assert self.actor is not None
        return self.actor

    @property
    def here(self) -> Commune:
        """The commune the request is about (the pipeline lets no one without one past a commune's command)."""
        assert self.commune is not None
        return self.commune

    @property
    def typed(self) -> str:
        """The command as typed: '/hop tructuyen Giao ban'."""
        return f"/{self.raw.word} {self.raw.args}".rstrip() if self.raw else ""

    def department_for(self, named: str | None) -> str | Missing | Refused:
        """The department an entry is for (named, the group's, or the sender's only one); asked if unclear."""
        group = self.group.department if self.group is not None else None
        department = resolve_department(self.me, named, group)
        if department is None:
            return Missing(Ask.DEPARTMENT, f"/{self.raw.word} {{}} {self.raw.args}".rstrip())
        if not may_act_for(self.me, department):
            return Refused.of("entry.not_your_department", codes=", ".join(self.me.focal_departments))
        return department

    def department_name(self, code: str) -> str:
        """A department's full name in this commune."""
        return self.here.department_name(code)

    async def audit(self, action: str, entity: str, entity_id: object = None, **detail: object) -> None:
        """Record a change made by the sender, in this transaction."""
        await audit.add_audit(
            self.session,
            self.commune.id if self.commune else None,
            now=self.now,
            actor_id=self.me.person_id,
            actor_label=self.me.name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
