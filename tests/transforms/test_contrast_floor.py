"""ContrastFloor: the site's colours reach 4.5:1 in the default scheme, at every text size."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.css.contrast import MIN_RATIO, WHITE, contrast, parse_rgb
from proxy.page import Page, parse_html, serialize
from proxy.transforms.contrast_floor import (
    ContrastFloor,
    colour_styled,
    coloured_nodes,
    style_background,
)
from proxy.transforms.enlarge_fonts import BASE_STYLE_ID, EnlargeFonts
from proxy.visitor.prefs import Preferences

PAGE = """<html><head><style>.date{color:#999999}.nav{background:#c00}.nav a{color:#ccc}</style>
</head><body text="#aaaaaa">
<table bgcolor="#b80000"><tr><td id="bar"><font color="#ffffff">关于我们</font>
<font id="pink" color="#ff6666">网上留言</font></td></tr></table>
<table><tr><td id="raw" style="font-size:12px;color:#999999">请求参数：<span>q=1</span></td></tr>
<tr><td>关键词：<font id="red" color="#ff0000">统战</font></td></tr>
<tr><td background="bg.jpg"><font id="onimage" color="#999999">图上</font></td></tr>
<tr><td style="background:#333"><span id="ondark" style="color:#666">深底</span></td></tr>
</table>
<p class="date">2019-09-20</p></body></html>"""


def run(html: str, **prefs) -> Page:
    page = Page(url="http://origin/a.html", tree=parse_html(html), prefs=Preferences(**prefs))
    EnlargeFonts().finish(page)
    ContrastFloor().finish(page)
    return page


def _colour(style: str) -> str:
    return style.split("color:")[1].split(";")[0]


@pytest.mark.parametrize("text", [100, 200], ids=["text-100", "text-200"])
def test_style_elements_get_the_floor_at_every_text_size(text):
    sheet = run(PAGE, text=text).tree.xpath("//style[not(@id)]")[0].text
    assert ".date{color:#6d6d6d}" in sheet
    assert ".nav a{color:#ccc}" in sheet  # light text under a dark-background rule: kept


def test_style_attribute_is_floored_against_the_assumed_light_page():
    style = run(PAGE).tree.get_element_by_id("raw").get("style")
    assert style.startswith("font-size:calc(12px * var(--a11y-text, 1));color:")
    assert contrast(parse_rgb(_colour(style)), WHITE) >= MIN_RATIO


def test_font_colour_is_floored_against_its_ancestors_background():
    tree = run(PAGE).tree
    assert tree.xpath("//font")[0].get("color") == "#ffffff"  # white on the red bar: fine
    pink = parse_rgb(tree.get_element_by_id("pink").get("color"))
    assert contrast(pink, parse_rgb("#b80000")) >= MIN_RATIO  # lightened on the red bar
    assert contrast(parse_rgb(tree.get_element_by_id("red").get("color")), WHITE) >= MIN_RATIO


def test_text_on_a_background_image_is_left_alone():
    assert run(PAGE).tree.get_element_by_id("onimage").get("color") == "#999999"


def test_inline_dark_background_lightens_the_text():
    style = run(PAGE).tree.get_element_by_id("ondark").get("style")
    assert contrast(parse_rgb(_colour(style)), parse_rgb("#333333")) >= MIN_RATIO


def test_legacy_body_text_colour_is_floored():
    body_text = parse_rgb(run(PAGE).tree.find("body").get("text"))
    assert contrast(body_text, WHITE) >= MIN_RATIO


@pytest.mark.parametrize("text", [100, 150], ids=["text-100", "text-150"])
def test_second_pass_changes_nothing(text):
    once = serialize(run(PAGE, text=text).tree).decode()
    assert serialize(run(once, text=text).tree).decode() == once


def test_the_floor_is_the_same_for_every_scheme_but_its_switch():
    """One rewrite for every visitor: a scheme's `!important` overrides the floored colours,
    and the base style says which scheme is on."""
    def page(scheme: str) -> tuple[bytes, str]:
        tree = run(PAGE, scheme=scheme).tree
        base = tree.get_element_by_id(BASE_STYLE_ID)
        text = base.text
        base.drop_tree()
        return serialize(tree), text

    (default, on), (scheme, off) = page("default"), page("contrast")
    assert default == scheme
    assert (on, off) == (":root{--a11y-floor: }", ":root{--a11y-scheme: }")


def test_an_important_inline_colour_is_switched():
    html = "<html><body><p id='p' style='color:#999 !important'>灰</p></body></html>"
    assert run(html).tree.get_element_by_id("p").get("style") == \
        "color:var(--a11y-scheme, #6d6d6d) var(--a11y-floor, #999) !important"


def test_text_links_are_marked_for_every_visitor():
    """The mark only shows in the default scheme without `underline` (visitor/style.py)."""
    html = "<html><body><p>当前位置：<a href='/'>首页</a> &gt; 正文</p></body></html>"
    assert run(html).tree.xpath("//a")[0].get("class") == "a11y-text-link"
    assert run(html, underline=True).tree.xpath("//a")[0].get("class") == "a11y-text-link"


def test_coloured_nodes_are_what_one_predicate_query_selects_once_each():
    root = parse_html(PAGE.replace('<p class="date">', '<p style="COLOR:red" class="date">')
                      .replace("<body", "<body style='color:#999'")
                      .replace('<font id="red"', '<font id="red" style="color:#c00"'))
    predicate = etree.XPath(
        "//style | //font[@color] | //body[@text or @link or @vlink or @alink]"
        " | //*[@style][contains(translate(@style, 'COLR', 'colr'), 'color')]")
    expected = predicate(root)
    assert len(expected) == 9  # body and the red font: by tag and by style, listed once
    found = coloured_nodes(root)
    assert len(found) == len(set(found)) and set(found) == set(expected)
    styled = [el for el in expected if "color" in el.get("style", "").lower()]
    assert found[:len(styled)] == styled  # styled ancestors before their descendants


def test_colour_styled_is_what_the_translate_query_selects():
    styles = ("color:red", "COLOR:red", "CoLoR:red", "background-color:#fff", "colour:x",
              "col or", "font-size:12px", "İcolor", "coİlor", "", "BORDER-COLOR:#000")
    root = parse_html("<html><body><div>" + "".join(
        f'<p style="{s}"><span style="{s}">x</span></p>' for s in styles) + "</div></body></html>")
    query = etree.XPath("//@style[contains(translate(., 'COLR', 'colr'), 'color')]/..")
    assert colour_styled(root) == query(root)
    assert len(colour_styled(root)) == 2 * 6


def test_style_background_is_remembered_per_string_and_still_exact():
    assert style_background("background:#003366;color:#fff").color == pytest.approx(
        (0, 0x33 / 255, 0x66 / 255))
    assert style_background("background:url(a.png)").image
    assert style_background("color:red").color is None
    hits = style_background.cache_info().hits
    assert style_background("background:url(a.png)") is style_background("background:url(a.png)")
    assert style_background.cache_info().hits >= hits + 2
