"""The chart as the chairman sees it on a phone: full width, drawn, and never a bar where there is no data
(how quickly it renders is measured by `make bench`, not here)."""

from __future__ import annotations

import io

from matplotlib.colors import to_rgb
from matplotlib.image import imread

from bot.exports.chart import BEHIND, MET, ONLINE, render_chart
from tests.exports import log_a_year, year_data


def pixels(png: bytes):
    """The image as rows of RGB floats (the alpha channel dropped)."""
    return imread(io.BytesIO(png), format="png")[..., :3]


def has(image, colour: str) -> bool:
    """Whether some pixel is exactly this colour (a filled bar's inside, not an antialiased edge)."""
    return bool((abs(image - to_rgb(colour)) < 1 / 255).all(axis=-1).any())


async def test_the_chart_is_a_png_a_phone_shows_at_full_width(service, clock):
    await log_a_year(service, clock)
    data = await year_data(service)
    png = render_chart(data)
    assert png.startswith(b"\x89PNG")
    image = pixels(png)
    assert image.shape[:2] == (1350, 1080)
    assert len({tuple(p) for p in image[::7, ::7].reshape(-1, 3).round(2)}) > 20, "drawn, not blank"
    assert has(image, ONLINE) and has(image, BEHIND), "online meetings; the shares short of their targets"


async def test_shares_without_data_are_no_bars_at_all(service):
    data = await year_data(service)
    assert data.report.line("online").share is None and data.report.line("dossiers").share is None
    image = pixels(render_chart(data))
    assert not has(image, MET) and not has(image, BEHIND), "nothing drawn as 0 % or 100 %"
