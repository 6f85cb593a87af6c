"""One commune's configuration: its `[commune]`, departments, targets, baselines, reports, reminder times and the
drafted report's settings; what a single-commune file holds beside the deployment's sections, or one commune file
of a province. `to_commune` turns it into the core's `Commune` value."""

from __future__ import annotations

import re
from datetime import date
from datetime import time as dt_time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, field_validator, model_validator

from bot.config.sections import Section
from bot.core.commune import Commune, Department, ReminderTimes, ReportDocument
from bot.core.features.entries import RESERVED_WORDS
from bot.core.grammar import fold
from bot.core.periods import day_month
from bot.core.reports import ReportKind
from bot.core.targets import Baseline, Plan, Targets

DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
COMMUNE_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
REPORT_CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,19}$")
DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")
# The words an office writes before a commune's own name ("UBND xã Bình Lư" is commune "binh_lu").
TITLE_WORDS = ("uy ban nhan dan", "ubnd", "thi tran", "phuong", "xa")


def derive_code(name: str) -> str:
    """The code of a commune whose file names none: its name folded, without the title words ('binh_lu')."""
    words = fold(name)
    for title in TITLE_WORDS:
        words = re.sub(rf"^\s*{title}\b", "", words).strip()
    return re.sub(r"[^a-z0-9]+", "_", words).strip("_")[:40] or "xa"


class CommuneSection(Section):
    """`[commune]`: who this is and its clock."""

    code: str | None = None  # lowercase ASCII, digits, `_`; required in a province, derived from the name otherwise
    name: str = Field(min_length=1)
    timezone: str = "Asia/Ho_Chi_Minh"
    consolidating_department: str | None = None  # guides, chases and consolidates the plan (§IV.2)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        if value is not None and not COMMUNE_CODE.match(value):
            raise ValueError("mã xã chỉ gồm chữ thường không dấu, chữ số và '_' (tối đa 40 ký tự)")
        return value

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
    title: str | None = Field(default=None, min_length=1)  # "6 tháng đầu năm": the drafted report's title says it

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
        return ReportKind(self.code, self.name, day, month, tuple(self.departments), window_from, window_to, self.title)


class PlanConfig(Section):
    """`[plan]`: from which day the plan's report periods are tracked, and from which day the records are whole."""

    start: date | None = None  # the plan's first day; default: 1 January of the first year with a baseline before
    data_from: date | None = None  # the records are complete from this day (set after importing history)
    feedback_answer_days: int = Field(default=10, ge=1, le=60)  # working days to answer citizens' feedback


class CommuneRemindersConfig(Section):
    """A commune's `[reminders]`: when its reminders and digest go out, and from which day reminders start."""

    start: date | None = None
    time: dt_time = dt_time(8, 0)
    digest_time: dt_time = dt_time(7, 30)
    escalate_to: str | None = None  # the older name of `commune.consolidating_department`


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
    list_late: bool = False  # name the departments that reported late or not at all (internal; off by default)

    def to_document(self) -> ReportDocument:
        """The core's view of these settings."""
        values = self.model_dump()
        for key in ("issuer", "addressees", "recipients"):
            values[key] = tuple(values[key])
        return ReportDocument(**values)


class CommuneConfig(Section):
    """Everything about one commune."""

    commune: CommuneSection
    departments: list[DepartmentConfig] = Field(min_length=1)
    targets: TargetsConfig = TargetsConfig()
    baseline: dict[int, BaselineConfig] = Field(default_factory=dict)
    plan: PlanConfig = PlanConfig()
    reports: list[ReportConfig] = Field(default_factory=list)
    reminders: CommuneRemindersConfig = CommuneRemindersConfig()
    report_document: ReportDocumentConfig | None = None

    @model_validator(mode="after")
    def _consistent_codes(self) -> CommuneConfig:
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
    def code(self) -> str:
        """The commune's code: configured, else derived from its name."""
        return self.commune.code or derive_code(self.commune.name)

    @property
    def consolidating_department(self) -> str | None:
        """The department that consolidates the plan (`reminders.escalate_to` is its older name)."""
        return self.commune.consolidating_department or self.reminders.escalate_to

    def targets_and_baselines(self) -> Plan:
        """The plan's targets and baselines, as the core sees them."""
        baselines = {year: Baseline(b.meetings, b.documents) for year, b in self.baseline.items()}
        return Plan(self.targets.to_targets(), baselines)

    def to_commune(self, commune_id: int) -> Commune:
        """The core's value of this commune, under the id the database gave it."""
        reminders = self.reminders
        return Commune(
            id=commune_id,
            code=self.code,
            name=self.commune.name,
            tz=self.commune.tz,
            departments=tuple(Department(d.code, d.name) for d in self.departments),
            consolidating=self.consolidating_department,
            plan=self.targets_and_baselines(),
            reports=tuple(r.to_kind() for r in self.reports),
            reminders=ReminderTimes(reminders.time, reminders.digest_time, reminders.start),
            document=self.report_document.to_document() if self.report_document else None,
            plan_start=self.plan.start,
            data_from=self.plan.data_from,
            feedback_days=self.plan.feedback_answer_days,
        )
