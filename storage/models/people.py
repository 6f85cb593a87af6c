"""Departments, people and their chat accounts, roles, invites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime


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
    notify_channel: Mapped[str | None] = mapped_column(String(20))  # where reminders go; None: every linked app

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
    role: Mapped[str] = mapped_column(String(10))  # "link": joins another app's account to `person_id`
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
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
