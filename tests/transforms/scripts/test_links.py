"""Script links: a knowable target becomes a real link, the rest plain text."""

from __future__ import annotations

import pytest

from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms import default_transforms
from proxy.transforms.scripts.links import (
    convert_onclick,
    convert_script_link,
    javascript_code,
    script_target,
)
from tests.factories import page_from_body

TARGETS = [
    ("window-open", "window.open('/a.html','_blank')", "/a.html"),
    ("open", 'open("/b")', "/b"),
    ("location-href", "location.href='/c'", "/c"),
    ("window-location", "window.location = \"/d\";", "/d"),
    ("top-location", "top.location.href='http://o.test/e'", "http://o.test/e"),
    ("assign", "location.assign('/f')", "/f"),
    ("replace", "location.replace('/g')", "/g"),
    ("concatenated", "location.href='/h?id='+id", None),
    ("two-targets", "if(a){location='/i'}else{location='/j'}", None),
    ("comparison", "if(location=='/k'){}", None),
    ("script-target", "window.open('javascript:alert(1)')", None),
    ("void", "void(0)", None),
    ("history", "history.back()", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(("code", "target"), [t[1:] for t in TARGETS], ids=[t[0] for t in TARGETS])
def test_script_target(code, target):
    assert script_target(code) == target


def test_javascript_code_is_percent_decoded_like_a_browser_runs_it():
    assert javascript_code(" JavaScript:window.open('/a%20b')") == "window.open('/a b')"


def first(html: str, tag: str):
    page = Page(url="http://o.test/", tree=parse_html(html))
    return page, page.tree.find(f".//{tag}")


@pytest.mark.parametrize(("html", "tag", "expected"), [
    ("<a href='#' onclick=\"location='/x'\">x</a>", "a", "<a href=\"/x\""),
    ("<a href='/real' onclick=\"location='/x'\">x</a>", "a", "<a href=\"/real\""),
    ("<a href='#' onclick='go()'>x</a>", "span", "<span onclick"),  # handler goes later
    ("<div onclick=\"window.open('/d')\">d</div>", "div", "<div onclick=\"window.open('/d')\">"
     "<a href=\"/d\">d</a></div>"),
], ids=["placeholder-gets-target", "real-href-wins", "dead-link-text", "wrapped"])
def test_convert_onclick(html, tag, expected):
    from lxml import etree

    page, el = first(html, "a" if tag == "span" else tag)
    convert_onclick(el, page)
    assert etree.tostring(el, encoding="unicode").startswith(expected)


def test_svg_link_without_target_keeps_its_tag():
    page, el = first("<svg><a href='javascript:x()'><text>t</text></a></svg>", "a")
    convert_script_link(el, page)
    assert el.tag == "a" and el.get("href") is None


@pytest.mark.parametrize(("html", "wrapped"), [
    ('<form action="/s"><input name="q"><span><img src="/go.png" onclick="checkSubmit();">'
     "</span></form>", True),
    ('<form action="/s"><input name="q"><img src="/go.png" onclick="doSearch()"></form>', True),
    ('<form action="/s"><input name="q"><img src="/go.png" onclick="this.form.submit()"></form>',
     True),
    ('<form action="/s"><img src="/p.png" onclick="showBig(this)"></form>', False),
    ('<div><img src="/go.png" onclick="checkSubmit();"></div>', False),
    ('<form action="/s"><button><img src="/go.png" onclick="checkSubmit()"></button></form>',
     False),
], ids=["check-submit", "do-search", "form-submit", "other-handler", "outside-a-form",
        "already-a-button"])
def test_a_picture_that_submitted_its_form_becomes_a_submit_button(html, wrapped):
    page, img = first(html, "img")
    convert_onclick(img, page)
    button = img.getparent()
    if wrapped:
        assert (button.tag, button.get("type"), img.get("alt")) == ("button", "submit", "")
        assert button.getparent().tag in ("span", "form")
    else:  # left as it was (its handler is removed later)
        assert img.get("alt") is None and button.get("style") is None


def test_the_submit_picture_in_the_pipeline_is_a_named_button_in_the_form():
    page = page_from_body('<form role="search" action="/s"><input name="q">'
                          '<img src="/go.png" onclick="checkSubmit();"> tail</form>',
                          url="http://o.test/")
    Pipeline(default_transforms()).run(page)
    button = page.tree.find(".//form//button")
    assert button.get("aria-label") == "搜索" and button.tail.strip() == "tail"
    assert button.find("img").get("onclick") is None
