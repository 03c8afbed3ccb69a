"""Canary for the reading aids: pinyin, 简/繁 and 朗读 contact nothing but the origin.

Every socket connection and name look-up the proxy's process makes is recorded (Python's audit
events `socket.connect` and `socket.getaddrinfo`) while the proxy environment variables point
at a canary (anything that honoured them would reach it). Only the test client's connections to
the proxy and the proxy's to its origin may appear. The speech engine runs as a child process:
its arguments and its standard input are ours, and it is given no network address.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from proxy.app import create_app
from proxy.demo import ARTICLE_PATH
from proxy.keys import ROUTER
from proxy.reading import speech
from proxy.settings import Settings
from proxy.visitor.listen import CACHE_ENV, speak_url
from proxy.visitor.prefs import COOKIE_NAME

REPO = Path(__file__).resolve().parents[2]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                   "all_proxy", "NO_PROXY", "no_proxy")
_RECORDING: list[list[tuple[str, object]]] = []


def _hook(event: str, args: tuple) -> None:
    # an audit hook cannot be removed: it records only while a test holds a list open
    if _RECORDING and event in ("socket.connect", "socket.getaddrinfo"):
        _RECORDING[-1].append((event, args[1] if event == "socket.connect" else args[0]))


sys.addaudithook(_hook)


@pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")
async def test_reading_aids_reach_only_the_origin(aiohttp_client, canary, tmp_path,
                                                  monkeypatch):
    for name in PROXY_VARIABLES[:6]:
        monkeypatch.setenv(name, f"http://{canary.authority}")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "speech"))
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    client = await aiohttp_client(create_app(settings))
    origin = urlsplit(client.server.app[ROUTER].origins[0].url)
    allowed = {(origin.hostname, origin.port), ("127.0.0.1", client.port)}
    seen: list[tuple[str, object]] = []
    _RECORDING.append(seen)
    try:
        for cookie in ("pinyin:1", "script:traditional", "script:hk|pinyin:1",
                       "view:reading|pinyin:1"):
            response = await client.get(ARTICLE_PATH, cookies={COOKIE_NAME: cookie})
            assert response.status == 200 and len(await response.read()) > 1000
        assert (await client.get("/_a11y/listen?next=" + quote(ARTICLE_PATH))).status == 200
        for _ in range(2):  # made (streamed), then from the cache
            audio = await client.get(speak_url("/_a11y/", ARTICLE_PATH, 0))
            assert audio.status == 200 and (await audio.read())[:4] == b"RIFF"
        ranged = await client.get(speak_url("/_a11y/", ARTICLE_PATH, 0),
                                  headers={"Range": "bytes=0-9"})
        assert ranged.status == 206
    finally:
        _RECORDING.remove(seen)
    connects = {tuple(a[:2]) for e, a in seen if e == "socket.connect" and isinstance(a, tuple)}
    assert connects and connects <= allowed, f"outside connections: {connects - allowed}"
    names = {a for e, a in seen if e == "socket.getaddrinfo"}
    assert names <= {"127.0.0.1", "localhost", origin.hostname}, names
    assert canary.leaks == []
