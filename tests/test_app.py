"""The app as an operator gets it: the default configuration serves the embedded demo."""

from __future__ import annotations

import lxml.html

from proxy.config.load import load_settings
from tests.conftest import REPO


def test_shipped_config_points_at_the_demo():
    settings = load_settings(REPO / "config.yaml", required=True)
    assert settings.upstream == "demo"
    assert (settings.listen_host, settings.listen_port) == ("127.0.0.1", 8080)


async def test_default_config_serves_the_demo_front_page(demo_proxy):
    response = await demo_proxy.get("/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    text = (await response.read()).decode("utf-8")
    assert "苏ICP备15003616号" in text
    tree = lxml.html.fromstring(text)
    # the demo's own absolute links now point at the proxy
    assert not [a for a in tree.iter("a") if "xiuzhiben.com" in (a.get("href") or "")]


async def test_demo_cookie_lands_on_the_proxy_host(demo_proxy):
    response = await demo_proxy.get("/")
    assert "Domain" not in response.headers["Set-Cookie"]
