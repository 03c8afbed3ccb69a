"""SiteToolbar: vendor toolbars go, their switches lead to our settings, 大/中/小 to our sizes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline
from proxy.transforms.site_toolbar import SiteToolbar, _found, page_path
from tests.factories import load_rules_text

DEFAULT_YAML = (Path(__file__).resolve().parents[2] / "rules" / "default.yaml").read_text("utf-8")
RULES = load_rules_text("version: 1\nhosts: [www.site.gov.cn]\n", default=DEFAULT_YAML)
URL = "http://www.site.gov.cn/art/2019/9/20/art_1.html"
HERE = "/art/2019/9/20/art_1.html"


def run(body: str, head: str = "", url: str = URL) -> Page:
    page = Page(url=url, tree=parse_html(f"<html><head>{head}</head><body>{body}</body></html>"),
                rules=RULES)
    Pipeline([SiteToolbar()]).run(page)
    return page


def html_of(page: Page) -> str:
    return serialize(page.tree).decode()


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.mark.parametrize("link", [
    '<a href="javascript:direct_wza()">无障碍浏览</a>',
    '<a href="/statics/wza/index.html">无障碍浏览</a>',
    '<a href="#" onclick="aria.start()">无障碍</a>',
    '<a href="javascript:;">长者模式</a>',
    '<a href="/AiWza/index.html"><img src="/AiWza/icon.png" alt="无障碍"></a>',
    # named by a `remove:` selector (#toolbarSwitch) too: converted, it is no leftover
    '<a href="javascript:void(0)" id="toolbarSwitch">无障碍浏览</a>',
], ids=["direct_wza", "statics-wza", "aria-start", "elder-text", "aiwza-icon-only",
        "removable-id"])
def test_toolbar_switch_becomes_a_link_to_our_settings(link):
    page = run(f"<div>{link}</div>")
    links = page.tree.xpath("//a")
    assert len(links) == 1
    assert links[0].get("href") == f"/_a11y/settings?next={HERE}"
    assert links[0].text_content().strip()
    assert not links[0].attrib.get("onclick") and not links[0].xpath(".//img")


def test_demo_font_links_become_our_text_steps():
    page = run('<td class="artinfo">发布日期：2019-09-20 字号：【'
               '<a href="javascript:czfxfontzoom(16)">大</a> '
               '<a href="javascript:czfxfontzoom(14)">中</a> '
               '<a href="javascript:czfxfontzoom(12)">小</a>】</td>')
    steps = {a.text: query(a.get("href")) for a in page.tree.xpath("//a")}
    assert {label: q["text"] for label, q in steps.items()} == {
        "大": ["200"], "中": ["150"], "小": ["100"]}
    assert all(q["next"] == [HERE] for q in steps.values())
    assert "发布日期：2019-09-20 字号：【" in page.tree.xpath("//td")[0].text_content()


@pytest.mark.parametrize(("markup", "expected"), [
    ('<span>字号：<a href="#" onclick="doZoom(14)">中</a><a href="#" onclick="doZoom(16)">大</a>'
     '</span>', {"中": "100", "大": "200"}),
    ('<span>字体：<a href="#">大</a> <a href="#">小</a></span>', {"大": "200", "小": "100"}),
    ('<span>字号 <a href="javascript:setFontSize(18)">放大</a></span>', {"放大": "150"}),
], ids=["doZoom-onclick", "labels-only", "single-link"])
def test_other_font_size_controls(markup, expected):
    page = run(markup)
    assert {a.text: query(a.get("href"))["text"][0] for a in page.tree.xpath("//a")} == expected


def test_a_lone_big_link_without_size_context_is_left_alone():
    page = run('<p><a href="/big.html">大</a></p>')
    assert page.tree.xpath("//a/@href") == ["/big.html"]


@pytest.mark.parametrize("markup", [
    '<script>function direct_wza(){window.location.href="/statics/wza/index.html"}</script>',
    '<script src="/static/js/wza.js"></script>',
    "<script>var w = new cnillWzaInstance(); w.init();</script>",
    '<script src="https://cdn.example.com/slh.js"></script>',
    '<script src="/assist/assist.js"></script>',
    '<script src="/amblyopia/wza.max.js"></script>',
    '<script src="/free_Web/free.js"></script>',
    '<script src="/AiWza/load.js"></script>',
    '<script id="barrierFree" src="//wza.lonsun.cn/iframe.js"></script>',
    '<iframe name="x-toolbar" src="/statics/wza/toolbar.html"></iframe>',
    '<frameset><frame name="x-toolbar" src="/statics/wza/toolbar.html"></frameset>',
    '<link rel="stylesheet" href="/statics/wza/wza.css">',
    '<div id="cniil_wza"><button>无障碍</button><button>适老版</button></div>',
    '<div class="gxzf-wza"><span>大</span><span>小</span></div>',
    '<img src="/statics/wza/logo.png" alt="">',
    '<input type="button" value="无障碍" onclick="direct_wza()">',
], ids=["direct_wza-script", "cniil-wza-js", "cnill-instance", "slh", "assist", "wza-max",
        "poweresay-free-web", "aiwza", "lonsun", "x-toolbar-iframe", "x-toolbar-frame",
        "wza-stylesheet", "cniil-buttons", "gxzf-panel", "wza-icon", "button-onclick"])
def test_vendor_toolbar_pieces_are_removed(markup):
    page = run(f"<p>正文</p>{markup}", head=markup if "script" in markup else "")
    out = html_of(page)
    for trace in ("direct_wza", "/statics/wza/", "x-toolbar", "cnillWzaInstance", "wza.js",
                  "slh.js", "assist.js", "wza.max", "free_Web", "AiWza", "lonsun",
                  "cniil_wza", "gxzf-wza"):
        assert trace not in out
    assert "正文" in out


@pytest.mark.parametrize(("markup", "kept"), [
    ('<a id="cniil_wza" href="/jw_Mob/index.html">移动版</a>', True),
    ('<a id="cniil_wza" href="javascript:;"><img src="/i/wza.png" alt=""></a>', False),
    ('<a id="cniil_wza" href="#"><img src="/i/wza.png" alt=""></a>', False),
], ids=["page-link-with-toolbar-id", "script-control", "fragment-control"])
def test_remove_selectors_spare_links_that_lead_somewhere(markup, kept):
    out = html_of(run(f"<p>正文{markup}</p>"))
    assert ("cniil_wza" in out) is kept
    assert "正文" in out


def test_unrelated_scripts_links_and_frames_are_not_its_business():
    page = run('<script src="/js/jquery.min.js"></script><a href="/col/1.html">无障碍环境建设</a>'
               '<iframe src="/map.html" title="地图"></iframe>')
    out = html_of(page)
    assert "/js/jquery.min.js" in out and "/col/1.html" in out and "/map.html" in out


def test_site_rule_lists_extend_the_defaults():
    rules = load_rules_text("version: 1\nhosts: [a.gov.cn]\ntoolbar:\n  remove: ['#wzaTools']\n"
                            "  link_texts: [读屏模式]\n", default=DEFAULT_YAML)
    page = Page(url=URL, rules=rules, tree=parse_html(
        '<body><div id="wzaTools">x</div><a href="#">读屏模式</a></body>'))
    Pipeline([SiteToolbar()]).run(page)
    assert not page.tree.xpath("//*[@id='wzaTools']")
    assert page.tree.xpath("//a/@href")[0].startswith("/_a11y/settings")


@pytest.mark.parametrize(("url", "path"), [
    ("http://h/a/b.html", "/a/b.html"), ("http://h", "/"), ("http://h/s?q=1&p=2", "/s?q=1&p=2")],
    ids=["path", "no-path", "query"])
def test_page_path(url, path):
    assert page_path(url) == path


def test_idempotent():
    once = run('<a href="javascript:direct_wza()">无障碍浏览</a> 字号：<a href="javascript:'
               'czfxfontzoom(16)">大</a><a href="javascript:czfxfontzoom(12)">小</a>')
    first = html_of(once)
    Pipeline([SiteToolbar()]).run(once)
    assert html_of(once) == first
    assert lxml.html.fromstring(first) is not None


def test_found_strings_of_joined_parts_are_the_union_of_each_part():
    rules = RULES.toolbar
    values = ("/statics/wza/x.js", "toolbarSwitch", "javascript:fontZoom(16)", "nav")
    texts = ("首页 无障碍", "字号：", "var a = 'x-toolbar';")
    whole = _found("\0".join(values), "\0".join(texts), rules)
    parts = [_found("\0".join(values[:2]), "\0".join(texts[:1]), rules),
             _found("\0".join(values[2:]), "\0".join(texts[1:]), rules)]
    assert whole == (parts[0][0] | parts[1][0], parts[0][1] | parts[1][1])
    assert {"/statics/wza/", "toolbarSwitch", "fontZoom(", "javascript"} <= whole[0]
    assert {"无障碍", "字号", "x-toolbar"} <= whole[1]
