"""Image names from real sources only: lazy addresses, captions, labels, services, links."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page, parse_html
from proxy.siterules.store import RuleStore
from proxy.transforms.semantics import image_text
from proxy.transforms.semantics import images as semantics_images
from proxy.transforms.semantics.image_text import MAX_LABEL
from proxy.transforms.semantics.links import SR_ONLY_CLASS
from tests.factories import page_from_body, run_semantics
from tests.golden.runner import REPO

URL = "http://www.example.gov.cn/art/1.html"
SHIPPED = RuleStore.from_directory(REPO / "rules").for_host("www.example.gov.cn")


def run(body: str, rules=SHIPPED) -> Page:
    page = page_from_body(body, URL, rules=rules)
    run_semantics(page)
    return page


def alts(body: str, rules=SHIPPED) -> list[str | None]:
    return [img.get("alt") for img in run(body, rules).tree.iter("img")]


@pytest.mark.parametrize(("body", "expected"), [
    ('<div class="box-img"><img src=""></div>', [""]),
    ('<img id="wxAppLogo" width="100" height="100">', [""]),
    ('<footer><img src="http://b.scorecardresearch.com/p?c1=2&amp;c2=6906476"></footer>', [""]),
    ('<picture><source srcset="/a.webp"><img></picture>', [None]),
    ('<img src="/photo.jpg" srcset="/photo-2x.jpg 2x">', [None]),
], ids=["empty-src", "no-src", "tracking-pixel", "picture-source-shows", "content-photo"])
def test_an_image_that_shows_nothing_is_not_announced(body, expected):
    assert alts(body) == expected


def test_an_alt_of_only_spaces_is_the_authors_empty_alt():
    assert alts('<img src="/a.png" alt=" "><img src="/b.png" alt="  图 ">') == ["", "  图 "]


@pytest.mark.parametrize(("body", "expected"), [
    ('<div class="share"><span><img src="/images/qq.png"></span>'
     '<span><img src="/images/zone.png"></span><span><img src="/images/wechat.png"></span>'
     '<span><img src="/images/weibo.png"></span></div>', ["QQ", "QQ空间", "微信", "微博"]),
    ('<a><img class="bds_tsina" src="/p/szf_weibo.png"></a>', ["新浪微博"]),
    ('<div class="s-ewm"><img src="/images/wx.png"><div>关注新华网</div></div>', ["微信二维码"]),
    ('<ul><li>官方微信<br><img class="footer-qr_img" src="/images/wechat_qr_code.png"></li>'
     '</ul>', ["二维码"]),
    ('<a id="qrcode"><img src="/wx.jpg" width="16"><div><span>分享到微信</span></div></a>',
     [""]),
    ('<div class="qrcode"><img src="data:image/png;base64,iVBO"></div>', ["二维码"]),
    ('<p><img src="/max/2000/1*oBWUXtszDsiv_-Qq2bFLTQ.png"></p>', [None]),
    ('<a href="http://weibo.com/gov"><img src="/weibo.png"></a>', ["weibo.com/gov"]),
    ('<a href="javascript:;"><img class="bds_weixin" src="/s.png"></a>', ["微信"]),
], ids=["share-icons", "service-class-and-file", "service-of-wrapper-class",
        "label-says-the-service", "label-says-everything", "qr-wrapper-of-data-uri",
        "hashed-file-name-is-no-service", "a-link-names-by-its-target", "dead-share-link"])
def test_a_service_image_takes_the_name_its_file_carries(body, expected):
    assert alts(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ('<p align="center"><img src="/641"></p>'
     '<p class="text image_desc" align="center">（某头部数据公司的部分报价单）</p>',
     "（某头部数据公司的部分报价单）"),
    ('<p align="center"><img src="/1.jpg"></p><p>护士在献血浆时留念。新华社记者 才扬 摄</p>',
     "护士在献血浆时留念。新华社记者 才扬 摄"),
    ('<p><img src="/1.jpg"></p><p>图为启动仪式现场。</p>', "图为启动仪式现场。"),
    ('<p><img src="/1.jpg"></p><p>（新华社记者 李尕 摄）</p>', "（新华社记者 李尕 摄）"),
    ('<p class="f_center"><img src="/1.jpg"></p><p>为什么说此次施工</p>', None),
    ('<p><img src="/1.jpg"></p><p>01</p>', None),
    ('<p><img src="/1.jpg"></p><p>' + "图为" + "很长的正文" * 30 + "</p>", None),
    ('<div class="swiper"><img src="/s1.png"><img src="/s2.png"></div><p>图为某地</p>', None),
], ids=["caption-class", "ends-with-photographer", "starts-with-tuwei", "bracketed-credit",
        "next-paragraph-is-text", "section-number", "too-long-for-a-caption",
        "not-one-image"])
def test_a_caption_after_the_photo_names_it(body, expected):
    assert alts(body)[0] == expected


@pytest.mark.parametrize(("body", "expected"), [
    ('<div class="dqwz"><img src="/dqwz.png"> 当前位置： <a href="/">首页</a> &gt; '
     '<a href="/zx/">资讯中心</a></div>', ""),
    ('<div class="code"><img src="/482D2EC9.png"><p>半月谈教育App</p></div>', ""),
    ('<a><span><img src="/phone.png"></span>手机版</a>', ""),
    ('<table><tr><td width="40"><img src="/house.png"></td><td>位置：<a href="/">首页</a>'
     "</td></tr></table>", ""),
    ('<h3 id="comment-title"><img src="/minus.gif"> <span>留言列表 (42)</span></h3>', ""),
    ('<ul><li><img src="/slide1.jpg"><span>1</span></li></ul>', None),
    ('<div><img src="/photo.jpg"><p>' + "正文" * 40 + "</p></div>", None),
    ('<div class="swiper"><img src="/s1.png"><img src="/s2.png"><span>轮播</span></div>', None),
    ("<table><tr><td>【字号：<a>大</a> <a>中</a> <a>小</a>】" + "文章工具栏" * 8 + "</td>"
     '<td width="22"><img src="/print.png"></td><td><a class="print">打印</a></td>'
     "<td>关闭窗口</td></tr></table>", ""),
    ('<table><tr><td><img src="/photo.jpg"></td><td>' + "正文" * 40 + "</td></tr></table>",
     None),
], ids=["icon-before-breadcrumb", "qr-above-its-label", "icon-in-a-text-box",
        "icon-cell-beside-text", "icon-in-heading", "slide-number-is-no-label",
        "prose-is-no-label", "several-images-share-the-text", "icon-cell-in-a-long-row",
        "photo-cell-beside-prose"])
def test_a_short_label_in_the_same_box_says_it(body, expected):
    assert alts(body)[0] == expected


def test_an_image_link_repeating_a_text_link_is_read_once():
    page = run('<ul><li><div class="pic"><a href="/a/1.htm"><img src="/p1.jpg"></a></div>'
               '<h3><a href="/a/1.htm">中科院推出高产水稻</a></h3></li></ul>')
    image_link, text_link = page.tree.iter("a")
    assert page.tree.find(".//img").get("alt") == ""
    assert (image_link.get("aria-hidden"), image_link.get("tabindex")) == ("true", "-1")
    assert text_link.get("aria-hidden") is None


@pytest.mark.parametrize("body", [
    '<div class="head"><a href="/"><img src="/logo.png"></a><ul><li><a href="/">首页</a></li>'
    '<li><a href="/zw/">政务</a></li></ul></div>',
    '<li><a href="#"><img src="/p.jpg"></a><a href="#">更多</a></li>',
    '<li><a href="/a/1.htm"><img src="/p.jpg"></a><a href="/a/2.htm">别的文章</a></li>',
], ids=["logo-beside-a-menu", "no-address", "other-address"])
def test_an_image_link_stays_when_no_item_repeats_it(body):
    img = run(body).tree.find(".//img")
    link = img.getparent()  # (a nameless `href="#"` hook is content by then, not a link)
    assert link.get("aria-hidden") is None and img.get("alt") != ""


@pytest.mark.parametrize(("body", "expected"), [
    ('<td><img height="4" src="/images/index_18.jpg" width="168"></td>', ""),
    ('<td><img height="31" src="/images/index_08.jpg" width="168"></td>', None),
    ('<span><img src="/x.png" style="width:14px;height:12px"></span>', ""),
    ('<span><img src="/x.png" style="min-height:13px"></span>', None),
    ('<img src="/wx.jpg" width="16">', "微信"),
], ids=["thin-slice-is-a-rule-line", "slice-that-may-hold-text", "icon-size-in-style",
        "min-height-is-not-a-side", "service-before-icon-size"])
def test_sizes_from_attributes_and_style(body, expected):
    assert alts(body)[0] == expected


def test_the_service_table_is_data():
    rules = RuleStore.from_directory(REPO / "tests" / "nonexistent").for_host("x.example")
    assert alts('<img src="/images/wechat.png">', rules) == ["微信"]  # the built-in fallback
    assert semantics_images._service_table(("douyin=抖音", "broken")) == (("douyin", "抖音"),)


@pytest.mark.parametrize(("body", "alt"), [
    ('<form action="/search.jsp"><input name="q"><input type="image" src="/go.gif"></form>',
     "搜索"),
    ('<form id="sousuo" action="/s"><input name="q"><input type="image" src="/go.gif"></form>',
     "搜索"),
    ('<form action="/liuyan"><input name="t"><textarea name="c"></textarea>'
     '<input type="image" src="/go.gif"></form>', "提交"),
    ('<form action="/s"><input name="q"><input type="image" src="/go.gif" value="查询"></form>',
     "查询"),
], ids=["search-by-action", "search-by-hint-word", "other-form-submits", "value-says-it"])
def test_an_image_button_is_named_by_what_its_form_does(body, alt):
    button = run(body).tree.find(".//input[@type='image']")
    assert button.get("alt") == alt


@pytest.mark.parametrize(("body", "alt"), [
    ('<form action="/s"><input name="q"><input type="IMAGE" src="/go.gif" alt=" "></form>',
     "提交"),
    ('<form action="/s"><input name="q"><input type="Image" src="/go.gif" alt="去"></form>',
     "去"),
    ('<input type="imagex" src="/go.gif">', None),
    ('<input type="image" src="/go.gif" alt="\u3000">', "\u3000"),
], ids=["upper-case-type-blank-alt", "own-alt-kept", "other-type", "ideographic-space-is-text"])
def test_image_buttons_are_found_as_xpath_would(body, alt):
    """The walk replaces `translate(@type,'IMAGE','image')='image'` and normalize-space(@alt):
    the type in any case, an alt of only XML spaces (U+3000 is a character to XPath)."""
    assert run(body).tree.find(".//input[@src]").get("alt") == alt


@pytest.mark.parametrize(("body", "alt"), [
    ('<map><area href="http://weibo.com/gov" alt=" "></map>', "weibo.com/gov"),
    ('<map><area href="/a" alt="甲"></map>', "甲"),
    ('<map><area title="标题"></map>', None),
], ids=["blank-alt", "named", "no-address"])
def test_linked_areas_without_alt_are_named(body, alt):
    assert run(body).tree.find(".//area").get("alt") == alt


OWN_TEXT = etree.XPath(f".//text()[not(ancestor::*[@class='{SR_ONLY_CLASS}'])]")


@pytest.mark.parametrize("body", [
    "<a id='x' href='/a'>新闻<!-- 注释 -->中心<img src='/i.png'>尾</a>",
    f"<a id='x' href='/a'>全文<span class='{SR_ONLY_CLASS}'>（新窗口）</span> 下载</a>",
    f"<div class='{SR_ONLY_CLASS}'><p id='x'>隐藏的字</p></div>",
    "<div id='x'> \n<p>\u3000</p>\t</div>",
    "<div id='x'>" + "很长的正文，" * 20 + "</div>",
    f"<div id='x'>甲<p>乙<span class='{SR_ONLY_CLASS}'>丙<i>丁</i>戊</span>己<b>庚<i>辛</i>壬</b>癸"
    "</p>子</div>丑",
], ids=["comment-and-tails", "our-note-left-out", "inside-our-note", "only-spaces", "long",
        "nested"])
@pytest.mark.parametrize("limit", [0, 30, 1000])
def test_own_text_reads_what_the_xpath_query_reads(body, limit):
    el = run(body).tree.get_element_by_id("x")
    text = " ".join("".join(OWN_TEXT(el)).split())
    solid = len("".join(text.split()))
    expected = None if solid > limit else text
    assert image_text._own_text(el, limit) == expected


def test_text_is_read_only_up_to_the_limit():
    chunks = iter(["一二", "  三四 ", "五六七", "never read"])
    assert image_text.squashed(chunks, 5) is None
    assert next(chunks) == "never read"
    assert image_text.squashed(["一", " 二 ", "\u3000"], 2) == "一 二"


def test_more_than_one_image_in_a_box():
    tree = parse_html("<div id='a'><img><p><img></p></div><div id='b'><p><img></p></div>")
    assert image_text.has_other_image(tree.get_element_by_id("a"))
    assert not image_text.has_other_image(tree.get_element_by_id("b"))


def test_address_memos_answer_as_urlsplit_does():
    assert semantics_images._file_name("http://a.cn/i/Logo.PNG?v=2#x") == "Logo.PNG"
    trackers = ("scorecardresearch.com",)
    assert semantics_images._is_tracker("http://b.scorecardresearch.com/p", trackers)
    assert not semantics_images._is_tracker("http://[::1/p", trackers)
    for _ in range(2):  # an address urlsplit refuses is refused every time, not remembered
        with pytest.raises(ValueError):
            semantics_images._file_name("http://[::1/p")


def test_own_text_of_a_deep_tree_needs_no_recursion():
    box = parse_html("<div id='x'></div>").get_element_by_id("x")
    el = box
    for _ in range(3000):  # deeper than Python's recursion limit
        el = etree.SubElement(el, "span")
    el.text = "深处的字"
    assert image_text._own_text(box, MAX_LABEL) == "深处的字"
