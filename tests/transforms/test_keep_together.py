"""KeepTogether: dates and short link phrases stay on one line; long text still wraps."""

from __future__ import annotations

import pytest

from proxy.pipeline import Pipeline
from proxy.transforms.keep_together import NOWRAP_CLASS, KeepTogether
from tests.factories import page_from_body


def run(body: str):
    page = page_from_body(body)
    Pipeline([KeepTogether()]).run(page)
    return page


def kept(page) -> list[str]:
    return [el.text_content() for el in page.tree.xpath(f"//*[@class='{NOWRAP_CLASS}' or "
                                                        f"contains(@class, ' {NOWRAP_CLASS}')]")]


@pytest.mark.parametrize(("body", "together"), [
    ("<td>2019-09-26</td>", ["2019-09-26"]),
    ("<p>发布日期：2019-09-26 来源：本站</p>", ["2019-09-26"]),
    ("<p>于2019年9月26日和2020/1/2 10:30举行</p>", ["2019年9月26日", "2020/1/2 10:30"]),
    ("<p><b>日期</b>2019.09.26 完</p>", ["2019.09.26"]),
    ('<a href="#">加入收藏</a> <span>网站首页</span>', ["加入收藏", "网站首页"]),
])
def test_dates_and_short_phrases_are_kept_together(body, together):
    page = run(body)
    assert kept(page) == together
    assert "".join(page.body.itertext()) == "".join(page_from_body(body).body.itertext())


@pytest.mark.parametrize("body", [
    '<a href="#">关于进一步加强新的社会阶层人士统战工作的意见</a>',  # a headline wraps
    '<a href="#">About us</a>',  # words wrap at their space
    "<p>电话 0519-8888 编号 12345-6</p>",  # numbers that are no dates
    "<textarea>2019-09-26</textarea>",
    '<a href="#"><img src="a.png" alt="首页"></a>',
])
def test_other_text_wraps_as_before(body):
    assert kept(run(body)) == []


def test_a_second_pass_adds_nothing():
    page = run("<p>2019-09-26 与 2019-09-27</p>")
    Pipeline([KeepTogether()]).run(page)
    assert kept(page) == ["2019-09-26", "2019-09-27"]
