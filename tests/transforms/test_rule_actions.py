"""RuleActions: the site file's `remove` and lol-html-style actions, text escaped by default."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.page import Page, parse_html
from proxy.transforms.rule_actions import RuleActions
from tests.factories import load_rules_text

SOURCE = '<div id="box">A<b id="b">B</b>C<i>I</i>D</div>'


def body_html(yaml_text: str, html: str = SOURCE) -> str:
    page = Page(url="http://o/", tree=parse_html(html), rules=load_rules_text(yaml_text))
    RuleActions().prepare(page)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in page.body)


@pytest.mark.parametrize(("action", "expected"), [
    ("{remove: '#b'}", '<div id="box">AC<i>I</i>D</div>'),
    ("{remove_and_keep_content: '#b'}", '<div id="box">ABC<i>I</i>D</div>'),
    ("{replace: '#b', content: '<x>'}", '<div id="box">A&lt;x&gt;C<i>I</i>D</div>'),
    ("{replace: '#b', content: '<em>E</em>', type: html}",
     '<div id="box">A<em>E</em>C<i>I</i>D</div>'),
    ("{before: '#b', content: '1'}", '<div id="box">A1<b id="b">B</b>C<i>I</i>D</div>'),
    ("{after: '#b', content: '<em>2</em>!', type: html}",
     '<div id="box">A<b id="b">B</b><em>2</em>!C<i>I</i>D</div>'),
    ("{prepend: '#box', content: '<em>0</em>', type: html}",
     '<div id="box"><em>0</em>A<b id="b">B</b>C<i>I</i>D</div>'),
    ("{append: '#box', content: 'Z'}", '<div id="box">A<b id="b">B</b>C<i>I</i>DZ</div>'),
    ("{set_inner_content: '#box', content: 'new'}", '<div id="box">new</div>'),
    ("{rename: '#b', name: strong}", '<div id="box">A<strong id="b">B</strong>C<i>I</i>D</div>'),
    ("{set_attribute: '#b', name: title, value: T}",
     '<div id="box">A<b id="b" title="T">B</b>C<i>I</i>D</div>'),
    ("{remove_attribute: '#box', name: id}", "<div>A<b id=\"b\">B</b>C<i>I</i>D</div>"),
], ids=["remove", "keep-content", "replace-text-escaped", "replace-html", "before", "after-html",
        "prepend-html", "append-text", "set-inner", "rename", "set-attribute",
        "remove-attribute"])
def test_each_action_verb(action, expected):
    assert body_html(f"hosts: [o]\nactions:\n  - {action}\n") == expected


def test_remove_list_keeps_following_text_and_never_removes_body():
    html = '<p>keep<span class="ad">ad</span> tail</p>'
    assert body_html("hosts: [o]\nremove: ['.ad']\n", html) == "<p>keep tail</p>"


def test_a_second_pass_does_not_apply_the_actions_again():
    rules = load_rules_text("hosts: [o]\nactions:\n  - {append: '#box', content: 'Z'}\n")
    page = Page(url="http://o/", tree=parse_html(SOURCE), rules=rules)
    RuleActions().prepare(page)
    served = lxml.html.tostring(page.tree, encoding="unicode")
    again = Page(url="http://o/", tree=parse_html(served), rules=rules)
    RuleActions().prepare(again)
    assert again.tree.get_element_by_id("box").text_content() == "ABCIDZ"
