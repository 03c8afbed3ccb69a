"""`python -m proxy serve --workers 2` as operators run it: two processes on one port, metrics
added up across them, and SIGTERM lets an in-flight request finish."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from .processes import alive, children_of, free_port, listening, start_group, stop_group, wait_until

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  #: seconds: two spawned interpreters importing lxml on a busy 2-core box
SLOW_ORIGIN_SECONDS = 1.5
ORPHAN_SECONDS = 2.0  #: a worker whose supervisor was killed stops listening and exits by then


async def wait_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT
    async with aiohttp.ClientSession() as session:
        while asyncio.get_running_loop().time() < deadline:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                async with session.get(base + "/_a11y/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    pytest.fail("the proxy did not become healthy")


@pytest.fixture
def serve(tmp_path):
    """`serve(*flags)` -> (the supervisor, its URL); at the end its whole process group is
    stopped and nothing of it may be left running or listening."""
    started: list[tuple[subprocess.Popen, int]] = []

    def start(*args: str) -> tuple[subprocess.Popen, str]:
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        process = start_group(
            [sys.executable, "-m", "proxy", "serve", "--workers", "2",
             "--listen", f"127.0.0.1:{port}", "--rules", str(REPO / "rules"), *args],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append((process, port))
        return process, f"http://127.0.0.1:{port}"

    yield start
    for process, port in started:
        stop_group(process, (port,))
        if process.stderr:
            process.stderr.close()


async def test_two_workers_serve_the_demo_and_add_up_their_metrics(serve):
    process, base = serve("--upstream", "demo")
    await wait_healthy(base, process)
    # new connections: the kernel spreads them over both workers' sockets
    for _ in range(12):
        async with aiohttp.ClientSession() as session, \
                session.get(base + "/art/2019/9/20/art_1234_5678.html") as resp:
            assert resp.status == 200
            await resp.read()
        async with aiohttp.ClientSession() as session, \
                session.get(base + "/_a11y/metrics") as resp:
            text = await resp.text()
    totals = {s.name: s.value for f in text_string_to_metric_families(text) for s in f.samples
              if s.name == "bfp_requests_total" and s.labels == {"status": "200", "kind": "html"}}
    assert totals == {"bfp_requests_total": 12.0}  # whichever worker answered the scrape


async def test_sigterm_lets_the_in_flight_request_finish(serve, aiohttp_server):
    arrived = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        arrived.set()
        await asyncio.sleep(SLOW_ORIGIN_SECONDS)
        return web.Response(body=b"<html><body><p>finished</p></body></html>",
                            content_type="text/html")

    app = web.Application()
    app.router.add_get("/slow", slow)
    origin = await aiohttp_server(app)
    process, base = serve("--upstream", str(origin.make_url("")).rstrip("/"))
    await wait_healthy(base, process)
    async with aiohttp.ClientSession() as session:
        pending = asyncio.ensure_future(session.get(base + "/slow"))
        await asyncio.wait_for(arrived.wait(), 10)
        process.send_signal(signal.SIGTERM)
        resp = await asyncio.wait_for(pending, 30)
        assert resp.status == 200 and "finished" in await resp.text()
    code = await asyncio.to_thread(process.wait, 30)
    assert code == 0
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as session:
            await session.get(base + "/_a11y/healthz")


async def test_workers_stop_when_the_supervisor_is_killed(serve):
    """kill -9 of the supervisor (OOM killer, `systemctl kill`) leaves no worker serving."""
    process, base = serve("--upstream", "demo")
    await wait_healthy(base, process)
    workers = [pid for pid in children_of(process.pid)
               if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(workers) == 2, workers
    os.kill(process.pid, signal.SIGKILL)
    await asyncio.to_thread(process.wait, 10)
    port = int(base.rpartition(":")[2])
    assert await asyncio.to_thread(wait_until, lambda: not listening(port), ORPHAN_SECONDS), \
        "a worker still listens after its supervisor was killed"
    assert await asyncio.to_thread(
        wait_until, lambda: not any(alive(pid) for pid in workers), ORPHAN_SECONDS), \
        f"workers outlived their supervisor: {[pid for pid in workers if alive(pid)]}"


async def read_to_eof(port: int, request: bytes) -> bytes:
    """Raw bytes in, everything until the proxy closes the connection out."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(10):
            return await reader.read()
    finally:
        writer.close()


@pytest.mark.parametrize(("request_head", "status", "title"), [
    (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: p\r\n\r\n", 414, "网址太长"),
    (b"GET / HTTP/1.1\r\nHost: p\r\nCookie: " + b"c=" + b"v" * 20000 + b"\r\n\r\n", 431,
     "请求信息太多"),
    (b"GET / HTTP/1.1\r\nHost: p\r\n" + b"".join(b"X-Part%d: " % i + b"v" * 8192 + b"\r\n"
                                             for i in range(8)) + b"\r\n", 431, "请求信息太多"),
], ids=["long-uri-414", "huge-cookie-431", "64KiB-of-headers-431"])
async def test_oversized_request_head_gets_our_page_and_the_connection_closes(
        serve, request_head, status, title):
    process, base = serve("--upstream", "demo")
    await wait_healthy(base, process)
    answer = await read_to_eof(int(base.rpartition(":")[2]), request_head)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == str(status).encode(), head
    page = body.decode()
    assert '<html lang="zh-CN">' in page and "<main>" in page and f"<h1>{title}</h1>" in page
    async with aiohttp.ClientSession() as session, session.get(base + "/_a11y/healthz") as resp:
        assert resp.status == 200, "the worker goes on serving"


async def test_busy_port_exits_nonzero_before_starting_workers(serve):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        result = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "proxy", "serve", "--workers", "2",
                             "--listen", f"127.0.0.1:{port}", "--upstream", "demo"],
            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "cannot listen" in result.stderr


@pytest.mark.parametrize(("configured", "expected"), [
    (0, len(os.sched_getaffinity(0))), (1, 1), (3, 3)], ids=["auto-cores", "one", "three"])
def test_worker_count_defaults_to_the_usable_cores(configured, expected):
    from proxy.settings import Settings
    from proxy.workers import worker_count

    assert Settings().workers == 0
    assert worker_count(configured) == expected
