"""OurToolbar: skip link first, toolbar next, our stylesheet last in <head>, private caching."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline
from proxy.siterules.model import DEFAULT_RULES, ToolbarRules
from proxy.transforms.our_toolbar import MAINS, OurToolbar, earlier_insertions
from proxy.visitor.prefs import Preferences

URL = "http://www.site.gov.cn/art/1.html"
DEFAULT = Preferences()


def run(body: str, prefs: Preferences = DEFAULT, rules=DEFAULT_RULES,
        head: str = "<title>t</title>") -> Page:
    page = Page(url=URL, tree=parse_html(f"<html><head>{head}</head><body>{body}</body></html>"),
                rules=rules, prefs=prefs)
    Pipeline([OurToolbar()]).run(page)
    return page


def test_skip_link_then_toolbar_start_the_body():
    page = run("页首文字<div>菜单</div><main id='content'>正文</main>")
    first, second = page.body[0], page.body[1]
    assert (first.tag, first.get("class"), first.get("href")) == ("a", "a11y-skip", "#content")
    assert (second.tag, second.get("id")) == ("nav", "a11y-toolbar")
    assert page.body.text is None and second.tail.startswith("页首文字")


@pytest.mark.parametrize(("body", "target_xpath"), [
    ("<div role='main'>正文</div>", "//div[@role='main']"),
    ("<main>正文</main>", "//main"),
    ("<div>菜单</div><h2>标题</h2><p>正文</p>", "//h2"),
    ("<p>只有正文</p>", "//body"),
], ids=["role-main-without-id", "main-without-id", "first-heading", "body"])
def test_skip_link_target_gets_an_id(body, target_xpath):
    page = run(body)
    target = page.tree.xpath(target_xpath)[0]
    assert target.get("id") == "a11y-main"
    assert page.tree.xpath("//a[@class='a11y-skip']/@href") == ["#a11y-main"]


def test_stylesheet_comes_last_in_head_with_site_css():
    rules = DEFAULT_RULES.__class__(css="#content { width: auto; }")
    page = run("<main>x</main>", Preferences(scheme="contrast"), rules,
               head="<style>a{color:red}</style>")
    link, style = page.head[-2], page.head[-1]
    assert link.get("href") == "/_a11y/toolbar.css"
    assert "#000000 !important" in style.text and style.text.endswith("#content { width: auto; }")


def test_no_script_is_inserted():
    out = serialize(run("<main>x</main>", Preferences(text=200)).tree).decode()
    assert "<script" not in out and "javascript:" not in out and " on" not in out.split(
        "<body")[1].split(">")[0]


@pytest.mark.parametrize(("prefs", "cache_control"), [
    (Preferences(), None), (Preferences(text=150), "private")], ids=["default", "chosen"])
def test_answers_that_depend_on_preferences_are_private(prefs, cache_control):
    assert run("<main>x</main>", prefs).response_headers.get("Cache-Control") == cache_control


def test_site_rule_can_put_the_toolbar_last_or_leave_it_out():
    last = run("<main>x</main>", rules=DEFAULT_RULES.__class__(
        toolbar=ToolbarRules(position="append")))
    assert last.body[0].get("class") == "a11y-skip" and last.body[-1].get("id") == "a11y-toolbar"
    off = run("<main>x</main>", rules=DEFAULT_RULES.__class__(toolbar=ToolbarRules(enabled=False)))
    assert off.body[0].get("class") == "a11y-skip" and not off.tree.xpath("//nav")


def test_a_second_pass_does_not_double_anything():
    page = run("<main>x</main>", Preferences(scheme="blue"))
    once = serialize(page.tree)
    Pipeline([OurToolbar()]).run(page)
    assert serialize(page.tree) == once
    assert len(page.tree.xpath("//nav[@id='a11y-toolbar']")) == 1


def test_earlier_insertions_and_mains_are_what_the_predicate_queries_select():
    root = parse_html(
        "<html><head><style id='a11y-prefs'></style><link id='a11y-toolbar-css'>"
        "<style id='a11y-toolbar-css'></style></head><body><a class='a11y-skip'>s</a>"
        "<nav id='a11y-toolbar'></nav><div id='a11y-toolbar'></div><a class='a11y-skip x'>k</a>"
        "<span class='a11y-skip'></span><div role='main'><main></main></div></body></html>")
    ours = etree.XPath("//nav[@id='a11y-toolbar'] | //a[@class='a11y-skip']"
                       " | //style[@id='a11y-prefs'] | //link[@id='a11y-toolbar-css']")(root)
    assert len(ours) == 4 and earlier_insertions(root) == ours
    mains = etree.XPath("(//main | //*[@role='main'])[1]")(root)
    assert MAINS(root) == mains and mains[0].tag == "div"
