"""The cache of rewritten pages, keyed by URL + the view (the one preference that changes the
content), holding the origin's validators for conditional revalidation.

It keeps one template per page for every other preference set (proxy/visitor/splice.py): a hit
splices the visitor's preferences in and compresses for the visitor's Accept-Encoding, and the
last few finished answers are remembered, so a repeated preference set costs a lookup.

It sits around the forward handler as a middleware, so the handler only needs two hooks:
- `add_validators(headers)` before the origin request: when a stale entry can be revalidated,
  the origin gets our If-None-Match/If-Modified-Since (never the visitor's own, which belong to
  our rewritten representation);
- `revalidated(request, response)` right after the origin answers: on 304 the stored page is
  refreshed and served without fetching or rewriting it again.
A fresh hit never reaches the handler; a rewritten 200 answer is stored on the way out. Only
GET requests without credentials or origin cookies use it (policy in cachepolicy.py).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextvars import ContextVar

from aiohttp import ClientResponse, web
from multidict import CIMultiDict

from proxy.cache.policy import freshness, our_cache_control, request_bypasses, wants_fresh
from proxy.cache.store import Entry, MemoryStore, RedisStore
from proxy.http.bodies import compress
from proxy.http.headers import choose_coding, media_type
from proxy.keys import RULES, SETTINGS
from proxy.ops.accesslog import Handler, RequestRecord, current
from proxy.ops.metrics import count_cache
from proxy.siterules.store import RuleStore
from proxy.visitor.prefs import COOKIE_NAME, Preferences, of_request
from proxy.visitor.splice import Template, content_prefs, splice

CACHE_STATE_HEADER = "X-Cache"  #: HIT / REVALIDATED / MISS, for operators and tests
#: the stored entry's splice offsets and toolbar facts, kept with its headers, never sent
TEMPLATE_HEADER = "X-A11y-Template"
#: finished answers (spliced and compressed) kept per (entry, preferences, coding), per worker
FINISHED_MAX_TOTAL = 16 * 1024 * 1024  #: bytes of them kept at most (bounded memory)
FINISHED_MAX_BYTES = 1024 * 1024  #: a larger answer is spliced anew each time
#: headers of our answer that belong to one transmission, not to the stored page
NOT_STORED = frozenset({"date", "content-length", "x-request-id", "cache-control", "etag",
                        "set-cookie", "content-encoding", CACHE_STATE_HEADER.lower()})
NOT_PAGES_REMEMBERED = 10_000  #: URLs known to answer with something other than a page
KEY_PARTS_REMEMBERED = 1024  #: distinct cookie / Accept-Encoding values whose key part is kept
KEY_PART_MAX_CHARS = 256  #: longer values are not remembered (bounded memory against junk)
CONDITIONALS = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since",
                "If-Range")
#: a stale entry waiting for the origin's 304: (key, entry)
_REVALIDATING: ContextVar[tuple[str, Entry] | None] = ContextVar("bfp_revalidating",
                                                                 default=None)
#: where the handler leaves (its response, the page's template) for the middleware to store: a
#: list shared by reference, as the handler may run in a task of its own (a copied context)
_TEMPLATES: ContextVar[list[tuple[web.StreamResponse, Template]] | None] = ContextVar(
    "bfp_templates", default=None)


def keep_template(response: web.StreamResponse, template: Template) -> None:
    """Handler hook: `response` is `template` spliced for this visitor; store the template."""
    slot = _TEMPLATES.get()
    if slot is not None:
        slot.append((response, template))


class PageCache:
    """Memory first, then the shared Redis level (if configured); writes go to both."""

    def __init__(self, memory: MemoryStore, shared: RedisStore | None = None,
                 default_ttl: float = 0.0) -> None:
        self.memory = memory
        self.shared = shared
        self.default_ttl = default_ttl
        #: keys whose answer was not a rewritten page (images, downloads): no lookup next time,
        #: so a Redis level costs no round trip per image
        self.not_pages: OrderedDict[str, None] = OrderedDict()

    def is_known_non_page(self, key: str) -> bool:
        return key in self.not_pages

    def note_non_page(self, key: str) -> None:
        self.not_pages[key] = None
        if len(self.not_pages) > NOT_PAGES_REMEMBERED:
            self.not_pages.popitem(last=False)

    async def get(self, key: str) -> Entry | None:
        entry = self.memory.get(key)
        if entry is None and self.shared is not None:
            entry = await self.shared.get(key)
            if entry is not None:
                self.memory.put(key, entry)
        return entry

    async def put(self, key: str, entry: Entry) -> None:
        self.memory.put(key, entry)
        if self.shared is not None:
            await self.shared.put(key, entry)


PAGE_CACHE = web.AppKey("page_cache", PageCache)


def cache_key(request: web.Request) -> str:
    # the other preferences are spliced into the same page
    content = repr(content_prefs(of_request(request)))
    rules = rules_fingerprint(request.app[RULES])  # a rule edit must not serve old pages
    raw = "\0".join((request.host.lower(), request.raw_path, content, rules))
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


#: RuleStore -> (generation, fingerprint): the digest of the rule files only changes with a
#: new generation, and hashing every file's digest again costs a hit more than the lookup
_FINGERPRINTS: weakref.WeakKeyDictionary[RuleStore, tuple[int, str]] = \
    weakref.WeakKeyDictionary()


def rules_fingerprint(store: RuleStore) -> str:
    generation = store.generation  # read first: a reload swaps the files, then counts up
    known = _FINGERPRINTS.get(store)
    if known is not None and known[0] == generation:
        return known[1]
    fingerprint = store.fingerprint
    _FINGERPRINTS[store] = (generation, fingerprint)
    return fingerprint


def coding_for(accept_encoding: str) -> str | None:
    """choose_coding, remembered per (short) Accept-Encoding value: browsers send one of a few."""
    if len(accept_encoding) > KEY_PART_MAX_CHARS:
        return choose_coding(accept_encoding)
    return _remembered_coding(accept_encoding)


_remembered_coding = functools.lru_cache(maxsize=KEY_PARTS_REMEMBERED)(choose_coding)


def variant_etag(entry_etag: str, prefs: Preferences) -> str:
    """The ETag of one preference set's answer: the stored page's, plus the preferences."""
    digest = hashlib.blake2b(repr(prefs).encode(), digest_size=6).hexdigest()
    return f'{entry_etag[:-1]}-{digest}"'


#: (entry ETag, preferences, coding) -> finished body, most recent last; and their bytes
_FINISHED: OrderedDict[tuple[str, Preferences, str | None], bytes] = OrderedDict()
_finished_bytes = 0


async def finished_body(request: web.Request, entry: Entry, template: Template,
                        prefs: Preferences, coding: str | None) -> bytes:
    """The stored template spliced for `prefs` and compressed for `coding` (remembered; a big
    page is compressed in a thread, as a rewrite's answer is, so small requests keep flowing)."""
    global _finished_bytes
    key = (entry.etag, prefs, coding)
    body = _FINISHED.get(key)
    if body is not None:
        _FINISHED.move_to_end(key)
        return body
    if len(entry.body) > request.app[SETTINGS].limits.offload_bytes:
        body = await asyncio.to_thread(_finish, template, prefs, coding)
    else:
        body = _finish(template, prefs, coding)
    if len(body) <= FINISHED_MAX_BYTES:  # the LRU is only touched here, on the event loop
        _finished_bytes += len(body) - len(_FINISHED.pop(key, b""))
        _FINISHED[key] = body
        while _finished_bytes > FINISHED_MAX_TOTAL:
            _finished_bytes -= len(_FINISHED.popitem(last=False)[1])
    return body


def _finish(template: Template, prefs: Preferences, coding: str | None) -> bytes:
    return compress(splice(template, prefs), coding)


async def answer(request: web.Request, entry: Entry, state: str) -> web.Response:
    headers = CIMultiDict(entry.headers)
    meta = headers.popone(TEMPLATE_HEADER, None)
    prefs = of_request(request)
    etag = variant_etag(entry.etag, prefs)
    headers["Cache-Control"] = our_cache_control(entry.origin_cache_control, entry.remaining())
    headers["ETag"] = etag
    headers[CACHE_STATE_HEADER] = state
    if etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    coding = coding_for(request.headers.get("Accept-Encoding", ""))
    template = Template(entry.body) if meta is None else Template.from_meta(entry.body, meta)
    body = await finished_body(request, entry, template, prefs, coding)
    if coding:
        headers["Content-Encoding"] = coding
    return web.Response(status=entry.status, body=body, headers=headers)


@web.middleware
async def cache_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    cache = request.app.get(PAGE_CACHE)
    if cache is None or request.method != "GET" \
            or request.path.startswith(request.app[SETTINGS].prefix) \
            or request_bypasses(request.headers, request.cookies, COOKIE_NAME):
        return await handler(request)
    record = current() or RequestRecord("", 0.0)
    key = cache_key(request)
    if cache.is_known_non_page(key):
        return await handler(request)
    entry = None if wants_fresh(request.headers) else await cache.get(key)
    if entry is not None and entry.remaining() > 0:
        record.cache = "hit"
        count_cache("hit")
        return await answer(request, entry, "HIT")
    token = _REVALIDATING.set((key, entry) if entry is not None and entry.can_revalidate
                              else None)
    templates: list[tuple[web.StreamResponse, Template]] = []
    kept = _TEMPLATES.set(templates)
    try:
        response = await handler(request)
    finally:
        _REVALIDATING.reset(token)
        _TEMPLATES.reset(kept)
    template = next((t for r, t in templates if r is response), None)
    if record.cache != "revalidated" and template is not None \
            and _is_rewritten_page(response, record):
        record.cache = "miss"
        count_cache("miss")
        await _store(request, cache, key, response, template, record)
    elif media_type(response.headers.get("Content-Type")) not in ("text/html", ""):
        cache.note_non_page(key)
    return response


def _is_rewritten_page(response: web.StreamResponse, record: RequestRecord) -> bool:
    return (type(response) is web.Response and not response.prepared and response.status == 200
            and record.origin_status == 200 and record.origin_headers is not None
            and media_type(response.headers.get("Content-Type")) == "text/html")


async def _store(request: web.Request, cache: PageCache, key: str, response: web.Response,
                 template: Template, record: RequestRecord) -> None:
    origin = record.origin_headers
    assert origin is not None
    fresh = freshness(origin, default_ttl=cache.default_ttl)
    origin_cc = origin.get("Cache-Control")
    if not fresh.storable:
        response.headers["Cache-Control"] = our_cache_control(origin_cc, None)
        return
    body = template.body
    entry = Entry(
        status=response.status,
        headers=[(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED]
        + [(TEMPLATE_HEADER, template.meta())],
        body=body, fresh_until=0.0,
        # the template's facts count: the toolbar's links are made from them
        etag='W/"' + hashlib.blake2b(body + template.meta().encode(),
                                     digest_size=12).hexdigest() + '"',
        origin_etag=origin.get("ETag"), origin_last_modified=origin.get("Last-Modified"),
        origin_cache_control=origin_cc)
    entry.fresh_until = entry.stored_at + fresh.lifetime
    response.headers["Cache-Control"] = our_cache_control(origin_cc, fresh.lifetime)
    response.headers["ETag"] = variant_etag(entry.etag, of_request(request))
    response.headers[CACHE_STATE_HEADER] = "MISS"
    await cache.put(key, entry)


def add_validators(headers: CIMultiDict[str]) -> None:
    """Handler hook, before the origin request: ask the origin whether our copy is still good."""
    pending = _REVALIDATING.get()
    if pending is None:
        return
    _, entry = pending
    for name in CONDITIONALS:
        headers.popall(name, None)
    if entry.origin_etag:
        headers["If-None-Match"] = entry.origin_etag
    if entry.origin_last_modified:
        headers["If-Modified-Since"] = entry.origin_last_modified


async def revalidated(request: web.Request, response: ClientResponse) -> web.Response | None:
    """Handler hook, on the origin's answer: a 304 to our conditional request serves the stored
    page (refreshed); anything else goes on as usual (and replaces the entry)."""
    pending = _REVALIDATING.get()
    cache = request.app.get(PAGE_CACHE)
    if pending is None or response.status != 304 or cache is None:
        return None
    key, entry = pending
    merged = CIMultiDict(response.headers)
    for name, value in (("Cache-Control", entry.origin_cache_control),
                        ("ETag", entry.origin_etag), ("Last-Modified", entry.origin_last_modified)):
        if value and name not in merged:
            merged[name] = value
    fresh = freshness(merged, default_ttl=cache.default_ttl)
    entry.origin_etag, entry.origin_last_modified = merged.get("ETag"), merged.get("Last-Modified")
    entry.origin_cache_control = merged.get("Cache-Control")
    entry.stored_at = time.time()
    entry.fresh_until = entry.stored_at + fresh.lifetime
    if fresh.storable:
        await cache.put(key, entry)
    else:
        cache.memory.discard(key)
    record = current()
    if record is not None:
        record.cache = "revalidated"
    count_cache("revalidated")
    return await answer(request, entry, "REVALIDATED")


async def _page_cache(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS].cache
    shared = RedisStore(settings.redis_url) if settings.redis_url else None
    if settings.enabled:
        app[PAGE_CACHE] = PageCache(MemoryStore(settings.max_bytes), shared, settings.default_ttl)
    yield
    if shared is not None:
        await shared.close()


def install(app: web.Application) -> None:
    app.middlewares.append(cache_middleware)
    app.cleanup_ctx.append(_page_cache)
