"""Fixtures of the web pages: one commune's, and a province's (three communes), each served on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.conftest import province_config
from tests.web.site import serving, with_web


@pytest.fixture
async def site(config, clock):
    """(service, site) for the example commune with its pages on."""
    async with serving(with_web(config), clock) as served:
        yield served


@pytest.fixture
async def province_site(tmp_path, new_database, clock):
    """(service, site) for the province example with its pages on."""
    async with serving(with_web(province_config(new_database("province"), tmp_path)), clock) as served:
        yield served
