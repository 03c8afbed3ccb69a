"""HTTP caching rules (RFC 9111) for rewritten pages, as pure functions: may we store an origin
answer, for how long is it fresh, and what Cache-Control do our own answers carry.

We are a shared cache: `private` and `no-store` answers are never stored, nor answers that set a
cookie (one visitor's session must not reach another) or that vary on something we do not key on.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

#: RFC 9111 §4.2.2: a fraction of the time since Last-Modified may serve as freshness...
HEURISTIC_FRACTION = 0.1
#: ...capped low: government news pages change without notice, and we revalidate cheaply
HEURISTIC_MAX_SECONDS = 300.0
#: Vary values we honour: the key already holds the coding and our preferences cookie, and we
#: only store answers to requests that carried no other cookie
KEYED_VARY = frozenset({"accept-encoding", "cookie"})


def directives(value: str | None) -> dict[str, str | None]:
    """'public, max-age=60, no-cache="Set-Cookie"' -> {'public': None, 'max-age': '60', ...}"""
    out: dict[str, str | None] = {}
    for part in (value or "").split(","):
        name, sep, arg = part.strip().partition("=")
        if name:
            out[name.strip().lower()] = arg.strip().strip('"') if sep else None
    return out


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def http_date(value: str | None) -> float | None:
    """An HTTP date as epoch seconds; invalid dates (`Expires: 0`) are None."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@dataclass(frozen=True)
class Freshness:
    storable: bool
    lifetime: float = 0.0  #: seconds fresh from now (0: revalidate before every use)
    explicit: bool = False  #: the origin said so (max-age/Expires), not a heuristic or default


NOT_STORABLE = Freshness(False)


def freshness(headers: Mapping[str, str], *, default_ttl: float = 0.0,
              now: float | None = None) -> Freshness:
    """How long a 200 answer with `headers` (the origin's) may be served from our cache."""
    now = time.time() if now is None else now
    cc = directives(headers.get("Cache-Control"))
    if "no-store" in cc or "private" in cc or "Set-Cookie" in headers:
        return NOT_STORABLE
    vary = {v.strip().lower() for v in headers.get("Vary", "").split(",") if v.strip()}
    if not vary <= KEYED_VARY:
        return NOT_STORABLE
    has_validator = "ETag" in headers or "Last-Modified" in headers
    age = _seconds(headers.get("Age")) or 0.0
    date = http_date(headers.get("Date")) or now
    explicit = _seconds(cc.get("s-maxage")) if "s-maxage" in cc else _seconds(cc.get("max-age"))
    if explicit is None and "Expires" in headers:
        expires = http_date(headers.get("Expires"))
        explicit = max(0.0, expires - date) if expires is not None else 0.0
    if "no-cache" in cc:  # store, but check with the origin before every use
        return Freshness(has_validator, 0.0, True)
    if explicit is not None:
        lifetime = max(0.0, explicit - age)
        return Freshness(lifetime > 0 or has_validator, lifetime, True)
    modified = http_date(headers.get("Last-Modified"))
    if modified is not None:
        lifetime = min(HEURISTIC_MAX_SECONDS, max(0.0, date - modified) * HEURISTIC_FRACTION)
        return Freshness(True, max(0.0, lifetime - age))
    if default_ttl > 0:
        return Freshness(True, default_ttl)
    return Freshness(has_validator, 0.0)


def request_bypasses(headers: Mapping[str, str], cookies: Mapping[str, str],
                     own_cookie: str) -> bool:
    """A request we must not answer from (or store for) the shared cache: credentials, or a
    cookie of the origin's (its answer may be personal)."""
    if "Authorization" in headers:
        return True
    return any(name != own_cookie for name in cookies)


def wants_fresh(headers: Mapping[str, str]) -> bool:
    """The visitor asked for an answer not from a cache (a forced reload)."""
    cc = directives(headers.get("Cache-Control"))
    return "no-cache" in cc or "no-store" in cc or "no-cache" in headers.get("Pragma", "")


def our_cache_control(origin_cache_control: str | None, remaining: float | None) -> str:
    """Cache-Control for a rewritten page we answer. `remaining` is the freshness left when the
    page is in our cache (None: not storable). Caches in front of us (nginx, a CDN) get the same
    limits we keep; `Vary: Cookie, Accept-Encoding` (set by the handler) keeps preferences apart."""
    if _not_shared(origin_cache_control):
        return origin_cache_control or "no-store"
    if remaining is None:
        return origin_cache_control or "no-cache"
    if remaining <= 0:
        return "no-cache"
    return f"max-age={int(remaining)}"


@functools.lru_cache(maxsize=256)  # a few origin values, asked on every cache hit
def _not_shared(origin_cache_control: str | None) -> bool:
    cc = directives(origin_cache_control)
    return "no-store" in cc or "private" in cc
