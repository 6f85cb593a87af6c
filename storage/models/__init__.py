"""The tables, one module an aggregate. Instants are stored as UTC; dates are commune dates."""

from storage.models.base import NAMING, Base, UTCDateTime
from storage.models.entries import Document, DossierTally, Entry, Meeting, ReportSubmission
from storage.models.messaging import (
    GroupBinding,
    HandledMessage,
    InboxUpdate,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    PendingChoice,
)
from storage.models.people import ChatAccount, Department, Invite, InviteFailure, Membership, Person
from storage.models.system import AuditEvent, Setting
from storage.models.tasks import Task, TaskUpdate

__all__ = [
    "NAMING",
    "AuditEvent",
    "Base",
    "ChatAccount",
    "Department",
    "Document",
    "DossierTally",
    "Entry",
    "GroupBinding",
    "HandledMessage",
    "InboxUpdate",
    "Invite",
    "InviteFailure",
    "Meeting",
    "Membership",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "PendingChoice",
    "Person",
    "ReportSubmission",
    "Setting",
    "Task",
    "TaskUpdate",
    "UTCDateTime",
]
