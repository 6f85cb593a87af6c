"""Logging that never shows a bot token or an invite code, in messages or in tracebacks."""

from __future__ import annotations

import logging
import re

TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[TOKEN]"
# An invite code wherever it travels: "/start <code>" in a message (or a JSON payload), "?start=<code>" in a link.
INVITE_CODE = re.compile(r"(/start(?:@\w+)?(?:\s|\\n|%20|\+)+|start=)[A-Za-z0-9_-]{16,64}")
REDACTED_CODE = r"\1[MÃ MỜI]"
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
        return INVITE_CODE.sub(REDACTED_CODE, TOKEN_SHAPE.sub(REDACTED, value))

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
