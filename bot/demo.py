"""`python -m bot demo`: a fresh SQLite file with a sample commune whose plan began last year (its history
imported, its reports submitted but the latest, which two departments owe), a console chat, and a preview of the
reminders the bot would send next; the folder it made is removed when it ends. It works on any day of the year."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from bot import demo_data
from bot.app import App
from bot.channels.console import ConsoleChannel, ConsoleChat, repl
from bot.config import Config, WebConfig
from bot.config.commune import BaselineConfig, PlanConfig
from bot.core.clock import Clock, local_date, utc_now
from bot.core.commune import Commune
from bot.core.features.files import ImportFile
from bot.core.permissions import Actor, Grant, Role
from bot.core.texts import format_date, text
from bot.http_server import free_port
from bot.service.access import create_invite
from bot.service.context import Source
from bot.service.files import import_file
from jobs.sweep import sweep
from storage import people

DEMO_PEOPLE = {
    Role.LEADER: ("demo-leader", "Chủ tịch UBND xã (demo)", None),
    Role.FOCAL: ("demo-focal", "Đầu mối Phòng VH-XH (demo)", "vhxh"),
    Role.ADMIN: ("demo-admin", "Văn phòng – quản trị (demo)", None),
    Role.FRONT: ("demo-mattran", "Đầu mối Mặt trận Tổ quốc xã (demo)", None),
}
# Dossiers are received by the public service centre (§IV.4), so its focal person logs them.
DOSSIER_CLERK = ("demo-tthcc", "Đầu mối Trung tâm PVHCC (demo)", "tthcc")
PROVINCE_OFFICER = ("demo-province", "Cán bộ Sở Nội vụ (demo)", None)


def demo_config(config: Config, folder: Path, today: date, web_port: int) -> Config:
    """The given config on a fresh SQLite file in `folder`, its files kept there too (never in data/), every
    commune's plan begun on 1 January of last year, with a baseline for the year before that if none is
    configured; the first commune's history is complete from then (imported at start), the others' records begin
    with what their people log in the demo. The web pages are on at http://127.0.0.1:`web_port`."""
    database = config.database.model_copy(update={"url": f"sqlite+aiosqlite:///{folder / 'demo.db'}"})
    exports = config.exports.model_copy(update={"files_dir": str(folder / "files")})
    start = demo_data.plan_start(today)
    communes = tuple(
        commune.model_copy(
            update={
                "plan": PlanConfig(start=start, data_from=start if rank == 0 else None),
                "baseline": {start.year - 1: BaselineConfig(meetings=118, documents=560), **commune.baseline},
            }
        )
        for rank, commune in enumerate(config.communes)
    )
    web = WebConfig(enabled=True, listen="127.0.0.1", port=web_port, public_url=f"http://127.0.0.1:{web_port}")
    return config.model_copy(update={"database": database, "exports": exports, "communes": communes, "web": web})


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


async def _chat(
    app: App, console: ConsoleChannel, commune: Commune | None, role: Role, person: tuple[str, str, str | None]
) -> ConsoleChat:
    user_id, name, department = person
    if commune is not None and app.service.deployment.several:
        user_id = f"{commune.code}-{user_id}"  # one console user per commune and role
    async with app.db.unit_of_work() as session:
        invite = await create_invite(
            session, commune, role, department, created_by="demo", ttl_hours=1, now=app.clock()
        )
        await session.commit()
    chat = console.chat(user_id, name)
    await chat.send(f"/start {invite.code}")
    return chat


def sample(today: date, rank: int) -> tuple[list[str], list[str], list[str]]:
    """A few weeks of a commune's work, as its focal person, dossier clerk and leader type it; a commune further
    down the list (`rank`) meets in person more and logs less, so that a province sees communes that differ."""

    def day(days_ago: int) -> str:
        return format_date(today - timedelta(days=days_ago))

    online = "tructuyen" if rank == 0 else "tructiep"
    focal = [
        f"/hop tructiep {day(40)} Giao ban tháng",
        f"/hop {online} {day(33)} Họp trực tuyến với Sở Văn hóa, Thể thao và Du lịch",
        f"/vanban dientu {day(26)} 101/UBND-VHXH Về việc triển khai KH 641",
        f"/hop {online} {day(12)} Giao ban tuần",
        f"/vanban giay {day(5)} 102/UBND-VHXH Giấy mời họp",
    ][: 5 - 2 * rank]
    clerk = [f"/hoso 42 3 {day(20)}", f"/hoso {17 - 8 * rank} {1 + 4 * rank} {day(2)}"]
    leader = [
        f"/hop kt tructiep {day(8)} Họp kinh tế quý",
        "/vanban vp mat",
        f"/giaoviec vhxh {format_date(today + timedelta(days=5))} Tổng hợp báo cáo năm của các phòng",
        f"/giaoviec kt {format_date(today + timedelta(days=12))} Rà soát hồ sơ đất đai tồn đọng",
    ]
    return focal, clerk, leader + ["/tiendo V1 40 Đã nhận báo cáo của 3 phòng"][: 2 - rank]


async def seed(app: App, console: ConsoleChannel, folder: Path) -> dict[Role, ConsoleChat]:
    """Import the first commune's history, register every commune's demo people through real invites, log a few
    weeks of sample work (and the first commune's reports) through the chat; the chats of the first commune's
    people and of a province officer."""
    await import_history(app, folder)
    chats: dict[Role, ConsoleChat] = {}
    for rank, commune in enumerate(app.communes):
        people = {role: await _chat(app, console, commune, role, person) for role, person in DEMO_PEOPLE.items()}
        clerk = await _chat(app, console, commune, Role.FOCAL, DOSSIER_CLERK)
        today = local_date(app.clock(), commune.tz)
        focal_lines, clerk_lines, leader_lines = sample(today, min(rank, 2))
        typed = [(people[Role.FOCAL], focal_lines), (clerk, clerk_lines), (people[Role.LEADER], leader_lines)]
        if rank == 0:
            seeded = demo_data.periods(commune, today)
            typed.append((people[Role.LEADER], [*demo_data.submissions(seeded, today), *demo_data.answers(seeded)]))
        for chat, lines in typed:
            for line in lines:
                await chat.send(line)
        chats = chats or people
    chats[Role.PROVINCE] = await _chat(app, console, None, Role.PROVINCE, PROVINCE_OFFICER)
    return chats


PREVIEW_DAYS = 7


async def preview_reminders(app: App, chat: ConsoleChat) -> list[str]:
    """What the bot will send this person at its next reminder time that has something for them (a dry run:
    nothing is written or sent)."""
    settings = app.reminders()[0]  # the first commune's, whose people the demo plays
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


async def show_spoken_day(chat: ConsoleChat) -> None:
    """A meeting logged with the day as people say it, recorded on that day (then cancelled: the demo's data stay)."""
    print(text("demo.spoken_day"))
    await chat.send("/hop vhxh tructuyen hôm qua Giao ban tuần")
    await chat.send("/huy")


def run_demo(config: Config, role: Role, read=input, clock: Clock = utc_now) -> int:
    """The demo in the terminal, as `role`, on a fresh folder removed at the end; `clock` says which day it is."""
    folder = Path(tempfile.mkdtemp(prefix="lelolamviec-demo-"))
    try:
        config = demo_config(config, folder, local_date(clock(), config.communes[0].commune.tz), free_port())
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
                place = app.service.deployment.name if role is Role.PROVINCE else next(iter(app.communes)).name
                print(text("demo.welcome", commune=place, name=chat.user_name))
                print(text("demo.data", path=folder))
                print(text("demo.choices"))
                print(text("demo.web", url=config.web.public_url))
                if role not in (Role.PROVINCE, Role.FRONT):  # neither reads the reports owed nor is reminded
                    print("\n".join(await preview_reminders(app, chat)))
                    await show_owed(app, chat)
                    await show_spoken_day(chat)
                await repl(chat, read)
                await app.sender.drain()  # an answer still queued (behind one being sent) is printed before the end
            finally:
                await app.stop()

        asyncio.run(lifetime())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0
