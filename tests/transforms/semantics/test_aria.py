"""semantics_aria: ARIA that contradicts itself or the keyboard, repaired without moving content."""

from __future__ import annotations

import pytest

from proxy.page import Page
from proxy.transforms.semantics import aria as semantics_aria
from tests.factories import page_from_body


def repaired(body: str) -> Page:
    page = page_from_body(body)
    semantics_aria.repair(page)
    return page


def first(page: Page, tag: str):
    return page.tree.find(f".//{tag}")


@pytest.mark.parametrize(("body", "tag", "expected"), [
    ('<a href="/fb" aria-hidden="true" title="Facebook"></a>', "a", (None, None)),
    ('<a href="/fb" aria-hidden="true"><span>Facebook</span></a>', "a", (None, None)),
    ('<a href="/x" aria-hidden="true"></a>', "a", ("true", "-1")),
    ('<div aria-hidden="true"><a href="/share">分享</a></div>', "a", (None, "-1")),
    ('<header aria-hidden="true"><button>关闭</button></header>', "button", (None, "-1")),
    ('<div aria-hidden="true"><a href="/a" tabindex="-1">a</a></div>', "a", (None, "-1")),
    ('<div aria-hidden="true"><input type="hidden" name="q"></div>', "input", (None, None)),
], ids=["named-icon-link-shown", "link-with-text-shown", "nameless-link-leaves-tab-order",
        "link-in-hidden-container", "button-in-hidden-header", "already-unfocusable",
        "hidden-input-is-not-focusable"])
def test_hidden_content_is_not_focusable_and_visible_controls_are_not_hidden(body, tag,
                                                                               expected):
    el = first(repaired(body), tag)
    assert (el.get("aria-hidden"), el.get("tabindex")) == expected


@pytest.mark.parametrize(("body", "tag", "tabindex"), [
    ('<input name="q" tabindex="1">', "input", None),
    ('<button tabindex="3">找文章</button>', "button", None),
    ('<div tabindex="2">区域</div>', "div", "0"),
    ('<a href="/a" tabindex="0">a</a>', "a", "0"),
    ('<a href="/a" tabindex="-1">a</a>', "a", "-1"),
], ids=["input-back-to-document-order", "button", "div-stays-focusable", "zero-kept",
        "negative-kept"])
def test_positive_tabindex_goes(body, tag, tabindex):
    assert first(repaired(body), tag).get("tabindex") == tabindex


@pytest.mark.parametrize(("body", "attrs"), [
    ('<div aria-role="search" class="s">x</div>', {"class": "s", "role": "search"}),
    ('<main><div aria-role="navigation">x</div></main>', {}),
    ('<div class="ipv6" aria-role="service">x</div>', {"class": "ipv6"}),
    ('<div aria-role="note" role="region" aria-label="r">x</div>',
     {"role": "region", "aria-label": "r"}),
    ('<div aria-labeledby="t">x</div>', {"aria-labelledby": "t"}),
    ('<div aria-foo="1" aria-label="名">x</div>', {"aria-label": "名"}),
], ids=["aria-role-becomes-role", "no-landmark-inside-a-landmark", "unknown-role-dropped",
        "existing-role-wins", "misspelling-corrected", "unknown-attribute-dropped"])
def test_aria_attributes_that_do_not_exist(body, attrs):
    assert dict(first(repaired(body), "div").attrib) == attrs


@pytest.mark.parametrize(("body", "role"), [
    ('<div role="footer">版权所有</div>', "contentinfo"),
    ('<footer>x</footer><div role="footer">版权所有</div>', None),
    ('<div role="contentinfo">a</div><div role="footer">版权所有</div>', None),
    ('<div role="foo button">x</div>', "button"),
    ('<div role="landmark">x</div>', None),
], ids=["synonym-becomes-the-landmark", "footer-element-is-the-landmark",
        "landmark-already-there", "first-valid-fallback", "abstract-role-dropped"])
def test_roles_that_do_not_exist(body, role):
    assert repaired(body).tree.findall(".//div")[-1].get("role") == role


def test_a_name_no_role_allows_becomes_an_image_or_goes():
    page = repaired('<span id="x" aria-label="OK"></span>'
                    '<div id="y" aria-label="头部信息"><ul></ul></div>'
                    '<div id="z" aria-label="正文">正文内容</div>')
    x, y, z = (page.tree.get_element_by_id(i) for i in "xyz")
    assert (x.get("role"), x.get("aria-label")) == ("img", "OK")
    assert (y.get("role"), y.get("aria-label")) == (None, None)
    assert (z.get("role"), z.get("aria-label")) == (None, "正文")  # has text: not flagged


def test_tab_roles_without_their_partner_go():
    page = repaired('<div id="l" role="tablist"><ul><li><span>全部留言</span></li></ul></div>'
                    '<div id="k" role="tablist"><span role="tab">甲</span></div>'
                    '<section><label id="t" role="tab" for="r" aria-selected="true">乙</label>'
                    "</section>"
                    '<div id="n" role="tablist"><section aria-label="推荐">'
                    '<label id="u" role="tab">丙</label></section></div>'
                    '<div id="g" role="tablist"><div><span id="v" role="tab">丁</span></div></div>')
    assert page.tree.get_element_by_id("l").get("role") is None
    assert page.tree.get_element_by_id("k").get("role") == "tablist"
    assert dict(page.tree.get_element_by_id("t").attrib) == {"id": "t", "for": "r"}
    assert [page.tree.get_element_by_id(i).get("role") for i in "nugv"] == [
        None, None, "tablist", "tab"]


def test_a_dialog_is_named_by_its_heading():
    page = repaired('<div role="dialog"><h2>登录</h2><p>x</p></div>'
                    '<div role="dialog" aria-label="已命名"><h2>y</h2></div>')
    named, labelled = page.tree.findall(".//div")
    heading = named.find("h2")
    assert named.get("aria-labelledby") == heading.get("id") == "a11y-dialog-title-1"
    assert labelled.get("aria-labelledby") is None


def test_a_script_made_button_is_named_by_its_own_text():
    page = repaired('<span id="b" role="button"><em>一键登录</em></span>'
                    '<span id="n" role="button" aria-label="菜单"><em>x</em></span>'
                    '<div id="i" role="button"></div>')
    assert [page.tree.get_element_by_id(i).get("aria-label") for i in "bni"] == [
        "一键登录", "菜单", None]


@pytest.mark.parametrize("value", [
    "-1", "0", "1", " 3 ", "+1", "1e0", "5e-1", "0.5", ".5", "-0", "-.5", "\t-2", "abc", "",
    "00", "1.", "0e9", "１", "2px"])
def test_positive_tabindex_follows_xpath_numbers(value):
    # the Python shortcut decides most values; each must agree with libxml2's number() > 0
    el = page_from_body(f'<div tabindex="{value}">x</div>').tree.find(".//div")
    assert semantics_aria._positive_tabindex(el) is bool(el.xpath("number(@tabindex) > 0"))


def test_a_role_set_from_aria_role_is_repaired_like_any_other():
    # the elements are picked once, before any repair: one that gets its role in the
    # attribute repair is still seen by the later role repairs
    page = repaired('<div id="d" aria-role="dialog"><h2>登录</h2></div>'
                    '<div id="t" aria-role="tab">甲</div>')
    dialog, tab = (page.tree.get_element_by_id(i) for i in "dt")
    assert dialog.get("aria-labelledby") == "a11y-dialog-title-1"
    assert tab.get("role") is None


def test_marked_union_is_the_predicate_query():
    """MARKED's attribute-step union picks the elements of the one-predicate form, in order."""
    from lxml import etree
    page = page_from_body(
        '<div role="main"><p aria-label="a" id="x"><dialog open>d</dialog></p>'
        '<span tabindex="0" aria-hidden="true">s</span><i class="aria-x">no</i>'
        '<b data-aria-x="1">no</b><em role="" tabindex="">e</em></div>')
    body = page.tree.find("body")
    body.set("aria-busy", "true")
    predicate = etree.XPath("descendant-or-self::*[@*[starts-with(name(), 'aria-')] or @role "
                            "or @tabindex or self::dialog]")
    assert semantics_aria.MARKED(body) == predicate(body)
    assert [el.tag for el in semantics_aria.MARKED(body)] == ["body", "div", "p", "dialog",
                                                              "span", "em"]
