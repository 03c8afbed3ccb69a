"""Reflow at 320 CSS px (WCAG 1.4.10) over the shared corpus, measured by the shared auditor.

    python bench/reflow_corpus.py [--before /work/main] [--only SUBSTR] [--out DIR]

Serves `shared/corpus` on a loopback port (the 75 single pages and every page of the 44
mirrored sites, as their original bytes), puts this checkout's proxy in front of it (and,
with `--before`, the proxy of another checkout, e.g. main, as a second process), and runs
`shared/tools/audit/audit.py --no-axe` on each page directly, through the `--before` proxy
and through ours. Prints, per way of serving, the share of pages whose `reflow_320` has no
horizontal scroll, then the pages that still scroll through ours with their widest box.
Writes the auditor's JSON to `--out` (default test-artifacts/reflow).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

REPO = Path(__file__).resolve().parent.parent
SHARED = next(p for p in (REPO.parent / "shared", Path("/work/shared")) if (p / "corpus").is_dir())
CORPUS = SHARED / "corpus"
AUDIT = SHARED / "tools/audit/audit.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def corpus_paths() -> list[str]:
    pages = json.loads((CORPUS / "pages/index.json").read_text("utf-8"))["pages"]
    sites = json.loads((CORPUS / "sites/index.json").read_text("utf-8"))["sites"]
    paths = [f"pages/{p['file']}" for p in pages]
    paths += [f"sites/{s['domain']}/{html}" for s in sites for html in s["html_pages"]]
    return paths


def start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_ready(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def proxy(checkout: Path, origin: str, rules: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    process = start([sys.executable, "-m", "proxy", "serve", "--upstream", origin, "--listen",
                     f"127.0.0.1:{port}", "--rules", rules, "--workers", "1"], checkout, env)
    base = f"http://127.0.0.1:{port}/"
    wait_ready(base + "_a11y/healthz")
    return process, base


def audit(base: str, paths: list[str], out: Path) -> dict[str, dict]:
    urls = [base + p for p in paths]
    subprocess.run([sys.executable, str(AUDIT), *urls, "--no-axe", "--json", str(out),
                    "--timeout", "20", "--settle-ms", "300"], stdout=subprocess.DEVNULL,
                   check=False)
    results = json.loads(out.read_text("utf-8"))["results"]
    return {r["url"][len(base):]: r.get("reflow_320") or {} for r in results}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", type=Path, help="another checkout whose proxy to measure too")
    ap.add_argument("--only", help="pages whose path contains this")
    ap.add_argument("--no-direct", action="store_true", help="skip the pages served directly")
    ap.add_argument("--out", type=Path, default=REPO / "test-artifacts/reflow")
    opts = ap.parse_args()
    opts.out.mkdir(parents=True, exist_ok=True)
    paths = [p for p in corpus_paths() if not opts.only or opts.only in p]
    rules = tempfile.mkdtemp()  # no site rules: what the proxy does for any site
    port = free_port()
    processes = [start([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                        "--directory", str(CORPUS)], REPO)]
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_ready(origin + "/pages/index.json")
        ways = [] if opts.no_direct else [("direct", origin + "/")]
        if opts.before:
            process, base = proxy(opts.before, origin, rules)
            processes.append(process)
            ways.append((f"proxy {opts.before.name}", base))
        process, base = proxy(REPO, origin, rules)
        processes.append(process)
        ways.append(("proxy (this checkout)", base))
        found = {}
        for name, base in ways:
            found[name] = audit(base, paths, opts.out / f"{name.split()[-1].strip('()')}.json")
            parts = []
            for kind in ("pages/", "sites/", ""):
                rows = [r for p, r in found[name].items() if p.startswith(kind)]
                ok = sum(1 for r in rows if r and r.get("horizontal_scroll") is False)
                share = 100 * ok / max(len(rows), 1)
                parts.append(f"{kind or 'all'} {ok}/{len(rows)} ({share:.1f} %)")
            print(f"{name:24} no horizontal scroll at 320 px: " + ", ".join(parts), flush=True)
        for path, r in found[ways[-1][0]].items():
            if not r or r.get("horizontal_scroll"):
                widest = ", ".join(f"{w['el']} to {w['right']}px" for w in r.get("widest", [])[:3])
                print(f"  still scrolls: {path} (scrollWidth {r.get('scroll_width')}) {widest}")
    finally:
        for process in processes:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
