"""Screenshots of pages through the proxy at 100 % and 200 % text, for a human to review.

    python -m bench.font_screenshots [corpus-file ...]

Saves `test-artifacts/screenshots/<page>-<step>.png` (full page, 1280 px wide) for the demo
article and a few corpus pages (or the ones named), and prints each pair's median text size.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from aiohttp import web

from proxy.app import create_app
from proxy.demo import ARTICLE_PATH
from proxy.settings import Settings
from tests.browser import REPO, chromium
from tests.browser.fontprobe import corpus_origin, measure, open_at

OUT = REPO / "test-artifacts/screenshots"
STEPS = (100, 200)
#: a legacy gov layout, a Chinese news portal, a fixed-table gov page, a Western news page
DEFAULT_PAGES = ("mhxqwer__lfygxzf.gov.cn.html", "gne__qq_2.html",
                 "mhxqwer__wmlhonghu.gov.cn.html", "readability__lwn-1.html")


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # the OS-chosen port
    return runner, f"http://127.0.0.1:{port}/"


async def main(pages: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rules = tempfile.mkdtemp()
    origin, origin_url = await _serve(corpus_origin())
    corpus, corpus_base = await _serve(create_app(
        Settings(upstream=origin_url, rules_dir=rules, watch_rules=False)))
    demo, demo_base = await _serve(create_app(
        Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)))
    targets = [("demo-article", demo_base + ARTICLE_PATH.lstrip("/"), demo_base)]
    targets += [(Path(name).stem, corpus_base + name, corpus_base) for name in pages]
    try:
        async with chromium() as browser:
            for label, url, base in targets:
                medians = []
                for step in STEPS:
                    context, page = await open_at(browser, url, step, base)
                    medians.append((await measure(page)).median)
                    await page.screenshot(path=str(OUT / f"{label}-{step}.png"), full_page=True)
                    await context.close()
                print(f"{label}: median {medians[0]:g}px -> {medians[1]:g}px")
    finally:
        for runner in (demo, corpus, origin):
            await runner.cleanup()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or list(DEFAULT_PAGES)))
