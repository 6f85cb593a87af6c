"""Input a fuzzer or an unlucky thumb sends: every one gets a short, clear answer and nothing breaks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.permissions import Role
from bot.core.replies import units
from bot.core.texts import text
from storage.models.messaging import OutboxKind, OutboxMessage
from tests.support.db import inspecting
from tests.support.users import User, new_invite


@pytest.mark.parametrize("message", ["/", " / ", "/\n", "/  "])
async def test_a_lone_slash_is_answered(service, focal, message):
    assert await focal.say(message) == text("access.not_a_command")
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


async def test_fuzzed_commands_never_raise(service, focal, leader):
    samples = ["/hop ²", "/hoso -0 -0", "/giaoviec kt 99/99", "/tiendo V0 50", "/xong V99999999999", "/chitieu thang ²"]
    samples += ["/nopbaocao nam 99999", "/baocao ² ²", "/help " + "é" * 100, "/suaviec V1 " + "x" * 400, "1", "99"]
    for message in samples:
        for user in (focal, leader):
            assert (await user.say(message)).strip()
