"""Whether a page is rendered in a browser on the server before it is rewritten, and why.

A page needs its scripts when what visitors read is written or revealed by them: a header
written with `document.write`, a `header.js`/`footer.js` that builds the page's frame, a body
hidden until a script shows it, an empty application root. The static rewrite cannot show
that content (no origin script ever runs in the visitor's browser), so such pages are rendered
first in a headless browser on the server, and the DOM it produced is rewritten instead.

The site's rules decide first (`render: static | browser | auto`, and URL globs that are
always or never rendered). In `auto`, the page's own markup says whether it may need scripts,
and the site teaches the rest: each URL pattern is rendered on a few sample pages, the static
and rendered text are compared, and a pattern whose renders never showed more text is then
served statically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from proxy.siterules.model import RenderRules

#: samples of a URL pattern rendered before `auto` trusts what they showed
SAMPLES_PER_PATTERN = 3
#: a render "shows more" when its visible text is longer than the static page's by this
#: share and by at least `MIN_MORE_CHARS` characters (a clock or counter is not content)
MORE_SHARE, MIN_MORE_CHARS = 0.1, 40
#: patterns remembered per site (a bounded memory: a site has few page templates)
MAX_PATTERNS = 512
#: a body with scripts and less visible text than this may be built by them
MIN_STATIC_CHARS = 200
#: script file names that build a page's frame ("header.js", "foot.js", "loadTop.js" ...)
FRAME_SCRIPT = re.compile(r"(^|[/_\-.])(head|header|foot|footer|top|bottom|nav|menu|common)"
                          r"[\w\-]*\.js", re.I)
#: inline script calls that write or reveal content
WRITES = re.compile(r"document\.write(ln)?\s*\(|\.innerHTML\s*=|\.(html|load|append)\s*\(", re.I)
#: application roots a framework fills (an empty one is a page without its content)
APP_ROOTS = ("app", "root", "__next", "__nuxt", "main-app")
_HIDDEN = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(\.0*)?\s*(;|$))",
                     re.I)
_SCRIPTS = etree.XPath("//script")
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or "
                            "ancestor::noscript or ancestor::template)]", smart_strings=False)


@dataclass(frozen=True)
class Decision:
    render: bool
    why: str


def url_pattern(url: str) -> str:
    """The page template a URL belongs to: runs of digits become `*` (`/art/2019/9/20/
    art_1234_5678.html` -> `/art/*/*/*/art_*_*.html`); the query's names are kept."""
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=", 1)[0] for p in parts.query.split("&") if p))
    path = re.sub(r"\d+", "*", parts.path or "/")
    return path + (f"?{query}" if query else "")


def script_signals(tree: Any) -> list[str]:
    """What in the static page says its scripts write or reveal content (empty: nothing)."""
    signals = []
    scripts = _SCRIPTS(tree)
    if not scripts:
        return signals
    for script in scripts:
        src = script.get("src") or ""
        if src and FRAME_SCRIPT.search(src.split("?")[0]):
            signals.append(f"frame script {src.rsplit('/', 1)[-1]}")
        elif not src and WRITES.search(script.text or ""):
            signals.append("inline script writes content")
    for target in (tree, tree.find("body")):
        if target is not None and _HIDDEN.search(target.get("style") or ""):
            signals.append(f"<{target.tag}> hidden until a script shows it")
    for root_id in APP_ROOTS:
        for el in tree.iter():
            if isinstance(el.tag, str) and el.get("id") == root_id and len(el) == 0 \
                    and not (el.text or "").strip():
                signals.append(f"empty application root #{root_id}")
                break
    if visible_chars(tree) < MIN_STATIC_CHARS:
        signals.append("little text without scripts")
    return list(dict.fromkeys(signals))


def visible_chars(tree: Any) -> int:
    """Characters of the body's text outside scripts and styles, white space collapsed."""
    return len(" ".join(" ".join(_VISIBLE_TEXT(tree)).split()))


def shows_more(static_chars: int, rendered_chars: int) -> bool:
    return rendered_chars - static_chars >= max(MIN_MORE_CHARS, static_chars * MORE_SHARE)


@dataclass
class _Pattern:
    samples: int = 0
    needed: int = 0


@dataclass
class SiteMemory:
    """What rendering taught about one site's URL patterns (per process; small and bounded)."""

    patterns: dict[str, _Pattern] = field(default_factory=dict)

    def learned(self, pattern: str) -> bool | None:
        """True: renders of this pattern showed more; False: enough samples showed nothing
        more; None: not known yet."""
        found = self.patterns.get(pattern)
        if found is None or (found.needed == 0 and found.samples < SAMPLES_PER_PATTERN):
            return None
        return found.needed > 0

    def record(self, pattern: str, needed: bool) -> None:
        if pattern not in self.patterns and len(self.patterns) >= MAX_PATTERNS:
            self.patterns.pop(next(iter(self.patterns)))
        found = self.patterns.setdefault(pattern, _Pattern())
        found.samples += 1
        found.needed += needed


def decide(rules: RenderRules, url: str, tree: Any, memory: SiteMemory) -> Decision:
    """Render this page or not, with the reason (for logs, `check --explain` and readyz)."""
    path = urlsplit(url).path or "/"
    if any(fnmatchcase(path, glob) for glob in rules.static):
        return Decision(False, "rules: static for this URL")
    if any(fnmatchcase(path, glob) for glob in rules.browser):
        return Decision(True, "rules: browser for this URL")
    if rules.mode != "auto":
        return Decision(rules.mode == "browser", f"rules: render: {rules.mode}")
    signals = script_signals(tree)
    if not signals:
        return Decision(False, "auto: no script writes or reveals content")
    learned = memory.learned(url_pattern(url))
    if learned is False:
        return Decision(False, f"auto: renders of {url_pattern(url)} showed nothing more")
    return Decision(True, "auto: " + "; ".join(signals))
