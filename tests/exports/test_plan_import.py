"""The public-service portal's monthly statistics and the e-office system's incoming register: imported so
nothing is typed twice, once however often the file comes."""

from __future__ import annotations

from pathlib import Path

from bot.core.periods import year_period
from bot.figures import plan_facts, target_report
from tests.exports import TODAY
from tests.exports.test_importer import read, store
from tests.support.db import inspecting
from tests.support.users import first_commune

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


async def figures(service):
    async with inspecting(service.db, write=False) as session:
        commune = first_commune(service)
        report = await target_report(session, commune, year_period(2026), None, TODAY)
        facts = await plan_facts(session, commune, year_period(2026), None, TODAY)
    return report, facts


async def test_the_portals_monthly_statistics_give_dossiers_received_and_resolved(service, admin):
    content = (SAMPLES / "portal_monthly.csv").read_bytes()
    batch = read(service, content, "portal_monthly.csv")
    assert batch.refused == ()
    first = await store(service, batch)
    assert first.read == 3 and first.imported == (2, 3, 4) and first.present == ()
    report, facts = await figures(service)
    assert (report.line("dossiers").part, report.line("dossiers").whole) == (366, 385)
    assert (facts.resolved.online, facts.resolved.paper, facts.resolved.late) == (515, 31, 15)
    again = await store(service, read(service, content, "portal_monthly.csv"))
    assert again.imported == () and again.present == (2, 3, 4)
    assert (await figures(service))[1].resolved == facts.resolved, "nothing counted twice"


def test_resolved_late_over_the_resolved_is_refused(service):
    header = "Ngày;Đơn vị;Giải quyết trực tuyến;Giải quyết trực tiếp;Giải quyết trễ hạn\n"
    batch = read(service, (header + "31/10/2026;tthcc;2;1;4\n").encode(), "portal.csv")
    assert [p.reason for p in batch.refused] == ["Dòng 2: số hồ sơ trễ hạn (4) lớn hơn số hồ sơ đã giải quyết (3)."]


async def test_the_incoming_register_gives_documents_received(service, admin):
    content = (SAMPLES / "incoming_register.csv").read_bytes()
    batch = read(service, content, "incoming_register.csv")
    assert batch.refused == ()
    first = await store(service, batch)
    assert first.imported == (2, 3, 4, 5), "a sender's number may come twice: it names no document of ours"
    report, facts = await figures(service)
    assert (facts.incoming.electronic, facts.incoming.paper, facts.incoming.secret) == (2, 1, 1)
    assert report.line("documents").count == 0, "documents received are not documents issued"
    again = await store(service, read(service, content, "incoming_register.csv"))
    assert again.imported == () and again.present == (2, 3, 4, 5)
