"""The 朗读 routes through the real proxy and the demo origin: the listen page, the audio
(streamed, then cached with Content-Length and Range), bad input, and no engine."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from proxy.app import create_app
from proxy.demo import ARTICLE_PATH
from proxy.reading import speech
from proxy.settings import Settings
from proxy.visitor import toolbar
from proxy.visitor.listen import CACHE_ENV, SPEAKER, speak_url

REPO = Path(__file__).resolve().parents[2]
needs_engine = pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")


@pytest.fixture
async def proxy(aiohttp_client, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "speech"))
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    return await aiohttp_client(create_app(settings))


@needs_engine
async def test_listen_page_has_a_player_that_never_autoplays_and_paragraph_links(proxy):
    response = await proxy.get("/_a11y/listen?next=" + quote(ARTICLE_PATH))
    assert response.status == 200 and "script-src 'none'" in response.headers[
        "Content-Security-Policy"]
    page = lxml.html.fromstring(await response.text())
    (audio,) = page.xpath("//audio")
    assert audio.get("preload") == "none" and audio.get("controls") is not None
    assert audio.get("autoplay") is None and audio.get("src") == speak_url("/_a11y/", ARTICLE_PATH)
    parts = page.xpath("//ol/li/a/@href")
    assert len(parts) >= 5 and parts[2] == speak_url("/_a11y/", ARTICLE_PATH, 2)
    assert not page.xpath("//script")


@needs_engine
async def test_audio_streamed_then_cached_with_length_and_ranges(proxy):
    url = speak_url("/_a11y/", ARTICLE_PATH, 1)
    first = await proxy.get(url)
    assert first.status == 200 and first.headers["Content-Type"] == "audio/wav"
    streamed = await first.read()
    assert streamed[:4] == b"RIFF" and streamed[8:12] == b"WAVE"
    speaker = proxy.server.app[SPEAKER]
    again = await proxy.get(url)
    body = await again.read()
    assert again.status == 200 and int(again.headers["Content-Length"]) == len(body)
    assert again.headers["Accept-Ranges"] == "bytes" and body[44:] == streamed[44:]
    ranged = await proxy.get(url, headers={"Range": "bytes=100-199"})
    assert ranged.status == 206 and await ranged.read() == body[100:200]
    assert ranged.headers["Content-Range"] == f"bytes 100-199/{len(body)}"
    whole = await proxy.get(speak_url("/_a11y/", ARTICLE_PATH))
    assert len(await whole.read()) > len(body)  # the whole content is longer than a paragraph
    assert speaker.syntheses == 2


@needs_engine
async def test_a_seek_during_synthesis_waits_for_the_file(proxy):
    ranged = await proxy.get(speak_url("/_a11y/", ARTICLE_PATH, 0),
                             headers={"Range": "bytes=44-99"})
    assert ranged.status == 206 and len(await ranged.read()) == 56


@needs_engine
@pytest.mark.parametrize(("query", "status"), [
    ("path=//evil.example/x", 400), ("path=http://evil.example/", 400), ("", 400),
    ("path=/x&part=-1", 400), ("path=/x&part=a", 400),
    (f"path={quote(ARTICLE_PATH)}&part=999", 404), ("path=/no-such-page.html", 502)])
async def test_bad_requests_get_a_clear_answer(proxy, query, status):
    response = await proxy.get("/_a11y/speak?" + query)
    assert response.status == status
    assert response.headers["Content-Type"].startswith("text/html")


@needs_engine
async def test_rate_limit_answers_429_with_retry_after(proxy):
    proxy.server.app[SPEAKER].per_client = 1
    assert (await proxy.get(speak_url("/_a11y/", ARTICLE_PATH, 3))).status == 200
    response = await proxy.get(speak_url("/_a11y/", ARTICLE_PATH, 4))
    assert response.status == 429 and int(response.headers["Retry-After"]) > 0
    cached = await proxy.get(speak_url("/_a11y/", ARTICLE_PATH, 3))
    assert cached.status == 200  # answers from the cache are not limited


async def test_without_the_engine_no_link_and_a_clear_503(proxy, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # espeak-ng is found nowhere
    toolbar._toolbar_tree.cache_clear()
    try:
        assert not speech.available()
        for url in ("/_a11y/listen?next=/", speak_url("/_a11y/", ARTICLE_PATH)):
            response = await proxy.get(url)
            assert response.status == 503 and "espeak-ng" in await response.text()
        page = await (await proxy.get(ARTICLE_PATH)).text()
        assert "朗读本页" not in page and "/_a11y/listen" not in page
    finally:
        toolbar._toolbar_tree.cache_clear()
