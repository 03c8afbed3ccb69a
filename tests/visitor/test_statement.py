"""The accessibility statement through the real proxy: a golden page for the demo site, what
configuration and rules change in it, and axe in real Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from aiohttp.test_utils import TestClient, TestServer

from proxy.app import create_app
from proxy.settings import Settings, Statement
from proxy.siterules.model import SiteRules
from proxy.transforms import default_transforms
from proxy.visitor.statement import STEPS, gather_facts
from tests.browser import chromium, requires_chromium, run_axe
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "data" / "statement_demo.html"
#: 2024-03-01 12:00 UTC, set on the copied rule files: the statement dates the rules by it
RULES_TIME = 1709294400
DEMO_STATEMENT = Statement(site_name="常州市委统战部（演示站）", operator="演示市大数据管理中心",
                           contact="mailto:wza@example.gov.cn")
#: words a statement must never use about a site
CLAIMS = ("compliant", "compliance", "conform", "合规", "符合标准", "达标")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def demo_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    for path in rules.iterdir():
        os.utime(path, (RULES_TIME, RULES_TIME))
    return rules


async def _statement(settings: Settings, path: str = "/_a11y/statement?next=/") -> str:
    async with TestClient(TestServer(create_app(settings))) as client:
        response = await client.get(path)
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/html")
        return await response.text()


async def test_golden_statement_of_the_demo_site(demo_rules, update_golden):
    html = await _statement(Settings(upstream="demo", rules_dir=str(demo_rules),
                                     watch_rules=False, statement=DEMO_STATEMENT))
    if update_golden or not GOLDEN.exists():
        GOLDEN.write_text(html, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{GOLDEN} was missing and has been written: review it")
    assert html == GOLDEN.read_text(encoding="utf-8")
    assert "2024-03-01" in html and 'href="mailto:wza@example.gov.cn"' in html
    lowered = html.lower()
    assert not [word for word in CLAIMS if word in lowered]


async def test_a_disabled_step_leaves_the_list_and_shows_as_a_limit(demo_rules):
    demo = demo_rules / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8") + "\ndisable: [semantics, enlarge_fonts]\n",
                    encoding="utf-8")
    html = await _statement(Settings(upstream="demo", rules_dir=str(demo_rules),
                                     watch_rules=False))
    root = lxml.html.fromstring(html)
    changes = root.xpath("//h2[.='本站无障碍模式所做的修改']/following-sibling::ul[1]/li/text()")
    assert STEPS["strip_scripts"][0] in changes
    assert STEPS["semantics.forms"][0] not in changes
    assert STEPS["enlarge_fonts"][0] not in changes
    assert "本站规则关闭了：semantics" in html
    assert "turned off by this site's rules: enlarge_fonts" in html
    # nothing configured: said plainly, no invented operator or contact
    assert "（未配置）" in html and "本站尚未配置反馈方式" in html and "mailto:" not in html


async def test_the_toolbar_and_help_page_link_to_it(demo_rules):
    settings = Settings(upstream="demo", rules_dir=str(demo_rules), watch_rules=False)
    async with TestClient(TestServer(create_app(settings))) as client:
        page = await (await client.get("/")).text()
        help_ = await (await client.get("/_a11y/help?next=/")).text()
    nav = lxml.html.fromstring(page).get_element_by_id("a11y-toolbar")
    links = {a.text_content(): a.get("href") for a in nav.iter("a")}
    assert links["无障碍声明"] == "/_a11y/statement?next=%2F"
    assert '<a href="/_a11y/statement?next=/">无障碍声明</a>' in help_


def test_every_step_of_the_pipeline_is_described():
    assert {step.name for step in default_transforms()} <= set(STEPS)


def test_rule_driven_steps_appear_only_with_work():
    facts = gather_facts(Statement(contact="javascript:alert(1)"), None, SiteRules(), "/nowhere",
                         default_transforms())
    assert "includes" not in facts.steps and "actions" not in facts.steps
    assert "strip_scripts" in facts.steps
    assert facts.contact is None and facts.rules_date is None and facts.site_name == "default"


@requires_chromium
async def test_statement_page_has_no_axe_violations(demo_rules):
    settings = Settings(upstream="demo", rules_dir=str(demo_rules), watch_rules=False,
                        statement=DEMO_STATEMENT)
    async with TestClient(TestServer(create_app(settings))) as client, chromium() as browser:
        page = await browser.new_page()
        for prefs in ("", "/_a11y/set?preset=elder&next=/_a11y/statement"):
            response = await page.goto(str(client.make_url(prefs or "/_a11y/statement")))
            assert response.status == 200
            violations = await run_axe(page)
            assert not violations, [(v["id"], v["nodes"][:2]) for v in violations]


def test_claims_are_caught():
    assert re.search("|".join(CLAIMS), "the site is WCAG compliant".lower())




async def test_updated_in_the_rules_beats_the_files_date(demo_rules):
    demo = demo_rules / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8") + "\nupdated: 2025-06-30\n",
                    encoding="utf-8")
    html = await _statement(Settings(upstream="demo", rules_dir=str(demo_rules),
                                     watch_rules=False))
    assert "demo（更新日期：2025-06-30）" in html and "2024-03-01" not in html
