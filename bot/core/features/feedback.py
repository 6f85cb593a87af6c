"""Citizens' and the Mặt trận's feedback with answers (Kế hoạch 641, §II.6, §IV.5): /gopy records one received
(its source, channel and subject), the leader hands it to one department with /chuyengopy (a task with a
deadline), /traloi records the answer; its grammar, texts and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.grammar import (
    NeedInput,
    ParseContext,
    ParseError,
    Tokens,
    echo,
    is_number,
    optional_date,
    parse_deadline,
)
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date

ORIGINS = {
    "nguoidan": "citizen",
    "congdan": "citizen",
    "tochuc": "organisation",
    "doanhnghiep": "organisation",
    "mattran": "front",
    "mttq": "front",
    "doanthe": "union",
}
CHANNELS = {
    "tructiep": "in_person",
    "tiepdan": "in_person",
    "dienthoai": "phone",
    "homthu": "mailbox",
    "zalo": "zalo",
    "vanban": "letter",
    "hoinghi": "meeting",
    "email": "email",
    "dichvucong": "portal",
}
MAX_SUBJECT = 120


def feedback_ref(token: str) -> int:
    """'G3', 'g3' or '3': a piece of feedback's number."""
    digits = token[1:] if token[:1] in ("G", "g") else token
    if not is_number(digits) or int(digits) == 0:
        raise ParseError("parse.bad_feedback_id", value=echo(token))
    return int(digits)


@dataclass(frozen=True)
class ListFeedback:
    """/gopy alone: the open feedback the sender may read."""


@dataclass(frozen=True)
class ShowFeedback:
    number: int


@dataclass(frozen=True)
class RecordFeedback:
    origin: str | None  # None: the Mặt trận's when its focal person records it, else a citizen's
    channel: str | None
    day: date
    subject: str
    body: str


@dataclass(frozen=True)
class AssignFeedback:
    number: int
    department: str
    due: date | None  # None: the configured working days after today


@dataclass(frozen=True)
class AnswerFeedback:
    number: int
    answer: str


def parse_feedback(tokens: Tokens, ctx: ParseContext) -> ListFeedback | ShowFeedback | RecordFeedback:
    if not tokens.raw:
        return ListFeedback()
    if len(tokens.raw) == 1 and tokens.raw[0][:1] in "Gg0123456789" and any(c.isdigit() for c in tokens.raw[0]):
        return ShowFeedback(feedback_ref(tokens.take()[0]))
    origin = tokens.alias(ORIGINS)
    channel = tokens.alias(CHANNELS)
    day = optional_date(tokens, ctx.today)
    body = tokens.summary()
    if not body:
        raise NeedInput("prompt.gopy")
    subject, colon, _ = body.partition(":")
    subject = subject.strip() if colon and subject.strip() else body
    return RecordFeedback(origin, channel, day, subject[:MAX_SUBJECT], body)


def parse_assign_feedback(tokens: Tokens, ctx: ParseContext) -> AssignFeedback:
    if not tokens.raw:
        raise NeedInput("prompt.chuyengopy")
    number = feedback_ref(tokens.take()[0])
    department = tokens.department(ctx.departments)
    if department is None:
        value = echo(tokens.raw[0]) if tokens.raw else ""
        raise ParseError("parse.unknown_department", value=value, codes=", ".join(ctx.departments))
    due = parse_deadline(tokens.take()[0], ctx.today) if tokens.raw else None
    tokens.no_more()
    return AssignFeedback(number, department, due)


def parse_answer(tokens: Tokens, ctx: ParseContext) -> AnswerFeedback:
    if not tokens.raw:
        raise NeedInput("prompt.traloi")
    number = feedback_ref(tokens.take()[0])
    answer = tokens.summary()
    if not answer:
        raise ParseError("parse.missing_answer")
    return AnswerFeedback(number, answer)


@dataclass(frozen=True)
class FeedbackRow:
    """A piece of feedback as users see it."""

    number: int
    origin: str
    channel: str | None
    day: date
    subject: str
    body: str
    due: date
    department: str | None  # the answering department's name, once handed to one
    answer: str | None = None
    answered_on: date | None = None


@dataclass(frozen=True)
class FeedbackRecorded:
    row: FeedbackRow


@dataclass(frozen=True)
class FeedbackList:
    today: date
    rows: tuple[FeedbackRow, ...]
    total: int


@dataclass(frozen=True)
class FeedbackShown:
    row: FeedbackRow


@dataclass(frozen=True)
class FeedbackAssigned:
    row: FeedbackRow
    task: int  # the V number chasing the answer


@dataclass(frozen=True)
class FeedbackAnswered:
    row: FeedbackRow
    days_late: int  # working days after the deadline


add_strings(
    {
        "usage.gopy": (
            "/gopy [nguoidan|tochuc|mattran|doanthe] [tructiep|dienthoai|homthu|zalo|vanban|hoinghi] [ngày] "
            "<chủ đề>: <nội dung>\n"
            "Ví dụ: /gopy nguoidan dienthoai Đường thôn 3: Đề nghị sửa đoạn đường hỏng, /gopy, /gopy G2"
        ),
        "usage.chuyengopy": (
            "/chuyengopy <số góp ý> <mã phòng> [hạn]\nVí dụ: /chuyengopy G2 kt, /chuyengopy G2 kt 20/12/2026"
        ),
        "usage.traloi": "/traloi <số góp ý> <nội dung trả lời>\nVí dụ: /traloi G2 Đã khảo sát, sửa xong",
        "summary.gopy": "ghi, xem ý kiến, kiến nghị của người dân, Mặt trận",
        "summary.chuyengopy": "giao một phòng trả lời góp ý",
        "summary.traloi": "ghi nội dung trả lời góp ý",
        "prompt.gopy": "Gõ nội dung góp ý, kiến nghị đã tiếp nhận.",
        "prompt.chuyengopy": "Gõ số góp ý, mã phòng trả lời và hạn (nếu khác mặc định).",
        "prompt.traloi": "Gõ số góp ý và nội dung trả lời.",
        "parse.bad_feedback_id": "Số góp ý “{value}” không hợp lệ.",
        "parse.missing_answer": "Thiếu nội dung trả lời.",
        "origin.citizen": "người dân",
        "origin.organisation": "tổ chức",
        "origin.front": "Mặt trận",
        "origin.union": "đoàn thể",
        "channel.in_person": "trực tiếp",
        "channel.phone": "qua điện thoại",
        "channel.mailbox": "qua hòm thư góp ý",
        "channel.zalo": "qua Zalo",
        "channel.letter": "bằng văn bản, đơn",
        "channel.meeting": "tại hội nghị",
        "channel.email": "qua thư điện tử",
        "channel.portal": "qua Cổng dịch vụ công",
        "feedback.recorded": "Đã ghi góp ý G{number} ({origin}{channel}) ngày {day}: {subject}. Hạn trả lời {due}.",
        "feedback.channel": ", {channel}",
        "feedback.not_found": "Không có góp ý G{number} mà bạn được xem.",
        "feedback.list_header": "🗣 Góp ý chưa trả lời ({count}):",
        "feedback.line": "G{number} {day} – {subject} – {where}, hạn {due}{late}",
        "feedback.unassigned": "chưa giao phòng",
        "feedback.late": " (quá hạn)",
        "feedback.list_more": "… và {count} góp ý khác.",
        "feedback.none": "Không có góp ý nào đang chờ trả lời.",
        "feedback.shown": "G{number} ({origin}{channel}) ngày {day}: {body}\n{where}, hạn trả lời {due}.",
        "feedback.shown_answer": "\n✅ Trả lời ngày {day}: {answer}",
        "feedback.shown_open": "\n⏳ Chưa trả lời.",
        "feedback.assigned": "Đã giao {department} trả lời góp ý G{number} (việc V{task}), hạn {due}: {subject}.",
        "feedback.already_assigned": "Góp ý G{number} đã giao {department} trả lời.",
        "feedback.answered": "Đã ghi trả lời góp ý G{number} ngày {day} ({timing}).",
        "feedback.already_answered": "Góp ý G{number} đã được trả lời ngày {day}.",
        "feedback.not_yours": "Chỉ phòng được giao trả lời góp ý G{number} hoặc lãnh đạo mới ghi trả lời được.",
        "feedback.where": "{department} trả lời",
    }
)


def _values(row: FeedbackRow) -> dict[str, object]:
    channel = text("feedback.channel", channel=text(f"channel.{row.channel}")) if row.channel else ""
    where = text("feedback.where", department=row.department) if row.department else text("feedback.unassigned")
    return {
        "number": row.number,
        "origin": text(f"origin.{row.origin}"),
        "channel": channel,
        "day": format_date(row.day),
        "due": format_date(row.due),
        "subject": row.subject,
        "body": row.body,
        "where": where,
        "department": row.department or "",
    }


@render.register
def _recorded(view: FeedbackRecorded) -> str:
    return text("feedback.recorded", **_values(view.row))


@render.register
def _list(view: FeedbackList) -> str:
    if not view.rows:
        return text("feedback.none")
    lines = [text("feedback.list_header", count=view.total)]
    for row in view.rows:
        late = text("feedback.late") if row.due < view.today else ""
        lines.append(text("feedback.line", late=late, **(_values(row) | {"subject": row.subject[:60]})))
    if view.total > len(view.rows):
        lines.append(text("feedback.list_more", count=view.total - len(view.rows)))
    return "\n".join(lines)


@render.register
def _shown(view: FeedbackShown) -> str:
    row = view.row
    said = text("feedback.shown", **_values(row))
    if row.answered_on is not None:
        return said + text("feedback.shown_answer", day=format_date(row.answered_on), answer=row.answer)
    return said + text("feedback.shown_open")


@render.register
def _assigned(view: FeedbackAssigned) -> str:
    return text("feedback.assigned", task=view.task, **_values(view.row))


@render.register
def _answered(view: FeedbackAnswered) -> str:
    timing = text("task.late", days=view.days_late) if view.days_late > 0 else text("task.on_time")
    return text("feedback.answered", number=view.row.number, day=format_date(view.row.answered_on), timing=timing)
