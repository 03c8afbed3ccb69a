"""Real headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright. The
browser tests themselves live in this package too.

Never `playwright install` (it cannot download here). axe-core comes from npm; the test runner
installs it and points AXE_JS at `axe.min.js`.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from proxy.render.browser import LAUNCH_ARGS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent.parent
AXE_CANDIDATES = [os.environ.get("AXE_JS", ""),
                  str(REPO / ".cache/axe/node_modules/axe-core/axe.min.js"),
                  "/tmp/axe/node_modules/axe-core/axe.min.js",
                  str(REPO / "proxy/report/vendor/axe.min.js")]  # the copy the product ships

requires_chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(),
    reason="Debian chromium not installed (the test runner installs it)")


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A fresh headless Chromium (a new empty profile each time)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=list(LAUNCH_ARGS))
        try:
            yield browser
        finally:
            await browser.close()


def axe_source() -> str:
    for candidate in AXE_CANDIDATES:
        if candidate and Path(candidate).exists():
            return Path(candidate).read_text(encoding="utf-8")
    raise RuntimeError("axe-core not found: run the README's test command (it installs it)")


async def run_axe(page: Any, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21aa",
                                                      "best-practice")) -> list[dict]:
    """axe-core's violations for the page. Evaluated over CDP, so our CSP (which forbids every
    page script) stays in force for the page itself."""
    await page.evaluate(axe_source())
    result = await page.evaluate(
        "async (tags) => { const r = await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}});"
        " return JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200)}))}))); }",
        list(tags))
    return json.loads(result)
