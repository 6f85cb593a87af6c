"""Runs a command: who is asking, may they, what did they mean, what changes, what to answer.

Channel adapters call `Service.handle`; the CLI calls the invite and member functions.
One unit of work per call; every change is committed, with its audit row and its reply,
before the reply is returned, so a confirmed entry survives a crash and a redelivered
message gets the same answer without a second write.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config, ReportConfig
from bot.core import commands as c
from bot.core.calendar import WorkCalendar, annual_due
from bot.core.clock import Clock, local_date, utc_now
from bot.core.messages import Button, Incoming, Reply
from bot.core.permissions import PERMISSIONS, Actor, Grant, Role, may_run, resolve_department
from bot.core.targets import Counts, TaskCounts, compute_target_report, render_target_report
from bot.core.texts import format_date, format_left, format_percent, format_weekday, text, usage
from storage import queries as q
from storage.db import Database
from storage.models import ChatAccount, Document, DossierTally, Entry, Meeting, ReportSubmission, Task

logger = logging.getLogger(__name__)

MUTATING = (
    c.Start,
    c.LogMeeting,
    c.LogDocument,
    c.LogDossiers,
    c.Cancel,
    c.LinkGroup,
    c.Revoke,
    c.Submit,
    c.Assign,
    c.Progress,
    c.Done,
)
TRACKING_START = "reminders_start"
MAX_TASK_LINES = 15


class Refusal(Exception):
    """A command that cannot be carried out; its text is the answer and nothing is written."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.reply = text(key, **values)


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


def actor_of(account: ChatAccount | None) -> Actor | None:
    """The core's view of a chat account: None unless it has an active membership."""
    if account is None or not account.person.memberships:
        return None
    # A department taken out of the config leaves its focal people without that role.
    grants = tuple(_grant(m) for m in account.person.memberships if m.department is None or m.department.active)
    if not grants:
        return None
    return Actor(account.person.id, account.person.full_name, grants)


def describe_grant(grant: Grant, department_names: Mapping[str, str]) -> str:
    """'đầu mối – Phòng Kinh tế'."""
    where = text("where.department", department=department_names.get(grant.department, grant.department))
    return text(f"role.{grant.role}") + (where if grant.department else "")


class Service:
    """The application's use cases, shared by every channel and the CLI."""

    def __init__(
        self, config: Config, db: Database, clock: Clock = utc_now, on_enqueued: Callable[[], None] | None = None
    ) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.on_enqueued = on_enqueued  # wakes the outbox sender when a command queues a message
        self.tz = config.commune.tz
        self.codes = [d.code for d in config.departments]
        self.department_names = {d.code: d.name for d in config.departments}
        self.targets = config.targets.to_targets()
        self.report_codes = [r.code for r in config.reports]
        self.calendar = WorkCalendar()

    async def prepare(self) -> None:
        """Bring the schema up to date and the departments in line with the config."""
        await self.db.upgrade()
        async with self.db.unit_of_work() as session:
            await q.sync_departments(session, ((d.code, d.name) for d in self.config.departments))
            await q.set_setting_once(session, TRACKING_START, local_date(self.clock(), self.tz).isoformat())
            await session.commit()

    async def tracking_start(self, session: AsyncSession) -> date:
        """Report periods due before this day are never chased: the config's, else the database's first day."""
        if self.config.reminders.start is not None:
            return self.config.reminders.start
        stored = await q.get_setting(session, TRACKING_START)
        return date.fromisoformat(stored) if stored else local_date(self.clock(), self.tz)

    def report_due(self, report: ReportConfig, year: int) -> date:
        """The due date of a report kind in a year."""
        day, month = report.due_day_month
        return annual_due(year, month, day)

    def required_departments(self, report: ReportConfig) -> list[str]:
        """Codes of the departments that owe a report (all when the config lists none)."""
        return list(report.departments) or list(self.codes)

    # --- chat ------------------------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> Reply | None:
        """Answer one message; None only for chatter in a group that is not a command."""
        try:
            return await self._handle(incoming)
        except IntegrityError:
            # Two deliveries of one message raced (possible on PostgreSQL): the loser reads the winner's reply.
            logger.info(
                "concurrent delivery of %s/%s; answering from the record", incoming.chat_id, incoming.message_id
            )
            return await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> Reply | None:
        raw = c.split_command(incoming.text)
        now = self.clock()
        async with self.db.unit_of_work() as session:
            account = await q.get_account(session, incoming.channel, incoming.sender_id)
            actor = actor_of(account)
            if account is not None and account.unreachable_at is not None and not incoming.is_group:
                await q.clear_account_unreachable(session, incoming.channel, incoming.sender_id)
                await session.commit()  # writing in private means the bot is unblocked
            if raw is None:
                if incoming.is_group:
                    return None
                return Reply(text("access.unregistered" if actor is None else "access.not_a_command"))
            if incoming.is_group and await q.clear_group_unreachable(session, incoming.channel, incoming.chat_id):
                await session.commit()  # a command in the group means the bot is back in it
            if raw.name is None:
                return Reply(
                    text("access.unregistered" if actor is None else "access.unknown_command", command=raw.word)
                )
            if not may_run(actor, raw.name):
                return Reply(text("access.unregistered" if actor is None else "access.denied", command=raw.name))
            try:
                command = c.parse_command(
                    raw.name, raw.args, today=local_date(now, self.tz), codes=self.codes, reports=self.report_codes
                )
            except c.ParseError as err:
                return Reply(text(err.key, **err.values) + "\n" + usage(err.command))
            if isinstance(command, c.Start) and actor is None and command.code is None:
                return Reply(text("access.unregistered"))
            source = q.Source(incoming.channel, incoming.chat_id, incoming.message_id)
            if isinstance(command, MUTATING) and (previous := await q.get_handled_reply(session, source)):
                return Reply(previous)
            try:
                reply = await self._run(session, command, actor, incoming, now)
            except Refusal as refusal:
                await session.commit()  # only what a refusal must keep (a wrong invite code) was written
                return Reply(refusal.reply)
            if isinstance(command, MUTATING):
                await q.add_handled_reply(session, source, reply.text, now)
            await session.commit()
            return reply

    async def _run(
        self, session: AsyncSession, command: c.Command, actor: Actor | None, incoming: Incoming, now: datetime
    ) -> Reply:
        if isinstance(command, c.Start):
            return Reply(await self._start(session, command, actor, incoming, now))
        assert actor is not None  # may_run let no one else through
        match command:
            case c.Help():
                return Reply(self._help(actor))
            case c.WhoAmI():
                roles = ", ".join(describe_grant(g, self.department_names) for g in actor.grants)
                return Reply(text("whoami", name=actor.name, person_id=actor.person_id, roles=roles))
            case c.AskMeetingMode(department=named):
                await self._department_for(session, actor, named, incoming, c.CommandName.MEETING)
                prefix = f"/hop {named} " if named else "/hop "
                buttons = (
                    Button(text("button.online"), prefix + "truc_tuyen"),
                    Button(text("button.in_person"), prefix + "truc_tiep"),
                )
                return Reply(text("ask.meeting_kind"), (buttons,))
            case c.LogMeeting() | c.LogDocument() | c.LogDossiers():
                return Reply(await self._log(session, command, actor, incoming, now))
            case c.Cancel(entry_id=entry_id):
                return Reply(await self._cancel(session, entry_id, actor, now))
            case c.ShowTargets():
                return Reply(await self._targets(session, command, actor, now))
            case c.LinkGroup(department=code):
                return Reply(await self._link(session, code, actor, incoming, now))
            case c.ListMembers():
                return Reply(await self.members_text(session))
            case c.Revoke(person_id=person_id):
                if person_id == actor.person_id:
                    raise Refusal("revoke.self")
                return Reply(await self.revoke(session, person_id, actor_id=actor.person_id, label=actor.name, now=now))
            case c.Submit():
                return Reply(await self._submit(session, command, actor, incoming, now))
            case c.ShowReports():
                return Reply(await self._reports(session, command, now))
            case c.Assign():
                return Reply(await self._assign(session, command, actor, incoming, now))
            case c.ListTasks(department=department):
                return Reply(await self._tasks(session, department, actor, now))
            case c.Progress() | c.Done():
                return Reply(await self._update_task(session, command, actor, now))
        raise AssertionError(f"unhandled command {command!r}")

    def _help(self, actor: Actor) -> str:
        lines = [text("help.header")]
        for name in c.CommandName:
            if name is not c.CommandName.START and actor.roles & PERMISSIONS[name]:
                lines.append(text(f"help.{name}"))
        return "\n".join(lines)

    # --- registration ----------------------------------------------------------------------

    async def _start(
        self, session: AsyncSession, command: c.Start, actor: Actor | None, incoming: Incoming, now: datetime
    ) -> str:
        if command.code is None:
            return text("start.registered", name=actor.name)
        settings = self.config.invites
        window = now - timedelta(minutes=settings.failure_window_minutes)
        failures = await q.count_invite_failures(session, incoming.channel, incoming.sender_id, window)
        if failures >= settings.max_failures:
            raise Refusal("invite.throttled", minutes=settings.failure_window_minutes)
        invite = await q.get_invite(session, hash_invite_code(command.code))
        if invite is None:
            await q.add_invite_failure(session, incoming.channel, incoming.sender_id, now)
            raise Refusal("invite.unknown")
        grant = Grant(Role(invite.role), invite.department.code if invite.department else None)
        if invite.used_at is not None:
            if actor is not None and grant in actor.grants:
                return text("start.registered", name=actor.name)
            raise Refusal("invite.used")
        if invite.expires_at <= now:
            raise Refusal("invite.expired")
        if actor is not None and grant in actor.grants:
            raise Refusal("invite.duplicate_role", role=text(f"role.{grant.role}"), where=self._where(grant))
        account = await q.get_account(session, incoming.channel, incoming.sender_id)
        if account is None:
            account = await q.add_person_with_account(
                session,
                name=incoming.sender_name[:200] or incoming.sender_id,
                channel=incoming.channel,
                external_id=incoming.sender_id,
                now=now,
            )
        if not await q.claim_invite(session, invite.id, account_id=account.id, now=now):
            raise Refusal("invite.used")
        await q.add_membership(
            session, person_id=account.person_id, role=invite.role, department_id=invite.department_id, now=now
        )
        await q.add_audit(
            session,
            now=now,
            actor_id=account.person_id,
            actor_label=incoming.sender_name,
            action="register",
            entity="invite",
            entity_id=invite.id,
            detail={"role": invite.role, "department": grant.department, "channel": incoming.channel},
        )
        name = account.person.full_name if actor is None else actor.name
        return text("invite.welcome", name=name, role=text(f"role.{grant.role}"), where=self._where(grant))

    def _where(self, grant: Grant) -> str:
        return describe_grant(grant, self.department_names).removeprefix(text(f"role.{grant.role}"))

    async def create_invite(
        self, role: Role, department: str | None, *, created_by: str, ttl_hours: int | None = None
    ) -> NewInvite:
        """Make a single-use invite; the code is returned once and only its hash is stored."""
        now = self.clock()
        expires_at = now + timedelta(hours=ttl_hours or self.config.invites.ttl_hours)
        code = secrets.token_urlsafe(24)  # 192 bits, 32 characters of A-Z a-z 0-9 _ -
        async with self.db.unit_of_work() as session:
            department_id = None
            if department is not None:
                row = await q.get_department(session, department)
                if row is None:
                    raise ValueError(f"không có phòng mã {department!r}")
                department_id = row.id
            invite = await q.add_invite(
                session,
                code_hash=hash_invite_code(code),
                role=role,
                department_id=department_id,
                now=now,
                expires_at=expires_at,
                created_by=created_by,
            )
            await q.add_audit(
                session,
                now=now,
                actor_label=created_by,
                action="invite",
                entity="invite",
                entity_id=invite.id,
                detail={"role": role, "department": department, "expires_at": expires_at.isoformat()},
            )
            await session.commit()
        return NewInvite(code, role, department, expires_at)

    # --- members ---------------------------------------------------------------------------

    async def members_text(self, session: AsyncSession) -> str:
        """Everyone with an active role, one line each."""
        people = await q.list_active_people(session)
        if not people:
            return text("members.empty")
        lines = [text("members.header", count=len(people))]
        for person in people:
            roles = ", ".join(describe_grant(_grant(m), self.department_names) for m in person.memberships)
            lines.append(text("members.line", person_id=person.id, name=person.full_name, roles=roles))
        return "\n".join(lines)

    async def list_members(self) -> str:
        """The member list for the CLI."""
        async with self.db.unit_of_work() as session:
            return await self.members_text(session)

    async def revoke(
        self, session: AsyncSession, person_id: int, *, actor_id: int | None, label: str, now: datetime
    ) -> str:
        """Take every role from a person; their chat accounts are then treated as unregistered."""
        person = await q.get_person(session, person_id)
        if person is None or not await q.revoke_person(session, person_id, by_id=actor_id, now=now):
            raise Refusal("revoke.not_found", person_id=person_id)
        await q.add_audit(
            session,
            now=now,
            actor_id=actor_id,
            actor_label=label,
            action="revoke",
            entity="person",
            entity_id=person_id,
        )
        return text("revoke.done", name=person.full_name, person_id=person_id)

    async def revoke_from_cli(self, person_id: int, *, label: str) -> str:
        """Revoke a member from the command line."""
        async with self.db.unit_of_work() as session:
            try:
                reply = await self.revoke(session, person_id, actor_id=None, label=label, now=self.clock())
            except Refusal as refusal:
                return refusal.reply
            await session.commit()
            return reply

    # --- logging ---------------------------------------------------------------------------

    async def _department_for(
        self, session: AsyncSession, actor: Actor, named: str | None, incoming: Incoming, command: c.CommandName
    ) -> str:
        group = await q.get_group_department(session, incoming.channel, incoming.chat_id) if incoming.is_group else None
        department = resolve_department(actor, named, group)
        if department is None:
            raise Refusal(
                "entry.department_needed", command=command, example=self.codes[0], codes=", ".join(self.codes)
            )
        if not actor.may_act_for(department):
            raise Refusal("entry.not_your_department", codes=", ".join(actor.focal_departments))
        return department

    async def _log(
        self,
        session: AsyncSession,
        command: c.LogMeeting | c.LogDocument | c.LogDossiers,
        actor: Actor,
        incoming: Incoming,
        now: datetime,
    ) -> str:
        name = {
            c.LogMeeting: c.CommandName.MEETING,
            c.LogDocument: c.CommandName.DOCUMENT,
            c.LogDossiers: c.CommandName.DOSSIERS,
        }[type(command)]
        code = await self._department_for(session, actor, command.department, incoming, name)
        department = await q.get_department(session, code)
        common = {
            "department_id": department.id,
            "person_id": actor.person_id,
            "occurred_on": command.day,
            "year": command.day.year,
            "created_at": now,
            "source_channel": incoming.channel,
            "source_chat_id": incoming.chat_id,
            "source_message_id": incoming.message_id,
        }
        match command:
            case c.LogMeeting():
                entry: Entry = Meeting(
                    **common, summary=command.summary, meeting_online=command.mode is c.MeetingMode.ONLINE
                )
            case c.LogDocument():
                key = c.document_number_key(command.number) if command.number else None
                if key and (existing := await q.find_document_number(session, command.day.year, key)):
                    raise Refusal("document.duplicate", number=command.number, year=command.day.year, id=existing.id)
                entry = Document(
                    **common,
                    summary=command.summary,
                    document_kind=command.kind,
                    document_number=command.number,
                    document_number_key=key,
                )
            case c.LogDossiers():
                entry = DossierTally(**common, dossiers_online=command.online, dossiers_paper=command.paper)
        await q.add_entry(session, entry)
        await _audit(
            session,
            actor,
            now,
            action="add",
            entity=entry.kind,
            entity_id=entry.id,
            detail={"department": code, "day": command.day.isoformat(), "text": incoming.text[:400]},
        )
        return self._receipt(entry, department.name)

    def _receipt(self, entry: Entry, department: str) -> str:
        day = format_date(entry.occurred_on)
        summary = f": {entry.summary}" if entry.summary else ""
        match entry:
            case Meeting():
                return text(
                    "meeting.logged",
                    id=entry.id,
                    mode=_meeting_mode(entry),
                    day=day,
                    department=department,
                    summary=summary,
                )
            case Document():
                return text(
                    "document.logged",
                    id=entry.id,
                    kind=text(f"document.{entry.document_kind}"),
                    number=f" số {entry.document_number}" if entry.document_number else "",
                    day=day,
                    department=department,
                    summary=summary,
                )
            case DossierTally():
                total = entry.dossiers_online + entry.dossiers_paper
                return text(
                    "dossiers.logged",
                    id=entry.id,
                    day=day,
                    department=department,
                    online=entry.dossiers_online,
                    paper=entry.dossiers_paper,
                    share=format_percent(entry.dossiers_online / total),
                )
        raise AssertionError(entry)

    async def _cancel(self, session: AsyncSession, entry_id: int | None, actor: Actor, now: datetime) -> str:
        if entry_id is None:
            entry = await q.get_last_entry(session, actor.person_id)
            if entry is None:
                raise Refusal("cancel.nothing")
        else:
            entry = await q.get_entry(session, entry_id)
            if entry is None:
                raise Refusal("cancel.not_found", id=entry_id)
            if entry.person_id != actor.person_id and not actor.is_commune_wide:
                raise Refusal("cancel.not_yours")
            if entry.cancelled_at is not None:
                raise Refusal("cancel.already", id=entry.id)
        await q.cancel_entry(session, entry, by_id=actor.person_id, now=now)
        await _audit(
            session,
            actor,
            now,
            action="cancel",
            entity=entry.kind,
            entity_id=entry.id,
        )
        report_names = {r.code: r.name for r in self.config.reports}
        return text("cancel.done", id=entry.id, what=_describe_entry(entry, report_names))

    # --- targets ---------------------------------------------------------------------------

    async def _targets(self, session: AsyncSession, command: c.ShowTargets, actor: Actor, now: datetime) -> str:
        today = local_date(now, self.tz)
        if command.department is not None:
            if not actor.is_commune_wide and command.department not in actor.focal_departments:
                raise Refusal("entry.not_your_department", codes=", ".join(actor.focal_departments))
            scopes = [command.department]
        else:
            scopes = [None, *([] if actor.is_commune_wide else actor.focal_departments)]
        return "\n\n".join([await self.target_report(session, command.year, code, today) for code in scopes])

    async def target_report(self, session: AsyncSession, year: int, department: str | None, today: date) -> str:
        """The /chitieu text for the commune (department None) or one department, with the tasks line."""
        tally = await q.tally_year(session, year, department)
        tasks = await q.tally_tasks(session, year, today, department)
        baseline = self.config.baseline_for(year) if department is None else None
        report = compute_target_report(
            Counts(**vars(tally)),
            self.targets,
            year=year,
            today=today,
            baseline_meetings=baseline.meetings if baseline else None,
            baseline_documents=baseline.documents if baseline else None,
        )
        scope = self.config.commune.name if department is None else self.department_names.get(department, department)
        return render_target_report(report, self.targets, scope, TaskCounts(**vars(tasks)))

    # --- reports ---------------------------------------------------------------------------

    async def _submit(
        self, session: AsyncSession, command: c.Submit, actor: Actor, incoming: Incoming, now: datetime
    ) -> str:
        code = await self._department_for(session, actor, command.department, incoming, c.CommandName.SUBMIT)
        department = await q.get_department(session, code)
        report = self.config.report(command.report)
        if code not in self.required_departments(report):
            raise Refusal("report.not_required", department=department.name, report=report.name)
        today = local_date(now, self.tz)
        start = await self.tracking_start(session)
        done = await q.submitted_years(session, department.id, report.code)
        year = command.year
        if year is None:
            year = self._oldest_outstanding(report, done, start, today)
            if year is None:
                raise Refusal("report.none_outstanding", department=department.name, report=report.name)
        elif self.report_due(report, year) < start:
            raise Refusal("report.not_tracked", report=report.name, year=year, start=format_date(start))
        if year in done:
            existing = next(
                e for e in await q.list_submissions(session, report.code, year) if e.department_id == department.id
            )
            raise Refusal("report.already", department=department.name, report=report.name, year=year, id=existing.id)
        entry = ReportSubmission(
            department_id=department.id,
            person_id=actor.person_id,
            occurred_on=today,
            year=year,
            summary=command.note,
            created_at=now,
            source_channel=incoming.channel,
            source_chat_id=incoming.chat_id,
            source_message_id=incoming.message_id,
            report_code=report.code,
            report_year=year,
            file_id=incoming.attachment,
        )
        await q.add_entry(session, entry)
        await q.supersede(session, ["report"], f"{report.code}:{year}:{code}")
        await _audit(
            session,
            actor,
            now,
            action="add",
            entity="report",
            entity_id=entry.id,
            detail={"department": code, "report": report.code, "year": year, "file": bool(incoming.attachment)},
        )
        return text(
            "report.submitted",
            id=entry.id,
            department=department.name,
            report=report.name,
            year=year,
            file=text("report.with_file") if incoming.attachment else "",
            note=f": {command.note}" if command.note else "",
        )

    def _oldest_outstanding(self, report: ReportConfig, done: set[int], start: date, today: date) -> int | None:
        """The oldest overdue period not submitted, else the next one due."""
        for year in range(start.year, today.year + 2):
            due = self.report_due(report, year)
            if due >= start and year not in done:
                return year
        return None

    def current_report_year(self, report: ReportConfig, today: date) -> int:
        """The period /baocao shows by default: this year's until a month after it is due, then next year's."""
        return today.year if today <= self.report_due(report, today.year) + timedelta(days=31) else today.year + 1

    async def _reports(self, session: AsyncSession, command: c.ShowReports, now: datetime) -> str:
        today = local_date(now, self.tz)
        reports = [self.config.report(command.report)] if command.report else self.config.reports
        if not reports:
            raise Refusal("report.no_reports")
        return "\n\n".join([await self.report_status(session, r, command.year, today) for r in reports])

    async def report_status(self, session: AsyncSession, report: ReportConfig, year: int | None, today: date) -> str:
        """Who has submitted a period, when and by whom, and who is late."""
        year = year or self.current_report_year(report, today)
        due = self.report_due(report, year)
        start = await self.tracking_start(session)
        if due < start:
            return text("report.untracked", report=report.name, year=year, start=format_date(start))
        submissions = {e.department.code: e for e in await q.list_submissions(session, report.code, year)}
        required = self.required_departments(report)
        lines = [
            text(
                "report.header",
                report=report.name,
                year=year,
                weekday=format_weekday(due),
                due=format_date(due),
                left=format_left((due - today).days),
            )
        ]
        for code in required:
            name = self.department_names[code]
            if (entry := submissions.get(code)) is not None:
                lines.append(
                    text(
                        "report.line_done",
                        department=name,
                        day=format_date(entry.occurred_on),
                        person=entry.person.full_name,
                    )
                )
            elif today > due:
                lines.append(text("report.line_late", department=name, days=(today - due).days))
            else:
                lines.append(text("report.line_pending", department=name))
        lines.append(text("report.summary", done=sum(code in submissions for code in required), total=len(required)))
        return "\n".join(lines)

    # --- tasks -----------------------------------------------------------------------------

    async def _assign(
        self, session: AsyncSession, command: c.Assign, actor: Actor, incoming: Incoming, now: datetime
    ) -> str:
        department = await q.get_department(session, command.department)
        task = await q.add_task(
            session,
            Task(
                department_id=department.id,
                title=command.title,
                due_on=command.due,
                progress=0,
                created_by_id=actor.person_id,
                created_at=now,
                source_channel=incoming.channel,
                source_chat_id=incoming.chat_id,
                source_message_id=incoming.message_id,
            ),
        )
        await _audit(
            session,
            actor,
            now,
            action="assign",
            entity="task",
            entity_id=task.id,
            detail={"department": command.department, "due": command.due.isoformat(), "title": command.title},
        )
        today = local_date(now, self.tz)
        notice = self.task_text("remind.task_assigned", task, department.name, today)
        recipients = await q.list_department_recipients(session, [department.id])
        key = q.OutboxKey("task_assigned", str(task.id), "new", today)
        await q.enqueue(session, key, recipients, notice, due_at=now, now=now)
        if self.on_enqueued is not None:
            self.on_enqueued()  # the sender looks after the commit; a message it misses now it finds on its next pass
        return text(
            "task.assigned",
            id=task.id,
            department=department.name,
            weekday=format_weekday(task.due_on),
            due=format_date(task.due_on),
            title=task.title,
        )

    def task_text(self, key: str, task: Task, department: str, today: date) -> str:
        """A message about a task: what, whose, due when, how far along, and the command that settles it."""
        return text(
            key,
            id=task.id,
            department=department,
            title=task.title,
            weekday=format_weekday(task.due_on),
            due=format_date(task.due_on),
            left=format_left((task.due_on - today).days),
            progress=task.progress,
        )

    def task_line(self, task: Task, today: date) -> str:
        """One open task on one line, as /viec and the leaders' digest list it."""
        return text(
            "task.line",
            id=task.id,
            department=task.department.code.upper(),
            title=task.title[:60],
            due=format_date(task.due_on),
            left=format_left((task.due_on - today).days),
            progress=task.progress,
        )

    async def _tasks(self, session: AsyncSession, department: str | None, actor: Actor, now: datetime) -> str:
        if department is not None and not actor.is_commune_wide and department not in actor.focal_departments:
            raise Refusal("entry.not_your_department", codes=", ".join(actor.focal_departments))
        scope = [department] if department else (None if actor.is_commune_wide else actor.focal_departments)
        tasks = await q.list_open_tasks(session, scope)
        if not tasks:
            return text("task.none")
        today = local_date(now, self.tz)
        lines = [text("task.list_header", count=len(tasks))]
        lines += [self.task_line(task, today) for task in tasks[:MAX_TASK_LINES]]
        if len(tasks) > MAX_TASK_LINES:
            lines.append(text("task.list_more", count=len(tasks) - MAX_TASK_LINES))
        return "\n".join(lines)

    async def _update_task(
        self, session: AsyncSession, command: c.Progress | c.Done, actor: Actor, now: datetime
    ) -> str:
        task = await q.get_task(session, command.task_id)
        if task is None:
            raise Refusal("task.not_found", id=command.task_id)
        if not (actor.is_leader or task.department.code in actor.focal_departments):
            raise Refusal("task.not_yours", id=task.id)
        if task.completed_on is not None:
            raise Refusal("task.closed", id=task.id, day=format_date(task.completed_on))
        today = local_date(now, self.tz)
        done = isinstance(command, c.Done)
        progress = 100 if done else command.percent
        await q.add_task_update(
            session,
            task,
            person_id=actor.person_id,
            progress=progress,
            note=command.note,
            now=now,
            day=today if done else None,
        )
        await _audit(
            session,
            actor,
            now,
            action="done" if done else "progress",
            entity="task",
            entity_id=task.id,
            detail={"progress": progress, "note": command.note},
        )
        if not done:
            return text(
                "task.progress", id=task.id, progress=progress, note=f" – {command.note}" if command.note else ""
            )
        await q.supersede(session, ["task", "task_escalation", "task_nudge"], str(task.id))
        late = (today - task.due_on).days
        timing = text("task.late", days=late) if late > 0 else text("task.on_time")
        return text("task.done", id=task.id, day=format_date(today), timing=timing)

    # --- groups ----------------------------------------------------------------------------

    async def _link(self, session: AsyncSession, code: str, actor: Actor, incoming: Incoming, now: datetime) -> str:
        if not incoming.is_group:
            raise Refusal("link.private_chat")
        if not actor.may_act_for(code):
            raise Refusal("link.not_your_department")
        current = await q.get_group_department(session, incoming.channel, incoming.chat_id)
        if current not in (None, code) and not actor.may_act_for(current):
            raise Refusal("link.taken", department=self.department_names.get(current, current))
        department = await q.get_department(session, code)
        await q.bind_group(
            session,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            department_id=department.id,
            by_id=actor.person_id,
            now=now,
        )
        await _audit(
            session,
            actor,
            now,
            action="link",
            entity="group",
            entity_id=incoming.chat_id,
            detail={"department": code, "channel": incoming.channel},
        )
        return text("link.done", department=department.name)


async def _audit(session: AsyncSession, actor: Actor, now: datetime, **event: object) -> None:
    """Record a change made by a registered person."""
    await q.add_audit(session, now=now, actor_id=actor.person_id, actor_label=actor.name, **event)


def _grant(membership) -> Grant:
    return Grant(Role(membership.role), membership.department.code if membership.department else None)


def _meeting_mode(entry: Entry) -> str:
    return text("meeting.online" if entry.meeting_online else "meeting.in_person")


def _describe_entry(entry: Entry, report_names: Mapping[str, str]) -> str:
    day = format_date(entry.occurred_on)
    match entry:
        case Meeting():
            return text("what.meeting", mode=_meeting_mode(entry), day=day)
        case Document():
            number = f" số {entry.document_number}" if entry.document_number else ""
            return text("what.document", kind=text(f"document.{entry.document_kind}"), number=number)
        case ReportSubmission():
            return text(
                "what.report", report=report_names.get(entry.report_code, entry.report_code), year=entry.report_year
            )
        case _:
            return text("what.dossiers", online=entry.dossiers_online, paper=entry.dossiers_paper, day=day)
