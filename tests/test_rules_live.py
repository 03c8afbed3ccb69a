"""Rules edited under a running proxy apply within 2 s; a broken edit changes nothing and is
reported by readyz (still 200)."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

RULE = "hosts: [127.0.0.1]\nactions:\n  - {{append: 'p#m', content: '{marker}'}}\n"
RELOAD_DEADLINE = 2.0  #: the issue's promise to admins


async def text_of(proxy) -> str:
    response = await proxy.get("/")
    return (await response.read()).decode()


async def wait_until(proxy, needle: str, deadline: float) -> float:
    started = time.monotonic()
    while needle not in await text_of(proxy):
        assert time.monotonic() - started < deadline, f"{needle!r} not served in {deadline}s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_edit_applies_live_and_broken_edit_keeps_last_good(aiohttp_server, make_proxy,
                                                                 empty_rules):
    async def page(request: web.Request) -> web.Response:
        return web.Response(text='<html><body><p id="m">x</p></body></html>',
                            content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    origin = await aiohttp_server(app)
    rule_file = empty_rules / "site.yaml"
    rule_file.write_text(RULE.format(marker="FIRST"), encoding="utf-8")
    proxy = await make_proxy(str(origin.make_url("")).rstrip("/"), watch_rules=True)
    assert "FIRST" in await text_of(proxy)

    await asyncio.sleep(0.2)  # let the watcher start
    rule_file.write_text(RULE.format(marker="SECOND"), encoding="utf-8")
    await wait_until(proxy, "SECOND", RELOAD_DEADLINE)

    rule_file.write_text(RULE.format(marker="THIRD") + "actoins: []\n", encoding="utf-8")
    await asyncio.sleep(RELOAD_DEADLINE)
    assert "SECOND" in await text_of(proxy) and "THIRD" not in await text_of(proxy)
    ready = await proxy.get("/_a11y/readyz")
    assert ready.status == 200
    assert "site.yaml:4:1: actoins: unknown key" in await ready.text()
