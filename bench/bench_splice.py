"""Issue 18: one rewrite per page for every visitor. Prints, next to each other:

1. in-process, the demo article: a full rewrite (the template) vs serving it to a visitor with
   preferences not yet seen (splice, cold caches), with and without gzip, as a share of a rewrite;
2. over HTTP (wrk, the real proxy with one worker, shipped rules): a cached page served to one
   preference set vs to 10 different ones in rotation, pages/s at 16 connections;
3. uncached pages/s of the demo article at 16 connections (each request a full rewrite).

    python bench/bench_splice.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_proxy import ARTICLE, start_all  # noqa: E402
from bench_rewrite import Rewriter  # noqa: E402
from bench_util import wrk  # noqa: E402

from proxy.demo.pages import article_page, find_article  # noqa: E402
from proxy.http.bodies import compress  # noqa: E402
from proxy.visitor import splice as splice_module  # noqa: E402
from proxy.visitor import style, toolbar  # noqa: E402
from proxy.visitor.prefs import Preferences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: ten preference sets a site's visitors might use at once
TEN = [Preferences(), Preferences(text=125), Preferences(text=150), Preferences(text=200),
       Preferences(scheme="contrast"), Preferences(scheme="yellow"),
       Preferences(spacing=True), Preferences(underline=True), Preferences(cursor=True),
       Preferences().changed({"preset": "elder"})]
CONNECTIONS = 16
REPEATS = 200


def best_ms(func, repeats: int = REPEATS) -> float:
    """Median CPU time of this process (less skewed than wall time on a busy machine)."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        func()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def cold() -> None:
    """Forget every per-preference text, so each splice makes its three texts anew."""
    splice_module.base_css.cache_clear()
    splice_module._toolbar.cache_clear()
    style.preference_css.cache_clear()
    toolbar._toolbar_tree.cache_clear()


def in_process() -> None:
    rewriter = Rewriter(ROOT / "rules")
    body = article_page(find_article(5678))
    template = rewriter.template(body, "www.example.gov.cn")
    full = best_ms(lambda: rewriter.template(body, "www.example.gov.cn"), 50)

    def ten_cold() -> None:
        for prefs in TEN:
            cold()
            splice_module.splice(template, prefs)

    def ten_cold_gzip() -> None:
        for prefs in TEN:
            cold()
            gzip.compress(splice_module.splice(template, prefs), compresslevel=5, mtime=0)

    def ten_cold_br() -> None:
        for prefs in TEN:
            cold()
            compress(splice_module.splice(template, prefs), "br")

    splice_ms = best_ms(ten_cold) / len(TEN)
    gzip_ms = best_ms(ten_cold_gzip) / len(TEN)
    br_ms = best_ms(ten_cold_br) / len(TEN)
    print(f"demo article ({len(template.body) // 1024} KB): full rewrite {full:.2f} ms "
          f"(CPU); a preference set not yet seen: splice {splice_ms * 1000:.0f} us "
          f"({splice_ms / full:.1%} of a rewrite), splice + gzip {gzip_ms:.2f} ms "
          f"({gzip_ms / full:.1%}), splice + br {br_ms:.2f} ms ({br_ms / full:.1%}); "
          "a set seen before: a lookup (finished answers kept)")


ROTATE_LUA = """
local cookies = {%s}
local i = 0
request = function()
  i = i + 1
  local c = cookies[(i %% #cookies) + 1]
  local headers = {["Accept-Encoding"] = "gzip"}
  if c ~= "" then headers["Cookie"] = "a11y_prefs=" .. c end
  return wrk.format("GET", nil, headers)
end
"""


def lua(prefs: list[Preferences]) -> str:
    path = Path(tempfile.mkdtemp(prefix="bfp-splice-")) / "rotate.lua"
    path.write_text(ROTATE_LUA % ", ".join(f'"{p.to_cookie()}"' for p in prefs),
                    encoding="utf-8")
    return str(path)


def over_http(seconds: float) -> None:
    origin, baseline, proxy = start_all(ROOT / "rules")
    try:
        cached = proxy.url + "/bench/cached.html"
        proxy.get("/bench/cached.html")
        one = wrk(cached, CONNECTIONS, seconds, lua(TEN[:1]))
        ten = wrk(cached, CONNECTIONS, seconds, lua(TEN))
        print(f"cached page, c={CONNECTIONS}: 1 preference set {one.rps:.0f} pages/s, "
              f"10 sets in rotation {ten.rps:.0f} pages/s ({ten.rps / one.rps:.0%}); "
              f"errors {one.errors + ten.errors}")
        proxy.settle("/_a11y/healthz")
        uncached = wrk(proxy.url + ARTICLE, CONNECTIONS, seconds, lua(TEN))
        plain = wrk(proxy.url + ARTICLE, CONNECTIONS, seconds)
        print(f"uncached demo article, c={CONNECTIONS}, one worker: {plain.rps:.0f} pages/s "
              f"(default preferences), {uncached.rps:.0f} pages/s (10 sets in rotation); "
              f"p50 {plain.p50:.1f} ms, p99 {plain.p99:.1f} ms")
    finally:
        for server in (proxy, baseline, origin):
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    in_process()
    if not args.no_http:
        over_http(args.seconds)
    asyncio.set_event_loop(None)


if __name__ == "__main__":
    main()
