"""What a use case returns besides a feature's own views: a message by key, a refusal, a question, several views
together, or a view with a file to follow. Every ordinary outcome is a value; none is raised."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.messages import Option


@dataclass(frozen=True)
class Say:
    """A message from the catalogue: a key and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **values: object) -> Say:
        return cls(key, values)


@dataclass(frozen=True)
class Refused:
    """A command that cannot be carried out: its message is the answer, and the use case wrote nothing (but what
    a refusal must keep, such as a wrong invite code counted against its sender)."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **values: object) -> Refused:
        return cls(key, values)


@dataclass(frozen=True)
class Question:
    """A question answered by picking one of its options."""

    key: str
    options: tuple[Option, ...]
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Many:
    """Several views answered together, one after the other."""

    views: tuple[object, ...]


@dataclass(frozen=True)
class FileJob:
    """A file to make once the answer is committed (a chart, a workbook, a drafted report), outside any write."""

    kind: str  # chart | workbook | document
    period: object  # a Period
    report_name: str = ""  # the drafted report's period, as its title ends: "năm 2026"
    commune_id: int | None = None  # whose figures (None: every commune, for the province's workbook)


@dataclass(frozen=True)
class WithFile:
    """An answer now, and a file to follow it."""

    view: object
    job: FileJob
