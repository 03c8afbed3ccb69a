"""cProfile of the full rewrite of one golden case (tests/golden/cases/<name>), as the handler
runs it minus the network (tests/golden/runner.py's run_case).

    PYTHONPATH=. python bench/profile_rewrite.py demo-article [--sort tottime] [--lines 40]

Prints full vs floor (bytes.decode + parse_html + serialize) per page, then the profile.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from proxy.page import parse_html, serialize  # noqa: E402
from tests.golden.runner import CASES, Case, rules_store, run_case  # noqa: E402

WARMUP, TIMED, PROFILED = 3, 20, 10  #: runs per phase


async def _many(case: Case, store, runs: int) -> None:
    for _ in range(runs):
        await run_case(case, store=store)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case", nargs="?", default="demo-article")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (tottime ...)")
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    case, store = Case.load(CASES / args.case), rules_store()
    asyncio.run(_many(case, store, WARMUP))
    started = time.perf_counter()
    asyncio.run(_many(case, store, TIMED))
    full = (time.perf_counter() - started) / TIMED
    started = time.perf_counter()
    for _ in range(TIMED):
        serialize(parse_html(case.source.decode("gb18030", "replace")))
    floor = (time.perf_counter() - started) / TIMED
    print(f"{args.case}: full {full * 1000:.2f} ms  floor {floor * 1000:.2f} ms  "
          f"ratio {full / floor:.1f}")
    profiler = cProfile.Profile()
    profiler.runcall(asyncio.run, _many(case, store, PROFILED))
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
