"""Communes, their departments, people and their chat accounts, roles, invites.

Every row that belongs to a commune carries `commune_id`, and a reference to another such row is a composite
foreign key (commune_id, id): a row pointing into another commune cannot be stored at all.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime


class Commune(Base):
    """A commune (or ward) the deployment serves, synced from the configuration by its code."""

    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)  # the day the bot began keeping this commune
    last_entry_number: Mapped[int] = mapped_column(Integer, default=0)  # entries are numbered #1, #2… per commune
    last_task_number: Mapped[int] = mapped_column(Integer, default=0)  # tasks V1, V2… per commune


def in_commune(target: str, *, name: str, column: str) -> ForeignKeyConstraint:
    """A reference to a row of the same commune: (commune_id, `column`) -> `target`(commune_id, id)."""
    return ForeignKeyConstraint(["commune_id", column], [f"{target}.commune_id", f"{target}.id"], name=name)


class Department(Base):
    """A department of a commune, synced from the config by its code."""

    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("commune_id", "code", name="uq_departments_code"),
        UniqueConstraint("commune_id", "id", name="uq_departments_commune"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Person(Base):
    """An official of one commune (or the province's officer, of none), apart from the chat accounts they use."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("commune_id", "id", name="uq_people_commune"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notify_channel: Mapped[str | None] = mapped_column(String(20))  # where reminders go; None: every linked app

    accounts: Mapped[list[ChatAccount]] = relationship(back_populates="person")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person", foreign_keys="Membership.person_id")


class ChatAccount(Base):
    """One person's identity on one channel (a Telegram or Zalo user id): how the edge finds the commune."""

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
    """A role a person holds: focal in one department, leader/admin commune-wide, or province (no commune)."""

    __tablename__ = "memberships"
    __table_args__ = (
        in_commune("departments", name="fk_memberships_department", column="department_id"),
        in_commune("people", name="fk_memberships_person", column="person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    department: Mapped[Department | None] = relationship(
        primaryjoin="Membership.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )


class Invite(Base):
    """A single-use registration code for one commune (none: the province's), kept only as its SHA-256."""

    __tablename__ = "invites"
    __table_args__ = (
        in_commune("departments", name="fk_invites_department", column="department_id"),
        in_commune("people", name="fk_invites_person", column="person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(10))  # "link": joins another app's account to `person_id`
    department_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("chat_accounts.id"))

    department: Mapped[Department | None] = relationship(
        primaryjoin="Invite.department_id == Department.id", foreign_keys=[department_id], viewonly=True
    )


class InviteFailure(Base):
    """A wrong invite code, remembered to slow down guessing."""

    __tablename__ = "invite_failures"
    __table_args__ = (Index("ix_invite_failures_sender", "channel", "external_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdentityVersion(Base):
    """One row (id 1) whose version every change to people, chat accounts, memberships, departments or communes
    bumps (by triggers, migration 0021): identities kept in memory are good while it stands."""

    __tablename__ = "identity_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
