"""The shared HTTP server against hostile clients on 127.0.0.1: slow, oversized, deeply nested, too many."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging

import aiohttp
import pytest
from aiohttp import web

from bot.http_server import MAX_BODY, MAX_DEPTH, HttpServer, Limits, nesting, read_json

SHORT = 0.2  # seconds a slow client is given here; a test that waits longer than WAIT has failed
WAIT = 5.0


async def echo(request: web.Request) -> web.Response:
    return web.json_response({"read": await read_json(request)})


@pytest.fixture
async def serve():
    """Start an HttpServer on a free port with an echoing JSON route; stopped after the test."""
    started: list[HttpServer] = []

    async def start(**limits) -> HttpServer:
        server = HttpServer("127.0.0.1", 0, limits=Limits(**limits))
        server.add_route("POST", "/echo", echo)
        await server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        await server.stop()


async def post(server: HttpServer, data: bytes | io.BytesIO, path: str = "/echo", **headers: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{server.port}{path}", data=data, headers=headers) as response,
    ):
        return response.status, await response.text()


async def hang_up(writer: asyncio.StreamWriter) -> None:
    """Close our end and wait until it is closed (no transport left for the loop's end to find)."""
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (failing if it never does)."""
    async with asyncio.timeout(WAIT):
        return await reader.read()


async def test_json_within_the_limits_is_read(serve):
    server = await serve()
    status, body = await post(server, json.dumps({"a": [1, {"b": "ư"}]}).encode())
    assert (status, json.loads(body)) == (200, {"read": {"a": [1, {"b": "ư"}]}})


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe{}", b'{"a": 1} trailing', b"NaN-ish"])
async def test_malformed_json_is_400(serve, body):
    status, _ = await post(await serve(), body)
    assert status == 400


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])  # the second one is too deep for the parser itself
async def test_json_nested_too_deeply_is_400(serve, depth):
    status, _ = await post(await serve(), b"[" * depth + b"]" * depth)
    assert status == 400


async def test_json_exactly_at_the_depth_limit_is_read(serve):
    status, _ = await post(await serve(), b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    assert status == 200


async def test_a_body_over_the_limit_is_413_whether_announced_or_chunked(serve):
    server = await serve()
    big = io.BytesIO(b'"' + b"x" * MAX_BODY + b'"')
    assert (await post(server, big))[0] == 413

    async def chunks():  # no Content-Length: refused once more than the limit has arrived
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{server.port}/echo", data=chunks()) as response,
    ):
        assert response.status == 413


async def test_a_client_that_never_finishes_its_headers_is_disconnected(serve):
    server = await serve(header_timeout=SHORT)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Le")  # ... and nothing more
    await writer.drain()
    assert await closed_by_server(reader) == b""
    await hang_up(writer)


async def test_a_connection_that_sends_nothing_is_disconnected(serve):
    server = await serve(header_timeout=SHORT)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    assert await closed_by_server(reader) == b""
    await hang_up(writer)


async def test_a_body_that_never_arrives_in_full_is_408(serve):
    server = await serve(body_timeout=SHORT, linger=SHORT)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\n[1, 2")
    await writer.drain()
    answer = await closed_by_server(reader)
    assert answer.startswith(b"HTTP/1.1 408 ")
    await hang_up(writer)


async def exchange(server: HttpServer, request: bytes) -> bytes:
    """One request on a fresh connection that the client closes after: all the server answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(request)
    try:
        return await closed_by_server(reader)
    except ConnectionResetError:  # refused before our request was read
        return b""
    finally:
        await hang_up(writer)


ONE_SHOT = b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"


async def test_a_connection_past_the_cap_is_503_and_closed(serve):
    server = await serve(max_connections=1)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"POST /echo HTTP/1.1\r\nHost: bot\r\nContent-Length: 2\r\n\r\n{}")  # kept alive afterwards
    await writer.drain()
    assert (await reader.readuntil(b"\r\n")).startswith(b"HTTP/1.1 200 ")
    assert (await exchange(server, ONE_SHOT)).startswith(b"HTTP/1.1 503 ")
    await hang_up(writer)
    async with asyncio.timeout(WAIT):  # once the first one is gone (the server sees it a few turns later): served
        while not (await exchange(server, ONE_SHOT)).startswith(b"HTTP/1.1 200 "):
            pass


async def test_the_access_log_names_the_route_never_the_path_query_or_headers(serve, caplog):
    server = await serve()
    caplog.set_level(logging.INFO, logger="bot.http.access")
    secret = "s3cret-link-code-1234567890"
    status, _ = await post(server, b"{}", f"/echo?code={secret}", Cookie=f"session={secret}", Referer=secret)
    await post(server, b"{}", f"/nothing/{secret}")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "bot.http.access")
    assert status == 200 and secret not in logged
    assert "POST /echo 200" in logged and "POST (no route) 404" in logged


async def test_routes_are_fixed_once_started_and_served_once(serve):
    server = await serve()
    with pytest.raises(RuntimeError):
        server.add_route("GET", "/late", echo)
    fresh = HttpServer("127.0.0.1", 0)
    fresh.add_route("POST", "/echo", echo)
    with pytest.raises(ValueError, match="already served"):
        fresh.add_route("POST", "/echo", echo)
    with pytest.raises(ValueError, match="starts with"):
        fresh.add_route("POST", "echo", echo)


@pytest.mark.parametrize(
    ("value", "depth"), [(1, 0), ([], 1), ({"a": [1, [2]]}, 3), ([[], [[[]]]], 4), ({"a": {}, "b": 1}, 2)]
)
def test_nesting(value, depth):
    assert nesting(value) == depth
