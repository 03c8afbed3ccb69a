"""Computed styles of every element, for every preference set, through the real proxy in
Chromium: the evidence that applying preferences on top of one cached rewrite renders as the
per-preference rewrite did (issue 18).

    .venv/bin/python -m tests.browser.prefstyles          # record the reference fixture

The fixture (`tests/browser/data/pref_styles.json.gz`) was recorded with the code before the
change (one rewrite per preference set): main at cf6dc07, the tree just before that change was
merged, with the phones, reading-aid and reveal work in it. tests/browser/test_pref_equivalence.py
compares the current code against it. Per page: the tag of every element of <body> in document
order, and per preference set the computed font size, colour, background colour and visibility
of each (stored as indices into a table of distinct rows, so the file stays small).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiohttp import web

from proxy.app import create_app
from proxy.demo import ARTICLE_PATH
from proxy.settings import Settings
from proxy.visitor.prefs import COOKIE_NAME, Preferences
from tests.browser import chromium
from tests.browser.fontprobe import VIEWPORT, corpus_origin

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURE = Path(__file__).resolve().parent / "data" / "pref_styles.json.gz"
ELDER = Preferences().changed({"preset": "elder"})
#: every preference set the issue names: default, each text step tested, each scheme, each flag,
#: the elder preset; and each view
PREF_SETS: dict[str, Preferences] = {
    "default": Preferences(),
    "text125": Preferences(text=125),
    "text150": Preferences(text=150),
    "text200": Preferences(text=200),
    "contrast": Preferences(scheme="contrast"),
    "yellow": Preferences(scheme="yellow"),
    "blue": Preferences(scheme="blue"),
    "cream": Preferences(scheme="cream"),
    "spacing": Preferences(spacing=True),
    "underline": Preferences(underline=True),
    "cursor": Preferences(cursor=True),
    "elder": ELDER,
    "elder200-yellow": replace(ELDER, text=200, scheme="yellow"),
    # the views change the content: their own cache entries, with the same splice on top
    "text-view-150": Preferences(view="text", text=150),
    "reading-view-blue": Preferences(view="reading", scheme="blue"),
}
#: the demo's two pages and a sample of shared/corpus/pages: every 12th page of the index, plus
#: the pages with the most `<font size>`, `style` sizes and `nowrap` (the rewrite's hard cases)
DEMO_PAGES = {"demo-article": ARTICLE_PATH, "demo-front": "/"}
CORPUS_SAMPLE = ("mhxqwer__cxwxa.gov.cn.html", "mhxqwer__qzhxiangtan.gov.cn.html",
                 "gne__sxmu_1.html", "trafilatura__aoc.media.archaisme.html",
                 "mhxqwer__nzwjw.beijing.gov.cn.html", "gne__other_1.html", "gne__hexun_1.html",
                 "trafilatura__tierschutzpartei.de-wildvogelauffang.html")
LOAD_TIMEOUT_MS = 120_000  #: a busy machine with several Chromium contexts at once
AT_ONCE = 3  #: pages loaded in parallel contexts
FONT_TOLERANCE_PX = 0.05  #: calc() keeps more digits than the old 3-decimal px values

#: [tag, font size, colour, background colour, visibility + rendered] per element of <body>
STYLES_JS = """() => [...document.querySelectorAll('body, body *')].map(el => {
  const s = getComputedStyle(el);
  return [el.tagName.toLowerCase(), s.fontSize, s.color, s.backgroundColor,
          s.visibility + (el.getClientRects().length ? '' : ' unrendered')];
})"""


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def proxies() -> AsyncIterator[dict[str, str]]:
    """URL of every page through the real proxy (shipped rules): the demo, the corpus."""
    rules = str(REPO / "rules")
    async with serving(corpus_origin()) as origin, \
            serving(create_app(Settings(upstream="demo", rules_dir=rules,
                                        watch_rules=False))) as demo, \
            serving(create_app(Settings(upstream=origin, rules_dir=rules,
                                        watch_rules=False))) as corpus:
        urls = {name: demo + path for name, path in DEMO_PAGES.items()}
        urls.update({name: f"{corpus}/{name}" for name in CORPUS_SAMPLE})
        yield urls


async def styles_at(browser: Any, url: str, prefs: Preferences) -> list[list[str]]:
    base = url[:url.index("/", len("http://"))] + "/"
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        await context.add_cookies([{"name": COOKIE_NAME, "value": prefs.to_cookie() or "x",
                                    "url": base}])

        async def gate(route: Any) -> None:
            if not route.request.url.startswith(base) \
                    or route.request.resource_type in ("image", "media", "font"):
                await route.abort()
            else:
                await route.continue_()

        await context.route("**/*", gate)
        page = await context.new_page()
        await page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        return await page.evaluate(STYLES_JS)
    finally:
        await context.close()


async def collect(pages: list[str] | None = None) -> dict[str, dict[str, list[list[str]]]]:
    """{page: {preference set: [[tag, size, colour, background, visibility], ...]}}"""
    out: dict[str, dict[str, list[list[str]]]] = {}
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(browser: Any, url: str, prefs: Preferences) -> list[list[str]]:
        async with gate:
            return await styles_at(browser, url, prefs)

    async with proxies() as urls, chromium() as browser:
        for name, url in urls.items():
            if pages is not None and name not in pages:
                continue
            jobs = [one(browser, url, prefs) for prefs in PREF_SETS.values()]
            out[name] = dict(zip(PREF_SETS, await asyncio.gather(*jobs), strict=True))
    return out


def pack(data: dict[str, dict[str, list[list[str]]]]) -> dict[str, Any]:
    packed: dict[str, Any] = {}
    for page, sets in data.items():
        rows: dict[str, int] = {}
        entry: dict[str, Any] = {"tags": [r[0] for r in sets["default"]], "sets": {},
                                 "other_tags": {}}
        for name, styles in sets.items():
            entry["sets"][name] = [rows.setdefault("\t".join(r[1:]), len(rows)) for r in styles]
            if (tags := [r[0] for r in styles]) != entry["tags"]:  # the elder mark's <span>
                entry["other_tags"][name] = tags
        entry["rows"] = list(rows)
        packed[page] = entry
    return packed


def unpack(packed: dict[str, Any]) -> dict[str, dict[str, list[list[str]]]]:
    out: dict[str, dict[str, list[list[str]]]] = {}
    for page, entry in packed.items():
        rows = [r.split("\t") for r in entry["rows"]]
        tags = entry["other_tags"]
        out[page] = {name: [[tag, *rows[i]] for tag, i in zip(tags.get(name, entry["tags"]),
                                                               indices, strict=True)]
                     for name, indices in entry["sets"].items()}
    return out


def load_fixture() -> dict[str, dict[str, list[list[str]]]]:
    return unpack(json.loads(gzip.decompress(FIXTURE.read_bytes())))


def differences(expected: list[list[str]], got: list[list[str]]) -> list[str]:
    """What renders differently, element by element (tags must line up)."""
    if [r[0] for r in expected] != [r[0] for r in got]:
        return [f"element lists differ: {len(expected)} vs {len(got)} elements"]
    out = []
    for index, (old, new) in enumerate(zip(expected, got, strict=True)):
        same_size = abs(float(old[1].removesuffix("px")) - float(new[1].removesuffix("px"))) \
            <= FONT_TOLERANCE_PX
        if not same_size or old[2:] != new[2:]:
            out.append(f"#{index} <{old[0]}>: {old[1:]} -> {new[1:]}")
    return out


def main() -> None:
    data = asyncio.run(collect(sys.argv[1:] or None))
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_bytes(gzip.compress(json.dumps(pack(data), separators=(",", ":"))
                                      .encode("utf-8"), mtime=0))
    print(f"{FIXTURE}: {FIXTURE.stat().st_size} bytes, "
          f"{sum(len(s['default']) for s in data.values())} elements")


if __name__ == "__main__":
    main()
