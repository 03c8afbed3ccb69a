"""The contrast floor in real Chromium: at 100 % and 200 % text, in the default scheme, axe finds
no `color-contrast` and no `link-in-text-block` violation on the demo pages through the proxy."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import ARTICLE_PATH, LIST_PATH
from tests.browser import chromium, requires_chromium, run_axe

pytestmark = requires_chromium

RULES = ("color-contrast", "link-in-text-block")
PAGES = [("/", "front"), (LIST_PATH, "list"), (ARTICLE_PATH, "article"),
         ("/search?q=" + quote("统战".encode("gbk")), "search-result")]
STEPS = [100, 200]


def _report(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {n['target']} {n['html'][:120]}"
                     for v in violations for n in v["nodes"])


async def _contrast_violations(page) -> list[dict]:
    return [v for v in await run_axe(page) if v["id"] in RULES]


@pytest.mark.parametrize("text", STEPS, ids=[f"text-{t}" for t in STEPS])
async def test_demo_pages_have_readable_colours_at_every_text_step(demo_proxy, text):
    found = []
    async with chromium() as browser:
        page = await browser.new_page()
        for path, _ in PAGES:  # the preference link sets our cookie, then shows the page
            url = demo_proxy.make_url("/_a11y/set").with_query(text=str(text), next=path)
            response = await page.goto(str(url))
            assert response.status == 200
            found += await _contrast_violations(page)
    assert not found, _report(found)


async def test_liuyan_result_has_readable_colours_at_200_percent(demo_proxy):
    async with chromium() as browser:
        page = await browser.new_page()
        url = demo_proxy.make_url("/_a11y/set").with_query(text="200", next="/liuyan")
        await page.goto(str(url))
        await page.fill("textarea[name=content]", "无障碍测试留言")
        await page.fill("input[name=name]", "张三")
        async with page.expect_navigation():
            await page.click("input[type=submit][value=提交]")
        found = await _contrast_violations(page)
    assert not found, _report(found)
