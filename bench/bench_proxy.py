"""One run prints every performance figure of issue 8, each next to its floor or target.

    python bench/bench_proxy.py [--duration 4] [--quick]

It starts, each in its own process: the benchmark origin (bench/origin.py: the demo site, corpus
pages, a 1 MB page), the minimal pass-through baseline (bench/passthrough.py) and our proxy
(`python -m proxy serve`), then measures with wrk (Debian package `wrk`):
1. pages/s, p50, p99 at 1, 16, 64 clients: direct to the origin, baseline, our proxy;
2. full rewrite time per page next to its floor (decode + lxml parse + lxml serialize), in-process;
3. cache-hit throughput against the baseline;
4. streaming a 200 MB asset: MB/s and peak RSS, baseline and proxy (and 50 MB: memory is flat);
5. `--workers 2` against one worker;
6. small pages' p99 while 1 MB pages are being rewritten.
Everything runs on this machine, so the load generator and the origin share its cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_rewrite  # noqa: E402
from bench_util import (
    Run,
    Server,
    fmt_run,
    free_port,
    peak_rss_during,
    wrk,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ARTICLE = "/art/2019/9/20/art_1234_5678.html"
CORPUS_PAGES = ("mhxqwer__cxwxa.gov.cn.html", "gne__shanxi_1.html")
CONCURRENCY = (1, 16, 64)
STREAM_REPEATS = 5  #: interleaved downloads per proxy and size; the median is reported
SECTIONS = ("rewrite", "throughput", "cache", "streaming", "big-page", "workers")
TARGETS = {"rewrite_ratio": 1.5, "cache_vs_baseline": 0.8, "workers_gain": 1.7,
           "stream_vs_baseline": 0.9, "big_page_p99_ratio": 2.0}


def start_all(rules: Path) -> tuple[Server, Server, Server]:
    origin = Server("origin", [sys.executable, str(BENCH / "origin.py"), "--listen",
                               f"127.0.0.1:{free_port()}"])
    upstream = origin.url
    baseline = Server("passthrough", [sys.executable, str(BENCH / "passthrough.py"),
                                      "--listen", f"127.0.0.1:{free_port()}",
                                      "--upstream", upstream])
    proxy = start_proxy(upstream, rules, workers=1)
    for server in (origin, baseline, proxy):
        server.wait_ready(ARTICLE if server is not proxy else "/_a11y/healthz")
    return origin, baseline, proxy


def bench_config() -> Path:
    """config.yaml for the measured proxy: every request of wrk comes from one address, so the
    per-client connection cap (limits.py) is raised as it would be behind a load balancer."""
    from proxy.settings import Limits

    wanted = {"max_client_connections": 1024, "max_concurrency": 1024}
    limits = "".join(f"  {k}: {v}\n" for k, v in wanted.items() if k in Limits.__dataclass_fields__)
    path = Path(tempfile.mkdtemp(prefix="bfp-bench-")) / "config.yaml"
    path.write_text("log_format: json\nwatch_rules: false\n" + (f"limits:\n{limits}" if limits
                                                                  else ""), encoding="utf-8")
    return path


def start_proxy(upstream: str, rules: Path, workers: int) -> Server:
    return Server(f"proxy(workers={workers})", [
        sys.executable, "-m", "proxy", "serve", "--workers", str(workers), "--config",
        str(bench_config()), "--listen", f"127.0.0.1:{free_port()}", "--upstream", upstream,
        "--rules", str(rules)], cwd=ROOT)


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def settle_path(server: Server) -> str:
    return "/_a11y/healthz" if server.name.startswith("proxy") else "/css/style.css"


def throughput(servers: list[Server], paths: list[str], duration: float) -> dict:
    results = {}
    for path in paths:
        print(f"-- {path}")
        print(f"{'':14}" + "".join(f"{f'c={c}':>42}" for c in CONCURRENCY))
        for server in servers:
            runs = []
            for c in CONCURRENCY:
                runs.append(wrk(server.url + path, c, duration))
                server.settle(settle_path(server))
            results[(server.name, path)] = runs
            print(f"{server.name:14}" + "".join(f"{fmt_run(r):>42}" for r in runs), flush=True)
    return results


def cache_hits(baseline: Server, proxy: Server, duration: float, repeat: int = 1) -> None:
    """Pass-through and proxy alternate, `repeat` times per concurrency; each figure is the run
    with the median pages/s (on a shared 2-core machine one run says little)."""
    section("Cache hits: /bench/cached.html (origin says max-age=3600), pages/s "
            f"[target: proxy >= {TARGETS['cache_vs_baseline']:.0%} of the pass-through]")
    proxy.get("/bench/cached.html")  # fill the cache
    for c in (16, 64):
        bases, ours = [], []
        for _ in range(repeat):
            bases.append(wrk(baseline.url + "/bench/cached.html", c, duration))
            ours.append(wrk(proxy.url + "/bench/cached.html", c, duration))
            proxy.settle()
        base, our = _median_run(bases), _median_run(ours)
        ratio = our.rps / base.rps if base.rps else 0
        runs = "" if repeat == 1 else "   runs " + " ".join(
            f"{o.rps / b.rps:.2f}" if b.rps else "-" for b, o in zip(bases, ours, strict=True))
        print(f"c={c:<3} passthrough {fmt_run(base)}   proxy {fmt_run(our)}   "
              f"ratio {ratio:.2f} {'OK' if ratio >= TARGETS['cache_vs_baseline'] else 'BELOW'}"
              f"{runs}", flush=True)


def _median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.rps)[len(runs) // 2]


def streaming(baseline: Server, proxy: Server, sizes: tuple[int, ...]) -> None:
    section("Streaming /big.bin through each proxy: MB/s and peak RSS of the proxy process "
            f"[target: proxy >= {TARGETS['stream_vs_baseline']:.0%} of the pass-through, "
            "flat memory]")
    for mb in sizes:
        speeds: dict[str, list[float]] = {baseline.name: [], proxy.name: []}
        peaks: dict[str, float] = {}
        befores = {s.name: s.rss_mb() for s in (baseline, proxy)}
        for _ in range(STREAM_REPEATS):  # interleaved: load from elsewhere hits both alike
            for server in (baseline, proxy):
                (speed, size), peak = peak_rss_during(
                    server.pid, lambda s=server, n=mb: s.download(f"/big.bin?mb={n}"))
                assert size == mb * 2**20, f"{server.name} sent {size} bytes, not {mb} MiB"
                speeds[server.name].append(speed)
                peaks[server.name] = max(peaks.get(server.name, 0.0), peak)
        for server in (baseline, proxy):
            runs = sorted(speeds[server.name])
            print(f"{mb:>4} MB  {server.name:16} median {runs[len(runs) // 2] / 2**20:5.0f} MB/s "
                  f"(best {runs[-1] / 2**20:4.0f})   RSS before {befores[server.name]:5.1f} MB, "
                  f"peak during {peaks[server.name]:5.1f} MB", flush=True)
        ratio = statistics.median(speeds[proxy.name]) / statistics.median(speeds[baseline.name])
        print(f"         proxy/passthrough {ratio:.2f} "
              f"{'OK' if ratio >= TARGETS['stream_vs_baseline'] else 'BELOW'}")


def workers_gain(upstream: str, rules: Path, one: Server, duration: float) -> None:
    section("--workers 2 vs 1: demo article, pages/s "
            f"[target: >= {TARGETS['workers_gain']}x; origin and wrk share the same 2 cores]")
    two = start_proxy(upstream, rules, workers=2)
    try:
        two.wait_ready("/_a11y/healthz")
        for c in (16, 64):
            a = wrk(one.url + ARTICLE, c, duration)
            one.settle()
            b = wrk(two.url + ARTICLE, c, duration)
            two.settle()
            gain = b.rps / a.rps if a.rps else float("nan")
            print(f"c={c:<3} 1 worker {fmt_run(a)}   2 workers {fmt_run(b)}   "
                  f"gain {gain:.2f}x", flush=True)
    finally:
        two.stop()


def big_page_interference(proxy: Server, duration: float) -> None:
    section("Small pages (demo article, c=16) while 1 MB pages are rewritten alongside "
            f"[target: p99 <= {TARGETS['big_page_p99_ratio']}x the p99 alone]")
    proxy.settle()
    alone = wrk(proxy.url + ARTICLE, 16, duration)
    proxy.settle()
    stop, done = threading.Event(), []

    def rewrite_big_pages() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            proxy.get("/bench/huge.html")
            done.append(time.perf_counter() - started)

    worker = threading.Thread(target=rewrite_big_pages)
    worker.start()
    time.sleep(0.3)
    try:
        mixed = wrk(proxy.url + ARTICLE, 16, duration)
    finally:
        stop.set()
        worker.join()
    proxy.settle()
    ratio = mixed.p99 / alone.p99 if alone.p99 else float("nan")
    big = sorted(done)[len(done) // 2] * 1000 if done else 0
    print(f"alone      {fmt_run(alone)}")
    print(f"with 1 MB  {fmt_run(mixed)}   ({len(done)} 1 MB pages, median {big:.0f} ms each)")
    print(f"p99 ratio {ratio:.2f} {'OK' if ratio <= TARGETS['big_page_p99_ratio'] else 'ABOVE'}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Barrier-Free Proxy benchmarks")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per wrk run")
    parser.add_argument("--quick", action="store_true", help="shorter runs, 50 MB stream")
    parser.add_argument("--rules", default=str(ROOT / "rules"))
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (repeatable), e.g. --only cache")
    parser.add_argument("--repeat", type=int, default=1,
                        help="wrk runs per figure in the cache section (the median is printed)")
    args = parser.parse_args()
    wanted = set(args.only or SECTIONS)
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    duration = 2.0 if args.quick else args.duration
    rules = Path(args.rules)
    print(f"Barrier-Free Proxy bench on {os.cpu_count()} cores, {duration:.0f} s per load run, "
          f"python {sys.version.split()[0]}, commit {_commit()}, load average "
          f"{os.getloadavg()[0]:.1f} (other work on the machine skews every figure)")
    if "rewrite" in wanted:
        section("Full rewrite per page vs its floor (decode + lxml parse + lxml serialize), "
                f"in-process, median [target: <= {TARGETS['rewrite_ratio']}x]")
        bench_rewrite.report(rules, quick=args.quick)
    if wanted == {"rewrite"}:
        return 0
    origin, baseline, proxy = start_all(rules)
    direct = Server.existing("direct", origin)
    try:
        if "throughput" in wanted:
            section("Throughput: pages/s, p50 / p99 latency (wrk, keep-alive)")
            throughput([direct, baseline, proxy],
                       [ARTICLE] + [f"/bench/corpus/{p}" for p in CORPUS_PAGES], duration)
        if "cache" in wanted:
            cache_hits(baseline, proxy, duration, args.repeat)
        if "streaming" in wanted:
            streaming(baseline, proxy, (50,) if args.quick else (50, 200))
        if "big-page" in wanted:
            big_page_interference(proxy, duration)
        if "workers" in wanted:
            workers_gain(origin.url, rules, proxy, duration)
    finally:
        for server in (proxy, baseline, origin):
            server.stop()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


def _commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True)
    return result.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
