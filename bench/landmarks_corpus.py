#!/usr/bin/env python3
"""Landmarks and semantic repair on real pages: axe, landmarks and text, direct vs proxied.

Serves /work/shared/corpus/pages/ (original bytes) from a loopback origin, puts the real proxy
(the shipped default rules only) in front of it, and loads every page both ways in Debian
Chromium. Prints per page and in total: axe violation nodes (serious+critical apart, and per
rule), the landmarks found, the share of visible text inside landmarks, and the share of the
original's visible text still visible.
Requests to other hosts are aborted (closed network). Targets (issue 6): serious+critical nodes
cut by >= 90 % in total; median text-in-landmarks >= 95 %; text kept >= 99 % on every page.

    python bench/landmarks_corpus.py [--limit N] [--only SUBSTRING] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web
from playwright.async_api import Error as PlaywrightError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from proxy.app import create_app  # noqa: E402
from proxy.settings import Settings  # noqa: E402
from tests.browser import chromium, run_axe  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "pages"
PAGE_TEXT_JS = (REPO / "proxy" / "report" / "page_text.js").read_text(encoding="utf-8")
#: runs before the page's scripts: keeps what they pass to document.write, so page_text.js can
#: tell markup a script wrote as escaped text (saved copies that turned `<` into `&lt;` in
#: scripts: a live page wrote a <script> element there, the copy writes its source as text)
RECORD_WRITES_JS = """(() => {
  const written = [];
  for (const name of ['write', 'writeln']) {
    const original = Document.prototype[name];
    Document.prototype[name] = function (...parts) {
      written.push(parts.join(''));
      return original.apply(this, parts);
    };
  }
  Object.defineProperty(window, '__benchWritten', {value: written});
})()"""
LOCAL = ("127.0.0.1", "localhost")
SEVERE = ("serious", "critical")
SETTLE_MS = 300
#: a page whose load event never comes (an image's onerror loading another unreachable image,
#: again and again, on the closed network) is measured once interactive and this long loading
NEVER_LOADS_S = 10.0
MEASURE_ATTEMPTS = 3
#: targets from the issue
MIN_SEVERE_CUT, MIN_MEDIAN_IN_LANDMARKS, MIN_TEXT_KEPT = 0.90, 0.95, 0.99


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


def corpus_origin() -> web.Application:
    """`/<file>`: the original bytes with no charset (what the proxy gets, as recorded);
    `/direct/<file>`: the same bytes labelled with their true encoding (index.json), so the
    direct baseline is the page as its authors meant it, not the browser's mojibake of it."""
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    true_encoding = {p["file"]: p.get("true_encoding_guess") for p in index["pages"]}

    async def serve(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        path = CORPUS / name
        if path.suffix not in (".html", ".htm") or not path.is_file():
            raise web.HTTPNotFound()
        charset = true_encoding.get(name) if request.path.startswith("/direct/") else None
        return web.Response(body=path.read_bytes(), content_type="text/html", charset=charset)

    app = web.Application()
    app.router.add_get("/direct/{name}", serve)
    app.router.add_get("/{name}", serve)
    return app


async def measure(browser, url: str) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 800},
                                        service_workers="block")
    await context.add_init_script(RECORD_WRITES_JS)
    page = await context.new_page()
    await context.route("**/*", _route)
    try:
        await page.goto(url, wait_until="commit", timeout=30000)
        for attempt in range(MEASURE_ATTEMPTS):
            await _settled(page)
            try:
                facts = await page.evaluate(PAGE_TEXT_JS)
                violations = await run_axe(page)
                break
            except PlaywrightError as exc:  # a late redirect replaced the document: again
                if "context was destroyed" not in str(exc) or attempt == MEASURE_ATTEMPTS - 1:
                    raise
    finally:
        await context.close()
    facts["violations"] = violations
    facts["axe_nodes"] = sum(len(v["nodes"]) for v in violations)
    facts["axe_severe"] = sum(len(v["nodes"]) for v in violations if v["impact"] in SEVERE)
    facts["axe_rules"] = Counter({v["id"]: len(v["nodes"]) for v in violations})
    facts["severe_rules"] = Counter({v["id"]: len(v["nodes"]) for v in violations
                                     if v["impact"] in SEVERE})
    return facts


async def _settled(page, timeout_s: float = 30.0) -> None:
    """Wait until the page's last document is loaded (readyState "complete", polled through
    CDP: the proxy's CSP forbids the eval `wait_for_function` needs; "interactive" will do after
    NEVER_LOADS_S), no navigation of the main frame is under way (`goto`'s own wait does not
    follow a script's redirect), and SETTLE_MS more passed."""
    pending: set = set()

    def started(request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            pending.add(request)

    def ended(request) -> None:
        pending.discard(request)

    listeners = (("request", started), ("requestfinished", ended), ("requestfailed", ended))
    for event, listener in listeners:
        page.on(event, listener)
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        while loop.time() < start + timeout_s:
            await page.wait_for_timeout(SETTLE_MS)
            try:
                state = await page.evaluate("document.readyState")
            except PlaywrightError:  # the context went away with a navigation: look again
                continue
            if not pending and (state == "complete" or state == "interactive"
                                and loop.time() > start + NEVER_LOADS_S):
                return
        raise TimeoutError(f"{page.url} did not finish loading in {timeout_s:.0f} s")
    finally:
        for event, listener in listeners:
            page.remove_listener(event, listener)


async def _route(route) -> None:
    """Closed network: only loopback is reachable, and over https too. Live sites move http
    visitors to https (`location.href = "https:" + ...`) and serve the same page there; the
    loopback origin speaks only http, so it answers https requests as well. Otherwise the
    direct baseline of such a page is Chromium's error page, not the page."""
    parts = urlsplit(route.request.url)
    if parts.scheme not in ("http", "https"):
        await route.continue_()
    elif parts.hostname not in LOCAL:
        await route.abort()
    elif parts.scheme == "https":
        plain = urlunsplit(parts._replace(scheme="http"))
        await route.fulfill(response=await route.fetch(url=plain))
    else:
        await route.continue_()


def text_kept(original: str, proxied: str) -> float:
    """Share of the original's visible characters (as a multiset) still visible."""
    before, after = Counter(original), Counter(proxied)
    total = sum(before.values())
    return sum(min(n, after[ch]) for ch, n in before.items()) / total if total else 1.0


def landmark_summary(landmarks: list[dict]) -> str:
    counts = Counter(lm["role"] for lm in landmarks)
    return " ".join(f"{role}:{n}" for role, n in sorted(counts.items())) or "-"


async def run(opts: argparse.Namespace) -> list[dict]:
    files = sorted(p.name for p in CORPUS.glob("*.htm*"))
    files = [f for f in files if opts.only in f][: opts.limit or None]
    origin_runner, origin = await start(corpus_origin())
    # only the default rules: the corpus is served from 127.0.0.1, a host the demo's rule file
    # claims, and the demo's selectors (`body > table:first-of-type` is its banner) must not
    # decide the landmarks of real pages
    rules_dir = Path(tempfile.mkdtemp(prefix="corpus-rules-"))
    shutil.copy(REPO / "rules" / "default.yaml", rules_dir)
    proxy_runner, proxy = await start(create_app(Settings(
        upstream=origin, rules_dir=str(rules_dir), watch_rules=False)))
    rows = []
    try:
        async with chromium() as browser:
            for name in files:
                try:
                    direct = await measure(browser, f"{origin}/direct/{name}")
                    proxied = await measure(browser, f"{proxy}/{name}")
                except Exception as exc:  # a page that fails to load is reported, not fatal
                    print(f"{name}: failed: {str(exc).splitlines()[0][:120]}", flush=True)
                    continue
                row = _row(name, direct, proxied)
                rows.append(row)
                _print_row(row)
    finally:
        await proxy_runner.cleanup()
        await origin_runner.cleanup()
        shutil.rmtree(rules_dir, ignore_errors=True)
    return rows


def _row(name: str, direct: dict, proxied: dict) -> dict:
    share = proxied["landmark_chars"] / proxied["chars"] if proxied["chars"] else 1.0
    return {"page": name, "direct_nodes": direct["axe_nodes"],
            "direct_severe": direct["axe_severe"], "proxy_nodes": proxied["axe_nodes"],
            "proxy_severe": proxied["axe_severe"],
            "proxy_rules": dict(proxied["axe_rules"]), "direct_rules": dict(direct["axe_rules"]),
            "proxy_severe_rules": dict(proxied["severe_rules"]),
            "direct_severe_rules": dict(direct["severe_rules"]),
            "landmarks": landmark_summary(proxied["landmarks"]),
            "in_landmarks": share, "text_kept": text_kept(direct["text"], proxied["text"]),
            # the nodes still failing through the proxy (axe's target + html), for whoever
            # works on the next repair: `--json` writes them
            "proxy_violations": [v for v in proxied["violations"] if v["impact"] in SEVERE]}


def _print_row(r: dict) -> None:
    print(f"{r['page'][:38]:38} axe {r['direct_nodes']:4}->{r['proxy_nodes']:4} "
          f"severe {r['direct_severe']:4}->{r['proxy_severe']:4} "
          f"in-lm {r['in_landmarks']:6.1%} kept {r['text_kept']:6.1%}  {r['landmarks']}",
          flush=True)


def summarize(rows: list[dict]) -> None:
    if not rows:
        return
    direct = sum(r["direct_nodes"] for r in rows)
    proxied = sum(r["proxy_nodes"] for r in rows)
    d_sev = sum(r["direct_severe"] for r in rows)
    p_sev = sum(r["proxy_severe"] for r in rows)
    cut = 1 - p_sev / d_sev if d_sev else 1.0
    median_in = statistics.median(r["in_landmarks"] for r in rows)
    low_kept = [r for r in rows if r["text_kept"] < MIN_TEXT_KEPT]
    left = Counter()
    for r in rows:
        left.update(r["proxy_rules"])
    print(f"\npages: {len(rows)}")
    print(f"axe violation nodes: direct {direct}, proxied {proxied}")
    print(f"serious+critical nodes: direct {d_sev}, proxied {p_sev}, cut {cut:.1%} "
          f"(target >= {MIN_SEVERE_CUT:.0%})")
    print(f"median text inside landmarks: {median_in:.1%} (target >= "
          f"{MIN_MEDIAN_IN_LANDMARKS:.0%}); min {min(r['in_landmarks'] for r in rows):.1%}")
    print(f"text kept: min {min(r['text_kept'] for r in rows):.2%}; pages under "
          f"{MIN_TEXT_KEPT:.0%}: {', '.join(r['page'] for r in low_kept) or 'none'}")
    print("violation nodes left through the proxy, by rule: " + ", ".join(
        f"{rule} {n}" for rule, n in left.most_common()))
    severe_direct, severe_left = Counter(), Counter()
    for r in rows:
        severe_direct.update(r["direct_severe_rules"])
        severe_left.update(r["proxy_severe_rules"])
    print("serious+critical nodes by rule, direct -> proxied: " + ", ".join(
        f"{rule} {severe_direct[rule]}->{severe_left[rule]}"
        for rule, _ in (severe_direct + severe_left).most_common()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", default="")
    ap.add_argument("--json", help="write the per-page rows here")
    opts = ap.parse_args()
    rows = asyncio.run(run(opts))
    summarize(rows)
    if opts.json:
        Path(opts.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
