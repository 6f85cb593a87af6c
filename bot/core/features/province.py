"""What the province officer sees: every commune on a line (who is behind first, a phone screen a page), the
province's totals, and which communes' departments still owe a report. The same figures as each commune's own
/chitieu, computed by the same code; here only arranged side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from bot.core.features.targets import period_name
from bot.core.periods import Period
from bot.core.targets import CapLine, Mark, TargetReport
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date, format_left, format_percent

PAGE = 8  # communes a page: two lines each, a phone screen


@dataclass(frozen=True)
class CommuneStanding:
    """One commune's figures over the period, as its chairman's /chitieu computes them."""

    code: str
    name: str
    report: TargetReport

    @property
    def behind(self) -> int:
        return sum(line.mark in (Mark.BEHIND, Mark.MISSED) for line in self.report.lines)

    @property
    def without_data(self) -> int:
        return sum(line.mark in (Mark.NO_DATA, Mark.INCOMPLETE) for line in self.report.lines)


def ranked(standings: list[CommuneStanding]) -> list[CommuneStanding]:
    """Who is behind first (most targets not met, then most without data), then by name."""
    return sorted(standings, key=lambda s: (-s.behind, -s.without_data, s.name))


@dataclass(frozen=True)
class ProvinceTable:
    """A page of the communes' standings, the province's totals, and how to see the next page."""

    province: str
    period: Period
    as_of: date
    rows: tuple[CommuneStanding, ...]  # this page's, ranked
    page: int
    pages: int
    first: int  # the rank of this page's first row
    totals: tuple[tuple[str, int, int | None], ...]  # (target key, part, whole or None for a count)


@dataclass(frozen=True)
class OwingCommune:
    name: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class ProvinceReports:
    """One report period across the province: the communes whose departments still owe it."""

    report: str
    year: int
    due: date
    today: date
    owing: tuple[OwingCommune, ...]
    communes: int


add_strings(
    {
        "province.header": "🏛 {period} – {province}{as_of}:",
        "province.as_of": " (đến {day})",
        "province.page": "Trang {page}/{pages}, xã chưa đạt chỉ tiêu lên trước.",
        "province.row": "{rank}. {mark} {name}{behind}",
        "province.behind": " – {count} chỉ tiêu chưa đạt",
        "province.figures": "   {figures}",
        "province.total": "Cả tỉnh: {figures}",
        "province.legend": "Họp: cuộc họp · TT: họp trực tuyến · VB: văn bản · ĐT: VB điện tử · HS: hồ sơ trực tuyến",
        "province.more": "Xem một xã: /chitieu <mã xã>",
        "option.next_page": "Trang {page} ›",
        "option.previous_page": "‹ Trang {page}",
        "short.meetings": "Họp",
        "short.online": "TT",
        "short.documents": "VB",
        "short.electronic": "ĐT",
        "short.dossiers": "HS",
        "short.no_data": "–",
        "short.mark.met": "✅",
        "short.mark.on_track": "🟢",
        "short.mark.behind": "🔴",
        "short.mark.missed": "❌",
        "short.mark.incomplete": "⚪",
        "short.mark.no_data": "",
        "short.mark.none": "",
        "province.mark.behind": "🔴",
        "province.mark.ok": "🟢",
        "province.mark.no_data": "⚪",
        "province.reports_header": "📑 {report} {year} – hạn {due} ({left}):",
        "province.reports_none": "Mọi xã đã nộp đủ ({communes} xã).",
        "province.reports_owing": "{count}/{communes} xã còn phòng chưa nộp:",
        "province.reports_line": "• {name}: {departments}",
        "province.sheet.commune": "Xã, phường",
        "province.sheet.target": "Chỉ tiêu",
        "province.sheet.part": "Thực hiện",
        "province.sheet.whole": "Trên tổng số",
        "province.sheet.share": "Tỷ lệ",
        "province.sheet.mark": "Đánh giá",
        "province.sheet.total": "Cả tỉnh",
    }
)


def _short(line) -> str:
    """'Họp 39🟢', 'TT 61,5%✅', 'HS –': one figure in a few characters."""
    label, mark = text(f"short.{line.target.key}"), text(f"short.mark.{line.mark}")
    if line.mark is Mark.NO_DATA:
        return f"{label} {text('short.no_data')}"
    if isinstance(line, CapLine):
        return f"{label} {format_count(line.count)}{mark}"
    return f"{label} {format_percent(line.share, floor=line.floor)}{mark}"


def _row_mark(standing: CommuneStanding) -> str:
    if standing.behind:
        return text("province.mark.behind")
    return text("province.mark.no_data" if standing.without_data == len(standing.report.lines) else "province.mark.ok")


def _total(key: str, part: int, whole: int | None) -> str:
    label = text(f"short.{key}")
    if whole is None:
        return f"{label} {format_count(part)}"
    return f"{label} {format_percent(Fraction(part, whole))}" if whole else f"{label} {text('short.no_data')}"


@render.register
def _table(view: ProvinceTable) -> str:
    over = view.as_of >= view.period.end
    as_of = "" if over else text("province.as_of", day=format_date(view.as_of))
    lines = [text("province.header", period=period_name(view.period), province=view.province, as_of=as_of)]
    if view.pages > 1:
        lines.append(text("province.page", page=view.page, pages=view.pages))
    for rank, standing in enumerate(view.rows, start=view.first):
        behind = text("province.behind", count=standing.behind) if standing.behind else ""
        lines.append(text("province.row", rank=rank, mark=_row_mark(standing), name=standing.name, behind=behind))
        lines.append(text("province.figures", figures=" · ".join(_short(line) for line in standing.report.lines)))
    lines.append(text("province.total", figures=" · ".join(_total(*total) for total in view.totals)))
    lines += [text("province.legend"), text("province.more")]
    return "\n".join(lines)


@render.register
def _reports(view: ProvinceReports) -> str:
    left = format_left((view.due - view.today).days)
    lines = [text("province.reports_header", report=view.report, year=view.year, due=format_date(view.due), left=left)]
    if not view.owing:
        lines.append(text("province.reports_none", communes=view.communes))
        return "\n".join(lines)
    lines.append(text("province.reports_owing", count=len(view.owing), communes=view.communes))
    for commune in view.owing:
        lines.append(text("province.reports_line", name=commune.name, departments=", ".join(commune.departments)))
    return "\n".join(lines)
