"""Pure header helpers for forwarding, following Home Assistant's ingress proxy.

Every filter is a named constant with its reason; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from multidict import CIMultiDict, CIMultiDictProxy

from proxy.routing import UrlMapper, rewrite_refresh

#: RFC 9110 §7.6.1 hop-by-hop headers: they describe one connection, never forwarded
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})
#: request headers we set ourselves (Host is the origin's; X-Forwarded-* are ours to write,
#: never a client's word: a client could otherwise spoof its address to the origin)
REQUEST_REPLACED = frozenset({"host", "x-forwarded-for", "x-forwarded-proto",
                              "x-forwarded-host", "forwarded", "content-length"})
#: codings we can decode when an HTML body must be rewritten
DECODABLE_CODINGS = ("gzip", "deflate", "br")
#: response headers that describe the origin's bytes, wrong once we rewrite the body
REWRITTEN_BODY_DROPPED = frozenset({
    "content-length", "content-encoding", "content-md5", "digest", "etag", "last-modified",
    "content-range", "accept-ranges", "content-security-policy",
    "content-security-policy-report-only", "x-xss-protection",
})
#: the second wall behind script removal: no script runs, nothing is embedded, no <base>
CSP = ("default-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; "
       "frame-src 'self'; form-action 'self'; style-src 'self' 'unsafe-inline' data:; "
       "img-src 'self' data: http: https:; font-src 'self' data:; connect-src 'none'; "
       "worker-src 'none'; manifest-src 'none'")
#: types a browser may render as a document; they get the CSP and nosniff too
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                  "application/xml")


def _connection_tokens(headers: CIMultiDictProxy[str] | CIMultiDict[str]) -> set[str]:
    tokens = set()
    for value in headers.getall("connection", []):
        tokens.update(t.strip().lower() for t in value.split(","))
    return tokens


def upstream_request_headers(headers: CIMultiDictProxy[str], *, client_ip: str, scheme: str,
                             host: str) -> CIMultiDict[str]:
    """Copy a visitor's headers for the origin: no hop-by-hop, our own X-Forwarded-*."""
    dropped = HOP_BY_HOP | REQUEST_REPLACED | _connection_tokens(headers)
    out = CIMultiDict((k, v) for k, v in headers.items() if k.lower() not in dropped)
    out["X-Forwarded-For"] = client_ip
    out["X-Forwarded-Proto"] = scheme
    out["X-Forwarded-Host"] = host
    codings = [c.strip() for c in headers.get("accept-encoding", "").split(",")]
    usable = [c for c in codings if c.split(";")[0].strip().lower() in DECODABLE_CODINGS]
    out["Accept-Encoding"] = ", ".join(usable) if usable else "identity"
    return out


def response_headers(headers: CIMultiDictProxy[str], mapper: UrlMapper,
                     drop: Iterable[str] = ()) -> CIMultiDict[str]:
    """Copy the origin's answer headers for the visitor: no hop-by-hop, URLs back to the proxy,
    cookies without the origin's Domain."""
    dropped = HOP_BY_HOP | _connection_tokens(headers) | {d.lower() for d in drop}
    out: CIMultiDict[str] = CIMultiDict()
    for key, value in headers.items():
        lower = key.lower()
        if lower in dropped:
            continue
        if lower in ("location", "content-location"):
            value = mapper.to_proxy(value) or value
        elif lower == "refresh":
            value = rewrite_refresh(value, mapper)
        elif lower == "set-cookie":
            value = strip_cookie_domain(value)
        out.add(key, value)
    return out




def strip_cookie_domain(value: str) -> str:
    """Drop `Domain=` so the cookie lands on the proxy's host; keep every other attribute."""
    parts = value.split(";")
    kept = [parts[0]] + [p for p in parts[1:] if p.strip().split("=")[0].strip().lower()
                         != "domain"]
    return ";".join(kept)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def is_html(content_type: str | None) -> bool:
    return media_type(content_type) in ("text/html", "application/xhtml+xml")


def add_document_protection(headers: CIMultiDict[str], content_type: str | None) -> None:
    """CSP + nosniff for anything a browser could render as a document (or sniff into one)."""
    kind = media_type(content_type)
    headers["X-Content-Type-Options"] = "nosniff"
    if not kind or kind in DOCUMENT_TYPES or kind.endswith("+xml") or kind == "text/plain":
        headers["Content-Security-Policy"] = CSP


def choose_coding(accept_encoding: str) -> str | None:
    """The compression for our rewritten answer: br, then gzip, per the visitor's header."""
    offered = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        offered[name.strip().lower()] = q
    for coding in ("br", "gzip"):
        if offered.get(coding, 0) > 0:
            return coding
    return None
