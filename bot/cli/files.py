"""The office's files from the command line: export (the workbook), draft (the report), import."""

from __future__ import annotations

from pathlib import Path

from bot.app import App
from bot.cli.common import Refusal, commune_code, main_of, run_with_app
from bot.config import Config
from bot.core.clock import local_date
from bot.core.commune import Commune
from bot.core.permissions import Actor, Grant, Role
from bot.core.texts import render, text


def _write_file(config: Config, code: str, make_job, out: str) -> int:
    """Render a file as the bot would and write it to `out`."""
    from bot.service.files import render_file

    async def work(app: App):
        commune = app.communes.by_code(code)
        job = make_job(commune)
        return await render_file(app.db, app.service.deployment, job, local_date(app.clock(), commune.tz))

    content, _, _ = run_with_app(App(config), work)
    Path(out).write_bytes(content)
    print(f"Đã ghi {out}.")
    return 0


@main_of
def cmd_export(args, config: Config) -> int:
    from bot.core.outcomes import FileJob
    from bot.service.files import period_of

    code = commune_code(config, args.commune)
    if args.period is not None and args.period not in [r.code for r in config.commune(code).reports]:
        raise Refusal(f"Không có kỳ báo cáo {args.period!r}.")
    job = lambda commune: FileJob("workbook", period_of(commune, args.year, args.period), commune_id=commune.id)  # noqa: E731
    return _write_file(config, code, job, args.out)


@main_of
def cmd_draft(args, config: Config) -> int:
    from bot.core.outcomes import FileJob
    from bot.service.files import period_of, report_title

    code = commune_code(config, args.commune)
    settings = config.commune(code)
    if args.report not in [r.code for r in settings.reports] or settings.report_document is None:
        raise Refusal("Cần kỳ báo cáo có trong [[reports]] và mục [report_document] trong cấu hình.")

    def job(commune: Commune) -> FileJob:
        period = period_of(commune, args.year, args.report)
        return FileJob("document", period, report_title(commune, args.report, args.year), commune_id=commune.id)

    return _write_file(config, code, job, args.out)


@main_of
def cmd_import(args, config: Config) -> int:
    from bot.core.features.files import ImportFile
    from bot.core.outcomes import Refused
    from bot.service.context import Source
    from bot.service.files import import_file
    from storage import people

    code = commune_code(config, args.commune)
    path = Path(args.file)
    if not path.is_file():
        raise Refusal(f"Không có tệp {path}.")

    async def work(app: App):
        commune = app.communes.by_code(code)
        name = text("import.cli_person")
        async with app.db.unit_of_work() as session:
            person_id = await people.system_person(session, commune.id, name, app.clock())
            await session.commit()
        actor = Actor(person_id, name, (Grant(Role.ADMIN),), commune.id)
        source = Source("cli", "cli", f"import:{path.name}:{app.clock().isoformat()}", "cli", upload=str(path))
        return await app.service.perform(commune, actor, source, import_file, ImportFile())

    outcome = run_with_app(App(config), work)
    if isinstance(outcome, Refused):
        raise Refusal(render(outcome))
    print(render(outcome))
    return 0
