"""The render browser: started on first use, recycled when due, and absent without Chromium."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from proxy.render import browser
from proxy.render.browser import BrowserPool, unavailable_reason
from proxy.render.service import renderer_for
from proxy.settings import Render, Settings
from tests.browser import requires_chromium


def test_without_chromium_rendering_is_off_and_said_once(monkeypatch, caplog):
    monkeypatch.setenv("BFP_CHROMIUM", "/nonexistent/chromium")
    assert "Chromium is not installed" in (unavailable_reason() or "")
    settings = replace(Settings(upstream=None), render=Render(pool_size=2))
    with caplog.at_level(logging.WARNING):
        assert renderer_for(settings, session=None) is None
    assert sum("server rendering is off" in r.message for r in caplog.records) == 1


def test_pool_size_zero_means_no_renderer():
    assert renderer_for(Settings(upstream=None), session=None) is None


@pytest.mark.browser
@requires_chromium
async def test_the_browser_is_recycled_after_max_renders():
    pool = BrowserPool(pool_size=1, max_renders=2, max_rss_bytes=2**40)

    async def job(page):
        await page.set_content("<p>一</p>")
        return await page.content()

    try:
        for _ in range(3):
            assert "一" in await pool.run(job, timeout=10)
        assert pool.restarts == 1  # a new browser after the second render
        assert browser.browser_rss_bytes() > 0  # its processes are found below ours
    finally:
        await pool.close()
