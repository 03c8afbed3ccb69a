"""Includes: what the origin loaded by script from itself is fetched and put in place."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.demo import ARTICLE_PATH
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms import includes
from proxy.transforms.includes import MAX_INCLUDES, Includes, same_origin_path
from proxy.transforms.scripts.strip import StripScripts
from tests.factories import load_rules_text

PAGE_URL = "http://origin.test/a/page.html"
NAV = "<ul><li><a href='/col/1.html'>机构概况</a></li></ul><script>alert(1)</script>"


def fake_fetch(answers: dict[str, tuple[bytes, str | None]], asked: list[str]):
    async def fetch(path: str):
        asked.append(path)
        return answers.get(path)
    return fetch


async def include(html: str, answers: dict, rules=None) -> tuple[Page, list[str]]:
    page = Page(url=PAGE_URL, tree=parse_html(html), host="origin.test",
                **({"rules": rules} if rules else {}))
    asked: list[str] = []
    pipeline = Pipeline([Includes(), StripScripts()])
    await pipeline.gather(page, fake_fetch(answers, asked))
    pipeline.run(page)
    return page, asked


SCRIPTED = [
    ("jquery-get-html", "$.get('/nav.html',function(data){$('#nav').html(data);});"),
    ("jquery-get-spaces", "jQuery.get( \"/nav.html\" , function ( d ) { $( '#nav' ).html( d ) })"),
    ("load", "$('#nav').load('/nav.html');"),
    ("load-callback", "$(\"#nav\").load(\"/nav.html\", function(){ done(); });"),
    ("relative-url", "$('#nav').load('../nav.html');"),
    ("absolute-same-origin", "$('#nav').load('http://origin.test/nav.html');"),
]


@pytest.mark.parametrize("script", [s for _, s in SCRIPTED], ids=[i for i, _ in SCRIPTED])
async def test_script_loaded_fragment_is_found_and_inserted(script):
    page, asked = await include(
        f"<div id=nav>loading</div><script>{script}</script>",
        {"/nav.html": (NAV.encode(), "text/html; charset=utf-8")})
    assert asked == ["/nav.html"]
    nav = page.tree.get_element_by_id("nav")
    assert nav.xpath(".//a/text()") == ["机构概况"] and "loading" not in nav.text_content()
    assert not page.tree.xpath("//script")  # the fragment's scripts go with the page's


NOT_AUTO = [
    ("other-host", "$('#nav').load('http://evil.test/nav.html');"),
    ("protocol-relative", "$('#nav').load('//evil.test/nav.html');"),
    ("concatenated", "$('#nav').load('/nav.html?id=' + id);"),
    ("fragment-selector", "$('#nav').load('/nav.html #menu');"),
    ("missing-target", "$('#nowhere').load('/nav.html');"),
    ("class-target", "$('.nav').load('/nav.html');"),
]


@pytest.mark.parametrize("script", [s for _, s in NOT_AUTO], ids=[i for i, _ in NOT_AUTO])
async def test_ambiguous_or_foreign_loads_are_not_fetched(script):
    _, asked = await include(f"<div id=nav class=nav></div><script>{script}</script>",
                             {"/nav.html": (NAV.encode(), "text/html")})
    assert asked == []


@pytest.mark.parametrize(("position", "xpath"), [
    ("inner", "//div[@id='box']/ul"),
    ("append", "//div[@id='box'][b]/ul"),
    ("replace", "//body/ul[not(ancestor::div)]"),
], ids=["inner", "append", "replace"])
async def test_rule_declared_include_goes_where_the_rule_says(position, xpath):
    rules = load_rules_text(
        f"version: 1\nhosts: [origin.test]\ninclude:\n"
        f"  - {{selector: '#box', url: /frag.html, position: {position}}}\n")
    page, asked = await include("<div id=box><b>old</b></div>tail",
                                {"/frag.html": (NAV.encode("gbk"), "text/html; charset=gbk")},
                                rules)
    assert asked == ["/frag.html"]
    assert page.tree.xpath(xpath) and "机构概况" in page.tree.text_content()
    assert page.tree.text_content().rstrip().endswith("tail")


async def test_includes_are_bounded_and_not_markup_is_skipped():
    scripts = "".join(f"<div id=d{i}></div><script>$('#d{i}').load('/f{i}');</script>"
                      for i in range(MAX_INCLUDES + 3))
    answers = {f"/f{i}": (b"<p>x</p>", "text/html") for i in range(MAX_INCLUDES + 3)}
    answers["/f0"] = (b"\x89PNG", "image/png")
    page, asked = await include(scripts, answers)
    assert len(asked) == MAX_INCLUDES
    assert not page.tree.get_element_by_id("d0").xpath("*")


async def test_a_fragments_relative_links_keep_pointing_where_they_did():
    page, _ = await include("<div id=nav></div><script>$('#nav').load('/inc/nav.html')</script>",
                            {"/inc/nav.html": (b"<a href='x.html'>x</a>", "text/html")})
    assert page.tree.xpath("//a/@href") == ["http://origin.test/inc/x.html"]


@pytest.mark.parametrize(("url", "path"), [
    ("/x", "/x"), ("x?y=1", "/a/x?y=1"), ("http://origin.test/z", "/z"),
    ("//origin.test/z", "/z"), ("https://origin.test/z", None), ("//evil.test/z", None),
    ("javascript:alert(1)", None),
], ids=["path", "relative-query", "absolute", "protocol-relative-same", "other-scheme",
        "other-host", "javascript"])
def test_same_origin_path(url, path):
    assert same_origin_path(url, PAGE_URL) == path


async def test_demo_article_shows_the_top_navigation_and_no_javascript_link(demo_proxy):
    response = await demo_proxy.get(ARTICLE_PATH)
    html = await response.text()
    tree = parse_html(html)
    nav = tree.get_element_by_id("site_top_nav_div")
    assert "机构概况" in nav.text_content() and nav.xpath(".//a[@href]")
    assert not tree.xpath("//script") and "javascript:" not in html.lower()


async def test_demo_navigation_is_found_without_the_rule(aiohttp_server, make_proxy):
    from proxy.demo import create_demo_app

    server = await aiohttp_server(create_demo_app())
    client = await make_proxy(str(server.make_url("/")).rstrip("/"))  # empty rules dir
    html = await (await client.get(ARTICLE_PATH)).text()
    assert "机构概况" in parse_html(html).get_element_by_id("site_top_nav_div").text_content()


async def test_fetch_answering_nothing_leaves_the_page_as_it_was():
    page, asked = await include("<div id=nav>menu</div><script>$('#nav').load('/n')</script>", {})
    assert asked == ["/n"] and page.tree.get_element_by_id("nav").text == "menu"


@pytest.mark.parametrize("position", ["inner", "append", "replace"])
async def test_a_page_proxied_twice_is_not_filled_again(position):
    import lxml.html

    rules = load_rules_text(
        f"version: 1\nhosts: [origin.test]\ninclude:\n"
        f"  - {{selector: '#box', url: /frag.html, position: {position}}}\n")
    answers = {"/frag.html": (b'<div id="box"><p>fresh</p></div>', "text/html")}
    page, _ = await include("<div id=box></div>", answers, rules)
    served = lxml.html.tostring(page.tree, encoding="unicode")
    again, asked = await include(served, answers, rules)
    assert asked == []
    assert again.tree.text_content().count("fresh") == 1


async def test_a_remembered_fragment_is_copied_not_shared():
    """The second page gets the fragment as parsed, whatever the first page did to its copy."""
    html = "<div id=nav></div><script>$('#nav').load('/nav.html')</script>"
    answers = {"/nav.html": ("<ul><li><a href='/a.html'>甲</a></li></ul>".encode("gbk"),
                             "text/html; charset=gbk")}
    first, _ = await include(html, answers)
    first.tree.find(".//a").text = "changed"
    first.tree.find(".//li").append(first.tree.makeelement("b", {}))
    second, asked = await include(html, answers)
    assert asked == ["/nav.html"]  # still fetched: only the decode and parse are remembered
    assert [a.text for a in second.tree.iter("a")] == ["甲"]
    assert second.tree.find(".//li/b") is None


def test_inline_script_texts_are_what_the_text_query_selects():
    root = parse_html("<html><head><script>var a = 1;</script><script src='x.js'>b</script>"
                      "<script></script></head><body><script>$('#n').load('/n')</script>"
                      "</body></html>")
    script = root.find("head/script")
    child = etree.SubElement(script, "b")
    child.tail = "tail text"
    expected = etree.XPath("//script[not(@src)]/text()", smart_strings=False)(root)
    assert expected == ["var a = 1;", "tail text", "$('#n').load('/n')"]
    assert includes._inline_script_texts(root) == expected


@pytest.mark.parametrize("script", [
    "$.get('/x', function(d){ $('#nav').html(d) })", "jQuery . get ( \"/x\" ,function (d) {"
    "jQuery('#nav').html(d)})", "$('#nav').load('/x')", "$( '#nav' ) . load ( '/x' , f)"])
def test_call_pre_checks_pass_every_script_the_patterns_match(script: str):
    root = parse_html(f"<html><body><div id='nav'></div><script>{script}</script></body></html>")
    assert includes._scripted(root) == [("nav", "/x")]
