"""The content of a periodic report, collected by the bot (section IV.3 of the plan): /noidung asks a department's
focal person, in a short conversation, its results under the plan's task groups (section II, 1–6), its
difficulties and obstacles, its proposals and recommendations; their grammar, texts and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo, is_number
from bot.core.reports import DIFFICULTY, PROPOSAL, RESULT
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_left, format_weekday

TASK_GROUPS = (1, 2, 3, 4, 5, 6)  # the plan's section II: their names are the texts group.N
DONE = "done"
STEPS = {"ketqua": RESULT, "khokhan": DIFFICULTY, "dexuat": PROPOSAL, "xong": DONE}
NONE_WORDS = frozenset({"khongco", "khong"})
MAX_ANSWER = 3000  # characters of one answer: a long paragraph, well under one chat message
SHOWN = 200  # characters of an answer repeated in the summary


@dataclass(frozen=True)
class WriteReport:
    """/noidung: start, continue or edit a department's answers for one period."""

    department: str | None
    report: str | None
    year: int | None
    step: str | None = None  # result, difficulty, proposal, done; None: where the department stands
    group: int | None = None  # the task group of a result
    none: bool = False  # "Không có": nothing to report in this part


def report_period(tokens: Tokens, ctx: ParseContext, *, required: bool) -> tuple[str | None, int | None]:
    report = tokens.alias({compact(code): code for code in ctx.reports})
    if report is None and required:
        value = tokens.raw[0] if tokens.raw else ""
        raise ParseError("parse.unknown_report", value=echo(value), codes=", ".join(ctx.reports))
    return report, tokens.year(ctx.today)


def parse_write(tokens: Tokens, ctx: ParseContext) -> WriteReport:
    department = tokens.department(ctx.departments)
    report, year = report_period(tokens, ctx, required=False)
    step = group = None
    none = False
    if tokens.raw:
        step = STEPS.get(compact(tokens.raw[0]))
        if step is None:
            raise ParseError("content.bad_step", value=echo(tokens.raw[0]))
        tokens.take()
    if step == RESULT and tokens.raw and is_number(tokens.raw[0]):
        group = int(tokens.take()[0])
        if group not in TASK_GROUPS:
            raise ParseError("content.bad_group", value=group, last=TASK_GROUPS[-1])
    if step in (DIFFICULTY, PROPOSAL) and tokens.raw and compact(tokens.raw[0]) in NONE_WORDS:
        tokens.take()
        none = True
    tokens.no_more()
    return WriteReport(department, report, year, step, group, none)


@dataclass(frozen=True)
class Result:
    """A department's result under one task group."""

    group: int
    body: str
    with_file: bool = False


@dataclass(frozen=True)
class ContentView:
    """What a department has answered for a period so far, and whether it may still change."""

    department: str
    report: str
    year: int
    due: date
    today: date
    code: str  # the report's code, for the commands the view suggests
    results: tuple[Result, ...] = ()
    difficulty: str | None = None  # None: not answered; "": answered "none"
    proposal: str | None = None
    closed: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.results) and self.difficulty is not None and self.proposal is not None


add_strings(
    {
        "usage.noidung": (
            "/noidung [mã phòng] [kỳ] [năm]\nVí dụ: /noidung nam (bot hỏi lần lượt kết quả theo nhóm nhiệm vụ, "
            "khó khăn, vướng mắc, đề xuất, kiến nghị)"
        ),
        "summary.noidung": "trả lời nội dung báo cáo định kỳ của phòng",
        "content.bad_step": "Không rõ phần “{value}”: ketqua, khokhan, dexuat hoặc xong.",
        "content.bad_group": "Nhóm nhiệm vụ “{value}” không có (1–{last}).",
        "group.1": "Tuyên truyền, quán triệt",
        "group.2": "Chấn chỉnh lề lối làm việc, nâng cao trách nhiệm công vụ",
        "group.3": "Đổi mới công tác soạn thảo, ban hành văn bản",
        "group.4": "Đổi mới chế độ hội họp",
        "group.5": "Đẩy mạnh cải cách hành chính, chuyển đổi số",
        "group.6": "Tăng cường kiểm tra, giám sát",
        "ask.content_period": "{department} trả lời nội dung báo cáo kỳ nào?",
        "ask.content_period_none": "{department} không còn kỳ báo cáo nào đang nhận nội dung.",
        "option.content_period": "{report} {year}",
        "content.in_group": "Nội dung báo cáo trả lời trong chat riêng với bot: hãy nhắn riêng /noidung.",
        "content.ask_group": (
            "📝 {report} {year} – {department} (hạn {weekday}, {due} – {left}).\n"
            "Kết quả thực hiện thuộc nhóm nhiệm vụ nào của Kế hoạch (mục II)?"
        ),
        "content.ask_result": (
            "Gõ kết quả thực hiện về “{group}” trong một tin nhắn (tối đa {limit} ký tự){file}. "
            "Đã ghi trước đó thì nội dung mới thay nội dung cũ."
        ),
        "content.file_hint": "; có thể gửi kèm tệp, gõ nội dung vào phần chú thích của tệp",
        "content.result_saved": "✅ Đã ghi kết quả “{group}”. Tiếp theo?",
        "content.ask_difficulty": "Khó khăn, vướng mắc của {department} trong kỳ? Gõ nội dung, hoặc chọn:",
        "content.ask_proposal": "Đề xuất, kiến nghị của {department}? Gõ nội dung, hoặc chọn:",
        "content.empty": "Chưa có nội dung: hãy gõ nội dung, hoặc gõ /noidung để bắt đầu lại.",
        "content.file_needs_words": "Đã nhận tệp nhưng chưa có nội dung: gửi lại tệp, gõ nội dung vào phần chú thích.",
        "content.too_long": "Nội dung dài {length} ký tự (tối đa {limit}): hãy rút gọn hoặc gửi kèm tệp.",
        "content.menu": "{summary}\nSửa hoặc bổ sung phần nào?",
        "content.closed": (
            "{report} {year} đã được phòng tổng hợp chốt; nội dung không sửa được nữa. "
            "Cần sửa, đề nghị phòng tổng hợp mở lại (/mobaocao {code} {year})."
        ),
        "content.not_required": "{department} không thuộc danh sách phải nộp {report}.",
        "content.not_open": "{report} {year} chưa đến kỳ: nhận từ ngày {start}.",
        "content.finished": "{summary}\n{submitted}",
        "content.still_missing": "Còn thiếu: {parts}. Gõ /noidung {code} {year} để trả lời tiếp.",
        "option.more_results": "Thêm kết quả nhóm khác",
        "option.to_difficulty": "Tiếp: khó khăn, vướng mắc",
        "option.edit_results": "Kết quả (thêm, sửa)",
        "option.edit_difficulty": "Khó khăn, vướng mắc",
        "option.edit_proposal": "Đề xuất, kiến nghị",
        "option.nothing": "Không có",
        "option.done": "Xong",
        "part.result": "kết quả thực hiện",
        "part.difficulty": "khó khăn, vướng mắc",
        "part.proposal": "đề xuất, kiến nghị",
        "content.header": "📝 {report} {year} – {department} (hạn {due}):",
        "content.results": "1. Kết quả thực hiện:",
        "content.result_line": "  • {group}: {body}{file}",
        "content.no_results": "  (chưa có)",
        "content.difficulty": "2. Khó khăn, vướng mắc: {body}",
        "content.proposal": "3. Đề xuất, kiến nghị: {body}",
        "content.unanswered": "(chưa trả lời)",
        "content.none": "không có",
        "content.with_file": " (kèm tệp)",
        "content.editable": "Sửa được đến khi phòng tổng hợp chốt kỳ: /noidung {code} {year}",
        "content.locked": "🔒 Kỳ đã chốt: nội dung không sửa được nữa.",
    }
)


def group_name(group: int) -> str:
    """A task group's name as the plan writes it."""
    return text(f"group.{group}")


def short(body: str) -> str:
    """An answer as the summary repeats it: on one line, cut with an ellipsis."""
    flat = " ".join(body.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


def _answer(body: str | None) -> str:
    if body is None:
        return text("content.unanswered")
    return short(body) if body.strip() else text("content.none")


def due_values(due: date, today: date) -> dict[str, str]:
    """The due day as a question and a reminder write it: weekday, date, days left or late."""
    return {"weekday": format_weekday(due), "due": format_date(due), "left": format_left((due - today).days)}


@render.register
def render_content(view: ContentView) -> str:
    """A department's answers for a period, as it and the consolidating department read them."""
    header = {"report": view.report, "year": view.year, "department": view.department, "due": format_date(view.due)}
    lines = [text("content.header", **header), text("content.results")]
    for result in view.results:
        file = text("content.with_file") if result.with_file else ""
        lines.append(text("content.result_line", group=group_name(result.group), body=short(result.body), file=file))
    if not view.results:
        lines.append(text("content.no_results"))
    lines.append(text("content.difficulty", body=_answer(view.difficulty)))
    lines.append(text("content.proposal", body=_answer(view.proposal)))
    if view.closed:
        lines.append(text("content.locked"))
    else:
        lines.append(text("content.editable", code=view.code, year=view.year))
    return "\n".join(lines)
