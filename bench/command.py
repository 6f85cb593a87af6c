"""What one command costs: SQL statements and write transactions for a `/hop`, CPU against a bare
python-telegram-bot echo, the resident memory of an idle `python -m bot run`, and how soon `/chitieu`'s text goes
when its chart is drawn.

Statements are what the drivers are handed (`before_cursor_execute`, BEGIN aside) while the inbox worker claims and
handles one `/hop`; write transactions are the commits of that claim and that handling (receiving and sending are
said beside). CPU is process time (every thread: SQLite's and the chart's too) per message, in this process: the
bot's whole way (inbox, pipeline, receipt sent through python-telegram-bot to a recording request) and the
pipeline alone (`Service.handle`), each against an echo handler of python-telegram-bot on the same request.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bench.harness import Figure, median
from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import load_config
from bot.core.permissions import Role
from bot.ports import Delivery
from tests.support.users import User

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:" + "BENCH_fake_token_for_the_command_bench" + "x" * 4
MESSAGES = int(os.environ.get("BENCH_COMMANDS", "200"))  # commands timed per figure
CHARTS = 3  # /chitieu asked this many times (the first draws with matplotlib not yet imported)
# What an idle bot need not hold: the file makers, Alembic with no migration to run, aiohttp with no HTTP server
# (a polling bot still loads it through its channel's webhook module), every country's holidays but Vietnam's.
HEAVY = ("matplotlib", "openpyxl", "docx", "PIL", "numpy", "alembic", "aiohttp", "holidays.countries", "jinja2")


def _config_text(database_url: str, folder: Path, base_url: str | None = None) -> str:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    if base_url is not None:
        text = text.replace('base_url = "https://api.telegram.org/bot"', f'base_url = "{base_url}"')
    text = text.replace("poll_timeout = 30", "poll_timeout = 1").replace("enabled = true ", "enabled = false")
    text = re.sub(r'^url = ".*"', f'url = "{database_url}"', text, count=1, flags=re.MULTILINE)
    return text.replace('files_dir = "data/files"', f'files_dir = "{folder / "files"}"')


class Ledger:
    """Statements and commits on the app's writer and reader, while `on`."""

    def __init__(self, app: App) -> None:
        self.statements = self.commits = 0
        self.on = False
        for engine in {app.db.engine.sync_engine, app.db._reader.sync_engine}:
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "commit", self._commit)

    def _statement(self, conn, cursor, statement, *args) -> None:
        self.statements += self.on and not statement.lstrip().upper().startswith("BEGIN")

    def _commit(self, conn) -> None:
        self.commits += self.on


class Bot:
    """The bot in this process, its Telegram channel on a request that records and never opens a socket."""

    def __init__(self, database_url: str, folder: Path) -> None:
        from tests.channels.doubles import Pauses
        from tests.fakes.offline_request import RecordingRequest

        path = folder / "config.toml"
        path.write_text(_config_text(database_url, folder), encoding="utf-8")
        self.config = load_config(path)
        self.request = RecordingRequest()
        channel = TelegramChannel(self.config.telegram, TOKEN, request=self.request, get_updates_request=self.request,
                                  sleep=Pauses())  # fmt: skip
        self.app = App(self.config, [channel], clock=lambda: _now())
        self.channel = channel
        self.users = itertools.count(1000)
        self.sent_at: dict[str, float] = {}  # Bot API method -> when its last call left (perf_counter)
        recorded = self.request.do_request

        async def timed(url: str, method: str, *args, **kwargs):
            self.sent_at[url.rsplit("/", 1)[-1]] = time.perf_counter()
            return await recorded(url, method, *args, **kwargs)

        self.request.do_request = timed

    async def feed(self, update) -> None:
        """As the poller does: committed to the inbox, then handled and answered."""
        await self.app.inbox.accept("telegram", [Delivery(str(update.update_id), update.to_dict(), None)])
        await self.app.inbox.drain()

    async def member(self, role: Role, department: str | None = None):
        from bot.service.access import create_invite
        from tests.support.updates import make_message_update, make_user

        commune = next(iter(self.app.communes))
        async with self.app.db.unit_of_work() as session:
            invite = await create_invite(session, commune, role, department, created_by="bench", ttl_hours=1,
                                         now=_now())  # fmt: skip
            await session.commit()
        user = make_user(next(self.users))
        await self.feed(make_message_update(self.channel.bot, f"/start {invite.code}", user=user))
        return user

    def say(self, user, typed: str):
        from tests.support.updates import make_message_update

        return make_message_update(self.channel.bot, typed, user=user)


def _now():
    from tests.support.clock import DEFAULT_NOW

    return DEFAULT_NOW


async def _echo_cpu(n: int) -> float:
    """CPU seconds per message of python-telegram-bot's echo: an update processed, its text sent back."""
    from telegram import Bot as PtbBot
    from telegram.ext import Application, MessageHandler, filters

    from tests.fakes.offline_request import RecordingRequest
    from tests.support.updates import make_message_update, make_user

    request = RecordingRequest()
    application = Application.builder().bot(PtbBot(TOKEN, request=request)).build()

    async def echo(update, context) -> None:
        await update.message.reply_text(update.message.text)

    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    user = make_user(7)
    updates = [make_message_update(application.bot, f"/hop tructuyen Giao ban {i}", user=user) for i in range(n)]
    started = time.process_time()
    for update in updates:
        await application.process_update(update)
    spent = time.process_time() - started
    await application.shutdown()
    return spent / n


async def _claim_and_handle(bot: Bot, focal) -> tuple[int, int]:
    """Statements and commits while the inbox worker claims and handles one /hop (receiving and sending aside)."""
    app = bot.app
    ledger = Ledger(app)
    deliver = app.sender.deliver_now

    async def delivering(ids):
        ledger.on = False
        try:
            return await deliver(ids)
        finally:
            ledger.on = True

    update = bot.say(focal, "/hop tructuyen Giao ban đếm")
    await app.inbox.accept("telegram", [Delivery(str(update.update_id), update.to_dict(), None)])
    app.sender.deliver_now = delivering
    ledger.on = True
    try:
        assert await app.inbox.drain() == 1
    finally:
        ledger.on = False
        app.sender.deliver_now = deliver
    return ledger.statements - 1, ledger.commits - 1  # the pass's last claim, which found nothing, aside


async def _bot_figures(database_url: str, backend: str) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-command-"))
    bot = Bot(database_url, folder)
    app = bot.app
    await app.open()
    try:
        focal = await bot.member(Role.FOCAL, "vhxh")
        await bot.feed(bot.say(focal, "/hop tructuyen Giao ban đầu"))  # the account read once
        statements, commits = await _claim_and_handle(bot, focal)
        cpu = []
        for i in range(MESSAGES):
            update = bot.say(focal, f"/hop tructuyen Giao ban số {i}")
            started = time.process_time()
            await bot.feed(update)
            cpu.append(time.process_time() - started)
        person = User(app.service, str(focal.id), "bench", "telegram")
        handle_cpu = []
        for i in range(MESSAGES):
            incoming = person.incoming(f"/hop tructuyen Giao ban khác {i}")
            started = time.process_time()
            await app.service.handle(incoming)
            handle_cpu.append(time.process_time() - started)
        echo = await _echo_cpu(MESSAGES)

        text_ms, chart_ms = [], []
        for _ in range(CHARTS):
            leader = await bot.member(Role.LEADER)  # each ask its own chat: no chat's pace holds a chart back
            before = len(bot.request.sent("sendPhoto"))
            update = bot.say(leader, "/chitieu chitiet")
            started = time.perf_counter()
            await bot.feed(update)
            await app.files_made()
            text_ms.append((bot.sent_at["sendMessage"] - started) * 1000)  # when the text left for Telegram
            chart_ms.append((bot.sent_at["sendPhoto"] - started) * 1000)
            assert len(bot.request.sent("sendPhoto")) == before + 1, "the chart was sent"
    finally:
        await app.stop()
    ours, alone = median(cpu), median(handle_cpu)
    scale = f"{MESSAGES} messages, {backend}"
    return [
        Figure("SQL statements to claim and handle a /hop", statements, "statements", 4,
               note="inbox claim 1 + handling 5; receiving 1, sending 4 more"),
        Figure("write transactions to claim and handle a /hop", commits, "", 2,
               note="claim, handling; +1 to receive, +2 to send (claim, outcome)"),
        Figure("CPU per /hop, whole way, × the PTB echo", ours / echo, "×", 3,
               note=f"{ours * 1000:.1f} ms vs echo {echo * 1000:.2f} ms; {scale}"),
        Figure("CPU per /hop, Service.handle alone, × the PTB echo", alone / echo, "×", 3,
               note=f"{alone * 1000:.1f} ms; {scale}"),
        Figure("/chitieu text sent, the chart drawn after (first)", text_ms[0], "ms", 300,
               note=f"chart sent at {chart_ms[0]:,.0f} ms (matplotlib imported then)"),
        Figure("/chitieu text sent, the chart drawn after (median)", median(text_ms), "ms", 300,
               note=f"chart at {median(chart_ms):,.0f} ms; {CHARTS} asks"),
    ]  # fmt: skip


def _idle_rss(database_url: str) -> tuple[float, list[str]]:
    """Resident MB of `python -m bot run` idle against the fake Bot API, and which heavy libraries it imported."""
    from tests.fakes.bot_api_server import FakeBotApi

    folder = Path(tempfile.mkdtemp(prefix="bench-rss-"))
    with FakeBotApi() as fake:
        path = folder / "config.toml"
        text = _config_text(database_url, folder, fake.base_url)
        path.write_text(text.replace("base_url = ", f'base_file_url = "{fake.base_file_url}"\nbase_url = ', 1))
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1"}
        report = folder / "modules"
        code = (  # the modules it holds, written as it exits
            "import atexit, runpy, sys; "
            f"atexit.register(lambda: open({str(report)!r}, 'w').write(' '.join(sys.modules))); "
            "runpy.run_module('bot', run_name='__main__', alter_sys=True)"
        )
        process = subprocess.Popen([sys.executable, "-c", code, "run", "--config", str(path)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            fake.wait_for_call("getUpdates", timeout=120)
            time.sleep(3)  # idle: started, polling, nothing to do
            status = Path(f"/proc/{process.pid}/status").read_text()
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        modules = report.read_text().split() if report.exists() else []
    return rss, [m for m in HEAVY if m in modules]


async def measure(database_url: str) -> list[Figure]:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    figures = await _bot_figures(database_url, backend)
    rss, heavy = await asyncio.to_thread(_idle_rss, database_url)
    figures.append(Figure("resident memory of an idle `python -m bot run`", rss, "MB", 70,
                          note=f"heavy libraries loaded: {', '.join(heavy) or 'none'}"))  # fmt: skip
    return figures
