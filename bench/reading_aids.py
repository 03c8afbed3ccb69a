"""朗读 figures (issue 17): first audio bytes of the ~2,000-character demo article, a cached
repeat, and small pages' p99 alone vs while 20 syntheses of different articles run.

Usage: python bench/reading_aids.py [--runs 5]
The proxy runs in its own process (`--workers 1`, shipped rules, `speech.per_client` raised: the
20 syntheses come from one address), in front of bench/origin.py; the audio cache is a fresh
temporary directory, emptied before each cold run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp
import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bench_util import Server, free_port  # noqa: E402
from proxy.demo import ARTICLE_PATH, LIST_PATH  # noqa: E402
from proxy.reading.speech_text import paragraphs, spoken_text  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "pages"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/pages")


def speak(path: str) -> str:
    return "/_a11y/speak?path=" + quote(path, safe="")


async def first_bytes(session: aiohttp.ClientSession, url: str) -> tuple[float, float, int]:
    """(seconds to the first body bytes, seconds to the end, bytes)."""
    started = time.perf_counter()
    async with session.get(url) as response:
        if response.status != 200:
            raise AssertionError(response.status)
        first = await response.content.readany()
        at_first = time.perf_counter() - started
        size = len(first)
        while chunk := await response.content.readany():
            size += len(chunk)
    return at_first, time.perf_counter() - started, size


async def latencies(session: aiohttp.ClientSession, url: str, count: int) -> list[float]:
    out = []
    for _ in range(count):
        started = time.perf_counter()
        async with session.get(url) as response:
            await response.read()
        out.append(time.perf_counter() - started)
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def measure(base: str, cache: Path, runs: int) -> None:
    async with aiohttp.ClientSession(base) as session:
        async with session.get(ARTICLE_PATH, cookies={"a11y_prefs": "view:reading"}) as r:
            main = lxml.html.fromstring(await r.text()).xpath("//main")[0]
        chars = sum(len(spoken_text(p)) for p in paragraphs(main))
        print(f"demo article: {chars} characters read aloud")
        cold = []
        for _ in range(runs):
            for f in cache.glob("*.wav"):
                f.unlink()
            cold.append(await first_bytes(session, speak(ARTICLE_PATH)))
        firsts, wholes = [c[0] for c in cold], [c[1] for c in cold]
        print(f"cold: first bytes median {statistics.median(firsts):.3f} s (min "
              f"{min(firsts):.3f}, max {max(firsts):.3f}); whole synthesis streamed median "
              f"{statistics.median(wholes):.1f} s, {cold[0][2] / 2**20:.1f} MB WAV")
        warm = [await first_bytes(session, speak(ARTICLE_PATH)) for _ in range(20)]
        warm_ms = [1000 * w[0] for w in warm]
        print(f"cached: first bytes median {statistics.median(warm_ms):.1f} ms, "
              f"max {max(warm_ms):.1f} ms (20 requests)")
        small = LIST_PATH
        await latencies(session, small, 50)
        alone = await latencies(session, small, 400)
        pages = sorted((p for p in CORPUS.glob("*.html")), key=lambda p: -p.stat().st_size)[:20]

        async def synth(path: str):
            try:
                return await first_bytes(session, speak(path))
            except AssertionError as exc:
                return exc

        tasks = [asyncio.create_task(synth(f"/bench/corpus/{p.name}")) for p in pages]
        await asyncio.sleep(0.5)
        loaded = await latencies(session, small, 400)
        busy = sum(not t.done() for t in tasks)
        results = await asyncio.gather(*tasks)
        ok = sum(isinstance(r, tuple) for r in results)
        statuses = sorted(str(r) for r in results if not isinstance(r, tuple))
        ms = [1000 * statistics.median(alone), 1000 * p99(alone),
              1000 * statistics.median(loaded), 1000 * p99(loaded)]
        print(f"small page {small} p50/p99: alone {ms[0]:.1f}/{ms[1]:.1f} ms, during 20 "
              f"syntheses {ms[2]:.1f}/{ms[3]:.1f} ms (p99 {ms[3] / ms[1]:.2f}x); {busy} "
              f"syntheses still running at the end of the loaded run; {ok}/20 answered 200, "
              f"the others {statuses}")


def transform_cost(rounds: int = 20) -> None:
    """Rewrite time of the demo article (in-process, best of `rounds`) with each aid on."""
    from proxy.demo.pages import article_page, find_article
    from proxy.encoding.detect import decode_html
    from proxy.page import Page, parse_html, serialize
    from proxy.transforms import default_pipeline
    from proxy.visitor.prefs import Preferences

    html = decode_html(article_page(find_article(5678))).text
    pipeline = default_pipeline()
    for label, prefs in (("none", Preferences()), ("pinyin", Preferences(pinyin=True)),
                         ("traditional", Preferences(script="traditional")),
                         ("both", Preferences(pinyin=True, script="traditional"))):
        best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            page = Page(url="http://www.example.gov.cn" + ARTICLE_PATH, tree=parse_html(html),
                        prefs=prefs)
            pipeline.run(page)
            serialize(page.tree)
            best = min(best, time.perf_counter() - started)
        print(f"demo article rewrite, aids {label}: {1000 * best:.1f} ms (best of {rounds})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    transform_cost()
    origin_port, proxy_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        config.write_text(f"upstream: http://127.0.0.1:{origin_port}\nspeech:\n"
                          "  per_client: 1000\nlimits:\n  max_client_connections: 256\n"
                          "cache:\n  enabled: false\n")
        cache = Path(tmp) / "speech"
        os.environ["BFP_SPEECH_CACHE"] = str(cache)
        origin = Server("origin", [sys.executable, str(REPO / "bench" / "origin.py"),
                                   "--listen", f"127.0.0.1:{origin_port}"])
        proxy = Server("proxy", [sys.executable, "-m", "proxy", "serve", "--config", str(config),
                                 "--rules", str(REPO / "rules"), "--workers", "1",
                                 "--listen", f"127.0.0.1:{proxy_port}"], cwd=REPO)
        try:
            origin.wait_ready("/")
            proxy.wait_ready("/_a11y/healthz")
            asyncio.run(measure(proxy.url, cache, args.runs))
        finally:
            proxy.stop()
            origin.stop()


if __name__ == "__main__":
    main()
