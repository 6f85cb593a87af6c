"""The configuration, validated by pydantic; an error names the file, the key and what is wrong.

One file serves one commune (its `[commune]`, departments, targets… beside the deployment's sections), or a
whole province: a `[province]` table lists the commune files, each holding what a single-commune file holds for
its commune, while channels, the database, invites and exports stay in the province file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from bot.config.channels import TOKEN_ENV, ZALO_TOKEN_ENV, TelegramConfig, ZaloConfig, secret_value
from bot.config.commune import CommuneConfig, DepartmentConfig, ReportConfig, ReportDocumentConfig, derive_code
from bot.config.sections import (
    MAX_INVITE_HOURS,
    DatabaseConfig,
    ExportsConfig,
    InvitesConfig,
    ProvinceConfig,
    RemindersConfig,
    Section,
    WebConfig,
)

# What belongs to a commune; in a province these live in the commune files and nowhere else.
COMMUNE_KEYS = ("commune", "departments", "targets", "baseline", "plan", "reports", "report_document")
COMMUNE_REMINDER_KEYS = ("start", "time", "digest_time", "escalate_to")
DEPLOYMENT_KEYS = ("province", "telegram", "zalo", "database", "invites", "exports", "reminders", "web")


class ConfigError(Exception):
    """The configuration cannot be used; the message names each bad key."""


class Config(Section):
    """The deployment: its channels, database, invites, exports, reminder settings, and its communes."""

    province: ProvinceConfig | None = None
    telegram: TelegramConfig = TelegramConfig()
    zalo: ZaloConfig = ZaloConfig()
    database: DatabaseConfig = DatabaseConfig()
    invites: InvitesConfig = InvitesConfig()
    reminders: RemindersConfig = RemindersConfig()
    exports: ExportsConfig = ExportsConfig()
    web: WebConfig = WebConfig()
    communes: tuple[CommuneConfig, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_communes(self) -> Config:
        codes = [c.code for c in self.communes]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"mã xã bị trùng: {', '.join(duplicates)}")
        return self

    @property
    def name(self) -> str:
        """Whom the deployment serves: the province, or its one commune."""
        return self.province.name if self.province else self.communes[0].commune.name

    def commune(self, code: str) -> CommuneConfig | None:
        """The commune with this code, if configured."""
        return next((c for c in self.communes if c.code == code), None)

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


def _describe(err: ValidationError, prefix: str = "") -> str:
    lines = []
    for item in err.errors():
        key = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        # A check across sections names its own key ("commune.consolidating_department: …").
        lines.append(f"  {prefix}{key}: {message}" if key else f"  {prefix}{message}")
    return "\n".join(lines)


def _validate(model, data: dict, where: str | None = None):
    try:
        return model.model_validate(data)
    except ValidationError as err:
        head = f"Cấu hình không hợp lệ ({where}):" if where else "Cấu hình không hợp lệ:"
        raise ConfigError(head + "\n" + _describe(err)) from None


def _split_single(data: dict) -> tuple[dict, dict]:
    """A single-commune document: (the deployment's part, the commune's part)."""
    commune = {key: data[key] for key in COMMUNE_KEYS if key in data}
    deployment = {key: value for key, value in data.items() if key not in COMMUNE_KEYS}
    reminders = dict(deployment.get("reminders") or {})
    mine = {key: reminders.pop(key) for key in COMMUNE_REMINDER_KEYS if key in reminders}
    if mine:
        commune["reminders"] = mine
    if "reminders" in deployment:
        deployment["reminders"] = reminders
    return deployment, commune


def parse_config(data: dict) -> Config:
    """Validate an already-parsed single-commune TOML document."""
    deployment, commune = _split_single(data)
    if "province" in deployment:
        raise ConfigError("Cấu hình không hợp lệ:\n  province: tệp của một tỉnh phải được đọc từ đĩa (load_config)")
    errors = []
    try:
        communes = (_validate(CommuneConfig, commune),)
    except ConfigError as err:
        errors.append(str(err).split("\n", 1)[1])
        communes = ()
    try:
        return _validate(Config, {**deployment, "communes": communes})
    except ConfigError as err:
        lines = [line for line in str(err).split("\n")[1:] if not line.startswith("  communes")]
        errors.extend(lines)
    raise ConfigError("Cấu hình không hợp lệ:\n" + "\n".join(errors))


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Không tìm thấy tệp cấu hình: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"Tệp cấu hình {path} sai cú pháp TOML: {err}") from None


def _commune_files(path: Path, patterns: list[str]) -> list[Path]:
    files: list[Path] = []
    for pattern in patterns:
        matched = sorted(p for p in path.parent.glob(pattern) if p.is_file())
        if not matched:
            raise ConfigError(f"Cấu hình không hợp lệ ({path}):\n  province.communes: “{pattern}” không khớp tệp nào")
        files += [p for p in matched if p not in files]
    return files


def _province(path: Path, data: dict) -> Config:
    """A province file and its commune files; the province's reminder times are each commune's default."""
    province = _validate(ProvinceConfig, data.get("province") or {}, str(path))
    stray = [key for key in COMMUNE_KEYS if key in data]
    if stray:
        raise ConfigError(f"Cấu hình không hợp lệ ({path}):\n  {stray[0]}: thuộc về tệp của từng xã")
    deployment = dict(data)
    reminders = dict(deployment.get("reminders") or {})
    defaults = {key: reminders.pop(key) for key in ("time", "digest_time") if key in reminders}
    deployment["reminders"] = reminders
    communes = []
    for file in _commune_files(path, province.communes):
        commune = _read(file)
        foreign = [key for key in commune if key in DEPLOYMENT_KEYS and key != "reminders"]
        if foreign:
            raise ConfigError(f"Cấu hình không hợp lệ ({file}):\n  {foreign[0]}: chỉ khai trong tệp của tỉnh")
        commune["reminders"] = {**defaults, **(commune.get("reminders") or {})}
        parsed = _validate(CommuneConfig, commune, str(file))
        if parsed.commune.code is None:
            raise ConfigError(f"Cấu hình không hợp lệ ({file}):\n  commune.code: bắt buộc khi dùng cho cả tỉnh")
        communes.append(parsed)
    return _validate(Config, {**deployment, "communes": tuple(communes)}, str(path))


def load_config(path: str | Path) -> Config:
    """Read and validate the TOML file at `path` (a commune's, or a province's with its commune files)."""
    path = Path(path)
    data = _read(path)
    return _province(path, data) if "province" in data else parse_config(data)


__all__ = [
    "MAX_INVITE_HOURS",
    "TOKEN_ENV",
    "ZALO_TOKEN_ENV",
    "CommuneConfig",
    "Config",
    "ConfigError",
    "DepartmentConfig",
    "ReportConfig",
    "ReportDocumentConfig",
    "TelegramConfig",
    "WebConfig",
    "ZaloConfig",
    "derive_code",
    "load_config",
    "parse_config",
]
