"""Load test: 200 concurrent connections for 60 s on demo pages, with a stalled origin path mixed
in. Passes when healthy paths never fail and the proxy's RSS grows less than 20 %.

    python bench/load.py [--seconds 60] [--connections 200] [--stall-share 0.05]

Starts three things: the demo origin (plus `/stall`, which never answers) in a child process,
the real proxy (`python -m proxy serve`, one worker, shipped rules) in another, and the load
generator (aiohttp) here. RSS is read from /proc/<proxy pid>/status once a second; the baseline
is taken after the warm-up, so start-up allocation does not count as growth.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
HEALTHY = ["/", "/art/2019/9/20/art_1234_5678.html", "/col/col1234/index.html",
           "/css/style.css", "/search?q=%E5%8A%9E%E4%BA%8B", "/images/system/sites_top.html",
           "/files/report.pdf"]
STALL = "/stall"
WARMUP = 5.0  #: seconds before the RSS baseline is taken
MAX_RSS_GROWTH = 0.20
ORIGIN_PORT, PROXY_PORT = 18391, 18390


def run_origin(port: int) -> None:
    """Child process: the demo origin plus a path that never answers."""
    from aiohttp import web

    from proxy.demo import create_demo_app

    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)
        return web.Response(text="never")

    app = create_demo_app()
    app.router.add_get(STALL, stall)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def wait_ready(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"not ready: {url}")


async def worker(session: aiohttp.ClientSession, base: str, until: float, stall_share: float,
                 results: dict) -> None:
    while time.monotonic() < until:
        path = STALL if random.random() < stall_share else random.choice(HEALTHY)
        started = time.perf_counter()
        try:
            async with session.get(base + path, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            status = type(exc).__name__
        kind = "stall" if path == STALL else "healthy"
        results[kind][status] += 1
        if kind == "healthy":
            results["latency"].append(time.perf_counter() - started)


async def sample_rss(pid: int, until: float, samples: list[tuple[float, int]]) -> None:
    start = time.monotonic()
    while time.monotonic() < until:
        samples.append((time.monotonic() - start, rss_kib(pid)))
        await asyncio.sleep(1)


async def load(args: argparse.Namespace, proxy_pid: int) -> int:
    base = f"http://127.0.0.1:{PROXY_PORT}"
    results: dict = {"healthy": Counter(), "stall": Counter(), "latency": []}
    samples: list[tuple[float, int]] = []
    until = time.monotonic() + args.seconds
    connector = aiohttp.TCPConnector(limit=args.connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(
            sample_rss(proxy_pid, until, samples),
            *(worker(session, base, until, args.stall_share, results)
              for _ in range(args.connections)))
    return report(args, results, samples)


def report(args: argparse.Namespace, results: dict, samples: list[tuple[float, int]]) -> int:
    healthy, stall, latency = results["healthy"], results["stall"], sorted(results["latency"])
    total_healthy = sum(healthy.values())
    errors = sum(n for status, n in healthy.items() if status not in (200, 302, 304))
    baseline = next((kib for t, kib in samples if t >= WARMUP), samples[0][1])
    final, peak = samples[-1][1], max(kib for _, kib in samples)
    growth = (final - baseline) / baseline
    q = statistics.quantiles(latency, n=100) if len(latency) > 1 else [0.0] * 99
    print(f"connections {args.connections}, {args.seconds:.0f} s, stall share "
          f"{args.stall_share:.0%}")
    print(f"healthy requests {total_healthy} ({total_healthy / args.seconds:.0f}/s), "
          f"statuses {dict(healthy)}, errors {errors}")
    print(f"healthy latency p50 {q[49] * 1000:.0f} ms, p90 {q[89] * 1000:.0f} ms, "
          f"p99 {q[98] * 1000:.0f} ms, max {latency[-1] * 1000:.0f} ms")
    print(f"stalled-path requests {sum(stall.values())}, statuses {dict(stall)}")
    print(f"proxy RSS after warm-up {baseline / 1024:.1f} MiB, end {final / 1024:.1f} MiB, "
          f"peak {peak / 1024:.1f} MiB, growth {growth:+.1%} (limit {MAX_RSS_GROWTH:.0%})")
    ok = errors == 0 and growth < MAX_RSS_GROWTH and total_healthy > 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--stall-share", type=float, default=0.05)
    parser.add_argument("--origin", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.origin:
        run_origin(ORIGIN_PORT)
        return 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        # one client (this script) opens all connections: lift the per-client cap; the read
        # timeout bounds how long a stalled request holds a slot (it is answered 504)
        config.write_text(f"upstream: http://127.0.0.1:{ORIGIN_PORT}\n"
                          f"listen: 127.0.0.1:{PROXY_PORT}\nworkers: 1\n"
                          f"rules_dir: {REPO / 'rules'}\nwatch_rules: false\n"
                          "limits:\n  max_client_connections: 1000\n"
                          "timeouts:\n  read: 5\n  total: 20\n")
        origin = subprocess.Popen([sys.executable, __file__, "--origin"], env=env)
        proxy = subprocess.Popen([sys.executable, "-m", "proxy", "serve", "--config",
                                  str(config)], env=env, cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            asyncio.run(wait_ready(f"http://127.0.0.1:{ORIGIN_PORT}/"))
            asyncio.run(wait_ready(f"http://127.0.0.1:{PROXY_PORT}/_a11y/healthz"))
            return asyncio.run(load(args, proxy.pid))
        finally:
            for child in (proxy, origin):
                child.send_signal(signal.SIGTERM)
            for child in (proxy, origin):
                try:
                    child.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    child.kill()


if __name__ == "__main__":
    sys.exit(main())
