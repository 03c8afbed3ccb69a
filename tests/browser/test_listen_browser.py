"""朗读 in real Chromium: the listen page's <audio> loads and decodes the demo article's audio
(streamed while it is made, then from the cache), with no script of ours in the page."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import pytest

from proxy.app import create_app
from proxy.demo import ARTICLE_PATH
from proxy.reading import speech
from proxy.settings import Settings
from proxy.visitor.listen import CACHE_ENV, SPEAKER
from tests.browser import chromium, requires_chromium

REPO = Path(__file__).resolve().parents[2]
pytestmark = [requires_chromium,
              pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")]
#: the page's state, read by the test harness (the page itself runs no script)
STATE = "() => { const a = document.querySelector('audio'); return {ready: a.readyState," \
        " duration: a.duration, error: a.error && a.error.code, canplay: window.__canplay}; }"
LOAD = "() => { const a = document.querySelector('audio'); window.__canplay = false;" \
       " a.addEventListener('canplay', () => { window.__canplay = true; }); a.load(); }"


@pytest.fixture
async def listen_proxy(aiohttp_client, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "speech"))
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    return await aiohttp_client(create_app(settings))


async def _play(browser, url: str) -> dict:
    page = await browser.new_page()
    response = await page.goto(url)
    assert response.status == 200
    assert await page.evaluate("document.scripts.length") == 0
    audio = page.locator("audio")
    assert await audio.get_attribute("preload") == "none"
    assert await audio.get_attribute("controls") is not None
    assert await audio.get_attribute("autoplay") is None
    # preload=none: nothing is fetched until the listener asks (here: the harness loads it)
    assert (await page.evaluate(STATE))["ready"] == 0
    await page.evaluate(LOAD)
    await page.wait_for_function("() => window.__canplay === true", timeout=30000)
    state = await page.evaluate(STATE)
    await page.close()
    return state


async def test_article_audio_loads_and_decodes_streamed_then_cached(listen_proxy):
    url = str(listen_proxy.make_url("/_a11y/listen?next=" + quote(ARTICLE_PATH)))
    async with chromium() as browser:
        first = await _play(browser, url)
        speaker = listen_proxy.server.app[SPEAKER]
        for _ in range(300):  # the first synthesis finishes in the background
            if speaker.syntheses:
                break
            await asyncio.sleep(0.1)
        again = await _play(browser, url)
    # streamed while it is made, its length is unknown: Chromium says Infinity and plays
    assert first["error"] is None and first["canplay"] and first["duration"] > 0
    assert again["error"] is None and again["canplay"] and 60 < again["duration"] < 3600
    assert speaker.syntheses == 1
