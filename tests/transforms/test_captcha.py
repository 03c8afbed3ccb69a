"""Captcha: verification-code images twice as large, with a refresh link that needs no script."""

from __future__ import annotations

import pytest

from proxy.pipeline import Pipeline
from proxy.transforms import default_pipeline
from proxy.transforms.captcha import REFRESH_CLASS, Captcha
from tests.factories import PAGE_URL, page_from_body


def run(body: str):
    page = page_from_body(body)
    Pipeline([Captcha()]).run(page)
    return page


@pytest.mark.parametrize("body", [
    '<img src="/servlet/CheckCode" width="60" height="20">',
    '<img src="/img.jsp" id="yzm">',
    '<img src="/x.png" alt="验证码">',
    '<form><p>验证码：<input name="code"> <img src="/image.jsp"></p></form>',
    '<table><tr><td>验证码</td><td><input name="c" type="text"><img src="/r.gif"></td></tr>'
    '</table>',
])
def test_captcha_images_are_drawn_twice_as_large(body):
    img = run(body).tree.find(".//img")
    assert "zoom:2" in img.get("style")


@pytest.mark.parametrize("body", [
    '<img src="/logo.png" width="60" height="20">',
    '<p>请输入验证码后提交</p><img src="/banner.png">',  # the word, but no text box with it
    '<div>验证码：<img src="/a.png"></div>',  # no text box
])
def test_other_images_keep_their_size(body):
    assert run(body).tree.find(".//img").get("style") is None


@pytest.mark.parametrize("body", [
    '<img src="/yzm.jsp" onclick="this.src=\'/yzm.jsp?\'+Math.random()">',
    '<span><img src="/yzm.jsp"> <a href="javascript:refresh()">看不清，换一张</a></span>',
])
def test_a_script_refresh_becomes_a_reload_link(body):
    page = run(body)
    links = page.tree.xpath(f"//a[@class='{REFRESH_CLASS}']")
    assert len(links) == 1 and links[0].get("href") == PAGE_URL
    assert links[0].getprevious().tag == "img"


def test_no_refresh_link_when_there_was_none():
    assert not run('<img src="/yzm.jsp">').tree.xpath(f"//a[@class='{REFRESH_CLASS}']")


def test_in_the_pipeline_the_refresh_link_survives_script_removal():
    page = page_from_body('<form>验证码：<input name="c"><img src="/yzm.jsp" '
                          'onclick="this.src+=1"></form>')
    default_pipeline().run(page)
    img = page.tree.find(".//img")
    assert img.get("onclick") is None and "zoom:2" in img.get("style")
    assert page.tree.xpath(f"//a[@class='{REFRESH_CLASS}']")
