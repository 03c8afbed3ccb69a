"""The readability heuristic for Chinese pages: many short paragraphs beat link lists."""

from __future__ import annotations

import pytest

from proxy.heuristics.readability import find_content
from proxy.page import parse_html

SENTENCES = "".join(f"<p>第{i}条，会议要求各单位认真抓好落实。</p>" for i in range(12))
LINKS = "".join(f"<li><a href='/n{i}'>通知公告第{i}号，请各单位查看办理</a></li>"
                for i in range(12))


def content_of(body: str, tunables=None):
    return find_content(parse_html(f"<html><body>{body}</body></html>").find("body"), tunables)


def test_short_chinese_paragraphs_win_over_a_longer_link_list():
    found = content_of(f"<div id='menu'><ul>{LINKS}</ul></div><div id='zw'>{SENTENCES}</div>")
    assert found.get("id") == "zw"


def test_br_separated_text_in_a_table_cell_counts_for_the_cell():
    text = "<br>".join(f"第{i}条，各单位要认真抓好落实，确保取得实效。" for i in range(10))
    found = content_of(f"<table><tr><td id='nav'><a href='/a'>首页</a></td>"
                       f"<td id='zw'>{text}</td></tr></table>")
    assert found.get("id") == "zw"


@pytest.mark.parametrize(("body", "tunables"), [
    ("<p>太短了。</p>", None),
    (f"<div>{SENTENCES}</div>", {"MIN_MAIN_TEXT": 5000}),
    (f"<ul>{LINKS}</ul>", None),
], ids=["too-short", "below-tunable-minimum", "only-links"])
def test_nothing_convincing_gives_none(body, tunables):
    assert content_of(body, tunables) is None
