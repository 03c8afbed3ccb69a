"""PinyinRuby: <ruby> over the content's Chinese text, readings hidden from screen readers,
never in URLs, form values, the <title>, scripts or our toolbar."""

from __future__ import annotations

import lxml.html
from lxml import etree

from proxy.demo import ARTICLE_PATH
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms.pinyin_ruby import PinyinRuby
from proxy.visitor.prefs import COOKIE_NAME, Preferences

PAGE = """<html><head><title>银行首页</title><style>b:after{content:"银行"}</style></head>
<body><p>我在银行工作，2019年去<a href="/重庆/长城.html" title="长城">重庆长城</a>。</p>
<form action="/s"><input name="q" value="银行"><textarea name="t">行走</textarea>
<select name="o"><option>长大</option></select><button name="b" value="1">长大</button></form>
<script>var s = "银行";</script><ruby>汉<rt>hàn</rt></ruby></body></html>"""


def run(html: str, on: bool = True) -> Page:
    page = Page(url="http://www.site.gov.cn/", tree=parse_html(html),
                prefs=Preferences(pinyin=on))
    Pipeline([PinyinRuby()]).run(page)
    return page


def attributes(root) -> list:
    """The attributes of every element but ours (the toolbar, our styles) and the rubies."""
    ours = set(root.xpath("//*[@id='a11y-toolbar']//* | //head/style | //head/link"))
    return [sorted(el.attrib.items()) for el in root.iter()
            if el not in ours and el.tag not in ("ruby", "rt")]


def without_readings(root) -> str:
    copy = lxml.html.fromstring(lxml.html.tostring(root))
    for rt in copy.iter("rt"):
        rt.drop_tree()
    return copy.text_content()


def test_han_runs_get_tone_marked_readings_hidden_from_assistive_technology():
    page = run(PAGE)
    p = page.body.find("p")
    rubies = p.findall(".//ruby")
    assert [r.get("class") for r in rubies] == ["a11y-pinyin"] * 3
    first = rubies[0]
    assert "".join(first.itertext()).startswith("我wǒ在zài银yín行háng工gōng作zuò")
    assert all(rt.get("aria-hidden") == "true" for rt in p.iter("rt"))
    link = p.find("a")
    assert link.get("href") == "/重庆/长城.html" and link.get("title") == "长城"
    assert [rt.text for rt in link.iter("rt")] == ["chóng", "qìng", "cháng", "chéng"]
    # the text read without the readings is the text as it was
    assert without_readings(p) == "我在银行工作，2019年去重庆长城。"


def test_title_scripts_styles_and_form_values_untouched():
    page = run(PAGE)
    assert page.tree.find(".//title").text == "银行首页"
    assert page.tree.find(".//script").text == 'var s = "银行";'
    assert "银行" in page.tree.find(".//style").text
    form = page.body.find(".//form")
    assert form.find("input").get("value") == "银行"
    assert form.find("textarea").text == "行走" and not form.find("textarea").getchildren()
    assert form.find(".//option").text == "长大" and form.find("button").text == "长大"
    # an existing ruby is not annotated again
    assert len(list(page.body.iter("ruby"))) == 4


def test_second_pass_and_off_change_nothing():
    page = run(PAGE)
    once = etree.tostring(page.tree)
    Pipeline([PinyinRuby()]).run(page)
    assert etree.tostring(page.tree) == once
    off = run(PAGE, on=False)
    assert not off.body.find("p").findall(".//ruby")


async def test_demo_article_with_pinyin(demo_proxy):
    plain = await (await demo_proxy.get(ARTICLE_PATH)).text()
    response = await demo_proxy.get(ARTICLE_PATH, cookies={COOKIE_NAME: "pinyin:1"})
    assert response.status == 200
    html = await response.text()
    before, after = lxml.html.fromstring(plain), lxml.html.fromstring(html)
    rubies = after.xpath("//ruby")
    assert len(rubies) > 50
    assert all(rt.get("aria-hidden") == "true" for rt in after.iter("rt"))
    assert not after.xpath("//title//ruby | //*[@id='a11y-toolbar']//ruby"
                           " | //a[@class='a11y-skip']//ruby")
    # every attribute of the page (URLs, form values, alt) is what it is without pinyin
    assert attributes(before) == attributes(after) and len(attributes(before)) > 50
    main_before = before.xpath("//main")[0].text_content()
    assert without_readings(after.xpath("//main")[0]) == main_before
