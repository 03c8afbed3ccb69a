"""The markup a script writes for certain, put where the script stood, before scripts go.

A `header.js` that builds a portal's header, menu and search box with `document.writeln("...")`
lines shows nothing once scripts are removed: the visitor would lose the site's name and its
whole navigation. Its top-level literal writes (proxy/transforms/scripts/jswrites.py) are
constant markup, so they are inserted in place of the script; script removal then runs over
them like over the rest of the page (a `<script>` the header writes is dropped, a `javascript:`
link converted). External scripts are fetched from the origin in `gather` (same origin only,
bounded in number, size and time by the fetcher) and decoded with our charset arbitration:
the script's `charset`, its header, its bytes, then the page's charset as a browser would.
"""

from __future__ import annotations

import asyncio
from typing import Any

import lxml.html

from proxy.encoding.detect import decode_text_resource
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.includes import same_origin_path
from proxy.transforms.scripts.jswrites import top_level_writes

MAX_FETCHED = 16  #: external scripts read per page (the rest are left to script removal)
#: a header/footer writer is a page's worth of markup; a script past this size is a library
#: (layui, a player, a vendor toolbar), read char by char for nothing on every rewrite
MAX_SCRIPT_BYTES = 128 * 1024
#: script types a browser runs as classic scripts (others never `document.write`)
CLASSIC = ("", "text/javascript", "application/javascript", "text/ecmascript",
           "application/x-javascript", "javascript", "text/jscript")
#: what the inserted markup is marked with (a page proxied twice is not written twice)
WRITTEN = "data-a11y-written"
#: head-only elements: written markup made of these alone may stay in <head>
HEAD_TAGS = frozenset({"style", "link", "meta", "script", "title", "base", "noscript"})


def _classic(script: Any) -> bool:
    kind = (script.get("type") or "").split(";")[0].strip().lower()
    return kind in CLASSIC and script.get("defer") is None and script.get("async") is None


class ScriptWrites(Transform):
    name = "script_writes"

    async def gather(self, page: Page, fetch: Any) -> None:
        wanted = []
        # the site's own toolbar is never fetched: what it writes is the barrier we replace
        toolbar = page.rules.toolbar.script_patterns + page.rules.toolbar.url_patterns
        for script in page.tree.iter("script"):
            src = script.get("src")
            if src and any(pattern in src for pattern in toolbar):
                continue
            if src and _classic(script) and script.get(WRITTEN) is None:
                path = same_origin_path(src, page.url)
                if path:
                    wanted.append((script, path))
        wanted = wanted[:MAX_FETCHED]
        answers = await asyncio.gather(*(fetch(path) for _, path in wanted))
        sources = page.includes.setdefault(self.name, {})
        for (script, path), answer in zip(wanted, answers, strict=True):
            if answer is None:
                continue
            body, content_type = answer
            if len(body) > MAX_SCRIPT_BYTES:
                continue
            decoded = decode_text_resource(body, content_type, override=script.get("charset"),
                                           referrer=page.encoding)
            sources[script] = (path, decoded.text)

    def prepare(self, page: Page) -> None:
        fetched = page.includes.get(self.name, {})
        for script in list(page.tree.iter("script")):
            if script.get(WRITTEN) is not None or not _classic(script):
                continue
            if script.get("src"):
                if script not in fetched:
                    continue
                where, source = fetched[script]
            else:
                where, source = "inline script", script.text or ""
            if "write" not in source:
                continue
            markup = top_level_writes(source)
            if markup.strip():
                _insert_after(script, markup, page)
                page.notes.append(f"script writes: {where} -> {len(markup)} characters")


def _insert_after(script: Any, markup: str, page: Page) -> None:
    """The written nodes right after `script` (text included), or at the start of <body> when
    body content was written in <head> (where a browser would put it)."""
    script.set(WRITTEN, "1")
    holder = lxml.html.fragment_fromstring(markup, create_parent="div")
    elements = list(holder)
    leading = holder.text or ""
    parent = script.getparent()
    if parent is None:
        return
    if parent.tag == "head" and (leading.strip()
                                 or any(el.tag not in HEAD_TAGS for el in elements)):
        target, index = page.body, 0
        following, page.body.text = page.body.text or "", leading or None
    else:
        target, index = parent, parent.index(script) + 1
        following, script.tail = script.tail or "", leading or None
    for offset, el in enumerate(elements):
        if isinstance(el.tag, str):
            el.set(WRITTEN, "1")
        target.insert(index + offset, el)
    if elements:
        elements[-1].tail = (elements[-1].tail or "") + following or None
    elif target is parent:
        script.tail = (leading + following) or None
    else:
        page.body.text = (leading + following) or None
