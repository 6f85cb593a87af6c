"""What the office files: /xuat (the workbook), /baocaomau (the drafted report), /nhap (import a file)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.targets import parse_targets
from bot.core.commands.tokens import Ask, Missing, ParseError, Tokens, compact, echo, looks_like_year
from bot.core.permissions import ADMINS, MANAGERS


@dataclass(frozen=True)
class ExportWorkbook:
    year: int
    report: str | None = None
    month: int | None = None


@dataclass(frozen=True)
class DraftReport:
    report: str
    year: int


@dataclass(frozen=True)
class ImportFile:
    pass


def parse_export(tokens: Tokens, ctx: ParseContext) -> ExportWorkbook:
    wanted = parse_targets(tokens, ctx)
    if wanted.department is not None:
        raise ParseError("parse.whole_commune")
    return ExportWorkbook(wanted.year, wanted.report, wanted.month)


def parse_draft(tokens: Tokens, ctx: ParseContext) -> DraftReport:
    if not tokens.raw:
        raise Missing(Ask.REPORT_KIND, "/baocaomau {}")
    report = tokens.alias({compact(code): code for code in ctx.reports})
    if report is None:
        raise ParseError("parse.unknown_report", value=echo(tokens.raw[0]), codes=", ".join(ctx.reports))
    if tokens.raw and not looks_like_year(tokens.raw[0]):
        raise ParseError("parse.bad_year", value=echo(tokens.raw[0]))
    year = tokens.year(ctx.today) or ctx.today.year
    tokens.no_more()
    return DraftReport(report, year)


COMMANDS = (
    CommandSpec("xuat", parse_export, MANAGERS, writes=False, aliases=("xuatexcel",), consolidating=True),
    CommandSpec("baocaomau", parse_draft, MANAGERS, writes=False, aliases=("duthao",), consolidating=True),
    CommandSpec(
        "nhap", lambda tokens, ctx: ImportFile(), ADMINS, writes=True, aliases=("nhapdulieu",), takes_file=True
    ),
)
