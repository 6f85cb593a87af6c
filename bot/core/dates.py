"""Days as officials type them on a phone: 'hôm kia', 'thứ hai tuần trước', 'sáng nay', '12/11', 'ngày 12 tháng 11'.

Read from the front of a command's words, with or without diacritics, in any case. Pure: everything takes
`today`. Words that look like a date but name no day are reported (UnclearDate), never taken for today;
whether a day may be logged (not in the future, not too old, which year a '12/11' means) is the caller's rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from bot.core.words import compact, fold

T = TypeVar("T")

DATE_TOKEN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")
LOOKS_LIKE_DATE = re.compile(r"^\d{1,4}[/.-]\d")  # read as a date, and refused if it is not one
SMALL_NUMBER = re.compile(r"[0-9]{1,2}")
YEAR = re.compile(r"[0-9]{4}|[0-9]{2}")
TRAILING = ",;:"  # 'hôm qua, họp ...': punctuation after a date is not part of it

UNCLEAR = "parse.unclear_date"
WEEK = "parse.week_not_day"
INVALID = "parse.bad_date"

_NAMES = ("hai", "ba", "tu", "nam", "sau", "bay")
WEEKDAYS: dict[str, int] = {
    **{f"thu{name}": i for i, name in enumerate(_NAMES)},  # thứ hai … thứ bảy
    **{f"thu{i + 2}": i for i in range(6)},  # thứ 2 … thứ 7
    **{f"t{i + 2}": i for i in range(6)},  # T2 … T7
    "chunhat": 6,
    "cn": 6,
}
DAYS = {"homnay": 0, "homqua": -1, "homkia": -2, "mai": 1, "ngaymai": 1, "ngaykia": 2}
PARTS = ("sang", "trua", "chieu", "toi", "dem")  # sáng, trưa, chiều, tối, đêm: of a day
PART_DAYS = {f"{part}{word}": offset for part in PARTS for word, offset in (("nay", 0), ("qua", -1), ("mai", 1))}
WEEK_WORDS = {"nay": 0, "truoc": -1, "roi": -1, "qua": -1, "truocnua": -2, "sau": 1, "toi": 1}
WEEKS = {f"tuan{word}": weeks for word, weeks in WEEK_WORDS.items()}  # tuần trước: a week, not a day
# After a weekday: which week (None: the most recent such day, today included).
AFTER_WEEKDAY: dict[str, int | None] = {**WEEKS, "nay": 0, "vuaqua": None, "vuaroi": None}
YEAR_WORDS = {"nay": 0, "ngoai": -1, "truoc": -1}  # năm nay, năm ngoái, năm trước
# After 'thu' typed without diacritics, a weekday attempted ('thu 8', 'thu tam'); 'thu' alone may be 'thu ngân sách'.
NOT_WEEKDAYS = ("nhat", "mot", "tam", "chin", "muoi", "bon")


class DayForm(StrEnum):
    """How a day was written, which decides what the caller may still have to ask."""

    RELATIVE = "relative"  # counted from today: 'hôm qua', 'thứ hai', 'mai'
    DAY_MONTH = "day_month"  # a day and month without a year, dated this year
    FULL = "full"  # day, month and year


@dataclass(frozen=True)
class SpokenDay:
    """The day the leading words name, how many words they took, and those words as typed (for echoing)."""

    day: date
    consumed: int
    text: str
    form: DayForm


class UnclearDate(Exception):  # noqa: N818 - a question for the sender, not a failure
    """Leading words that look like a date but name no day: what was typed, and the text key that says why."""

    def __init__(self, typed: str, key: str) -> None:
        super().__init__(key)
        self.typed = typed
        self.key = key


class _Stop(Exception):  # noqa: N818
    """Words [start, end) looked like a date and name none."""

    def __init__(self, start: int, end: int, key: str = UNCLEAR) -> None:
        super().__init__(key)
        self.start, self.end, self.key = start, end, key


_Found = tuple[date, int, DayForm]  # the day, the index after its last word, how it was written


def day_month_year(token: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of one typed date ('12/11', '12.11.26', '12-11-2026'), if it is one."""
    match = DATE_TOKEN.match(token)
    if not match:
        return None
    year = match[3]
    return int(match[1]), int(match[2]), None if year is None else int(year) + (2000 if len(year) == 2 else 0)


def weekday_on(weekday: int, week: int | None, today: date) -> date:
    """A weekday (0 Monday … 6 Sunday) of the Monday-start week `week` weeks from this one;
    with no week, the most recent such day not after today (today itself if it is that weekday)."""
    if week is None:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return today + timedelta(days=weekday - today.weekday(), weeks=week)


def read_day(words: Sequence[str], today: date, *, strict: bool = False) -> SpokenDay | None:
    """The day the leading words name, or None when they are not a date (the rest is then free text).

    Raises UnclearDate when they look like one but name no day ('hôm trước', 'thứ tám', 'tuần trước').
    `strict` reads a token with digits only when it is a whole date (12/2026/QĐ-UBND is a document number).
    """
    try:
        found = _Reader(words, today, strict).read(0)
    except _Stop as stop:
        raise UnclearDate(" ".join(words[stop.start : stop.end]), stop.key) from None
    if found is None:
        return None
    day, end, form = found
    return SpokenDay(day, end, " ".join(words[:end]), form)


@dataclass
class _Reader:
    raw: Sequence[str]
    today: date
    strict: bool
    folded: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.raw = [word.rstrip(TRAILING) or word for word in self.raw]
        self.folded = [fold(word) for word in self.raw]

    def word(self, i: int) -> str:
        """The folded word at i, '' past the end."""
        return self.folded[i] if i < len(self.folded) else ""

    def phrase(self, table: Mapping[str, T], i: int) -> tuple[T, int] | None:
        """The longest run of up to three words from i that is a key of `table` (written together or apart)."""
        for n in range(min(3, len(self.raw) - i), 0, -1):
            key = compact("".join(self.raw[i : i + n]))
            if key in table:
                return table[key], n
        return None

    def read(self, i: int) -> _Found | None:
        for reader in (self.numeric, self.relative, self.weekday, self.week, self.part_of_day, self.on_day):
            if (found := reader(i)) is not None:
                return found
        return None

    def numeric(self, i: int) -> _Found | None:
        """'12/11', '12/11/2026', '12 tháng 11', '12 tháng 11 năm 2026'."""
        token = self.raw[i] if i < len(self.raw) else ""
        if (parts := day_month_year(token)) is not None:
            return self.dated(*parts, i, i + 1)
        if not self.strict and LOOKS_LIKE_DATE.match(token):
            raise _Stop(i, i + 1, INVALID)
        if not (SMALL_NUMBER.fullmatch(token) and self.word(i + 1) == "thang"):
            return None
        if not SMALL_NUMBER.fullmatch(self.word(i + 2)):
            raise _Stop(0, i + 3)  # '12 tháng mười một'
        day, month, end, year = int(token), int(self.word(i + 2)), i + 3, None
        if self.word(end) == "nam":  # not taken unless a year follows: '12 tháng 11 năm học mới'
            if YEAR.fullmatch(self.word(end + 1)):
                year, end = int(self.word(end + 1)) + (2000 if len(self.word(end + 1)) == 2 else 0), end + 2
            elif self.word(end + 1) in YEAR_WORDS:
                year, end = self.today.year + YEAR_WORDS[self.word(end + 1)], end + 2
        return self.dated(day, month, year, i, end)

    def dated(self, day: int, month: int, year: int | None, start: int, end: int) -> _Found:
        try:
            result = date(self.today.year if year is None else year, month, day)
        except ValueError:
            raise _Stop(start, end, INVALID) from None
        return result, end, DayForm.DAY_MONTH if year is None else DayForm.FULL

    def relative(self, i: int) -> _Found | None:
        """'hôm nay', 'hôm qua', 'hôm kia', 'mai', 'ngày kia'; 'hôm' before a weekday or a date ('hôm thứ hai')."""
        if (hit := self.phrase(DAYS, i)) is not None:
            offset, n = hit
            if "kìa" in unicodedata.normalize("NFC", " ".join(self.raw[i : i + n])).lower():
                offset += 1 if offset > 0 else -1  # 'kìa' is one day further than 'kia'
            return self.today + timedelta(days=offset), i + n, DayForm.RELATIVE
        if self.word(i) != "hom":
            return None
        if (found := self.weekday(i + 1) or self.numeric(i + 1)) is not None:
            return found
        raise _Stop(0, min(i + 2, len(self.raw)))  # 'hôm trước', 'hôm bữa'

    def weekday(self, i: int) -> _Found | None:
        """'thứ hai', 'thứ 2', 'T2', 'CN', 'chủ nhật', then which week: 'tuần này', 'tuần trước', 'tuần rồi'."""
        hit = self.phrase(WEEKDAYS, i)
        if hit is None:
            typed = unicodedata.normalize("NFC", self.raw[i]).lower() if i < len(self.raw) else ""
            following = self.word(i + 1)
            if typed == "thứ" or (self.word(i) == "thu" and (following.isdigit() or following in NOT_WEEKDAYS)):
                raise _Stop(0, min(i + 2, len(self.raw)))
            return None
        weekday, n = hit
        end, week = i + n, None
        if (after := self.phrase(AFTER_WEEKDAY, end)) is not None:
            week, taken = after
            end += taken
        elif self.word(end) == "tuan":
            raise _Stop(0, min(end + 2, len(self.raw)))  # 'thứ hai tuần kia'
        return weekday_on(weekday, week, self.today), end, DayForm.RELATIVE

    def week(self, i: int) -> _Found | None:
        """'đầu tuần [này|trước]' is its Monday; a week alone, 'cuối tuần' or a month is no day at all."""
        if (hit := self.phrase(WEEKS, i)) is not None:
            raise _Stop(0, i + hit[1], WEEK)
        first, second = self.word(i), self.word(i + 1)
        if first == "dau" and second == "tuan":
            end, weeks = i + 2, 0
            if (after := self.phrase(WEEK_WORDS, end)) is not None:
                weeks, taken = after
                end += taken
            return weekday_on(0, weeks, self.today), end, DayForm.RELATIVE
        if first in ("dau", "giua", "cuoi") and second in ("tuan", "thang"):
            raise _Stop(0, i + 2)  # 'cuối tuần': Saturday or Sunday?
        if first == "thang" and second.isdigit():
            raise _Stop(0, i + 2)  # 'tháng 11': a month
        return None

    def part_of_day(self, i: int) -> _Found | None:
        """'sáng nay', 'chiều qua', 'tối hôm kia', 'sáng thứ hai', 'chiều 12/11' (not 'sáng kiến')."""
        if (hit := self.phrase(PART_DAYS, i)) is not None:
            return self.today + timedelta(days=hit[0]), i + hit[1], DayForm.RELATIVE
        if self.word(i) not in PARTS:
            return None
        return self.relative(i + 1) or self.weekday(i + 1) or self.numeric(i + 1) or self.on_day(i + 1)

    def on_day(self, i: int) -> _Found | None:
        """'ngày 12/11', 'ngày 12 tháng 11', 'ngày hôm qua' (not 'ngày hội'); 'ngày 12' alone names no month."""
        if self.word(i) != "ngay":
            return None
        if (found := self.relative(i + 1) or self.weekday(i + 1) or self.numeric(i + 1)) is not None:
            return found
        if self.word(i + 1).isdigit():
            raise _Stop(0, i + 2)
        return None
