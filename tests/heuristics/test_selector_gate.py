"""selector_gate: a selector is ruled out only when it cannot match the page."""

from __future__ import annotations

import cssselect
import pytest
from lxml import etree

from proxy.heuristics.selector_gate import (
    may_match,
    non_ascii_characters,
    occurring,
    required_strings,
    scan_plan,
)
from proxy.page import parse_html
from proxy.siterules.model import Selector

PAGE = ('<html><body><div id="top" class="head  bar"><a href="/wza/index.html" '
        'onclick="aria.start()" lang="zh-CN">无障碍</a></div>'
        '<table class="footer"><tr><td class="leftbox">x</td><td>y</td><td>z</td></tr></table>'
        '</body></html>')
ALL_VALUES = etree.XPath("//@*", smart_strings=False)


def _parses(selector: str) -> bool:
    try:
        cssselect.parse(selector)
    except cssselect.SelectorError:
        return False
    return True


FLAGS = _parses("a[href$='.PDF' i]")  #: cssselect >= 1.6 (pyproject allows older)


@pytest.mark.parametrize(("selector", "expected"), [
    ("#cniil_wza", (("cniil_wza",),)),
    ("div.gxzf-wza", (("gxzf-wza",),)),
    ("a[href*='direct_wza']", (("direct_wza",),)),
    ("td.leftbox + td + td", (("leftbox",),)),
    ("body > table:first-of-type", ((),)),
    ("a:not(.x)", ((),)),
    # case-insensitive: '.PDF' need not occur as written; cssselect < 1.6 cannot parse the flag
    # (a rule with it is refused when read), and what does not parse is never ruled out
    ("a[href$='.PDF' i]", ((),) if FLAGS else None),
    ("#a, .b", (("a",), ("b",))),
], ids=["id", "class", "attribute-substring", "combinator", "structure-only", "negation",
        "case-insensitive-flag", "group"])
def test_required_strings(selector, expected):
    assert required_strings(selector) == expected


def test_a_parse_tree_it_cannot_read_means_run_the_selector(monkeypatch):
    """A cssselect release whose nodes lack what `_collect` reads: the gate steps aside."""
    from cssselect.parser import Hash

    required_strings.cache_clear()
    monkeypatch.delattr(Hash, "id", raising=False)
    monkeypatch.setattr(Hash, "__init__", lambda self, selector, id: setattr(self, "selector",
                                                                             selector))
    try:
        assert required_strings("#never-read") is None
        assert may_match("#never-read", "") is True
    finally:
        required_strings.cache_clear()


@pytest.mark.parametrize("selector", [
    "#top", "#cniil_wza", "div.head", "div.bar", ".gxzf-wza", "a[href*='wza/']",
    "a[href*='direct_wza']", "[onclick*='aria.start']", "[onclick*='setOlder']",
    "table.footer td.leftbox + td + td", "td.position + td", "[lang|=zh]", "[lang|=en]",
    "a[href^='/wza']", "a[href$='.html']", "[class~=bar]", "[class~='head bar']", "td:first-child",
], ids=lambda s: s)
def test_a_ruled_out_selector_matches_nothing(selector):
    root = parse_html(PAGE)
    values = "\0".join(ALL_VALUES(root))
    matched = Selector.compile(selector)(root)
    assert may_match(selector, values) or not matched
    assert may_match(selector, values) == bool(matched) or not required_strings(selector)[0]


PATTERNS = ("direct_wza", "wza.js", "wza.elder.js", "cniil_wza", "x-toolbar", "toolbarSwitch",
            "toolbarCtrl", "无障碍", "无障碍浏览", "字号", "", "wza.js")


@pytest.mark.parametrize("text", [
    "", "nothing here", "src=/static/wza.js", "direct_wza() x-toolbar", "wz a.js cniil_wz",
    "无障碍 字号", "无障碍浏览", "toolbarCtrl\0toolbarSwitch\0wza.elder.js\0cniil_wza",
])
def test_occurring_is_exactly_the_patterns_in_the_text(text: str):
    assert occurring(PATTERNS, text) == {p for p in PATTERNS if p in text}


def test_scan_plan_groups_patterns_under_a_key_they_all_hold():
    plan = scan_plan(PATTERNS)
    assert sorted(p for _, members in plan for p in members) == sorted(set(PATTERNS))
    assert all(key in member for key, members in plan for member in members)
    assert ("wza", ("direct_wza", "wza.js", "wza.elder.js", "cniil_wza")) in plan
    assert ("无障碍", ("无障碍", "无障碍浏览")) in plan  # a pattern that is the key of two


NESTED = ("czfxfontzoom(", "fontZoom(", "fontZoomA(", "fontZoomB(", "fontZoomC(",
          "setFontSize(", "fontsizeSet", "ont", "x-toolbar", "toolbarSwitch", "toolbarCtrl",
          "barrierFree", "bar")


@pytest.mark.parametrize("text", [
    "", "font-size:12px", "font fontZoom( bar", "fontZoomB(1) fontZoomC(", "toolbar",
    "navbar toolbarCtrl x-toolbar", "setFontSize(2)\0barrierFree", "on t b ar",
    "czfxfontzoom(fontZoom(fontZoomA(fontZoomB(fontZoomC(setFontSize(fontsizeSet x-toolbar"
    "toolbarSwitch toolbarCtrl barrierFree",
])
def test_occurring_with_keys_inside_keys_is_exact(text: str):
    # keys inside keys (fontZoom inside ont's members, bar inside toolbar's): still exact
    assert occurring(NESTED, text) == {p for p in NESTED if p in text}


def test_a_longer_shared_key_goes_before_a_more_common_short_one():
    plan = scan_plan(NESTED)
    assert plan[0] == ("fontZoom", ("fontZoom(", "fontZoomA(", "fontZoomB(", "fontZoomC("))
    assert ("ont", ("czfxfontzoom(", "setFontSize(", "fontsizeSet", "ont")) in plan


def test_may_match_takes_the_occurring_strings_too():
    values = "top\0head bar\0/wza/index.html"
    for selector in ("#top", "#cniil_wza", "a[href*='wza/']", "#a, .b", "td:first-child"):
        found = occurring(tuple(s for group in required_strings(selector) for s in group),
                          values)
        assert may_match(selector, found) == may_match(selector, values)


def test_non_ascii_characters_keep_every_non_ascii_pattern_of_the_text():
    text = "<a href='/wza'>无障碍</a><p>字 号</p>\ud800 适老化x版"
    kept = non_ascii_characters(text)
    assert kept == "无障碍字号\ud800适老化版"
    for pattern in ("无障碍", "适老化", "障碍"):
        assert pattern in text and pattern in kept
    assert "字号" in kept and "字号" not in text  # only a necessary test
