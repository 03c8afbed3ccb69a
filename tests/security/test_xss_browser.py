"""In real Chromium, through the real proxy: no public XSS vector runs any script, on load or
after every remaining handler is fired and every link followed.

Detection follows shared/tools/audit (re-implemented here, not imported): CDP
`Debugger.scriptParsed` in the page's main world (any inline/external script, handler, javascript:
URL or eval compiles there), a `__pwned` binding that our init script hooks alert/confirm/prompt
to, real dialogs and popups. The init script is ours and is told apart by its sourceURL.
Activation runs in an isolated world, so it is never counted as the page's script.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web

from proxy.demo import ARTICLE_PATH
from tests.browser import chromium, requires_chromium

pytestmark = requires_chromium

DATA = Path(__file__).parent.parent / "data/xss"
VECTORS = json.loads((DATA / "owasp_xss_filter_evasion_vectors.json").read_text(encoding="utf-8"))
CHUNK = 12  #: vectors per browser launch (a launch costs about a second)
CHUNKS = [list(range(i, min(i + CHUNK, len(VECTORS)))) for i in range(0, len(VECTORS), CHUNK)]
INIT_SCRIPT = """(() => {
  for (const k of ['alert', 'confirm', 'prompt', 'print']) {
    Object.defineProperty(window, k, {value: (m) => window.__pwned(k, String(m)),
                                      writable: true, configurable: true});
  }
})();
//# sourceURL=__xss_test_init__.js"""
OURS = ("__xss_test_init__", "__playwright", "utilityScript", "blocked by Playwright")
#: fire every on* attribute left, click javascript: links and submit javascript: forms
ACTIVATE = """(() => {
  const isJs = (v) => /^(javascript|vbscript):/i.test((v || '').replace(/[\\u0000-\\u0020]/g, ''));
  let fired = 0;
  for (const el of document.querySelectorAll('*')) {
    for (const a of [...el.attributes]) {
      if (a.name.toLowerCase().startsWith('on')) {
        try { el.dispatchEvent(new Event(a.name.slice(2))); fired++; } catch (e) {}
      }
    }
    const href = el.getAttribute('href') || el.getAttribute('xlink:href');
    try {
      if (isJs(href)) { el.dispatchEvent(new MouseEvent('click', {bubbles: true})); fired++; }
      if (el.localName === 'form' && isJs(el.getAttribute('action'))) { el.submit(); fired++; }
      if (isJs(el.getAttribute('formaction'))) { el.click(); fired++; }
    } catch (e) {}
  }
  return fired;
})()"""


def vector_page(vector: str) -> str:
    return (f"<html><head><title>t</title></head><body><p>before</p>{vector}"
            f"<p>after</p></body></html>")


@pytest.fixture
async def xss_proxy(aiohttp_server, make_proxy):
    """The real proxy in front of an origin that serves vector N at /v/N."""
    async def serve(request: web.Request) -> web.Response:
        return web.Response(text=vector_page(VECTORS[int(request.match_info["n"])]),
                            content_type="text/html")

    app = web.Application()
    app.router.add_get("/v/{n}", serve)
    server = await aiohttp_server(app)
    return await make_proxy(str(server.make_url("/")).rstrip("/"))


async def scripts_run(browser, url: str) -> list[str]:
    """Everything the page's own script did while loading and while being activated."""
    ctx = await browser.new_context(service_workers="block")
    seen: list[str] = []
    pending: set[asyncio.Task] = set()
    try:
        page = await ctx.new_page()
        await ctx.route("**/*", lambda route: route.continue_()
                        if "127.0.0.1" in route.request.url or "localhost" in route.request.url
                        or route.request.url.startswith(("data:", "about:"))
                        else route.abort())
        await page.expose_binding("__pwned", lambda source, *args: seen.append(f"call {args}"))
        await page.add_init_script(INIT_SCRIPT)
        page.on("dialog", lambda d: (seen.append(f"dialog {d.message}"),
                                     asyncio.ensure_future(d.dismiss())))
        ctx.on("page", lambda p: seen.append(f"popup {p.url}"))
        cdp = await ctx.new_cdp_session(page)

        async def classify(event: dict) -> None:
            if any(mark in event.get("url", "") for mark in OURS):
                return
            try:
                source = (await cdp.send("Debugger.getScriptSource",
                                         {"scriptId": event["scriptId"]}))["scriptSource"]
            except Exception:  # noqa: BLE001 - gone already: still a script of the page
                source = ""
            if not any(mark in source for mark in OURS):
                seen.append(f"script {event.get('url', '')!r} {source[:80]!r}")

        def on_script(event: dict) -> None:
            if (event.get("executionContextAuxData") or {}).get("isDefault"):
                task = asyncio.ensure_future(classify(event))
                pending.add(task)
                task.add_done_callback(pending.discard)

        cdp.on("Debugger.scriptParsed", on_script)
        await cdp.send("Debugger.enable")
        await cdp.send("Debugger.setSkipAllPauses", {"skip": True})
        await page.goto(url, wait_until="load")
        await page.wait_for_timeout(150)
        frame = (await cdp.send("Page.getFrameTree"))["frameTree"]["frame"]["id"]
        world = await cdp.send("Page.createIsolatedWorld", {"frameId": frame,
                                                            "worldName": "xss-test"})
        await cdp.send("Runtime.evaluate", {"expression": ACTIVATE, "returnByValue": True,
                                            "contextId": world["executionContextId"]})
        await page.wait_for_timeout(150)
        while pending:
            await asyncio.gather(*list(pending), return_exceptions=True)
    finally:
        await ctx.close()
    return seen


async def test_the_detector_sees_a_script_when_there_is_one(aiohttp_server):
    """The instrument first: without the proxy, a plain vector is caught."""
    async def vector(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text=vector_page(
            "<img src=x onerror=alert(1)><a href='javascript:alert(2)'>a</a>"))

    app = web.Application()
    app.router.add_get("/", vector)
    server = await aiohttp_server(app)
    async with chromium() as browser:
        seen = await scripts_run(browser, str(server.make_url("/")))
    assert any(s.startswith("call") for s in seen) and any(s.startswith("script") for s in seen)


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"owasp-{c[0]}-{c[-1]}" for c in CHUNKS])
async def test_no_owasp_vector_runs_script_through_the_proxy(xss_proxy, chunk):
    ran = {}
    async with chromium() as browser:
        for n in chunk:
            seen = await scripts_run(browser, str(xss_proxy.make_url(f"/v/{n}")))
            if seen:
                ran[n] = (VECTORS[n][:80], seen[:3])
    assert ran == {}


async def test_demo_article_runs_no_script_and_shows_the_menu(demo_proxy):
    async with chromium() as browser:
        seen = await scripts_run(browser, str(demo_proxy.make_url(ARTICLE_PATH)))
        page = await browser.new_page()
        await page.goto(str(demo_proxy.make_url(ARTICLE_PATH)))
        menu = await page.inner_text("#site_top_nav_div")
        js_links = await page.eval_on_selector_all(
            "[href]", "els => els.filter(e => /^\\s*javascript:/i.test(e.getAttribute('href')))"
                      ".length")
    assert seen == []
    assert "机构概况" in menu and js_links == 0
