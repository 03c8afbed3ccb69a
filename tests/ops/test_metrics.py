"""`/_a11y/metrics`: Prometheus text with requests, origin latency/errors, transform timings,
bytes, cache results and rule reloads; only for the configured networks."""

from __future__ import annotations

import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from proxy.keys import SETTINGS
from proxy.ops.metrics import RuleWatch, allowed, content_kind
from proxy.settings import Settings

PAGE = b"<html><head><title>t</title></head><body><a href='/x'>x</a></body></html>"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def scrape(client) -> dict[tuple[str, tuple], float]:
    resp = await client.get("/_a11y/metrics")
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/plain")
    return samples(await resp.text())


def delta(before: dict, after: dict, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


@pytest.fixture
async def origin(aiohttp_server):
    async def page(request: web.Request) -> web.Response:
        return web.Response(body=PAGE, content_type="text/html",
                            headers={"Cache-Control": "max-age=60"})

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG" + b"0" * 996, content_type="image/png")

    app = web.Application()
    app.router.add_get("/page.html", page)
    app.router.add_get("/logo.png", image)
    return await aiohttp_server(app)


async def test_requests_origin_transforms_bytes_and_cache_are_counted(make_proxy, origin):
    client = await make_proxy(str(origin.make_url("")).rstrip("/"))
    before = await scrape(client)
    for path in ("/page.html", "/page.html", "/logo.png"):
        resp = await client.get(path)
        await resp.read()
    after = await scrape(client)
    assert delta(before, after, "bfp_requests_total", status="200", kind="html") == 2
    assert delta(before, after, "bfp_requests_total", status="200", kind="image") == 1
    assert delta(before, after, "bfp_origin_response_seconds_count") == 2  # one page was a hit
    assert delta(before, after, "bfp_origin_responses_total", status_class="2xx") == 2
    assert delta(before, after, "bfp_rewrite_transform_seconds_count",
                 transform="rewrite_urls") == 1
    assert delta(before, after, "bfp_response_bytes_total", kind="image") == 1000
    assert delta(before, after, "bfp_origin_bytes_total") == len(PAGE) + 1000
    assert delta(before, after, "bfp_cache_requests_total", result="miss") == 1
    assert delta(before, after, "bfp_cache_requests_total", result="hit") == 1
    assert after[("bfp_rules_generation", ())] >= 0


async def test_origin_errors_are_counted_by_kind(make_proxy, unused_tcp_port):
    client = await make_proxy(f"http://127.0.0.1:{unused_tcp_port}")
    before = await scrape(client)
    resp = await client.get("/anything")
    assert resp.status == 502
    after = await scrape(client)
    assert delta(before, after, "bfp_origin_errors_total", error="ClientConnectorError") == 1
    assert delta(before, after, "bfp_requests_total", status="502", kind="html") == 1


async def test_metrics_refused_outside_the_allowed_networks(make_proxy, origin):
    client = await make_proxy(str(origin.make_url("")).rstrip("/"),
                              metrics_allow=("10.0.0.0/8",))
    resp = await client.get("/_a11y/metrics")
    assert resp.status == 403
    assert "bfp_requests_total" not in await resp.text()


@pytest.mark.parametrize(("remote", "networks", "ok"), [
    ("127.0.0.1", ("127.0.0.0/8",), True),
    ("::1", ("127.0.0.0/8", "::1/128"), True),
    ("10.1.2.3", ("127.0.0.0/8",), False),
    (None, ("0.0.0.0/0",), False),
], ids=["loopback", "ipv6-loopback", "outside", "unix-socket"])
def test_allowed(remote, networks, ok):
    assert allowed(remote, networks) is ok


class FakeStore:
    def __init__(self) -> None:
        self.generation = 1
        self.errors: tuple = ()


def test_rule_watch_counts_reloads_and_rejected_edits():
    store, watch = FakeStore(), RuleWatch()
    watch.poll(store)
    store.generation = 3
    watch.poll(store)
    store.errors = ("rules/a.yaml:1:1: bad",)
    watch.poll(store)
    watch.poll(store)  # the same broken file: still one failure
    store.errors = ("rules/a.yaml:2:1: other",)
    watch.poll(store)
    assert (watch.generation, watch.failures) == (3, 2)


class Req:
    """Just what content_kind reads of a request."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.app = {SETTINGS: Settings()}


@pytest.mark.parametrize(("path", "content_type", "kind"), [
    ("/a.html", "text/html; charset=utf-8", "html"),
    ("/s.css", "text/css", "css"),
    ("/i.jpg", "image/jpeg", "image"),
    ("/f.pdf", "application/pdf", "pdf"),
    ("/x.bin", "application/octet-stream", "other"),
    ("/_a11y/healthz", "text/plain", "internal"),
], ids=["html", "css", "image", "pdf", "other", "internal"])
def test_content_kind(path, content_type, kind):
    assert content_kind(Req(path), web.Response(headers={"Content-Type": content_type})) == kind
