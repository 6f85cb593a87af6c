"""The pages in a real browser (Debian's Chromium, headless): signed in with the link a leader's /web brings, the
commune's five figures are /chitieu's, a click into a department lists the entries just logged, the link works
once, another commune's page is not there; and a screenshot at a phone's width and at a desktop's."""

from __future__ import annotations

import socket

import pytest

from bot.core.permissions import Role
from bot.core.texts import text
from tests.conftest import province_config
from tests.support.users import register
from tests.web.browser import Browser, skip_without_chromium
from tests.web.site import LINK, serving, with_web

pytestmark = skip_without_chromium


def free_port() -> int:
    """A port free on 127.0.0.1 now (the link must carry the address the browser will open)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def browser(tmp_path):
    chromium = Browser(tmp_path / "profile")
    yield chromium
    chromium.quit()


@pytest.fixture
async def live(tmp_path, new_database, clock):
    """The province example served at the address its links name, on 127.0.0.1."""
    port = free_port()
    config = with_web(province_config(new_database("province"), tmp_path), f"http://127.0.0.1:{port}")
    async with serving(config, clock, port=port) as (service, _site):
        yield service


async def web_link(user) -> str:
    match = LINK.search(await user.say("/web"))
    assert match, "no link in the /web answer"
    return match[0]


def chat_lines(reply: str) -> list[str]:
    """The five target lines of a /chitieu reply."""
    return [line for line in reply.splitlines() if line.startswith("• ")][:5]


async def test_a_leader_signs_in_sees_chitieus_figures_and_a_departments_entries(live, browser, tmp_path):
    leader = await register(live, "201", Role.LEADER, commune="binhlu")
    focal = await register(live, "101", Role.FOCAL, "vhxh", commune="binhlu")
    await focal.say("/hop tructuyen Giao ban tuần")
    await focal.say("/hop tructiep Họp dân thôn Nà Lốc")
    await focal.say("/vanban dientu 12/UBND-VHXH Về việc tuyên truyền")
    await focal.say("/vanban mat")
    expected = chat_lines(await leader.say("/chitieu chitiet"))
    assert len(expected) == 5

    link = await web_link(leader)
    await browser.open(link)
    assert (await browser.url()).endswith("/web/xa/binhlu"), "the link opens the leader's commune"
    shown = await browser.texts("article.figure .line")
    assert shown == expected, "the page's five figures are /chitieu's, line for line"

    await browser.viewport(390, 844, mobile=True)
    await browser.open(await browser.url())
    assert await browser.page_width() <= 390, "nothing wider than a 390-pixel phone"
    assert await browser.screenshot(tmp_path / "commune-390x844.png") == (390, 844)
    await browser.viewport(1280, 800, mobile=False)
    await browser.open(await browser.url())
    assert await browser.screenshot(tmp_path / "commune-1280x800.png") == (1280, 800)

    await browser.click_link("Phòng Văn hóa – Xã hội")
    assert "/web/xa/binhlu/phong/vhxh" in await browser.url()
    rows = await browser.texts("#entries tbody tr")
    assert [row.split()[0] for row in rows] == ["#1", "#2", "#3", "#4"], "every entry just logged, in order"
    assert "Giao ban tuần" in rows[0] and "Họp dân thôn Nà Lốc" in rows[1] and "12/UBND-VHXH" in rows[2]
    assert text("page.entry.secret") in rows[3] and "văn bản" not in rows[3].split(text("page.entry.secret"))[1]
    assert all("Người dùng 101" in row for row in rows), "who logged each"

    await browser.open(link)
    assert text("page.link_bad.title") in await browser.text("h1"), "the link refuses a second use"


async def test_another_communes_page_is_not_there(live, browser):
    leader = await register(live, "201", Role.LEADER, commune="binhlu")
    await browser.open(await web_link(leader))
    base = (await browser.url()).split("/web/")[0]
    await browser.open(f"{base}/web/xa/tamduong")
    assert await browser.text("h1") == text("page.not_found.title")
    await browser.open(f"{base}/web/xa/binhlu")
    assert await browser.text("h1") == "UBND xã Bình Lư"
