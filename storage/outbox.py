"""The outbox: every message the bot sends, written under a unique key before any attempt to send it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.permissions import Role
from storage.chats import Recipient, list_role_recipients
from storage.models.messaging import OutboxKind, OutboxMessage, OutboxStatus

KEY_COLUMNS = ("kind", "subject", "stage", "day", "channel", "chat_id")


# --- subjects: what a message is about, one builder each, shared by whoever writes or settles it ----------


def report_subject(commune_id: int, report: str, year: int, department: str) -> str:
    """One department's report period."""
    return f"{commune_id}:{report}:{year}:{department}"


def report_period_subject(commune_id: int, report: str, year: int) -> str:
    """A report period of a commune, all its departments."""
    return f"{commune_id}:{report}:{year}"


def digest_subject(commune_id: int) -> str:
    """A commune's leaders' weekly digest."""
    return f"{commune_id}:leaders"


def task_subject(task_id: int) -> str:
    """One task (by its row id, unique across communes)."""
    return str(task_id)


def chat_subject(channel: str, chat_id: str) -> str:
    """One chat."""
    return f"{channel}:{chat_id}"


def reply_subject(chat_id: str, message_id: str) -> str:
    """The answer to one message."""
    return f"{chat_id}:{message_id}"


@dataclass(frozen=True)
class OutboxKey:
    """What a message is about, at which stage, on which day: with the chat, sent at most once."""

    kind: OutboxKind
    subject: str
    stage: str
    day: date


@dataclass(frozen=True)
class ReplyPart:
    """One message of a reply: its text, buttons, and a file sent with it."""

    text: str
    buttons: list[list[str]] | None = None
    attachment: dict | None = None
    secret: bool = False  # sent without a link preview, its text blanked once it is sent or given up


def _insert(session: AsyncSession):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _row(
    key: OutboxKey,
    recipient: Recipient,
    text: str,
    status: OutboxStatus,
    due_at: datetime,
    now: datetime,
    body: dict | None = None,
):
    return {
        "body": body,
        "kind": key.kind,
        "subject": key.subject,
        "stage": key.stage,
        "day": key.day,
        "channel": recipient.channel,
        "chat_id": recipient.chat_id,
        "is_group": recipient.is_group,
        "text": text,
        "status": status,
        "attempts": 0,
        "due_at": due_at,
        "next_attempt_at": due_at,
        "created_at": now,
    }


async def enqueue(
    session: AsyncSession,
    key: OutboxKey,
    recipients: Iterable[Recipient],
    text: str,
    *,
    due_at: datetime,
    now: datetime,
    status: OutboxStatus = OutboxStatus.PENDING,
    body: dict | None = None,
) -> None:
    """Write a message for each recipient unless its key is already there.

    With `body`, the text is rendered again when sent (the stored text is what it said when planned).
    """
    await enqueue_many(session, [(key, tuple(recipients), text, due_at, body)], status=status, now=now)


async def notify_admins(
    session: AsyncSession,
    commune_id: int,
    key: OutboxKey,
    text: str,
    *,
    now: datetime,
    about: Recipient | None = None,
) -> None:
    """Tell every reachable admin of a commune, once per key (never the chat the notice is about)."""
    admins = await list_role_recipients(session, commune_id, Role.ADMIN)
    if about is not None:
        admins = [a for a in admins if (a.channel, a.chat_id) != (about.channel, about.chat_id)]
    await enqueue(session, key, admins, text, due_at=now, now=now)


async def enqueue_many(
    session: AsyncSession,
    messages: Sequence[tuple[OutboxKey, Sequence[Recipient], str, datetime, dict | None]],
    *,
    status: OutboxStatus,
    now: datetime,
) -> int:
    """Write many messages (key, recipients, text, due at, body) in one batch, skipping keys already there;
    the number written (on a driver that cannot count an executemany, the number tried)."""
    rows = [
        _row(key, recipient, text, status, due_at, now, body)
        for key, recipients, text, due_at, body in messages
        for recipient in recipients
    ]
    if not rows:
        return 0
    # One statement compiled once and executed for every row (executemany): compiling a many-row VALUES
    # clause costs far more than running it.
    table = OutboxMessage.__table__
    statement = _insert(session)(table).on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
    result = await session.execute(statement, rows)
    return result.rowcount if result.rowcount is not None and result.rowcount >= 0 else len(rows)


async def enqueue_reply(
    session: AsyncSession,
    recipient: Recipient,
    subject: str,
    parts: Sequence[ReplyPart],
    *,
    now: datetime,
    day: date,
    stage: str = "",
    reply_to: str | None = None,
    edit_message_id: str | None = None,
) -> list[int]:
    """Write the parts of a reply (once per message answered); the ids of the rows written."""
    ids = []
    for n, part in enumerate(parts, 1):
        key = OutboxKey(OutboxKind.REPLY, subject, f"{stage}{n}", day)
        row = _row(key, recipient, part.text, OutboxStatus.PENDING, now, now)
        row |= {
            "buttons": part.buttons,
            "attachment": part.attachment,
            "secret": part.secret,
            "reply_to": reply_to,
            "edit_message_id": edit_message_id if n == 1 else None,
        }
        statement = (
            _insert(session)(OutboxMessage)
            .values(row)
            .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
            .returning(OutboxMessage.id)
        )
        if (written := await session.scalar(statement)) is not None:
            ids.append(written)
    return ids


CHAT_SEPARATOR, CHATS_SEPARATOR = "\x1f", "\x1e"  # never in a channel's name or a chat id


# Keys a statement: one bound list (a JSON array on SQLite, arrays on PostgreSQL), so a restart's 80,000 keys take
# a few statements, each seeking the outbox's key index once a key.
KEYS_A_STATEMENT = 10_000

_WRITTEN_SQLITE = text(
    "SELECT k.key, (SELECT group_concat(o.channel || :us || o.chat_id, :rs) FROM outbox AS o"
    " WHERE o.kind = json_extract(k.value, '$[0]') AND o.subject = json_extract(k.value, '$[1]')"
    " AND o.stage = json_extract(k.value, '$[2]') AND o.day = json_extract(k.value, '$[3]'))"
    " FROM json_each(:keys) AS k"
)
_WRITTEN_POSTGRESQL = text(
    "SELECT k.n - 1, (SELECT string_agg(o.channel || :us || o.chat_id, :rs) FROM outbox AS o"
    " WHERE o.kind = k.kind AND o.subject = k.subject AND o.stage = k.stage AND o.day = k.day)"
    " FROM unnest(CAST(:kinds AS text[]), CAST(:subjects AS text[]), CAST(:stages AS text[]), CAST(:days AS date[]))"
    " WITH ORDINALITY AS k(kind, subject, stage, day, n)"
)


def _written_query(session: AsyncSession, keys: Sequence[OutboxKey]):
    """The statement and parameters that give, for each key by its place in `keys`, its chats as one string
    ("channel<US>chat<RS>…", none when nothing was written): one row a key, not a row a chat."""
    separators = {"us": CHAT_SEPARATOR, "rs": CHATS_SEPARATOR}
    if session.get_bind().dialect.name == "postgresql":
        columns = {
            "kinds": [str(k.kind) for k in keys],
            "subjects": [k.subject for k in keys],
            "stages": [k.stage for k in keys],
            "days": [k.day for k in keys],
        }
        return _WRITTEN_POSTGRESQL, separators | columns
    encoded = json.dumps([[str(k.kind), k.subject, k.stage, k.day.isoformat()] for k in keys])
    return _WRITTEN_SQLITE, separators | {"keys": encoded}


async def written_chats(
    session: AsyncSession, keys: Iterable[OutboxKey]
) -> dict[OutboxKey, frozenset[tuple[str, str]]]:
    """For each of these keys that has messages written, the (channel, chat id) they were written for.

    All the keys go to the database as one bound list joined to the outbox's key index (kind, subject, stage,
    day, …), one seek a key, and a key's chats come back as one string, split once for all the keys that share
    it (a department's tasks all go to the same chats): a restart's first pass asks for 80,000 keys."""
    wanted = list(keys)  # a key asked twice comes back twice, to the same answer
    found: dict[OutboxKey, frozenset[tuple[str, str]]] = {}
    parsed: dict[str, frozenset[tuple[str, str]]] = {}
    for start in range(0, len(wanted), KEYS_A_STATEMENT):
        part = wanted[start : start + KEYS_A_STATEMENT]
        statement, parameters = _written_query(session, part)
        for n, joined in await session.execute(statement, parameters):
            if joined is None:
                continue
            if (chats := parsed.get(joined)) is None:
                pairs = (pair.split(CHAT_SEPARATOR, 1) for pair in joined.split(CHATS_SEPARATOR))
                chats = parsed[joined] = frozenset((channel, chat_id) for channel, chat_id in pairs)
            found[part[n]] = chats
    return found


async def outbox_has(session: AsyncSession, key: OutboxKey) -> bool:
    """Whether any message with this key was already written."""
    return bool(await written_chats(session, [key]))


async def supersede(session: AsyncSession, kinds: Iterable[OutboxKind], subject: str) -> int:
    """Pending messages about something now settled (a report submitted, a task closed) are not sent."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.BUNDLED]),  # a bundle leaves it out
            OutboxMessage.kind.in_(list(kinds)),
            OutboxMessage.subject == subject,
        )
        .values(status=OutboxStatus.SUPERSEDED)
    )
    return result.rowcount or 0


async def list_outbox(session: AsyncSession, *, status: OutboxStatus | None = None) -> Sequence[OutboxMessage]:
    """Outbox rows, oldest first (for the CLI and tests)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return (await session.scalars(query)).all()


async def depth(session: AsyncSession) -> int:
    """How many messages wait to be sent (or are being sent)."""
    waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    return await session.scalar(select(func.count()).where(OutboxMessage.status.in_(waiting)))
