"""Our routes under the prefix: set preferences, settings, help, and our static files.

`/_a11y/set?<key>=<value>&next=/path` stores the preferences (keys: proxy/visitor/prefs.py) in our
first-party cookie and answers 303 to `next`. `next` is only ever a path on this proxy: anything
else (another host, a scheme, `//`, a backslash, control characters) becomes `/`, so the link
cannot be used as an open redirect.

A middleware answers the site's vendor-toolbar pages (paths in the site rules'
`toolbar.url_patterns`, e.g. the `/statics/wza/index.html` frame set) with our settings page, so
no vendor frame set is ever served.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import quote, unquote, urlsplit

from aiohttp import web

from proxy.http.headers import CSP
from proxy.keys import PIPELINE, ROUTER, RULES, SETTINGS
from proxy.siterules.model import DEFAULT_RULES
from proxy.transforms import default_transforms
from proxy.visitor.listen import add_listen_routes
from proxy.visitor.pages import help_page, settings_page
from proxy.visitor.prefs import COOKIE_MAX_AGE, COOKIE_NAME, Preferences, of_request
from proxy.visitor.statement import gather_facts, statement_page

#: our static files: name -> content type (a fixed list: no path from the request reaches disk)
STATIC_FILES = {"toolbar.css": "text/css", "cursor.svg": "image/svg+xml",
                "pointer.svg": "image/svg+xml"}
STATIC_MAX_AGE = 86400  #: a day; the files change only with a release
#: characters `quote` may leave as they are in a Location path (already-encoded % stays)
LOCATION_SAFE = "/?&=%#:;@+$,!~*'()[]"
PAGE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-cache", "Vary": "Cookie"}


def safe_next(raw: str | None) -> str:
    """`raw` when it is a path on this proxy, else "/"."""
    if not raw or not raw.startswith("/") or raw.startswith("//"):
        return "/"
    decoded = unquote(raw)
    for text in (raw, decoded):
        if "\\" in text or text.startswith("//") or any(ord(c) < 0x21 or c == "\x7f"
                                                         for c in text):
            return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return "/"
    return quote(raw, safe=LOCATION_SAFE)


def _prefs(request: web.Request) -> Preferences:
    return of_request(request)


async def set_preferences(request: web.Request) -> web.Response:
    prefs = Preferences.from_query(request.query, base=_prefs(request))
    response = web.Response(status=303, headers={
        "Location": safe_next(request.query.get("next")), "Cache-Control": "no-store"})
    if prefs.is_default:
        response.del_cookie(COOKIE_NAME, path="/")
    else:
        response.set_cookie(COOKIE_NAME, prefs.to_cookie(), max_age=COOKIE_MAX_AGE, path="/",
                            samesite="Lax", httponly=True, secure=request.secure)
    return response


def _html(text: str) -> web.Response:
    return web.Response(text=text, content_type="text/html", charset="utf-8",
                        headers=PAGE_HEADERS)


async def settings(request: web.Request) -> web.Response:
    prefix = request.app[SETTINGS].prefix
    base = f"{request.scheme}://{request.host}"
    return _html(settings_page(_prefs(request), prefix, safe_next(request.query.get("next")),
                               base))


async def help_(request: web.Request) -> web.Response:
    prefix = request.app[SETTINGS].prefix
    return _html(help_page(_prefs(request), prefix, safe_next(request.query.get("next"))))


async def statement(request: web.Request) -> web.Response:
    """The accessibility statement of the site this host serves (proxy/visitor/statement.py)."""
    app, settings = request.app, request.app[SETTINGS]
    origin = app[ROUTER].origin_for(request.host) if ROUTER in app else None
    rules = app[RULES].for_host(origin.host) if origin and RULES in app else DEFAULT_RULES
    steps = app[PIPELINE].transforms if PIPELINE in app else default_transforms()
    facts = gather_facts(settings.statement, origin, rules, settings.rules_dir, steps)
    return _html(statement_page(facts, _prefs(request), settings.prefix,
                                safe_next(request.query.get("next"))))


@cache
def _static_bytes(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


async def static(request: web.Request) -> web.Response:
    name = request.match_info.get("name", "toolbar.css")
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.Response(body=_static_bytes(name), content_type=STATIC_FILES[name], headers={
        "Cache-Control": f"public, max-age={STATIC_MAX_AGE}", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP})


def is_vendor_toolbar_path(path: str, url_patterns: tuple[str, ...]) -> bool:
    """Only patterns that are paths (start with '/') are matched against our paths."""
    return any(p.startswith("/") and p in path for p in url_patterns)


@web.middleware
async def vendor_toolbar_pages(request: web.Request, handler):
    """The site's toolbar pages answer with our settings page (never a vendor frame set)."""
    app = request.app
    if request.method in ("GET", "HEAD") and not request.path.startswith(app[SETTINGS].prefix) \
            and ROUTER in app and RULES in app:
        origin = app[ROUTER].origin_for(request.host)
        if origin is not None and is_vendor_toolbar_path(
                request.path, app[RULES].for_host(origin.host).toolbar.url_patterns):
            return await settings(request)
    return await handler(request)


def add_routes(app: web.Application) -> None:
    """Register our routes (call before the prefix catch-all) and the vendor-page middleware."""
    prefix = app[SETTINGS].prefix
    app.router.add_get(prefix + "set", set_preferences)
    app.router.add_get(prefix + "settings", settings)
    app.router.add_get(prefix + "help", help_)
    app.router.add_get(prefix + "statement", statement)
    app.router.add_get(prefix + "toolbar.css", static)
    app.router.add_get(prefix + "static/{name}", static)
    add_listen_routes(app)  # 朗读: /_a11y/listen, /_a11y/speak
    app.middlewares.append(vendor_toolbar_pages)
