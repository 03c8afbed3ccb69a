"""axe-core in real Chromium: every demo page through the proxy has no violation of any impact."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import ARTICLE_PATH, LIST_PATH
from tests.browser import chromium, requires_chromium, run_axe

pytestmark = requires_chromium

PAGES = [("/", "front"), (LIST_PATH, "list"), (ARTICLE_PATH, "article"),
         ("/search?q=" + quote("统战".encode("gbk")), "search-result")]


def _report(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {n['target']} {n['html'][:120]}"
                     for v in violations for n in v["nodes"])


@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[i for _, i in PAGES])
async def test_demo_page_has_no_axe_violations(demo_proxy, path):
    async with chromium() as browser:
        page = await browser.new_page()
        response = await page.goto(str(demo_proxy.make_url(path)))
        assert response.status == 200
        violations = await run_axe(page)
    assert not violations, _report(violations)


async def test_liuyan_result_has_no_axe_violations(demo_proxy):
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(str(demo_proxy.make_url("/liuyan")))
        form_violations = await run_axe(page)
        await page.fill("textarea[name=content]", "无障碍测试留言")
        await page.fill("input[name=name]", "张三")
        async with page.expect_navigation():
            await page.click("input[type=submit][value=提交]")
        assert "留言提交成功" in await page.inner_text("body")
        violations = form_violations + await run_axe(page)
    assert not violations, _report(violations)
