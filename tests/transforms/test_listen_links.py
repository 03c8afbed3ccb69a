"""ListenLinks: in reading view, one audio link per paragraph, numbered as the speak route
numbers them; nothing in other views or without the engine."""

from __future__ import annotations

from urllib.parse import quote

import lxml.html
import pytest

from proxy.demo import ARTICLE_PATH
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.reading import speech
from proxy.reading.speech_text import paragraphs, spoken_text
from proxy.transforms.listen_links import LINK_CLASS, ListenLinks
from proxy.visitor.listen import speak_url
from proxy.visitor.prefs import COOKIE_NAME, Preferences

needs_engine = pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")
HTML = ("<html><body><main><h1>标题</h1><p>第一段。</p><table><tr><td>格</td></tr></table>"
        "<p> </p><p>第二段。</p></main></body></html>")


def run(view: str) -> Page:
    page = Page(url="http://www.site.gov.cn/a/b.html?x=1", tree=parse_html(HTML),
                prefs=Preferences(view=view))
    Pipeline([ListenLinks()]).run(page)
    return page


@needs_engine
def test_one_link_per_paragraph_heading_link_outside_the_heading():
    page = run("reading")
    links = page.body.xpath(f"//a[@class='{LINK_CLASS}']")
    assert [a.text for a in links] == [f"朗读第 {n} 段" for n in range(1, 5)]
    assert [a.get("href") for a in links] == \
        [speak_url("/_a11y/", "/a/b.html?x=1", n) for n in range(4)]
    assert page.body.find(".//h1").text_content() == "标题"
    assert links[0].getprevious().tag == "h1" and links[2].getparent().tag == "td"
    # the speak route reads the same paragraphs, without these links
    main = page.body.find("main")
    assert [spoken_text(p) for p in paragraphs(main)] == ["标题", "第一段。", "格", "第二段。"]


@needs_engine
def test_nothing_outside_reading_view():
    assert not run("normal").body.xpath(f"//a[@class='{LINK_CLASS}']")


def test_nothing_without_the_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not run("reading").body.xpath(f"//a[@class='{LINK_CLASS}']")


@needs_engine
async def test_demo_article_links_match_the_listen_pages_paragraphs(demo_proxy):
    page = await demo_proxy.get(ARTICLE_PATH, cookies={COOKIE_NAME: "view:reading|pinyin:1"})
    tree = lxml.html.fromstring(await page.text())
    links = tree.xpath(f"//a[@class='{LINK_CLASS}']/@href")
    listen = await demo_proxy.get("/_a11y/listen?next=" + quote(ARTICLE_PATH))
    listed = lxml.html.fromstring(await listen.text()).xpath("//ol/li/a/@href")
    assert links == listed and len(links) >= 5
    assert not tree.xpath(f"//a[@class='{LINK_CLASS}']//ruby")


@needs_engine
def test_a_second_pass_gives_each_paragraph_one_link():
    page = run("reading")
    once = lxml.html.tostring(page.tree)
    Pipeline([ListenLinks()]).run(page)
    assert lxml.html.tostring(page.tree) == once
