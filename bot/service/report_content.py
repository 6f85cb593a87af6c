"""The content of the departments' periodic reports, collected by the bot: /noidung asks a department's focal
person for its results (by the plan's task groups), difficulties and proposals, one short step at a time, with
buttons or numbered choices and free-text answers, editable until the consolidating department closes the period.
A department that has answered all three parts has submitted its report (late when late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.cleaning import clean_text, xml_safe
from bot.core.features.report_content import (
    MAX_ANSWER,
    TASK_GROUPS,
    ContentView,
    Result,
    WriteReport,
    due_values,
    group_name,
    parse_write,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import ANY_MEMBER
from bot.core.registry import Command, Feature
from bot.core.reports import DIFFICULTY, PROPOSAL, RESULT, ReportKind, open_years
from bot.core.texts import text
from bot.core.texts.format import format_count, format_date
from bot.figures import tracked_from
from bot.service.context import Context
from bot.service.reports import record_submission
from storage import awaiting, report_content, reports
from storage.models.report_content import AwaitedAnswer

TOPIC = "report_content"
ANSWER_TTL = timedelta(hours=2)  # as long as a question with options waits
STEP_WORDS = {RESULT: "ketqua", DIFFICULTY: "khokhan", PROPOSAL: "dexuat"}


@dataclass(frozen=True)
class Writing:
    """One department writing its report of one period, as the conversation goes through it."""

    code: str
    kind: ReportKind
    year: int

    def command(self, *step: object) -> str:
        """The command that takes the conversation to a step ('/noidung kt nam 2026 ketqua 4')."""
        return " ".join(["/noidung", self.code, self.kind.code, str(self.year), *map(str, step)])


async def writable_periods(ctx: Context, code: str) -> list[tuple[ReportKind, int]]:
    """The periods a department may write now: begun, tracked, owed by it, not closed; nearest due day first."""
    commune = ctx.here
    start = await tracked_from(ctx.session, commune)
    closed = await report_content.closed_periods(ctx.session, commune.id)
    found = [
        (kind, year)
        for kind in commune.reports
        if code in kind.owing(commune.codes)
        for year in open_years(kind, (), start, ctx.today)
        if (kind.code, year) not in closed
    ]
    return sorted(found, key=lambda found: abs((found[0].due(found[1]) - ctx.today).days))


async def content_period_options(ctx: Context, missing: Missing) -> list[Option]:
    """The periods the department may write, nearest due day first."""
    periods = await writable_periods(ctx, missing.context["code"])
    template = missing.template
    return [
        Option(Say.of("option.content_period", report=kind.name, year=year), template.format(f"{kind.code} {year}"))
        for kind, year in periods
    ]


async def _view(ctx: Context, at: Writing) -> ContentView:
    """What the department has answered for the period so far."""
    rows = await report_content.list_answers(ctx.session, ctx.here.id, at.kind.code, at.year, at.code)
    results = tuple(Result(r.task_group, r.body, r.with_file) for r in rows if r.part == RESULT and r.body.strip())
    parts = {r.part: r.body for r in rows if r.part != RESULT}
    closed = await report_content.get_closure(ctx.session, ctx.here.id, at.kind.code, at.year) is not None
    return ContentView(
        ctx.department_name(at.code), at.kind.name, at.year, at.kind.due(at.year), ctx.today, at.kind.code,
        results, parts.get(DIFFICULTY), parts.get(PROPOSAL), closed,
    )  # fmt: skip


def _where(ctx: Context) -> dict[str, object]:
    source = ctx.source
    return {"channel": source.channel, "chat_id": source.chat_id, "person_id": ctx.me.person_id, "now": ctx.now}


async def _ask_text(ctx: Context, at: Writing, part: str, group: int = 0) -> None:
    """Wait for the sender's next words here as this part of the department's report."""
    context = {"department": at.code, "report": at.kind.code, "year": at.year, "part": part, "group": group}
    await awaiting.await_answer(
        ctx.session, ctx.here.id, topic=TOPIC, context=context, expires_at=ctx.now + ANSWER_TTL, **_where(ctx)
    )


def _groups(at: Writing, view: ContentView) -> Question:
    """Which of the plan's task groups a result belongs to."""
    options = tuple(
        Option(group_name(n), at.command("ketqua", n))
        for n in TASK_GROUPS  # in the plan's order: 1–6
    )
    due = due_values(view.due, view.today)
    return Question(
        "content.ask_group", options, {"report": view.report, "year": at.year, "department": view.department, **due}
    )


def _menu(at: Writing, view: ContentView) -> Question:
    """The department's answers so far, and which part to add to or change."""
    options = (
        Option(Say.of("option.edit_results"), at.command("ketqua")),
        Option(Say.of("option.edit_difficulty"), at.command("khokhan")),
        Option(Say.of("option.edit_proposal"), at.command("dexuat")),
        Option(Say.of("option.done"), at.command("xong")),
    )
    return Question("content.menu", options, {"summary": view})


async def _step(ctx: Context, at: Writing, step: str | None, group: int | None) -> object:
    """The question of one step of the conversation (None: where the department stands)."""
    view = await _view(ctx, at)
    if step is None:
        started = view.results or view.difficulty is not None or view.proposal is not None
        return _menu(at, view) if started else _groups(at, view)
    if step == RESULT and group is None:
        return _groups(at, view)
    if step == RESULT:
        await _ask_text(ctx, at, RESULT, group)
        # Only Telegram hands a bot the files people send (Zalo's bots receive none): the hint is for it alone.
        file = Say.of("content.file_hint") if ctx.source.channel == "telegram" else ""
        return Say.of("content.ask_result", group=group_name(group), limit=format_count(MAX_ANSWER), file=file)
    if step in (DIFFICULTY, PROPOSAL):
        await _ask_text(ctx, at, step)
        nothing = Option(Say.of("option.nothing"), at.command(STEP_WORDS[step], "khongco"))
        return Question(f"content.ask_{step}", (nothing,), {"department": view.department})
    return await _finish(ctx, at)


async def _after(ctx: Context, at: Writing, part: str, group: int) -> object:
    """What comes once a part is saved: another result or the difficulties, then the proposals, then the end."""
    view = await _view(ctx, at)
    if part == RESULT:
        more = Option(Say.of("option.more_results"), at.command("ketqua"))
        if view.difficulty is None:
            follow = Option(Say.of("option.to_difficulty"), at.command("khokhan"))
        else:
            follow = Option(Say.of("option.done"), at.command("xong"))
        return Question("content.result_saved", (more, follow), {"group": group_name(group)})
    if part == DIFFICULTY and view.proposal is None:
        return await _step(ctx, at, PROPOSAL, None)
    return await _finish(ctx, at)


async def _finish(ctx: Context, at: Writing) -> Say:
    """The department's answers; once all three parts are in, its report is submitted (if it was not yet)."""
    view = await _view(ctx, at)
    if not view.complete:
        answers = {RESULT: view.results or None, DIFFICULTY: view.difficulty, PROPOSAL: view.proposal}
        parts = ", ".join(text(f"part.{part}") for part, body in answers.items() if body is None)
        missing = Say.of("content.still_missing", parts=parts, code=at.kind.code, year=at.year)
        return Say.of("content.finished", summary=view, submitted=missing)
    if await reports.list_submissions(ctx.session, ctx.here.id, at.kind.code, at.year, at.code):
        return Say.of("content.finished", summary=view, submitted="")
    return Say.of("content.finished", summary=view, submitted=await record_submission(ctx, at.code, at.kind, at.year))


async def _writable(ctx: Context, at: Writing) -> Refused | None:
    """Why the department cannot write this period now, if it cannot."""
    commune, kind, year = ctx.here, at.kind, at.year
    if at.code not in kind.owing(commune.codes):
        return Refused.of("content.not_required", department=ctx.department_name(at.code), report=kind.name)
    if kind.due(year) < (start := await tracked_from(ctx.session, commune)):
        return Refused.of("report.not_tracked", report=kind.name, year=year, start=start)
    if not kind.window(year).has_begun(ctx.today):
        return Refused.of("content.not_open", report=kind.name, year=year, start=format_date(kind.window(year).start))
    if await report_content.get_closure(ctx.session, commune.id, kind.code, year) is not None:
        return Refused.of("content.closed", report=kind.name, year=year, code=kind.code)
    return None


async def write(ctx: Context, command: WriteReport) -> object:
    """One step of a department's report for a period: asked, answered with a pick, or saved as "none"."""
    if ctx.source.is_group:
        return Refused.of("content.in_group")
    code = ctx.department_for(command.department)
    if not isinstance(code, str):
        return code
    commune = ctx.here
    if command.report is None:
        periods = [(k, y) for k, y in await writable_periods(ctx, code) if command.year in (None, y)]
        if len(periods) != 1:
            department = ctx.department_name(code)
            return Missing(Ask.CONTENT_PERIOD, f"/noidung {code} {{}}", department=department, code=code)
        kind, year = periods[0]
    else:
        kind = commune.report(command.report)
        year = command.year or min(
            (y for k, y in await writable_periods(ctx, code) if k.code == kind.code), default=ctx.today.year
        )
    at = Writing(code, kind, year)
    if (refused := await _writable(ctx, at)) is not None:
        return refused
    if command.none:
        await _stop_waiting(ctx)
        await _save(ctx, at, command.step, 0, "", None)
        return await _after(ctx, at, command.step, 0)
    return await _step(ctx, at, command.step, command.group)


async def _stop_waiting(ctx: Context) -> None:
    await awaiting.drop_awaited(ctx.session, ctx.here.id, **_where(ctx))


async def _save(ctx: Context, at: Writing, part: str, group: int, body: str, file_id: str | None) -> None:
    await report_content.save_answer(
        ctx.session, ctx.here.id, at.code, (at.kind.code, at.year), part, task_group=group, body=body,
        file_id=file_id, person_id=ctx.me.person_id, now=ctx.now,
    )  # fmt: skip
    await ctx.audit("answer", "report", f"{at.kind.code}:{at.year}", department=at.code, part=part, group=group)


async def take_answer(ctx: Context, awaited: AwaitedAnswer, typed: str) -> object:
    """A free-text answer to the part of the report the sender was asked: saved, then the next step."""
    context = awaited.context
    kind = ctx.here.report(context["report"])
    if kind is None:
        return Refused.of("choice.expired")
    at = Writing(context["department"], kind, context["year"])
    body = xml_safe(clean_text(typed)).strip()
    if not body:
        return Refused.of("content.file_needs_words" if ctx.source.attachment else "content.empty")
    if len(body) > MAX_ANSWER:
        return Refused.of("content.too_long", length=format_count(len(body)), limit=format_count(MAX_ANSWER))
    if (refused := await _writable(ctx, at)) is not None:
        return refused
    if not await awaiting.answer_awaited(ctx.session, ctx.here.id, awaited.id, ctx.now):
        return Refused.of("choice.used")
    await _save(ctx, at, context["part"], context["group"], body, ctx.source.attachment)
    return await _after(ctx, at, context["part"], context["group"])


FEATURE = Feature(
    "report_content",
    order=41,
    commands=(
        Command("noidung", parse_write, write, ANY_MEMBER, writes=True, aliases=("noidungbaocao", "vietbaocao")),
    ),
    asks={Ask.CONTENT_PERIOD: content_period_options},
    answers={TOPIC: take_answer},
)
