"""The words of a command as typed: folding diacritics, taking tokens from the left, dates and numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from bot.core.dates import DATE_TOKEN as DATE_TOKEN  # a whole typed date, as /suaviec recognises one
from bot.core.dates import DayForm, UnclearDate, day_month_year, read_day
from bot.core.words import compact, fold

T = TypeVar("T")

MAX_SUMMARY = 300
ECHO = 30  # characters of user input repeated in an error
ALIAS_WORDS = 5  # the most words an alias is written in: 'trực tuyến qua Google Meet'
DIGITS = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class ParseContext:
    """What parsing needs to know besides the text: the commune's date and its codes."""

    today: date
    departments: tuple[str, ...]
    reports: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()  # for the province officer: the communes a command may name


class ParseError(Exception):
    """Input that cannot be understood: a text key and its values; the usage of the command follows."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class Ask(StrEnum):
    """What can be asked with choices when an argument is missing."""

    DEPARTMENT = "department"
    MEETING_MODE = "meeting_mode"
    DOCUMENT_KIND = "document_kind"
    REPORT_PERIOD = "report_period"
    CONTENT_PERIOD = "content_period"
    REPORT_KIND = "report_kind"
    CHANNEL = "channel"
    OPEN_TASK = "open_task"
    PERCENT = "percent"
    MEMBER = "member"


class Missing(Exception):  # noqa: N818 - a question, not a failure
    """An argument that is a pick from a list is missing: ask, then run `template` with the pick in `{}`."""

    def __init__(self, ask: Ask, template: str, **context: object) -> None:
        super().__init__(ask)
        self.ask = ask
        self.template = template
        self.context = context


class NeedInput(Exception):  # noqa: N818 - a prompt, not a failure
    """A bare command whose arguments must be typed: answered with a prompt and an example, not an error."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def echo(value: str) -> str:
    """User input as repeated in an error: short enough for any channel."""
    value = " ".join(value.split())
    return value if len(value) <= ECHO else value[: ECHO - 1] + "…"


def is_number(token: str) -> bool:
    """Up to 12 ASCII digits: str.isdigit() admits '²', and int() refuses 4,301 digits."""
    return DIGITS.fullmatch(token) is not None


def department_code(token: str) -> str:
    """A word as a department code is written ('VH-XH' -> 'vh_xh')."""
    return fold(token).replace("-", "_")


def looks_like_year(token: str) -> bool:
    """Four ASCII digits."""
    return is_number(token) and len(token) == 4


def checked_year(token: str, today: date) -> int:
    """A year the bot keeps figures for: from 2000 to next year."""
    year = int(token)
    if not 2000 <= year <= today.year + 1:
        raise ParseError("parse.bad_year", value=echo(token))
    return year


@dataclass
class Tokens:
    """Arguments as typed, consumed from the left."""

    raw: list[str]

    @classmethod
    def of(cls, args: str) -> Tokens:
        return cls(args.split())

    def peek(self, n: int = 0) -> str | None:
        return self.raw[n] if len(self.raw) > n else None

    def take(self, n: int = 1) -> list[str]:
        taken, self.raw[:n] = self.raw[:n], []
        return taken

    def rest(self) -> str:
        text = " ".join(self.raw)
        self.raw.clear()
        return text

    def department(self, codes: tuple[str, ...]) -> str | None:
        """A department code at the front, if there is one."""
        first = self.peek()
        if first is not None and department_code(first) in codes:
            self.take()
            return department_code(first)
        return None

    def year(self, today: date) -> int | None:
        """A year at the front (four digits), if there is one; from 2000 to next year."""
        first = self.peek()
        if first is None or not looks_like_year(first):
            return None
        return checked_year(self.take()[0], today)

    def alias(self, table: Mapping[str, T]) -> T | None:
        """Match the longest run of up to ALIAS_WORDS words, written together or apart ('truc tuyen',
        'trực tuyến qua Zalo'), against an alias table."""
        for n in range(min(ALIAS_WORDS, len(self.raw)), 0, -1):
            key = compact("".join(self.raw[:n]))
            if key in table:
                self.take(n)
                return table[key]
        return None

    def summary(self) -> str:
        """The rest as free text, at most MAX_SUMMARY characters."""
        summary = self.rest()
        if len(summary) > MAX_SUMMARY:
            raise ParseError("parse.too_long", limit=MAX_SUMMARY)
        return summary

    def no_more(self) -> None:
        """Nothing may follow."""
        if self.raw:
            raise ParseError("parse.too_many_args", value=echo(" ".join(self.raw)))


def positive_int(token: str, key: str) -> int:
    """A number users see ('5' or '#5'), below 2**31."""
    digits = token.removeprefix("#")
    if not is_number(digits) or not 0 < int(digits) < 2**31:
        raise ParseError(key, value=echo(token))
    return int(digits)


class YearGuess(Exception):  # noqa: N818 - a question, not a failure
    """A date typed without its year that lands outside the current year: asked, never guessed."""

    def __init__(self, token: str, day: date, key: str) -> None:
        super().__init__(key)
        self.token = token
        self.day = day
        self.key = key


def _read_date(token: str) -> tuple[int, int, int | None]:
    """(day, month, year or None) of a typed date."""
    parts = day_month_year(token)
    if parts is None:
        raise ParseError("parse.bad_date", value=echo(token))
    return parts


def _date(year: int, month: int, day: int, token: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError("parse.bad_date", value=echo(token)) from None


def is_task_ref(token: str) -> bool:
    """'V3' (or 'v3'): a task, whose numbers run apart from the entries' #N."""
    return token[:1] in ("V", "v") and is_number(token[1:])


def task_ref(token: str) -> int:
    """A task's number as typed: 'V3', 'v3', '#3' or '3'."""
    return positive_int(token[1:] if is_task_ref(token) else token, "parse.bad_task_id")


def past_day_problem(day: date, today: date) -> tuple[str, dict[str, object]] | None:
    """Why a day cannot be logged, if it cannot ('future_date', 'too_old'), with the values its text names:
    a day is logged from 1 January of last year to today, in the chat and in an import alike."""
    if day > today:
        return "future_date", {"value": day.strftime("%d/%m/%Y")}
    if day < date(today.year - 1, 1, 1):
        return "too_old", {"value": day.strftime("%d/%m/%Y"), "year": today.year - 1}
    return None


def parse_deadline(token: str, today: date) -> date:
    """A deadline today or later; a year-less date already past this year is asked about (next year's?)."""
    day, month, year = _read_date(token)
    if year is None:
        result = _date(today.year, month, day, token)
        if result < today:
            raise YearGuess(token, _date(today.year + 1, month, day, token), "confirm.next_year")
        return result
    result = _date(year, month, day, token)
    if result < today:
        raise ParseError("parse.past_deadline", value=result.strftime("%d/%m/%Y"))
    if result.year > today.year + 5:
        raise ParseError("parse.bad_date", value=echo(token))
    return result


def optional_date(tokens: Tokens, today: date, *, strict: bool = False) -> date:
    """The day something happened, if the words at the front name one ('12/11', 'hôm kia', 'thứ hai tuần trước',
    'sáng nay', 'ngày 12 tháng 11'), else today: today or earlier, not before 1 January of last year.

    Words that look like a date but name none are an error, never part of a summary or filed under today; a
    year-less date later this year is asked about (it would be last year's), never guessed; `strict` takes
    only a whole date from digits (a document number such as 12/2026/QĐ-UBND is not one).
    """
    try:
        spoken = read_day(tokens.raw, today, strict=strict)
    except UnclearDate as unclear:
        raise ParseError(unclear.key, value=echo(unclear.typed)) from None
    if spoken is None:
        return today
    tokens.take(spoken.consumed)
    day = spoken.day
    if spoken.form is DayForm.DAY_MONTH and day > today:
        raise YearGuess(spoken.text, _date(day.year - 1, day.month, day.day, spoken.text), "confirm.last_year")
    if problem := past_day_problem(day, today):
        key, values = problem
        if key == "future_date" and spoken.form is DayForm.RELATIVE:
            raise ParseError("parse.future_spoken", typed=echo(spoken.text), **values)
        raise ParseError(f"parse.{key}", **values)
    return day
