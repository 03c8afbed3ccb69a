"""cProfile of the full rewrite of one golden case (tests/golden/cases/<name>), as the handler
runs it minus the network (tests/golden/runner.py's run_case).

    PYTHONPATH=. python bench/profile_rewrite.py demo-article [--sort tottime] [--lines 40]
    PYTHONPATH=. python bench/profile_rewrite.py --breakdown [NAME-PART]

Prints full vs floor (bench_rewrite.floor: bytes.decode + lxml parse + serialize) per page,
then the profile.
--breakdown: no profiler; the bench pages (bench_rewrite.pages(), or those whose name contains
NAME-PART) each rewritten once to warm up, then REPEATS times: floor, decode_html and full
summed over the pages, and Pipeline.timings per transform summed likewise (ms).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from bench_rewrite import floor  # noqa: E402

from tests.golden.runner import CASES, Case, rules_store, run_case  # noqa: E402

WARMUP, TIMED, PROFILED = 3, 20, 10  #: runs per phase
REPEATS = 5  #: --breakdown: measured rewrites per page


async def _many(case: Case, store, runs: int) -> None:
    for _ in range(runs):
        await run_case(case, store=store)


def breakdown(name_part: str) -> None:
    from bench_rewrite import Rewriter, pages

    from proxy.encoding.detect import decode_html

    rewriter = Rewriter(Path(__file__).resolve().parent.parent / "rules")
    spent: dict[str, float] = {}
    floor_s = full = decode = 0.0
    for name, body, host in pages():
        if name_part not in name:
            continue
        codec = decode_html(body, "text/html", None).encoding
        rewriter.full(body, host)  # warm: imports, caches, memos
        for _ in range(REPEATS):
            started = time.perf_counter()
            floor(body, codec)
            floored = time.perf_counter()
            decode_html(body, "text/html", None)
            decoded = time.perf_counter()
            rewriter.pipeline.timings.clear()
            rewriter.full(body, host)
            done = time.perf_counter()
            floor_s += (floored - started) / REPEATS
            decode += (decoded - floored) / REPEATS
            full += (done - decoded) / REPEATS
            for transform, seconds in rewriter.pipeline.timings.items():
                spent[transform] = spent.get(transform, 0.0) + seconds / REPEATS
    print(f"floor {floor_s * 1000:.1f} ms, full {full * 1000:.1f} ms ({full / floor_s:.1f}x), "
          f"decode_html {decode * 1000:.1f} ms")
    print(", ".join(f"{k} {v * 1000:.1f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case", nargs="?", help="golden case (default demo-article); with "
                        "--breakdown: part of the bench page names to keep (default all)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (tottime ...)")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--breakdown", action="store_true",
                        help="per-transform sums over the bench pages (case: a name filter)")
    args = parser.parse_args()
    if args.breakdown:
        breakdown(args.case or "")
        return
    name = args.case or "demo-article"
    case, store = Case.load(CASES / name), rules_store()
    asyncio.run(_many(case, store, WARMUP))
    started = time.perf_counter()
    asyncio.run(_many(case, store, TIMED))
    full = (time.perf_counter() - started) / TIMED
    started = time.perf_counter()
    for _ in range(TIMED):
        floor(case.source, "gb18030")
    floored = (time.perf_counter() - started) / TIMED
    print(f"{name}: full {full * 1000:.2f} ms  floor {floored * 1000:.2f} ms  "
          f"ratio {full / floored:.1f}")
    profiler = cProfile.Profile()
    profiler.runcall(asyncio.run, _many(case, store, PROFILED))
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
