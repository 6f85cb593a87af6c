"""Dates, weekdays, days left and percentages the Vietnamese way: dd/mm/yyyy and a decimal comma."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from bot.core.texts.catalogue import add_strings, text

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

add_strings(
    {
        "left.future": "còn {days} ngày",
        "left.today": "hạn cuối hôm nay",
        "left.late": "đã trễ {days} ngày",
    }
)


def format_date(day: date) -> str:
    """A date the Vietnamese way: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def format_weekday(day: date) -> str:
    """The Vietnamese weekday name of a date."""
    return WEEKDAYS[day.weekday()]


def format_left(days_left: int) -> str:
    """'còn 3 ngày', 'hạn cuối hôm nay' or 'đã trễ 2 ngày'."""
    if days_left > 0:
        return text("left.future", days=days_left)
    return text("left.today") if days_left == 0 else text("left.late", days=-days_left)


def format_count(value: int) -> str:
    """A whole number with a dot between thousands: 12500 -> '12.500'."""
    return f"{value:,}".replace(",", ".")


def shown_tenths(fraction: float | Fraction, floor: float | None = None) -> int:
    """The one rounding rule of every share the bot shows, in tenths of a percent: half up (59/63, 93,65…%, is
    93,7%); but a share short of its target (`floor`) is never rounded up to reach it (94,96% of 95% is 94,9%).
    A mark is always decided on the exact share, never on this."""
    exact = Fraction(fraction)
    tenths = math.floor(exact * 1000 + Fraction(1, 2))
    if floor is not None and exact < (target := Fraction(str(floor))) and tenths >= target * 1000:
        tenths = math.ceil(target * 1000) - 1
    return tenths


def format_percent(fraction: float | Fraction, *, floor: float | None = None) -> str:
    """A share as the bot shows it (`shown_tenths`), with a Vietnamese decimal comma: 0.6667 -> '66,7%'."""
    tenths = shown_tenths(fraction, floor)
    return f"{tenths // 10},{tenths % 10}%"


def format_doc_date(day: date) -> str:
    """A date as an office writes it in a document's text, as the plan does: 10/4/2026, 15/12/2025."""
    return f"{day.day}/{day.month}/{day.year}"


def format_target_percent(fraction: float) -> str:
    """A target share, without a needless decimal: 0.6 -> '60%', 0.955 -> '95,5%'."""
    value = fraction * 100
    shown = f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}".replace(".", ",")
    return shown + "%"
