"""End to end in real headless Chromium: a visitor opens the demo article through the proxy."""

from __future__ import annotations

from proxy.demo import ARTICLE_PATH
from tests.browser import chromium, requires_chromium

pytestmark = requires_chromium


async def test_visitor_reads_the_demo_article_through_the_proxy(demo_proxy):
    url = str(demo_proxy.make_url(ARTICLE_PATH))
    async with chromium() as browser:
        page = await browser.new_page()
        response = await page.goto(url)
        assert response.status == 200
        text = await page.inner_text("body")
        assert await page.evaluate("document.characterSet") == "UTF-8"
        assert "新的社会阶层人士统战工作" in text
        assert "苏公网安备32041102000483号" in text
        assert "锟" not in text and "\ufffd" not in text  # no mojibake
