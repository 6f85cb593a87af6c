"""Nothing lost, nothing counted twice: the bot as a process against the fake Bot API, killed with SIGKILL
in the middle of a burst, and a receipt whose sending fails."""

from __future__ import annotations

import re

from tests.e2e.conftest import PATIENCE
from tests.e2e.test_bot_process import BotProcess, Conversation, invite
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.texts import receipt

FOCAL, LEADER = 1001, 2001
PEOPLE, EACH = 15, 20  # a burst of 300 from 15 focal people: each chat's pace (5 at once, then 1/s) kept short
FOCALS = [FOCAL + n for n in range(PEOPLE)]


def meetings_counted(leader: Conversation) -> int:
    report = leader.say("/chitieu chitiet")
    return int(re.search(r"Cuộc họp: (\d+)", report)[1])


def receipts_by_meeting(fake: FakeBotApi) -> dict[tuple[int, int], int]:
    """How many receipts each person's 'Họp tổ <user> số n' got."""
    counts: dict[tuple[int, int], int] = {}
    for user in FOCALS:
        for message in fake.sent(user):
            if (found := re.search(rf"Họp tổ {user} số (\d+)\.$", message["text"])) is not None:
                counts[user, int(found[1])] = counts.get((user, int(found[1])), 0) + 1
    return counts


def test_a_burst_killed_midway_loses_nothing_and_counts_nothing_twice(tmp_path, fake, config_path):
    focal_codes = [invite(config_path, fake, "--role", "focal", "--department", "vhxh") for _ in FOCALS]
    leader_code = invite(config_path, fake, "--role", "leader")
    log = tmp_path / "bot.log"
    bot = BotProcess(config_path, fake, log)
    focals = [Conversation(fake, user, "Lan") for user in FOCALS]
    leader = Conversation(fake, LEADER, "Hùng")
    try:
        for focal, code in zip(focals, focal_codes, strict=True):
            assert "Chào mừng" in focal.say(f"/start {code}")
        assert "Chào mừng" in leader.say(f"/start {leader_code}")
        fake.hold("sendMessage")  # Telegram stalls: the first receipts hang, the rest wait their turn
        for n in range(1, EACH + 1):
            for user in FOCALS:
                last = fake.push_text(user, f"/hop tructuyen Họp tổ {user} số {n}", first_name="Lan")  # each its own
        # The bot acknowledges the burst only by asking past it: by then every update was committed.
        fake.wait_for_call("getUpdates", lambda params: int(params.get("offset") or 0) > last, timeout=PATIENCE)
        fake.wait_held(timeout=PATIENCE)  # a receipt is in flight, the rest of the burst is not yet handled
        bot.kill()
        fake.release("sendMessage")  # what was in flight had no caller left: it never arrives

        bot = BotProcess(config_path, fake, log)
        for user in FOCALS:
            fake.wait_for_count(user, 1 + EACH, timeout=PATIENCE)  # the welcome, then the burst's receipts
        assert meetings_counted(leader) == PEOPLE * EACH, "each counted once"
        expected = {(user, n): 1 for user in FOCALS for n in range(1, EACH + 1)}
        assert receipts_by_meeting(fake) == expected, "one receipt each, no more"
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
    assert fake.errors == []


def test_a_receipt_that_fails_to_send_is_retried_never_turned_into_a_second_entry(tmp_path, fake, config_path):
    focal_code = invite(config_path, fake, "--role", "focal", "--department", "vhxh")
    leader_code = invite(config_path, fake, "--role", "leader")
    bot = BotProcess(config_path, fake, tmp_path / "bot.log")
    focal, leader = Conversation(fake, FOCAL, "Lan"), Conversation(fake, LEADER, "Hùng")
    try:
        assert "Chào mừng" in focal.say(f"/start {focal_code}")
        assert "Chào mừng" in leader.say(f"/start {leader_code}")
        for failure in [(429, "Too Many Requests: retry after 1", {"retry_after": 1}), (502, "Bad Gateway", None)]:
            fake.fail_next("sendMessage", *failure)
        answer = focal.say("/hoso 19 1")
        assert answer.startswith(receipt()) and "19 trực tuyến, 1 trực tiếp" in answer
        assert not any("Xin lỗi" in m["text"] for m in fake.sent(FOCAL)), "no apology for what was saved"
        assert "19/20 hồ sơ" in leader.say("/chitieu chitiet"), "counted once"
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
