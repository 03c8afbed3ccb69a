"""proxy/visitor/splice.py: one template per page, each visitor's preferences spliced in.

The strongest check: the demo article rewritten once as a template and spliced for a preference
set is the same page as the one rewritten for that set directly (holes filled at once)."""

from __future__ import annotations

import asyncio

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.demo import create_demo_app
from proxy.demo.pages import article_page, find_article
from proxy.encoding.detect import decode_html
from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline
from proxy.routing import Router
from proxy.settings import DEMO_ALIASES, Origin
from proxy.siterules.store import RuleStore
from proxy.transforms import default_transforms
from proxy.visitor.prefs import Preferences
from proxy.visitor.splice import (
    BASE,
    PREFS,
    TOOLBAR,
    Template,
    base_css,
    make_template,
    placeholder,
    splice,
    toolbar_html,
)
from proxy.visitor.style import preference_css
from tests.conftest import REPO

PREF_SETS = [Preferences(), Preferences(text=200), Preferences(scheme="yellow"),
             Preferences(spacing=True, cursor=True, underline=True),
             Preferences().changed({"preset": "elder"})]


def rewrite(body: bytes, prefs: Preferences, template: bool) -> bytes | Template:
    host = "www.example.gov.cn"
    origin = Origin(f"http://{host}", (), DEMO_ALIASES)
    rules = RuleStore.from_directory(REPO / "rules").for_host(host)
    page = Page(url=f"http://{host}/art/a.html", tree=None, host=host, rules=rules,
                prefs=Preferences(view=prefs.view) if template else prefs,
                headers=CIMultiDictProxy(CIMultiDict({"Content-Type": "text/html"})),
                mapper=Router((origin,)).mapper(origin, "127.0.0.1:8080"),
                splice={} if template else None)
    page.tree = parse_html(decode_html(body, "text/html", rules.encoding).text)
    pipeline = Pipeline(default_transforms())

    async def no_fetch(path: str):
        return None

    asyncio.run(pipeline.gather(page, no_fetch))
    pipeline.run(page)
    html = serialize(page.tree)
    return make_template(html, prefix=page.prefix, **page.splice) if template else html


@pytest.fixture(scope="module")
def article() -> bytes:
    assert create_demo_app  # the demo's own article page, as its origin serves it
    return article_page(find_article(5678))


@pytest.mark.parametrize("prefs", PREF_SETS, ids=lambda p: p.to_cookie() or "default")
def test_a_spliced_template_is_the_page_rewritten_for_those_preferences(article, prefs):
    template = rewrite(article, prefs, template=True)
    assert isinstance(template, Template)
    assert [kind for _, kind in template.holes] == [BASE, PREFS, TOOLBAR]
    assert splice(template, prefs) == rewrite(article, prefs, template=False)


def test_the_template_keeps_no_hole_marker_and_its_facts_travel():
    html = (f"<html><head><style>{placeholder(BASE)}</style><style>{placeholder(PREFS)}x{{}}"
            f"</style></head><body><!--{placeholder(TOOLBAR)}--><p>a11y-hole-0-base</p>"
            f"</body></html>").encode()
    template = make_template(html, "/p?q=1", "http://origin/p", "/_a11y/", True, False)
    assert b"a11y-hole-" in template.body  # an origin's look-alike text is left alone
    assert placeholder(BASE).encode() not in template.body
    again = Template.from_meta(template.body, template.meta())
    assert again == template
    prefs = Preferences(text=150, scheme="blue")
    out = splice(again, prefs).decode()
    assert f"<style>{base_css(prefs, True, False)}</style>" in out
    assert f"{preference_css(prefs)}x{{}}" in out
    assert toolbar_html(prefs, "/p?q=1", "/_a11y/", "http://origin/p") in out
    assert "next=%2Fp%3Fq%3D1" in out and 'href="http://origin/p"' in out


def test_base_css_switches():
    assert base_css(Preferences()) == ":root{--a11y-floor: }"
    assert base_css(Preferences(scheme="yellow")) == ":root{--a11y-scheme: }"
    assert base_css(Preferences(), floored=False) == ""
    big = base_css(Preferences(text=150))
    assert "--a11y-text:1.5" in big and "--a11y-fs-small:19.5px" in big
    assert "html{font-size:150%}" in big
    assert base_css(Preferences(text=150), scaled=False) == ":root{--a11y-floor: }"
