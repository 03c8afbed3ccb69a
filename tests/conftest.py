"""Shared fixtures: real servers on 127.0.0.1 (origins via aiohttp_server, the real proxy)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from proxy.app import create_app
from proxy.settings import Settings

REPO = Path(__file__).resolve().parent.parent
#: the shared material beside the checkout (corpus, tools); CI clones main next to it, and a
#: clone elsewhere still finds the workplace copy
SHARED = next((p for p in (REPO.parent / "shared", Path("/work/shared"))
               if (p / "corpus").is_dir()),
              REPO.parent / "shared")


def pytest_addoption(parser: pytest.Parser) -> None:
    # declared here, not in tests/golden/conftest.py: options must be known at start-up
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/cases/*/expected.html (review the git diff)")


@pytest.fixture
def empty_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    return rules


@pytest.fixture
def proxy_settings(empty_rules: Path) -> Settings:
    """Settings for a test proxy: no file watching, an empty rules dir, tight timeouts."""
    return Settings(upstream=None, rules_dir=str(empty_rules), watch_rules=False)


@pytest.fixture
def make_proxy(aiohttp_client, proxy_settings: Settings):
    """`await make_proxy(origin_url, **settings)` -> a test client talking to the real proxy
    over a real socket, in front of `origin_url`."""

    async def make(upstream: str, **changes):
        settings = replace(proxy_settings, upstream=upstream, **changes)
        return await aiohttp_client(create_app(settings))

    return make


@pytest.fixture
async def demo_proxy(aiohttp_client, tmp_path: Path):
    """The real proxy in front of the embedded demo origin, with the shipped rules."""
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    return await aiohttp_client(create_app(settings))
