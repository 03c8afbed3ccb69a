"""axe-core in real Chromium on the demo article with the reading aids on (pinyin, 简/繁,
reading view with its audio links) and on the listen page: no violation of any impact."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import ARTICLE_PATH
from proxy.visitor.prefs import COOKIE_NAME
from tests.browser import chromium, requires_chromium, run_axe

pytestmark = requires_chromium
CASES = [(ARTICLE_PATH, "pinyin:1"), (ARTICLE_PATH, "pinyin:1|script:traditional"),
         (ARTICLE_PATH, "view:reading|pinyin:1"), (ARTICLE_PATH, "pinyin:1|scheme:contrast"),
         ("/_a11y/listen?next=" + quote(ARTICLE_PATH), "pinyin:1")]


@pytest.mark.parametrize(("path", "cookie"), CASES, ids=[c for _, c in CASES[:-1]] + ["listen"])
async def test_no_axe_violations_with_reading_aids(demo_proxy, path, cookie):
    url = str(demo_proxy.make_url(path))
    async with chromium() as browser:
        context = await browser.new_context()
        await context.add_cookies([{"name": COOKIE_NAME, "value": cookie, "url": url}])
        page = await context.new_page()
        response = await page.goto(url)
        assert response.status == 200
        if "pinyin" in cookie and "listen" not in path:
            assert await page.locator("ruby rt[aria-hidden=true]").count() > 50
        violations = await run_axe(page)
    assert not violations, "\n".join(f"{v['id']}: {n['target']} {n['html'][:120]}"
                                     for v in violations for n in v["nodes"])
