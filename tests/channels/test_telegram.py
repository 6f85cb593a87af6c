"""The Telegram adapter through python-telegram-bot, the Bot API faked at the request layer."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Chat, Document

from bot.app import App
from bot.channels.telegram import TelegramChannel, menu_commands, register_menu
from bot.core.permissions import Role
from bot.core.texts import text
from bot.ports import Delivery
from tests.channels.doubles import Pauses
from tests.fakes.offline_request import RecordingRequest
from tests.support.texts import receipt
from tests.support.updates import bot_message, make_callback_update, make_chat, make_message_update, make_user
from tests.support.users import new_invite

TOKEN = "123456789:" + "TEST_fake_token_for_handler_tests_" + "x" * 8


@pytest.fixture
async def app(config, clock, tmp_path):
    config = config.model_copy(
        update={"exports": config.exports.model_copy(update={"files_dir": str(tmp_path / "files")})}
    )
    request, pauses = RecordingRequest(), Pauses()
    channel = TelegramChannel(config.telegram, TOKEN, request=request, get_updates_request=request, sleep=pauses)
    app = App(config, [channel], clock=clock)
    await app.open()
    app.request, app.channel, app.pauses = request, channel, pauses
    yield app
    await app.stop()


async def feed(app, update) -> None:
    """As the poller does: commit the update to the inbox, then the worker handles it."""
    await app.inbox.accept("telegram", [Delivery(str(update.update_id), update.to_dict(), None)])
    await app.inbox.drain()
    await app.files_made()


def last_text(app) -> str:
    return app.request.sent()[-1]["text"]


async def registered(app, user_id: int, department: str = "vhxh"):
    user = make_user(user_id)
    invite = await new_invite(app.service, Role.FOCAL, department)
    await feed(app, make_message_update(app.channel.bot, f"/start {invite.code}", user=user))
    return user


async def test_unregistered_user_gets_one_polite_sentence(app):
    await feed(app, make_message_update(app.channel.bot, "/chitieu", user=make_user(11)))
    assert [m["text"] for m in app.request.sent()] == [text("access.unregistered")]


async def test_register_log_and_tap_a_button(app):
    bot = app.channel.bot
    user = await registered(app, 12)
    assert "Chào mừng Lan Nguyễn" in last_text(app)
    await feed(app, make_message_update(bot, "/hop@binhlu_test_bot truc_tuyen", user=user))
    assert last_text(app).startswith(receipt(1) + ": họp trực tuyến")
    await feed(app, make_message_update(bot, "/hop", user=user))
    question = app.request.sent()[-1]
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == ["Trực tuyến", "Trực tiếp"]
    data = keyboard[0][1]["callback_data"]
    asked = bot_message(bot, make_chat(12), 777)
    for _ in range(2):  # a double tap logs once
        await feed(app, make_callback_update(bot, data, user=user, message=asked))
    edits = app.request.sent("editMessageText")
    assert [e["text"] for e in edits] == [edits[0]["text"]] * 2 and "#2" in edits[0]["text"]
    assert [e["message_id"] for e in edits] == [777, 777]
    assert len(app.request.sent("answerCallbackQuery")) == 2


async def test_a_document_with_the_command_as_caption_is_kept(app):
    user = await registered(app, 15, "kt")
    document = Document("BQACAgUAAx0", "u1", file_name="bao-cao-nam.pdf")
    update = make_message_update(
        app.channel.bot, None, user=user, caption="/nopbaocao nam Bản ký số", document=document
    )
    await feed(app, update)
    assert "đã nộp Báo cáo năm 2026 (kèm tệp): Bản ký số" in last_text(app)


async def test_in_a_group_only_the_asker_may_answer(app):
    bot = app.channel.bot
    asker = await registered(app, 16)
    other = await registered(app, 17)
    group = make_chat(-700, Chat.GROUP)
    await feed(app, make_message_update(bot, "/hop", user=asker, chat=group))
    data = app.request.sent()[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    asked = bot_message(bot, group, 900)
    await feed(app, make_callback_update(bot, data, user=other, message=asked))
    [answer] = app.request.sent("answerCallbackQuery")
    assert answer["text"] == text("choice.not_yours") and answer["show_alert"] is True
    assert app.request.sent("editMessageText") == []
    await feed(app, make_callback_update(bot, data, user=asker, message=asked))
    assert receipt(1) in app.request.sent("editMessageText")[0]["text"]


async def test_commands_for_another_bot_are_ignored_in_groups(app):
    bot = app.channel.bot
    user = await registered(app, 13)
    before = len(app.request.sent())
    group = make_chat(-100, Chat.GROUP)
    await feed(app, make_message_update(bot, "/hop@other_bot truc_tuyen", user=user, chat=group))
    await feed(app, make_message_update(bot, "chào cả nhóm", user=user, chat=group))
    assert len(app.request.sent()) == before


async def test_a_group_reply_quotes_the_message(app):
    bot = app.channel.bot
    user = await registered(app, 18)
    group = make_chat(-800, Chat.GROUP)
    update = make_message_update(bot, "/toi", user=user, chat=group)
    await feed(app, update)
    assert app.request.sent()[-1]["reply_parameters"]["message_id"] == update.message.message_id


async def test_a_failing_handler_is_retried_then_apologises_for_what_was_not_saved(app, monkeypatch, caplog):
    async def broken(incoming):
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.service, "answer", broken)
    with caplog.at_level(logging.ERROR):
        await feed(app, make_message_update(app.channel.bot, "/chitieu", user=make_user(14)))
        assert app.request.sent() == [], "a first failure is retried, not apologised for"
        await app.inbox.drain()
        await app.inbox.drain()
    assert last_text(app) == text("error.not_saved") and "chưa được ghi" in last_text(app)
    assert any(r.exc_info and "database went away" in str(r.exc_info[1]) for r in caplog.records)


async def test_command_menu_is_vietnamese_and_its_failure_is_not_fatal(app, caplog):
    await register_menu(app.channel.bot)
    commands = app.request.sent("setMyCommands")[-1]["commands"]
    assert {"command": "chitieu", "description": "Tình hình thực hiện chỉ tiêu"} in commands
    app.request.fail("setMyCommands")
    with caplog.at_level(logging.WARNING):
        await register_menu(app.channel.bot)
    assert "could not register the command menu" in caplog.text
    assert len(menu_commands()) == len(commands)


async def test_each_persons_menu_shows_what_their_roles_allow(app):
    bot = app.channel.bot
    focal = await registered(app, 21)
    leader = make_user(22, "Hùng")
    invite = await new_invite(app.service, Role.LEADER, None)
    await feed(app, make_message_update(bot, f"/start {invite.code}", user=leader))
    menus = {
        call["scope"]["chat_id"]: [c["command"] for c in call["commands"]]
        for call in app.request.sent("setMyCommands")
        if "scope" in call
    }
    assert "giaoviec" not in menus[focal.id] and "thuhoi" not in menus[focal.id] and "hop" in menus[focal.id]
    assert "giaoviec" in menus[leader.id] and "thanhvien" in menus[leader.id]
    await feed(app, make_message_update(bot, "/toi", user=leader))
    per_chat = [call for call in app.request.sent("setMyCommands") if "scope" in call]
    assert len(per_chat) == 2, "set once per person, not on every message"


async def test_the_chart_arrives_as_a_photo_and_the_workbook_as_a_document(app):
    bot = app.channel.bot
    leader = make_user(23, "Hùng")
    invite = await new_invite(app.service, Role.LEADER, None)
    await feed(app, make_message_update(bot, f"/start {invite.code}", user=leader))
    await feed(app, make_message_update(bot, "/chitieu chitiet", user=leader))
    [photo] = app.request.sent("sendPhoto")
    assert photo["caption"].startswith("📈 Chỉ tiêu năm 2026 – UBND xã Bình Lư")
    await feed(app, make_message_update(bot, "/xuat", user=leader))
    [document] = app.request.sent("sendDocument")
    assert document["caption"].startswith("📎 Bảng tính Chỉ tiêu năm 2026")
    assert last_text(app).startswith("⏳ Đang tạo bảng tính")


async def test_the_text_of_chitieu_is_sent_before_its_chart_is_drawn_and_the_next_message_is_not_held(app, monkeypatch):
    import threading

    import bot.exports.chart

    drawing, release = threading.Event(), threading.Event()
    draw = bot.exports.chart.render_chart

    def slow(data):  # a chart that takes as long as the test says (drawn in a worker thread)
        drawing.set()
        release.wait()
        return draw(data)

    monkeypatch.setattr(bot.exports.chart, "render_chart", slow)
    bot = app.channel.bot
    leader = make_user(24, "Hùng")
    invite = await new_invite(app.service, Role.LEADER, None)
    await feed(app, make_message_update(bot, f"/start {invite.code}", user=leader))
    update = make_message_update(bot, "/chitieu chitiet", user=leader)
    await app.inbox.accept("telegram", [Delivery(str(update.update_id), update.to_dict(), None)])
    await app.inbox.drain()
    assert last_text(app).startswith("📊") and app.request.sent("sendPhoto") == [], "the figures go first"
    update = make_message_update(bot, "/toi", user=leader)
    await app.inbox.accept("telegram", [Delivery(str(update.update_id), update.to_dict(), None)])
    await app.inbox.drain()
    assert app.request.sent("sendPhoto") == [], "the next message was answered while the chart is drawn"
    await asyncio.to_thread(drawing.wait)
    release.set()
    await app.files_made()
    [photo] = app.request.sent("sendPhoto")
    assert photo["caption"].startswith("📈 Chỉ tiêu năm 2026")


class Inlet:
    """The inbox as the poller sees it: the first batch fails to be saved, the next is kept."""

    def __init__(self) -> None:
        self.attempts: list[list[str]] = []

    async def accept(self, channel, deliveries) -> None:
        self.attempts.append([d.key for d in deliveries])
        if len(self.attempts) == 1:
            raise RuntimeError("database is locked")

    def polled(self, channel, *, ok: bool) -> None:
        pass


async def test_a_batch_that_could_not_be_saved_is_not_acknowledged_and_polling_goes_on(app, monkeypatch, caplog):
    update = make_message_update(app.channel.bot, "/toi", user=make_user(31))
    offsets = []
    acknowledged = asyncio.Event()

    async def get_updates(self, offset=None, **_):
        offsets.append(offset)
        if offset is None:
            return [update]
        acknowledged.set()
        await asyncio.Event().wait()  # nothing more to say

    monkeypatch.setattr(type(app.channel.bot), "get_updates", get_updates)
    inlet = Inlet()
    await app.channel.start(inlet)
    await asyncio.wait_for(acknowledged.wait(), 10)
    assert inlet.attempts == [[str(update.update_id)]] * 2, "the same batch again, nothing skipped"
    assert offsets == [None, None, update.update_id + 1], "acknowledged only once it was saved"
    assert app.pauses.asked == [1.0], "one wait before trying again: no busy loop"
    assert "database is locked" in caplog.text


async def test_a_message_sent_without_a_link_preview_asks_telegram_for_none(app):
    from bot.channels.telegram_send import TelegramTransport
    from bot.core.messages import Outgoing

    transport = TelegramTransport(app.channel.bot)
    await transport.send("18", Outgoing("https://solieu.example/web/vao/x", link_preview=False))
    await transport.send("18", Outgoing("https://solieu.example/tep.xlsx"))
    without, with_preview = app.request.sent()[-2:]
    assert without["link_preview_options"] == {"is_disabled": True}
    assert "link_preview_options" not in with_preview, "an ordinary message is sent as before"
