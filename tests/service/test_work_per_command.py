"""What a logging command costs the database, counted (never timed): the SQL statements the drivers are handed and
the write transactions committed, for a `/hop` that goes the whole way a chat message goes in the running bot
(stored in the inbox, claimed, handled, its receipt sent); and the identities kept in memory between messages."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, text

from bot.app import App
from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.core.texts import text as render_text
from bot.ports import Delivery
from bot.service import Service
from storage.db import Database
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.transport import FakeChannel
from tests.support.users import User, new_invite, revoke

_keys = itertools.count(1)


class ChatChannel(FakeChannel):
    """A channel whose stored updates are chat messages: {"chat", "text"} from one private chat each."""

    async def handle(self, payload: dict, dispatch) -> None:
        chat = payload["chat"]
        message = payload.get("message", payload["key"])  # a message delivered again comes in a new update
        await dispatch(Incoming("test", chat, message, chat, f"Người dùng {chat}", payload["text"]))


@dataclass
class Phase:
    """What the drivers were handed while one part of the work ran."""

    statements: list[str] = field(default_factory=list)
    commits: int = 0


class Ledger:
    """Every statement (transaction control aside) and every commit on the app's engines, by phase."""

    def __init__(self, db: Database) -> None:
        self.phases: dict[str, Phase] = {}
        self.current: Phase | None = None
        for engine in (db.engine.sync_engine, db._reader.sync_engine if db._reader is not db.engine else None):
            if engine is None:
                continue
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "commit", self._commit)

    def _statement(self, conn, cursor, statement, params, context, executemany) -> None:
        if self.current is not None and not statement.lstrip().upper().startswith("BEGIN"):
            self.current.statements.append(" ".join(statement.split())[:120])

    def _commit(self, conn) -> None:
        if self.current is not None:
            self.current.commits += 1

    @contextlib.contextmanager
    def phase(self, name: str):
        outer, self.current = self.current, self.phases.setdefault(name, Phase())
        try:
            yield
        finally:
            self.current = outer


@pytest.fixture
async def app(config, clock):
    app = App(config, [ChatChannel("test")], clock=clock)
    await app.open()
    await app.sender.recover()
    yield app
    await app.stop()


async def send(app: App, chat: str, typed: str, message: str | None = None) -> None:
    """As a channel does: the update committed to the inbox, then the worker handles it and sends the answer."""
    key = str(next(_keys))
    payload = {"chat": chat, "text": typed, "key": key} | ({"message": message} if message else {})
    await app.inbox.accept("test", [Delivery(key, payload, None, chat)])
    await app.inbox.drain()


async def registered(app: App, chat: str) -> User:
    invite = await new_invite(app.service, Role.FOCAL, "vhxh")
    await send(app, chat, f"/start {invite.code}")
    return User(app.service, chat, f"Người dùng {chat}")


def watched(app: App, ledger: Ledger) -> None:
    """Each part of a message's way in the ledger: receiving, claiming, handling, sending."""
    accept, answer, deliver = app.inbox.accept, app.service.answer, app.sender.deliver_now

    async def accepting(*args):
        with ledger.phase("receive"):
            return await accept(*args)

    async def answering(incoming):
        with ledger.phase("handle"):
            return await answer(incoming)

    async def delivering(ids):
        with ledger.phase("send"):
            return await deliver(ids)

    app.inbox.accept, app.service.answer, app.sender.deliver_now = accepting, answering, delivering


async def test_a_hop_costs_six_statements_and_two_write_transactions_to_claim_and_handle(app):
    await registered(app, "101")
    await send(app, "101", "/hop tructuyen Giao ban")  # the first after registering reads the account
    ledger = Ledger(app.db)
    watched(app, ledger)
    with ledger.phase("claim"):  # the worker's claim, the one that finds nothing after, and what is between
        await send(app, "101", "/hop tructuyen Giao ban chiều")
    receive, claim, handle, sent = (ledger.phases[p] for p in ("receive", "claim", "handle", "send"))
    assert (len(receive.statements), receive.commits) == (1, 1), receive
    # Claiming: the update claimed in one statement, committed before the handling (a crash counts), and the
    # pass's last claim that finds nothing waiting.
    assert (len(claim.statements), claim.commits) == (2, 2), claim
    # Handling, in one transaction: marked handled (reading the identity version, the reply the message got before
    # and whether its chat has a question open: it has none, so none is withdrawn), the entry stored unless a twin
    # was logged, numbered the commune's next (the counter and the per-day summary follow by triggers), its audit
    # line, the reply kept for a redelivery, the receipt in the outbox. No account query: the account came from
    # memory.
    assert len(handle.statements) == 5 and handle.commits == 1, handle.statements
    assert not any("pending_choices SET" in s for s in handle.statements), "no question to withdraw"
    async with inspecting(app.db) as session:
        counted = await session.scalar(text("SELECT sum(entries) FROM entry_days"))
        assert counted == await session.scalar(text("SELECT count(*) FROM entries")) == 2, "the summary kept"
    assert not any("chat_accounts" in s for s in handle.statements), "the account is read from memory"
    # Sending: what may go now, the claim, the outcome, whether another reply waits; where replicas share the
    # deployment's send budget (PostgreSQL), a slot of it taken before the send and freed after.
    shared_budget = app.db.engine.dialect.name == "postgresql"
    assert sent.commits == (4 if shared_budget else 2), sent
    assert receipt(2) in app.channels[0].transport.texts("101")[-1]


async def test_a_message_delivered_again_in_a_new_update_gets_its_first_reply_and_is_logged_once(app):
    await registered(app, "105")
    answers, answer = [], app.service.answer

    async def answering(incoming):
        answers.append(await answer(incoming))
        return answers[-1]

    app.service.answer = answering
    for _ in range(2):
        await send(app, "105", "/hop tructuyen Giao ban", message="m-7")
    first, again = (a.text for a in answers)
    assert receipt(1) in first and again == first, "the reply read as the handling began, not made again"
    assert sum(receipt() in t for t in app.channels[0].transport.texts("105")) == 1, "and sent once"
    async with inspecting(app.db) as session:
        assert await session.scalar(text("SELECT count(*) FROM entries")) == 1
        assert await session.scalar(text("SELECT count(*) FROM entry_days")) == 1
        assert await session.scalar(text("SELECT sum(entries) FROM entry_days")) == 1


async def test_a_new_command_through_the_inbox_withdraws_the_question_asked_before(app):
    await registered(app, "106")
    for _ in range(2):  # the second asks: the same meeting again?
        await send(app, "106", "/hop tructuyen Giao ban")
    await send(app, "106", "/hop tructiep Tiếp dân")
    await send(app, "106", "1")
    assert app.channels[0].transport.texts("106")[-1] == render_text("choice.stale")
    async with inspecting(app.db) as session:
        assert await session.scalar(text("SELECT count(*) FROM entries")) == 2, "the stale answer logged nothing"


async def test_a_revocation_made_by_another_process_is_seen_by_the_next_message(app, config):
    await registered(app, "102")
    await send(app, "102", "/hop tructuyen Giao ban")
    assert receipt(1) in app.channels[0].transport.texts("102")[-1]
    async with inspecting(app.db) as session:
        person = await session.scalar(text("SELECT person_id FROM chat_accounts WHERE external_id = '102'"))
    other = Service(config, Database(config.database.url), app.clock)  # the CLI, or another replica
    try:
        await other.prepare()
        await revoke(other, person)  # nothing of this process hears of it, but the database
    finally:
        await other.db.dispose()
    await send(app, "102", "/hop tructuyen Giao ban lần hai")
    assert receipt() not in app.channels[0].transport.texts("102")[-1], "a revoked person logs nothing"


async def version(db: Database) -> int:
    async with inspecting(db) as session:
        return await session.scalar(text("SELECT version FROM identity_version WHERE id = 1"))


@pytest.mark.parametrize(
    "change",
    [
        "INSERT INTO people (commune_id, full_name, created_at) VALUES (NULL, 'Mới', '2026-11-27 00:00:00')",
        "UPDATE people SET full_name = full_name || '.'",
        "UPDATE chat_accounts SET unreachable_at = '2026-11-27 00:00:00'",
        "UPDATE memberships SET active = NOT active",
        "UPDATE departments SET name = name || '.'",
        "UPDATE communes SET name = name || '.'",
        "DELETE FROM memberships",
    ],
)
async def test_every_change_to_who_someone_is_moves_the_identity_version(app, change):
    await registered(app, "103")
    before = await version(app.db)
    async with inspecting(app.db) as session:
        await session.execute(text(change))
        await session.commit()
    assert await version(app.db) > before


async def test_an_entry_moves_its_communes_counter_but_not_the_identity_version(app):
    await registered(app, "104")
    before = await version(app.db)
    await send(app, "104", "/hop tructuyen Giao ban")
    assert receipt(1) in app.channels[0].transport.texts("104")[-1]
    assert await version(app.db) == before, "every entry would otherwise forget every identity"


async def test_the_sender_is_woken_after_an_answer_only_for_what_was_queued_for_others(app):
    """An answer goes by `deliver_now`; a sender's pass woken meanwhile would race it for the same rows (a write
    lock and a lost claim a message). Only a message for other chats (a department told of its task) wakes it, and
    only once the answer went."""
    await registered(app, "101")
    leader = await new_invite(app.service, Role.LEADER, None)
    await send(app, "201", f"/start {leader.code}")
    app.sender._wakeup.clear()
    await send(app, "101", "/hop tructuyen Giao ban")
    assert not app.sender._wakeup.is_set(), "a receipt alone: nothing for the sender's own pass"
    await send(app, "201", "/giaoviec vhxh 15/12/2026 Rà soát hồ sơ")
    assert app.sender._wakeup.is_set(), "the department's notice of its task waits for the sender"
