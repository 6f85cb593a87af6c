"""/metrics in Prometheus's text format from a registry of its own, and /healthz from the database's answer."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.http_server import HttpServer
from bot.metrics import Metrics, mount_health, send_result
from bot.ports import ChatMoved, Delivery, MaybeSent, NotSent, Rejected, RetryLater, Unreachable
from tests.support.transport import FakeChannel
from tests.support.users import User

NAMES = {
    "bot_updates_received",
    "bot_updates_handled",
    "bot_update_handling_seconds",
    "bot_inbox_depth",
    "bot_outbox_depth",
    "bot_sends",
    "bot_sweep_duration_seconds",
}


class Database:
    """What the callbacks read: depths and a ping that can be made to fail or hang."""

    def __init__(self) -> None:
        self.inbox, self.outbox, self.down, self.hung = 3, 7, False, False

    async def _answer(self, value: int = 0) -> int:
        if self.hung:
            await asyncio.Event().wait()
        if self.down:
            raise ConnectionRefusedError("connection refused")
        return value

    async def inbox_depth(self) -> int:
        return await self._answer(self.inbox)

    async def outbox_depth(self) -> int:
        return await self._answer(self.outbox)

    async def ping(self) -> None:
        await self._answer()


@pytest.fixture
async def served():
    db = Database()
    metrics = Metrics(inbox_depth=db.inbox_depth, outbox_depth=db.outbox_depth, read_timeout=0.2)
    server = HttpServer("127.0.0.1", 0)
    metrics.mount(server)
    mount_health(server, db.ping, timeout=0.2)
    await server.start()
    yield server, metrics, db
    await server.stop()


async def get(server: HttpServer, path: str, **headers: str) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}{path}", headers=headers) as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


def samples(exposition: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(exposition)
        for s in family.samples
    }


async def test_the_exposition_names_every_metric_even_before_anything_happened(served):
    server, _, _ = served
    status, content_type, body = await get(server, "/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
    assert {family.name for family in text_string_to_metric_families(body)} >= NAMES
    assert samples(body)[("bot_inbox_depth", ())] == 3 and samples(body)[("bot_outbox_depth", ())] == 7


async def test_what_happened_is_counted_by_channel_and_result(served):
    server, metrics, db = served
    metrics.received("telegram", 3)
    metrics.received("zalo")
    metrics.handled("telegram", 0.04)
    metrics.sent("telegram")
    metrics.sent("telegram", RetryLater(3))
    metrics.sent("zalo", MaybeSent("read timeout"))
    metrics.swept(1.5)
    db.inbox = 12
    found = samples((await get(server, "/metrics"))[2])
    assert found[("bot_updates_received_total", (("channel", "telegram"),))] == 3
    assert found[("bot_updates_received_total", (("channel", "zalo"),))] == 1
    assert found[("bot_updates_handled_total", (("channel", "telegram"),))] == 1
    assert found[("bot_update_handling_seconds_bucket", (("channel", "telegram"), ("le", "0.05")))] == 1
    assert found[("bot_update_handling_seconds_bucket", (("channel", "telegram"), ("le", "0.025")))] == 0
    assert found[("bot_sends_total", (("channel", "telegram"), ("result", "sent")))] == 1
    assert found[("bot_sends_total", (("channel", "telegram"), ("result", "retry_later")))] == 1
    assert found[("bot_sends_total", (("channel", "zalo"), ("result", "maybe_sent")))] == 1
    assert found[("bot_sweep_duration_seconds_count", ())] == 1
    assert found[("bot_inbox_depth", ())] == 12, "read at each scrape"


async def test_two_apps_in_one_process_count_apart(served):
    _, metrics, db = served
    other = Metrics(inbox_depth=db.inbox_depth, outbox_depth=db.outbox_depth)
    metrics.received("telegram")
    body, _ = await other.exposition()
    assert samples(body.decode()).get(("bot_updates_received_total", (("channel", "telegram"),))) is None


@pytest.mark.parametrize("failure", ["down", "hung"])
async def test_a_depth_the_database_cannot_give_shows_as_nan_and_the_scrape_still_answers(served, failure, caplog):
    server, metrics, db = served
    metrics.received("telegram")
    setattr(db, failure, True)
    status, _, body = await get(server, "/metrics")
    found = samples(body)
    assert status == 200 and found[("bot_inbox_depth", ())] != found[("bot_inbox_depth", ())]  # NaN
    assert found[("bot_updates_received_total", (("channel", "telegram"),))] == 1
    assert "could not read the inbox depth" in caplog.text


async def test_openmetrics_is_served_when_asked_for(served):
    server, _, _ = served
    _, content_type, body = await get(server, "/metrics", Accept="application/openmetrics-text; version=1.0.0")
    assert content_type.startswith("application/openmetrics-text") and body.endswith("# EOF\n")


@pytest.mark.parametrize("failure", ["down", "hung"])
async def test_healthz_is_200_only_while_the_database_answers(served, failure, caplog):
    server, _, db = served
    assert (await get(server, "/healthz"))[::2] == (200, "ok\n")
    setattr(db, failure, True)
    caplog.set_level(logging.INFO, logger="bot.metrics")
    assert (await get(server, "/healthz"))[0] == 503
    assert (await get(server, "/healthz"))[0] == 503
    setattr(db, failure, False)
    assert (await get(server, "/healthz"))[0] == 200
    said = [r.getMessage() for r in caplog.records if r.name == "bot.metrics"]
    assert len(said) == 2 and "does not answer" in said[0] and "passes again" in said[1], "a change, said once"


@pytest.mark.parametrize(
    ("error", "result"),
    [
        (None, "sent"),
        (RetryLater(1), "retry_later"),
        (NotSent("x"), "not_sent"),
        (MaybeSent("x"), "maybe_sent"),
        (Unreachable("x"), "unreachable"),
        (ChatMoved("-100"), "chat_moved"),
        (Rejected("x"), "rejected"),
        (ValueError("x"), "failed"),
    ],
)
def test_send_results_are_a_fixed_set(error, result):
    assert send_result(error) == result


async def test_the_app_counts_what_its_inbox_sender_and_sweep_do(config, clock):
    """The counters move where things happen: an update stored and handled, a reply sent, a sweep run."""
    channel = FakeChannel("test")
    app = App(config, [channel], clock=clock)
    await app.open()
    try:
        await app.inbox.accept("test", [Delivery("1", {"text": "/toi"}), Delivery("1", {"text": "/toi"})])
        assert await app.inbox.drain() == 1
        await app.dispatch(User(app.service, "9", "Khách").incoming("/toi"))
        await app.jobs.job_sweep_reminders()
        values = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families((await app.metrics.exposition())[0].decode())
            for sample in family.samples
        }
    finally:
        await app.stop()
    assert values[("bot_updates_received_total", (("channel", "test"),))] == 1, "a redelivery is not counted"
    assert values[("bot_updates_handled_total", (("channel", "test"),))] == 1
    assert values[("bot_sends_total", (("channel", "test"), ("result", "sent")))] == 1
    assert values[("bot_sweep_duration_seconds_count", ())] == 1
    assert values[("bot_inbox_depth", ())] == 0 and values[("bot_outbox_depth", ())] == 0
