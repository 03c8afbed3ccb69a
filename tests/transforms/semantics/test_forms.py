"""semantics_forms: every control gets a name from what a sighted user reads, or its function."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page
from proxy.transforms.semantics import forms as semantics_forms
from tests.factories import page_from_body


def repaired(body: str) -> Page:
    page = page_from_body(body)
    semantics_forms.repair(page)
    return page


@pytest.mark.parametrize(("body", "label"), [
    ('<form role="search"><input id="kw" value="请输入关键词"><input type="submit"></form>',
     "搜索"),
    ('<form class="header_search"><input type="hidden" name="t"><input name="w">'
     '<button type="button"></button></form>', "搜索"),
    ('<div class="search right"><div class="con"><input id="sw"><span class="btn_ss">搜索</span>'
     "</div></div>", "搜索"),
    ('<table><tr><td><input name="word"> <a class="glyphicon-search" href="#">go</a></td></tr>'
     "</table>", "搜索"),
    ('<form><input name="name"><input type="submit"></form>', None),
    ('<div class="content"><input name="q"></div>', None),
    ('<form role="search"><input name="a"><input name="b"></form>', None),
    ('<input type="password" value="******">', "密码"),
    ('<input name="k" title="搜索关键词">', "搜索关键词"),
    ('<input name="k" placeholder="请输入关键词" title="请输入关键字">', "请输入关键词"),
    ('<form role="search"><input type="search" name="s" title="Search"></form>', "Search"),
], ids=["only-box-of-a-search-landmark", "search-form-by-class", "search-box-without-a-form",
        "search-link-beside-it", "plain-form-says-nothing", "content-is-not-a-search",
        "two-boxes-are-not-one-search", "password", "title-copied-into-aria-label",
        "placeholder-before-title", "title-before-the-function"])
def test_a_box_is_named_by_what_is_read_or_its_function(body, label):
    control = next(el for el in repaired(body).tree.iter("input")
                   if el.get("type") not in ("hidden", "submit", "button"))
    assert control.get("aria-label") == label


def test_a_form_group_label_gets_its_for():
    page = repaired('<div class="form-group"><label class="control-label">联系手机：</label>'
                    '<div class="col"><input id="tel" name="tel"></div></div>'
                    '<div><label>留言内容：</label><div><textarea name="c"></textarea></div></div>'
                    '<div><label>甲</label><div><input id="a"><input id="b"></div></div>')
    labels = page.tree.findall(".//label")
    assert labels[0].get("for") == "tel"
    assert page.tree.find(".//input").get("aria-label") is None
    assert page.tree.find(".//textarea").get("aria-label") == "留言内容"
    assert labels[2].get("for") is None  # the box holds two controls: the label is for neither


@pytest.mark.parametrize(("options", "label"), [
    ('<option value="" selected>省内外高校</option><option value="http://a.edu.cn/">甲大学'
     "</option>", "省内外高校"),
    ('<option selected>中国政府网及国务院部门网站</option><option value="http://www.gov.cn/">'
     "中央人民政府</option>", "中国政府网及国务院部门网站"),
    ('<option value="-pixnet-">文章精選</option><option value="/blog/archives/201610">2016 十月'
     "</option>", "文章精選"),
    ('<option value="0" selected>站内搜索</option><option value="1">一网通查</option>', None),
    ('<option value="">请选择</option>', None),
], ids=["empty-value-caption", "no-value-before-links", "dummy-value-before-paths",
        "a-real-choice-is-not-a-name", "caption-needs-choices"])
def test_a_jump_menu_is_named_by_its_caption_option(options, label):
    assert repaired(f"<select>{options}</select>").tree.find(".//select").get(
        "aria-label") == label


@pytest.mark.parametrize(("body", "label"), [
    ('<form role="search"><input name="q"><input type="submit"></form>', "搜索"),
    ('<form><input name="q"><input name="r"><input type="submit"></form>', "提交"),
    ('<form role="search"><input name="q"><input type="reset"></form>', "重置"),
    ('<div class="modal"><input type="submit"></div>', "按钮"),
    ('<div class="modal"><button type="submit"></button></div>', "按钮"),
    ('<input type="submit" form="f1"><form id="f1"><input name="q"></form>', "提交"),
], ids=["search-button", "other-submit", "reset-stays-reset", "submit-outside-any-form",
        "button-outside-any-form", "submit-owned-by-form-attribute"])
def test_a_textless_button_is_named_by_what_it_does(body, label):
    button = repaired(body).tree.xpath("//body//input[@type] | //body//button")[0]
    assert button.get("aria-label") == label


#: the queries the walk replaced, kept here as its oracle
CONTROLS = etree.XPath(
    "//body//input[not(@type) or not(contains(' hidden submit reset button image ', "
    "concat(' ', translate(@type, 'HIDENSUBMTRAGBUOIMG', 'hidensubmtragbuoimg'), ' ')))] | "
    "//body//select | //body//textarea")
BUTTONS = etree.XPath("//body//input[contains(' submit reset button ', concat(' ', "
                      "translate(@type, 'SUBMITRESTBUON', 'submitrestbuon'), ' '))]"
                      "[not(normalize-space(@value))] | "
                      "//body//button[not(normalize-space(string(.)))]"
                      "[not(.//img[normalize-space(@alt)!=''])]")


def test_the_walk_finds_what_the_queries_found():
    types = ["", "text", "TEXT", "Hidden", "submit", "SUBMIT", "reset", "button", "image",
             "Image", "search", "submit reset", "sub", "checkbox", "ＳＵＢＭＩＴ"]
    body = "".join(f'<input id="t{n}" type="{t}"><input id="v{n}" type="{t}" value=" \u3000">'
                   f'<input id="b{n}" type="{t}" value="\t">' for n, t in enumerate(types))
    body += ('<input id="none"><select id="s"></select><textarea id="ta"></textarea>'
             '<button id="empty"> <!-- 注释 --> </button><button id="text">去</button>'
             '<button id="img"><img alt=" "></button><button id="named"><img alt="搜"></button>'
             '<label for="x">甲</label><label>乙</label><label for="">丙</label>')
    page = page_from_body(body)
    controls, buttons, labelled = semantics_forms._walk(page.tree)
    empty_buttons = [b for b in buttons if semantics_forms._is_empty_button(b)]
    assert controls == CONTROLS(page.tree)
    assert empty_buttons == BUTTONS(page.tree)
    assert labelled == {"x", ""}


def test_a_label_is_looked_for_only_right_before_the_box():
    page = repaired('<div><label>电话：</label><!-- 注释 --><div><input id="tel"></div></div>'
                    '<div><label>地址：</label><span>说明</span><div><input id="addr"></div>'
                    "</div>")
    labels = page.tree.findall(".//label")
    assert labels[0].get("for") == "tel"
    assert labels[1].get("for") is None
