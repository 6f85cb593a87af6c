"""The one TOML configuration file, validated by pydantic; an error names the key and what is wrong."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.core.commands.entries import RESERVED_WORDS
from bot.core.periods import day_month
from bot.core.reports import ReportKind
from bot.core.targets import Baseline, Plan, Targets

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


class ConfigError(Exception):
    """The configuration cannot be used; the message names each bad key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommuneConfig(_Section):
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


class DepartmentConfig(_Section):
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


class TelegramConfig(_Section):
    """`[telegram]`: the bot token (or TELEGRAM_BOT_TOKEN) and the Bot API server."""

    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str | None = None
    poll_timeout: int = Field(default=30, ge=0, le=60)


class DatabaseConfig(_Section):
    """`[database]`: an SQLAlchemy async URL; an SQLite file under data/ by default."""

    url: str = "sqlite+aiosqlite:///data/lelolamviec.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("cần URL dạng sqlite+aiosqlite:///đường/dẫn.db")
        return value


Share = Annotated[float, Field(ge=0, le=1)]


class TargetsConfig(_Section):
    """`[targets]`: the plan's 2026 numbers, as fractions; defaults are the plan's."""

    meeting_cut: Share = Targets.meeting_cut
    online_meeting_share: Share = Targets.online_meeting_share
    digital_dossier_share: Share = Targets.digital_dossier_share
    electronic_document_share: Share = Targets.electronic_document_share
    document_cut: Share = Targets.document_cut

    def to_targets(self) -> Targets:
        """The core's view of these numbers."""
        return Targets(**self.model_dump())


class BaselineConfig(_Section):
    """`[baseline.YYYY]`: last year's totals that the cuts are measured against."""

    meetings: int | None = Field(default=None, ge=0)
    documents: int | None = Field(default=None, ge=0)


MAX_INVITE_HOURS = 24 * 30


class InvitesConfig(_Section):
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


class ReportConfig(_Section):
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


class RemindersConfig(_Section):
    """`[reminders]`: when reminders go out and how far back a missed one is still sent."""

    enabled: bool = True
    start: date | None = None
    time: dt_time = dt_time(8, 0)
    digest_time: dt_time = dt_time(7, 30)
    catch_up_hours: int = Field(default=24, ge=1, le=24 * 7)
    sweep_seconds: int = Field(default=60, ge=5, le=3600)
    escalate_to: str | None = None


class Config(_Section):
    """The whole file."""

    commune: CommuneConfig
    departments: list[DepartmentConfig] = Field(min_length=1)
    telegram: TelegramConfig = TelegramConfig()
    database: DatabaseConfig = DatabaseConfig()
    targets: TargetsConfig = TargetsConfig()
    baseline: dict[int, BaselineConfig] = Field(default_factory=dict)
    invites: InvitesConfig = InvitesConfig()
    reports: list[ReportConfig] = Field(default_factory=list)
    reminders: RemindersConfig = RemindersConfig()

    @model_validator(mode="after")
    def _consistent_codes(self) -> Config:
        codes = [d.code for d in self.departments]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"mã phòng bị trùng: {', '.join(duplicates)}")
        report_codes = [r.code for r in self.reports]
        if len(set(report_codes)) != len(report_codes):
            raise ValueError("mã kỳ báo cáo bị trùng")
        for report in self.reports:
            unknown = sorted(set(report.departments) - set(codes))
            if unknown:
                raise ValueError(f"reports.{report.code}.departments: không có phòng {', '.join(unknown)}")
        for key, code in [
            ("reminders.escalate_to", self.reminders.escalate_to),
            ("commune.consolidating_department", self.commune.consolidating_department),
        ]:
            if code is not None and code not in codes:
                raise ValueError(f"{key}: không có phòng {code!r}")
        return self

    @field_validator("baseline")
    @classmethod
    def _years(cls, value: dict[int, BaselineConfig]) -> dict[int, BaselineConfig]:
        for year in value:
            if not 2000 <= year <= 2100:
                raise ValueError(f"năm không hợp lệ: {year}")
        return value

    @property
    def consolidating_department(self) -> str | None:
        """The department that consolidates the plan (`reminders.escalate_to` is its older name)."""
        return self.commune.consolidating_department or self.reminders.escalate_to

    @property
    def department_codes(self) -> tuple[str, ...]:
        """Every configured department's code, in order."""
        return tuple(d.code for d in self.departments)

    @property
    def department_names(self) -> dict[str, str]:
        """Department code -> full name."""
        return {d.code: d.name for d in self.departments}

    @property
    def report_kinds(self) -> tuple[ReportKind, ...]:
        """The configured reports, as the core sees them."""
        return tuple(r.to_kind() for r in self.reports)

    def department(self, code: str) -> DepartmentConfig | None:
        """The department with this code, if configured."""
        return next((d for d in self.departments if d.code == code), None)

    def token(self) -> str | None:
        """The bot token from the environment, else the file; never log it."""
        from_env = os.environ.get(TOKEN_ENV, "").strip()
        if from_env:
            return from_env
        return self.telegram.token.get_secret_value() if self.telegram.token else None

    def report(self, code: str) -> ReportKind | None:
        """The report kind with this code, if configured."""
        return next((r for r in self.report_kinds if r.code == code), None)

    def plan(self) -> Plan:
        """The plan's targets and baselines, as the core sees them."""
        baselines = {year: Baseline(b.meetings, b.documents) for year, b in self.baseline.items()}
        return Plan(self.targets.to_targets(), baselines)


def _describe(err: ValidationError) -> str:
    lines = []
    for item in err.errors():
        key = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        # A check across sections names its own key ("commune.consolidating_department: …").
        lines.append(f"  {key}: {message}" if key else f"  {message}")
    return "\n".join(lines)


def parse_config(data: dict) -> Config:
    """Validate an already-parsed TOML document."""
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError("Cấu hình không hợp lệ:\n" + _describe(err)) from None


def load_config(path: str | Path) -> Config:
    """Read and validate the TOML file at `path`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Không tìm thấy tệp cấu hình: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"Tệp cấu hình {path} sai cú pháp TOML: {err}") from None
    return parse_config(data)
