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
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", foreign_keys="Membership.person_id"
    )


class ChatAccount(Base):
    """One person's identity on one channel (Telegram user id, later a Zalo id)."""

    __tablename__ = "chat_accounts"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

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

    department: Mapped[Department] = relationship()

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
