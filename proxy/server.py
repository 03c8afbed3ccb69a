"""Run the app in this process on a socket: limits on request lines and headers, graceful stop
on SIGTERM. Several processes on one port: proxy/workers.py."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from aiohttp import web

from proxy.app import create_app
from proxy.http.limits import GuardedRunner
from proxy.settings import Settings

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 20.0  #: seconds in-flight requests get to finish after SIGTERM


def runner_for(settings: Settings) -> web.AppRunner:
    # GuardedRunner (limits.py): per-client connection cap, header/idle and slow-reader timeouts
    return GuardedRunner(create_app(settings), settings.limits, shutdown_timeout=SHUTDOWN_GRACE,
                         handler_cancellation=True,
                         max_line_size=settings.limits.max_field_size,
                         max_field_size=settings.limits.max_field_size, access_log=None)


async def _serve(settings: Settings, reuse_port: bool | None = None,
                 parent_sentinel: int | None = None) -> None:
    runner = runner_for(settings)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if parent_sentinel is not None:
        # readable (EOF) once the supervisor is gone, however it died: stop as on SIGTERM.
        # Registered before binding, so a supervisor that died while we started is seen at once
        loop.add_reader(parent_sentinel, _supervisor_gone, loop, parent_sentinel, stop)
    site = web.TCPSite(runner, settings.listen_host, settings.listen_port, reuse_port=reuse_port)
    await site.start()
    log.info("serving on http://%s:%s/ (pid %d)", settings.listen_host, settings.listen_port,
             os.getpid())
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: finishing in-flight requests (up to %ss)", SHUTDOWN_GRACE)
    await runner.cleanup()


def _supervisor_gone(loop: asyncio.AbstractEventLoop, sentinel: int, stop: asyncio.Event) -> None:
    loop.remove_reader(sentinel)
    log.warning("the supervisor is gone: stopping this worker")
    stop.set()


def serve_one(settings: Settings, *, reuse_port: bool | None = None,
              parent_sentinel: int | None = None) -> int:
    """Serve until SIGTERM/SIGINT, or until `parent_sentinel` (a pipe the supervisor holds
    open, see workers.py) reports the supervisor's death."""
    try:
        asyncio.run(_serve(settings, reuse_port, parent_sentinel))
    except OSError as exc:
        log.error("cannot listen on %s:%s: %s", settings.listen_host, settings.listen_port, exc)
        return 1
    return 0
