"""When a page is rendered on the server: the rules first, then the page's own signals, then
what renders of the same URL pattern showed."""

from __future__ import annotations

import pytest

from proxy.page import parse_html
from proxy.render.decide import (
    SAMPLES_PER_PATTERN,
    SiteMemory,
    decide,
    script_signals,
    shows_more,
    url_pattern,
    visible_chars,
)
from proxy.siterules.model import RenderRules

TEXT = "<p>" + "政务公开信息" * 60 + "</p>"


def tree(body: str, html_attrs: str = ""):
    return parse_html(f"<html {html_attrs}><head><title>t</title></head><body>{body}</body></html>")


@pytest.mark.parametrize(("url", "pattern"), [
    ("http://o/art/2019/9/20/art_1234_5678.html", "/art/*/*/*/art_*_*.html"),
    ("http://o/col/col123/index.html?uid=5&pageNum=2", "/col/col*/index.html?pageNum&uid"),
    ("http://o/", "/"),
])
def test_url_pattern(url, pattern):
    assert url_pattern(url) == pattern


@pytest.mark.parametrize(("body", "signal"), [
    ('<script src="/js/header.js"></script>' + TEXT, "frame script header.js"),
    ("<script>document.write('<p>x</p>')</script>" + TEXT, "inline script writes content"),
    ('<div id="app"></div><script src="/app.js"></script>', "empty application root #app"),
    ("<script src='/a.js'></script><p>短</p>", "little text without scripts"),
])
def test_signals_of_a_page_that_needs_its_scripts(body, signal):
    assert signal in script_signals(tree(body))


def test_a_hidden_body_is_a_signal():
    page = tree('<script src="/x.js"></script>' + TEXT.replace("<p>", '<p id="a">'))
    page.find("body").set("style", "opacity:0")
    assert "<body> hidden until a script shows it" in script_signals(page)


@pytest.mark.parametrize("body", [TEXT, TEXT + '<script src="/js/jquery.min.js"></script>',
                                  TEXT + "<script>var a = 1;</script>"])
def test_no_signal_on_pages_that_do_not_need_scripts(body):
    assert script_signals(tree(body)) == []


def test_visible_chars_leave_out_scripts_and_styles():
    page = tree("<p>一 二</p><script>var x='很多字';</script><style>p{}</style>")
    assert visible_chars(page) == 3


def test_rules_decide_first():
    page = tree(TEXT)
    memory = SiteMemory()
    assert decide(RenderRules(mode="browser"), "http://o/a.html", page, memory).render
    assert not decide(RenderRules(mode="browser", static=("/a*",)), "http://o/a.html", page,
                      memory).render
    assert decide(RenderRules(mode="static", browser=("/a*",)), "http://o/a.html", page,
                  memory).render
    assert not decide(RenderRules(mode="static"), "http://o/b.html",
                      tree('<script src="/header.js"></script>'), memory).render


def test_auto_learns_which_patterns_need_rendering():
    page = tree('<script src="/js/header.js"></script>' + TEXT)
    memory, rules = SiteMemory(), RenderRules()
    url = "http://o/art/1.html"
    assert decide(rules, url, page, memory).render  # a signal, nothing learned yet
    for _ in range(SAMPLES_PER_PATTERN):
        memory.record(url_pattern(url), needed=False)
    assert not decide(rules, "http://o/art/2.html", page, memory).render  # renders showed nothing
    memory.record(url_pattern("http://o/col/1.html"), needed=True)
    assert decide(rules, "http://o/col/2.html", page, memory).render


def test_shows_more_needs_real_content():
    assert not shows_more(1000, 1030)  # a clock or counter
    assert shows_more(30, 4410)
    assert not shows_more(5000, 5200)
