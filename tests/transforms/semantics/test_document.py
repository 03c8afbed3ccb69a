"""Semantics: lang, title, one h1, alt, labels, links, frames, tables, zoom; nothing invented."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.heuristics import langdetect
from proxy.page import Page, parse_html
from proxy.transforms.semantics import document as semantics
from proxy.transforms.semantics import headings, language
from proxy.transforms.semantics import titles as semantics_titles
from tests.factories import load_rules_text, run_semantics

URL = "http://www.example.gov.cn/art/1.html"


def run(body: str, head: str = "<title>无标题文档</title>", rules_yaml: str | None = None,
        html_attrs: str = "", url: str = URL) -> Page:
    tree = parse_html(f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>")
    extra = {"rules": load_rules_text(rules_yaml, "site")} if rules_yaml else {}
    page = Page(url=url, tree=tree, **extra)
    run_semantics(page)
    return page


@pytest.mark.parametrize(("text", "attrs", "expected"), [
    ("中华人民共和国国务院办公厅关于进一步加强政务公开工作的通知", "", "zh-CN"),
    ("中華人民共和國國務院辦公廳關於進一步加強政務公開工作的通知", "", "zh-TW"),
    ("中华人民共和国国务院办公厅关于进一步加强政务公开工作的通知", 'lang="en"', "zh-CN"),
    ("中华人民共和国国务院办公厅关于进一步加强政务公开工作的通知", 'lang="zh-Hans"', "zh-Hans"),
    ("The State Council issued a notice on government transparency", "", "en"),
], ids=["simplified", "traditional", "wrong-existing", "correct-existing-kept", "english"])
def test_lang_comes_from_the_text(text, attrs, expected):
    assert run(f"<p>{text}</p>", html_attrs=attrs).tree.get("lang") == expected


def test_detect_says_nothing_without_letters():
    assert langdetect.detect("123 456 !!!") is None


def test_rule_heading_is_promoted_without_changing_its_tag_and_names_the_title():
    page = run('<main><h2 class="arttitle">关于召开会议的通知</h2><p>正文</p></main>',
               rules_yaml='hosts: [a.example]\nheading: "h2.arttitle"')
    h2 = page.tree.find(".//h2")
    assert (h2.get("role"), h2.get("aria-level")) == ("heading", "1")
    assert page.tree.findtext(".//title") == "关于召开会议的通知"


@pytest.mark.parametrize(("body", "expected"), [
    ('<main><table><tr><td class="title">市政府常务会议召开</td></tr></table></main>',
     "市政府常务会议召开"),
    ('<main><font size="5">全市安全生产工作会议</font><p>正文</p></main>', "全市安全生产工作会议"),
    ("<main><h3>某某专题</h3></main>", "某某专题"),
    ("<main><div><h3>先出现的标题</h3></div><h2>后出现的标题</h2></main>", "先出现的标题"),
    ("<main><h2>x</h2><div><h3>" + "长" * 81 + "</h3><h2>某某会议通知</h2></div>"
     "<h3>后面</h3></main>", "某某会议通知"),
], ids=["styled-td", "big-font", "first-h3", "h3-before-h2-in-document-order",
        "first-that-fits"])
def test_heuristic_title_becomes_the_h1(body, expected):
    page = run(body)
    h1 = page.tree.xpath("//*[@role='heading'][@aria-level='1'] | //h1")
    assert [" ".join(h.text_content().split()) for h in h1] == [expected]
    assert not page.tree.xpath("//td[@role]")


def test_home_page_gets_a_hidden_h1_from_its_title():
    page = run('<main><a href="/x">新闻</a></main>', head="<title>某某市人民政府</title>",
               url="http://www.example.gov.cn/")
    h1 = page.tree.find(".//main/h1")
    assert h1.text == "某某市人民政府" and "clip" in h1.get("style")


@pytest.mark.parametrize(("img", "alt"), [
    ('<img src="/images/spacer.gif">', ""),
    ('<img src="/x.png" width="1" height="1">', ""),
    ('<img src="/x.png" title="市长信箱">', "市长信箱"),
    ('<a href="/a"><img src="/i.png"> 新闻标题</a>', ""),
    ('<a href="/a" title="更多新闻"><img src="/more.gif"></a>', "更多新闻"),
    ('<img src="/photo.jpg">', None),
    ('<a href="http://weibo.com/"><img src="/wb.png"></a>', "weibo.com"),
    ('<a href="http://bszs.conac.cn/sitename?method=show&id=1" target="_blank">'
     '<img src="/red.png"></a>', "bszs.conac.cn/sitename"),
    ('<a href="/zwgk/tzgg/index.html"><img src="/more.gif"></a>', "zwgk/tzgg"),
    ('<a href="#"><img src="/photo.jpg"></a>', None),
    ('<img src="/i.png" width="16" height="12">', ""),
    ('<img src="/images/icon_arrow.png">', ""),
    ('<a href="/a"><img src="/images/icon_arrow.png"></a>', "a"),
], ids=["spacer-name", "one-pixel", "title", "link-with-text", "link-title", "nothing-invented",
        "link-other-site", "link-other-site-path", "link-same-site-path", "link-nowhere",
        "icon-size", "icon-name", "icon-is-a-links-only-content"])
def test_image_alt(img, alt):
    assert run(img).tree.find(".//img").get("alt") == alt


def test_image_link_named_from_the_target_pages_title():
    page = Page(url=URL, tree=parse_html('<html><body><a href="/col/9.html"><img src="/m.gif">'
                                         "</a></body></html>"))

    async def fetch(path):
        assert path == "/col/9.html"
        return "<title>政策法规</title>".encode("gbk"), "text/html; charset=gbk"

    import asyncio
    asyncio.run(semantics_titles.gather_titles(page, fetch))
    run_semantics(page)
    assert page.tree.find(".//img").get("alt") == "政策法规"


def test_rule_alt_and_labels_win():
    rules = 'hosts: [a.example]\nalt:\n  "#logo": 某某局\nlabels:\n  "input[name=q]": 站内搜索'
    page = run('<img id="logo" src="/l.png" alt="logo"><input name="q">', rules_yaml=rules)
    assert page.tree.get_element_by_id("logo").get("alt") == "某某局"
    assert page.tree.find(".//input").get("aria-label") == "站内搜索"


@pytest.mark.parametrize(("form", "label"), [
    ("<table><tr><td>姓名：</td><td><input name=n></td></tr></table>", "姓名"),
    ("<p>电话 * <input name=t></p>", "电话"),
    ('<input name=k placeholder="请输入关键词">', "请输入关键词"),
    ('<label for="e">邮箱</label><input id="e">', None),
    ('<form><input name=q><input type=submit value="搜索"></form>', "搜索"),
    ('<form><input name=q><input name=r><input type=submit value="搜索"></form>', None),
], ids=["previous-cell", "text-before", "placeholder", "has-label", "only-field-by-its-button",
        "two-fields-not-by-the-button"])
def test_form_control_labels(form, label):
    assert run(form).tree.find(".//input").get("aria-label") == label


def test_links_new_window_attachments_empty_links_and_frames():
    page = run('<a href="/f/a.pdf" target="_blank">年度报告</a><a href="#top"></a>'
               '<iframe src="http://other.example/map"></iframe>')
    first, empty = page.tree.findall(".//a")
    assert first.text_content() == "年度报告（PDF 文件）（在新窗口打开）"
    assert (empty.get("aria-hidden"), empty.get("tabindex")) == ("true", "-1")
    assert page.tree.find(".//iframe").get("title")


@pytest.mark.parametrize(("table", "role", "headers"), [
    ("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>", "presentation", 0),
    ('<table border="1"><tr><td><b>姓名</b></td><td><b>职务</b></td></tr>'
     "<tr><td>张三</td><td>局长</td></tr></table>", None, 2),
    ('<table border="1"><tr><th>a</th></tr><tr><td>b</td></tr></table>', None, 1),
], ids=["layout", "data-bold-header-row", "declared-data"])
def test_tables(table, role, headers):
    page = run(table)
    assert page.tree.find(".//table").get("role") == role
    assert len(page.tree.findall(".//th")) == headers


def test_viewport_allows_zoom_and_marquee_stops():
    page = run("<marquee scrollamount=2>通知</marquee>", head='<title>x</title><meta name='
               '"viewport" content="width=device-width, initial-scale=1, maximum-scale=1, '
               'user-scalable=no">')
    assert page.tree.find(".//meta").get("content") == "width=device-width, initial-scale=1"
    assert page.tree.find(".//marquee") is None and page.tree.find(".//div").text == "通知"


@pytest.mark.parametrize(("body", "roles"), [
    ("<div><li>a</li><li>b</li></div>", ["list", None, None]),
    ("<span>text<li>a</li></span>", ["none"]),
    ("<ul><li>a</li><div>b</div></ul>", [None, None, "listitem"]),
    ('<ul><li>a</li><a href="/x">b</a></ul>', ["none", "none", None]),
    ("<ul><li>a</li>stray text</ul>", ["none", "none"]),
    ("<ul><div><li>a</li></div></ul>", ["none", "list", None]),
], ids=["items-in-a-div", "item-beside-text", "div-in-a-list", "link-in-a-list",
        "text-in-a-list", "items-in-a-div-in-a-list"])
def test_lists_are_repaired_without_moving_anything(body, roles):
    page = run(f"<section>{body}</section>")
    found = [el.get("role") for el in page.tree.find(".//section").iter()
             if el.tag in ("ul", "div", "li", "td", "a") and el.tag != "section"]
    assert found == roles


def test_markup_inside_a_select_is_unwrapped_like_a_browser_does():
    page = run('<select><option value="http://a.gov.cn"><a href="http://a.gov.cn">甲部</a>'
               "</option></select>")
    option = page.tree.find(".//option")
    assert option.text == "甲部" and not len(option)


def test_a_second_pass_adds_nothing_to_names():
    from lxml import etree
    once = etree.tostring(run('<a href="/f/a.pdf" target="_blank"><img src="/p.png"></a>'
                              '<a href="/b" target="_blank" aria-label="乙">x</a>').tree,
                          encoding="unicode")
    twice = etree.tostring(run(once, head="").tree, encoding="unicode")
    assert twice.count("在新窗口打开") == once.count("在新窗口打开") == 2


def test_target_titles_are_remembered_and_expire():
    """A second view of a page does not fetch its links' pages again until the TTL ends; a
    failed fetch is not remembered."""
    import asyncio

    now = [0.0]
    cache = semantics_titles.TitleCache(ttl=10, clock=lambda: now[0])
    html = ('<html><body><a href="/a.html"><img src="/a.gif"></a><a href="/b.html">'
            '<img src="/b.gif"></a><a href="/c.html"><img src="/c.gif"></a></body></html>')
    fetched = []

    async def fetch(path):
        fetched.append(path)
        if path == "/c.html":
            raise ConnectionError("origin down")
        return f"<title>{path}</title>".encode(), "text/html"

    def view() -> list[str | None]:
        page = Page(url=URL, tree=parse_html(html))
        asyncio.run(semantics_titles.gather_titles(page, fetch, cache))
        run_semantics(page)
        return [img.get("alt") for img in page.tree.iter("img")]

    assert view()[:2] == ["/a.html", "/b.html"]
    assert sorted(fetched) == ["/a.html", "/b.html", "/c.html"]
    fetched.clear()
    now[0] = 5
    assert view()[:2] == ["/a.html", "/b.html"] and fetched == ["/c.html"]
    fetched.clear()
    now[0] = 11
    view()
    assert sorted(fetched) == ["/a.html", "/b.html", "/c.html"]


def test_title_cache_is_bounded():
    cache = semantics_titles.TitleCache(size=2)
    for url in ("a", "b", "c"):
        cache.put(url, url.upper())
    assert cache.get("a") is semantics_titles._MISSING and cache.get("c") == "C"


@pytest.mark.parametrize(("href", "target", "note"), [
    ("/files/a.PDF", None, "（PDF 文件）"),
    ("/files/a.p\tdf", None, "（PDF 文件）"),  # urlsplit drops tabs: still a PDF
    ("/files/a.docx?x=1#y", None, "（Word 文件）"),
    ("/a.html", "_BLANK", "（在新窗口打开）"),
    ("/a.html", None, None),
    ("/pdf/a.html", None, None),
], ids=["upper-case", "tab-inside", "query-fragment", "new-window", "plain", "pdf-in-path"])
def test_link_notes(href, target, note):
    link = f'<a href="{href}"' + (f' target="{target}"' if target else "") + ">下载</a>"
    page = run(f"<p>{link}</p>")
    hidden = page.tree.find(".//a/span")
    assert (hidden.text if hidden is not None else None) == note


#: the text query the short ways of `_body_text` stand for
_ALL_BODY_TEXT = etree.XPath(
    "//body/descendant::text()[normalize-space()][not(ancestor::script or ancestor::style or "
    "ancestor::noscript)]", smart_strings=False)


@pytest.mark.parametrize("body", [
    "<p>中文内容</p>\n  <div> English words </div>",
    "<p> </p>\n\t<div>\n</div>",
    "<p>中文</p><style>.a{color:red}</style><p>English</p>",
    "<noscript><p>Please enable JavaScript</p></noscript><p>中文内容</p>",
    "<p>" + "English text " * 2000 + "</p><p>" + "中文内容" * 3000 + "</p>",
    " \n".join(["<p>國會發</p>"] * 3000) + "<p>" + "国会发" * 4000 + "</p>",
    "<script>var a = '中文';</script><p>English only</p>",
], ids=["mixed", "blank", "style", "noscript", "long", "long-with-blank-nodes", "script"])
def test_body_text_reads_as_the_full_query(body):
    # the body's whole string (no tags to leave out, fits the sample) or the query with only
    # the tags present: langdetect says the same as of the full query's text
    root = parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    full = "".join(language._limited(_ALL_BODY_TEXT(root)))
    short = language._body_text(root, language.not_text_tags(root))
    assert bool(short) is bool(full)
    assert langdetect.detect(short) == langdetect.detect(full)


def test_document_tags_come_from_one_pass_over_head_and_body():
    root = parse_html('<html><head><meta name="VIEWPORT" content="a"><style>p{}</style></head>'
                      '<body><p>x</p><blink>b</blink><meta name="keywords"><noscript>n'
                      "</noscript><marquee>m</marquee></body></html>")
    metas, moving = semantics.document_tags(root)
    assert [m.get("name") for m in metas] == ["VIEWPORT", "keywords"]
    assert [el.tag for el in moving] == ["blink", "marquee"]
    assert language.not_text_tags(root) == {"noscript"}  # the head's <style> is not the body's


@pytest.mark.parametrize(("marks", "titled"), [
    ("arttitle main", True), ("news_tit ", True), (" headLine", True), ("h1 x", True),
    ("newsTitle", True), ("subtitle-box", True), ("content main", False), (" ", False),
    ("titlebar", False), ("bt", True), ("btn", False),
])
def test_is_titled_reads_class_and_id_words(marks, titled):
    assert headings._is_titled(marks) is titled
    assert headings._is_titled(marks) is titled  # remembered: the same answer
