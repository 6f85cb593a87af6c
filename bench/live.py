"""The live bot: `python -m bot run` as a process against a fake Bot API on 127.0.0.1, beside a python-telegram-bot
echo bot (`AIORateLimiter`) driven the same way.

Scale: one commune, 18 focal people registered through invites (40 for the crowd), 500 open tasks, a sweep every
5 s. Every time is taken by the fake: from an update queued to the sendMessage that answers it (the reply carries a
mark of its command). CPU from /proc/<pid>/stat over the crowd's 200 commands; memory is VmRSS at idle. The slowest
logging commands are told apart by the event loop's schedstat: time it ran, time it waited runnable for a CPU (a
busy machine), and the rest, blocked (fsync, the SQLite write lock, the network).

To look inside the process: BENCH_LIVE_HOOK=<module> imports that module in the bot before `bot` runs (a profiler,
timestamps of its steps; put its folder on PYTHONPATH), and BENCH_LIVE_KEEP=<folder> keeps the bot's log there with
each logging command's perf_counter start, latency, run and wait times (samples.txt), to read beside the hook's.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from bench.harness import Figure, median, percentile
from tests.fakes.bot_api_server import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
FOCAL, CROWD, OPEN_TASKS, SWEEP_SECONDS = 18, 40, 500, 5
LOGGING_SECONDS = 40  # commands one after another while sweeps run: 8 sweeps
BURST, BURSTS, EACH = 5, 3, 5  # a burst's commands, bursts measured, the crowd's commands each
TICK = os.sysconf("SC_CLK_TCK")
MARK = re.compile(r"q(\d+)z")
# A bare python-telegram-bot echo bot: what the platform and the library cost alone.
ECHO = """import sys
from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters
async def echo(update, context):
    await update.message.reply_text(update.message.text)
app = ApplicationBuilder().token(sys.argv[1]).base_url(sys.argv[2]).rate_limiter(AIORateLimiter()).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(timeout=1, poll_interval=0)
"""
# The bot with an import hook of the caller's (BENCH_LIVE_HOOK=module, e.g. a profiler or timestamps), then `bot`.
HOOKED = "import importlib, os, runpy; importlib.import_module(os.environ['BENCH_LIVE_HOOK']); runpy.run_module('bot', run_name='__main__', alter_sys=True)"  # noqa: E501


class TimedBotApi(FakeBotApi):
    """The fake Bot API that notes when each marked command was answered (the mark `q<n>z` in the reply)."""

    # The real API answers in one segment; without this, Nagle and the client's delayed ACK add ~40 ms to every
    # answer (headers and body are written apart), a floor under every figure.
    tcp_nodelay = True

    def __init__(self) -> None:
        super().__init__()
        self.answered: dict[int, float] = {}
        self._marks = itertools.count(1)

    def _send_message(self, params):
        response = super()._send_message(params)
        if response[0] == 200:
            for mark in MARK.findall(str(params.get("text"))):
                self.answered.setdefault(int(mark), time.perf_counter())
        return response

    def command(self, user: int, text: str) -> tuple[int, float]:
        """Queue `text q<n>z` from `user`: the mark and when it was queued."""
        mark = next(self._marks)
        began = time.perf_counter()
        self.push_text(user, f"{text} q{mark}z", first_name=f"Cán bộ {user}")
        return mark, began

    def answer(self, mark: int, timeout: float = 60.0) -> float:
        """When the command marked `mark` was answered (waits for it)."""
        with self._cond:
            if not self._cond.wait_for(lambda: mark in self.answered, timeout):
                raise AssertionError(f"command q{mark}z unanswered after {timeout}s")
            return self.answered[mark]

    def say(self, user: int, text: str, timeout: float = 60.0) -> float:
        """Seconds from queueing a command to its answer."""
        mark, began = self.command(user, text)
        return self.answer(mark, timeout) - began


class Process:
    """A child process whose CPU time and resident memory /proc tells."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        with log.open("ab") as stderr:
            self.popen = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT)

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime

    def scheduled(self) -> tuple[float, float]:
        """Seconds the main thread (the event loop) has run, and has waited runnable for a CPU (schedstat)."""
        ran, waited, _ = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/schedstat").read_text().split()
        return int(ran) / 1e9, int(waited) / 1e9

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def environment(fake: FakeBotApi) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1", "PYTHONUNBUFFERED": "1"}


def crowd(fake: TimedBotApi, users: list[int], text: str) -> float:
    """Seconds until every user has sent EACH commands, each waiting for the answer to the one before."""

    def person(user: int) -> None:
        for n in range(EACH):
            fake.say(user, f"{text} {n}")

    began = time.perf_counter()
    with ThreadPoolExecutor(len(users)) as pool:
        list(pool.map(person, users))
    return time.perf_counter() - began


def burst(fake: TimedBotApi, user: int, text: str) -> float:
    """Seconds from the first of BURST commands sent at once to the last answer."""
    sent = [fake.command(user, f"{text} {n}") for n in range(BURST)]
    return max(fake.answer(mark) for mark, _ in sent) - sent[0][1]


def users(first: int, count: int) -> list[int]:
    return list(range(first, first + count))


ECHO_USERS, FOCAL_USERS = 5001, 1001
HOP = "/hop truc_tuyen Giao ban"


def measure_echo(folder: Path) -> dict[str, float]:
    """The echo bot under the crowd: its time, CPU per command, idle memory, and one command's latency."""
    with TimedBotApi() as fake:
        echo = Process([sys.executable, "-c", ECHO, fake.token, fake.base_url], environment(fake), folder / "echo.log")
        try:
            fake.say(ECHO_USERS, "/start")
            rss = echo.rss_mb()
            single = [fake.say(ECHO_USERS, HOP) for _ in range(50)]
            cpu = echo.cpu()
            total = crowd(fake, users(ECHO_USERS, CROWD), HOP)
            cpu = (echo.cpu() - cpu) / (CROWD * EACH)
        finally:
            echo.stop()
    return {"rss": rss, "cpu": cpu, "crowd": total, "p50": median(single), "p99": percentile(single, 0.99)}


def config_text(fake: FakeBotApi, url: str, folder: Path) -> str:
    """The example configuration against the fake, on `url`, sweeping every SWEEP_SECONDS."""
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for old, new in (
        ('base_url = "https://api.telegram.org/bot"', f'base_url = "{fake.base_url}"'),
        ("poll_timeout = 30", "poll_timeout = 1"),
        ("sweep_seconds = 60", f"sweep_seconds = {SWEEP_SECONDS}"),
        ('url = "sqlite+aiosqlite:///data/binhlu.db"', f'url = "{url}"'),
        ('files_dir = "data/files"', f'files_dir = "{folder / "files"}"'),
    ):
        assert old in example, old
        example = example.replace(old, new, 1)
    return example


async def invites(config_path: Path, count: int) -> list[str]:
    """`count` focal invites, spread over the departments, made as `python -m bot invite` makes them."""
    from bot.config import load_config
    from bot.core.clock import utc_now
    from bot.core.permissions import Role
    from bot.service import Service
    from bot.service.access import create_invite
    from storage.db import Database

    config = load_config(config_path)
    service = Service(config, Database(config.database.url), utc_now)
    try:
        await service.prepare()
        commune = next(iter(service.communes))
        codes = sorted(commune.codes)
        async with service.db.unit_of_work() as session:
            made = [
                await create_invite(
                    session, commune, Role.FOCAL, codes[n % len(codes)], created_by="bench", ttl_hours=72, now=utc_now()
                )
                for n in range(count)
            ]
            await session.commit()
        return [invite.code for invite in made]
    finally:
        await service.db.dispose()


async def open_tasks(url: str, count: int) -> None:
    """`count` open tasks over the departments, due from ten days ago to two months ahead, as /giaoviec stores them."""
    from sqlalchemy import select

    from bot.core.clock import utc_now
    from storage import people, tasks
    from storage.db import Database
    from storage.models.people import Department
    from storage.models.tasks import Task

    db, now = Database(url), utc_now()
    try:
        async with db.unit_of_work() as session:
            codes = (await session.execute(select(Department.commune_id, Department.code))).all()
            commune_id = codes[0][0]
            creator = (await people.list_active_people(session, commune_id))[0].id
            for n in range(count):
                task = Task(
                    title=f"Việc số {n}", due_on=now.date() + timedelta(days=n % 70 - 10), progress=0,
                    created_by_id=creator, created_at=now, source_channel="bench", source_chat_id="seed",
                    source_message_id=str(n),
                )  # fmt: skip
                await tasks.add_task(session, commune_id, task, codes[n % len(codes)][1])
            await session.commit()
    finally:
        await db.dispose()


def register(fake: TimedBotApi, codes: list[str], first: int, timeout: float = 30.0) -> None:
    """Each code's /start from a person of its own, answered."""
    for n, code in enumerate(codes):
        fake.push_text(first + n, f"/start {code}", first_name=f"Cán bộ {first + n}")
    for n in range(len(codes)):
        fake.wait_for_count(first + n, 1, timeout)


def logging_while_sweeps(fake: TimedBotApi, bot: Process, focal: list[int]) -> dict[str, float]:
    """Logging commands one after another for LOGGING_SECONDS, the focal people in turn; the slowest 1% told apart
    by the event loop's run and wait times."""
    samples, stop = [], time.perf_counter() + LOGGING_SECONDS
    for user in itertools.cycle(focal):
        if time.perf_counter() > stop:
            break
        before = bot.scheduled()
        mark, began = fake.command(user, HOP)
        latency = fake.answer(mark) - began
        ran, waited = (b - a for a, b in zip(before, bot.scheduled(), strict=True))
        samples.append((began, latency, ran, waited))
    if keep := os.environ.get("BENCH_LIVE_KEEP"):  # for reading beside the bot's own timings (perf_counter)
        Path(keep, "samples.txt").write_text("".join(" ".join(f"{x:.4f}" for x in s) + "\n" for s in samples))
    latencies = [latency for _, latency, _, _ in samples]
    slowest = sorted(samples, key=lambda s: s[1])[-max(1, len(samples) // 100) :]
    return {
        "n": len(samples), "p50": median(latencies), "p99": percentile(latencies, 0.99), "max": max(latencies),
        **{name: median([s[i] for s in slowest]) for i, name in ((1, "slow"), (2, "slow_ran"), (3, "slow_waited"))},
    }  # fmt: skip


def drive_bot(fake: TimedBotApi, bot: Process, url: str, codes: list[str]) -> dict[str, float]:
    """Register, seed, let the sweeps settle, then measure the bot as the echo was measured."""
    register(fake, codes[:1], FOCAL_USERS, timeout=120)  # the bot has started
    register(fake, codes[1:FOCAL], FOCAL_USERS + 1)
    asyncio.run(open_tasks(url, OPEN_TASKS))
    time.sleep(2 * SWEEP_SECONDS)  # the first sweeps plan the tasks
    rss = bot.rss_mb()
    focal = users(FOCAL_USERS, FOCAL)
    logging = logging_while_sweeps(fake, bot, focal)
    bursts = []
    for user in focal[:BURSTS]:
        time.sleep(1.5)  # each chat's last answer a while ago
        bursts.append(burst(fake, user, HOP))
    register(fake, codes[FOCAL:], FOCAL_USERS + FOCAL)
    time.sleep(1.5)
    cpu = bot.cpu()
    total = crowd(fake, users(FOCAL_USERS, CROWD), HOP)
    cpu = (bot.cpu() - cpu) / (CROWD * EACH)
    return {"rss": rss, "cpu": cpu, "crowd": total, "burst": max(bursts), **logging}


def measure_bot(url: str, folder: Path) -> dict[str, float]:
    with TimedBotApi() as fake:
        config_path = folder / "config.toml"
        config_path.write_text(config_text(fake, url, folder), encoding="utf-8")
        codes = asyncio.run(invites(config_path, CROWD))
        hook = os.environ.get("BENCH_LIVE_HOOK")
        start = ["-c", HOOKED] if hook else ["-m", "bot"]
        argv = [sys.executable, *start, "run", "--config", str(config_path)]
        bot = Process(argv, environment(fake), folder / "bot.log")
        try:
            return drive_bot(fake, bot, url, codes)
        finally:
            bot.stop()
            if keep := os.environ.get("BENCH_LIVE_KEEP"):  # a folder: the bot's log is kept there
                shutil.copy(folder / "bot.log", keep)


def _measure(url: str) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-live-"))
    try:
        echo = measure_echo(folder)
        bot = measure_bot(url, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    scale = f"{FOCAL} focal, {OPEN_TASKS} open tasks, sweep every {SWEEP_SECONDS} s"
    ms = {key: f"{value * 1000:.0f}" for key, value in bot.items()}
    return [
        Figure("live: logging command p99 while sweeps run", bot["p99"] * 1000, "ms", 100,
               note=f"{scale}; {bot['n']} commands, p50 {ms['p50']} ms, max {ms['max']} ms; slowest 1% (median "
               f"{ms['slow']} ms): the loop ran {ms['slow_ran']}, waited for a CPU {ms['slow_waited']}, blocked "
               f"(disk, locks) the rest; echo p50 {echo['p50'] * 1000:.0f} ms, p99 {echo['p99'] * 1000:.0f} ms"),
        Figure(f"live: a burst of {BURST} commands all answered", bot["burst"], "s", 2, note=f"worst of {BURSTS}"),
        Figure(f"live: {CROWD} people × {EACH} commands, bot / echo time", bot["crowd"] / echo["crowd"], "×", 1.3,
               note=f"bot {bot['crowd']:.1f} s, echo {echo['crowd']:.1f} s"),
        Figure("live: CPU per command, bot / echo", bot["cpu"] / echo["cpu"], "×", 3,
               note=f"bot {bot['cpu'] * 1000:.1f} ms, echo {echo['cpu'] * 1000:.1f} ms"),
        Figure("live: resident memory at idle", bot["rss"], "MB", 70, note=f"echo {echo['rss']:.0f} MB"),
    ]  # fmt: skip


async def measure(database_url: str) -> list[Figure]:
    """The live bot's figures beside the echo's (the blocking drive runs in a thread of its own)."""
    return await asyncio.to_thread(_measure, database_url)
