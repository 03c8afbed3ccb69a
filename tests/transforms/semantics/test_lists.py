"""semantics_lists: list and description-list structure that is not one stops claiming to be."""

from __future__ import annotations

import pytest

from proxy.page import Page
from proxy.transforms.semantics import lists as semantics_lists
from tests.factories import page_from_body


def repaired(body: str) -> Page:
    page = page_from_body(body)
    semantics_lists.repair(page)
    return page


@pytest.mark.parametrize(("body", "role"), [
    ("<dl><dt>电话</dt><dd>12345</dd></dl>", None),
    ("<dl><div><dt>电话</dt><dd>12345</dd></div></dl>", None),
    ("<dl><dt>电话</dt><dt>邮箱</dt><dd>x</dd></dl>", None),
    ("<dl></dl>", None),
    ("<dl><dt><a href='/a'>甲</a></dt><dt><a href='/b'>乙</a></dt></dl>", "none"),
    ("<dl><dd>English</dd><dd>Русский</dd></dl>", "none"),
    ("<dl><dd>x</dd><dt>y</dt></dl>", "none"),
    ("<dl>字体：<a href='/big'>大</a></dl>", "none"),
    ("<dl><p>x</p></dl>", "none"),
], ids=["term-and-definition", "grouped-in-a-div", "two-terms-one-definition", "empty",
        "only-terms", "only-definitions", "definition-before-term", "text-and-links",
        "paragraph-child"])
def test_a_description_list_that_is_not_one_says_so(body, role):
    assert repaired(body).tree.find(".//dl").get("role") == role


@pytest.mark.parametrize(("parent_role", "item_role"), [
    ("navigation", "none"), ("list", None), ("none", None), (None, None)],
    ids=["landmark-role", "list-role", "none-role", "plain-list"])
def test_items_of_a_list_given_another_role(parent_role, item_role):
    role = f' role="{parent_role}"' if parent_role else ""
    page = repaired(f'<ul{role} aria-label="News"><li><a href="/news">Home</a></li></ul>')
    assert page.tree.find(".//li").get("role") == item_role


def test_an_empty_divider_item_is_hidden_a_separator_with_text_is_not():
    page = repaired('<ul><li><a href="/a">甲</a></li><li id="d" role="separator" class="divider">'
                    ' </li><li id="t" role="separator">其他</li></ul>')
    assert page.tree.get_element_by_id("d").get("aria-hidden") == "true"
    assert page.tree.get_element_by_id("t").get("aria-hidden") is None


def test_a_divider_of_a_list_that_is_not_one_is_left_as_it_is():
    """Dividers are looked at after the lists: a list made role="none" has no items to hide
    a divider from."""
    page = repaired('<ul><li id="d" role="separator"></li><p>不是列表项</p></ul>')
    assert page.tree.find(".//ul").get("role") == "none"
    assert page.tree.get_element_by_id("d").get("aria-hidden") is None


def test_list_markup_unwrapped_from_a_select_is_not_repaired_as_a_list():
    """The items are found again after the select's markup is unwrapped (a dropped item has
    no parent left to look at)."""
    page = repaired("<select><option><ul><li>甲</li></ul></option></select><li>乙</li>")
    assert page.tree.find(".//select").xpath(".//li | .//ul") == []
    assert page.tree.find(".//li").get("role") == "none"


@pytest.mark.parametrize(("body", "role"), [
    ("<ul><li>甲</li><!-- 注释 -->\n<li>乙</li></ul>", None),
    ("<ul>\u3000<li>甲</li></ul>", None),
    ("<ul><li>甲</li>乙</ul>", "none"),
    ("<ul><li>甲</li><a href='/b'>乙</a></ul>", "none"),
], ids=["comment-and-blank-text", "ideographic-space", "text-after-an-item", "a-link-child"])
def test_only_lists_with_more_than_items_are_changed(body, role):
    assert repaired(body).tree.find(".//ul").get("role") == role


def test_select_markup_is_the_whole_tree_querys():
    """The markup unwrapped is `//body//select//*[...]`'s, in its order, a nested select's
    (made by hand: the parser does not nest them) counted once."""
    from lxml import etree
    page = page_from_body(
        '<select><option>a</option><b><i>x</i></b><optgroup><option>b</option></optgroup>'
        '<hr><span>y</span></select><p><select><div>z</div><option>c</option></select></p>')
    outer = page.tree.find(".//select")
    inner = etree.SubElement(outer, "select")
    etree.SubElement(inner, "em").text = "w"
    etree.SubElement(inner, "option").text = "d"
    query = etree.XPath("//body//select//*[not(self::option or self::optgroup or "
                        "self::script or self::template or self::hr)]")
    expected = query(page.tree)
    selects = semantics_lists._walk(page.tree)["select"]
    found = semantics_lists._select_markup(selects)
    assert found == expected
    assert [el.tag for el in found] == ["b", "i", "span", "select", "em", "div"]
    assert semantics_lists._drop_select_markup(selects) is True
    assert query(page.tree) == []
