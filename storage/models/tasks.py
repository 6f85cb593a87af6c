"""Tasks, one lead department each, and their progress updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime
from storage.models.people import Department, in_commune


class Task(Base):
    """One task, one lead department, one deadline ("một việc chỉ giao một đầu mối")."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("commune_id", "number", name="uq_tasks_number"),
        UniqueConstraint("commune_id", "id", name="uq_tasks_commune"),
        UniqueConstraint("commune_id", "source_channel", "source_chat_id", "source_message_id", name="uq_tasks_source"),
        in_commune("departments", name="fk_tasks_department", column="department_id"),
        in_commune("people", name="fk_tasks_responsible", column="responsible_id"),
        Index("ix_tasks_department_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    number: Mapped[int] = mapped_column(Integer)  # V1, V2… within the commune
    department_id: Mapped[int] = mapped_column(Integer)
    # The one named official answerable for it, if any ("một việc một đầu mối": one lead, at most one person).
    responsible_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # what the reminder sweep follows
    source_channel: Mapped[str] = mapped_column(String(20))
    source_chat_id: Mapped[str] = mapped_column(String(64))
    source_message_id: Mapped[str] = mapped_column(String(64))

    department: Mapped[Department] = relationship(
        primaryjoin="Task.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )


class TaskUpdate(Base):
    """A progress report on a task (100 with `completes` when it is closed)."""

    __tablename__ = "task_updates"
    __table_args__ = (
        in_commune("tasks", name="fk_task_updates_task", column="task_id"),
        Index("ix_task_updates_task_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    task_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
