"""The demo's GBK stylesheet (no @charset) and GBK nav fragment come out as correct UTF-8."""

from __future__ import annotations


async def test_gbk_stylesheet_without_charset_rule_is_served_as_utf8(demo_proxy):
    response = await demo_proxy.get("/css/style.css")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    css = (await response.read()).decode("utf-8")
    assert 'font-family:"宋体"' in css.replace(": ", ":")


async def test_gbk_nav_fragment_is_served_as_utf8(demo_proxy):
    response = await demo_proxy.get("/images/system/sites_top.html")
    assert response.status == 200
    html = (await response.read()).decode("utf-8")
    assert '<meta charset="utf-8">' in html
    assert "首页" in html and "锟" not in html and "\ufffd" not in html
