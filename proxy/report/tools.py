"""The measuring tools of `python -m proxy report`: Playwright, Debian's Chromium, axe-core.

Playwright is an optional extra (`pip install .[report]`); without it the command stops with
that instruction instead of a traceback. Chromium is Debian's (`/usr/bin/chromium`, or the
CHROMIUM variable), never a Playwright download. axe-core is the file named by AXE_JS, else the
copy vendored in this package (`vendor/axe.min.js`, from the npm registry; its version is read
from the file's own banner and named in every report).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from proxy.render.browser import LAUNCH_ARGS

CHROMIUM = "/usr/bin/chromium"
AXE_BANNER = re.compile(r"/\*!\s*axe v(\d+\.\d+\.\d+)")
#: axe-core tags run (the same as tests/browser and bench/): WCAG A and AA, best practices
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21aa", "best-practice")


class ToolMissing(Exception):
    """A measuring tool is not installed; the message says how to install it."""


def chromium_path(environ: dict | None = None) -> str:
    path = (os.environ if environ is None else environ).get("CHROMIUM", CHROMIUM)
    if not Path(path).exists():
        raise ToolMissing(f"Chromium not found at {path}: apt-get install chromium "
                          "(or set CHROMIUM to its path)")
    return path


def axe_file(environ: dict | None = None) -> Path:
    """AXE_JS if set (it must exist), else the vendored copy."""
    named = (os.environ if environ is None else environ).get("AXE_JS")
    if named:
        if not Path(named).is_file():
            raise ToolMissing(f"AXE_JS={named}: no such file (npm install axe-core, then point "
                              "AXE_JS at node_modules/axe-core/axe.min.js)")
        return Path(named)
    vendored = Path(str(resources.files(__package__).joinpath("vendor", "axe.min.js")))
    if not vendored.is_file():
        raise ToolMissing("axe-core not found: npm install axe-core and set AXE_JS to "
                          "node_modules/axe-core/axe.min.js")
    return vendored


def axe_version(source: str) -> str:
    """The version in axe-core's banner (`/*! axe v4.14.1`), or "unknown"."""
    found = AXE_BANNER.search(source[:200])
    return found.group(1) if found else "unknown"


def playwright_api() -> Any:
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:
        raise ToolMissing("the report needs Playwright: pip install '.[report]' (it drives "
                          "Debian's chromium; no browser is downloaded)") from exc
    return async_playwright


@asynccontextmanager
async def chromium_browser() -> AsyncIterator[Any]:
    path = chromium_path()
    async with playwright_api()() as pw:
        browser = await pw.chromium.launch(executable_path=path, headless=True,
                                           args=list(LAUNCH_ARGS))
        try:
            yield browser
        finally:
            await browser.close()


async def run_axe(page: Any, source: str) -> list[dict]:
    """axe-core's violations, evaluated over CDP (the page's CSP stays in force for the page)."""
    await page.evaluate(source)
    return await page.evaluate(
        "async (tags) => { const r = await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.length})); }", list(AXE_TAGS))
