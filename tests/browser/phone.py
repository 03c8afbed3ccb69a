"""A phone in real Chromium: mobile emulation (narrow viewport, device scale factor 2, touch,
the meta viewport honoured) and the reflow measures the phone tests and bench/reflow read.

WCAG 1.4.10 (Reflow) asks for content at 320 CSS px without horizontal scrolling; 375 x 667 is
the most common small phone. A page reflows when the document is no wider than the window
(`scrollWidth <= innerWidth`), the test the shared auditor's `reflow_320` also makes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from proxy.visitor.prefs import COOKIE_NAME, Preferences

#: (width, height) in CSS px: the WCAG 1.4.10 width and a common small phone
PHONES = ((320, 640), (375, 667))
TABLET = (768, 1024)  #: below Reflow.FIT_PX: the site's layout, fitted to the window
DESKTOP = (1280, 900)

#: document overflow, the widest boxes past the window's right edge (not inside an element
#: that scrolls on its own), and the visible text (non-blank characters, our own UI left out)
REFLOW_JS = """() => {
  const root = document.scrollingElement || document.documentElement;
  const W = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right <= W + 1 || r.width < 1) continue;
    let p = el.parentElement, inside = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') {
        inside = true; break; }
    }
    if (!inside) wide.push([Math.round(r.right), el.tagName.toLowerCase()
      + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '')]);
  }
  wide.sort((a, b) => b[0] - a[0]);
  return JSON.stringify({scroll_width: root.scrollWidth, inner_width: W,
                         widest: wide.slice(0, 8)});
}"""

#: non-blank characters of text that is rendered and on screen (scrolling allowed), outside our
#: toolbar and the visually hidden notes; per text node, so lost text shows as a lower count
VISIBLE_TEXT_JS = """() => {
  const ours = '#a11y-toolbar, .a11y-skip, .a11y-compact, script, style, noscript, template';
  let chars = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const n = node.data.replace(/\\s+/g, '').length;
    const el = node.parentElement;
    if (!n || !el || el.closest(ours)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.bottom <= 0) continue;
    chars += n;
  }
  return chars;
}"""


@dataclass
class Reflow:
    scroll_width: int
    inner_width: int
    widest: list[tuple[int, str]]

    @property
    def scrolls(self) -> bool:
        return self.scroll_width > self.inner_width

    def __str__(self) -> str:
        return (f"scrollWidth {self.scroll_width} > innerWidth {self.inner_width}; widest: "
                + ", ".join(f"{tag} to {right}px" for right, tag in self.widest))


def cookie(prefs: Preferences, base: str) -> dict[str, str]:
    return {"name": COOKIE_NAME, "value": prefs.to_cookie() or "text:100", "url": base}


async def phone_context(browser: Any, base: str, size: tuple[int, int] = PHONES[0],
                        prefs: Preferences | None = None, mobile: bool = True) -> Any:
    """A context emulating a phone of `size` (or a desktop window when `mobile` is False)
    with our preferences cookie; requests anywhere but `base` are refused at once."""
    width, height = size
    options: dict[str, Any] = {"viewport": {"width": width, "height": height}}
    if mobile:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = await browser.new_context(**options)
    await context.add_cookies([cookie(prefs or Preferences(), base)])

    async def gate(route: Any) -> None:
        if route.request.url.startswith(base):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", gate)
    return context


async def reflow(page: Any) -> Reflow:
    data = json.loads(await page.evaluate(REFLOW_JS))
    return Reflow(data["scroll_width"], data["inner_width"],
                  [(right, tag) for right, tag in data["widest"]])


async def visible_chars(page: Any) -> int:
    return int(await page.evaluate(VISIBLE_TEXT_JS))
