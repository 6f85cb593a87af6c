"""Handlers through python-telegram-bot, the Bot API faked at the request layer."""

from __future__ import annotations

import itertools
import logging
import time

import pytest
from telegram import Update

from bot.channels.telegram import build_application, menu_commands, register_menu
from bot.core.permissions import Role
from bot.core.texts import text
from tests.fakes.offline_request import RecordingRequest

TOKEN = "123456789:" + "TEST_fake_token_for_handler_tests_" + "x" * 8
_ids = itertools.count(1)


def message_update(user_id: int, message: str, *, chat_id: int | None = None, chat_type: str = "private") -> dict:
    chat = {"id": chat_id or user_id, "type": chat_type}
    entities = []
    if message.startswith("/"):
        entities = [{"type": "bot_command", "offset": 0, "length": len(message.split()[0])}]
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan", "last_name": "Nguyễn"},
            "text": message,
            "entities": entities,
        },
    }


def button_update(user_id: int, data: str, message_id: int) -> dict:
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "chat_instance": "1",
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": 42, "is_bot": True, "first_name": "Bot"},
                "text": "?",
            },
        },
    }


@pytest.fixture
async def app(config, service):
    request = RecordingRequest()
    application = build_application(config, service, TOKEN, request=request, get_updates_request=request)
    await application.initialize()
    application.request = request
    yield application
    await application.shutdown()


async def feed(app, update: dict) -> None:
    await app.process_update(Update.de_json(update, app.bot))


def last_text(app) -> str:
    return app.request.sent()[-1]["text"]


async def test_unregistered_user_gets_one_polite_sentence(app):
    await feed(app, message_update(11, "/chitieu"))
    assert [m["text"] for m in app.request.sent()] == [text("access.unregistered")]


async def test_register_log_and_tap_a_button(app, service):
    invite = await service.create_invite(Role.FOCAL, "vhxh", created_by="test")
    await feed(app, message_update(12, f"/start {invite.code}"))
    assert "Chào mừng Lan Nguyễn" in last_text(app)
    await feed(app, message_update(12, "/hop@binhlu_test_bot truc_tuyen"))
    assert last_text(app).startswith("Đã ghi #1: họp trực tuyến")
    await feed(app, message_update(12, "/hop"))
    keyboard = app.request.sent()[-1]["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in keyboard[0]] == ["/hop truc_tuyen", "/hop truc_tiep"]
    for _ in range(2):  # a double tap logs once
        await feed(app, button_update(12, "/hop truc_tiep", message_id=777))
    edits = app.request.sent("editMessageText")
    assert [e["text"] for e in edits] == [edits[0]["text"]] * 2 and "#2" in edits[0]["text"]
    assert len(app.request.sent("answerCallbackQuery")) == 2


async def test_a_document_with_the_command_as_caption_is_kept(app, service):
    invite = await service.create_invite(Role.FOCAL, "kt", created_by="test")
    await feed(app, message_update(15, f"/start {invite.code}"))
    update = message_update(15, "")
    message = update["message"]
    del message["text"], message["entities"]
    message["caption"] = "/nopbaocao nam Bản ký số"
    message["document"] = {"file_id": "BQACAgUAAx0", "file_unique_id": "u1", "file_name": "bao-cao-nam.pdf"}
    await feed(app, update)
    assert "đã nộp Báo cáo năm 2026 (kèm tệp): Bản ký số" in last_text(app)


async def test_in_a_group_only_the_asker_may_tap_the_buttons(app, service):
    invite = await service.create_invite(Role.FOCAL, "vhxh", created_by="test")
    await feed(app, message_update(16, f"/start {invite.code}"))
    update = button_update(17, "/hop truc_tuyen", message_id=900)
    message = update["callback_query"]["message"]
    message["chat"] = {"id": -700, "type": "group"}
    message["reply_to_message"] = {
        "message_id": 899,
        "date": int(time.time()),
        "chat": {"id": -700, "type": "group"},
        "from": {"id": 16, "is_bot": False, "first_name": "Lan"},
        "text": "/hop",
    }
    await feed(app, update)
    [answer] = app.request.sent("answerCallbackQuery")
    assert answer["text"] == text("button.not_yours") and answer["show_alert"] is True
    assert app.request.sent("editMessageText") == []


async def test_commands_for_another_bot_are_ignored_in_groups(app, service):
    invite = await service.create_invite(Role.FOCAL, "vhxh", created_by="test")
    await feed(app, message_update(13, f"/start {invite.code}"))
    before = len(app.request.sent())
    await feed(app, message_update(13, "/hop@other_bot truc_tuyen", chat_id=-100, chat_type="group"))
    await feed(app, message_update(13, "chào cả nhóm", chat_id=-100, chat_type="group"))
    assert len(app.request.sent()) == before


async def test_a_failing_handler_still_answers_and_logs_the_traceback(app, service, monkeypatch, caplog):
    async def broken(incoming):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service, "handle", broken)
    with caplog.at_level(logging.ERROR):
        await feed(app, message_update(14, "/chitieu"))
    assert last_text(app) == text("error.internal")
    assert any(r.exc_info and "database went away" in str(r.exc_info[1]) for r in caplog.records)


async def test_command_menu_is_vietnamese_and_its_failure_is_not_fatal(app, caplog):
    await register_menu(app)
    commands = app.request.sent("setMyCommands")[-1]["commands"]
    assert {"command": "chitieu", "description": "Tình hình thực hiện chỉ tiêu"} in commands
    app.request.fail("setMyCommands")
    with caplog.at_level(logging.WARNING):
        await register_menu(app)
    assert "could not register the command menu" in caplog.text
    assert len(menu_commands()) == len(commands)
