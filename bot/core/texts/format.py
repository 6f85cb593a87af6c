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


def format_percent(fraction: float | Fraction, *, round_down: bool = False) -> str:
    """A share with one decimal and a Vietnamese decimal comma: 0.6667 -> '66,7%'.

    `round_down` for a share short of its target: 99.96% must not read as '100,0%' beside 'chưa đạt'.
    """
    if round_down:
        tenths = math.floor(Fraction(fraction) * 1000)
        return f"{tenths // 10},{tenths % 10}%"
    return f"{float(fraction) * 100:.1f}".replace(".", ",") + "%"


def format_target_percent(fraction: float) -> str:
    """A target share, without a needless decimal: 0.6 -> '60%', 0.955 -> '95,5%'."""
    value = fraction * 100
    shown = f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}".replace(".", ",")
    return shown + "%"
