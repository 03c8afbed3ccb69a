"""`/_a11y/metrics`: Prometheus text format, correct across worker processes.

With several workers (proxy/server.py) the server sets PROMETHEUS_MULTIPROC_DIR before the
workers start, so prometheus-client keeps every value in per-process files and a scrape, served
by whichever worker the kernel picks, adds them up (MultiProcessCollector). With one process the
default in-memory registry is used.

What is measured, and where it comes from:
- requests by status and content kind, visitor bytes out: a middleware around every request;
- origin latency (to the response headers), origin answers and errors, origin bytes: an aiohttp
  client TraceConfig on the one ClientSession (so no handler code has to remember it);
- rewrite time per transform: `Pipeline.on_timing`;
- cache hits/misses: proxy/cache/middleware.py calls `count_cache`;
- rule reloads/failures: a small poll of the RuleStore's `generation` and `errors` per worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import os
import time
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

from aiohttp import ClientSession, TraceConfig, TraceRequestEndParams, web
from aiohttp import TraceRequestExceptionParams as ExcParams
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

from proxy.http.headers import media_type
from proxy.keys import PIPELINE, RULES, SETTINGS
from proxy.ops.accesslog import Handler, current, sent_bytes
from proxy.visitor.errorpages import error_page

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
RULE_POLL_SECONDS = 1.0
LATENCY_BUCKETS = (.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60)
TRANSFORM_BUCKETS = (.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1)

REQUESTS = Counter("bfp_requests_total", "Answers to visitors", ["status", "kind"])
REQUEST_SECONDS = Histogram("bfp_request_duration_seconds", "Time until our answer is complete "
                            "(the whole body for streams)", ["kind"], buckets=LATENCY_BUCKETS)
BYTES_OUT = Counter("bfp_response_bytes_total", "Body bytes sent to visitors", ["kind"])
BYTES_IN = Counter("bfp_request_bytes_total", "Body bytes received from visitors (declared)")
ORIGIN_SECONDS = Histogram("bfp_origin_response_seconds", "Origin time to response headers",
                           buckets=LATENCY_BUCKETS)
ORIGIN_RESPONSES = Counter("bfp_origin_responses_total", "Origin answers", ["status_class"])
ORIGIN_ERRORS = Counter("bfp_origin_errors_total", "Origin requests that failed", ["error"])
ORIGIN_BYTES = Counter("bfp_origin_bytes_total", "Body bytes from the origin (declared length)")
TRANSFORM_SECONDS = Histogram("bfp_rewrite_transform_seconds", "Rewrite time per transform",
                              ["transform"], buckets=TRANSFORM_BUCKETS)
CACHE = Counter("bfp_cache_requests_total", "Page cache lookups", ["result"])
RENDERS = Counter("bfp_renders_total", "Pages rendered in the server's browser",
                  ["result"])  #: rendered, failed (static page with a notice), static (decided)
RENDER_SECONDS = Histogram("bfp_render_seconds", "Time to render a page in the server's browser",
                           buckets=LATENCY_BUCKETS)
RULES_GENERATION = Gauge("bfp_rules_generation", "Rule sets applied since start (1 = initial)",
                         multiprocess_mode="max")
RULE_RELOADS = Gauge("bfp_rule_reloads", "Live rule reloads applied since start",
                     multiprocess_mode="max")
RULE_FAILURES = Gauge("bfp_rule_reload_failures", "Rule edits rejected since start (the last "
                      "good rules stayed)", multiprocess_mode="max")
RULE_ERRORS = Gauge("bfp_rule_errors", "Errors in the rule files as they are now",
                    multiprocess_mode="max")



class Children:
    """`metric.labels(...)` validates the values and takes a lock on every call, four times per
    request on the hot path (a cache hit); the child for a set of label values never changes
    (prometheus-client keeps it too), so it is looked up once per set here."""

    def __init__(self, metric: Counter | Histogram) -> None:
        self.metric = metric
        self.known: dict[tuple[str, ...], Any] = {}

    def __call__(self, *values: str) -> Any:
        child = self.known.get(values)
        if child is None:
            child = self.known[values] = self.metric.labels(*values)
        return child


requests_by = Children(REQUESTS)
request_seconds_by = Children(REQUEST_SECONDS)
bytes_out_by = Children(BYTES_OUT)
transform_seconds_by = Children(TRANSFORM_SECONDS)
cache_by = Children(CACHE)

_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/css": "css",
          "text/javascript": "script", "application/javascript": "script",
          "application/pdf": "pdf", "text/plain": "text"}


def content_kind(request: web.Request, response: web.StreamResponse | None) -> str:
    if request.path.startswith(request.app[SETTINGS].prefix):
        return "internal"
    return _kind_of(response.headers.get("Content-Type") if response is not None else None)


@functools.lru_cache(maxsize=256)  # a site serves a handful of Content-Type values
def _kind_of(content_type: str | None) -> str:
    kind = media_type(content_type)
    if not kind:
        return "none"
    if kind in _KINDS:
        return _KINDS[kind]
    major = kind.split("/")[0]
    return major if major in ("image", "font", "audio", "video") else "other"


def count_render(result: str, seconds: float | None = None) -> None:
    RENDERS.labels(result).inc()
    if seconds is not None:
        RENDER_SECONDS.observe(seconds)


def count_cache(result: str) -> None:
    cache_by(result).inc()


def observe_transform(name: str, seconds: float) -> None:
    transform_seconds_by(name).observe(seconds)
    record = current()
    if record is not None:
        record.rewrite_ms += seconds * 1000


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status, response = 500, None
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        kind = content_kind(request, response)
        requests_by(str(status), kind).inc()
        request_seconds_by(kind).observe(time.perf_counter() - started)
        if request.content_length:
            BYTES_IN.inc(request.content_length)
        sent = sent_bytes(response)
        if sent:
            bytes_out_by(kind).inc(sent)


def origin_trace_config() -> TraceConfig:
    """Origin latency, answers, errors and bytes for every request the ClientSession makes."""
    trace = TraceConfig()

    async def on_start(_s: ClientSession, ctx: SimpleNamespace, _p: object) -> None:
        ctx.started = time.perf_counter()

    async def on_end(_s: ClientSession, ctx: SimpleNamespace, p: TraceRequestEndParams) -> None:
        seconds = time.perf_counter() - ctx.started
        ORIGIN_SECONDS.observe(seconds)
        ORIGIN_RESPONSES.labels(f"{p.response.status // 100}xx").inc()
        if p.response.content_length:
            ORIGIN_BYTES.inc(p.response.content_length)
        record = current()
        if record is not None and record.origin_status is None:  # the page, not its includes
            record.origin_status = p.response.status
            record.origin_ms = seconds * 1000
            record.origin_headers = p.response.headers

    async def on_error(_s: ClientSession, ctx: SimpleNamespace, p: ExcParams) -> None:
        error = "timeout" if isinstance(p.exception, TimeoutError) else type(p.exception).__name__
        ORIGIN_ERRORS.labels(error).inc()
        record = current()
        if record is not None and record.origin_error is None:
            record.origin_error = error
            record.origin_ms = (time.perf_counter() - ctx.started) * 1000

    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_error)
    return trace


def allowed(remote: str | None, networks: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address((remote or "").split("%")[0])
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def scrape_registry() -> CollectorRegistry:
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


async def metrics_view(request: web.Request) -> web.Response:
    if not allowed(request.remote, request.app[SETTINGS].metrics_allow):
        return error_page(403)
    body = generate_latest(scrape_registry())
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST,
                                            "Cache-Control": "no-store"})


class RuleWatch:
    """Turns the RuleStore's generation and problems into gauges (the store knows nothing of
    metrics). A new generation is a reload; a new set of errors is a rejected edit."""

    def __init__(self) -> None:
        self.generation = 0
        self.errors: tuple = ()
        self.failures = 0

    def poll(self, store: object) -> None:
        generation = getattr(store, "generation", 0)
        errors = tuple(getattr(store, "errors", ()))
        if errors and errors != self.errors:
            self.failures += 1
        self.generation, self.errors = generation, errors
        RULES_GENERATION.set(generation)
        RULE_RELOADS.set(max(0, generation - 1))
        RULE_FAILURES.set(self.failures)
        RULE_ERRORS.set(len(errors))


async def _rule_poller(app: web.Application) -> AsyncIterator[None]:
    watch = RuleWatch()

    async def loop() -> None:
        while True:
            watch.poll(app[RULES])
            await asyncio.sleep(RULE_POLL_SECONDS)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def install(app: web.Application) -> None:
    app.middlewares.append(metrics_middleware)
    app.router.add_get(app[SETTINGS].prefix + "metrics", metrics_view)
    app[PIPELINE].on_timing = observe_transform
    app.cleanup_ctx.append(_rule_poller)
