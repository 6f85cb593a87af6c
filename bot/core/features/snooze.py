"""/hoanlai: hearing of one reminded item later ("Nhắc lại sau"); its grammar and texts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo, is_number, is_task_ref, task_ref
from bot.core.texts.catalogue import add_strings

MAX_DAYS = 30
DAY_WORDS = {"ngay": 1, "tuan": 7}
OFFERED = (1, 3, 7)  # the lengths offered when none was typed


@dataclass(frozen=True)
class Snooze:
    """`/hoanlai [V4 | nam 2026] [3 ngày]`: an item of the last reminder, and for how many days."""

    item: str | None
    days: int | None


def _days(tokens: Tokens) -> int | None:
    if not tokens.raw:
        return None
    count = tokens.take()[0]
    if not is_number(count):
        raise ParseError("parse.bad_snooze_days", value=echo(count))
    unit = DAY_WORDS["ngay"]
    if tokens.raw:
        word = compact(tokens.take()[0])
        if word not in DAY_WORDS:
            raise ParseError("parse.bad_snooze_days", value=echo(f"{count} {word}"))
        unit = DAY_WORDS[word]
    tokens.no_more()
    days = int(count) * unit
    if not 1 <= days <= MAX_DAYS:
        raise ParseError("parse.snooze_range", most=MAX_DAYS)
    return days


def parse_snooze(tokens: Tokens, ctx: ParseContext) -> Snooze:
    first = tokens.peek()
    if first is not None and is_task_ref(first):
        tokens.take()
        return Snooze(f"V{task_ref(first)}", _days(tokens))
    if first is not None and compact(first) in ctx.reports:
        code = compact(tokens.take()[0])
        year = tokens.peek()
        if year is None or not is_number(year) or len(year) != 4:
            raise ParseError("parse.snooze_report_year", code=code)
        tokens.take()
        return Snooze(f"{code} {year}", _days(tokens))
    return Snooze(None, _days(tokens))


add_strings(
    {
        "usage.hoanlai": (
            "/hoanlai [việc hoặc báo cáo] [số ngày]\nVí dụ: /hoanlai V4 3 ngày, /hoanlai nam 2026 1 tuần, /hoanlai"
        ),
        "summary.hoanlai": "nhắc lại một mục sau vài ngày",
        "parse.bad_snooze_days": "“{value}” không phải số ngày (ví dụ: 3 ngày, 1 tuần).",
        "parse.snooze_range": "Hoãn từ 1 đến {most} ngày.",
        "parse.snooze_report_year": "Hãy ghi cả năm của kỳ báo cáo, ví dụ: /hoanlai {code} 2026 3 ngày",
        "snooze.nothing": "Bạn chưa nhận tin nhắc nào để hoãn.",
        "snooze.not_listed": "{item} không có trong tin nhắc gần nhất của bạn.",
        "ask.snooze_item": "Hoãn nhắc mục nào?",
        "ask.snooze_days": "Nhắc lại {item} sau bao lâu?",
        "option.snooze_days": "{days} ngày",
        "option.snooze_week": "1 tuần",
        "snooze.done": "Đã hoãn nhắc {item} đến {weekday}, {until}. Tin nhắc tới sẽ ghi mục này đang hoãn.",
    }
)
