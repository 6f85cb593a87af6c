"""What departments write in their periodic reports (results by task group, difficulties, proposals), the periods
the consolidating department has closed, and the free-text answers the bot is waiting for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime
from storage.models.people import Department, in_commune


class ReportAnswer(Base):
    """One part of a department's report of one period: a result under one of the plan's task groups (II.1–6), its
    difficulties or its proposals (`task_group` 0). Written again, it is replaced; an empty body means "none"."""

    __tablename__ = "report_answers"
    __table_args__ = (
        UniqueConstraint(
            "commune_id", "department_id", "report_code", "report_year", "part", "task_group", name="uq_report_answers"
        ),
        in_commune("departments", name="fk_report_answers_department", column="department_id"),
        in_commune("people", name="fk_report_answers_person", column="person_id"),
        Index("ix_report_answers_period", "commune_id", "report_code", "report_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    department_id: Mapped[int] = mapped_column(Integer)
    report_code: Mapped[str] = mapped_column(String(20))
    report_year: Mapped[int] = mapped_column(Integer)
    part: Mapped[str] = mapped_column(String(12))  # result | difficulty | proposal
    task_group: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(
        primaryjoin="ReportAnswer.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )


class ReportClosure(Base):
    """A report period the consolidating department has closed: its departments' answers can no longer change."""

    __tablename__ = "report_closures"
    __table_args__ = (
        UniqueConstraint("commune_id", "report_code", "report_year", name="uq_report_closures"),
        in_commune("people", name="fk_report_closures_person", column="closed_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    report_code: Mapped[str] = mapped_column(String(20))
    report_year: Mapped[int] = mapped_column(Integer)
    closed_by_id: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AwaitedAnswer(Base):
    """A question the bot asked one person in one chat whose answer is free text: the next message that is not a
    command is that answer, handed to the feature that asked (`topic`) with what it needs to know (`context`)."""

    __tablename__ = "awaited_answers"
    __table_args__ = (
        in_commune("people", name="fk_awaited_answers_person", column="person_id"),
        Index("ix_awaited_answers_chat", "commune_id", "channel", "chat_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(40))
    context: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
