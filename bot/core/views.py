"""What use cases return: plain data that the texts render for a chat and the exports for a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.messages import Option
from bot.core.permissions import Role


@dataclass(frozen=True)
class Say:
    """A message from the catalogue: a key and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **values: object) -> Say:
        return cls(key, values)


@dataclass(frozen=True)
class Question:
    """A question answered by picking one of its options."""

    key: str
    options: tuple[Option, ...]
    values: dict[str, object] = field(default_factory=dict)


class Refusal(Exception):  # noqa: N818 - an answer, not a failure
    """A command that cannot be carried out: its message is the answer and nothing is written."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.view = Say(key, values)


@dataclass(frozen=True)
class EntryView:
    """One logged entry as users see it: its number, what it records, for which department and day."""

    id: int
    kind: str  # meeting | document | dossiers | report
    department: str
    day: date
    summary: str = ""
    online: bool | None = None
    document_kind: str | None = None
    document_number: str | None = None
    dossiers_online: int = 0
    dossiers_paper: int = 0
    report: str | None = None
    report_year: int | None = None
    with_file: bool = False


@dataclass(frozen=True)
class EntryLogged:
    entry: EntryView


@dataclass(frozen=True)
class EntryCancelled:
    entry: EntryView


@dataclass(frozen=True)
class RoleView:
    """A role as shown: the role, and the department's name for a focal person."""

    role: Role
    department: str | None = None


@dataclass(frozen=True)
class Welcome:
    name: str
    role: RoleView


@dataclass(frozen=True)
class Profile:
    """Who the asker is: /toi."""

    person_id: int
    name: str
    roles: tuple[RoleView, ...]
    apps: tuple[str, ...] = ()  # the chat apps the person uses
    notify_channel: str | None = None  # where reminders go (None: all of them)


@dataclass(frozen=True)
class HelpView:
    """The commands the asker may use, by name."""

    commands: tuple[str, ...]


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    roles: tuple[RoleView, ...]


@dataclass(frozen=True)
class MemberList:
    members: tuple[MemberRow, ...]


@dataclass(frozen=True)
class TaskRow:
    """An open task, as /viec and the leaders' digest list it."""

    id: int
    department_code: str
    department: str
    title: str
    due: date
    progress: int


@dataclass(frozen=True)
class TaskList:
    today: date
    tasks: tuple[TaskRow, ...]
    total: int


@dataclass(frozen=True)
class TaskAssigned:
    task: TaskRow
    due_day_off: bool = False  # the deadline falls on a weekend or a public holiday


@dataclass(frozen=True)
class TaskChanged:
    """A leader changed a task: what it is now, and what changed."""

    task: TaskRow
    change: str  # due | department | title | cancelled


@dataclass(frozen=True)
class TaskProgressed:
    id: int
    progress: int
    note: str


@dataclass(frozen=True)
class TaskDone:
    id: int
    day: date
    days_late: int  # working days after the deadline


@dataclass(frozen=True)
class SubmissionLine:
    """One department's standing in a report period."""

    department: str
    submitted_on: date | None = None
    person: str | None = None
    days_late: int = 0


@dataclass(frozen=True)
class ReportStatus:
    """Who has submitted one report period, and who is late."""

    report: str
    year: int
    due: date
    today: date
    lines: tuple[SubmissionLine, ...]

    @property
    def done(self) -> int:
        return sum(line.submitted_on is not None for line in self.lines)


@dataclass(frozen=True)
class Untracked:
    """A report period due before the bot started tracking."""

    report: str
    year: int
    start: date


@dataclass(frozen=True)
class Many:
    """Several views answered together, one after the other."""

    views: tuple[object, ...]


@dataclass(frozen=True)
class ReportReminder:
    """A department has not yet submitted a report period: before the deadline, or late."""

    department: str
    report: str
    code: str
    year: int
    due: date
    late: bool


@dataclass(frozen=True)
class ReportEscalation:
    """Leaders are told which departments are late with a report period."""

    report: str
    code: str
    year: int
    due: date
    departments: tuple[str, ...]


@dataclass(frozen=True)
class TaskNotice:
    """A message about one task: new, due soon, overdue, escalated to leaders, or gone quiet."""

    stage: str  # assigned | before | late | escalation | nudge
    task: TaskRow


@dataclass(frozen=True)
class PendingReport:
    report: str
    year: int
    due: date
    missing: int


@dataclass(frozen=True)
class Digest:
    """The leaders' Monday digest: the commune's figures, overdue tasks, reports still missing."""

    day: date
    targets: object  # a TargetReport
    overdue: tuple[TaskRow, ...]
    overdue_total: int
    reports: tuple[PendingReport, ...]


@dataclass(frozen=True)
class Unreachable:
    """Admins are told that a chat no longer receives the bot's messages."""

    person: str | None
    department: str | None
    chat_id: str


@dataclass(frozen=True)
class FileJob:
    """A file to make once the answer is committed (a chart, a workbook, a drafted report), outside any write."""

    kind: str  # chart | workbook | document
    period: object  # a Period
    report_name: str = ""  # the drafted report's period, as its title ends: "năm 2026"


@dataclass(frozen=True)
class WithFile:
    """An answer now, and a file to follow it."""

    view: object
    job: FileJob


@dataclass(frozen=True)
class DepartmentTable:
    """Each department's five figures in one line a department, as the leader's /chitieu lists them."""

    rows: tuple[tuple[str, object], ...]  # (department code, Counts)
