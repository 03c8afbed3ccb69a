"""The structured access log: one line per request with its id, statuses and timings; nothing a
visitor typed or any cookie."""

from __future__ import annotations

import json
import logging

import pytest
from aiohttp import web

from proxy.ops.accesslog import REQUEST_ID_HEADER

PAGE = b"<html><head><title>t</title></head><body><p>hello</p></body></html>"
SECRET_COOKIE = "JSESSIONID=s3cr3t-session"
SECRET_QUERY = "q=private-search-words"
SECRET_FORM = "content=private-message-text"


@pytest.fixture
async def origin(aiohttp_server):
    async def page(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=PAGE, content_type="text/html")

    async def blob(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 1000, content_type="application/octet-stream")

    app = web.Application()
    app.router.add_route("*", "/page", page)
    app.router.add_get("/blob.bin", blob)
    return await aiohttp_server(app)


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "proxy.access"]


async def test_json_line_names_request_and_hides_what_visitors_sent(make_proxy, origin, caplog):
    client = await make_proxy(str(origin.make_url("")).rstrip("/"), log_format="json")
    with caplog.at_level(logging.INFO, logger="proxy.access"):
        resp = await client.post(f"/page?{SECRET_QUERY}", data=SECRET_FORM,
                                 headers={"Cookie": SECRET_COOKIE,
                                          "Content-Type": "application/x-www-form-urlencoded"})
        await resp.read()
    assert resp.status == 200
    [line] = access_lines(caplog)
    entry = json.loads(line)
    assert entry["request_id"] == resp.headers[REQUEST_ID_HEADER]
    assert (entry["method"], entry["path"], entry["status"], entry["origin_status"]) == (
        "POST", "/page", 200, 200)
    assert entry["duration_ms"] >= entry["origin_ms"] > 0
    assert entry["rewrite_ms"] > 0
    for secret in ("s3cr3t", "private-search", "private-message"):
        assert secret not in line


async def test_streamed_answer_carries_request_id_and_sent_bytes(make_proxy, origin, caplog):
    client = await make_proxy(str(origin.make_url("")).rstrip("/"), log_format="json")
    with caplog.at_level(logging.INFO, logger="proxy.access"):
        resp = await client.get("/blob.bin")
        assert len(await resp.read()) == 1000
    [line] = access_lines(caplog)
    entry = json.loads(line)
    assert entry["request_id"] == resp.headers[REQUEST_ID_HEADER]
    assert entry["bytes_out"] == 1000


@pytest.mark.parametrize(("offered", "kept"), [
    ("lb-4f1c2a9e77", True),
    ("short", False),
    ("evil\tid injected=1", False),
], ids=["load-balancer-id-kept", "too-short-replaced", "injection-replaced"])
async def test_incoming_request_id(make_proxy, origin, offered, kept):
    client = await make_proxy(str(origin.make_url("")).rstrip("/"))
    resp = await client.get("/blob.bin", headers={REQUEST_ID_HEADER: offered})
    await resp.read()
    assert (resp.headers[REQUEST_ID_HEADER] == offered) is kept
    assert len(resp.headers[REQUEST_ID_HEADER]) >= 8


async def test_text_line_for_dead_origin_names_the_error(make_proxy, unused_tcp_port, caplog):
    client = await make_proxy(f"http://127.0.0.1:{unused_tcp_port}")
    with caplog.at_level(logging.INFO, logger="proxy.access"):
        resp = await client.get("/page")
        await resp.read()
    [line] = access_lines(caplog)
    assert resp.status == 502
    assert "status=502" in line and "origin_error=ClientConnectorError" in line
    assert f"request_id={resp.headers[REQUEST_ID_HEADER]}" in line
