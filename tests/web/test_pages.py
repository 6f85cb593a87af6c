"""The pages: each person reaches only their scope (anything else a 404), sees what the chat tells them from the
same code, picks a period, sorts the province, takes the files the chat would give them; every answer carries
the safety headers, no page holds a script or changes anything."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from bot.core.permissions import Role
from bot.core.texts import text
from bot.web.guard import HEADERS
from storage.models.entries import Entry
from storage.models.web import WebSession
from tests.support.db import inspecting
from tests.support.users import register

COMMUNE = "/web/xa/binh_lu"


def lines(page: str, selector: str = "line") -> list[str]:
    """The texts of a page's elements of one class, unescaped."""
    return [html.unescape(m) for m in re.findall(rf'<p class="{selector}">(.*?)</p>', page, re.DOTALL)]


def chat_lines(reply: str) -> list[str]:
    return [line for line in reply.splitlines() if line.startswith("• ")][:5]


async def logged(service) -> tuple:
    """A focal person of Phòng VH-XH who logged four entries (one secret, one undone)."""
    focal = await register(service, "101", Role.FOCAL, "vhxh")
    await focal.say("/hop tructuyen Giao ban tuần")
    await focal.say("/hop tructiep Họp dân thôn <b>Nà Lốc</b>")
    await focal.say("/vanban dientu 12/UBND-VHXH Về việc tuyên truyền")
    await focal.say("/vanban mat")
    await focal.say("/huy 2")
    assert text("cancel.done", id=2, what="").split("(")[0] in await focal.say("1"), "confirmed"
    return focal


@pytest.mark.parametrize(
    ("role", "department", "home"),
    [
        (Role.LEADER, None, COMMUNE),
        (Role.ADMIN, None, COMMUNE),
        (Role.FOCAL, "vhxh", COMMUNE),  # the consolidating department sees the commune
        (Role.FOCAL, "kt", f"{COMMUNE}/phong/kt"),
    ],
)
async def test_a_session_opens_on_the_persons_scope(site, role, department, home):
    service, web = site
    cookie = await web.sign_in(await register(service, "500", role, department))
    status, headers, _ = await web.get("/web", cookie=cookie)
    assert (status, headers["Location"]) == (303, home)


async def test_a_focal_person_reaches_their_department_and_nothing_else(site):
    service, web = site
    cookie = await web.sign_in(await register(service, "500", Role.FOCAL, "kt"))
    assert (await web.get(f"{COMMUNE}/phong/kt", cookie=cookie))[0] == 200
    for elsewhere in (COMMUNE, f"{COMMUNE}/phong/vp", f"{COMMUNE}/phong/nope", "/web/tinh", f"{COMMUNE}/tai/workbook"):
        status, _, body = await web.get(elsewhere, cookie=cookie)
        assert status == 404 and text("page.not_found.title") in body, elsewhere


PAGES = [COMMUNE, f"{COMMUNE}/phong/vp", "/web/xa/khong_co", "/web/tinh", f"{COMMUNE}/tai/workbook"]


@pytest.mark.parametrize("path", PAGES)
async def test_without_a_session_every_page_asks_to_sign_in_alike(site, path):
    _, web = site
    status, _, body = await web.get(path)
    assert status == 401 and text("page.sign_in.body") in body
    status, _, _ = await web.get(path, cookie="C" * 32)
    assert status == 401, "an unknown cookie is no session"


async def test_the_province_officer_sees_every_commune_and_a_commune_sees_only_its_own(province_site):
    service, web = province_site
    officer = await web.sign_in(await register(service, "900", Role.PROVINCE))
    leader = await web.sign_in(await register(service, "201", Role.LEADER, commune="binhlu"))
    assert (await web.get("/web", cookie=officer))[1]["Location"] == "/web/tinh"
    for code in ("binhlu", "doanket", "tamduong"):
        assert (await web.get(f"/web/xa/{code}", cookie=officer))[0] == 200
        assert (await web.get(f"/web/xa/{code}/phong/vhxh", cookie=officer))[0] == 200
    assert (await web.get("/web/xa/binhlu", cookie=leader))[0] == 200
    for path in ("/web/xa/tamduong", "/web/xa/tamduong/phong/vhxh", "/web/tinh", "/web/xa/doanket/tai/workbook"):
        status, _, body = await web.get(path, cookie=leader)
        assert status == 404 and "Tam Đường" not in body and "Đoàn Kết" not in body, path


async def test_the_commune_page_shows_what_chitieu_and_baocao_say(site):
    service, web = site
    await logged(service)
    leader = await register(service, "201", Role.LEADER)
    cookie = await web.sign_in(leader)
    _, _, page = await web.get(COMMUNE, cookie=cookie)
    assert lines(page) == chat_lines(await leader.say("/chitieu chitiet"))
    assert [m for m in re.findall(r'data-target="(\w+)"', page)] == [
        "meetings",
        "online",
        "documents",
        "electronic",
        "dossiers",
    ]
    assert html.unescape(lines(page, "tasks-line")[0]) == text("targets.tasks_none")
    assert "Phòng Văn hóa – Xã hội" in page and text("page.tasks.by_lead") in page
    assert "Báo cáo năm 2026 – hạn 30/11/2026" in page, "the reports owed, as /baocao lists them"
    assert page.count("<svg") == 5 and "<script" not in page and 'style="' not in page


async def test_the_department_page_lists_every_entry_as_the_rules_allow(site):
    service, web = site
    focal = await logged(service)
    cookie = await web.sign_in(focal)
    _, _, page = await web.get(f"{COMMUNE}/phong/vhxh", cookie=cookie)
    rows = re.findall(r'<tr[^>]*data-number="(\d+)"[^>]*>(.*?)</tr>', page, re.DOTALL)
    assert [number for number, _ in rows] == ["1", "2", "3", "4"]
    body = {number: html.unescape(re.sub(r"<[^>]+>", " ", row)) for number, row in rows}
    assert "Giao ban tuần" in body["1"] and "Người dùng 101" in body["1"] and "10:00 27/11/2026" in body["1"]
    assert "Đã hủy 27/11/2026" in body["2"] and 'class="cancelled"' in page
    assert "&lt;b&gt;Nà Lốc&lt;/b&gt;" in page, "what a user typed is escaped"
    assert "Số 12/UBND-VHXH – Về việc tuyên truyền" in body["3"]
    assert text("page.entry.secret") in body["4"], "a secret document counts, nothing more"
    assert lines(page) == chat_lines(await focal.say("/chitieu vhxh chitiet"))


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("nam=2025", "Chỉ tiêu năm 2025"),
        ("ky=6thang", "Báo cáo 6 tháng 2026 (15/12/2025 – 14/05/2026)"),
        ("thang=11", "Tháng 11/2026"),
        ("thang=3&nam=2026", "Tháng 03/2026"),
    ],
)
async def test_the_period_selector_asks_for_what_chitieu_would_show(site, query, title):
    service, web = site
    leader = await register(service, "201", Role.LEADER)
    cookie = await web.sign_in(leader)
    status, _, page = await web.get(f"{COMMUNE}?{query}", cookie=cookie)
    assert status == 200 and title in html.unescape(page)
    assert ('aria-current="page"' in page) == (query != "nam=2025"), "the selector offers years since counting began"
    typed = query.replace("ky=", "").replace("thang=", "thang ").replace("nam=", "").replace("&", " ")
    assert lines(page) == chat_lines(await leader.say(f"/chitieu {typed} chitiet"))


@pytest.mark.parametrize(
    ("query", "key", "values"),
    [
        ("thang=13", "parse.bad_month", {"value": "13"}),
        ("nam=2027", "parse.future_period", {"value": "2027"}),
        ("nam=2031", "parse.bad_year", {"value": "2031"}),
        ("nam=20x6", "parse.bad_year", {"value": "20x6"}),
        ("ky=<script>", "parse.unknown_report", {"value": "<script>", "codes": "6thang, nam"}),
        ("ky=6thang%20vhxh", "parse.unknown_report", {"value": "6thang vhxh", "codes": "6thang, nam"}),
    ],
)
async def test_a_bad_period_is_told_as_the_chat_tells_it(site, query, key, values):
    service, web = site
    cookie = await web.sign_in(await register(service, "201", Role.LEADER))
    status, _, page = await web.get(f"{COMMUNE}?{query}", cookie=cookie)
    assert status == 400 and html.escape(text(key, **values), quote=False) in page and "<script>" not in page


async def test_the_province_table_sorts_by_each_figure_and_links_each_commune(province_site):
    service, web = province_site
    for code, meetings in (("binhlu", 1), ("doanket", 3), ("tamduong", 2)):
        focal = await register(service, f"{code}1", Role.FOCAL, "vhxh", commune=code)
        for n in range(meetings):
            await focal.say(f"/hop tructiep Họp {n}")
    officer = await register(service, "900", Role.PROVINCE)
    cookie = await web.sign_in(officer)

    def order(page: str) -> list[str]:
        return re.findall(r'<tr data-commune="(\w+)"', page)

    _, _, page = await web.get("/web/tinh?sap=meetings&chieu=giam", cookie=cookie)
    assert order(page) == ["doanket", "tamduong", "binhlu"]
    _, _, page = await web.get("/web/tinh?sap=meetings&chieu=tang", cookie=cookie)
    assert order(page) == ["binhlu", "tamduong", "doanket"]
    _, _, page = await web.get("/web/tinh?sap=ten", cookie=cookie)
    assert order(page) == ["doanket", "binhlu", "tamduong"], "by name: UBND phường Đoàn Kết, UBND xã Bình Lư, …"
    _, _, default = await web.get("/web/tinh", cookie=cookie)
    chat = await officer.say("/chitieu")
    ranked = [re.search(r"\d+\. \S+ (.+?)( –|$)", line)[1] for line in chat.splitlines() if re.match(r"\d+\. ", line)]
    names = {c.code: c.name for c in service.communes}
    assert [names[code] for code in order(default)] == ranked, "who is behind first, as the chat ranks them"
    for code in ("binhlu", "doanket", "tamduong"):
        assert f'href="/web/xa/{code}?nam=2026"' in default
    assert (await web.get("/web/tinh?sap=<x>", cookie=cookie))[0] == 200, "an unknown column sorts as by default"


@pytest.mark.parametrize(
    ("role", "department", "files"),
    [
        (Role.LEADER, None, {"workbook": 200, "chart": 200, "document-nam": 200, "document-6thang": 200}),
        (Role.ADMIN, None, {"workbook": 200, "chart": 200, "document-nam": 200}),
        (Role.FOCAL, "vhxh", {"workbook": 200, "chart": 200, "document-nam": 200}),  # consolidating, as in chat
        (Role.FOCAL, "kt", {"workbook": 404, "chart": 404, "document-nam": 404}),
    ],
)
async def test_the_files_go_to_whoever_may_have_them_in_the_chat(site, role, department, files):
    service, web = site
    cookie = await web.sign_in(await register(service, "500", role, department))
    magic = {"workbook": b"PK", "document": b"PK", "chart": b"\x89PNG"}
    for name, expected in files.items():
        async with web.http.get(f"{web.base}{COMMUNE}/tai/{name}?nam=2026", headers={"Cookie": f"phien={cookie}"}) as r:
            assert r.status == expected, name
            if expected == 200:
                assert (await r.read()).startswith(magic[name.split("-")[0]])
                assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    for bad in ("document-xyz", "province", "nothing"):
        assert (await web.get(f"{COMMUNE}/tai/{bad}", cookie=cookie))[0] == 404


async def test_the_province_officer_takes_the_provinces_workbook_but_no_communes_draft(province_site):
    service, web = province_site
    cookie = await web.sign_in(await register(service, "900", Role.PROVINCE))
    _, _, page = await web.get("/web/tinh", cookie=cookie)
    assert 'href="/web/tinh/tai/province?nam=2026"' in page
    async with web.http.get(f"{web.base}/web/tinh/tai/province", headers={"Cookie": f"phien={cookie}"}) as r:
        assert r.status == 200 and (await r.read()).startswith(b"PK")
    assert (await web.get("/web/xa/binhlu/tai/document-nam", cookie=cookie))[0] == 404, "/baocaomau is not theirs"
    assert (await web.get("/web/xa/binhlu/tai/workbook", cookie=cookie))[0] == 200


async def test_every_answer_carries_the_safety_headers(site):
    service, web = site
    cookie = await web.sign_in(await register(service, "201", Role.LEADER))
    for path, with_cookie in (("/web", False), ("/web/vao/x", False), (COMMUNE, True), ("/web/static/site.css", False)):
        _, headers, _ = await web.get(path, cookie=cookie if with_cookie else None)
        for name, value in HEADERS.items():
            assert headers[name] == value, (path, name)
    csp = HEADERS["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert HEADERS["X-Frame-Options"] == "DENY" and HEADERS["Referrer-Policy"] == "no-referrer"


async def test_the_pages_only_read(site):
    service, web = site
    await logged(service)
    cookie = await web.sign_in(await register(service, "201", Role.LEADER))

    async def counts() -> tuple[int, int]:
        async with inspecting(service.db) as session:
            return (
                await session.scalar(select(func.count()).select_from(Entry)),
                await session.scalar(select(func.count()).select_from(WebSession)),
            )

    before = await counts()
    for path in (COMMUNE, f"{COMMUNE}/phong/vhxh", f"{COMMUNE}?nam=2025", f"{COMMUNE}/tai/workbook"):
        status, _, page = await web.get(path, cookie=cookie)
        assert status == 200 and "<form" not in page
    status, headers, body = await web.get(COMMUNE, cookie=cookie, method="HEAD")
    assert status == 200 and body == "" and headers["Content-Type"].startswith("text/html")
    assert await counts() == before
