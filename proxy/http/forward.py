"""The catch-all forward handler: build the origin request, buffer-or-stream, rewrite HTML.

HTTP status mapping for failures lives here and only here: refused/reset/invalid -> 502,
timeouts -> 504, too large -> 413 (visitor) or a clear 502 notice (origin), unknown site -> 421.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import ClientError, ClientResponse, web
from multidict import CIMultiDict

from proxy.cache import middleware as page_cache
from proxy.http import bodies, forms, upstream
from proxy.http.headers import (
    REWRITTEN_BODY_DROPPED,
    add_document_protection,
    choose_coding,
    is_html,
    media_type,
    response_headers,
    upstream_request_headers,
)
from proxy.http.limits import RequestTooLarge, RequestTooSlow, client_chunks, client_fault
from proxy.http.resources import REWRITTEN_TYPES, ResourceContext, rewrite_resource
from proxy.http.upstream import upstream_url
from proxy.keys import ROUTER, RULES, SESSION, SETTINGS, SITE_CHARSETS
from proxy.rewrite import rewrite_html
from proxy.settings import Origin, Settings
from proxy.visitor.errorpages import error_page
from proxy.visitor.prefs import of_request

log = logging.getLogger(__name__)

NO_BODY_STATUSES = frozenset({204, 304}) | frozenset(range(100, 200))


async def _limited_body(request: web.Request, limit: int) -> AsyncIterator[bytes]:
    """Stream the visitor's body to the origin unchanged, stopping past `limit` bytes or
    after `client_body_timeout` seconds without data (limits.py)."""
    idle = request.app[SETTINGS].limits.client_body_timeout
    async for chunk in client_chunks(request, limit, idle, bodies.READ_CHUNK):
        yield chunk


async def _form_in_origin_charset(request: web.Request, origin: Origin,
                                  headers: CIMultiDict[str],
                                  body: AsyncIterator[bytes]) -> bytes | AsyncIterator[bytes]:
    """A form body converted from UTF-8 to the site's charset (forms.py), with its
    Content-Type and Content-Length; streamed unchanged when the charset is unknown or UTF-8,
    or the body is larger than forms.MAX_FORM_BYTES."""
    codec = await request.app[SITE_CHARSETS].for_site(
        origin.host, request.app[RULES].for_host(origin.host).encoding)
    if codec is None or not forms.needs_conversion(codec):
        return body
    if (request.content_length or 0) > forms.MAX_FORM_BYTES:
        return body
    data, complete = await forms.buffered(body, forms.MAX_FORM_BYTES)
    if not complete:
        return forms.chained(data, body)
    data, headers["Content-Type"] = forms.convert(data, headers["Content-Type"], codec)
    headers["Content-Length"] = str(len(data))
    return data


async def forward(request: web.Request) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    raw_path = request.raw_path
    if request.method == "CONNECT" or not raw_path.startswith("/"):
        return error_page(400)
    origin = request.app[ROUTER].origin_for(request.host)
    if origin is None:
        return error_page(421)
    target = upstream_url(origin, raw_path)
    length = request.content_length
    if length is not None and length > settings.limits.max_request_body:
        return error_page(413, method=request.method)
    headers = upstream_request_headers(
        request.headers, client_ip=request.remote or "", scheme=request.scheme, host=request.host)
    page_cache.add_validators(headers)  # a stale cached page: ask the origin if it changed
    if length is not None and request.body_exists:
        # keep the visitor's framing: old origins reject chunked uploads; the streamed body
        # is still cut at the limit, so a lying length cannot make us buffer more
        headers["Content-Length"] = str(length)
    body = _limited_body(request, settings.limits.max_request_body) if request.body_exists \
        else None
    try:
        if body is not None and forms.is_form(headers.get("Content-Type")) \
                and "Content-Encoding" not in headers:
            body = await _form_in_origin_charset(request, origin, headers, body)
        async with upstream.request(request.app[SESSION], settings, origin, request.method,
                                    target, headers, body) as response:
            if (cached := await page_cache.revalidated(request, response)) is not None:
                return cached  # the origin said 304 to our validators: serve the stored page
            if is_html(response.headers.get("Content-Type")) and request.method != "HEAD" \
                    and response.status not in NO_BODY_STATUSES:
                return await asyncio.wait_for(
                    _respond_html(request, response, origin, settings), settings.timeouts.total)
            if media_type(response.headers.get("Content-Type")) in REWRITTEN_TYPES \
                    and request.method != "HEAD" and response.status == 200:
                return await _respond_text_resource(request, response, origin, settings)
            return await _stream(request, response, origin)
    except RequestTooLarge:
        return error_page(413, method=request.method)
    except RequestTooSlow:
        return error_page(408, method=request.method)
    except TimeoutError:
        log.warning("origin timeout host=%s path=%s", origin.host, request.path)
        return error_page(504, original_url=str(target), method=request.method)
    except bodies.BodyTooLarge as exc:
        log.warning("origin body too large host=%s path=%s: %s", origin.host, request.path, exc)
        return error_page(502, original_url=str(target), method=request.method,
                          detail="页面太大，无法转换 (page too large to convert)")
    except (ClientError, ValueError) as exc:
        if status := client_fault(exc):  # the visitor's upload broke it: 413/408, not 502
            return error_page(status, method=request.method)
        log.warning("origin error host=%s path=%s: %r", origin.host, request.path, exc)
        return error_page(502, original_url=str(target), method=request.method)


async def _stream(request: web.Request, response: ClientResponse,
                  origin: Origin) -> web.StreamResponse:
    """Pass a non-HTML answer through in chunks, constant memory, bytes unchanged."""
    mapper = request.app[ROUTER].mapper(origin, request.host)
    headers = response_headers(response.headers, mapper)
    add_document_protection(headers, response.headers.get("Content-Type"))
    out = web.StreamResponse(status=response.status, reason=response.reason, headers=headers)
    if response.content_length is not None:
        out.content_length = response.content_length
    await out.prepare(request)
    if request.method == "HEAD" or response.status in NO_BODY_STATUSES:
        await out.write_eof()
        return out
    try:
        async for chunk in response.content.iter_chunked(bodies.READ_CHUNK):
            await out.write(chunk)
    except (TimeoutError, ClientError) as exc:
        # Headers are gone already: the honest answer is a cut connection, not a fake end.
        log.warning("origin stream broke host=%s path=%s: %r", origin.host, request.path, exc)
        if request.transport:
            request.transport.close()
        return out
    await out.write_eof()
    return out


async def _respond_html(request: web.Request, response: ClientResponse, origin: Origin,
                        settings: Settings) -> web.Response:
    body = await bodies.read_body(response, settings.limits.max_html_bytes, settings.limits)
    result = await rewrite_html(request, response, origin, body)
    if result is None:  # the security boundary could not be applied: never the origin's markup
        return error_page(502, original_url=str(response.url),
                          detail="页面无法安全转换 (the page could not be made safe)")
    mapper = request.app[ROUTER].mapper(origin, request.host)
    headers = response_headers(response.headers, mapper, drop=REWRITTEN_BODY_DROPPED)
    headers.update(result.headers)
    headers["Content-Type"] = "text/html; charset=utf-8"
    add_document_protection(headers, "text/html")
    headers.add("Vary", "Cookie, Accept-Encoding")
    prefs = of_request(request)
    if not prefs.is_default:
        headers["Cache-Control"] = "private"
    coding_out = choose_coding(request.headers.get("Accept-Encoding", ""))
    payload = result.body(prefs)
    if coding_out:
        payload = await _maybe_offload(bodies.compress, payload, coding_out,
                                       big=len(payload) > settings.limits.offload_bytes)
        headers["Content-Encoding"] = coding_out
    out = web.Response(status=response.status, reason=response.reason, body=payload,
                       headers=headers)
    page_cache.keep_template(out, result.template)  # the cache keeps this, not the payload
    return out


async def _respond_text_resource(request: web.Request, response: ClientResponse,
                                 origin: Origin, settings: Settings) -> web.Response:
    """Stylesheets and plain text: re-served as UTF-8 with origin URLs mapped to the proxy."""
    body = await bodies.read_body(response, settings.limits.max_html_bytes, settings.limits)
    mapper = request.app[ROUTER].mapper(origin, request.host)
    content_type = response.headers.get("Content-Type")
    ctx = ResourceContext(str(response.url), media_type(content_type), mapper,
                          request.app[RULES].for_host(origin.host),
                          of_request(request),
                          referrer_charset=await request.app[SITE_CHARSETS].lookup(origin.host))
    payload = rewrite_resource(body, content_type, ctx)
    headers = response_headers(response.headers, mapper, drop=REWRITTEN_BODY_DROPPED)
    headers.update(ctx.response_headers)
    headers["Content-Type"] = f"{ctx.media_type}; charset=utf-8"
    add_document_protection(headers, ctx.media_type)
    return web.Response(status=response.status, body=payload, headers=headers)


async def _maybe_offload(func, *args, big: bool):
    """Run CPU-heavy work for big pages in a thread so small requests keep flowing."""
    return await asyncio.to_thread(func, *args) if big else func(*args)
