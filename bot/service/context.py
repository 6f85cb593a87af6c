"""What every use case is handed: the settings derived from the configuration, and the request in hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.core.calendar import CALENDAR, WorkCalendar
from bot.core.commands.registry import RawCommand
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Incoming
from bot.core.permissions import Actor, may_act_for, resolve_department
from bot.core.reports import ReportKind
from bot.core.views import Refusal
from storage import audit, chats


@dataclass(frozen=True)
class Settings:
    """The configuration as the use cases need it, derived once."""

    config: Config
    tz: ZoneInfo
    codes: tuple[str, ...]
    names: dict[str, str]
    reports: tuple[ReportKind, ...]
    consolidating: str | None = None  # the department that guides, chases and consolidates (Phòng VH-XH)
    calendar: WorkCalendar = CALENDAR

    @classmethod
    def of(cls, config: Config) -> Settings:
        return cls(
            config=config,
            tz=config.commune.tz,
            codes=config.department_codes,
            names=config.department_names,
            reports=config.report_kinds,
            consolidating=config.consolidating_department,
        )

    def name(self, code: str) -> str:
        """A department's full name (its code if it is no longer configured)."""
        return self.names.get(code, code)


@dataclass
class Request:
    """One message being handled: its session, sender, time and command."""

    session: AsyncSession
    settings: Settings
    incoming: Incoming
    actor: Actor | None
    now: datetime
    today: date  # the commune's date of the message
    raw: RawCommand | None = None
    confirmed: bool = False  # an answer to "are you sure?"
    jobs: list = field(default_factory=list)  # files to make once the answer is committed

    @property
    def me(self) -> Actor:
        """The registered sender (the pipeline lets no one else past a member-only command)."""
        assert self.actor is not None
        return self.actor

    async def department_for(self, named: str | None) -> str:
        """The department an entry is for (named, the group's, or the sender's only one); asked if unclear."""
        incoming = self.incoming
        group = None
        if incoming.is_group:
            group = await chats.get_group_department(self.session, incoming.channel, incoming.chat_id)
        department = resolve_department(self.me, named, group)
        if department is None:
            raise Missing(Ask.DEPARTMENT, f"/{self.raw.word} {{}} {self.raw.args}".rstrip())
        if not may_act_for(self.me, department):
            raise Refusal("entry.not_your_department", codes=", ".join(self.me.focal_departments))
        return department

    async def audit(self, action: str, entity: str, entity_id: object = None, **detail: object) -> None:
        """Record a change made by the sender, in this transaction."""
        await audit.add_audit(
            self.session,
            now=self.now,
            actor_id=self.me.person_id,
            actor_label=self.me.name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
