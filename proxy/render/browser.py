"""A headless Chromium on the server, shared by the renders of one worker process.

Playwright drives Debian's Chromium (never a browser Playwright downloads). The browser starts
at the first render, not at process start, so a deployment that never renders pays nothing.
Renders run in their own browser context each (no cookie or storage of one site or visitor
reaches another) and at most `pool_size` at once. The browser is recycled after
`max_renders` renders or when its processes use more than `max_rss_bytes`, and restarted when
it crashes or hangs: a long-lived browser grows, and one bad page must not stall the others.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: where Chromium is looked for when BFP_CHROMIUM does not name it
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
#: flags for a server: no sandbox (containers run as a user without user namespaces), no GPU,
#: and none of the background connections Chromium makes to Google (only our route handler
#: may decide what is fetched)
LAUNCH_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic",
               "--disable-features=Translate,MediaRouter,OptimizationHints")
#: the desktop window pages are rendered in (legacy layouts are built for it)
VIEWPORT = {"width": 1280, "height": 900}
CLOSE_TIMEOUT = 5.0  #: seconds a context or browser gets to close before it is abandoned

#: one render: (a new page in a fresh context) -> the page's HTML
RenderJob = Callable[[Any], Awaitable[str]]


def find_chromium() -> str | None:
    named = os.environ.get("BFP_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in CHROMIUM_CANDIDATES:
        if found := shutil.which(name):
            return found
    return None


def unavailable_reason() -> str | None:
    """Why this process cannot render (None: it can)."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install '.[render]')"
    if find_chromium() is None:
        return "Chromium is not installed (apt-get install chromium, or set BFP_CHROMIUM)"
    return None


class BrowserPool:
    def __init__(self, pool_size: int, max_renders: int, max_rss_bytes: int) -> None:
        self.slots = asyncio.Semaphore(max(1, pool_size))
        self.max_renders = max_renders
        self.max_rss_bytes = max_rss_bytes
        self._playwright: Any = None
        self._browser: Any = None
        self._renders = 0
        self._active = 0
        self._lock = asyncio.Lock()
        self.restarts = 0

    async def _ensure_browser(self) -> Any:
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            from playwright.async_api import async_playwright

            if self._playwright is None:
                self._playwright = await async_playwright().start()
            if self._browser is not None:
                self.restarts += 1  # it crashed
            self._browser = await self._playwright.chromium.launch(
                executable_path=find_chromium(), headless=True, args=list(LAUNCH_ARGS))
            self._renders = 0
            return self._browser

    async def run(self, job: RenderJob, timeout: float) -> str:
        """Run one render in a fresh context; raises TimeoutError or the render's error."""
        async with self.slots:
            browser = await self._ensure_browser()
            self._active += 1
            context = await browser.new_context(viewport=VIEWPORT, java_script_enabled=True,
                                                service_workers="block")
            try:
                page = await context.new_page()
                return await asyncio.wait_for(job(page), timeout)
            except TimeoutError:
                await self._restart(browser, "a render timed out")
                raise
            finally:
                self._active -= 1
                self._renders += 1
                await _close(context)
                await self._recycle_if_due(browser)

    async def _recycle_if_due(self, browser: Any) -> None:
        if self._active:
            return  # another render still uses it; the next one that ends checks again
        if self._renders >= self.max_renders:
            await self._restart(browser, f"{self._renders} renders")
        elif (rss := browser_rss_bytes()) > self.max_rss_bytes:
            await self._restart(browser, f"its processes use {rss // 2**20} MiB")

    async def _restart(self, browser: Any, why: str) -> None:
        log.info("recycling the render browser: %s", why)
        async with self._lock:
            if self._browser is browser:
                self._browser = None
                self.restarts += 1
        await _close(browser)

    async def close(self) -> None:
        if self._browser is not None:
            await _close(self._browser)
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None


async def _close(closable: Any) -> None:
    try:
        await asyncio.wait_for(closable.close(), CLOSE_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - a crashed browser cannot close cleanly
        log.warning("render browser did not close cleanly: %r", exc)


def browser_rss_bytes() -> int:
    """Resident memory of every Chromium process below this one (the driver's children)."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        fields = text[text.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(pid)
        names[pid] = text[text.find("(") + 1:text.rfind(")")]
    total, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if "chrom" in names.get(pid, "").lower():
            total += _rss(pid)
    return total


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0
