"""The tables. Instants are stored as UTC; dates are commune dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC and read back aware (SQLite keeps no offsets)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Department(Base):
    """A department of the commune, synced from the config by its code."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Person(Base):
    """An official, apart from the chat accounts they use."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    accounts: Mapped[list[ChatAccount]] = relationship(back_populates="person")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person", foreign_keys="Membership.person_id")


class ChatAccount(Base):
    """One person's identity on one channel (Telegram user id, later a Zalo id)."""

    __tablename__ = "chat_accounts"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="accounts")


class Membership(Base):
    """A role a person holds: focal in one department, or leader/admin commune-wide."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    department: Mapped[Department | None] = relationship()


class Invite(Base):
    """A single-use registration code, kept only as its SHA-256."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("chat_accounts.id"))

    department: Mapped[Department | None] = relationship()


class InviteFailure(Base):
    """A wrong invite code, remembered to slow down guessing."""

    __tablename__ = "invite_failures"
    __table_args__ = (Index("ix_invite_failures_sender", "channel", "external_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Entry(Base):
    """Something a department logged: a meeting, a document or a dossier tally; #id is its number."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("source_channel", "source_chat_id", "source_message_id"),
        Index("ix_entries_year_department", "year", "department_id"),
        Index(
            "uq_entries_document_number",
            "year",
            "document_number_key",
            unique=True,
            sqlite_where=text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
            postgresql_where=text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
        ),
        Index(
            "uq_entries_report_submission",
            "department_id",
            "report_code",
            "report_year",
            unique=True,
            sqlite_where=text("kind = 'report' AND cancelled_at IS NULL"),
            postgresql_where=text("kind = 'report' AND cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source_channel: Mapped[str] = mapped_column(String(20))
    source_chat_id: Mapped[str] = mapped_column(String(64))
    source_message_id: Mapped[str] = mapped_column(String(64))
    meeting_online: Mapped[bool | None] = mapped_column(Boolean)
    document_kind: Mapped[str | None] = mapped_column(String(10))
    document_number: Mapped[str | None] = mapped_column(String(50))
    document_number_key: Mapped[str | None] = mapped_column(String(50))
    dossiers_online: Mapped[int | None] = mapped_column(Integer)
    dossiers_paper: Mapped[int | None] = mapped_column(Integer)
    report_code: Mapped[str | None] = mapped_column(String(20))
    report_year: Mapped[int | None] = mapped_column(Integer)
    file_id: Mapped[str | None] = mapped_column(String(200))

    department: Mapped[Department] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_abstract": True}


class Meeting(Entry):
    """One meeting held, online or in person."""

    __mapper_args__ = {"polymorphic_identity": "meeting"}


class Document(Entry):
    """One administrative document issued: electronic, paper or secret."""

    __mapper_args__ = {"polymorphic_identity": "document"}


class DossierTally(Entry):
    """Administrative-procedure dossiers received on a day, online and on paper."""

    __mapper_args__ = {"polymorphic_identity": "dossiers"}


class ReportSubmission(Entry):
    """A department's report for one period (a kind and a year), with the file if one was sent."""

    __mapper_args__ = {"polymorphic_identity": "report"}


class Task(Base):
    """One task, one lead department, one deadline ("một việc chỉ giao một đầu mối")."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("source_channel", "source_chat_id", "source_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source_channel: Mapped[str] = mapped_column(String(20))
    source_chat_id: Mapped[str] = mapped_column(String(64))
    source_message_id: Mapped[str] = mapped_column(String(64))

    department: Mapped[Department] = relationship()


class TaskUpdate(Base):
    """A progress report on a task (100 with `completes` when it is closed)."""

    __tablename__ = "task_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A message to send, written under its unique key before any attempt: sent at most once."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("kind", "subject", "stage", "day", "channel", "chat_id", name="uq_outbox_key"),
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(300))


class Setting(Base):
    """A value the deployment keeps about itself, such as the day reminders started."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class HandledMessage(Base):
    """A message that changed something, with the reply it got: a redelivery gets the same reply."""

    __tablename__ = "handled_messages"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reply: Mapped[str] = mapped_column(Text)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupBinding(Base):
    """A group chat bound to a department: its reminders go there too."""

    __tablename__ = "group_bindings"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    bound_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship()


class AuditEvent(Base):
    """Who did what, when: one row for every change."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
