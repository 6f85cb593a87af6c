"""Neither the bot token nor an invite code ever reaches the logs, however it is spelt or wrapped; ordinary
words, numbers and identifiers do."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.logs import QUIET_LOGGERS, RedactTokens, setup_logging

FAKE_TOKEN = "987654321:" + "AAFakeTokenForTestsOnly_" + "x" * 16  # token-shaped, and plainly not a real one
# Any code the bot could make: secrets.token_urlsafe(24) is 32 characters of these, none excluded.
CODES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=32, max_size=32)
# Where a code travels, {} standing for it: what the five forms of issue 15 look like in a message, in a
# JSON payload (escaped), in a link, in a repr and in an error.
WRAPPINGS = [
    "/start {}",
    "/Start {}",
    "/START {}",
    "/start\xa0{}",
    "/start\u3000{}",
    "/bat_dau {}",
    "/start@binhlu_bot {}",
    "{}",
    "text={!r}",
    '{{"update_id": 5, "message": {{"text": "{}"}}}}',
    "https://t.me/binhlu_bot?start={}",
    "https://zalo.me/s/123?start={}&src=qr",
    "text=%2Fstart%20{}",
    "text=%2Fstart%C2%A0{}",
    "text=%2Fstart+{}",
    "Mã mời: {}.",
    "ValueError: không có mã ({})",
]


@given(CODES)
def test_an_invite_code_is_masked_however_it_is_wrapped(code):
    redact = RedactTokens().redact
    for wrapping in WRAPPINGS:
        line = wrapping.format(code)
        for logged in (line, json.dumps({"text": line}), json.dumps({"text": f"dòng một\n{line}"})):
            masked = redact(logged)
            assert code not in masked and "[MÃ MỜI]" in masked, logged


def test_a_code_logged_at_debug_is_masked_on_the_way_out(capsys):
    setup_logging(logging.DEBUG)
    code = secrets.token_urlsafe(24)  # as bot.service.access makes them
    logging.getLogger("telegram.ext").debug("update %s", json.dumps({"message": {"text": f"/START\xa0{code}"}}))
    err = capsys.readouterr().err
    assert code not in err and "[MÃ MỜI]" in err


@pytest.mark.parametrize(
    "line",
    [
        "Đã ghi #12: họp 12/11/2026",
        "Công văn số 125/UBND-VP ngày 12/11/2026 về việc triển khai Kế hoạch 641/KH-UBND của UBND xã Bình Lư",
        "/hop truc_tuyen 05/03/2026 Giao ban quý I",
        "/vanban dientu 03/03/2026 12/KH-UBND Ke hoach tuyen truyen cai cach hanh chinh",
        "Khong co phong xyz (cac ma phong: vp, vhxh, kt, tthcc, cax, qs)",
        '  File "/work/bot/service/pipeline.py", line 120, in handle_incoming_update_in_one_transaction',
        "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8081)",
        "tests/test_logs.py::test_an_invite_code_is_masked_however_it_is_wrapped PASSED",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "zalo user 8420154879320416123 chat -1001234567890",
        "python-telegram-bot[rate-limiter] 22.5, sqlalchemy.ext.asyncio.AsyncSession",
        "/help huong_dan_su_dung_bot_chi_tiet",
    ],
)
def test_ordinary_text_is_kept_as_it_is(line):
    assert RedactTokens().redact(line) == line


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
