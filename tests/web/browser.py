"""Debian's Chromium, headless, driven through Debian's chromium-driver by Selenium: no browser is downloaded. Each
call to the driver blocks, so it runs in a thread while the pages are served on the test's own loop."""

from __future__ import annotations

import asyncio
import struct
from pathlib import Path

import pytest

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def missing() -> str | None:
    """Why the browser tests cannot run here, if they cannot."""
    if not (CHROMIUM.exists() and DRIVER.exists()):
        return "no Chromium here: the browser tests need Debian's chromium and chromium-driver (.ci/run installs them)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


skip_without_chromium = pytest.mark.skipif(missing() is not None, reason=str(missing()))


class Browser:
    """One headless Chromium with a fresh profile; every call in a worker thread."""

    def __init__(self, profile: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)

    async def run(self, call, *args):
        return await asyncio.to_thread(call, *args)

    async def open(self, url: str) -> None:
        await self.run(self.driver.get, url)

    async def text(self, selector: str = "body") -> str:
        from selenium.webdriver.common.by import By

        return await self.run(lambda: self.driver.find_element(By.CSS_SELECTOR, selector).text)

    async def texts(self, selector: str) -> list[str]:
        from selenium.webdriver.common.by import By

        return await self.run(lambda: [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, selector)])

    async def click_link(self, words: str) -> None:
        from selenium.webdriver.common.by import By

        await self.run(lambda: self.driver.find_element(By.LINK_TEXT, words).click())

    async def url(self) -> str:
        return await self.run(lambda: self.driver.current_url)

    async def viewport(self, width: int, height: int, *, mobile: bool) -> None:
        """Exactly this many CSS pixels, as a phone or a desktop shows them."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        await self.run(self.driver.execute_cdp_cmd, "Emulation.setDeviceMetricsOverride", metrics)

    async def page_width(self) -> int:
        return await self.run(self.driver.execute_script, "return document.documentElement.scrollWidth")

    async def screenshot(self, path: Path) -> tuple[int, int]:
        """Save what is shown as a PNG; its width and height."""
        await self.run(self.driver.save_screenshot, str(path))
        return png_size(path)

    def quit(self) -> None:
        self.driver.quit()


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", header[16:24])
