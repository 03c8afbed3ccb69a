"""Measure text size, clipping and overflow of a page in Chromium (for the font tests and the
screenshot script), and serve the shared corpus pages from a purpose-built origin.

The measure is the one the issue names: the median computed font size of visible text, each
text node weighted by its number of non-blank characters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from proxy.visitor.prefs import COOKIE_NAME, Preferences
from tests.conftest import SHARED

CORPUS_PAGES = SHARED / "corpus/pages"
VIEWPORT = {"width": 1280, "height": 900}  #: a common desktop size (the demo is 1000 px wide)
#: resource types a text-only measuring context refuses
SKIPPED = frozenset({"image", "media", "font"})
#: our own additions are sized by the toolbar's stylesheet, not by the page's CSS
OURS = "#a11y-toolbar, .a11y-skip, .a11y-visually-hidden"

#: Returns sizes ([px, chars] per visible text node), clipped (text boxes whose content is cut
#: off by overflow hidden/clip) and the document's horizontal overflow in px.
PROBE_JS = """(ours) => {
  const sizes = [], clipped = [];
  const walker = document.createTreeWalker(document.body || document.documentElement,
                                           NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const chars = node.data.replace(/\\s+/g, '').length;
    const el = node.parentElement;
    if (!chars || !el || el.closest(ours + ', script, style, noscript, template, select'))
      continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || parseFloat(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) continue;
    sizes.push([parseFloat(style.fontSize) * (el.currentCSSZoom || 1), chars]);
  }
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const hides = v => v === 'hidden' || v === 'clip';
    const cutX = hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const cutY = hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if ((cutX || cutY) && el.clientWidth > 1 && el.clientHeight > 1
        && !el.closest(ours) && (el.innerText || '').trim())
      clipped.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (el.className && typeof el.className === 'string'
                      ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                   + ` ${el.scrollWidth}x${el.scrollHeight}`
                   + ` in ${el.clientWidth}x${el.clientHeight}`);
  }
  const root = document.scrollingElement || document.documentElement;
  return JSON.stringify({sizes, clipped, overflow: root.scrollWidth - window.innerWidth});
}"""


@dataclass
class Measurement:
    sizes: list[tuple[float, int]]  #: (font size px, characters) per visible text node
    clipped: list[str]  #: descriptions of text boxes whose content is cut off
    overflow: int  #: px the document is wider than the viewport

    @property
    def median(self) -> float:
        return weighted_median(self.sizes)

    @property
    def chars(self) -> int:
        return sum(count for _, count in self.sizes)

    def share_below(self, px: float) -> float:
        """The share of visible characters set smaller than `px`."""
        small = sum(count for size, count in self.sizes if size < px - 0.01)
        return small / self.chars if self.chars else 0.0


def weighted_median(pairs: list[tuple[float, int]]) -> float:
    """The value below which half of the total weight lies (0 for no data)."""
    total = sum(weight for _, weight in pairs)
    seen = 0
    for value, weight in sorted(pairs):
        seen += weight
        if seen * 2 >= total:
            return value
    return 0.0


async def measure(page: Any) -> Measurement:
    data = json.loads(await page.evaluate(PROBE_JS, OURS))
    return Measurement([(s, c) for s, c in data["sizes"]], data["clipped"], data["overflow"])


def prefs_cookie(text: int, url: str) -> dict[str, str]:
    """Our preferences cookie for a Playwright context, in the format visitor/prefs.py reads."""
    prefs = Preferences(text=text)
    value = prefs.to_cookie() if hasattr(prefs, "to_cookie") else f"text={text}"
    return {"name": COOKIE_NAME, "value": value, "url": url}


async def step_context(browser: Any, text: int, base: str, *, text_only: bool = False) -> Any:
    """A browser context at one text step (our cookie for `base`). Requests anywhere but
    `base` are refused at once: the pages are hostile and Chromium has no network here.
    `text_only` also refuses images, media and fonts (they do not change computed sizes, and
    a corpus page's missing assets would only cost time)."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_cookies([prefs_cookie(text, base)])

    async def gate(route: Any) -> None:
        request = route.request
        if not request.url.startswith(base) or text_only and request.resource_type in SKIPPED:
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", gate)
    return context


async def open_at(browser: Any, url: str, text: int, base: str) -> tuple[Any, Any]:
    """A new context at the text step, and a page loaded at `url` in it."""
    context = await step_context(browser, text, base)
    page = await context.new_page()
    await page.goto(url, wait_until="load")
    return context, page


def corpus_files() -> list[str]:
    index = json.loads((CORPUS_PAGES / "index.json").read_text(encoding="utf-8"))
    return [entry["file"] for entry in index["pages"]]


def corpus_origin() -> web.Application:
    """An origin that answers `/<file>` with the corpus page's original bytes. No charset in
    the header: none was recorded, so the proxy must find the encoding as it would live."""

    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        path = CORPUS_PAGES / name
        if "/" in name or not name.endswith(".html") or not path.is_file():
            raise web.HTTPNotFound()
        return web.Response(body=path.read_bytes(), content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name}", page)
    return app
