"""Emptied slots: a label whose value a script wrote goes with its empty slot."""

from __future__ import annotations

import pytest

from proxy.demo.pages import article_page, find_article
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms import default_pipeline
from proxy.transforms.scripts.emptied import EmptiedSlots
from tests.factories import page_from_body

SCRIPT = "<script>document.getElementById('hits').innerHTML = 12;</script>"


def run(body: str) -> str:
    page = page_from_body(body)
    Pipeline([EmptiedSlots()]).run(page)
    return text(page)


def text(page: Page) -> str:
    return " ".join("".join(page.body.xpath(".//text()[not(parent::script)]")).split())


@pytest.mark.parametrize(("body", "text"), [
    ("来源：本站 浏览次数：<span id='hits'></span> 字号：大", "来源：本站 字号：大"),
    ("<p>点击数: <font id=c></font></p>", ""),
    ("阅读｜次数：<b id=n>&nbsp;</b>｜完", "阅读｜｜完"),
])
def test_the_label_goes_with_the_empty_slot(body, text):
    assert run(body + SCRIPT) == " ".join(text.split())


@pytest.mark.parametrize("body", [
    "浏览次数：<span id='hits'></span>",  # no script: nothing was to fill it
    "浏览次数：<span id='hits'>12</span>" + SCRIPT,  # filled on the server
    "浏览次数：<span class='hits'></span>" + SCRIPT,  # no id: not a script's slot
    "这是一个很长很长的说明文字标签：<span id='hits'></span>" + SCRIPT,  # not a short label
    "<span id='icon'></span> 首页" + SCRIPT,  # no label before it
])
def test_other_empty_elements_stay(body):
    page = page_from_body(body)
    before = text(page)
    Pipeline([EmptiedSlots()]).run(page)
    assert text(page) == before
    assert page.tree.xpath("//span | //b")


def test_demo_article_loses_its_empty_counter_and_keeps_its_source():
    page = Page(url="http://www.example.gov.cn/a.html",
                tree=parse_html(article_page(find_article(5678)).decode("gb18030")))
    default_pipeline().run(page)
    text = "".join(page.body.itertext())
    assert "浏览次数" not in text and not page.tree.xpath("//*[@id='hits']")
    assert "来源：" in text and "发布日期：" in text
