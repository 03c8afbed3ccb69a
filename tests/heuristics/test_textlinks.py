"""proxy/heuristics/textlinks.py: links in running text are marked, menus and link lists are not."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.heuristics.textlinks import TEXT_LINK_CLASS, candidate_links, mark_text_links
from proxy.page import parse_html

CASES = [  # (body html, texts of the links that must be marked)
    ("<p>详见<a href='/a'>通知</a>全文，请各单位认真贯彻落实。</p>", ["通知"]),
    ("<div>当前位置：<a href='/'>首页</a> &gt; <a href='/c'>工作动态</a> &gt; 正文</div>",
     ["首页", "工作动态"]),
    ("<td><a href='/'>首页</a> | <a href='/n'>新闻中心</a> | <a href='/g'>公告</a></td>", []),
    ("<ul><li><a href='/1'>关于召开全市统战工作会议的通知</a></li></ul>", []),
    ("<td><a href='/1'>统战工作会议召开</a><br>发布时间：2019年9月20日 来源：统战部</td>", []),
    ("<td>版权所有：统一战线工作部<br>地址：龙城大道 <a href='/icp'>苏ICP备</a></td>", ["苏ICP备"]),
    ("<p>说明文字比较长一些：<span><a href='/x'>链接</a></span></p>", ["链接"]),
    ("<p>无链接目标 <a name='top'>锚点</a> 的文字</p>", []),
    ("<td>发布日期：2019-09-20 字号：【<a href='/b'>大</a> <a href='/m'>中</a>"
     " <a href='/s'>小</a>】</td>", ["大", "中", "小"]),
]


@pytest.mark.parametrize("body, marked", CASES,
                         ids=["sentence", "breadcrumb", "menu", "link-list", "segment-by-br",
                              "second-segment", "nested-inline", "anchor-without-href",
                              "only-spaces-between"])
def test_links_in_running_text_are_marked(body, marked):
    tree = parse_html(f"<html><body><table><tr>{body}</tr></table></body></html>"
                      if body.startswith("<td") else f"<html><body>{body}</body></html>")
    mark_text_links(tree)
    found = [a.text_content() for a in tree.iter("a")
             if TEXT_LINK_CLASS in (a.get("class") or "").split()]
    assert found == marked


def test_our_own_skip_link_is_left_alone():  # a second pass finds it by its exact class
    tree = parse_html("<html><body><a class='a11y-skip' href='#m'>跳到主要内容</a>页面顶部的说明"
                      "</body></html>")
    assert mark_text_links(tree) == 0


def test_marking_keeps_existing_classes_and_is_idempotent():
    tree = parse_html("<html><body><p>请阅读<a class='x' href='/a'>这里</a>的详细说明文字</p>"
                      "</body></html>")
    assert mark_text_links(tree) == 1
    assert mark_text_links(tree) == 0
    assert tree.find(".//a").get("class") == f"x {TEXT_LINK_CLASS}"


@pytest.mark.parametrize(("body", "marked"), [
    ("<div><a href='/a'>很长很长的链接文字一</a><a href='/b'>很长很长的链接文字二</a>说明"
     "</div>", 0),
    ("<div><a href='/a'>链接</a>说明文字更长一些<a href='/b'>另一个</a></div>", 2),
    ("<div><span><a href='/a'>首页</a></span><hr>这一段说明文字更长<a href='/b'>链接</a></div>", 1),
], ids=["links-outweigh-the-text-early", "text-outweighs-all-links", "segments-cut-by-hr"])
def test_a_block_is_weighed_link_text_against_plain_text(body, marked):
    tree = parse_html(f"<html><body>{body}</body></html>")
    assert mark_text_links(tree) == marked


#: the query LINKS was written from, kept as its oracle
PLAIN_LINKS = etree.XPath(
    "//body//a[@href][not(starts-with(@class, 'a11y-'))][../text()[normalize-space()]"
    " or parent::*[self::font or self::span or self::b or self::strong or self::em or self::i]"
    "/../text()[normalize-space()]]")


def test_candidate_links_are_those_of_the_plain_query():
    wrappers = ["font", "span", "b", "strong", "em", "i", "s", "bdi", "small", "u", "li"]
    body = "".join(f"<div>说明<{w}><a href='/{w}'>{w}</a></{w}></div>"
                   f"<div> <{w}> <a href='/{w}2'>{w}</a> </{w}> </div>" for w in wrappers)
    body += ("<p>文字<a href='/x' class='a11y-skip'>我们的</a><a href='/y' class='b a11y-x'>它</a>"
             "<a name='n'>锚</a><!-- 注释 -->\t<a href=''>空</a></p><ul><li><a href='/z'>z</a>"
             "</li></ul><div><!-- 注释 -->尾<a href='/t'>t</a></div>")
    tree = parse_html(f"<html><body>{body}</body></html>")
    found = candidate_links(tree)
    assert found == PLAIN_LINKS(tree)
    # an inline wrapper's parent's text counts, any other element's does not
    assert {a.get("href") for a in found} == {"/font", "/span", "/b", "/strong", "/em", "/i",
                                              "/y", "", "/t"}
