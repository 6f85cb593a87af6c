"""Citizens' and the Mặt trận's feedback (ý kiến, kiến nghị, phản ánh), the department answering it (through a
task, so reminders and escalation are a task's) and the answer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.people import in_commune


class Feedback(Base):
    """One piece of feedback received, numbered G1, G2… within the commune."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("commune_id", "number", name="uq_feedback_number"),
        UniqueConstraint(
            "commune_id", "source_channel", "source_chat_id", "source_message_id", name="uq_feedback_source"
        ),
        in_commune("people", name="fk_feedback_recorder", column="recorded_by_id"),
        in_commune("departments", name="fk_feedback_department", column="department_id"),
        in_commune("tasks", name="fk_feedback_task", column="task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    number: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    origin: Mapped[str] = mapped_column(String(12))  # citizen | organisation | front | union
    channel: Mapped[str | None] = mapped_column(String(12))  # how it came: in person, phone, mailbox…
    subject: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date] = mapped_column(Date)  # answered by then is on time
    department_id: Mapped[int | None] = mapped_column(Integer)  # the one department answering it
    task_id: Mapped[int | None] = mapped_column(Integer)  # the task that chases the answer
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source_channel: Mapped[str] = mapped_column(String(20))
    source_chat_id: Mapped[str] = mapped_column(String(64))
    source_message_id: Mapped[str] = mapped_column(String(64))
