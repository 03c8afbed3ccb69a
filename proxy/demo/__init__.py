"""The embedded demo origin: a small model of a legacy Chinese government CMS site.

Pages are UTF-8 templates under ``site/`` served as GBK bytes with ``text/html`` and no
charset, like the Changzhou United Front department site the project's seed page came from.
Every request that reaches the app is recorded in ``app[RECEIVED]``.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from proxy.demo.handlers import (
    HITS,
    RECEIVED,
    RECEIVED_LIMIT,
    STATIC,
    ReceivedRequest,
    add_routes,
    not_found_middleware,
    record_middleware,
)
from proxy.demo.pages import ARTICLE_PATH, ARTICLE_URL, ORIGIN, SEED_TITLE, encode_gbk
from proxy.demo.static import load_static_files

__all__ = [
    "ARTICLE_PATH",
    "ARTICLE_URL",
    "LIST_PATH",
    "ORIGIN",
    "RECEIVED",
    "RECEIVED_LIMIT",
    "SEED_TITLE",
    "ReceivedRequest",
    "create_demo_app",
    "encode_gbk",
    "run_demo_origin",
    "start_demo_origin",
]

LIST_PATH = "/col/col1234/index.html"


def create_demo_app() -> web.Application:
    """A fresh demo origin application (its own RECEIVED list and hit counters)."""
    app = web.Application(middlewares=[record_middleware, not_found_middleware])
    app[RECEIVED] = []
    app[HITS] = {}
    app[STATIC] = load_static_files()
    add_routes(app)
    return app


async def start_demo_origin(host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, str]:
    """Start the demo origin in-process; returns the runner (``await runner.cleanup()`` to
    stop it) and the base URL such as ``http://127.0.0.1:PORT``."""
    runner = web.AppRunner(create_demo_app())
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    if ":" in bound_host:
        bound_host = f"[{bound_host}]"
    return runner, f"http://{bound_host}:{bound_port}"


def _split_listen(listen: str) -> tuple[str, int]:
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"--listen must be HOST:PORT, got {listen!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def run_demo_origin(listen: str) -> None:
    """Serve the demo origin on ``HOST:PORT`` until interrupted (blocking)."""
    host, port = _split_listen(listen)

    async def serve() -> None:
        runner, url = await start_demo_origin(host, port)
        print(f"demo origin listening on {url}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
