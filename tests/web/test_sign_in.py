"""Signing in to the pages: a one-time link from /web in a private chat (random, hashed, ten minutes, one use, a
preview or HEAD never spending it), a session cookie of eight hours with its attributes, /web dangxuat and a
revocation ending the sessions, failed sign-ins throttled, and no secret in a log."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core.permissions import Role
from bot.core.texts import text
from bot.logs import QUIET_LOGGERS, RedactTokens
from jobs.sender import OutboxSender
from storage import outbox
from storage.models.web import WebLink, WebSession
from tests.support.db import inspecting
from tests.support.transport import FakeTransport
from tests.support.users import register, revoke
from tests.web.site import LINK, link_of, serving, session_cookie, with_web

PREVIEWERS = [
    "TelegramBot (like TwitterBot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0",
    "",
]


async def test_web_answers_a_one_time_link_kept_only_as_its_hash(site):
    service, _ = site
    leader = await register(service, "201", Role.LEADER)
    reply = await leader.say("/web")
    match = LINK.search(reply)
    assert match and match[1] == "https://solieu.binhlu.laichau.gov.vn/web/vao/"
    token = match[2]
    assert len(token) == 32, "192 random bits, in the shape the logs mask"
    assert "10:10" in reply, "when it expires, in the commune's time"
    async with inspecting(service.db) as session:
        stored = (await session.scalars(select(WebLink))).all()
    assert [row.token_hash for row in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert all(token not in str(vars(row)) for row in stored)


async def test_web_is_refused_in_a_group_and_when_the_pages_are_off(site, service):
    served, _ = site
    leader = await register(served, "201", Role.LEADER)
    assert await leader.say("/web", chat_id="-100") == text("web.private_only")
    off = await register(service, "202", Role.LEADER)
    assert await off.say("/web") == text("web.disabled")
    assert (await leader.say("/web lung")).startswith(text("parse.web_word", value="lung"))


@pytest.mark.parametrize("agent", PREVIEWERS)
async def test_a_preview_or_a_head_never_uses_the_link_up(site, agent):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    token = await link_of(leader)
    status, headers, body = await web.get(f"/web/vao/{token}", **{"User-Agent": agent})
    assert status == 200 and "Set-Cookie" not in headers and text("page.preview.body") in body
    status, headers, _ = await web.get(f"/web/vao/{token}", method="HEAD")
    assert status == 200 and "Set-Cookie" not in headers
    status, headers, _ = await web.get(f"/web/vao/{token}")
    assert status == 303, "the person's own first open still signs in"


async def test_opening_the_link_sets_a_guarded_cookie_and_leads_to_ones_page(site):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    status, headers, _ = await web.get(f"/web/vao/{await link_of(leader)}")
    assert status == 303 and headers["Location"] == f"/web/xa/{service.communes.only.code}"
    cookie = headers["Set-Cookie"]
    for attribute in ("HttpOnly", "SameSite=Lax", "Secure", "Max-Age=28800", "Path=/web"):
        assert attribute in cookie, attribute
    status, _, body = await web.get(headers["Location"], cookie=session_cookie(headers))
    assert status == 200 and "UBND xã Bình Lư" in body


async def test_over_plain_http_the_cookie_is_not_marked_secure(config, clock):
    async with serving(with_web(config, "http://127.0.0.1:8081"), clock) as (service, web):
        leader = await register(service, "201", Role.LEADER)
        _, headers, _ = await web.get(f"/web/vao/{await link_of(leader)}")
    assert "Secure" not in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]


async def test_a_link_works_once_and_for_ten_minutes(site, clock):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    token = await link_of(leader)
    assert (await web.get(f"/web/vao/{token}"))[0] == 303
    status, headers, body = await web.get(f"/web/vao/{token}")
    assert status == 404 and "Set-Cookie" not in headers and text("page.link_bad.body") in body
    late = await link_of(leader)
    clock.advance(minutes=10)
    status, _, body = await web.get(f"/web/vao/{late}")
    assert status == 404 and text("page.link_bad.title") in body


@pytest.mark.parametrize("token", ["A" * 32, "short", "x" * 200, "%3Cscript%3E"])
async def test_an_unknown_or_malformed_link_gets_the_plain_page(site, token):
    _, web = site
    status, _, body = await web.get(f"/web/vao/{token}")
    assert status == 404 and text("page.link_bad.body") in body and "<script" not in body


async def test_failed_sign_ins_are_throttled_per_client_behind_the_proxy(site, clock):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    guesser = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(service.config.invites.max_failures):
        assert (await web.get("/web/vao/" + "B" * 32, **guesser))[0] == 404
    token = await link_of(leader)
    status, _, body = await web.get(f"/web/vao/{token}", **guesser)
    assert status == 429 and text("page.throttled.title") in body, "not even a good link is looked at"
    assert (await web.get(f"/web/vao/{token}", **{"X-Forwarded-For": "198.51.100.2"}))[0] == 303, "others may"
    clock.advance(minutes=service.config.invites.failure_window_minutes)
    assert (await web.get(f"/web/vao/{await link_of(leader)}", **guesser))[0] == 303, "the wait is over"


async def test_a_session_lasts_eight_hours(site, clock):
    service, web = site
    cookie = await web.sign_in(await register(service, "201", Role.LEADER))
    page = f"/web/xa/{service.communes.only.code}"
    clock.advance(hours=7, minutes=59)
    assert (await web.get(page, cookie=cookie))[0] == 200
    clock.advance(minutes=1)
    status, _, body = await web.get(page, cookie=cookie)
    assert status == 401 and text("page.sign_in.body") in body


async def test_web_dangxuat_ends_every_session_of_that_person_only(site):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    other = await register(service, "202", Role.LEADER)
    phone, desk, theirs = await web.sign_in(leader), await web.sign_in(leader), await web.sign_in(other)
    pending = await link_of(leader)
    assert await leader.say("/web dangxuat") == text("web.signed_out", count=2)
    page = f"/web/xa/{service.communes.only.code}"
    assert [(await web.get(page, cookie=c))[0] for c in (phone, desk, theirs)] == [401, 401, 200]
    assert (await web.get(f"/web/vao/{pending}"))[0] == 404, "a link not yet used ends with them"
    assert await leader.say("/web dangxuat") == text("web.signed_out_none")


async def test_a_revoked_member_is_signed_out_at_once(site):
    service, web = site
    focal = await register(service, "101", Role.FOCAL, "vhxh")
    cookie = await web.sign_in(focal)
    pending = await link_of(focal)
    await revoke(service, await person_id(service, "101"))
    assert (await web.get("/web/xa/binh_lu/phong/vhxh", cookie=cookie))[0] == 401
    assert (await web.get(f"/web/vao/{pending}"))[0] == 404
    async with inspecting(service.db) as session:
        sessions = (await session.scalars(select(WebSession))).all()
    assert [s.ended_at is not None for s in sessions] == [True]


async def test_a_member_revoked_elsewhere_loses_the_session_on_its_next_use(site):
    """However the roles went (a database edit, another process), a session of no one is no session."""
    service, web = site
    focal = await register(service, "101", Role.FOCAL, "vhxh")
    cookie = await web.sign_in(focal)
    from sqlalchemy import update

    from storage.models.people import Membership

    async with inspecting(service.db) as session:
        await session.execute(update(Membership).values(active=False))
        await session.commit()
    assert (await web.get("/web", cookie=cookie))[0] == 401
    async with inspecting(service.db) as session:
        assert (await session.scalar(select(WebSession.ended_at))) is not None


async def person_id(service, user_id: str) -> int:
    from storage.models.people import ChatAccount

    async with inspecting(service.db) as session:
        return await session.scalar(select(ChatAccount.person_id).where(ChatAccount.external_id == user_id))


async def test_no_link_and_no_cookie_reach_a_log(site, caplog):
    service, web = site
    caplog.set_level(logging.DEBUG)
    for name in QUIET_LOGGERS:  # as `run` sets them: the database driver's statements are not logged
        logging.getLogger(name).setLevel(logging.WARNING)
    leader = await register(service, "201", Role.LEADER)
    reply = await leader.say("/web")
    token = LINK.search(reply)[2]
    _, headers, _ = await web.get(f"/web/vao/{token}")
    cookie = session_cookie(headers)
    await web.get(f"/web/xa/{service.communes.only.code}", cookie=cookie)
    await web.get(f"/web/vao/{token}")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/web/vao/{token}" in logged, "the access log names the route"
    assert token not in logged and cookie not in logged
    redact = RedactTokens().redact
    for line in (reply, f"GET /web/vao/{token}", f"Cookie: phien={cookie}", f"Set-Cookie: phien={cookie}; HttpOnly"):
        masked = redact(line)
        assert token not in masked and cookie not in masked, line


async def test_the_link_goes_without_a_preview_and_the_outbox_keeps_no_trace_of_it(site, clock):
    """A preview fetched by the chat app would be the link's first use; once sent, the outbox row is blanked."""
    service, _ = site
    leader = await register(service, "201", Role.LEADER)
    token = LINK.search(await leader.say("/web"))[2]
    await leader.say("/chitieu")  # an ordinary reply beside it: previews as usual, kept as usual
    transport = FakeTransport("test")
    sender = OutboxSender(service.db, {"test": transport}, clock, ZoneInfo("Asia/Ho_Chi_Minh"), timedelta(hours=1))
    await sender.drain()
    [link] = [s for s in transport.sent if token in s.text]
    others = [s for s in transport.sent if token not in s.text]
    assert not link.link_preview
    assert others and all(s.link_preview for s in others)
    async with inspecting(service.db) as session:
        rows = await outbox.list_outbox(session)
    assert all(token not in row.text for row in rows) and any(row.text for row in rows)
