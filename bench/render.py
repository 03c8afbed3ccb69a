"""Server-side rendering over the mirrored sites: how often `auto` renders and why, render time
per page, pages/s with a pool of 2, the browser's peak memory, and renders served from memory.

    python bench/render.py [--pool 2] [--sites N]

Each site of shared/corpus/sites is served by a static server on 127.0.0.1 (its own CSS, JS,
images); the Renderer (proxy/render/service.py) renders its pages through our route handler,
exactly as the proxy does, with the shipped rules (rules/).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from aiohttp import ClientSession, web

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from proxy.page import parse_html  # noqa: E402
from proxy.render.browser import browser_rss_bytes  # noqa: E402
from proxy.render.service import Renderer  # noqa: E402
from proxy.settings import Origin, Render, Settings  # noqa: E402
from proxy.siterules.store import RuleStore  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SITES = REPO.parent / "shared" / "corpus" / "sites"
if not SITES.is_dir():
    SITES = Path("/work/shared/corpus/sites")
RSS_EVERY = 0.2  #: seconds between samples of the browser's memory


async def serve_site(directory: Path) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_static("/", directory, show_index=False)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001 - the bound port
    return runner, f"http://127.0.0.1:{port}"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main(pool: int, limit: int | None) -> None:
    index = json.loads((SITES / "index.json").read_text(encoding="utf-8"))
    store = RuleStore.from_directory(REPO / "rules")
    settings = replace(Settings(upstream=None), render=Render(pool_size=pool, timeout=8))
    pages = []  # (site dir, page path)
    for site in index["sites"][:limit]:
        for path in site["html_pages"]:
            pages.append((SITES / site["domain"], path, site["domain"]))
    decisions, times, peak = Counter(), [], 0
    rendered_jobs = []
    async with ClientSession() as session:
        renderer = Renderer(settings, session)
        runners = {}
        stop = asyncio.Event()

        async def sample_rss() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, browser_rss_bytes())
                await asyncio.sleep(RSS_EVERY)

        sampler = asyncio.create_task(sample_rss())
        try:
            for directory, path, domain in pages:
                if directory not in runners:
                    runners[directory] = await serve_site(directory)
                url = f"{runners[directory][1]}/{path}"
                body = (directory / path).read_bytes()
                rules = store.for_host(domain)
                tree = parse_html(body.decode("utf-8", "replace"))
                decision = renderer.decision(rules, url, tree)
                reason = decision.why.split(":", 1)[0] if not decision.render else decision.why
                decisions[("browser" if decision.render else "static", reason)] += 1
                origin = Origin(runners[directory][1], (), (domain, f"www.{domain}"))
                rendered_jobs.append((origin, rules, url, body))
                started = time.monotonic()
                html = await renderer.render(origin, rules, url, body, None)
                times.append(time.monotonic() - started)
                if html is None:
                    decisions[("failed", domain)] += 1
            # pages/s with the pool busy: every page again, concurrently, nothing from memory
            renderer._done.clear()  # noqa: SLF001 - measure renders, not the memory
            started = time.monotonic()
            await asyncio.gather(*(renderer.render(*job, None) for job in rendered_jobs))
            concurrent_s = time.monotonic() - started
            started = time.monotonic()
            for _ in range(20):
                for job in rendered_jobs:
                    await renderer.render(*job, None)
            cached_per_s = 20 * len(rendered_jobs) / (time.monotonic() - started)
        finally:
            stop.set()
            await sampler
            await renderer.close()
            for runner, _ in runners.values():
                await runner.cleanup()
    total = len(pages)
    print(f"{total} pages of {len({p[2] for p in pages})} sites, pool {pool}")
    print(f"render time per page: p50 {statistics.median(times):.2f} s, "
          f"p99 {pct(times, 99):.2f} s, max {max(times):.2f} s")
    print(f"pool of {pool}: {total / concurrent_s:.2f} pages/s "
          f"({total} pages in {concurrent_s:.1f} s)")
    print(f"browser peak RSS: {peak / 2**20:.0f} MiB")
    print(f"renders served from memory: {cached_per_s:.0f} pages/s")
    print("auto decisions (share of pages, why):")
    for (kind, why), count in decisions.most_common():
        print(f"  {kind:8} {count / total:6.1%}  {why}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--sites", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.pool, args.sites))
