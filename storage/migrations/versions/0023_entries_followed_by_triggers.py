"""What follows an entry, kept by the database: triggers on `entries` move the commune's entry counter past the
number an entry is stored with (the statement that stores it takes the next, its counter row locked), and keep the
per-day summary (`entry_days`): a live entry's counters are added to its day when it is stored, taken away when it
is cancelled or deleted, and moved when a fix changes its day, department or numbers. The entry's own statement
does it all, so a /hop runs two statements fewer and no writer (the bot, an import, the CLI, a hand-made fix) can
forget either.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 18:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What one entry adds to each counter, over its row as {row} (NEW or OLD): storage/entry_days.py defines them for
# `rebuild`, 0019 froze them for its backfill; frozen here as of 0023, and held equal by tests/storage/test_entry_days.py.
COUNTERS = {
    "entries": "1",
    "meetings": "CASE WHEN {row}.kind = 'meeting' THEN 1 ELSE 0 END",
    "online_meetings": "CASE WHEN {row}.kind = 'meeting' AND {row}.meeting_online THEN 1 ELSE 0 END",
    "documents": "CASE WHEN {row}.kind = 'document' THEN 1 ELSE 0 END",
    "electronic_documents": "CASE WHEN {row}.kind = 'document' AND {row}.document_kind = 'electronic' THEN 1 ELSE 0 END",
    "paper_documents": "CASE WHEN {row}.kind = 'document' AND {row}.document_kind = 'paper' THEN 1 ELSE 0 END",
    "secret_documents": "CASE WHEN {row}.kind = 'document' AND {row}.document_kind = 'secret' THEN 1 ELSE 0 END",
    "dossiers_online": "COALESCE({row}.dossiers_online, 0)",
    "dossiers_paper": "COALESCE({row}.dossiers_paper, 0)",
    "resolved_online": "CASE WHEN {row}.kind = 'resolved' THEN COALESCE({row}.resolved_online, 0) ELSE 0 END",
    "resolved_paper": "CASE WHEN {row}.kind = 'resolved' THEN COALESCE({row}.resolved_paper, 0) ELSE 0 END",
    "resolved_late": "CASE WHEN {row}.kind = 'resolved' THEN COALESCE({row}.resolved_late, 0) ELSE 0 END",
    "incoming_electronic": "CASE WHEN {row}.kind = 'incoming' AND {row}.document_kind = 'electronic' THEN 1 ELSE 0 END",
    "incoming_paper": "CASE WHEN {row}.kind = 'incoming' AND {row}.document_kind = 'paper' THEN 1 ELSE 0 END",
    "incoming_secret": "CASE WHEN {row}.kind = 'incoming' AND {row}.document_kind = 'secret' THEN 1 ELSE 0 END",
}
# Every column a counter or the summary's key reads: an update of any other (a summary's wording) changes nothing.
COUNTED = (
    "commune_id, occurred_on, department_id, kind, cancelled_at, meeting_online, document_kind, "
    "dossiers_online, dossiers_paper, resolved_online, resolved_paper, resolved_late"
)


def _add(row: str, sign: str) -> str:
    """The upsert that adds ({sign} '') or takes away ('-') a live entry's counters on its day."""
    names = ", ".join(COUNTERS)
    values = ", ".join(f"{sign}({value.format(row=row)})" for value in COUNTERS.values())
    added = ", ".join(f"{name} = entry_days.{name} + excluded.{name}" for name in COUNTERS)
    return (
        f"INSERT INTO entry_days (commune_id, day, department_id, {names}) "
        f"SELECT {row}.commune_id, {row}.occurred_on, {row}.department_id, {values} "
        f"WHERE {row}.cancelled_at IS NULL AND {row}.kind <> 'report' "
        f"ON CONFLICT (commune_id, day, department_id) DO UPDATE SET {added}"
    )


# A day of OLD's department left with no entry goes (OLD was taken away just before).
EMPTIED = (
    "DELETE FROM entry_days WHERE commune_id = OLD.commune_id AND day = OLD.occurred_on "
    "AND department_id = OLD.department_id AND entries = 0"
)
TAKEN = f"{_add('OLD', '-')}; {EMPTIED}"


# The counter moves past what was stored (an import stores numbers it took together: then it is there already).
COUNTER = (
    "UPDATE communes SET last_entry_number = NEW.number WHERE id = NEW.commune_id AND last_entry_number < NEW.number"
)


def _sqlite_triggers() -> dict[str, str]:
    """name → the trigger: SQLite has no trigger function, so each event its own body."""
    return {
        "entries_number": f"AFTER INSERT ON entries BEGIN {COUNTER}; END",
        "entry_days_insert": f"AFTER INSERT ON entries BEGIN {_add('NEW', '')}; END",
        "entry_days_update": f"AFTER UPDATE OF {COUNTED} ON entries BEGIN {TAKEN}; {_add('NEW', '')}; END",
        "entry_days_delete": f"AFTER DELETE ON entries BEGIN {TAKEN}; END",
    }


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        return
    op.execute(
        f"CREATE FUNCTION entries_number() RETURNS trigger AS $$ BEGIN {COUNTER}; RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute("CREATE TRIGGER entries_number AFTER INSERT ON entries FOR EACH ROW EXECUTE FUNCTION entries_number()")
    op.execute(
        "CREATE FUNCTION entry_days_follow() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {TAKEN}; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW', '')}; END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        f"CREATE TRIGGER entry_days_follow AFTER INSERT OR UPDATE OF {COUNTED} OR DELETE ON entries "
        "FOR EACH ROW EXECUTE FUNCTION entry_days_follow()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER {name}")
        return
    for name in ("entries_number", "entry_days_follow"):
        op.execute(f"DROP TRIGGER {name} ON entries")
        op.execute(f"DROP FUNCTION {name}()")
