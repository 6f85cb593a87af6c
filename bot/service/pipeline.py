"""The pipeline every message goes through: identify, authorise, parse, deduplicate, ask or dispatch, answer.

One unit of work per message. Every change is committed together with its audit row, the reply
it got and the reply's outbox rows, so a confirmed entry survives a crash, a redelivered message
is answered from the record without a second write, and a receipt that fails to send is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError

from bot.config import Config
from bot.core.clock import Clock, local_date, utc_now
from bot.core.commands import REGISTRY
from bot.core.commands.registry import ParseContext
from bot.core.commands.tokens import Missing, NeedInput, ParseError, Tokens, YearGuess, echo
from bot.core.messages import ChannelProfile, Incoming, Reply
from bot.core.permissions import may_run
from bot.core.replies import outgoing, split_text
from bot.core.texts import render, text, usage
from bot.core.views import Question, Refusal, Say, WithFile
from bot.service import access, choices, entries, exports, groups, members, reports, targets, tasks
from bot.service.access import actor_of
from bot.service.context import Request, Settings
from storage import chats, conversations, departments, inbox, outbox, people, settings
from storage.chats import Recipient
from storage.db import Database

logger = logging.getLogger(__name__)

FEATURES = (access, entries, targets, reports, exports, tasks, groups, members)
HANDLERS = {kind: handler for feature in FEATURES for kind, handler in feature.HANDLERS.items()}
ASKS = {ask: provider for feature in FEATURES for ask, provider in getattr(feature, "ASKS", {}).items()}
ASKS[choices.Ask.DEPARTMENT] = choices.department_options


@dataclass(frozen=True)
class Answer:
    """What a message got: the reply, and the outbox rows that carry it to the chat."""

    reply: Reply
    outbox_ids: tuple[int, ...] = ()
    alert: bool = False  # a tap that does not count: shown to the tapper only, where the channel can
    commands: tuple[str, ...] = ()  # what the sender may use now (a channel's command menu follows it)

    @property
    def text(self) -> str:
        return self.reply.text

    @property
    def options(self):
        return self.reply.options


class Service:
    """The application's use cases behind one entry point, shared by every channel, the CLI and the demo."""

    def __init__(
        self,
        config: Config,
        db: Database,
        clock: Clock = utc_now,
        *,
        profiles: Mapping[str, ChannelProfile] | None = None,
        notify: Callable[[], None] | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.settings = Settings.of(config)
        self.profiles = dict(profiles or {})
        self.notify = notify  # wakes the outbox sender once something was queued and committed

    async def prepare(self) -> None:
        """Bring the schema up to date and the departments in line with the config."""
        await self.db.upgrade()
        async with self.db.unit_of_work() as session:
            await departments.sync_departments(session, self.settings.names.items())
            today = local_date(self.clock(), self.settings.tz)
            await settings.set_setting_once(session, settings.TRACKING_START, today.isoformat())
            await session.commit()

    async def handle(self, incoming: Incoming) -> Answer | None:
        """Answer one message; None only for chatter in a group that is not a command."""
        try:
            return await self._handle(incoming)
        except IntegrityError:
            # Two deliveries of one message raced (possible on PostgreSQL): the loser reads the winner's reply.
            logger.info(
                "concurrent delivery of %s/%s; answering from the record", incoming.chat_id, incoming.message_id
            )
            return await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> Answer | None:
        now = self.clock()
        today = local_date(incoming.sent_at or now, self.settings.tz)
        async with self.db.unit_of_work() as session:
            account = await people.get_account(session, incoming.channel, incoming.sender_id)
            req = Request(session, self.settings, incoming, actor_of(account, self.settings), now, today)
            if account is not None and account.unreachable_at is not None and not incoming.is_group:
                await chats.clear_account_unreachable(session, incoming.channel, incoming.sender_id)
            reply = await self._answer(req)
            if incoming.inbox_id is not None:
                await inbox.mark_handled(session, incoming.inbox_id, now)  # with its effects, or not at all
            if reply is None or isinstance(reply, Answer):
                await session.commit()
                return reply
            ids = await self._queue(req, reply)
            commands = await self._commands_of(req)
            await session.commit()
        for job in req.jobs:  # made after the commit: no write lock is held while a file is drawn
            ids += await self._deliver_file(incoming, job, today)
        if ids and self.notify is not None:
            self.notify()
        return Answer(reply, tuple(ids), commands=commands)

    async def _deliver_file(self, incoming: Incoming, job, today) -> list[int]:
        """Make a file and queue the message that carries it (or says where it is)."""
        profile = self.profiles.get(incoming.channel, ChannelProfile(incoming.channel))
        if job.kind == "chart" and not (profile.files or self.config.exports.public_url):
            return []  # the figures were in the text; a picture nobody can see is not made
        try:
            attachment = await exports.make_file(self.db, self.config, job, today)
        except Exception:
            logger.exception("making a %s failed", job.kind)
            return []
        caption, attached = exports.delivery_of(job, attachment, self.config, profile)
        part = outbox.ReplyPart(split_text(caption, profile.max_text)[0], None, attached and vars(attached))
        async with self.db.unit_of_work() as session:
            recipient = Recipient(incoming.channel, incoming.chat_id, incoming.is_group)
            subject = outbox.reply_subject(incoming.chat_id, incoming.message_id)
            ids = await outbox.enqueue_reply(
                session, recipient, subject, [part], now=self.clock(), day=today, stage=job.kind
            )
            await session.commit()
        return ids

    async def _commands_of(self, req: Request) -> tuple[str, ...]:
        """The sender's commands after this message (a registration changes them)."""
        actor = req.actor
        if req.raw is not None and req.raw.spec is not None and req.raw.spec.name == "start":
            account = await people.get_account(req.session, req.incoming.channel, req.incoming.sender_id)
            actor = actor_of(account, self.settings)
        return access.commands_for(actor, self.settings.consolidating) if actor is not None else ()

    async def _answer(self, req: Request) -> Reply | Answer | None:
        picked = await choices.answer_of(req)
        if isinstance(picked, Say):
            if req.incoming.edit_message_id is not None:  # a tapped button: tell the tapper, keep the question
                return Answer(Reply(render(picked)), alert=True)
            return Reply(render(picked))
        if picked is not None:
            source = conversations.Source(req.incoming.channel, req.incoming.chat_id, f"choice:{picked.choice_id}")
            if picked.option is None:  # answered before
                previous = await conversations.get_handled_reply(req.session, source)
                return Reply(previous or text("choice.used"))
            if not picked.option.command:
                return Reply(text("choice.dismissed"))
            req.incoming = replace(req.incoming, text=picked.option.command)
            req.confirmed = picked.option.confirmed
            return await self._command(req, source)
        source = conversations.Source(req.incoming.channel, req.incoming.chat_id, req.incoming.message_id)
        return await self._command(req, source)

    async def _command(self, req: Request, source: conversations.Source) -> Reply | None:
        incoming, actor = req.incoming, req.actor
        raw = REGISTRY.split(incoming.text)
        if raw is None:
            if incoming.is_group:
                return None
            return Reply(text("access.unregistered" if actor is None else "access.not_a_command"))
        req.raw = raw
        if incoming.is_group:
            await chats.clear_group_unreachable(req.session, incoming.channel, incoming.chat_id)
        spec = raw.spec
        if spec is None:
            if actor is None:
                return Reply(text("access.unregistered"))
            if not raw.word:  # a lone "/"
                return Reply(text("access.not_a_command"))
            return Reply(text("access.unknown_command", command=echo(raw.word)))
        consolidating = self.settings.consolidating if spec.consolidating else None
        if not may_run(actor, spec.roles, public=spec.public, consolidating=consolidating):
            return Reply(text("access.unregistered" if actor is None else "access.denied", command=spec.name))
        context = ParseContext(req.today, self.settings.codes, tuple(r.code for r in self.settings.reports))
        try:
            command = spec.parse(Tokens.of(raw.args), context)
        except ParseError as err:
            return Reply(text(err.key, **err.values) + "\n" + usage(spec.name))
        except NeedInput as prompt:
            return Reply(text(prompt.key) + "\n" + usage(spec.name))
        except Missing as missing:
            return await self._ask(req, missing)
        except YearGuess as guess:
            return await self._ask_with(req, choices.confirm_year(guess, incoming.text))
        if actor is None and not access.may_start(command):
            return Reply(text("access.unregistered"))
        if spec.writes and (previous := await conversations.get_handled_reply(req.session, source)):
            return Reply(previous)
        try:
            view = await HANDLERS[type(command)](req, command)
        except Refusal as refusal:
            return Reply(render(refusal.view))  # only what a refusal must keep (a wrong invite code) is committed
        except Missing as missing:
            return await self._ask(req, missing)
        if isinstance(view, Question):
            return await self._ask_with(req, view)
        if isinstance(view, WithFile):
            req.jobs.append(view.job)
            view = view.view
        reply = Reply(render(view))
        if spec.writes:
            await conversations.add_handled_reply(req.session, source, reply.text, req.now)
        return reply

    async def _ask(self, req: Request, missing: Missing) -> Reply:
        try:
            question = await choices.ask(req, missing, ASKS)
        except Refusal as refusal:
            return Reply(render(refusal.view))
        return await self._ask_with(req, question)

    async def _ask_with(self, req: Request, question: Question) -> Reply:
        options = tuple(
            replace(o, label=render(o.label) if isinstance(o.label, Say) else o.label) for o in question.options
        )
        return Reply(render(question), options)

    async def _queue(self, req: Request, reply: Reply) -> list[int]:
        """Write the reply to the outbox (with its question remembered, if it asks one)."""
        incoming = req.incoming
        choice_id = await choices.remember(req, reply.options) if reply.options and req.actor else None
        profile = self.profiles.get(incoming.channel, ChannelProfile(incoming.channel))
        parts = [
            outbox.ReplyPart(m.text, [[b.label, b.token] for b in m.buttons] or None)
            for m in outgoing(reply, profile, choice_id)
        ]
        recipient = Recipient(incoming.channel, incoming.chat_id, incoming.is_group)
        return await outbox.enqueue_reply(
            req.session,
            recipient,
            outbox.reply_subject(incoming.chat_id, incoming.message_id),
            parts,
            now=req.now,
            day=req.today,
            reply_to=incoming.message_id if incoming.is_group and not incoming.edit_message_id else None,
            edit_message_id=incoming.edit_message_id,
        )

    # --- the CLI's entry points --------------------------------------------------------------------

    async def create_invite(
        self,
        role,
        department: str | None,
        *,
        created_by: str,
        ttl_hours: int | None = None,
        person_id: int | None = None,
    ):
        """Make a single-use invite (or, with `person_id`, a code linking another app to that member)."""
        async with self.db.unit_of_work() as session:
            invite = await access.create_invite(
                session,
                self.settings,
                role,
                department,
                created_by=created_by,
                ttl_hours=ttl_hours,
                now=self.clock(),
                person_id=person_id,
            )
            await session.commit()
        return invite

    async def list_members(self) -> str:
        """The member list for the CLI."""
        async with self.db.unit_of_work() as session:
            return render(await members.member_list(session, self.settings))

    async def revoke_from_cli(self, person_id: int, *, label: str) -> str:
        """Revoke a member from the command line."""
        async with self.db.unit_of_work() as session:
            try:
                view = await members.revoke(session, person_id, actor_id=None, label=label, now=self.clock())
            except Refusal as refusal:
                return render(refusal.view)
            await session.commit()
            return render(view)
