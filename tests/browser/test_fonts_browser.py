"""Fonts that really get bigger, measured in real Chromium through the proxy.

The measure: the median computed font size of visible text, each text node weighted by its
characters (tests/fontprobe.py). At the 200 % step it must be >= 1.9x the 100 % one, on the demo
article and on at least 90 % of the shared corpus pages, without clipping text.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from proxy.demo import ARTICLE_PATH
from tests.browser import chromium, requires_chromium
from tests.browser.fontprobe import (
    CORPUS_PAGES,
    corpus_files,
    corpus_origin,
    measure,
    open_at,
    step_context,
)

pytestmark = requires_chromium

MIN_RATIO = 1.9  #: the issue's bar for the 200 % step
MIN_BODY_PX_AT_200 = 24  #: the demo's 12 px body text, doubled
MIN_CORPUS_SHARE = 0.9  #: share of corpus pages that must reach MIN_RATIO
WORKERS = 2  #: corpus pages measured at once (each at both steps, in parallel tabs)

PARAGRAPH_BOXES_JS = """() => [...document.querySelectorAll('#zoom p')].map(p => {
  const r = p.getBoundingClientRect(); return [r.top, r.bottom]; })"""
ARTICLE_OVERFLOW_JS = """() => { const el = document.querySelector('.artcontent');
  return el.scrollWidth - el.clientWidth; }"""


async def test_demo_article_text_doubles_without_clipping(demo_proxy):
    url = str(demo_proxy.make_url(ARTICLE_PATH))
    base = str(demo_proxy.make_url("/"))
    async with chromium() as browser:
        context, page = await open_at(browser, url, 100, base)
        default = await measure(page)
        await context.close()
        context, page = await open_at(browser, url, 200, base)
        large = await measure(page)
        paragraphs = await page.evaluate(PARAGRAPH_BOXES_JS)
        article_overflow = await page.evaluate(ARTICLE_OVERFLOW_JS)
    print(f"demo median: {default.median}px at 100, {large.median}px at 200")
    # 100 % leaves the page as the origin made it: its 12 px body text is still there
    assert min(size for size, _ in default.sizes) == 12
    assert large.median / default.median >= MIN_RATIO
    small = sorted({size for size, _ in large.sizes if size < MIN_BODY_PX_AT_200})
    assert small == [], f"text under {MIN_BODY_PX_AT_200}px at 200 %: {small}"
    assert large.clipped == []
    assert large.overflow <= 0, "the page scrolls sideways at 200 %"
    assert article_overflow <= 1
    assert len(paragraphs) > 3
    for (_, bottom), (top, _) in zip(paragraphs, paragraphs[1:], strict=False):
        assert bottom <= top + 1, "article paragraphs overlap"


@pytest.fixture
async def corpus_proxy(aiohttp_server, make_proxy):
    origin = await aiohttp_server(corpus_origin())
    return await make_proxy(str(origin.make_url("/")))


@pytest.mark.skipif(not CORPUS_PAGES.is_dir(), reason="shared corpus not next to the repo")
async def test_corpus_pages_text_doubles_on_nine_in_ten(corpus_proxy):
    base = str(corpus_proxy.make_url("/"))
    started = time.monotonic()
    async with chromium() as browser:
        contexts = [await step_context(browser, text, base, text_only=True)
                    for text in (100, 200)]
        queue = list(corpus_files())
        results: dict[str, tuple] = {}

        async def worker() -> None:  # one tab per step; WORKERS pages in flight
            tabs = [await context.new_page() for context in contexts]
            while queue:
                name = queue.pop(0)
                url = str(corpus_proxy.make_url("/" + name))
                results[name] = await asyncio.gather(*(_load_and_measure(tab, url)
                                                       for tab in tabs))

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
    rows = [(name, *results[name]) for name in corpus_files()]
    elapsed = time.monotonic() - started
    measurable = [(name, d, g) for name, d, g in rows if d.chars]
    ratios = {name: g.median / d.median for name, d, g in measurable}
    print(f"\n{'page':70} {'100%':>6} {'200%':>6} ratio clip100 clip200 overflow200")
    for name, default, large in rows:
        ratio = f"{ratios[name]:5.2f}" if name in ratios else "  n/a"
        print(f"{name[:70]:70} {default.median:6.1f} {large.median:6.1f} {ratio} "
              f"{len(default.clipped):7d} {len(large.clipped):7d} {large.overflow:11d}")
    passing = sum(ratio >= MIN_RATIO for ratio in ratios.values())
    print(f"{passing}/{len(ratios)} measurable pages reach {MIN_RATIO}x "
          f"({len(rows) - len(ratios)} without visible text); {elapsed:.0f}s "
          "(wall time is printed, not asserted: it follows the machine's load)")
    assert passing >= MIN_CORPUS_SHARE * len(ratios)
    newly_clipped = [name for name, d, g in measurable if len(g.clipped) > len(d.clipped)]
    assert len(newly_clipped) <= (1 - MIN_CORPUS_SHARE) * len(ratios), newly_clipped


async def _load_and_measure(tab, url: str):
    await tab.goto(url, wait_until="load")
    return await measure(tab)


@pytest.mark.skipif(not CORPUS_PAGES.is_dir(), reason="shared corpus not next to the repo")
def test_corpus_origin_serves_original_bytes():
    """The purpose-built origin must not re-encode: the proxy has to meet the real bytes."""
    app = corpus_origin()
    assert isinstance(app, web.Application)
    assert corpus_files(), "corpus index lists no pages"
