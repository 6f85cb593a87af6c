"""The fake Bot API server, exercised through python-telegram-bot itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageEntity, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from tests.fakes.bot_api_server import FakeBotApi

USER = 1001
GROUP = -4001


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """A running fake server, stopped after the test."""
    with FakeBotApi() as server:
        yield server
    assert server.errors == []


def make_bot(fake: FakeBotApi, token: str | None = None) -> Bot:
    """A PTB bot pointed at the fake."""
    return Bot(token or fake.token, base_url=fake.base_url)


async def test_get_me(fake: FakeBotApi) -> None:
    async with make_bot(fake) as bot:
        me = await bot.get_me()
    assert me.is_bot
    assert me.username == "binhlu_test_bot"
    assert me.id == 123456
    assert me.can_join_groups
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/bot"


async def test_send_message_is_recorded_with_reply_markup(fake: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="yes:1")]])
    async with make_bot(fake) as bot:
        first = await bot.send_message(USER, "Xin chào <b>đồng chí</b>", parse_mode="HTML", reply_markup=markup)
        second = await bot.send_message(USER, "123")
    assert first.message_id == 1 and second.message_id == 2
    assert first.chat.id == USER and first.from_user is not None and first.from_user.is_bot
    assert first.text == "Xin chào đồng chí"
    assert first.reply_markup == markup
    sent = fake.sent(USER)
    assert [m["text"] for m in sent] == ["Xin chào <b>đồng chí</b>", "123"]
    assert sent[0]["chat_id"] == USER
    assert sent[0]["reply_markup"] == {"inline_keyboard": [[{"text": "Có", "callback_data": "yes:1"}]]}
    assert sent[0]["params"]["parse_mode"] == "HTML"
    assert sent[1]["reply_markup"] is None
    assert fake.calls("sendMessage")[1][1]["text"] == "123"  # free text is never JSON-decoded


async def test_get_updates_delivers_command_with_entity_and_honours_offset(fake: FakeBotApi) -> None:
    message_id = fake.push_text(USER, "/start@binhlu_test_bot abc123", first_name="Lan")
    fake.push_text(USER, "hello")
    async with make_bot(fake) as bot:
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [1, 2]
        command = updates[0].message
        assert command is not None and command.message_id == message_id
        assert command.from_user is not None and command.from_user.first_name == "Lan"
        assert command.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, len("/start@binhlu_test_bot")),)
        assert command.parse_entities() == {command.entities[0]: "/start@binhlu_test_bot"}

        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [1, 2]  # nothing confirmed yet
        assert await bot.get_updates(offset=3, timeout=0) == ()
        assert fake.pending_updates == 0

        fake.push_text(USER, "/hop", chat_id=GROUP, chat_type="group", chat_title="UBND xã")
        fresh = await bot.get_updates(offset=3, timeout=0)
        assert len(fresh) == 1 and fresh[0].message is not None
        assert fresh[0].message.chat.type == "group" and fresh[0].message.chat.title == "UBND xã"
        assert fresh[0].message.message_id == 1  # message ids are per chat


async def test_long_poll_wakes_up_when_an_update_arrives(fake: FakeBotApi) -> None:
    timer = threading.Timer(0.2, fake.push_text, args=(USER, "muộn"))
    timer.start()
    async with make_bot(fake) as bot:
        started = time.monotonic()
        updates = await bot.get_updates(timeout=10)
        elapsed = time.monotonic() - started
    timer.join()
    assert [u.message.text for u in updates if u.message] == ["muộn"]
    assert elapsed < 1.5


async def test_long_poll_is_capped(fake: FakeBotApi) -> None:
    async with make_bot(fake) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=30) == ()
    assert time.monotonic() - started < 3


async def test_callback_query_carries_the_bot_message(fake: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
    async with make_bot(fake) as bot:
        sent = await bot.send_message(USER, "Chọn", reply_markup=markup)
        callback_id = fake.push_callback(USER, "ok", sent.message_id)
        (update,) = await bot.get_updates(timeout=0)
        query = update.callback_query
        assert query is not None and query.id == callback_id and query.data == "ok"
        assert query.message is not None and query.message.message_id == sent.message_id
        assert await query.answer("Đã nhận")
        edited = await bot.edit_message_text("Đã chọn", chat_id=USER, message_id=sent.message_id)
        assert not isinstance(edited, bool) and edited.text == "Đã chọn" and edited.reply_markup is None
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("Đã chọn", chat_id=USER, message_id=sent.message_id)
    assert fake.wait_for_call("answerCallbackQuery")["callback_query_id"] == callback_id


async def test_replay_redelivers_identical_content(fake: FakeBotApi) -> None:
    message_id = fake.push_text(USER, "/vanban 12/QĐ")
    first = fake.last_update_id
    assert first is not None
    second = fake.replay(first)
    async with make_bot(fake) as bot:
        updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert [u.message.message_id for u in updates if u.message] == [message_id, message_id]
    assert updates[0].message == updates[1].message


async def test_set_and_get_commands(fake: FakeBotApi) -> None:
    async with make_bot(fake) as bot:
        assert await bot.set_my_commands([("start", "Bắt đầu"), ("hop", "Báo cáo cuộc họp")])
        commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start", "hop"]
    assert fake.registered_commands()[1] == {"command": "hop", "description": "Báo cáo cuộc họp"}


async def test_send_document_multipart(fake: FakeBotApi) -> None:
    async with make_bot(fake) as bot:
        message = await bot.send_document(
            USER, InputFile(b"a;b\n1;2\n", filename="bao_cao.csv"), caption="Báo cáo tuần"
        )
    assert message.document is not None and message.document.file_name == "bao_cao.csv"
    (doc,) = fake.documents(USER)
    assert doc["caption"] == "Báo cáo tuần"
    assert doc["document"]["content"] == b"a;b\n1;2\n"


async def test_blocked_chat_raises_forbidden(fake: FakeBotApi) -> None:
    fake.block_chat(USER)
    async with make_bot(fake) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(USER, "Nhắc việc")
        await bot.send_message(USER + 1, "Vẫn gửi được")
    assert [m["chat_id"] for m in fake.sent()] == [USER + 1]
    assert len(fake.calls("sendMessage")) == 2


async def test_migrated_chat_raises_chat_migrated(fake: FakeBotApi) -> None:
    fake.migrate_chat(GROUP, -1009990001)
    async with make_bot(fake) as bot:
        with pytest.raises(ChatMigrated) as caught:
            await bot.send_message(GROUP, "Họp")
        await bot.send_message(caught.value.new_chat_id, "Họp")
    assert fake.sent()[0]["chat_id"] == -1009990001


async def test_rate_limit_raises_retry_after(fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else constructing RetryAfter warns (PTB 22.2+)
    fake.rate_limit(per_chat_per_second=2, retry_after=3)
    async with make_bot(fake) as bot:
        await bot.send_message(USER, "1")
        await bot.send_message(USER, "2")
        await bot.send_message(USER + 1, "other chat is fine")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "3")
    assert caught.value.retry_after == dt.timedelta(seconds=3)
    assert fake.too_many_requests == 1
    assert len(fake.sent()) == 3


async def test_group_rate_limit_per_minute(fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake.rate_limit(group_per_minute=1)
    async with make_bot(fake) as bot:
        await bot.send_message(GROUP, "1")
        with pytest.raises(RetryAfter):
            await bot.send_message(GROUP, "2")
        await bot.send_message(USER, "private chats are not limited per minute")
    assert fake.too_many_requests == 1


async def test_fail_next_is_one_shot(fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 400, "Bad Request: chat not found")
    async with make_bot(fake) as bot:
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(USER, "1")
        await bot.send_message(USER, "2")
    assert [m["text"] for m in fake.sent()] == ["2"]


async def test_wrong_token_is_unauthorized(fake: FakeBotApi) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with make_bot(fake, token="999:wrong-token"):  # initialize() calls getMe
            pass
    assert fake.calls() == []


async def test_wait_for_async_sees_messages_sent_later(fake: FakeBotApi) -> None:
    async with make_bot(fake) as bot:
        waiter = asyncio.create_task(fake.wait_for_async(lambda m: m["text"] == "xong", timeout=5))
        await bot.send_message(USER, "chưa")
        await bot.send_message(USER, "xong")
        found = await waiter
    assert found["message_id"] == 2
    assert len(fake.wait_for_count(USER, 2, timeout=1)) == 2


def test_wait_for_timeout_dumps_sent_messages(fake: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match="nothing sent"):
        fake.wait_for(lambda m: True, timeout=0.05)


def test_json_body_and_bad_path(fake: FakeBotApi) -> None:
    def post(path: str, payload: dict[str, object]) -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{fake.port}{path}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read())

    status, body = post(f"/bot{fake.token}/sendMessage", {"chat_id": USER, "text": "json"})
    assert status == 200 and body["ok"] is True
    assert fake.sent()[0]["text"] == "json"
    status, body = post("/nothing", {})
    assert status == 404 and body == {"ok": False, "error_code": 404, "description": "Not Found"}
    status, body = post(f"/bot{fake.token}/sendMessage", {"chat_id": USER, "text": " "})
    assert status == 400 and body["description"] == "Bad Request: message text is empty"


async def test_application_polling_end_to_end(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Xác nhận", callback_data=f"ok:{context.args}")]])
        await update.effective_message.reply_text(f"start {context.args}", reply_markup=markup)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"pressed {query.data}")

    async def other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("not a command")

    app = Application.builder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, other))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake.push_text(USER, "/start abc")
        reply = await fake.wait_for_async(lambda m: m["chat_id"] == USER)
        assert reply["text"] == "start ['abc']"
        fake.push_text(USER, "/start@binhlu_test_bot x", chat_id=GROUP, chat_type="supergroup")
        fake.push_text(USER, "/start@other_bot y", chat_id=GROUP, chat_type="supergroup")
        fake.push_text(USER, "xin chào", chat_id=GROUP, chat_type="supergroup")
        await fake.wait_for_count_async(GROUP, 2)
        fake.push_callback(USER, "ok:['abc']", reply["message_id"])
        edit = await asyncio.to_thread(fake.wait_for_call, "editMessageText")
        assert edit["text"] == "pressed ok:['abc']" and edit["message_id"] == reply["message_id"]
        await app.updater.stop()
        await app.stop()
    assert [m["text"] for m in fake.sent(GROUP)] == ["start ['x']", "not a command"]
    assert fake.pending_updates == 0
