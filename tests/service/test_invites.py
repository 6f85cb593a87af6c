"""Invites that cannot be abused or misread: a retired department, bad lifetimes, guessing, and logs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from bot.core.permissions import Role
from bot.core.texts import text
from bot.logs import RedactTokens
from bot.service import Service
from storage.models.people import Invite, InviteFailure
from tests.conftest import commune_changed
from tests.support.databases import on_database
from tests.support.db import inspecting
from tests.support.users import User, new_invite


async def count(service, model, *where) -> int:
    async with inspecting(service.db) as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_an_invite_for_a_department_removed_from_the_config_is_refused_and_kept(service, config, clock):
    invite = await new_invite(service, Role.FOCAL, "qs")
    smaller = commune_changed(config, departments=[d for d in config.communes[0].departments if d.code != "qs"])
    shrunk = Service(smaller, service.db, clock)
    await shrunk.prepare()
    user = User(shrunk, "40", "An")
    assert await user.say(f"/start {invite.code}") == text("invite.department_gone")
    assert await count(service, Invite, Invite.used_at.is_(None)) == 1, "the code is not used up"
    await service.prepare()  # the department is configured again
    assert "Chào mừng An" in await User(service, "40", "An").say(f"/start {invite.code}")


@pytest.mark.parametrize("hours", ["0", "-1", "100000000"])
def test_invite_lifetimes_out_of_range_are_refused(tmp_path, capsys, hours, new_database):
    from tests.test_cli import ROOT

    path = tmp_path / "config.toml"
    path.write_text(on_database((ROOT / "config.example.toml").read_text(), new_database("x")))
    assert main(["invite", "--config", str(path), "--role", "admin", "--hours", hours]) == 2
    assert "--hours phải từ 1 đến 720" in capsys.readouterr().err


async def test_old_wrong_codes_are_forgotten(service, clock):
    user = User(service, "41", "Bình")
    for _ in range(3):
        await user.say("/start " + "C" * 32)
        clock.advance(hours=2)
    await user.say("/start " + "C" * 32)
    assert await count(service, InviteFailure) == 1


async def test_guessers_are_slowed_down_but_a_valid_code_always_works(service, config, clock):
    """150 wrong codes from a handful of accounts (the ceiling is 100 an hour) lock nobody else out."""
    guessers = [User(service, str(100 + n), "X") for n in range(6)]
    answers = []
    for attempt in range(150):
        answers.append(await guessers[attempt % 6].say("/start " + f"{attempt:032d}"))
        clock.advance(seconds=35)  # each account every 3.5 minutes: under its own limit of 5 in 15 minutes
    assert answers[:100].count(text("invite.unknown")) == 100, "each account had its tries"
    busy = answers[100:]
    assert busy.count(text("invite.throttled", minutes=15)) > busy.count(text("invite.unknown")), "then slowed"
    invite = await new_invite(service, Role.LEADER)
    assert "Chào mừng" in await User(service, "200", "Y").say(f"/start {invite.code}"), "a newcomer is let in"
    assert await guessers[0].say("/start " + "E" * 32) == text("invite.throttled", minutes=15), "still held back"


@pytest.mark.parametrize(
    "line",
    [
        '{"update_id": 5, "message": {"text": "/start AbCdEfGhIjKlMnOpQrStUv12"}}',
        "https://t.me/binhlu_bot?start=AbCdEfGhIjKlMnOpQrStUv12",
        'params={"text": "/start@binhlu_bot AbCdEfGhIjKlMnOpQrStUv12"}',
    ],
)
def test_invite_codes_never_reach_the_logs(line):
    redacted = RedactTokens().redact(line)
    assert "AbCdEfGhIjKlMnOpQrStUv12" not in redacted and "[MÃ MỜI]" in redacted


async def test_the_welcome_and_a_role_already_held_name_the_role_and_its_department(service):
    user = User(service, "60", "Lan")
    first = await new_invite(service, Role.FOCAL, "kt")
    assert await user.say(f"/start {first.code}") == (
        "Chào mừng Lan! Bạn đã được đăng ký: đầu mối – Phòng Kinh tế.\nGõ /help để xem các lệnh."
    )
    again = await new_invite(service, Role.FOCAL, "kt")
    assert await user.say(f"/start {again.code}") == "Bạn đã là đầu mối – Phòng Kinh tế; mã mời chưa được dùng."
    assert await count(service, Invite, Invite.used_at.is_(None)) == 1
