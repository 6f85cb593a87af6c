"""The bot token never reaches the logs."""

from __future__ import annotations

import logging

from bot.logs import QUIET_LOGGERS, RedactTokens, setup_logging

FAKE_TOKEN = "987654321:" + "AAFakeTokenForTestsOnly_" + "x" * 16  # token-shaped, and plainly not a real one


def test_token_is_masked_in_messages_and_tracebacks(capsys):
    setup_logging(secrets=(FAKE_TOKEN,))
    logger = logging.getLogger("bot.test")
    logger.info("calling https://bot-api.example.org/bot%s/getMe", FAKE_TOKEN)
    try:
        raise ConnectionError(f"POST https://bot-api.example.org/bot{FAKE_TOKEN}/sendMessage failed")
    except ConnectionError:
        logger.exception("send failed")
    logger.warning("another token-shaped thing 123456:%s", "x" * 35)
    err = capsys.readouterr().err
    assert FAKE_TOKEN not in err and "x" * 35 not in err
    assert err.count("[TOKEN]") == 3 and "Traceback" in err


def test_http_client_loggers_stay_at_warning():
    setup_logging(logging.DEBUG, secrets=(FAKE_TOKEN,))
    assert all(logging.getLogger(name).level == logging.WARNING for name in QUIET_LOGGERS if name.startswith("http"))


def test_redaction_keeps_ordinary_text():
    assert RedactTokens().redact("Đã ghi #12: họp 12/11/2026") == "Đã ghi #12: họp 12/11/2026"
