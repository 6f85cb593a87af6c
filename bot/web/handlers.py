"""The pages' handlers, each a few lines: who the session is, whether the page is in their scope (a 404 when not,
never a 403 that confirms the page exists), the use case, the template."""

from __future__ import annotations

from functools import partial
from importlib.resources import files

from aiohttp import web

from bot.core.clock import Clock, local_date
from bot.core.commune import Commune
from bot.core.features.pages import SORTS, Download
from bot.core.features.targets import ShowTargets
from bot.core.outcomes import Refused
from bot.core.texts import render, text
from bot.service import Service
from bot.service import pages as use
from bot.service.files import render_file
from bot.service.web import SESSION_LIFE, Viewer, redeem, signed_in, viewing
from bot.web.guard import COOKIE, SECRET, Throttle, client_of, is_preview, set_session_cookie
from bot.web.render import Links, Templates

HTML = "text/html"
FILE_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
}


class Pages:
    """Every page of the site, for one service."""

    def __init__(self, service: Service, clock: Clock) -> None:
        self.service, self.clock = service, clock
        self.config = service.config.web
        self.links = Links(self.config.root)
        self.templates = Templates(self.links)
        self.throttle = Throttle(clock, service.config.invites)
        self.css = (files("bot.web") / "static" / "site.css").read_bytes()

    # -- answers -----------------------------------------------------------------------------------------------

    def _html(self, name: str, status: int = 200, **values: object) -> web.Response:
        body = self.templates.page(name, links=self.links, **values)
        return web.Response(text=body, status=status, content_type=HTML, charset="utf-8")

    def _message(self, key: str, status: int, viewer: Viewer | None = None, **values: object) -> web.Response:
        """A plain page that says one thing: its title and body from the catalogue."""
        body = text(f"{key}.body", **values)
        return self._html("message.html", status, title=text(f"{key}.title"), body=body, viewer=viewer)

    def _not_found(self, viewer: Viewer | None) -> web.Response:
        return self._message("page.not_found", 404, viewer)

    def _refused(self, refused: Refused, viewer: Viewer) -> web.Response:
        """A period the page cannot show (not begun, malformed): what was wrong, as the chat says it."""
        return self._html("message.html", 400, title=text("page.bad_period.title"), body=render(refused),
                          viewer=viewer)  # fmt: skip

    # -- signing in --------------------------------------------------------------------------------------------

    async def _viewer(self, request: web.Request) -> Viewer | None:
        cookie = request.cookies.get(COOKIE, "")
        if not SECRET.fullmatch(cookie):
            return None
        return await signed_in(self.service.db, self.service.deployment, cookie, self.clock())

    async def index(self, request: web.Request) -> web.StreamResponse:
        """Signed in: one's own page; else how to sign in."""
        viewer = await self._viewer(request)
        home = use.home_of(viewer) if viewer is not None else None
        if home is None:
            return self._message("page.sign_in", 401 if viewer is None else 404, viewer)
        return web.Response(status=303, headers={"Location": self.links.home(home)})

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        """A link from /web: a session and one's own page; a preview or HEAD uses nothing up."""
        if is_preview(request):
            return self._message("page.preview", 200)
        client = client_of(request)
        if self.throttle.blocked(client):
            return self._message("page.throttled", 429, minutes=self.throttle.minutes)
        token = request.match_info["token"]
        opened = None
        if SECRET.fullmatch(token):
            opened = await redeem(self.service.db, self.service.deployment, token, self.clock())
        home = use.home_of(opened.viewer) if opened is not None else None
        if opened is None or home is None:
            self.throttle.failed(client)
            return self._message("page.link_bad", 404)
        response = web.Response(status=303, headers={"Location": self.links.home(home)})
        set_session_cookie(response, opened.cookie, path=self.links.base, secure=self.config.secure,
                           seconds=int(SESSION_LIFE.total_seconds()))  # fmt: skip
        return response

    # -- pages -------------------------------------------------------------------------------------------------

    async def _reach(self, request: web.Request) -> tuple[Viewer | None, Commune | None, web.Response | None]:
        """The viewer and the commune a page names, or the answer when there is no page for them."""
        viewer = await self._viewer(request)
        if viewer is None:
            return None, None, self._message("page.sign_in", 401)
        commune = self.service.communes.by_code(request.match_info.get("commune", ""))
        return viewer, commune, None

    def _wanted(self, request: web.Request, commune: Commune | None) -> ShowTargets | Refused:
        """The period the query asks for, in the commune's calendar (the province's: any commune's report)."""
        communes = [commune] if commune is not None else list(self.service.communes)
        reports = tuple(dict.fromkeys(kind.code for c in communes for kind in c.reports))
        return use.read_wanted(request.query, local_date(self.clock(), communes[0].tz), reports)

    async def commune(self, request: web.Request) -> web.StreamResponse:
        viewer, commune, refused = await self._reach(request)
        if refused is not None:
            return refused
        if commune is None or not use.may_see_commune(viewer, commune):
            return self._not_found(viewer)
        wanted = self._wanted(request, commune)
        if isinstance(wanted, Refused):
            return self._refused(wanted, viewer)
        async with viewing(self.service.db, self.service.deployment, viewer, self.clock(), commune) as ctx:
            page = await use.commune_page(ctx, wanted)
        if isinstance(page, Refused):
            return self._refused(page, viewer)
        href = partial(self.links.commune, commune.code)
        return self._html("commune.html", page=page, viewer=viewer, title=commune.name, href=href)

    async def department(self, request: web.Request) -> web.StreamResponse:
        viewer, commune, refused = await self._reach(request)
        if refused is not None:
            return refused
        code = request.match_info["department"]
        if commune is None or not use.may_see_department(viewer, commune, code):
            return self._not_found(viewer)
        wanted = self._wanted(request, commune)
        if isinstance(wanted, Refused):
            return self._refused(wanted, viewer)
        async with viewing(self.service.db, self.service.deployment, viewer, self.clock(), commune) as ctx:
            page = await use.department_page(ctx, code, wanted)
        if isinstance(page, Refused):
            return self._refused(page, viewer)
        href = partial(self.links.department, commune.code, code)
        return self._html("department.html", page=page, viewer=viewer, title=page.name, href=href)

    async def province(self, request: web.Request) -> web.StreamResponse:
        viewer, _, refused = await self._reach(request)
        if refused is not None:
            return refused
        if not viewer.actor.is_province:
            return self._not_found(viewer)
        wanted = self._wanted(request, None)
        if isinstance(wanted, Refused):
            return self._refused(wanted, viewer)
        sort = request.query.get("sap", "chuadat")
        sort = sort if sort in SORTS else "chuadat"
        descending = request.query.get("chieu") == "giam"
        async with viewing(self.service.db, self.service.deployment, viewer, self.clock()) as ctx:
            page = await use.province_page(ctx, wanted, sort, descending)
        if isinstance(page, Refused):
            return self._refused(page, viewer)
        href = partial(self.links.province, sort=sort, descending=descending)
        return self._html("province.html", page=page, viewer=viewer, title=page.province, href=href, current=wanted)

    async def download(self, request: web.Request) -> web.StreamResponse:
        """A file the viewer may have in the chat, made by the chat command's use case, sent as an attachment."""
        viewer, commune, refused = await self._reach(request)
        if refused is not None:
            return refused
        kind, _, report = request.match_info["file"].partition("-")
        named = "commune" in request.match_info  # a commune's file, or the province's
        in_scope = use.may_see_commune(viewer, commune) if commune is not None else viewer.actor.is_province
        if not in_scope or named and commune is None or named == (kind == "province"):
            return self._not_found(viewer)
        wanted = self._wanted(request, commune)
        if isinstance(wanted, Refused):
            return self._refused(wanted, viewer)
        now = self.clock()
        async with viewing(self.service.db, self.service.deployment, viewer, now, commune) as ctx:
            job = await use.file_job(ctx, Download(kind, report or None), wanted)
            today = ctx.today
        if job is None:
            return self._not_found(viewer)
        if isinstance(job, Refused):
            return self._refused(job, viewer)
        content, name, _ = await render_file(self.service.db, self.service.deployment, job, today)
        kind_of = FILE_TYPES.get(name[name.rfind(".") :], "application/octet-stream")
        disposition = f'attachment; filename="{name}"'  # made by the bot: ASCII letters, digits, - and .
        return web.Response(body=content, content_type=kind_of, headers={"Content-Disposition": disposition})

    async def stylesheet(self, request: web.Request) -> web.StreamResponse:
        """The one stylesheet, served by the bot itself (no CDN)."""
        return web.Response(body=self.css, content_type="text/css", charset="utf-8")
