"""Configuration sections: one pydantic model per TOML table; an error names the key and what is wrong."""

from __future__ import annotations

import re
from datetime import date
from datetime import time as dt_time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.commands.entries import RESERVED_WORDS
from bot.core.periods import day_month
from bot.core.reports import ReportKind
from bot.core.targets import Targets

DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommuneConfig(Section):
    """`[commune]`: who this deployment serves and its clock."""

    name: str = Field(min_length=1)
    timezone: str = "Asia/Ho_Chi_Minh"
    consolidating_department: str | None = None  # guides, chases and consolidates the plan (§IV.2)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"múi giờ không tồn tại: {value!r}") from err
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The commune's time zone, where every date is computed."""
        return ZoneInfo(self.timezone)


class DepartmentConfig(Section):
    """One `[[departments]]` entry: a short code typed in commands and its full name."""

    code: str
    name: str = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not DEPARTMENT_CODE.match(value):
            raise ValueError("mã phòng chỉ gồm chữ thường không dấu, số và '_', bắt đầu bằng chữ")
        if value.replace("_", "") in RESERVED_WORDS:
            raise ValueError(f"mã phòng {value!r} trùng với một từ khóa của lệnh")
        return value


class DatabaseConfig(Section):
    """`[database]`: an SQLAlchemy async URL; an SQLite file under data/ by default."""

    url: str = "sqlite+aiosqlite:///data/lelolamviec.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("cần URL dạng sqlite+aiosqlite:///đường/dẫn.db")
        return value


Share = Annotated[float, Field(ge=0, le=1)]


class TargetsConfig(Section):
    """`[targets]`: the plan's 2026 numbers, as fractions; defaults are the plan's."""

    meeting_cut: Share = Targets.meeting_cut
    online_meeting_share: Share = Targets.online_meeting_share
    digital_dossier_share: Share = Targets.digital_dossier_share
    electronic_document_share: Share = Targets.electronic_document_share
    document_cut: Share = Targets.document_cut

    def to_targets(self) -> Targets:
        """The core's view of these numbers."""
        return Targets(**self.model_dump())


class BaselineConfig(Section):
    """`[baseline.YYYY]`: last year's totals that the cuts are measured against."""

    meetings: int | None = Field(default=None, ge=0)
    documents: int | None = Field(default=None, ge=0)


MAX_INVITE_HOURS = 24 * 30


class InvitesConfig(Section):
    """`[invites]`: how long an invite lives and how wrong codes are slowed down."""

    ttl_hours: int = Field(default=72, ge=1, le=MAX_INVITE_HOURS)
    max_failures: int = Field(default=5, ge=1)
    failure_window_minutes: int = Field(default=15, ge=1, le=60)
    max_failures_per_hour: int = Field(default=100, ge=1)  # wrong codes from everyone together


REPORT_CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,19}$")
DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")


def _check_day_month(value: str, message: str) -> str:
    match = DAY_MONTH.match(value)
    try:
        if not match:
            raise ValueError
        date(2024, int(match[2]), int(match[1]))  # a leap year admits 29/02
    except ValueError:
        raise ValueError(message) from None
    return value


class ReportConfig(Section):
    """One `[[reports]]` entry: a periodic report every listed department owes each year, about a window of data."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    code: str
    name: str = Field(min_length=1)
    due: str
    departments: list[str] = Field(default_factory=list)
    window_from: str | None = Field(default=None, alias="from")
    window_to: str | None = Field(default=None, alias="to")

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not REPORT_CODE.match(value):
            raise ValueError("mã kỳ báo cáo chỉ gồm chữ thường không dấu, số và '_'")
        return value

    @field_validator("due")
    @classmethod
    def _due_shape(cls, value: str) -> str:
        return _check_day_month(value, 'hạn nộp phải có dạng dd/mm, ví dụ "30/11"')

    @field_validator("window_from", "window_to")
    @classmethod
    def _window_shape(cls, value: str | None) -> str | None:
        return None if value is None else _check_day_month(value, 'phải có dạng dd/mm, ví dụ "15/12"')

    def to_kind(self) -> ReportKind:
        """The core's view of this report."""
        day, month = day_month(self.due)
        window_from = day_month(self.window_from) if self.window_from else None
        window_to = day_month(self.window_to) if self.window_to else None
        return ReportKind(self.code, self.name, day, month, tuple(self.departments), window_from, window_to)


class RemindersConfig(Section):
    """`[reminders]`: when reminders go out and how far back a missed one is still sent."""

    enabled: bool = True
    start: date | None = None
    time: dt_time = dt_time(8, 0)
    digest_time: dt_time = dt_time(7, 30)
    catch_up_hours: int = Field(default=24, ge=1, le=24 * 7)
    sweep_seconds: int = Field(default=60, ge=5, le=3600)
    escalate_to: str | None = None


class ReportDocumentConfig(Section):
    """`[report_document]`: what the drafted 6-month and annual report needs to name (Nghị định 30/2020)."""

    issuer: list[str] = Field(min_length=1)  # the issuing body, line by line
    body: str = Field(min_length=1)  # as the text names the issuing body
    place: str = Field(min_length=1)
    plan_number: str = Field(min_length=1)
    plan_date: date
    plan_title: str = Field(min_length=1)
    addressees: list[str] = Field(min_length=1)
    signer_name: str = Field(min_length=1)
    recipients: list[str] = Field(min_length=1)
    superior: str = ""
    number: str = "Số:        /BC-UBND"
    authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"


class ExportsConfig(Section):
    """`[exports]`: pictures with /chitieu, where files are kept, and where (if anywhere) they are served."""

    charts: bool = True
    files_dir: str = "data/files"
    public_url: str | None = None  # a base URL the deployment serves files_dir at, for apps that cannot take files
