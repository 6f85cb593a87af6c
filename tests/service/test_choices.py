"""Choices: a question's options are stored, answered once, by the person asked, before they expire."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.core.permissions import Role
from bot.core.texts import CATALOGUE, text
from bot.service import Service
from storage.db import Database
from storage.models.entries import Entry, Meeting
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import User, register


async def count(service, model=Entry) -> int:
    async with inspecting(service.db) as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_a_choice_answered_twice_counts_once(service, focal):
    question = await focal.send("/hop")
    assert question.text == text("ask.meeting_mode") and len(question.options) == 2
    first = await focal.say("1")
    assert first.startswith(receipt(1) + ": họp trực tuyến")
    assert await focal.say("1") == text("access.not_a_command"), "a bare number with no question open is no answer"
    assert await count(service) == 1


async def test_a_tapped_button_answered_twice_gets_the_same_receipt(service, focal):
    await focal.send("/hop")
    token = await _token(service)
    first = await focal.send(token, edit_message_id="77")
    again = await focal.send(token, edit_message_id="77")
    assert first.text == again.text and receipt(1) in first.text and not again.alert
    assert await count(service) == 1


async def test_a_choice_survives_a_restart(service, config, clock, focal):
    await focal.send("/hop")
    await service.db.dispose()
    restarted = Service(config, Database(config.database.url), clock)
    await restarted.prepare()
    try:
        again = User(restarted, focal.user_id, focal.name)
        assert "họp trực tiếp" in await again.say("2")
    finally:
        await restarted.db.dispose()


async def test_in_a_group_only_the_asker_answers(service, focal):
    other = await register(service, "102", Role.FOCAL, "vhxh")
    await focal.send("/hop", chat_id="-50")
    assert await other.send("1", chat_id="-50") is None, "someone else's number is chatter in a group"
    token = await _token(service)
    refused = await other.send(token, chat_id="-50", edit_message_id="5")
    assert refused.text == text("choice.not_yours") and refused.alert and refused.outbox_ids == ()
    assert await count(service) == 0
    assert receipt(1) in await focal.say("1", chat_id="-50")
    async with inspecting(service.db) as session:
        [meeting] = (await session.scalars(select(Meeting).options(selectinload(Meeting.department)))).all()
    assert meeting.person_id == 1 and meeting.department.code == "vhxh"


async def test_an_expired_choice_is_refused(service, focal, clock):
    await focal.send("/hop")
    clock.advance(hours=3)
    assert await focal.say("1") == text("access.not_a_command")
    token = await _token(service)
    assert await focal.say(token) == text("choice.expired")
    assert await count(service) == 0


async def test_a_number_out_of_range_says_which_are_valid(service, focal):
    await focal.send("/hop")
    assert await focal.say("7") == text("choice.out_of_range", count=2)
    assert receipt(1) in await focal.say("2")


PARSE_ERRORS = [value.split("{")[0] for key, value in CATALOGUE.items() if key.startswith("parse.")]


@pytest.mark.parametrize(
    "role,command",
    [(Role.FOCAL, c) for c in ["hop", "vanban", "hoso", "huy", "chitieu", "nopbaocao", "baocao", "viec"]]
    + [(Role.FOCAL, c) for c in ["tiendo", "xong", "lienket", "toi", "help"]]
    + [(Role.LEADER, c) for c in ["hop", "vanban", "nopbaocao", "giaoviec", "thanhvien", "tiendo", "xong"]]
    + [(Role.ADMIN, c) for c in ["thuhoi", "lienket"]],
)
async def test_a_tap_on_the_command_menu_never_ends_in_an_error(service, role, command):
    user = await register(service, "700", role, "vhxh" if role is Role.FOCAL else None)
    leader = await register(service, "701", Role.LEADER)
    await leader.say("/giaoviec vhxh 10/12/2026 Tổng hợp báo cáo")
    reply = await user.send(f"/{command}")
    assert not any(reply.text.startswith(error) for error in PARSE_ERRORS), reply.text


async def _token(service) -> str:
    """The token a button of the latest question sends back."""
    from storage.models.messaging import PendingChoice

    async with inspecting(service.db) as session:
        choice = await session.scalar(select(PendingChoice).order_by(PendingChoice.id.desc()))
    return f"c:{choice.id}:1"
