"""One parse, one serialize: broken markup still becomes a tree; output is UTF-8 HTML5."""

from __future__ import annotations

import pytest

from proxy.page import Page, parse_html, serialize


@pytest.mark.parametrize("text", [
    "", "   ", "<p>unclosed <b>bold", "<?xml version='1.0' encoding='gbk'?><html><p>x</p></html>",
    "just text", "<td>orphan cell</td>", "\x00\x01<p>ctrl</p>", "<" * 1000,
], ids=["empty", "blank", "unclosed", "xml-decl", "text", "orphan-td", "control", "lt-flood"])
def test_parse_never_raises_and_gives_an_html_root(text):
    root = parse_html(text)
    assert root.tag == "html"
    assert serialize(root).startswith(b"<!DOCTYPE html>\n<html")


def test_serialize_is_utf8_and_keeps_rare_characters():
    out = serialize(parse_html("<p>䶮 𠮷 € 统战</p>"))
    assert "䶮 𠮷 € 统战".encode() in out


def test_head_and_body_are_created_when_missing():
    page = Page(url="http://o/", tree=parse_html("<html></html>"))
    assert page.head.tag == "head" and page.body.tag == "body"
    assert page.tree.index(page.head) == 0


@pytest.mark.parametrize("text", [
    "<p>a</p></html><div>b</div>",
    "<body><p>a</p></body><div>b</div>",
    "<p>a</p></body></html>\n<!--end--><div>b</div>",
], ids=["html-end-mid-document", "body-end-mid-document", "after-both"])
def test_content_after_an_early_end_tag_stays_in_the_body(text):
    """A template that includes a whole page ends <html> early; browsers show what follows."""
    body = parse_html(text).find("body")
    assert [el.text for el in body.iter("p", "div")] == ["a", "b"]


def test_end_tags_inside_scripts_and_comments_are_kept():
    text = "<p>a</p><script>w('</body>')</script><!--</html>--></html><div>b</div>"
    out = serialize(parse_html(text))
    assert b"w('</body>')" in out and b"<!--</html>-->" in out and b"<div>b</div>" in out


@pytest.mark.parametrize("html", ['<xmp href=""\x01">x</xmp>', '<p title="a\x01b">t</p>',
                                  '<a href="java\x01script:x">x</a>'],
                         ids=["control-in-attribute-name", "control-in-value", "control-in-url"])
def test_control_characters_never_reach_the_tree(html):
    root = parse_html(html)
    for el in root.iter():
        for name in list(el.attrib):
            del el.attrib[name]  # would raise ValueError on a name lxml cannot represent
    assert b"\x01" not in serialize(parse_html(html))


@pytest.mark.parametrize("text", [
    "<html><body><p>a</p></body>\n</html>\n",
    "<BODY>a</BODY ></HTML >\r\n",
    "<p>x</body>   </html>  ",
    "<body>a</body>\n\n<p>after</p></body></html>",
    "<script>document.write('</body>')</script><p>b</p></body></html>",
    "<!-- </html> --><p>c</p></body></html>",
    "<script>x</body></html>",  # an unclosed script: its end tags are not raw text
])
def test_the_short_way_for_closing_end_tags_gives_what_the_full_scan_gives(text):
    from proxy.page import _drop_end_tags, _drop_end_tags_outside_raw_text

    assert _drop_end_tags(text) == _drop_end_tags_outside_raw_text(text)


@pytest.mark.parametrize("text", [
    "plain ascii <p>text</p>", "政府信息公开 \t\r\n", "a\x01b", "中\x1b文", "x\x00", "\x7f\x85 ok",
    "中\ufffe", "\uffff", "lone \ud800 surrogate", "中文 \udfff", "\U0001f600 emoji", "",
])
def test_the_non_xml_text_test_agrees_with_the_character_class(text):
    from proxy.page import _NOT_XML_TEXT, _has_non_xml_text

    assert _has_non_xml_text(text) is bool(_NOT_XML_TEXT.search(text))
