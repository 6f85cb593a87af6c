"""The pages' HTML: Jinja2 templates (autoescaped, undefined names an error), the catalogue's words and the chat's
own formatting of every figure, and the links between pages under the path the proxy serves the bot at."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.core.features.targets import ShowTargets, line_text, period_name, render_tasks_line, share_text
from bot.core.targets import CapLine, Line, Mark
from bot.core.texts import text
from bot.core.texts.format import format_count, format_date, format_percent
from bot.web.charts import figure_bar


def figure_value(line: Line) -> str:
    """A figure as the chat writes it: a count, or a share (never shown as reaching a target it falls short of)."""
    if line.mark is Mark.NO_DATA:
        return text("page.value.no_data")
    if isinstance(line, CapLine):
        return format_count(line.count)
    if line.share is None:
        return text("page.value.no_data")
    return format_percent(line.share, floor=line.floor)


def mark_text(mark: Mark) -> str:
    """A figure's mark in words (its colour says it too)."""
    return text(f"page.mark.{mark}")


def total_value(part: int, whole: int | None) -> str:
    """A province total: a count, or the share pooled from the communes' parts and wholes."""
    return format_count(part) if whole is None else share_text(part, whole)


def period_query(wanted: ShowTargets) -> dict[str, str]:
    """The query that asks a page for this period."""
    query = {"nam": str(wanted.year)}
    if wanted.report is not None:
        query["ky"] = wanted.report
    if wanted.month is not None:
        query["thang"] = str(wanted.month)
    return query


class Links:
    """Every page's address, under the path the proxy serves the bot at ('' or '/solieu')."""

    def __init__(self, root: str) -> None:
        self.base = f"{root}/web"

    def _at(self, path: str, query: dict[str, str] | None = None) -> str:
        return f"{self.base}{path}" + (f"?{urlencode(query)}" if query else "")

    def static(self) -> str:
        return self._at("/static/site.css")

    def commune(self, code: str, wanted: ShowTargets | None = None) -> str:
        return self._at(f"/xa/{quote(code)}", period_query(wanted) if wanted else None)

    def department(self, code: str, department: str, wanted: ShowTargets | None = None) -> str:
        return self._at(f"/xa/{quote(code)}/phong/{quote(department)}", period_query(wanted) if wanted else None)

    def province(self, wanted: ShowTargets | None = None, sort: str | None = None, descending: bool = False) -> str:
        query = period_query(wanted) if wanted else {}
        if sort is not None:
            query |= {"sap": sort, "chieu": "giam" if descending else "tang"}
        return self._at("/tinh", query or None)

    def download(self, code: str | None, download, wanted: ShowTargets) -> str:
        name = download.kind if download.report is None else f"{download.kind}-{download.report}"
        place = f"/xa/{quote(code)}" if code is not None else "/tinh"
        return self._at(f"{place}/tai/{quote(name)}", period_query(wanted))

    def home(self, home: tuple[str | None, str | None]) -> str:
        code, department = home
        if code is None:
            return self.province()
        return self.commune(code) if department is None else self.department(code, department)


class Templates:
    """The environment the pages are rendered in."""

    def __init__(self, links: Links) -> None:
        self.env = Environment(
            loader=PackageLoader("bot.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            t=text,
            links=links,
            day=format_date,
            count=format_count,
            period_name=period_name,
            line_text=line_text,
            tasks_line=render_tasks_line,
            value=figure_value,
            mark=mark_text,
            bar=figure_bar,
            share=share_text,
            total=total_value,
        )

    def page(self, name: str, **values: object) -> str:
        """A page's HTML."""
        return self.env.get_template(name).render(**values)
