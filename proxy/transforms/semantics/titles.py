"""Names for links that have none, from where they lead: the titles of the same-origin pages
they point to (fetched before the walk, remembered per origin URL) or their URL's last words."""

from __future__ import annotations

import asyncio
import functools
import html
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from proxy.encoding.detect import decode_html
from proxy.page import Page

#: same-origin pages fetched per page for their titles (bounded: each is an origin request)
MAX_TITLE_FETCHES = 6
#: a name made of a URL is cut at a path segment to at most this many characters
MAX_URL_NAME = 60
#: last path segments that say nothing about where a link goes
EMPTY_SEGMENTS = frozenset({"index", "default", "home", "main"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TITLES: dict[int, dict[str, str]] = {}  #: id(page) -> origin URL -> page title (gather->finish)
#: target titles remembered per origin URL: each is an origin round trip and a decode, and a
#: site's front page links the same few pages on every view
TITLE_CACHE_SIZE = 512
TITLE_TTL = 300.0  #: seconds a remembered title (or its absence) is used
_MISSING = object()


class TitleCache:
    """A small LRU of `origin URL -> title or None` whose entries expire after `ttl` seconds.
    Used on the event loop only (gather), so it needs no lock."""

    def __init__(self, size: int = TITLE_CACHE_SIZE, ttl: float = TITLE_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self._entries: OrderedDict[str, tuple[float, str | None]] = OrderedDict()

    def get(self, url: str) -> Any:
        """The title (None: the page has none), or _MISSING when unknown or expired."""
        entry = self._entries.get(url)
        if entry is None or entry[0] < self.clock():
            self._entries.pop(url, None)
            return _MISSING
        self._entries.move_to_end(url)
        return entry[1]

    def put(self, url: str, title: str | None) -> None:
        self._entries[url] = (self.clock() + self.ttl, title)
        self._entries.move_to_end(url)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


async def gather_titles(page: Page, fetch: Any, cache: TitleCache | None = None) -> None:
    """Titles of the first MAX_TITLE_FETCHES same-origin pages that unnamed links point to:
    remembered ones from `cache`, the others fetched concurrently."""
    titles: dict[str, str] = {}
    wanted = []
    body = page.tree.find("body")
    if body is None:
        needs = []
    elif next(body.iter("area", "iframe"), None) is None:
        needs = LINKS_NEEDING_TITLE(body)
    else:
        needs = NEEDS_TARGET_TITLE(body)
    for el in needs:
        url = _same_origin(page, el.get("href") or el.get("src"))
        if url and url not in wanted:
            wanted.append(url)
    todo = []
    for url in wanted[:MAX_TITLE_FETCHES]:
        known = cache.get(url) if cache is not None else _MISSING
        if known is _MISSING:
            todo.append(url)
        elif known:
            titles[url] = known
    found = await asyncio.gather(*(_title_of(page, fetch, url) for url in todo),
                                 return_exceptions=True)
    for url, title in zip(todo, found, strict=True):
        if isinstance(title, BaseException):
            continue  # not remembered: the next view tries again
        if cache is not None:
            cache.put(url, title)
        if title:
            titles[url] = title
    if titles:
        _TITLES[id(page)] = titles


def _same_origin(page: Page, href: str | None) -> str | None:
    if not href or href.strip().lower().startswith(("javascript:", "mailto:", "#", "tel:")):
        return None
    return _same_origin_url(page.url, href.strip())


@functools.lru_cache(maxsize=4096)
def _same_origin_url(page_url: str, href: str) -> str | None:
    """`href` resolved against the page, without its fragment, if it stays on the page's host.
    A pure function of two strings, so remembering it is safe; urljoin and two urlsplits are
    pure-Python string work, and a site's pages link the same addresses on every view."""
    url = urljoin(page_url, href)
    return url.split("#")[0] if urlsplit(url).netloc == urlsplit(page_url).netloc else None


def target_title(page: Page, href: str | None) -> str | None:
    titles = _TITLES.get(id(page))
    if not titles:
        return None  # no target's title was gathered: skip resolving the URL (most pages)
    url = _same_origin(page, href)
    return titles.get(url) if url else None


@functools.lru_cache(maxsize=4096)
def url_name(page_url: str, href: str | None) -> str | None:
    """Where a link goes, readably: another site's host (and path), or this site's path.
    A pure function of two strings, so remembering it is safe: urljoin and two urlsplits are
    pure-Python string work per image link, and a site's pages repeat the same links on every
    view."""
    href = (href or "").strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme in ("mailto", "tel"):
        # the address or number the link writes to or dials is where it goes
        address = unquote(href.split(":", 1)[1].split("?", 1)[0]).strip()
        return address[:MAX_URL_NAME] or None
    if not href or href.startswith("#") or scheme in ("javascript", "data"):
        return None
    target, here = urlsplit(urljoin(page_url, href)), urlsplit(page_url)
    if target.scheme not in ("http", "https") or not target.hostname:
        return None
    segments = [unquote(s) for s in target.path.split("/") if s.strip()]
    if segments:
        stem = segments[-1].rsplit(".", 1)[0] if "." in segments[-1] else segments[-1]
        if stem.lower() in EMPTY_SEGMENTS or not stem:
            segments.pop()
        else:
            segments[-1] = stem
    host = target.hostname.removeprefix("www.")
    if target.hostname != here.hostname:
        segments.insert(0, host)
    elif not segments:
        segments = [host]
    name = segments[0]
    for segment in segments[1:]:
        if len(name) + 1 + len(segment) > MAX_URL_NAME:
            break
        name += "/" + segment
    return name[:MAX_URL_NAME]


async def _title_of(page: Page, fetch: Any, url: str) -> str | None:
    parts = urlsplit(url)
    got = await fetch(parts.path + (f"?{parts.query}" if parts.query else ""))
    if got is None or "html" not in (got[1] or "text/html"):
        return None
    m = _TITLE.search(decode_html(got[0], got[1], page.rules.encoding).text)
    if m is None:
        return None
    return " ".join(html.unescape(m.group(1)).split()) or None


#: (from <body>) what is named from the title of the page it points to. `descendant::x` is
#: `//body//x` without libxml2's set of every node below the body (and not one
#: `descendant::*[self::a[..] or ..]` pass, which evaluates a predicate per element)
_LINKS_NEEDING_TITLE = ("descendant::a[@href][not(normalize-space(string(.)))]"
                        "[not(normalize-space(@title))][not(.//img[@alt or @title])]")


NEEDS_TARGET_TITLE = etree.XPath(f"{_LINKS_NEEDING_TITLE} | descendant::area[@href][not(@alt)]"
                                 "[not(@title)] | descendant::iframe[@src][not(@title)]")


#: NEEDS_TARGET_TITLE on a body without <area> or <iframe> (most: lxml's iter by tag tells)
LINKS_NEEDING_TITLE = etree.XPath(_LINKS_NEEDING_TITLE)


def forget_titles(page: Page) -> None:
    """Drop what `gather_titles` found for this page (called when its links are named)."""
    _TITLES.pop(id(page), None)
