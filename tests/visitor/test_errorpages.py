"""Error pages: accessible structure, both languages, nothing reflected unescaped."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.visitor.errorpages import MESSAGES, error_page


@pytest.mark.parametrize("status", sorted(MESSAGES), ids=str)
def test_error_page_structure(status):
    response = error_page(status, original_url="http://origin.test/a")
    tree = lxml.html.fromstring(response.text)
    assert response.status == status
    assert tree.get("lang") == "zh-CN" and tree.findtext(".//title")
    assert tree.find(".//main/h1") is not None and tree.find(".//*[@lang='en']") is not None
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]


def test_request_data_is_escaped_and_script_urls_are_not_linked():
    response = error_page(502, original_url='http://o/"><script>alert(1)</script>',
                          detail="<img src=x onerror=alert(1)>")
    assert "<script>" not in response.text and "<img" not in response.text
    assert "javascript:" not in error_page(502, original_url="javascript:alert(1)").text


def test_failed_post_tells_the_visitor_it_did_not_go_through():
    assert "没有送达" in error_page(502, method="POST").text
