"""FixEncoding: one UTF-8 meta first in head; forms and link queries back in the origin's
charset (the Chromium proof is tests/encoding/test_forms_chromium.py)."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page, parse_html, serialize
from proxy.transforms import fix_encoding
from proxy.transforms.fix_encoding import (
    FixEncoding,
    charset_declarations,
    charset_metas,
    encode_query,
)


def fixed(html: str, encoding: str = "gb18030") -> Page:
    page = Page(url="http://www.site.gov.cn/", tree=parse_html(html), encoding=encoding)
    transform = FixEncoding()
    transform.prepare(page)
    transform.finish(page)
    return page


@pytest.mark.parametrize("head", [
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    '<META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=GBK">',
    '<meta charset="gbk"><meta charset="big5">',
    "",
], ids=["http-equiv", "upper-case", "two-metas", "none"])
def test_exactly_one_utf8_meta_first_in_head(head: str):
    page = fixed(f"<html><head><title>t</title>{head}<link rel=x href=a></head><body>x</body>")
    metas = page.tree.xpath("//meta")
    assert len(metas) == 1 and metas[0].get("charset") == "utf-8"
    assert page.head[0] is metas[0]
    assert page.tree.find("head/title").text == "t"


def test_xml_declaration_and_head_text_survive_correctly():
    page = fixed('<?xml version="1.0" encoding="gb2312"?><html><head><title>t</title></head>'
                 "<body><p>x</p></body></html>")
    out = serialize(page.tree).decode()
    assert "<?xml" not in out and 'encoding="gb2312"' not in out
    assert '<head><meta charset="utf-8"><title>t</title>' in out


def test_metas_brought_by_included_fragments_are_removed_in_finish():
    page = Page(url="http://x/", tree=parse_html("<head></head><body></body>"),
                encoding="gb18030")
    transform = FixEncoding()
    transform.prepare(page)
    page.body.append(parse_html('<meta charset="gbk"><p>nav</p>').find(".//meta"))
    transform.finish(page)
    assert [m.get("charset") for m in page.tree.xpath("//meta")] == ["utf-8"]


def test_origin_forms_submit_in_the_origin_charset_ours_do_not():
    page = fixed('<body><form action="/search"></form><form action="/_a11y/prefs"></form>'
                 '<form accept-charset="utf-8" action="/api"></form></body>')
    charsets = [f.get("accept-charset") for f in page.tree.iter("form")]
    assert charsets == ["gbk", None, "utf-8"]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"], ids=["utf-8", "latin"])
def test_pages_in_other_charsets_get_no_accept_charset(encoding: str):
    page = fixed('<body><form action="/s"></form><a href="/s?q=统战">x</a></body>', encoding)
    assert page.tree.find(".//form").get("accept-charset") is None
    assert page.tree.find(".//a").get("href") == "/s?q=统战"


def test_link_queries_are_percent_encoded_in_the_origin_charset():
    page = fixed('<body><a href="/search?q=统战工作#top">a</a><a href="/统战?x=1">b</a>'
                 '<a href="/_a11y/text?q=统战">ours</a></body>')
    hrefs = [a.get("href") for a in page.tree.iter("a")]
    assert hrefs == ["/search?q=%CD%B3%D5%BD%B9%A4%D7%F7#top", "/统战?x=1",
                     "/_a11y/text?q=统战"]


def test_encode_query_big5():
    assert encode_query("/s?q=統戰&x=a b", "big5hkscs") == "/s?q=%B2%CE%BE%D4&x=a%20b"


def test_charset_nodes_are_what_the_queries_select_in_the_same_order(monkeypatch):
    # lxml refuses to build a processing instruction named "xml" (and today's HTML parser
    # reads <?xml ...?> as a comment): the test uses another name for the declarations
    monkeypatch.setattr(fix_encoding, "XML_DECLARATION", "decl")
    root = parse_html("<html><head><meta charset=gbk><meta http-equiv='Content-TYPE' content="
                      "'text/html; charset=gbk'><meta http-equiv=refresh content=5><meta name=x>"
                      "</head><body><p><meta http-equiv=content-type></p></body></html>")
    root.addprevious(etree.ProcessingInstruction("decl", "version='1.0'"))
    root.find("head").append(etree.ProcessingInstruction("decl", "encoding='gbk'"))
    root.find("body").append(etree.ProcessingInstruction("php", "echo 1"))
    metas = etree.XPath("//meta[@charset] | //meta[translate(@http-equiv, 'CONTENT-YP',"
                        " 'content-yp') = 'content-type']")(root)
    declarations = etree.XPath("//processing-instruction('decl')")(root)
    assert len(metas) == 3 and len(declarations) == 2
    assert charset_metas(root) == metas
    assert charset_declarations(root) == metas + declarations
