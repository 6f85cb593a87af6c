"""A new command clears the question asked before it: a late answer is told so, and picks nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.core.texts import text
from storage import conversations
from tests.support.db import inspecting
from tests.support.texts import receipt

LEADER_ID = 2  # the focal person registers first


async def test_a_new_command_clears_the_pending_question(service, focal, leader):
    for n in range(2):
        assert receipt() in await focal.say(f"/hop truc_tuyen Họp {n}")
    question = await leader.send("/huy 1")
    assert question.options, "asked: cancel #1?"
    assert await leader.say("/huy 9") == text("cancel.not_found", id=9)
    assert await leader.say("1") == text("choice.stale")
    assert "Đã hủy" not in await leader.say("1")
    assert (await leader.send("/huy 1")).options, "asked again, and answered now"
    assert "Đã hủy #1" in await leader.say("1")


async def test_a_tapped_old_button_is_expired_too(service, focal, leader):
    assert receipt() in await focal.say("/hop truc_tuyen Họp")
    assert receipt() in await focal.say("/hop truc_tuyen Họp khác")
    question = await leader.send("/huy 1")
    await leader.say("/viec")
    async with inspecting(service.db) as session:
        since = service.clock() - timedelta(hours=1)
        choice = await conversations.latest_choice_since(session, "test", leader.user_id, LEADER_ID, since)
    assert question.options and choice is not None
    assert await leader.say(f"c:{choice.id}:1") == text("choice.expired")


async def test_an_answer_with_nothing_asked_is_still_not_a_command(service, leader):
    assert await leader.say("1") == text("access.not_a_command")
