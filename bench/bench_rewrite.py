"""Full rewrite time per page next to its floor, in-process (no network, no event loop noise).

floor = bytes.decode(the page's codec) + lxml parse + lxml serialize, nothing else: lxml.html with
        the proxy's parser settings, not proxy.page.parse_html (whose own pre-parse steps --
        early end tags, characters lxml refuses -- are our work, so they count in `full`);
full  = what proxy/rewrite.py does: decode_html (with detection) + parse + the transforms'
        gather (includes served from memory) + pipeline.run (every transform the site's rules
        enable, default preferences) + serialize.

`--cpu` times floor and full in this process's CPU time (time.process_time) instead of wall
time: on a machine other work keeps busy, waiting for a core is then not counted (the
per-transform breakdown stays in wall time: it is the pipeline's own metric).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import lxml.html
from multidict import CIMultiDict, CIMultiDictProxy

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from origin import CORPUS, huge_page  # noqa: E402

from proxy.demo import create_demo_app  # noqa: E402
from proxy.demo.pages import article_page, find_article, front_page  # noqa: E402
from proxy.encoding.detect import decode_html  # noqa: E402
from proxy.page import _PARSER as LXML_PARSER  # noqa: E402
from proxy.page import Page, parse_html, serialize, without_xml_declaration  # noqa: E402
from proxy.routing import Router  # noqa: E402
from proxy.settings import DEMO_ALIASES, Origin  # noqa: E402
from proxy.siterules.store import RuleStore  # noqa: E402
from proxy.transforms import default_pipeline  # noqa: E402
from proxy.visitor.prefs import Preferences  # noqa: E402
from proxy.visitor.splice import Template, make_template  # noqa: E402

DEMO_HOST = "127.0.0.1"  #: rules/demo.yaml claims it
OTHER_HOST = "www.example-site.cn"  #: no site file: default rules and heuristics
MIN_SECONDS = 0.4  #: per page and measure: repeat until this much time is spent...
MAX_REPEATS = 200  #: ...or this many runs


def median_seconds(func, quick: bool, clock=time.perf_counter) -> float:
    func()  # warm up (imports, caches, XPath compilation)
    times, spent = [], 0.0
    while spent < MIN_SECONDS / (4 if quick else 1) and len(times) < MAX_REPEATS:
        started = clock()
        func()
        times.append(clock() - started)
        spent += times[-1]
    return statistics.median(times)


async def demo_fragments() -> dict[str, tuple[bytes, str | None]]:
    """What the demo's server-side includes fetch, read once from a real demo app."""
    from aiohttp.test_utils import TestClient, TestServer

    fragments = {}
    async with TestClient(TestServer(create_demo_app())) as client:
        for path in ("/images/system/sites_top.html",):
            resp = await client.get(path)
            fragments[path] = (await resp.read(), resp.headers.get("Content-Type"))
    return fragments


class Rewriter:
    def __init__(self, rules_dir: Path) -> None:
        self.store = RuleStore.from_directory(rules_dir)
        self.pipeline = default_pipeline()
        self.loop = asyncio.new_event_loop()
        self.fragments = self.loop.run_until_complete(demo_fragments())

    async def fetch(self, path: str):
        return self.fragments.get(path)

    def full(self, body: bytes, host: str, prefs: Preferences | None = None) -> bytes:
        origin = Origin(f"http://{host}", (), DEMO_ALIASES)
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": "text/html"}))
        rules = self.store.for_host(host)
        page = Page(url=f"http://{host}/page.html", tree=None, host=host, rules=rules,
                    prefs=prefs or Preferences(), headers=headers,
                    mapper=Router((origin,)).mapper(origin, "127.0.0.1:8080"))
        decoded = decode_html(body, "text/html", rules.encoding)
        page.encoding = decoded.encoding
        page.tree = parse_html(decoded.text)
        self.loop.run_until_complete(self.pipeline.gather(page, self.fetch))
        self.pipeline.run(page)
        return serialize(page.tree)

    def template(self, body: bytes, host: str) -> Template:
        """What the proxy caches (proxy/rewrite.py): the page for every preference set but
        the view, holes left for the visitor's preferences."""
        origin = Origin(f"http://{host}", (), DEMO_ALIASES)
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": "text/html"}))
        page = Page(url=f"http://{host}/page.html", tree=None, host=host,
                    rules=self.store.for_host(host), headers=headers, splice={},
                    mapper=Router((origin,)).mapper(origin, "127.0.0.1:8080"))
        decoded = decode_html(body, "text/html", page.rules.encoding)
        page.encoding = decoded.encoding
        page.tree = parse_html(decoded.text)
        self.loop.run_until_complete(self.pipeline.gather(page, self.fetch))
        self.pipeline.run(page)
        return make_template(serialize(page.tree), prefix=page.prefix, **(page.splice or {}))


def floor(body: bytes, codec: str) -> bytes:
    """decode + lxml parse + lxml serialize of one page: what any rewrite must at least do."""
    text = without_xml_declaration(body.decode(codec, "replace"))  # else lxml refuses the str
    tree = lxml.html.document_fromstring(text, parser=LXML_PARSER)
    return lxml.html.tostring(tree, encoding="utf-8", method="html")


def pages() -> list[tuple[str, bytes, str]]:
    article = article_page(find_article(5678))
    found = [("demo article", article, DEMO_HOST), ("demo front", front_page(), DEMO_HOST),
             ("demo 1 MB page", huge_page(), DEMO_HOST)]
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    for entry in index["pages"]:
        found.append((entry["file"], (CORPUS / entry["file"]).read_bytes(), OTHER_HOST))
    return found


def breakdown(rewriter: Rewriter, page: tuple[str, bytes, str], repeats: int = 10) -> None:
    """Where the full rewrite's time goes, per transform (Pipeline.timings), and decoding."""
    name, body, host = page
    rewriter.pipeline.timings.clear()
    for _ in range(repeats):
        rewriter.full(body, host)
    decode = median_seconds(lambda: decode_html(body, "text/html", None), quick=True)
    parts = sorted(rewriter.pipeline.timings.items(), key=lambda kv: -kv[1])
    shown = ", ".join(f"{k} {v / repeats * 1000:.2f}" for k, v in parts if v / repeats > 1e-4)
    print(f"{name}, ms per page: decode_html {decode * 1000:.2f}, {shown}")


def report(rules_dir: Path, quick: bool = False, cpu: bool = False) -> None:
    rewriter = Rewriter(rules_dir)
    clock = time.process_time if cpu else time.perf_counter
    if cpu:
        print("floor and full in CPU time of this process (time.process_time)")
    ratios = []
    sums = [0.0, 0.0]  # floor, full over the corpus pages
    print(f"{'page':42} {'KB':>6} {'floor ms':>9} {'full ms':>9} {'ratio':>6}")
    for name, body, host in pages():
        codec = decode_html(body, "text/html", None).encoding
        floor_s = median_seconds(lambda b=body, c=codec: floor(b, c), quick, clock)
        full = median_seconds(lambda b=body, h=host: rewriter.full(b, h), quick, clock)
        ratio = full / floor_s
        if not name.startswith("demo"):
            ratios.append((ratio, name))
            sums[0] += floor_s
            sums[1] += full
        if name.startswith("demo") or not quick and len(ratios) <= 3:
            print(f"{name[:42]:42} {len(body) / 1024:6.0f} {floor_s * 1000:9.2f} "
                  f"{full * 1000:9.2f} {ratio:6.2f}", flush=True)
    breakdown(rewriter, pages()[0])
    ratios.sort()
    values = [r for r, _ in ratios]
    print(f"corpus ({len(values)} pages): median ratio {statistics.median(values):.2f}, "
          f"p90 {values[int(len(values) * 0.9)]:.2f}, worst {values[-1]:.2f} ({ratios[-1][1]}); "
          f"summed: floor {sums[0] * 1000:.1f} ms, full {sums[1] * 1000:.1f} ms, "
          f"ratio {sums[1] / sums[0]:.2f}")


if __name__ == "__main__":
    report(Path(__file__).resolve().parent.parent / "rules", quick="--quick" in sys.argv,
           cpu="--cpu" in sys.argv)
