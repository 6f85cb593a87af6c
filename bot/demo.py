"""`python -m bot demo`: a fresh SQLite file with a sample commune whose plan began last year (its history
imported, its reports submitted but the latest, which two departments owe), a console chat, and a preview of the
reminders the bot would send next; the folder it made is removed when it ends. It works on any day of the year."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from bot import demo_data
from bot.app import App
from bot.channels.console import ConsoleChannel, ConsoleChat, repl
from bot.config import Config
from bot.config.commune import BaselineConfig, PlanConfig
from bot.core.clock import Clock, local_date, utc_now
from bot.core.features.files import ImportFile
from bot.core.permissions import Actor, Grant, Role
from bot.core.texts import format_date, text
from bot.service.access import create_invite
from bot.service.context import Source
from bot.service.files import import_file
from jobs.sweep import sweep
from storage import people

DEMO_PEOPLE = {
    Role.LEADER: ("demo-leader", "Chủ tịch UBND xã (demo)", None),
    Role.FOCAL: ("demo-focal", "Đầu mối Phòng VH-XH (demo)", "vhxh"),
    Role.ADMIN: ("demo-admin", "Văn phòng – quản trị (demo)", None),
}
# Dossiers are received by the public service centre (§IV.4), so its focal person logs them.
DOSSIER_CLERK = ("demo-tthcc", "Đầu mối Trung tâm PVHCC (demo)", "tthcc")


def demo_config(config: Config, folder: Path, today) -> Config:
    """The given config on a fresh SQLite file in `folder`, its files kept there too (never in data/), its first
    commune's plan begun on 1 January of last year with its history complete from then (imported at start), and a
    baseline for the year before that if none is configured."""
    database = config.database.model_copy(update={"url": f"sqlite+aiosqlite:///{folder / 'demo.db'}"})
    exports = config.exports.model_copy(update={"files_dir": str(folder / "files")})
    first, *rest = config.communes
    start = demo_data.plan_start(today)
    baselines = {start.year - 1: BaselineConfig(meetings=118, documents=560), **first.baseline}
    commune = first.model_copy(update={"plan": PlanConfig(start=start, data_from=start), "baseline": baselines})
    return config.model_copy(update={"database": database, "exports": exports, "communes": (commune, *rest)})


async def import_history(app: App, folder: Path) -> None:
    """The commune's records since the plan began, imported as an office imports its systems' exports."""
    commune = next(iter(app.communes))
    path = folder / "lich-su.csv"
    path.write_bytes(demo_data.history_csv(local_date(app.clock(), commune.tz), commune.calendar))
    name = text("import.cli_person")
    async with app.db.unit_of_work() as session:
        person_id = await people.system_person(session, commune.id, name, app.clock())
        await session.commit()
    actor = Actor(person_id, name, (Grant(Role.ADMIN),), commune.id)
    source = Source("demo", "demo", f"import:{path.name}", "demo", upload=str(path))
    await app.service.perform(commune, actor, source, import_file, ImportFile())


async def _chat(app: App, console: ConsoleChannel, role: Role, person: tuple[str, str, str | None]) -> ConsoleChat:
    user_id, name, department = person
    commune = next(iter(app.communes))
    async with app.db.unit_of_work() as session:
        invite = await create_invite(
            session, commune, role, department, created_by="demo", ttl_hours=1, now=app.clock()
        )
        await session.commit()
    chat = console.chat(user_id, name)
    await chat.send(f"/start {invite.code}")
    return chat


async def seed(app: App, console: ConsoleChannel, folder: Path) -> dict[Role, ConsoleChat]:
    """Import the commune's history, register the demo people through real invites, log a few weeks of sample
    work and the departments' reports through the chat."""
    await import_history(app, folder)
    chats = {role: await _chat(app, console, role, person) for role, person in DEMO_PEOPLE.items()}
    clerk = await _chat(app, console, Role.FOCAL, DOSSIER_CLERK)
    today = local_date(app.clock(), app.tz)
    focal, leader = chats[Role.FOCAL], chats[Role.LEADER]

    def day(days_ago: int) -> str:
        return format_date(today - timedelta(days=days_ago))

    for line in [
        f"/hop tructiep {day(40)} Giao ban tháng",
        f"/hop tructuyen {day(33)} Họp trực tuyến với Sở Văn hóa, Thể thao và Du lịch",
        f"/vanban dientu {day(26)} 101/UBND-VHXH Về việc triển khai KH 641",
        f"/hop tructuyen {day(12)} Giao ban tuần",
        f"/vanban giay {day(5)} 102/UBND-VHXH Giấy mời họp",
    ]:
        await focal.send(line)
    await clerk.send(f"/hoso 42 3 {day(20)}")
    await clerk.send(f"/hoso 17 1 {day(2)}")
    await leader.send(f"/hop kt tructiep {day(8)} Họp kinh tế quý")
    await leader.send("/vanban vp mat")
    await leader.send(f"/giaoviec vhxh {format_date(today + timedelta(days=5))} Tổng hợp báo cáo năm của các phòng")
    await leader.send(f"/giaoviec kt {format_date(today + timedelta(days=12))} Rà soát hồ sơ đất đai tồn đọng")
    await focal.send("/tiendo V1 40 Đã nhận báo cáo của 3 phòng")
    seeded = demo_data.periods(next(iter(app.communes)), today)
    for line in [*demo_data.submissions(seeded, today), *demo_data.answers(seeded)]:
        await leader.send(line)
    return chats


PREVIEW_DAYS = 7


async def preview_reminders(app: App, chat: ConsoleChat) -> list[str]:
    """What the bot will send this person at its next reminder time that has something for them (a dry run:
    nothing is written or sent)."""
    (settings,) = app.reminders()
    now = app.clock().astimezone(settings.tz)
    day = now.date()
    for _ in range(PREVIEW_DAYS):
        moment = datetime.combine(day, settings.at, tzinfo=now.tzinfo)
        day += timedelta(days=1)
        if moment <= now or not settings.calendar.is_working_day(moment.date()):
            continue
        _, planned = await sweep(app.db, settings, moment, dry_run=True)
        texts = [p.text for p in planned if any(r.chat_id == chat.user_id for r in p.recipients)]
        if texts:
            return [text("demo.preview", day=format_date(moment.date()), time=moment.strftime("%H:%M")), *texts]
    return [text("demo.preview_none")]


async def show_owed(app: App, chat: ConsoleChat) -> None:
    """The reports the commune's departments still owe, as this person sees them, and how to record one late."""
    commune = next(iter(app.communes))
    seeded = demo_data.periods(commune, local_date(app.clock(), commune.tz))
    if not seeded.past:
        return
    kind, year = seeded.past[-1]
    print(text("demo.owed"))
    await chat.send(f"/baocao {kind.code} {year}")
    print(text("demo.try_late", code=demo_data.OWING_LATEST[0], report=kind.code, year=year))


def run_demo(config: Config, role: Role, read=input, clock: Clock = utc_now) -> int:
    """The demo in the terminal, as `role`, on a fresh folder removed at the end; `clock` says which day it is."""
    folder = Path(tempfile.mkdtemp(prefix="lelolamviec-demo-"))
    try:
        config = demo_config(config, folder, local_date(clock(), config.communes[0].commune.tz))
        console = ConsoleChannel(print)
        app = App(config, [console], clock=clock)

        async def lifetime() -> None:
            await app.open()
            try:
                await console.start(app.inbox)
                with console.transport.muted():
                    chats = await seed(app, console, folder)
                    await app.sender.drain()  # the sample data's own notices go out quietly
                chat = chats[role]
                console.transport.listen_to(chat.user_id)  # the terminal shows what this person receives
                await app.start(sweep=False)
                print(text("demo.welcome", commune=next(iter(app.communes)).name, name=chat.user_name))
                print(text("demo.data", path=folder))
                print(text("demo.choices"))
                print("\n".join(await preview_reminders(app, chat)))
                await show_owed(app, chat)
                await repl(chat, read)
            finally:
                await app.stop()

        asyncio.run(lifetime())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0
