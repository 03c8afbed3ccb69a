"""What counts as script: URLs judged the way a browser parses them, CSS token by token."""

from __future__ import annotations

import pytest

from proxy.transforms.scripts import danger as script_danger
from proxy.transforms.scripts.danger import (
    clean_declarations,
    clean_stylesheet,
    css_may_be_dangerous,
    declarations_dangerous,
    is_script_url,
    stylesheet_dangerous,
)

URLS = [
    ("javascript", "javascript:alert(1)", "a", True),
    ("mixed-case", "JaVaScRiPt:alert(1)", "a", True),
    ("leading-controls", "\x00\x01 javascript:alert(1)", "a", True),
    ("tab-newline-inside", "java\tscr\nipt:alert(1)", "a", True),
    ("other-control-inside", "java\x01script:alert(1)", "a", False),  # a browser: relative URL
    ("vbscript", "vbscript:msgbox", "a", True),
    ("data-html", "data:text/html,<script>", "iframe", True),
    ("data-default-type", "data:,hello", "iframe", True),
    ("data-png", "data:image/png;base64,AAAA", "img", False),
    ("data-svg-in-img", "data:image/svg+xml,<svg/>", "img", False),
    ("data-svg-in-iframe", "data:image/svg+xml,<svg/>", "iframe", True),
    ("http", "http://x.test/javascript:alert(1)", "a", False),
    ("relative-colon-later", "/search?q=javascript:1", "a", False),
    ("nbsp-first", "\u00a0javascript:alert(1)", "a", False),  # not trimmed by URL parsing
]


@pytest.mark.parametrize(("url", "tag", "expected"), [u[1:] for u in URLS],
                         ids=[u[0] for u in URLS])
def test_is_script_url(url, tag, expected):
    assert is_script_url(url, tag) is expected


def test_srcset_is_judged_per_candidate():
    assert is_script_url("a.png 1x, javascript:alert(1) 2x", "img", "srcset")
    assert not is_script_url("a.png 1x, data:image/png;base64,AA 2x", "img", "srcset")


STYLES = [
    ("plain", "color:red", False),
    ("expression", "width:expression(alert(1))", True),
    ("escaped-expression", "width:exp\\72 ession(alert(1))", True),
    # IE alone joined these; CSS (and every browser now) reads an ident and a function
    ("commented-expression", "width:expr/**/ession(alert(1))", False),
    ("behavior", "behavior:url(x.htc)", True),
    ("scroll-behavior", "scroll-behavior:smooth", False),
    ("moz-binding", "-moz-binding:url(x.xml#x)", True),
    ("url-javascript", "background:url('javascript:alert(1)')", True),
    ("keyword-in-string", 'font-family:"expression("', False),
    ("icon-font-escape", 'content:"\\e600"', False),
]


@pytest.mark.parametrize(("css", "dangerous"), [s[1:] for s in STYLES], ids=[s[0] for s in STYLES])
def test_declarations_dangerous(css, dangerous):
    assert declarations_dangerous(css) is dangerous
    assert not declarations_dangerous(clean_declarations(css))
    if dangerous:
        assert css_may_be_dangerous(css)


def test_a_stylesheet_loses_only_its_dangerous_declarations():
    css = ("@import 'javascript:alert(1)'; a{color:red;width:expression(1)}"
           " @media screen{ b{behavior:url(x)} c{color:blue} }")
    assert stylesheet_dangerous(css)
    cleaned = clean_stylesheet(css)
    assert not stylesheet_dangerous(cleaned)
    assert "color:red" in cleaned and "color:blue" in cleaned and "@import" not in cleaned


def test_css_verdicts_are_remembered_per_text_within_bounds(monkeypatch):
    monkeypatch.setattr(script_danger, "CSS_MEMO_SIZE", 2)
    monkeypatch.setattr(script_danger, "_css_verdicts", {})
    texts = ["color:red", "width:expression(alert(1))", "x:y", "color:red",
             "width:expression(alert(1))", "b\\69nding:x"]
    for text in texts * 2:
        assert css_may_be_dangerous(text) is script_danger._css_may_be_dangerous(text)
        assert len(script_danger._css_verdicts) <= 2
    long_text = "a{color:red}" * 30 + "behavior: url(x.htc)"
    assert css_may_be_dangerous(long_text)
    assert long_text not in script_danger._css_verdicts
