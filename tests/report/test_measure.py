"""What the report reads from a rendered page: text kept, the site's toolbar, links to crawl,
axe's violations summed by impact."""

from __future__ import annotations

from proxy.report.measure import axe_summary, same_site_links, text_kept, vendor_toolbar
from proxy.siterules.store import RuleStore
from tests.conftest import REPO

RULES = RuleStore.from_directory(REPO / "rules").for_host("www.example.gov.cn")


def test_text_kept_counts_characters_as_a_multiset():
    assert text_kept("首页新闻首页", "新闻首页首页") == 1.0
    assert text_kept("abcd", "ab") == 0.5
    assert text_kept("", "x") == 1.0


def test_the_sites_toolbar_is_found_and_ours_is_not():
    page = ("<html><body><nav id='a11y-toolbar'><a href='/_a11y/settings'>无障碍</a></nav>"
            "<a href='javascript:direct_wza()'>无障碍浏览</a>"
            "<script src='/static/js/wza.js'></script></body></html>")
    found = vendor_toolbar(page, RULES, "/_a11y/")
    assert "element a[href*='direct_wza']" in found and "script wza.js" in found
    assert "link text 无障碍浏览" in found
    assert "element #toolbarSwitch" in vendor_toolbar(
        "<a id='toolbarSwitch' href='javascript:void(0)'>无障碍浏览</a>", RULES, "/_a11y/")
    assert not any(f.rpartition(" ")[2] == "无障碍" for f in found)  # our toolbar's link
    clean = "<html><body><nav id='a11y-toolbar'><a href='/_a11y/help'>无障碍浏览</a></nav>" \
            "<a href='/_a11y/settings'>无障碍浏览</a>" \
            "<a id='toolbarSwitch' href='/_a11y/settings?next=/'>无障碍浏览</a></body></html>"
    assert vendor_toolbar(clean, RULES, "/_a11y/") == []


def test_links_to_crawl_stay_on_the_site_and_skip_documents():
    page = """<a href="/a.html#top">a</a><a href="b/c.html">c</a><a href="http://other.cn/">x</a>
    <a href="/file.PDF">pdf</a><a href="javascript:go()">js</a><a href="/a.html">again</a>
    <a href="mailto:x@y.cn">m</a>"""
    assert same_site_links(page, "http://site.cn:81/dir/") == [
        "http://site.cn:81/a.html", "http://site.cn:81/dir/b/c.html"]


def test_axe_is_summed_by_impact_and_rule():
    summary = axe_summary([{"id": "image-alt", "impact": "critical", "help": "h", "nodes": 3},
                           {"id": "region", "impact": "moderate", "help": "h", "nodes": 5}])
    assert (summary["rules"], summary["nodes"], summary["severe_nodes"]) == (2, 8, 3)
    assert summary["by_impact"] == {"critical": 3, "moderate": 5}
    assert summary["by_rule"]["region"]["nodes"] == 5
