"""The web pages: what a chairman, the consolidating department, a department's focal person and the province
officer see of their scope, signed in by a one-time link from `/web`; server-rendered, no script, every asset
served by the bot. `mount` adds them to the process's HTTP server."""

from __future__ import annotations

from bot.core.clock import Clock
from bot.http_server import HttpServer
from bot.service import Service
from bot.web.guard import guarded
from bot.web.handlers import Pages


def mount(server: HttpServer, *, service: Service, clock: Clock | None = None) -> Pages:
    """Serve the pages of `service.config.web` on `server` (before it starts), under /web; the time from
    `clock` (the service's by default)."""
    pages = Pages(service, clock or service.clock)
    routes = {
        "/web": pages.index,
        "/web/vao/{token}": pages.sign_in,
        "/web/tinh": pages.province,
        "/web/tinh/tai/{file}": pages.download,
        "/web/xa/{commune}": pages.commune,
        "/web/xa/{commune}/phong/{department}": pages.department,
        "/web/xa/{commune}/tai/{file}": pages.download,
        "/web/static/site.css": pages.stylesheet,
    }
    for path, handler in routes.items():
        for method in ("GET", "HEAD"):  # a HEAD is answered as its GET would be, and never signs anyone in
            server.add_route(method, path, guarded(handler))
    return pages
