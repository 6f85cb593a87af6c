"""The pipeline every chat message goes through: identify, find the commune, authorise, parse, deduplicate, ask or
run the use case, answer.

One unit of work per message. Every change is committed together with its audit row, the reply it got and the
reply's outbox rows, so a confirmed entry survives a crash, a redelivered message is answered from the record
without a second write, and a receipt that fails to send is retried. Every outcome is a value: the pipeline
matches on it, nothing ordinary is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.exc import IntegrityError

from bot.config import Config
from bot.core.cleaning import cleaned
from bot.core.clock import Clock, local_date, utc_now
from bot.core.commune import Commune, Communes
from bot.core.grammar import Missing, NeedInput, ParseContext, ParseError, YearGuess, echo
from bot.core.messages import ChannelProfile, Incoming, Reply
from bot.core.outcomes import FileJob, Question, Refused, Say, WithFile
from bot.core.permissions import Actor, may_run
from bot.core.registry import Command
from bot.core.replies import outgoing, parse_choice_token
from bot.core.texts import render, text, usage
from bot.service import access, choices, files
from bot.service.context import Context, Deployment, Source
from bot.service.identities import Identities
from bot.service.registry import registry
from storage import awaiting, chats, communes, conversations, departments, inbox, outbox, people
from storage.chats import Recipient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What a message got: the reply, and the outbox rows that carry it to the chat."""

    reply: Reply
    outbox_ids: tuple[int, ...] = ()
    alert: bool = False  # a tap that does not count: shown to the tapper only, where the channel can
    commands: tuple[str, ...] = ()  # what the sender may use now (a channel's command menu follows it)
    files: tuple[FileJob, ...] = ()  # promised files still to make (`Service.make_files`), after the text has gone
    day: date | None = None  # the commune's date of the message, which the files are dated by
    told_others: bool = False  # messages for other chats were queued too: the sender sends them after the answer

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
        db,
        clock: Clock = utc_now,
        *,
        profiles: Mapping[str, ChannelProfile] | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.registry = registry()
        self.identities = Identities()  # who writes, from memory while nothing about identities changed
        self.communes = Communes(())  # known once `prepare` has synced them
        self.deployment = Deployment(self.communes, config.invites, config.exports, config.name, config.web)
        self.profiles = dict(profiles or {})

    async def prepare(self) -> None:
        """Bring the schema up to date and the communes and their departments in line with the config."""
        await self.db.upgrade()
        configured = self.config.communes
        async with self.db.unit_of_work() as session:
            today = local_date(self.clock(), configured[0].commune.tz)
            derived = len(configured) == 1 and configured[0].commune.code is None
            wanted = [(c.code, c.commune.name) for c in configured]
            ids = await communes.sync_communes(session, wanted, today, renamed_from_any=derived)
            values = [c.to_commune(ids[c.code]) for c in configured]
            for commune in values:
                await departments.sync_departments(session, commune.id, [(d.code, d.name) for d in commune.departments])
            await session.commit()
        self.communes = Communes(values)
        config = self.config
        self.deployment = Deployment(self.communes, config.invites, config.exports, config.name, config.web)

    async def perform(self, commune: Commune, actor: Actor, source: Source, handle, command: object) -> object:
        """Run one use case outside a chat (the command line, a page): one unit of work, committed unless refused."""
        async with self.db.unit_of_work() as session:
            now = self.clock()
            ctx = Context(session, self.deployment, source, actor, commune, now, local_date(now, commune.tz),
                          registry=self.registry)  # fmt: skip
            outcome = await handle(ctx, command)
            if not isinstance(outcome, Refused):
                await session.commit()
        return outcome

    async def handle(self, incoming: Incoming) -> Answer | None:
        """Answer one message and make the files it promised, their messages queued after it (the CLI's, the
        demo's and the tests' way; the running bot sends the answer first: `answer`, then `make_files`)."""
        answer = await self.answer(incoming)
        if answer is None or not answer.files:
            return answer
        ids = await self.make_files(incoming, answer)
        return replace(answer, outbox_ids=answer.outbox_ids + tuple(ids), files=())

    async def make_files(self, incoming: Incoming, answer: Answer) -> list[int]:
        """Make the files an answer promised and queue the messages that carry them; their outbox ids."""
        ids: list[int] = []
        for job in answer.files:  # after the answer's commit: no write lock is held while a file is drawn
            profile = self.profiles.get(incoming.channel, ChannelProfile(incoming.channel))
            ids += await files.deliver_file(self.db, self.deployment, profile, incoming, job, answer.day, self.clock())
        return ids

    async def answer(self, incoming: Incoming) -> Answer | None:
        """Answer one message, its reply committed and queued; None only for chatter in a group that is not a
        command. The files it promises are left to `make_files`."""
        try:
            return await self._handle(incoming)
        except IntegrityError:
            # Two deliveries of one message raced (possible on PostgreSQL): the loser reads the winner's reply.
            logger.info("concurrent delivery of %s/%s; answering again", incoming.chat_id, incoming.message_id)
            return await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> Answer | None:
        now = self.clock()
        incoming, unreadable = cleaned(incoming)  # at the door: nothing stored can break a file
        async with self.db.unit_of_work() as session:
            handling = None  # marked handled first, with its effects or not at all, reading what the handling asks
            if incoming.inbox_id is not None:
                message = conversations.Source(incoming.channel, incoming.chat_id, incoming.message_id)
                handling = await inbox.begin_handling(session, incoming.inbox_id, now, message)
            version = handling.version if handling else None
            account = await self.identities.identify(session, incoming.channel, incoming.sender_id, version)
            actor = account.actor if account else None
            commune = self.communes.get(actor.commune_id) if actor else None
            if actor is not None and commune is None and not actor.is_province:
                actor = None  # a commune no longer served: its people are strangers here
            tz = (commune or next(iter(self.communes))).tz
            group = await chats.get_group(session, incoming.channel, incoming.chat_id) if incoming.is_group else None
            if group is not None and (commune is None or group.commune_id != commune.id):
                group = None  # a group of another commune names no department of this person's
            today = local_date(incoming.sent_at or now, tz)
            ctx = Context(session, self.deployment, Source.of(incoming), actor, commune, now, today, group,
                          self.registry, handling=handling)  # fmt: skip
            if account is not None and account.unreachable and not incoming.is_group:
                await chats.clear_account_unreachable(session, incoming.channel, incoming.sender_id)
            if unreadable:
                reply, jobs = Reply(text("input.unreadable")), []
            else:
                reply, jobs = await self._answer(ctx, incoming)
            if reply is None or isinstance(reply, Answer):
                await session.commit()
                return reply
            ids = await self._queue(ctx, incoming, reply)
            commands = await self._commands_of(ctx, incoming)
            await session.commit()
        return Answer(reply, tuple(ids), commands=commands, files=tuple(jobs), day=today, told_others=ctx.told_others)

    async def _commands_of(self, ctx: Context, incoming: Incoming) -> tuple[str, ...]:
        """The sender's commands after this message (a registration changes them)."""
        actor = ctx.actor
        if ctx.raw is not None and ctx.raw.command is not None and ctx.raw.command.name == "start":
            account = await people.identify(ctx.session, incoming.channel, incoming.sender_id)
            actor = account.actor if account else None
        if actor is None:
            return ()
        commune = self.communes.get(actor.commune_id)
        return access.commands_for(self.registry, actor, commune.consolidating if commune else None)

    async def _answer(self, ctx: Context, incoming: Incoming) -> tuple[Reply | Answer | None, list]:
        jobs: list = []
        question_open = ctx.handling is None or ctx.handling.question_open
        picked = await choices.answer_of(ctx.session, ctx.source, incoming.text, ctx.actor, ctx.now, question_open)
        if isinstance(picked, Say):
            if incoming.edit_message_id is not None:  # a tapped button: tell the tapper, keep the question
                return Answer(Reply(render(picked)), alert=True), jobs
            return Reply(render(picked)), jobs
        if picked is None:
            key = conversations.Source(incoming.channel, incoming.chat_id, incoming.message_id)
            return await self._command(ctx, incoming.text, key, jobs), jobs
        key = conversations.Source(incoming.channel, incoming.chat_id, f"choice:{picked.choice_id}")
        if picked.option is None:  # answered before
            return Reply(await conversations.get_handled_reply(ctx.session, key) or text("choice.used")), jobs
        if not picked.option.command:
            return Reply(text("choice.dismissed")), jobs
        ctx.confirmed = picked.option.confirmed
        return await self._command(ctx, picked.option.command, key, jobs), jobs

    def _parse_context(self, ctx: Context) -> ParseContext:
        commune = ctx.commune
        if commune is not None:
            return ParseContext(ctx.today, commune.codes, commune.report_codes)
        if ctx.actor is not None and ctx.actor.is_province:  # every commune, and any report one of them has
            reports = tuple(dict.fromkeys(code for c in self.communes for code in c.report_codes))
            return ParseContext(ctx.today, (), reports, self.communes.codes)
        return ParseContext(ctx.today, ())

    async def _command(self, ctx: Context, typed: str, key: conversations.Source, jobs: list) -> Reply | None:
        actor, source = ctx.actor, ctx.source
        raw = self.registry.split(typed)
        if raw is None:
            if source.is_group:
                return None
            awaited = actor is not None and ctx.commune is not None
            if awaited and (answer := await self._awaited(ctx, typed, key, jobs)) is not None:
                return answer
            return Reply(text("access.unregistered" if actor is None else "access.not_a_command"))
        ctx.raw = raw
        if source.is_group:
            await chats.clear_group_unreachable(ctx.session, source.channel, source.chat_id)
        command = raw.command
        if command is None:
            if actor is None:
                return Reply(text("access.unregistered"))
            if not raw.word:  # a lone "/": it did start with "/", so say which commands there are
                commands = access.commands_for(self.registry, actor, ctx.commune.consolidating if ctx.commune else None)
                return Reply(text("access.lone_slash", commands=", ".join(f"/{c}" for c in commands)))
            return Reply(text("access.unknown_command", command=echo(raw.word)))
        consolidating = ctx.commune.consolidating if ctx.commune is not None and command.consolidating else None
        if not may_run(actor, command.roles, public=command.public, consolidating=consolidating):
            return Reply(text("access.unregistered" if actor is None else "access.denied", command=command.name))
        if command.private and source.is_group:
            return Reply(text("access.private_only", command=command.name))
        parsed = command.read(raw.args, self._parse_context(ctx))
        if isinstance(parsed, ParseError):
            return Reply(text(parsed.key, **parsed.values) + "\n" + usage(command.name))
        if isinstance(parsed, NeedInput):
            return Reply(text(parsed.key) + "\n" + usage(command.name))
        if isinstance(parsed, YearGuess):
            return await self._ask_with(ctx, choices.confirm_year(parsed, typed))
        if actor is None and not access.may_start(parsed):
            return Reply(text("access.unregistered"))
        if isinstance(parsed, Missing):
            return await self._ask(ctx, parsed)
        if command.writes and (previous := await ctx.replied_before(key)):
            return Reply(previous)
        outcome = await command.handle(ctx, parsed)
        return await self._reply(ctx, command, key, outcome, jobs)

    async def _awaited(self, ctx: Context, typed: str, key: conversations.Source, jobs: list) -> Reply | None:
        """Words that answer a question asked for free text: handed to the feature that asked, answered once."""
        if previous := await ctx.replied_before(key):
            return Reply(previous)
        source = ctx.source
        awaited = await awaiting.open_awaited(
            ctx.session, ctx.here.id, channel=source.channel, chat_id=source.chat_id, person_id=ctx.me.person_id,
            now=ctx.now,
        )  # fmt: skip
        if awaited is None or (take := self.registry.answers.get(awaited.topic)) is None:
            return None
        reply = await self._reply(ctx, None, key, await take(ctx, awaited, typed), jobs)
        if not await conversations.get_handled_reply(ctx.session, key):  # a question is answered once too
            await conversations.add_handled_reply(ctx.session, key, reply.text, ctx.now)
        return reply

    async def _reply(self, ctx: Context, command: Command | None, key, outcome: object, jobs: list) -> Reply:
        """The answer an outcome makes: a refusal, a question, or a view (with a file to follow)."""
        if isinstance(outcome, Refused):
            return Reply(render(outcome))  # only what a refusal must keep (a wrong invite code) is committed
        if isinstance(outcome, Missing):
            return await self._ask(ctx, outcome)
        if isinstance(outcome, Question):
            return await self._ask_with(ctx, outcome)
        if isinstance(outcome, WithFile):
            jobs.append(outcome.job)
            outcome = outcome.view
        reply = Reply(render(outcome), secret=getattr(outcome, "secret", False))
        if command is None or command.writes:  # what a redelivery gets: never a secret a second time
            kept = text("reply.secret_sent") if reply.secret else reply.text
            await conversations.add_handled_reply(ctx.session, key, kept, ctx.now)
        return reply

    async def _ask(self, ctx: Context, missing: Missing) -> Reply:
        question = await choices.ask(ctx, missing, self.registry.asks)
        if isinstance(question, Refused):
            return Reply(render(question))
        return await self._ask_with(ctx, question)

    async def _ask_with(self, ctx: Context, question: Question) -> Reply:
        options = tuple(
            replace(o, label=render(o.label) if isinstance(o.label, Say) else o.label) for o in question.options
        )
        return Reply(render(question), options)

    async def _queue(self, ctx: Context, incoming: Incoming, reply: Reply) -> list[int]:
        """Write the reply to the outbox (with its question remembered, if it asks one)."""
        choice_id = await choices.remember(ctx, reply.options) if reply.options and ctx.actor else None
        profile = self.profiles.get(incoming.channel, ChannelProfile(incoming.channel))
        parts = [
            outbox.ReplyPart(m.text, [[b.label, b.token] for b in m.buttons] or None, secret=reply.secret)
            for m in outgoing(reply, profile, choice_id)
        ]
        recipient = Recipient(incoming.channel, incoming.chat_id, incoming.is_group)
        return await outbox.enqueue_reply(
            ctx.session,
            recipient,
            outbox.reply_subject(incoming.chat_id, incoming.message_id),
            parts,
            now=ctx.now,
            day=ctx.today,
            reply_to=incoming.message_id if incoming.is_group and not incoming.edit_message_id else None,
            edit_message_id=incoming.edit_message_id if parse_choice_token(incoming.text) else None,
        )  # a tapped command (a reminder's "Nhắc lại sau") answers below it: the reminder stays
