"""Our toolbar fragment: a named nav of plain links, the chosen options marked, no script."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from proxy.visitor.prefs import ELDER, Preferences
from proxy.visitor.toolbar import GROUPS, render_skip_link, render_toolbar, toolbar_element

DEFAULT = Preferences()
HERE = "/art/2019/9/20/art_1234_5678.html?a=1&b=2"


def toolbar(prefs: Preferences = DEFAULT, here: str = HERE, original: str | None = None):
    return lxml.html.fragment_fromstring(render_toolbar(prefs, here, "/_a11y/", original))


def test_toolbar_is_a_named_nav_of_links_without_script():
    nav = toolbar()
    assert nav.tag == "nav" and nav.get("id") == "a11y-toolbar"
    assert nav.get("aria-label") == "无障碍工具栏"
    assert not nav.xpath("//script | //*[@onclick] | //*[starts-with(@href, 'javascript:')]")
    assert all(a.text_content().strip() for a in nav.iter("a"))  # every control has a text


@pytest.mark.parametrize(("prefs", "key", "label"), [
    (Preferences(), "text", "100%"),
    (Preferences(text=200), "text", "大字 200%"),
    (Preferences(scheme="yellow"), "scheme", "黄字黑底"),
    (Preferences(spacing=True), "spacing", "加宽"),
    (Preferences(cursor=True), "cursor", "开"),
    (Preferences(view="text"), "view", "纯文本"),
], ids=["text-default", "text-200", "scheme", "spacing", "cursor", "view"])
def test_the_chosen_option_is_marked_current(prefs, key, label):
    current = toolbar(prefs).xpath(f"//ul[@aria-labelledby='a11y-g-{key}']//a[@aria-current]")
    assert [a.text_content().lstrip("✓") for a in current] == [label]


def test_every_group_has_exactly_one_current_option():
    nav = toolbar(Preferences(text=175, scheme="cream", underline=True))
    for group in GROUPS:
        assert len(nav.xpath(f"//ul[@aria-labelledby='a11y-g-{group.key}']"
                             "//a[@aria-current='true']")) == 1, group.key


def test_links_set_one_key_and_come_back_to_this_page():
    for a in toolbar().xpath("//a[starts-with(@href, '/_a11y/set?')]"):
        query = parse_qs(urlsplit(a.get("href")).query)
        assert query["next"] == [HERE]
        assert len(query) == 2


def test_elder_preset_reset_settings_help_and_original_page():
    nav = toolbar(Preferences(**ELDER), original="http://www.site.gov.cn/a.html")
    texts = {a.text_content().lstrip("✓"): a for a in nav.iter("a")}
    assert texts["长辈模式"].get("aria-current") == "true"
    assert "reset=1" in texts["重置"].get("href")
    assert texts["设置"].get("href").startswith("/_a11y/settings?next=")
    assert texts["帮助"].get("href").startswith("/_a11y/help?next=")
    assert texts["原网页"].get("href") == "http://www.site.gov.cn/a.html"


def test_original_link_only_for_web_urls_and_next_is_escaped():
    nav = toolbar(here='/x"><script>alert(1)</script>', original="javascript:alert(1)")
    assert "原网页" not in nav.text_content()
    assert not nav.xpath("//script")


def test_skip_link_points_at_the_target():
    skip = lxml.html.fragment_fromstring(render_skip_link("content"))
    assert (skip.tag, skip.get("href"), skip.text) == ("a", "#content", "跳到主要内容")


@pytest.mark.parametrize(("prefs", "here", "original"), [
    (DEFAULT, HERE, None),
    (Preferences(**ELDER), "/", "http://www.example.gov.cn/"),
    (Preferences(text=150, underline=True), "/搜索?q=a11yNEXTa11y&x=<>\"'", "https://a.cn/x?a=1&b=2"),
    (DEFAULT, "/p%20q", "ftp://not-linked.example/"),
    (DEFAULT, HERE, "http://www.example.gov.cn/a\tb"),  # not printable: parsed as rendered
], ids=["default", "elder-home", "quoting", "non-http-original", "control-character"])
def test_toolbar_element_is_the_rendered_toolbar_parsed(prefs, here, original):
    """The cached tree, copied with this page's links, serializes as a fresh parse would."""
    for _ in range(2):  # the second time from the cache
        got = toolbar_element(prefs, here, "/_a11y/", original)
        assert lxml.html.tostring(got) == lxml.html.tostring(toolbar(prefs, here, original))
