"""ReadingViews: text-only (alt text, one column) and reading mode (the content alone, with its
title, date/source line, attachments and tables)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from proxy.demo.pages import article_page, find_article
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.siterules.model import DEFAULT_RULES
from proxy.transforms.reading_views import (
    MAINS,
    META_LINE,
    ReadingViews,
    _outermost,
    attachment_links,
)
from proxy.visitor.prefs import Preferences
from tests.factories import load_rules_text

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
DEMO_RULES = load_rules_text((RULES_DIR / "demo.yaml").read_text("utf-8"), "demo",
                             default=(RULES_DIR / "default.yaml").read_text("utf-8"))
SEED = find_article(5678)


def run(html: str, view: str, rules=DEFAULT_RULES) -> Page:
    page = Page(url="http://www.site.gov.cn/a.html", tree=parse_html(html), rules=rules,
                prefs=Preferences(view=view))
    Pipeline([ReadingViews()]).run(page)
    return page


def text(page: Page) -> str:
    return "".join(page.body.itertext())


def demo_article(view: str, rules=DEMO_RULES) -> Page:
    return run(article_page(SEED).decode("gb18030"), view, rules)


def test_normal_view_changes_nothing():
    page = run('<body><img src="a.png" alt="图"><table><tr><td>x</td></tr></table></body>',
               "normal")
    assert page.tree.xpath("//img") and not page.tree.xpath("//*[@class]")


@pytest.mark.parametrize(("img", "expected"), [
    ('<img src="/banner.png" alt="中共常州市委统战部">', "[中共常州市委统战部]"),
    ('<img src="/spacer.gif" alt="">', ""),
    ('<img src="/x.png">', ""),
], ids=["alt-text", "decorative", "no-alt"])
def test_text_only_replaces_images_by_their_alt_text(img, expected):
    page = run(f"<body><p>前{img}后</p></body>", "text")
    assert not page.tree.xpath("//img")
    assert text(page) == f"前{expected}后"


def test_text_only_keeps_image_buttons_as_buttons_with_text():
    page = run('<body><form><input type="image" src="go.gif" alt="搜索"></form></body>', "text")
    assert page.tree.xpath("//input/@type") == ["submit"]
    assert page.tree.xpath("//input/@value") == ["搜索"]


def test_layout_tables_are_linearised_and_data_tables_stay_tables():
    page = run("<body><table width='1000'><tr><td>左栏</td><td><table><tr><th>姓名</th></tr>"
               "<tr><td>张三</td></tr></table></td></tr></table></body>", "text")
    layout, data = page.tree.xpath("//table")
    assert "a11y-linear" in layout.get("class") and layout.get("role") == "presentation"
    assert data.get("class") is None


@pytest.mark.parametrize("view", ["text", "reading"])
@pytest.mark.parametrize("rules", [DEMO_RULES, DEFAULT_RULES], ids=["demo-rule", "heuristic"])
def test_demo_article_keeps_every_paragraph(view, rules):
    page = demo_article(view, rules)
    body = " ".join(text(page).split())
    for paragraph in SEED.body:
        assert " ".join(paragraph.split()) in body


@pytest.mark.parametrize("rules", [DEMO_RULES, DEFAULT_RULES], ids=["demo-rule", "heuristic"])
def test_reading_mode_keeps_title_date_source_and_attachment_but_not_the_menus(rules):
    page = demo_article("reading", rules)
    body = text(page)
    assert SEED.title in body
    assert "发布日期：2019-09-20" in body and "来源：市委统战部" in body
    assert page.tree.xpath("//a[@href='/files/report.pdf']")
    assert "站内搜索" not in body and "苏ICP备" not in body and "关于我们" not in body
    mains = page.tree.xpath("//main | //*[@role='main']")
    assert len(mains) == 1 and mains[0].get("id") == "a11y-main"
    assert not page.tree.xpath("//main//td[not(ancestor::table)]")


CHINESE_PAGE = """<body><div class="nav"><a href="/1">首页</a><a href="/2">机构概况</a>
<a href="/3">政策法规</a><a href="/4">联系我们</a><a href="/5">互动交流</a></div>
<div class="left"><ul><li><a href="/n1">通知公告一则，请查看</a></li>
<li><a href="/n2">关于开展工作的通知，请查看</a></li></ul></div>
<div class="wrap"><div class="con">
<p>一、会议强调，要深入学习贯彻党的精神。</p><p>二、会议要求，各单位要结合实际抓好落实。</p>
<p>三、会议指出，要加强统筹协调，形成工作合力。</p><p>四、会议部署了下一阶段的重点任务。</p>
<p>五、会议号召，全市上下要团结一心、攻坚克难。</p><p>六、会议还研究了其他事项。</p>
<p>七、会议要求，各部门要及时报送工作进展情况，确保各项任务按期完成，取得实效。</p>
<p>八、会议强调，要坚持问题导向，聚焦群众急难愁盼，切实解决实际问题。</p>
<p>九、会议指出，要加强宣传引导，营造良好氛围，凝聚广泛共识。</p>
<p>十、会议要求，要严格落实责任，加强督促检查，确保工作落到实处、见到成效。</p>
</div>
<table><caption>任务分工</caption><tr><th>任务</th><th>责任单位</th></tr>
<tr><td>抓好落实</td><td>各区</td></tr></table>
<p class="fj">附件：<a href="/files/a.docx">分工方案.docx</a></p></div>
<div class="foot">版权所有 ICP备12345号</div></body>"""


def test_heuristic_finds_short_chinese_paragraphs_and_keeps_tables_and_attachments():
    page = run(CHINESE_PAGE, "reading")
    body = text(page)
    assert "一、会议强调" in body and "十、会议要求" in body
    assert page.tree.xpath("//table/caption") and page.tree.xpath("//a[@href='/files/a.docx']")
    assert "机构概况" not in body and "通知公告一则" not in body and "ICP备" not in body


def test_reading_mode_keeps_the_whole_page_when_nothing_convinces():
    page = run("<body><p>短</p><a href='/x'>链接</a></body>", "reading")
    assert text(page) == "短链接"
    assert any("whole page kept" in note for note in page.notes)


def test_meta_line_query_selects_what_its_first_form_selects():
    root = parse_html(
        "<html><body><div><p>发布日期：2020-01-01 信息来源：本站</p><div>x<span>来源：新华</span>"
        "</div></div><td>时间：<b>12:00</b></td><li>信息来<i>源</i></li><dd>日期：<p>y</p></dd>"
        "</body></html>")
    first = etree.XPath(
        ".//*[self::p or self::div or self::td or self::span or self::li or self::dd]"
        "[contains(., '发布日期') or contains(., '发布时间') or contains(., '来源') or "
        "contains(., '信息来源') or contains(., '日期：') or contains(., '时间：')]"
        "[not(.//p or .//div or .//td or .//table)]")
    body = root.find("body")
    assert len(first(body)) == 5 and META_LINE(body) == first(body)


def test_attachment_links_are_what_the_exslt_query_selects():
    root = parse_html(
        "<html><body><p><a href='/a.PDF'>a</a><a href='/b.docx?x=1'>b</a><a href='/c.html'>c</a>"
        "</p><p>附件：<a href='/d.html'>d</a></p><p><a>no href</a><a href='/e.pdf.html'>e</a>"
        "<a href='/f.zip#top'>f</a></p></body></html>")
    query = etree.XPath(
        "//a[re:test(@href, '\\.(pdf|docx?|xlsx?|pptx?|wps|et|zip|rar|7z|ofd|txt)(\\?|#|$)',"
        " 'i') or contains(string(..), '附件')]",
        namespaces={"re": "http://exslt.org/regular-expressions"})
    assert [a.text for a in query(root)] == ["a", "b", "d", "f"]
    assert attachment_links(root) == query(root)


def test_outermost_keeps_each_element_not_inside_another_once_in_order():
    root = parse_html("<html><body><div id='a'><p id='b'><i id='c'>x</i></p></div>"
                      "<p id='d'>y</p><span id='e'>z</span></body></html>")
    a, b, c, d, e = (root.get_element_by_id(i) for i in "abcde")
    body = root.find("body")
    assert _outermost([c, d, a, body, b, d, e]) == [d, a, e]


def test_mains_query_selects_what_its_predicate_form_selects():
    root = parse_html("<html><body><div role='main'><main>a</main></div><p role='x'>b</p>"
                      "<main role='main'>c</main></body></html>")
    assert len(MAINS(root)) == 3 and MAINS(root) == root.xpath("//main | //*[@role='main']")
