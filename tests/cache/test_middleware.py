"""The cache of rewritten pages: HTTP caching rules, the LRU bound, revalidation with the origin,
and a shared level on a real Redis server shared by two proxy replicas."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from email.utils import formatdate

import pytest
from aiohttp import web
from multidict import CIMultiDict

from proxy.cache.middleware import PAGE_CACHE
from proxy.cache.policy import freshness, our_cache_control
from proxy.cache.store import Entry, MemoryStore
from proxy.settings import Cache
from proxy.visitor.prefs import COOKIE_NAME, Preferences

PAGE = "<html><head><title>t</title></head><body><p>第{n}版</p></body></html>"
NOW = 1_800_000_000.0
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def h(**headers: str) -> CIMultiDict[str]:
    return CIMultiDict({k.replace("_", "-"): v for k, v in headers.items()})


@pytest.mark.parametrize(("headers", "storable", "lifetime"), [
    (h(Cache_Control="max-age=60"), True, 60),
    (h(Cache_Control="max-age=60, s-maxage=10"), True, 10),
    (h(Cache_Control="max-age=60", Age="50"), True, 10),
    (h(Expires=formatdate(NOW + 30, usegmt=True), Date=formatdate(NOW, usegmt=True)), True, 30),
    (h(Expires="0"), False, 0),
    (h(Cache_Control="no-cache", ETag='"v1"'), True, 0),
    (h(Cache_Control="no-cache"), False, 0),
    (h(Cache_Control="private, max-age=60"), False, 0),
    (h(Cache_Control="no-store"), False, 0),
    (h(Cache_Control="max-age=60", Set_Cookie="s=1"), False, 0),
    (h(Cache_Control="max-age=60", Vary="User-Agent"), False, 0),
    (h(Cache_Control="max-age=60", Vary="Accept-Encoding, Cookie"), True, 60),
    (h(Last_Modified=formatdate(NOW - 1000, usegmt=True), Date=formatdate(NOW, usegmt=True)),
     True, 100),
    (h(Last_Modified=formatdate(NOW - 10**6, usegmt=True), Date=formatdate(NOW, usegmt=True)),
     True, 300),
    (h(ETag='"v1"'), True, 0),
    (h(), False, 0),
], ids=["max-age", "s-maxage-wins", "age-counts", "expires", "invalid-expires",
        "no-cache-with-validator", "no-cache-without-validator", "private", "no-store",
        "set-cookie", "vary-user-agent", "vary-keyed", "heuristic-10pct", "heuristic-capped",
        "validator-only", "nothing"])
def test_freshness(headers, storable, lifetime):
    fresh = freshness(headers, now=NOW)
    assert (fresh.storable, round(fresh.lifetime)) == (storable, lifetime)


def test_default_ttl_applies_only_without_caching_headers():
    assert freshness(h(), default_ttl=30, now=NOW).lifetime == 30
    assert not freshness(h(Cache_Control="no-store"), default_ttl=30, now=NOW).storable


@pytest.mark.parametrize(("origin_cc", "remaining", "ours"), [
    ("no-store", 10.0, "no-store"),
    ("private, max-age=9", None, "private, max-age=9"),
    (None, None, "no-cache"),
    ("max-age=60", 42.7, "max-age=42"),
    ("max-age=60", -1.0, "no-cache"),
], ids=["no-store-kept", "private-kept", "unknown-revalidate", "remaining", "stale"])
def test_our_cache_control(origin_cc, remaining, ours):
    assert our_cache_control(origin_cc, remaining) == ours


def entry(body: bytes) -> Entry:
    return Entry(200, [("Content-Type", "text/html")], body, fresh_until=NOW, etag='W/"x"',
                 origin_etag='"o"')


def test_memory_store_evicts_least_recently_used_by_bytes():
    store = MemoryStore(max_bytes=3 * entry(b"x" * 1000).size)
    for key in "abc":
        store.put(key, entry(b"x" * 1000))
    store.get("a")  # a is now the most recent
    store.put("d", entry(b"x" * 1000))
    assert (store.get("b"), len(store)) == (None, 3)
    assert store.get("a") is not None and store.size <= store.max_bytes
    store.put("huge", entry(b"x" * 10_000))
    assert store.get("huge") is None and len(store) == 3


def test_entry_round_trips_as_json_and_bytes():
    original = entry("正文".encode() + b"\n\x00binary")
    assert Entry.from_bytes(original.to_bytes()) == original


class Origin:
    """A purpose-built origin whose caching headers each test chooses; counts what it serves."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.served = 0
        self.conditional: list[str | None] = []
        self.version = 1

    async def page(self, request: web.Request) -> web.Response:
        self.conditional.append(request.headers.get("If-None-Match")
                                or request.headers.get("If-Modified-Since"))
        etag = self.headers.get("ETag")
        if etag and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        self.served += 1
        return web.Response(text=PAGE.format(n=self.version), content_type="text/html",
                            headers=self.headers)


@pytest.fixture
def start_origin(aiohttp_server):
    async def start(**headers: str) -> tuple[Origin, str]:
        origin = Origin({k.replace("_", "-"): v for k, v in headers.items()})
        app = web.Application()
        app.router.add_get("/{tail:.*}", origin.page)
        server = await aiohttp_server(app)
        return origin, str(server.make_url("")).rstrip("/")

    return start


async def get(client, path: str = "/news.html", **headers: str):
    resp = await client.get(path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    return resp, await resp.text()


async def test_fresh_page_is_served_from_the_cache(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url)
    first, body1 = await get(client)
    second, body2 = await get(client)
    assert origin.served == 1 and body1 == body2 and "第1版" in body2
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert second.headers["Cache-Control"] in ("max-age=60", "max-age=59")
    assert "Cookie" in second.headers["Vary"] and second.headers["ETag"].startswith('W/"')
    again = await client.get("/news.html", headers={"If-None-Match": second.headers["ETag"]})
    assert again.status == 304 and origin.served == 1


async def test_one_entry_serves_every_preference_set_and_coding(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url)
    big_text = f"{COOKIE_NAME}={Preferences(text=150, scheme='yellow').to_cookie()}"
    first, plain = await get(client)
    hit, big = await get(client, Cookie=big_text)
    other, _ = await get(client, Accept_Encoding="identity")
    again, big_again = await get(client, Cookie=big_text)
    assert origin.served == 1
    assert [r.headers["X-Cache"] for r in (hit, other, again)] == ["HIT"] * 3
    # spliced for each visitor: the base style's switches, the scheme, the toolbar's marks
    assert "--a11y-text:1.5" in big and "--a11y-text" not in plain.split("</style>")[0]
    assert "#ffff00" in big and "#ffff00" not in plain
    assert big == big_again and hit.headers["ETag"] != first.headers["ETag"]
    assert "Content-Encoding" not in other.headers


async def test_views_are_separate_entries(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url)
    await get(client)
    await get(client, Cookie=f"{COOKIE_NAME}={Preferences(view='text').to_cookie()}")
    hit, _ = await get(client, Cookie=f"{COOKIE_NAME}={Preferences(view='text').to_cookie()}")
    assert origin.served == 2 and hit.headers["X-Cache"] == "HIT"


@pytest.mark.parametrize("request_headers", [
    {"Cookie": "JSESSIONID=abc"}, {"Authorization": "Basic eDp5"},
    {"Cache-Control": "no-cache"}], ids=["origin-cookie", "credentials", "forced-reload"])
async def test_requests_that_bypass_the_cache(make_proxy, start_origin, request_headers):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url)
    for _ in range(2):
        await get(client, **{k.replace("-", "_"): v for k, v in request_headers.items()})
    assert origin.served == 2


@pytest.mark.parametrize("origin_headers", [
    {"Cache_Control": "private, max-age=60"}, {"Cache_Control": "no-store"},
    {"Cache_Control": "max-age=60", "Set_Cookie": "s=1"}, {}],
    ids=["private", "no-store", "set-cookie", "no-caching-headers"])
async def test_answers_that_are_not_stored(make_proxy, start_origin, origin_headers):
    origin, url = await start_origin(**origin_headers)
    client = await make_proxy(url)
    (resp, _), _ = await get(client), await get(client)
    assert origin.served == 2 and "X-Cache" not in resp.headers
    assert resp.headers["Cache-Control"] == (origin_headers.get("Cache_Control") or "no-cache")


async def test_stale_page_is_revalidated_with_the_origins_etag(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="no-cache", ETag='"v1"')
    client = await make_proxy(url)
    await get(client)
    resp, body = await get(client, If_None_Match='"visitor-etag"')
    assert resp.status == 200 and "第1版" in body
    assert resp.headers["X-Cache"] == "REVALIDATED" and origin.served == 1
    assert origin.conditional == [None, '"v1"']  # ours, never the visitor's
    origin.headers["ETag"], origin.version = '"v2"', 2
    resp, body = await get(client)
    assert "第2版" in body and origin.served == 2


async def test_last_modified_page_is_revalidated_after_heuristic_freshness(make_proxy,
                                                                           start_origin):
    origin, url = await start_origin(Last_Modified=formatdate(usegmt=True))
    client = await make_proxy(url)
    await get(client)
    await get(client)
    assert origin.conditional[1] == origin.headers["Last-Modified"]


async def test_cache_can_be_turned_off(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url, cache=Cache(enabled=False))
    await get(client)
    await get(client)
    assert origin.served == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def redis_url(tmp_path):
    if not shutil.which("redis-server") and not shutil.os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


async def test_replicas_share_pages_through_redis(make_proxy, start_origin, redis_url):
    origin, url = await start_origin(Cache_Control="max-age=60")
    shared = Cache(redis_url=redis_url)
    first = await make_proxy(url, cache=shared)
    second = await make_proxy(url, cache=shared)
    # behind a balancer every replica sees the visitor's Host (part of the key: links use it)
    _, body1 = await get(first, Host="a11y.example.org")
    resp, body2 = await get(second, Host="a11y.example.org")
    assert origin.served == 1 and body1 == body2
    assert resp.headers["X-Cache"] == "HIT"


async def test_unreachable_redis_is_only_a_miss(make_proxy, start_origin):
    origin, url = await start_origin(Cache_Control="max-age=60")
    client = await make_proxy(url, cache=Cache(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    resp, body = await get(client)
    assert resp.status == 200 and "第1版" in body


async def test_non_pages_are_remembered_and_never_looked_up_again(make_proxy, aiohttp_server):
    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG", content_type="image/png",
                            headers={"Cache-Control": "max-age=60"})

    app = web.Application()
    app.router.add_get("/logo.png", image)
    server = await aiohttp_server(app)
    client = await make_proxy(str(server.make_url("")).rstrip("/"))
    lookups = []
    resp = await client.get("/logo.png")
    cache = client.server.app[PAGE_CACHE]
    original = cache.get

    async def counting_get(key):
        lookups.append(key)
        return await original(key)

    cache.get = counting_get
    resp = await client.get("/logo.png")
    assert await resp.read() == b"\x89PNG" and lookups == []


async def test_a_rule_edit_is_never_answered_from_pages_of_the_old_rules(
        make_proxy, start_origin, empty_rules):
    from proxy.keys import RULES

    origin, url = await start_origin(Cache_Control="max-age=60")
    rule = empty_rules / "site.yaml"
    rule.write_text("hosts: [127.0.0.1]\nactions:\n  - {append: body, content: OLD-RULES}\n")
    client = await make_proxy(url)
    _, first = await get(client)
    rule.write_text("hosts: [127.0.0.1]\nactions:\n  - {append: body, content: NEW-RULES}\n")
    assert client.app[RULES].reload()
    response, second = await get(client)
    assert "OLD-RULES" in first and "NEW-RULES" in second
    assert response.headers["X-Cache"] == "MISS" and origin.served == 2
