"""Carousels and SuperSlide boxes read from the page's markup and scripts (real calls from
gjbcac.gov.cn's common.js, trimmed)."""

from __future__ import annotations

from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms.carousels import library_rules, slide_calls, superslide
from proxy.transforms.reveal import STYLE_ID, TAB_HEADING, TAB_PANEL, Reveal

GJBCAC_COMMON_JS = """
    jQuery(".logo-area").slide({
        mainCell: ".logo ul",
        autoPage: true,
        effect: "topLoop", //效果类型（其它参数top,即倒带效果）
        autoPlay: true,
        vis: 1, //可视个数
    });
    jQuery("#nav").slide({
        type: "menu", //效果类型，针对菜单/导航而引入的参数（其它参数slide）
        titCell: ".nLi", //鼠标触发对象
        targetCell: ".sub", //titCell里面包含的要显示/消失的对象
        effect: "fade", //targetCell下拉效果（其它参数slideDown）
    });
    jQuery("#security").slide({
        titCell: ".news-normal-title p",
        mainCell: ".newsList",
        // targetCell: ".more a",
        effect: "fold"
    });
"""
SECURITY_BOX = """<div id="security">
  <div class="news-normal-title"><p class="on">平安建设</p><p>扫黑除恶</p></div>
  <ul class="newsList"><li>甲</li></ul><ul class="newsList" style="display:none"><li>乙</li></ul>
</div>
<div class="logo-area"><div class="logo"><ul><li>一</li><li>二</li></ul></div></div>"""


def test_slide_calls_are_read_with_their_options():
    calls = slide_calls([GJBCAC_COMMON_JS])
    assert [box for box, _ in calls] == [".logo-area", "#nav", "#security"]
    assert calls[0][1]["mainCell"] == ".logo ul" and calls[0][1]["autoPage"] == "true"
    assert calls[1][1] == {"type": "menu", "titCell": ".nLi", "targetCell": ".sub",
                           "effect": "fade"}


def test_slider_becomes_a_list_menu_opens_by_keyboard_tab_box_is_found():
    root = parse_html(f"<html><body>{SECURITY_BOX}</body></html>")
    rules, tabs = superslide(root, [GJBCAC_COMMON_JS])
    assert "#nav .nLi:focus-within .sub{display:block!important}" in rules
    assert any(r.startswith(".logo-area .logo ul>*{display:block!important") for r in rules)
    [(labels, panels)] = tabs
    assert [el.text for el in labels] == ["平安建设", "扫黑除恶"] and len(panels) == 2


def test_reveal_lays_out_a_superslide_tab_box_from_the_page_scripts():
    page = Page(url="http://origin.test/", tree=parse_html(
        f"<html><body>{SECURITY_BOX}<script>{GJBCAC_COMMON_JS}</script></body></html>"))
    Pipeline([Reveal()]).run(page)
    assert page.tree.xpath(f"//h3[@{TAB_HEADING}]/text()") == ["平安建设", "扫黑除恶"]
    assert len(page.tree.xpath(f"//ul[@{TAB_PANEL}]")) == 2
    assert not page.tree.xpath(f"//ul[@{TAB_PANEL}]/@style")
    assert f"[{TAB_PANEL}]{{display:revert!important}}" in page.tree.xpath(
        f"//style[@id='{STYLE_ID}']/text()")[0]


def test_page_number_titles_and_unknown_boxes_are_not_tabs():
    root = parse_html("<html><body><div class=b><ul class=hd><li>1</li><li>2</li></ul>"
                      "<div class=bd><p>甲</p><p>乙</p></div></div></body></html>")
    rules, tabs = superslide(root, ['$(".b").slide({mainCell: ".bd", titCell: ".hd li"})',
                                    '$(".gone").slide({titCell: ".x li", mainCell: ".y"})',
                                    '$("a[").slide({})'])
    assert tabs == [] and ".b .bd>*" + "{" in "".join(rules)


def test_library_sliders_show_every_slide_and_hide_their_copies():
    assert library_rules({"news", "item"}) == []
    rules = library_rules({"swiper-wrapper", "swiper-slide"})
    assert rules[0].startswith(".swiper-container,.swiper,.swiper-wrapper{height:auto")
    assert rules[1].startswith(".swiper-slide{display:block!important")
    assert ".swiper-slide-duplicate" in rules[2] and rules[2].endswith("{display:none!important}")
