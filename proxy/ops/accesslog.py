"""Structured access log: one line per request, text or JSON lines, with a request id.

The middleware opens a `RequestRecord` for every request and publishes it in a context variable,
so code far from the handler (the origin trace in metrics.py, the pipeline's timing callback, the
cache) can add what it saw without new parameters; `asyncio.to_thread` copies the context, so a
rewrite offloaded to a thread reports into the same record.

Privacy: never a cookie, a header value other than the User-Agent, a request body or a query
string (GET forms such as the site search carry what visitors typed). Only the path is logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from multidict import CIMultiDictProxy

from proxy.keys import SETTINGS

REQUEST_ID_HEADER = "X-Request-Id"
#: an id from a load balancer in front of us is kept if it looks like one (no log injection)
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
CLIENT_CLOSED = 499  #: nginx's status for a request the visitor abandoned
access_log = logging.getLogger("proxy.access")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  #: one line per request


@dataclass
class RequestRecord:
    """What one request did, filled in by whoever sees it."""

    request_id: str
    started: float
    origin_status: int | None = None
    origin_ms: float | None = None  #: until the origin's response headers arrived
    origin_error: str | None = None
    origin_headers: CIMultiDictProxy[str] | None = None  #: the first origin answer's headers
    rewrite_ms: float = 0.0  #: transforms (pipeline.run), summed
    cache: str | None = None  #: hit, miss, revalidated, bypass


CURRENT: ContextVar[RequestRecord | None] = ContextVar("bfp_request_record", default=None)
RECORD = web.RequestKey("bfp_request_record", RequestRecord)


def current() -> RequestRecord | None:
    return CURRENT.get()


def request_id_for(request: web.Request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    # 128 random bits as 32 hex digits, like uuid4().hex without building a UUID object
    return offered if _ACCEPTED_ID.match(offered) else os.urandom(16).hex()


@web.middleware
async def access_log_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    record = RequestRecord(request_id_for(request), time.perf_counter())
    request[RECORD] = record
    token = CURRENT.set(record)
    status, response = 500, None
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = CLIENT_CLOSED
        raise
    finally:
        CURRENT.reset(token)
        if access_log.isEnabledFor(logging.INFO):
            emit(format_line(request, record, status, response))


def emit(line: str) -> None:
    """`access_log.info(line)` without `findCaller`'s walk up the stack (a cost on every request,
    cache hits included, for a source location no access line shows)."""
    access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, line,
                                            None, None))


async def add_request_id(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every answer, streamed or not, names its request id."""
    record = request.get(RECORD)
    if record is not None:
        response.headers[REQUEST_ID_HEADER] = record.request_id


def sent_bytes(response: web.StreamResponse | None) -> int | None:
    """Body bytes: the declared length (a web.Response's body is final before it is sent); for a
    chunked stream, what was written (aiohttp counts its headers in too)."""
    if response is None:
        return None
    if response.content_length is not None:
        return response.content_length
    return response.body_length or None


def fields(request: web.Request, record: RequestRecord, status: int,
           response: web.StreamResponse | None) -> dict:
    ms = (time.perf_counter() - record.started) * 1000
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": record.request_id,
        "remote": request.remote,
        "method": request.method,
        "host": request.host,
        "path": request.path,  # never the query string: it carries what visitors typed
        "status": status,
        "origin_status": record.origin_status,
        "origin_error": record.origin_error,
        "bytes_out": sent_bytes(response),
        "duration_ms": round(ms, 2),
        "origin_ms": None if record.origin_ms is None else round(record.origin_ms, 2),
        "rewrite_ms": round(record.rewrite_ms, 2) if record.rewrite_ms else None,
        "cache": record.cache,
        "user_agent": request.headers.get("User-Agent"),
    }


def format_line(request: web.Request, record: RequestRecord, status: int,
                response: web.StreamResponse | None) -> str:
    data = fields(request, record, status, response)
    if request.app[SETTINGS].log_format == "json":
        return _JSON.encode(data)
    shown = {k: v for k, v in data.items() if v is not None and k not in ("time", "user_agent")}
    return " ".join(f"{k}={_quoted(v)}" for k, v in shown.items())


def _quoted(value: object) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or " " in text or '"' in text \
        else text


def configure(log_format: str) -> None:
    """In a serving process: access lines go to stdout on their own (a JSON line is exactly the
    message), other logs stay on stderr. Idempotent."""
    if getattr(access_log, "_bfp_configured", False):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "%(message)s" if log_format == "json" else "%(asctime)s access %(message)s"))
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    access_log._bfp_configured = True  # type: ignore[attr-defined]


def install(app: web.Application) -> None:
    app.middlewares.append(access_log_middleware)
    app.on_response_prepare.append(add_request_id)
