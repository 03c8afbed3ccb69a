"""One page measured in Chromium, as the site serves it and through the proxy.

Each view is a fresh browser context (no cookie, no cache shared between views). Only the
origin and the proxy are reachable: requests to other hosts are aborted and counted, so a
report never depends on third-party servers. Scripts that ran in the page's own world are
counted from the DevTools protocol (`Debugger.scriptParsed` in the page's default world, with
a URL) before any of our measuring code is evaluated, so the count is the page's own.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from proxy.report.tools import run_axe
from proxy.siterules.model import SiteRules

log = logging.getLogger(__name__)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
SETTLE_MS = 300  #: after the load event, for late layout
LOAD_TIMEOUT_MS = 30000
SHOT_MAX_HEIGHT = 4000  #: CSS px of a full-page screenshot kept (long pages are cut)
SHOT_QUALITY = 60  #: JPEG quality: the report stays one file of reasonable size
#: links the crawler never follows (documents and media, not pages)
NOT_PAGES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".jpg",
             ".jpeg", ".png", ".gif", ".mp4", ".mp3", ".wps", ".txt", ".xml", ".css", ".js")
SEVERE = ("critical", "serious")


def _script(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


PAGE_TEXT_JS = _script("page_text.js")
PAGE_FACTS_JS = _script("page_facts.js")


@dataclass(frozen=True)
class View:
    """One way of looking at a page."""

    url: str
    viewport: dict
    axe: bool = False
    shot: Path | None = None
    via: str | None = None  #: a URL opened first (our /_a11y/set link: sets the preference)


def text_kept(original: str, proxied: str) -> float:
    """Share of the original's visible characters (as a multiset) still visible (the same
    definition as bench/landmarks_corpus.py)."""
    before, after = Counter(original), Counter(proxied)
    total = sum(before.values())
    return sum(min(n, after[ch]) for ch, n in before.items()) / total if total else 1.0


def axe_summary(violations: list[dict]) -> dict:
    by_impact = Counter()
    for v in violations:
        by_impact[v["impact"] or "unknown"] += v["nodes"]
    return {"rules": len(violations), "nodes": sum(v["nodes"] for v in violations),
            "severe_nodes": sum(n for impact, n in by_impact.items() if impact in SEVERE),
            "by_impact": dict(sorted(by_impact.items())),
            "by_rule": {v["id"]: {"impact": v["impact"], "nodes": v["nodes"], "help": v["help"]}
                        for v in sorted(violations, key=lambda v: v["id"])}}


def vendor_toolbar(html: str, rules: SiteRules, prefix: str) -> list[str]:
    """Evidence of the site's own accessibility toolbar in a rendered page (what the site rules'
    `toolbar:` recognise), our toolbar and links into our prefix left out."""
    root = lxml.html.fromstring(html or "<html></html>")
    for ours in root.xpath("//*[@id='a11y-toolbar']"):
        ours.getparent().remove(ours)
    def ours(el: Any) -> bool:  # a vendor launcher the proxy pointed at our settings
        return el.tag == "a" and urlsplit(el.get("href") or "").path.startswith(prefix)

    found = [f"element {sel.text}" for sel in rules.toolbar.remove
             if any(not ours(el) for el in sel(root))]
    for script in root.iter("script"):
        code = (script.get("src") or "") + (script.text or "")
        found += [f"script {p}" for p in rules.toolbar.script_patterns if p in code]
    for el in root.xpath("//a[@href] | //iframe[@src] | //frame[@src]"):
        target = el.get("href") or el.get("src") or ""
        if urlsplit(target).path.startswith(prefix):
            continue
        found += [f"link {p}" for p in rules.toolbar.url_patterns if p in target]
        text = el.text_content().strip()
        found += [f"link text {t}" for t in rules.toolbar.link_texts if text == t]
    return sorted(set(found))


def same_site_links(html: str, base: str) -> list[str]:
    """Links of the page to other pages of the same origin, in page order, without fragments."""
    root = lxml.html.fromstring(html or "<html></html>")
    origin = urlsplit(base).netloc
    found: list[str] = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href).split("#")[0]
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == origin and \
                not parts.path.lower().endswith(NOT_PAGES) and url not in found:
            found.append(url)
    return found


async def measure_view(browser: Any, view: View, allowed: set[str], axe_source: str) -> dict:
    """Load `view` in a fresh context and read its figures."""
    context = await browser.new_context(viewport=view.viewport, service_workers="block")
    blocked: list[str] = []

    async def route(request_route: Any) -> None:
        parts = urlsplit(request_route.request.url)
        if parts.scheme in ("http", "https") and parts.netloc not in allowed:
            blocked.append(parts.netloc)
            await request_route.abort()
        else:
            await request_route.continue_()

    await context.route("**/*", route)
    try:
        page = await context.new_page()
        scripts: list[str] = []
        cdp = await context.new_cdp_session(page)
        cdp.on("Debugger.scriptParsed", lambda event: scripts.append(event.get("url", "")) if (
            event.get("executionContextAuxData") or {}).get("isDefault") else None)
        await cdp.send("Debugger.enable")
        if view.via:
            await _goto(page, view.via)
        status = await _goto(page, view.url)
        await page.wait_for_timeout(SETTLE_MS)
        # the page's own scripts carry a web URL (a file's, or the document's for inline code
        # and event handlers); code without one is the browser driver's (or eval'd by a page
        # script that is counted itself), chrome-error:// is Chromium's page for a blocked frame
        ran = sum(1 for url in scripts if url.startswith(("http://", "https://")))
        await cdp.send("Debugger.disable")
        facts = await page.evaluate(PAGE_TEXT_JS)
        facts.update(await page.evaluate(PAGE_FACTS_JS))
        facts["status"] = status
        facts["scripts_ran"] = ran
        facts["script_urls"] = sorted({u for u in scripts if u.startswith("http")})[:20]
        facts["blocked_hosts"] = sorted(set(blocked))
        facts["html"] = await page.content()
        if view.axe:
            facts["axe"] = axe_summary(await run_axe(page, axe_source))
        if view.shot:
            height = await page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": view.viewport["width"],
                    "height": max(1, min(int(height), SHOT_MAX_HEIGHT))}
            await page.screenshot(path=str(view.shot), full_page=True, type="jpeg",
                                  quality=SHOT_QUALITY, clip=clip)
        return facts
    finally:
        await context.close()


async def _goto(page: Any, url: str) -> int | None:
    """Open `url`; a page whose load event never comes is measured as it is after the wait."""
    try:
        response = await page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - a slow page is measured as it stands
        if "Timeout" not in type(exc).__name__:
            raise
        log.warning("%s: no load event after %s ms; measured as it stands", url,
                    LOAD_TIMEOUT_MS)
        return None
    return response.status if response else None


def landmark_counts(facts: dict) -> dict[str, int]:
    return dict(sorted(Counter(lm["role"] for lm in facts["landmarks"]).items()))

