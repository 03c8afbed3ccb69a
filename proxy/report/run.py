"""`python -m proxy report`: measure pages as the site serves them and through the proxy.

The proxy runs in-process on a free loopback port in front of the one origin the pages belong
to (a URL's origin, or `upstream` from config.yaml; `demo` starts the embedded demo site), with
the rules of config.yaml. Each page is opened five ways (see `page_views`), the figures go into
`report.json`, the same figures into `report.html` (proxy/report/render.py), and a one-screen
summary is printed.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from proxy.app import create_app
from proxy.report.measure import (
    DESKTOP,
    PHONE,
    View,
    landmark_counts,
    measure_view,
    same_site_links,
    text_kept,
    vendor_toolbar,
)
from proxy.report.render import html_report, summary
from proxy.report.tools import axe_file, axe_version, chromium_browser
from proxy.settings import DEMO, Settings
from proxy.siterules.store import RuleStore

#: what automated checks cannot judge: said in every report
NOT_JUDGED = (
    "whether text alternatives, labels and headings are meaningful (only that they exist)",
    "whether the reading and focus order make sense, and keyboard use beyond what axe checks",
    "content in images, scanned PDFs, video and audio",
    "whether the page works with a real screen reader, magnifier or voice control",
    "colour contrast over images and gradients (axe reports those as 'needs review')",
    "pages behind log-in or reached only by submitting forms",
)


class TargetError(ValueError):
    """The pages given cannot be reported together (a clear message for the command line)."""


def resolve_origin(settings: Settings, targets: list[str]) -> tuple[str, list[str]]:
    """The one origin (a URL, or DEMO) and the paths (with query) to measure on it."""
    origins, paths = set(), []
    for target in targets:
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
            paths.append((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        elif target.startswith("/"):
            paths.append(target)
        else:
            raise TargetError(f"{target!r}: expected a URL (http://...) or a path (/...)")
    if len(origins) > 1:
        raise TargetError(f"one origin per report, got {sorted(origins)}")
    if origins:
        return origins.pop(), paths
    if not settings.upstream:
        raise TargetError("paths need an origin: give a URL, or set upstream in config.yaml")
    return settings.upstream, paths


def proxy_settings(settings: Settings, origin: str) -> Settings:
    """The in-process proxy's settings: `origin` alone; a configured site keeps its aliases and
    TLS settings, and the rules, limits and prefix are the config's."""
    known = next((o for o in settings.origins() if o.url == origin.rstrip("/")), None)
    proxied = replace(settings, upstream=origin, sites=(), watch_rules=False,
                      upstream_aliases=known.aliases if known else ())
    if known:
        proxied = replace(proxied, verify_tls=known.verify_tls, ca_bundle=known.ca_bundle)
    return proxied


async def _start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def page_views(origin_url: str, proxy_url: str, path: str, shots: Path, n: int) -> dict:
    """The five views of one page: the original and the barrier-free mode on a desktop, the
    barrier-free mode at the 200 % text step, and both at phone width (320 CSS px)."""
    shot = lambda name: shots / f"page{n}-{name}.jpg"  # noqa: E731
    text200 = f"{proxy_url}/_a11y/set?text=200&next={quote(path, safe='')}"
    return {
        "original": View(origin_url + path, DESKTOP, axe=True, shot=shot("original")),
        "barrier_free": View(proxy_url + path, DESKTOP, axe=True, shot=shot("barrier-free")),
        "text_200": View(proxy_url + path, DESKTOP, shot=shot("200"), via=text200),
        "original_phone": View(origin_url + path, PHONE),
        "barrier_free_phone": View(proxy_url + path, PHONE, shot=shot("phone")),
    }


def figures(views: dict[str, dict], rules: Any, prefix: str) -> dict:
    """The page's figures from its five measured views (also what report.json holds)."""
    out: dict[str, Any] = {}
    for side, phone in (("original", "original_phone"), ("barrier_free", "barrier_free_phone")):
        facts = views[side]
        out[side] = {
            "status": facts["status"], "axe": facts["axe"], "visible_chars": facts["chars"],
            "landmarks": landmark_counts(facts), "headings": len(facts["headings"]),
            "h1": sum(1 for h in facts["headings"] if h["level"] == 1),
            "images_without_name": facts["images_without_name"],
            "fields_without_label": facts["fields_without_label"],
            "font_median_px": facts["font_median_px"],
            "horizontal_scroll_320": views[phone]["horizontal_scroll"],
            "scroll_width_320": views[phone]["scroll_width"],
            "scripts_ran": facts["scripts_ran"], "script_urls": facts["script_urls"],
            "site_toolbar": vendor_toolbar(facts["html"], rules, prefix),
            "blocked_hosts": facts["blocked_hosts"],
        }
    out["barrier_free"]["font_median_px_200"] = views["text_200"]["font_median_px"]
    out["text_kept"] = round(text_kept(views["original"]["text"],
                                       views["barrier_free"]["text"]), 4)
    return out


async def build_report(settings: Settings, targets: list[str], out_dir: Path, crawl: int = 0,
                       progress: Any = None) -> dict:
    """Measure every page and write report.json, report.html and the screenshots in `out_dir`."""
    origin, paths = resolve_origin(settings, targets)
    axe_path = axe_file()
    axe_source = axe_path.read_text(encoding="utf-8")
    shots = out_dir / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    demo_runner, demo_url = None, None
    if origin == DEMO:
        from proxy.demo import start_demo_origin

        demo_runner, demo_url = await start_demo_origin()
    origin_url = (demo_url or origin).rstrip("/")
    proxied = proxy_settings(settings, origin)
    proxy_runner, proxy_url = await _start(create_app(proxied, demo_url=demo_url))
    rules = RuleStore.from_directory(settings.rules_dir).for_host(urlsplit(origin_url).hostname)
    allowed = {urlsplit(origin_url).netloc, urlsplit(proxy_url).netloc}
    pages: list[dict] = []
    failed: list[dict] = []  #: pages that could not be measured, with why
    started = time.monotonic()
    try:
        async with chromium_browser() as browser:
            queue, seen = list(paths), set(paths)
            while queue and (len(pages) + len(failed) < max(crawl, len(paths))):
                path = queue.pop(0)
                try:
                    views = {name: await measure_view(browser, view, allowed, axe_source)
                             for name, view in page_views(origin_url, proxy_url, path, shots,
                                                          len(pages) + 1).items()}
                except Exception as exc:  # noqa: BLE001 - one broken page, the others measured
                    failed.append({"path": path, "error": str(exc).splitlines()[0][:200]})
                    continue
                page = {"path": path, "original_url": origin_url + path,
                        "title": _title(views["original"]["html"]),
                        **figures(views, rules, settings.prefix),
                        "screenshots": {k: f"shots/page{len(pages) + 1}-{k}.jpg" for k in
                                        ("original", "barrier-free", "200", "phone")}}
                pages.append(page)
                if progress:
                    progress(page)
                for link in same_site_links(views["original"]["html"], origin_url + path):
                    link_path = link[len(origin_url):] or "/"
                    if crawl and link_path not in seen:
                        seen.add(link_path)
                        queue.append(link_path)
            browser_version = browser.version
    finally:
        await proxy_runner.cleanup()
        if demo_runner:
            await demo_runner.cleanup()
    report = {
        "tool": {"name": "barrier-free-proxy report", "version": _version("barrier-free-proxy"),
                 "axe_core": axe_version(axe_source), "axe_file": str(axe_path),
                 "chromium": browser_version, "playwright": _version("playwright"),
                 "python": platform.python_version()},
        "origin": "demo" if origin == DEMO else origin_url, "rules": rules.name,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.monotonic() - started, 1), "pages": pages, "failed": failed,
        "not_judged": list(NOT_JUDGED),
    }
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(report, out_dir), encoding="utf-8")
    (out_dir / "summary.txt").write_text(summary(report), encoding="utf-8")
    return report


def _title(html: str) -> str:
    import lxml.html

    found = lxml.html.fromstring(html or "<html></html>").findtext(".//title")
    return " ".join((found or "").split())[:120]


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
