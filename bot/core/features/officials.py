"""Each official's year, for the yearly evaluation (Kế hoạch 641, §I.2, §II.2: results tied to "đánh giá, xếp
loại cán bộ, công chức hằng năm"): the tasks they were named answerable for, done on time, late (working days)
or overdue, the progress updates they gave, the reports they submitted on time. Facts only: the bot scores no one.

A task keeps one lead department and may name one responsible official (`@<mã thành viên>`), never several."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo, is_number
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date


def responsible_ref(tokens: Tokens) -> int | None:
    """'@7' at the front: the member named answerable for a task (one person, never several)."""
    first = tokens.peek()
    if first is None or not first.startswith("@"):
        return None
    if not is_number(first[1:]) or int(first[1:]) == 0:
        raise ParseError("parse.bad_responsible", value=echo(first))
    tokens.take()
    if (second := tokens.peek()) is not None and second.startswith("@"):
        raise ParseError("parse.one_responsible")
    return int(first[1:])


SORTS = {"ten": "name", "viec": "led", "dunghan": "on_time", "tre": "late", "quahan": "overdue", "capnhat": "updates"}


@dataclass(frozen=True)
class ShowResults:
    """/ketqua [năm] [sắp xếp]."""

    year: int
    sort: str = "name"


def parse_results(tokens: Tokens, ctx: ParseContext) -> ShowResults:
    year = tokens.year(ctx.today) or ctx.today.year
    sort = "name"
    if tokens.raw:
        word = compact(tokens.take()[0])
        if word not in SORTS:
            raise ParseError("parse.bad_sort", value=echo(word), words=", ".join(SORTS))
        sort = SORTS[word]
    tokens.no_more()
    if year > ctx.today.year:
        raise ParseError("parse.future_period", value=str(year))
    return ShowResults(year, sort)


@dataclass(frozen=True)
class OfficialYear:
    """One official's facts of a year: tasks due in it they were answerable for, and what they did."""

    person_id: int
    name: str
    departments: tuple[str, ...]  # the codes they are focal for (none for a leader)
    led: int = 0  # tasks due in the year naming them
    on_time: int = 0
    late: int = 0  # done after the deadline
    late_days: int = 0  # working days late, summed over those
    overdue: int = 0  # still open past the deadline
    updates: int = 0  # progress updates they gave in the year
    reports_on_time: int = 0  # report periods of the year they submitted by the due day
    reports_late: int = 0

    def key(self, sort: str) -> tuple:
        """Sorted by a fact, largest first (by name: alphabetical), then by name."""
        if sort == "name":
            return (compact(self.name), self.person_id)
        return (-getattr(self, sort), compact(self.name), self.person_id)


@dataclass(frozen=True)
class OfficialResults:
    """The officials one person may see, for one year, as of a day."""

    year: int
    as_of: date
    scope: str
    rows: tuple[OfficialYear, ...]


add_strings(
    {
        "usage.ketqua": (
            "/ketqua [năm] [ten|viec|dunghan|tre|quahan|capnhat]\nVí dụ: /ketqua, /ketqua 2026, /ketqua 2026 tre"
        ),
        "summary.ketqua": "kết quả thực hiện nhiệm vụ của từng cán bộ trong năm (để đánh giá, xếp loại)",
        "parse.bad_responsible": "“{value}” không phải mã thành viên (ví dụ @3, xem /thanhvien).",
        "parse.one_responsible": "Mỗi việc chỉ giao một người chịu trách nhiệm.",
        "parse.bad_sort": "Không rõ cách sắp xếp “{value}”. Dùng: {words}.",
        "task.responsible": " Người chịu trách nhiệm: {name}.",
        "task.changed.responsible": "Đã giao việc V{id} cho {name} chịu trách nhiệm: {title}.",
        "task.responsible_unknown": "Không có thành viên mã {person_id} đang hoạt động của xã (xem /thanhvien).",
        "officials.header": "👤 Kết quả thực hiện nhiệm vụ năm {year} – {scope} (đến {day}):",
        "officials.line": (
            "• {name}{departments} (#{person_id}): chịu trách nhiệm {led} việc – đúng hạn {on_time}, "
            "trễ hạn {late}{late_days}, quá hạn chưa xong {overdue}; cập nhật tiến độ {updates} lần; "
            "báo cáo nộp đúng hạn {reports_on_time}, nộp muộn {reports_late}"
        ),
        "officials.late_days": " ({days} ngày làm việc)",
        "officials.none": "Chưa có cán bộ nào để hiển thị.",
        "officials.note": "Số liệu khách quan để tham khảo khi đánh giá, xếp loại; bot không chấm điểm.",
        "officials.scope_all": "toàn xã",
        "officials.scope_mine": "phòng của bạn",
    }
)


def official_line(row: OfficialYear) -> str:
    """One official's year on one line, as /ketqua lists them."""
    departments = f" ({', '.join(code.upper() for code in row.departments)})" if row.departments else ""
    late_days = text("officials.late_days", days=row.late_days) if row.late else ""
    values = {k: getattr(row, k) for k in ("led", "on_time", "late", "overdue", "updates", "person_id")}
    values |= {"reports_on_time": row.reports_on_time, "reports_late": row.reports_late}
    return text("officials.line", name=row.name, departments=departments, late_days=late_days, **values)


@render.register
def render_official_results(view: OfficialResults) -> str:
    """The /ketqua message."""
    if not view.rows:
        return text("officials.none")
    lines = [text("officials.header", year=view.year, scope=view.scope, day=format_date(view.as_of))]
    lines += [official_line(row) for row in view.rows]
    lines.append(text("officials.note"))
    return "\n".join(lines)
