"""Running the bot, and what runs it once: run, remind, demo, db upgrade, db rebuild-summary."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot.app import AlreadyRunning, App, only_process
from bot.cli.common import NO_TOKEN, Refusal, channels_of, logger, main_of, run_with_app
from bot.config import Config
from bot.core.clock import running_clock
from bot.core.permissions import Role
from bot.http_server import HttpServers
from bot.logs import setup_logging
from jobs.sweep import sweep
from storage import entry_days


def on_port(config: Config, port: int | None) -> Config:
    """The configuration with every HTTP endpoint (both webhooks, the pages) on `port`, so they share one server:
    how several replicas of the bot run side by side on one machine, each on a port of its own."""
    if port is None:
        return config
    telegram, zalo = config.telegram, config.zalo
    return config.model_copy(
        update={
            "telegram": telegram.model_copy(update={"webhook": telegram.webhook.model_copy(update={"port": port})}),
            "zalo": zalo.model_copy(update={"webhook": zalo.webhook.model_copy(update={"port": port})}),
            "web": config.web.model_copy(update={"port": port}),
        }
    )


@main_of
def cmd_run(args, config: Config) -> int:
    config = on_port(config, args.port)
    servers = HttpServers()
    channels = channels_of(config, servers)
    if not channels:
        raise Refusal(NO_TOKEN)
    setup_logging(secrets=config.secrets())
    logger.info("starting the bot for %s", config.name)
    try:
        with only_process(config.database.url):
            asyncio.run(App(config, channels, servers=servers).run_until_signalled())
    except AlreadyRunning as running:
        raise Refusal(
            f"Bot đang chạy trên tệp {running} ở một tiến trình khác; SQLite chỉ cho một tiến trình. "
            "Dừng tiến trình kia, hoặc dùng PostgreSQL để chạy nhiều bản."
        ) from None
    return 0


@main_of
def cmd_db(args, config: Config) -> int:
    run_with_app(App(config), lambda app: asyncio.sleep(0))
    print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    return 0


@main_of
def cmd_db_rebuild_summary(args, config: Config) -> int:
    """Make every commune's per-day summary of entries again from the entries, each commune in one transaction."""

    async def work(app: App) -> list[tuple[str, int]]:
        done = []
        for commune in app.service.communes:
            async with app.db.unit_of_work() as session:
                done.append((commune.name, await entry_days.rebuild(session, commune.id)))
                await session.commit()
        return done

    for name, days in run_with_app(App(config), work):
        print(f"{name}: đã tính lại bảng tổng hợp theo ngày từ các mục đã ghi ({days} dòng).")
    return 0


def _instant(value: str, tz) -> datetime:
    """An ISO 8601 time; without an offset it is read in the commune's zone."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise Refusal(f"--at phải là thời điểm ISO 8601, ví dụ 2026-11-27T08:00: {value!r}") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=tz)


@main_of
def cmd_remind(args, config: Config) -> int:
    at = _instant(args.at, config.communes[0].commune.tz)
    servers = HttpServers()
    channels = [] if args.dry_run else channels_of(config, servers)
    if not args.dry_run and not channels:
        raise Refusal(NO_TOKEN)
    setup_logging(logging.WARNING, secrets=config.secrets())
    app = App(config, channels, clock=running_clock(at), servers=servers)

    async def work(app: App) -> None:
        queued = expired = 0
        new = []
        for settings in app.reminders():
            result, planned = await sweep(app.db, settings, app.clock(), dry_run=args.dry_run)
            queued, expired, new = queued + result.queued, expired + result.expired, new + planned
        if args.dry_run:
            for item in new:
                first_line = item.text.splitlines()[0]
                print(
                    f"{item.key.kind} {item.key.subject} {item.key.stage} {item.key.day} [{item.status}] "
                    f"→ {len(item.recipients)} chat: {first_line}"
                )
            pending = sum(i.status == "pending" for i in new)
            print(f"Sẽ gửi {pending} tin, bỏ qua {len(new) - pending} tin đã quá thời hạn gửi bù.")
            return
        await app.sender.drain()
        print(f"Đã xếp {queued} tin nhắc vào hàng đợi ({expired} quá hạn, không gửi).")

    run_with_app(app, work)
    return 0


@main_of
def cmd_demo(args, config: Config) -> int:
    from bot.demo import run_demo

    return run_demo(config, Role(args.as_role))
