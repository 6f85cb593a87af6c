"""The one TOML configuration file, validated by pydantic; an error names the key and what is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator

from bot.config.channels import TOKEN_ENV, ZALO_TOKEN_ENV, TelegramConfig, ZaloConfig, secret_value
from bot.config.sections import (
    MAX_INVITE_HOURS,
    BaselineConfig,
    CommuneConfig,
    DatabaseConfig,
    DepartmentConfig,
    ExportsConfig,
    InvitesConfig,
    RemindersConfig,
    ReportConfig,
    ReportDocumentConfig,
    Section,
    TargetsConfig,
)
from bot.core.reports import ReportKind
from bot.core.targets import Baseline, Plan


class ConfigError(Exception):
    """The configuration cannot be used; the message names each bad key."""


class Config(Section):
    """The whole file."""

    commune: CommuneConfig
    departments: list[DepartmentConfig] = Field(min_length=1)
    telegram: TelegramConfig = TelegramConfig()
    zalo: ZaloConfig = ZaloConfig()
    database: DatabaseConfig = DatabaseConfig()
    targets: TargetsConfig = TargetsConfig()
    baseline: dict[int, BaselineConfig] = Field(default_factory=dict)
    invites: InvitesConfig = InvitesConfig()
    reports: list[ReportConfig] = Field(default_factory=list)
    reminders: RemindersConfig = RemindersConfig()
    exports: ExportsConfig = ExportsConfig()
    report_document: ReportDocumentConfig | None = None

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
        """The Telegram bot token from the environment, else the file; never log it."""
        return secret_value(TOKEN_ENV, self.telegram.token)

    def zalo_token(self) -> str | None:
        """The Zalo bot token from the environment, else the file; never log it."""
        return secret_value(ZALO_TOKEN_ENV, self.zalo.token)

    def secrets(self) -> tuple[str, ...]:
        """Every secret the logs must never show: the bots' tokens and the webhooks' secrets."""
        values = (self.token(), self.zalo_token(), self.zalo.webhook.secret_value, self.telegram.webhook.secret_value)
        return tuple(v for v in values if v)

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


__all__ = [
    "MAX_INVITE_HOURS",
    "TOKEN_ENV",
    "ZALO_TOKEN_ENV",
    "Config",
    "ConfigError",
    "DepartmentConfig",
    "ReportConfig",
    "TelegramConfig",
    "ZaloConfig",
    "load_config",
    "parse_config",
]
