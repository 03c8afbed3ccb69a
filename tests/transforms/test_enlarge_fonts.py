"""EnlargeFonts: the page's own sizes follow the text step, in one rewrite for every step."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page, parse_html, serialize
from proxy.transforms.enlarge_fonts import BASE_STYLE_ID, EnlargeFonts, legacy_font_px, sized_nodes
from proxy.visitor.prefs import Preferences
from proxy.visitor.splice import BASE, placeholder

LEGACY_PAGE = """<html><head><style>body{font-size:12px}.w{width:1000px}</style></head><body>
<table width="1000" align="center"><tr><td width="700" nowrap>正文</td>
<td width="30%"><font size="2">小字</font><font size="+2" style="font-size:10px">内联</font></td>
</tr></table>
<div id="zoom" style="font-size:14px;line-height:28px">内容</div>
<img src="a.png" style="width:700px;height:100px"></body></html>"""


def run(html: str, text: int, splice: dict | None = None) -> Page:
    page = Page(url="http://origin/a.html", tree=parse_html(html), prefs=Preferences(text=text),
                splice=splice)
    EnlargeFonts().finish(page)
    return page


def without_base(page: Page) -> bytes:
    page.tree.get_element_by_id(BASE_STYLE_ID).drop_tree()
    return serialize(page.tree)


def test_the_rewrite_is_the_same_at_every_step():
    assert len({without_base(run(LEGACY_PAGE, text)) for text in (100, 125, 200)}) == 1


def test_style_elements_and_attributes_follow_the_text_switch():
    tree = run(LEGACY_PAGE, 200).tree
    sheet = tree.xpath("//style[not(@id)]")[0].text
    assert sheet == ("body{font-size:calc(12px * var(--a11y-text, 1))}"
                     ".w{width:var(--a11y-auto, 1000px);"
                     "max-width:calc(1000px + var(--a11y-uncap, 100000px))}")
    assert tree.get_element_by_id("zoom").get("style") == \
        "font-size:calc(14px * var(--a11y-text, 1));line-height:calc(28px * var(--a11y-text, 1))"


def test_font_size_attributes_are_marked_with_their_keyword():
    small, inline = run(LEGACY_PAGE, 200).tree.xpath("//font")
    assert small.get("data-a11y-font") == "small" and small.get("size") == "2"
    assert inline.get("data-a11y-font") is None  # the inline size wins over size="+2"


def test_fixed_tables_are_marked_to_yield():
    tree = run(LEGACY_PAGE, 200).tree
    table = tree.find(".//table")
    assert table.get("width") == "1000"  # at 100 % the page is as the origin made it
    assert table.get("data-a11y-yield") == "w frame"
    assert table.get("style").startswith("--a11y-frame:1000px;")
    fixed, relative = tree.xpath("//td")
    assert fixed.get("data-a11y-yield") == "nowrap w"
    assert relative.get("data-a11y-yield") is None


def test_images_keep_their_box():
    img = run(LEGACY_PAGE, 200).tree.find(".//img")
    assert img.get("style") == "width:700px;height:100px"


@pytest.mark.parametrize(("text", "root"), [(125, "125%"), (150, "150%"), (200, "200%")],
                         ids=["125", "150", "200"])
def test_unsized_text_follows_a_root_size_that_the_pages_own_rules_override(text, root):
    head = run(LEGACY_PAGE, text).tree.find("head")
    base = head[0]
    assert base.get("id") == BASE_STYLE_ID
    assert f"--a11y-text:{text / 100:g}" in base.text
    assert f"html{{font-size:{root}}}" in base.text


def test_at_100_the_base_style_only_sets_the_floor_switch():
    base = run(LEGACY_PAGE, 100).tree.get_element_by_id(BASE_STYLE_ID)
    assert base.text == ":root{--a11y-floor: }"


def test_a_template_leaves_a_hole_for_every_visitor():
    splice: dict = {}
    base = run(LEGACY_PAGE, 200, splice).tree.get_element_by_id(BASE_STYLE_ID)
    assert base.text == placeholder(BASE)
    assert splice == {"scaled": True, "floored": True}


def test_a_page_proxied_twice_is_scaled_once():
    once = serialize(run(LEGACY_PAGE, 200).tree).decode()
    assert serialize(run(once, 200).tree).decode() == once


@pytest.mark.parametrize(("size", "px"), [("1", 10), ("2", 13), ("3", 16), ("7", 48),
                                          ("+1", 18), ("-1", 13), ("9", 48), ("big", None)],
                         ids=["1", "2", "3", "7", "plus1", "minus1", "clamped", "invalid"])
def test_legacy_font_sizes_map_to_the_html_standard_keywords(size, px):
    assert legacy_font_px(size) == px


def test_sized_nodes_are_what_one_query_selects_once_each():
    root = parse_html(
        "<html><head><style>p{font-size:12px}</style></head><body style='margin:0'>"
        "<table width='800' style='color:red'><tr><td width='50%' nowrap>a</td><th nowrap>b</th>"
        "<td>c</td></tr></table><font size='2'>d</font><font color='red'>e</font>"
        "<p style=''>f</p><table><tr><td style='width:10px' width='9'>g</td></tr></table>"
        "</body></html>")
    query = etree.XPath(
        "//style | //*[@style] | //font[@size] | //table[@width] | //td[@width] | //th[@width]"
        " | //td[@nowrap] | //th[@nowrap]")
    found = sized_nodes(root)
    assert len(query(root)) == 8
    assert len(found) == len(set(found)) and set(found) == set(query(root))
