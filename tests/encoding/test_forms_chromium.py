"""The way back, in real Chromium: what a visitor types into the demo's forms on our UTF-8
pages reaches the GBK origin as exactly the GBK bytes the original page would have sent."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import RECEIVED, start_demo_origin
from tests.browser import chromium, requires_chromium

pytestmark = requires_chromium

WORDS = "统战工作"
GBK_QUERY = quote(WORDS.encode("gbk"))  # %CD%B3%D5%BD%B9%A4%D7%F7


@pytest.fixture
async def demo(make_proxy):
    runner, url = await start_demo_origin()
    try:
        yield runner.app[RECEIVED], await make_proxy(url)
    finally:
        await runner.cleanup()


async def test_search_form_sends_gbk_and_the_echo_reads_right(demo):
    received, proxy = demo
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(str(proxy.make_url("/")))
        assert await page.evaluate("document.characterSet") == "UTF-8"
        await page.fill("input[name=q]", WORDS)
        async with page.expect_navigation():
            await page.press("input[name=q]", "Enter")
        searches = [r for r in received if r.path_qs.startswith("/search")]
        assert searches[-1].path_qs == f"/search?q={GBK_QUERY}"
        assert WORDS in await page.inner_text("#echo")


async def test_liuyan_post_sends_gbk_and_the_echo_reads_right(demo):
    received, proxy = demo
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(str(proxy.make_url("/liuyan")))
        await page.fill("input[name=name]", "张三")
        await page.fill("input[name=title]", WORDS)
        await page.fill("textarea[name=content]", f"关于{WORDS}的建议")
        async with page.expect_navigation():
            await page.click("form[name=lyform] input[type=submit]")
        posts = [r for r in received if r.method == "POST" and r.path_qs == "/liuyan"]
        body = posts[-1].body
        assert f"title={GBK_QUERY}".encode() in body
        assert b"name=" + quote("张三".encode("gbk")).encode() in body
        assert b"%E7%BB%9F" not in body  # no UTF-8 of 统
        echo = await page.inner_text("#echo")
        assert WORDS in echo and "张三" in echo and f"关于{WORDS}的建议" in echo


async def test_multipart_text_fields_are_gbk_too(demo):
    received, proxy = demo
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(str(proxy.make_url("/liuyan")))
        # Switched over CDP (the page's own scripts are blocked by our CSP).
        await page.eval_on_selector("form[name=lyform]",
                                    "f => f.enctype = 'multipart/form-data'")
        await page.fill("input[name=name]", WORDS)
        async with page.expect_navigation():
            await page.click("form[name=lyform] input[type=submit]")
        post = [r for r in received if r.method == "POST"][-1]
        assert post.headers["Content-Type"].startswith("multipart/form-data")
        assert WORDS.encode("gbk") in post.body and WORDS.encode() not in post.body
        assert WORDS in await page.inner_text("#echo")
