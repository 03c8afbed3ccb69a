"""axe-core in real Chromium: every demo page through the proxy, violations of any impact.

Split by who fixes what: the structure and names (landmarks, semantics) must have no violation
at all; colour contrast and links told apart from text only by colour (`COLOUR_RULES`) belong
to the CSS layer (our stylesheet) and have their own test, so a gap there shows as its own
failure instead of hiding the structural result.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import ARTICLE_PATH, LIST_PATH
from tests.browser import chromium, requires_chromium, run_axe

pytestmark = requires_chromium

PAGES = [("/", "front"), (LIST_PATH, "list"), (ARTICLE_PATH, "article"),
         ("/search?q=" + quote("统战".encode("gbk")), "search-result"), ("/liuyan", "liuyan")]
#: rules decided by colours and text decoration (the CSS layer), not by the markup
COLOUR_RULES = frozenset({"color-contrast", "link-in-text-block"})
GROUPS = [("structure", lambda rule: rule not in COLOUR_RULES),
          ("colour", lambda rule: rule in COLOUR_RULES)]


def _report(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {n['target']} {n['html'][:120]}"
                     for v in violations for n in v["nodes"])


#: path -> violations: both groups of a page read one axe run (the machine is small)
_SEEN: dict[str, list[dict]] = {}


async def _violations(demo_proxy, path: str) -> list[dict]:
    """axe on the page; for the 留言 form also on the result page after submitting it."""
    if path not in _SEEN:
        _SEEN[path] = await _run(demo_proxy, path)
    return _SEEN[path]


async def _run(demo_proxy, path: str) -> list[dict]:
    async with chromium() as browser:
        page = await browser.new_page()
        response = await page.goto(str(demo_proxy.make_url(path)))
        assert response.status == 200
        violations = await run_axe(page)
        if path == "/liuyan":
            await page.fill("textarea[name=content]", "无障碍测试留言")
            await page.fill("input[name=name]", "张三")
            async with page.expect_navigation():
                await page.click("input[type=submit][value=提交]")
            assert "留言提交成功" in await page.inner_text("body")
            violations += await run_axe(page)
    return violations


@pytest.mark.parametrize("group", [g for g in GROUPS], ids=[name for name, _ in GROUPS])
@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[i for _, i in PAGES])
async def test_demo_page_has_no_axe_violations(demo_proxy, path, group):
    _, wanted = group
    violations = [v for v in await _violations(demo_proxy, path) if wanted(v["id"])]
    assert not violations, _report(violations)
