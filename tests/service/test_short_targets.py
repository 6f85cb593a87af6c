"""/chitieu on a phone: the first screen answers the question in a line a target; the rest is a tap away."""

from __future__ import annotations

from bot.core.replies import units
from tests.support.texts import receipt

PHONE = 38  # characters a line on a phone held upright


def phone_lines(reply: str) -> int:
    """How many lines a reply takes on a phone-width screen."""
    return sum(max(1, -(-units(line) // PHONE)) for line in reply.splitlines())


async def test_the_first_screen_is_a_line_a_target_with_the_rest_behind_choices(service, focal, leader):
    for line in ["/hop truc_tuyen", "/hop truc_tiep", "/vanban dien_tu 1/UBND", "/hoso 19 1"]:
        assert receipt() in await focal.say(line)
    first = await leader.send("/chitieu")
    lines = first.text.splitlines()
    assert lines[0] == "📊 Chỉ tiêu năm 2026 – UBND xã Bình Lư (đến 27/11/2026):"
    assert lines[1:6] == [
        "⚪ Cuộc họp: 2 / tối đa 108",
        "⚪ Họp trực tuyến: 50,0% / ≥60%",
        "⚪ Văn bản: 1 / tối đa 510",
        "⚪ Văn bản điện tử: 100,0% / 100%",
        "⚪ Hồ sơ trực tuyến: 95,0% / ≥95%",
    ]
    assert [(o.label, o.command) for o in first.options] == [
        ("Xem chi tiết", "/chitieu 2026 chitiet"),
        ("Xem theo phòng", "/chitieu 2026 theophong"),
        ("Xem việc", "/viec"),
    ]
    assert phone_lines(first.text) <= 10 and len(first.text) < 300
    detail = await leader.say("/chitieu 2026 chitiet")
    assert "• Cuộc họp: 2 – tối đa 108 = 120 năm 2025 − 10%" in detail and phone_lines(detail) > phone_lines(first.text)


async def test_the_department_table_is_in_words(service, focal, leader):
    assert receipt() in await focal.say("/hop truc_tuyen")
    table = (await leader.say("/chitieu theophong")).splitlines()
    assert table[0] == "📋 Theo phòng:"
    assert "• VHXH: 1 cuộc họp, 100,0% trực tuyến" in table
    assert "• VP: chưa ghi nhận gì" in table
    assert not any("(–)" in line for line in table)


async def test_an_empty_year_says_so_in_one_line(service, focal, leader):
    assert await leader.say("/chitieu 2024") == "📊 Chỉ tiêu năm 2024 – UBND xã Bình Lư: chưa có số liệu."
    assert await focal.say("/chitieu 2024") == "📊 Chỉ tiêu năm 2024 – UBND xã Bình Lư: chưa có số liệu."


async def test_a_focal_person_sees_the_commune_and_their_department_short(service, focal):
    assert receipt() in await focal.say("/hop truc_tuyen")
    reply = await focal.send("/chitieu")
    assert "– Phòng Văn hóa – Xã hội (đến 27/11/2026):" in reply.text
    assert phone_lines(reply.text) <= 18, reply.text


async def test_a_department_outside_ones_own_has_no_table(service):
    from bot.core.permissions import Role
    from bot.core.texts import text
    from tests.support.users import register

    kt = await register(service, "1003", Role.FOCAL, "kt")
    assert await kt.say("/chitieu theophong") == text("view.not_your_department", codes="kt")


async def test_a_period_not_begun_is_named_not_dated(service, leader):
    reply = await leader.say("/baocaomau 6thang 2027")
    assert reply == "Báo cáo 6 tháng 2027 (15/12/2026 – 14/05/2027) chưa bắt đầu: kỳ tính từ 15/12/2026."
