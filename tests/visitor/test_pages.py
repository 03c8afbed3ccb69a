"""Our settings and help pages: complete, escaped, with the toolbar and no script."""

from __future__ import annotations

import lxml.html

from proxy.visitor.pages import help_page, settings_page
from proxy.visitor.prefs import Preferences


def test_settings_page_escapes_next_and_offers_a_share_link():
    html = settings_page(Preferences(text=200, cursor=True), "/_a11y/", '/a"><b>x', "http://p")
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//b") and not doc.xpath("//script")
    assert doc.xpath("//input[@name='next']/@value") == ['/a"><b>x']
    share = doc.xpath("//code")[0].text
    assert share.startswith("http://p/_a11y/set?reset=1&text=200&cursor=1&next=")
    assert doc.xpath("//input[@name='text'][@checked]/@value") == ["200"]
    assert doc.xpath("//nav[@id='a11y-toolbar']") and doc.xpath("//main[@id='a11y-main']")


def test_help_page_has_both_languages_and_every_key():
    doc = lxml.html.fromstring(help_page(Preferences(), "/_a11y/", "/"))
    assert doc.get("lang") == "zh-CN" and doc.xpath("//section[@lang='en']")
    text = doc.text_content()
    for key in ("text=", "scheme=", "spacing=", "cursor=", "underline=", "view=",
                "preset=elder", "reset=1", "pinyin=0|1",
                "script=original|simplified|traditional|tw|hk"):
        assert key in text
    english = doc.xpath("//section[@lang='en']")[0].text_content()
    assert "pinyin=0|1" in english and "script=" in english
