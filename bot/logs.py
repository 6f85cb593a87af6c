"""Logging that never shows a bot token or an invite code, in messages or in tracebacks."""

from __future__ import annotations

import logging
import re

TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[TOKEN]"
# What separates two words as a log shows them: any space (a no-break one too), or one escaped in JSON ("\n",
# "\u00a0") or in a URL ("%20", "%C2%A0", "+").
GAP = r"(?:\s|\\[nrt]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}|\+)"
# Every invite code, web sign-in link token and web session cookie the bot makes (bot/service/access.py,
# bot/service/web.py) is secrets.token_urlsafe(24): 32 characters of A-Z a-z 0-9 _ -. Any run of
# exactly that many, alone or right after an escaped space, is masked wherever it stands: in a bare message, after
# a command however spelt (/Start, /START, /bat_dau), in a JSON payload or in a link. A word or an identifier
# (snake_case, CamelCase), a document number (125/UBND-VP) or an id is shorter, longer or broken by other marks.
ALONE = r"(?:(?<![A-Za-z0-9_-])|(?<=\\[nrt])|(?<=\\u[0-9A-Fa-f]{4})|(?<=%[0-9A-Fa-f]{2}))"  # escapes: fixed widths
INVITE_SHAPE = re.compile(rf"{ALONE}[A-Za-z0-9_-]{{32}}(?![A-Za-z0-9_-])")
# A code of another length (the parser takes 16 to 64 characters) after /start in any case, or "start=" in a link.
INVITE_AFTER = re.compile(rf"((?i:/start|/bat_?dau)(?:@\w+)?{GAP}+|start(?:group)?=)[A-Za-z0-9_-]{{16,64}}")
REDACTED_CODE = "[MÃ MỜI]"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic.runtime.plugins")


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token (and the configured one) before a record is written."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, value: str) -> str:
        """The string with every token and invite code masked."""
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        value = INVITE_AFTER.sub(rf"\1{REDACTED_CODE}", TOKEN_SHAPE.sub(REDACTED, value))
        return INVITE_SHAPE.sub(REDACTED_CODE, value)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters print a cached exc_text as is: cache the redacted traceback.
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(level: int = logging.INFO, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr through the redacting filter; HTTP client loggers stay at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
