"""Reveal: what the page's scripts would have revealed is shown, what is hidden on purpose stays
hidden. Markup from shared/corpus/sites (trimmed to what the step reads)."""

from __future__ import annotations

from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms.reveal import STYLE_ID, TAB_HEADING, Reveal, hover_twins

#: yjhent.sina.com.cn: a two-tab box whose second panel the tab script left display:none
SINA_TABS = """
<div class="adNone" id="PublicRelation5">
<div class="M_Menu_01">
  <label id="S_Label_02_01" class="selected">图铃下载</label>
  <label id="S_Label_02_02">新浪公益</label>
</div>
<div class="Mblk_03">
  <ul class="list_009_f14" id="S_Cont_02_01">
    <li>【短信】<a href="http://bf.sina.com.cn/a">一粒沙里有…</a></li></ul>
  <ul class="list_009_f14" id="S_Cont_02_02" style="display:none;">
    <li><a href="http://gongyi.sina.com.cn/b">江苏卡思迪莱服饰有</a></li></ul>
</div></div>"""
#: yjhent.sina.com.cn's nav: "log out" and the user name, shown by script to signed-in users
SINA_LOGOUT = """<ul><li id="content_mainNav_log">
  <span id="content_mainNav_uniproquit" style="display:none;"><a href="#">退出</a></span>
  <span id="content_mainNav_uq_username" style="display:none;"></span></li></ul>"""
#: lxhyn.gov.cn: the main menu's submenus open on hover only
LXHYN_CSS = """.main-header .main-nav>ul>li:hover ul {
      display: block;
    }
/* .x:hover .y { display: block } */"""


def reveal(html: str, stylesheets: list[str] = ()) -> Page:
    page = Page(url="http://origin.test/", tree=parse_html(html))
    page.includes[Reveal.name] = list(stylesheets)
    Pipeline([Reveal()]).run(page)
    return page


def override(page: Page) -> str:
    found = page.tree.xpath(f"//style[@id='{STYLE_ID}']/text()")
    return found[0] if found else ""


def test_every_tab_panel_is_shown_under_its_label_as_a_heading():
    page = reveal(f"<html><body>{SINA_TABS}</body></html>")
    headings = page.tree.xpath(f"//h3[@{TAB_HEADING}]")
    assert [h.text for h in headings] == ["图铃下载", "新浪公益"]
    for heading in headings:
        panel = heading.getnext()
        assert panel.tag == "ul" and "display" not in (panel.get("style") or "")
    assert page.tree.xpath("//div[@class='M_Menu_01']/@hidden") == [""]  # no second copy


def test_tab_labels_that_are_links_stay_links_and_ids_stay_unique():
    html = ("<div class=tab><span class='t on'><a id=a1 href='/yw'>要闻</a></span>"
            "<span class=t><a id=a2 href='/tz'>通知公告</a></span></div>"
            "<div><ul><li>甲新闻</li></ul><ul style='display: none'><li>乙通知</li></ul></div>")
    page = reveal(f"<html><body>{html}</body></html>")
    assert page.tree.xpath(f"//h3[@{TAB_HEADING}]/a/@href") == ["/yw", "/tz"]
    assert len(page.tree.xpath("//*[@id='a2']")) == 1


def test_what_is_hidden_on_purpose_stays_hidden():
    lone = reveal(f"<html><body>{SINA_LOGOUT}</body></html>")
    assert len(lone.tree.xpath("//span[contains(@style, 'display:none')]")) == 2
    html = ("<div class=tabs><b class=on>一</b><b>二</b></div><div>"
            "<p>甲</p><p hidden style='display:none'>乙</p></div>"
            "<template><p>模板</p></template><dialog><p>对话框</p></dialog>")
    page = reveal(f"<html><body>{html}</body></html>")
    assert page.tree.xpath("//p[@hidden]/@style") == ["display:none"]
    assert not page.tree.xpath(f"//*[@{TAB_HEADING}]") and not override(page)


def test_panels_without_a_strip_of_labels_are_left_as_they_are():
    html = "<div><ul><li>甲</li></ul><ul style='display:none'><li>乙</li></ul></div>"
    page = reveal(f"<html><body>{html}</body></html>")
    assert page.tree.xpath("//ul[2]/@style") == ["display:none"]


def test_anti_flicker_class_and_hidden_body_are_undone():
    page = reveal("<html class='js async-hide'><head><style>.async-hide{opacity:0!important}"
                  "</style></head><body style='opacity:0;color:red'><p>正文</p></body></html>")
    assert page.tree.get("class") == "js"
    assert page.body.get("style") == "color:red"
    assert "html,body{opacity:1!important" in override(page)
    assert "display:block" not in override(page)  # the body's own display is kept


def test_a_body_hidden_by_a_linked_stylesheet_is_shown():
    page = reveal("<html><body><p>正文</p></body></html>",
                  ["body{opacity:0;transition:opacity .3s} body.loaded{opacity:1}"])
    assert "visibility:visible!important" in override(page)
    assert "display" not in override(page)
    assert not override(reveal("<html><body><p>x</p></body></html>",
                               ["body{opacity:0.9} .menu{display:none}"]))
    hidden = reveal("<html><body><p>x</p></body></html>", ["html,body{display:none}"])
    assert "body{display:block!important}" in override(hidden)


def test_reveal_on_scroll_elements_are_shown_still():
    page = reveal("<html><body><div class='wow fadeInUp'>甲</div><div data-aos=fade-up>乙</div>"
                  "</body></html>")
    css = override(page)
    assert ".wow,[data-aos]{visibility:visible!important;opacity:1!important" in css
    assert "animation:none!important" in css


def test_hover_menus_open_by_keyboard_too():
    assert hover_twins(LXHYN_CSS) == [
        ".main-header .main-nav>ul>li:focus-within ul {\n      display: block;\n    }"]
    page = reveal("<html><body><ul class=nav><li>x</li></ul></body></html>", [LXHYN_CSS])
    assert ":focus-within ul" in override(page)


def test_a_second_pass_changes_nothing_more():
    page = reveal(f"<html class=async-hide><body>{SINA_TABS}</body></html>")
    again = Page(url="http://origin.test/", tree=page.tree)
    Pipeline([Reveal()]).run(again)
    assert len(again.tree.xpath(f"//h3[@{TAB_HEADING}]")) == 2
    assert len(again.tree.xpath(f"//style[@id='{STYLE_ID}']")) <= 1


def test_hover_rules_are_found_in_a_stylesheet_with_an_inlined_font():
    # iconfont.css (fjffoshan.gov.cn) inlines a font as one long base64 run without braces;
    # a selector-first pattern backtracked over it for minutes
    css = "@font-face{src:url(data:font/woff2;base64," + "d09GMgABAAAAA" * 20000 + ")}" \
          ".nav li:hover .sub{display:block}"
    assert hover_twins(css) == [".nav li:focus-within .sub{display:block}"]
