"""Input a fuzzer or an unlucky thumb sends: every one gets a short, clear answer and nothing breaks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.core.permissions import Role
from bot.core.replies import units
from bot.core.texts import text
from storage.models.entries import Entry
from storage.models.messaging import OutboxKind, OutboxMessage
from tests.support.db import inspecting
from tests.support.users import User, new_invite


@pytest.mark.parametrize("message", ["/", " / ", "/\n", "/  "])
async def test_a_lone_slash_is_answered(service, focal, message):
    reply = await focal.say(message)
    assert reply.startswith("Sau “/” hãy gõ tên lệnh. Lệnh của bạn: /help, ") and "/hop" in reply, "which exist"
    assert "/giaoviec" not in reply, "only the sender's own"
    assert await User(service, "999", "Khách").say(message) == text("access.unregistered")


@pytest.mark.parametrize(
    "message",
    ["/" + "x" * 5000, "/hoso 1 " + "9" * 5000, "/hop truc_tuyen " + "31/02/" + "9" * 5000, "/huy " + "7" * 4400],
)
async def test_an_enormous_echo_is_shortened(service, focal, message):
    reply = await focal.say(message)
    assert units(reply) < 600 and "Cách dùng" in reply or reply.startswith("Không có lệnh /xxx"), reply


async def test_a_long_reply_is_split_under_the_channels_limit(service, admin):
    for n in range(60):
        user = User(service, str(5000 + n), "Nguyễn Văn " + "Thành " * 12 + str(n))
        invite = await new_invite(service, Role.FOCAL, "vhxh")
        await user.say(f"/start {invite.code}")
    answer = await admin.send("/thanhvien")
    assert units(answer.text) > 4096
    async with inspecting(service.db) as session:
        parts = (await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(answer.outbox_ids)))).all()
    assert (
        len(parts) > 1 and all(units(p.text) <= 4096 for p in parts) and {p.kind for p in parts} == {OutboxKind.REPLY}
    )
    assert "\n".join(p.text for p in parts) == answer.text, "split at line breaks, nothing lost"


# Malformed input, each with what a focal person and a leader must be told: never an apology, never a write.
FUZZED = {
    "/hop ²": (text("parse.unknown_meeting_kind", value="²"),) * 2,
    "/hoso -0 -0": (text("parse.bad_count", value="-0"),) * 2,
    "/giaoviec kt 99/99": (text("access.denied", command="giaoviec"), text("parse.bad_date", value="99/99")),
    "/tiendo V0 50": (text("parse.bad_task_id", value="0"),) * 2,
    "/xong V99999999999": (text("parse.bad_task_id", value="99999999999"),) * 2,
    "/chitieu thang ²": (text("parse.bad_month", value="²"),) * 2,
    "/baocao ² ²": (text("parse.unknown_report", value="²", codes="6thang, nam"),) * 2,
    "/help " + "é" * 100: (text("access.unknown_command", command="é" * 29 + "…"),) * 2,
    "/suaviec V1 " + "x" * 400: (text("access.denied", command="suaviec"), text("parse.too_long", limit=300)),
    "99": (text("access.not_a_command"),) * 2,
}


@pytest.mark.parametrize("message", sorted(FUZZED))
async def test_fuzzed_commands_get_their_answer_and_write_nothing(service, focal, leader, message):
    for user, expected in zip((focal, leader), FUZZED[message], strict=True):
        reply = await user.say(message)
        assert reply.startswith(expected), reply
    async with inspecting(service.db) as session:
        assert await session.scalar(select(func.count()).select_from(Entry)) == 0


@pytest.mark.parametrize("command", ["/thanhvien", "/xuat", "/baocaomau nam"])
async def test_what_is_not_for_a_whole_group_is_answered_in_private_only(service, leader, command):
    assert await leader.say(command, chat_id="-900") == text("access.private_only", command=command.split()[0][1:])
    assert await leader.say(command) != text("access.private_only", command=command.split()[0][1:])


async def test_in_a_group_the_tasks_listed_are_that_groups_departments_only(service, leader, admin):
    await leader.say("/giaoviec kt 15/12/2026 Rà soát đất đai")
    await leader.say("/giaoviec vp 15/12/2026 Tổng hợp")
    assert await leader.say("/viec", chat_id="-901") == text("access.private_only", command="viec"), "bound to none"
    await admin.say("/lienket kt", chat_id="-902")
    listed = await leader.say("/viec", chat_id="-902")
    assert "Rà soát đất đai" in listed and "Tổng hợp" not in listed
    assert "Tổng hợp" in await leader.say("/viec"), "in private, every department's"


@pytest.mark.parametrize(
    "message,stored",
    [
        ("/hop tructuyen Họp giao ban\x01tuần", "Họp giao bantuần"),
        ("/hop tructuyen Ca\u0301 nhân", "Cá nhân"),  # decomposed diacritics stored composed (NFC)
        ("/hop tructuyen Họp\u202e dân", "Họp dân"),  # no right-to-left override to reorder what is shown
    ],
)
async def test_text_is_cleaned_at_the_door(service, focal, message, stored):
    assert (await focal.say(message)).endswith(f": {stored}.")


async def test_a_lone_surrogate_is_refused_clearly_and_a_retype_works(service, focal):
    assert await focal.say("/hop tructuyen Họp \ud800 dân") == text("input.unreadable")
    async with inspecting(service.db) as session:
        assert await session.scalar(select(func.count()).select_from(Entry)) == 0
    assert (await focal.say("/hop tructuyen Họp dân")).endswith(": Họp dân.")
