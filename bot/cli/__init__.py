"""What each command-line command does; `__main__` only parses the arguments."""

from bot.cli.dbcopy import cmd_db_copy
from bot.cli.files import cmd_draft, cmd_export, cmd_import
from bot.cli.people import cmd_invite, cmd_members, cmd_revoke
from bot.cli.run import cmd_db, cmd_db_rebuild_summary, cmd_demo, cmd_remind, cmd_run

__all__ = [
    "cmd_db",
    "cmd_db_copy",
    "cmd_db_rebuild_summary",
    "cmd_demo",
    "cmd_draft",
    "cmd_export",
    "cmd_import",
    "cmd_invite",
    "cmd_members",
    "cmd_remind",
    "cmd_revoke",
    "cmd_run",
]
