"""Fixtures for attacking the real proxy stack (GuardedRunner + TCPSite, as `proxy serve` runs
it) over real sockets on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from proxy.server import runner_for
from proxy.settings import Cache, Limits, Settings, Timeouts

from .hostile import Canary, RawOrigin, Script


@dataclass
class RunningProxy:
    runner: web.AppRunner
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def app(self) -> web.Application:
        return self.runner.app


@pytest.fixture
async def start_proxy(tmp_path: Path) -> AsyncIterator[Any]:
    """`await start_proxy(upstream, limits={...}, timeouts={...}, **settings)` -> RunningProxy;
    the page cache is off so origin hit counts are exact."""
    runners: list[web.AppRunner] = []
    rules = tmp_path / "rules"
    rules.mkdir()

    async def start(upstream: str, *, limits: dict | None = None, timeouts: dict | None = None,
                    **changes: Any) -> RunningProxy:
        settings = Settings(upstream=upstream, rules_dir=str(rules), watch_rules=False,
                            cache=Cache(enabled=False),
                            limits=replace(Limits(), **(limits or {})),
                            timeouts=replace(Timeouts(), **(timeouts or {})))
        runner = runner_for(replace(settings, **changes))
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[-1][1]
        return RunningProxy(runner, port)

    yield start
    for runner in reversed(runners):
        await runner.cleanup()


@pytest.fixture
async def canary() -> AsyncIterator[Canary]:
    """A server that must never be reached; the test fails at teardown if it was."""
    bird = Canary()
    await bird.start()
    yield bird
    bird.server.close()
    assert bird.leaks == [], f"requests leaked to another host: {bird.leaks!r}"


@pytest.fixture
async def raw_origin() -> AsyncIterator[Any]:
    """`await raw_origin(script)` -> (RawOrigin, url)."""
    origins: list[RawOrigin] = []

    async def make(script: Script) -> tuple[RawOrigin, str]:
        origin = RawOrigin(script)
        origins.append(origin)
        return origin, await origin.start()

    yield make
    for origin in origins:
        await origin.close()
