"""The embedded demo origin, exercised over real loopback sockets."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from lxml import html as lxml_html

from proxy.demo import (
    ARTICLE_PATH,
    ARTICLE_URL,
    LIST_PATH,
    RECEIVED,
    SEED_TITLE,
    create_demo_app,
    start_demo_origin,
)

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[[web.Application], Awaitable[Client]]

ARTICLE_SENTENCES = [
    "新的社会阶层人士是伴随着改革开放和社会主义市场经济发展出现的新社会群体，"
    "党中央历来高度重视新的社会阶层人士统战工作。",
    "2006年党中央召开第20次全国统战工作会议，将新的社会阶层人士统战工作作为新的着力点，"
    "进行重点部署。",
    "一是共同思想政治基础更加巩固。",
    "组织自由职业艺术家赴广东开展“凝聚新力量·筑梦新时代”——庆祝改革开放40周年主题活动等。",
    "二是代表人士队伍建设持续加强。",
    "分批分层培训近10万名代表人士",
    "三是服务大局的优势作用日益凸显。",
    "四是平台载体和工作体制不断健全。",
    "明确了联席会议“3项基本职责”“3方面27家成员单位”和“3种会议形式”的基本架构和运行模式",
    "五是实践创新基地建设成效显著。",
    "中央统战部在15个创新试点城市和34个创新推广城市选取了99个重点项目，目前正在抓紧指导推动。",
    "（摘自统战新语）",
]


@pytest.fixture
async def client(aiohttp_client: ClientFactory) -> Client:
    return await aiohttp_client(create_demo_app())


async def get_text(client: Client, path: str) -> tuple[aiohttp.ClientResponse, str]:
    resp = await client.get(path)
    body = await resp.read()
    return resp, body.decode("gb18030")  # strict: raises on any invalid byte


@pytest.mark.parametrize(
    ("path", "needles"),
    [
        ("/", ["常州市委统战部", "新阶层人士", LIST_PATH, "http://www.gov.cn/"]),
        (LIST_PATH, ["新阶层人士", SEED_TITLE, "2019-09-20", ARTICLE_URL.split("/art/")[0]]),
        (ARTICLE_PATH, [SEED_TITLE, *ARTICLE_SENTENCES]),
        ("/tzb/", ["常州市委统战部"]),
    ],
    ids=["front", "list", "article", "tzb-alias"],
)
async def test_pages_are_gbk_without_header_charset(
    client: Client, path: str, needles: list[str]
) -> None:
    resp, text = await get_text(client, path)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/html"
    assert '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in text
    assert text.startswith('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"')
    for needle in [*needles, "苏公网安备32041102000483号", "苏ICP备15003616号"]:
        assert needle in text
    for legacy in [
        "function direct_wza()",
        '<div id="site_top_nav_div"></div>',
        '<a href="javascript:direct_wza()">无障碍浏览</a>',
        'id="mobile_erweima"',
        '<form action="/search" method="get"',
        'width="1000"',
    ]:
        assert legacy in text
    assert " lang=" not in text and "<main" not in text and ' alt="' not in text


async def test_article_details(client: Client) -> None:
    resp, text = await get_text(client, ARTICLE_PATH)
    assert f'<h2 class="arttitle">{SEED_TITLE}</h2>' in text
    assert (
        '当前位置：<a href="//www.xiuzhiben.com/tzb/">首页</a>>>'
        '<a href="/col/col1230/index.html">各领域工作</a>>>'
        '<a href="/col/col1234/index.html">新阶层人士</a>>> 内容'
    ) in text
    assert (
        "发布日期：2019-09-20 来源：市委统战部 浏览次数：<span id='hits'></span> 字号：【"
        '<a href="javascript:czfxfontzoom(16)">大</a> <a href="javascript:czfxfontzoom(14)">中</a>'
        ' <a href="javascript:czfxfontzoom(12)">小</a>】'
    ) in text
    assert '附件：<a href="/files/report.pdf"' in text
    tree = lxml_html.fromstring(text)
    paragraphs = [p.text_content() for p in tree.xpath('//div[@id="zoom"]/p')]
    assert len(paragraphs) == 7
    assert [p[:2] for p in paragraphs[2:]] == ["一是", "二是", "三是", "四是", "五是"]
    # the title's U+2022 is outside GBK: served as its GB18030 four-byte form
    body = await (await client.get(ARTICLE_PATH)).read()
    assert "•".encode("gb18030") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gbk")


async def test_nav_fragment_and_frameset(client: Client) -> None:
    resp, nav = await get_text(client, "/images/system/sites_top.html")
    assert resp.headers["Content-Type"] == "text/html"
    for item in ["首页", "机构概况", "各领域工作", "新阶层人士", "政策法规", "联系我们"]:
        assert f">{item}</a>" in nav
    resp, frameset = await get_text(client, "/statics/wza/index.html")
    assert '<frame name="x-toolbar" id="x-toolbar" src="/statics/wza/toolbar.html"' in frameset
    assert 'src="/"' in frameset
    resp, toolbar = await get_text(client, "/statics/wza/toolbar.html")
    assert resp.status == 200 and "退出无障碍" in toolbar


async def test_search_echoes_raw_and_decoded_query(client: Client) -> None:
    resp, text = await get_text(client, "/search?q=%CD%B3%D5%BD%B9%A4%D7%F7")
    tree = lxml_html.fromstring(text)
    assert tree.get_element_by_id("raw-query").text_content() == "q=%CD%B3%D5%BD%B9%A4%D7%F7"
    assert tree.get_element_by_id("echo").text_content() == "统战工作"
    assert SEED_TITLE in text


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"], ids=["urlencoded", "multipart"])
async def test_liuyan_post_echo(client: Client, encoding: str) -> None:
    fields = {"name": "张三", "title": "建议", "content": "统战工作做得好"}
    if encoding == "urlencoded":
        data = "&".join(
            f"{k}={aiohttp.helpers.quote(v.encode('gbk'))}" for k, v in fields.items()
        ).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        # as a browser sends it from a GBK page: raw GBK bytes, no per-part charset
        data = (
            b"".join(
                b'--XyZ\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                % (k.encode(), v.encode("gbk"))
                for k, v in fields.items()
            )
            + b"--XyZ--\r\n"
        )
        headers = {"Content-Type": "multipart/form-data; boundary=XyZ"}
    resp = await client.post("/liuyan", data=data, headers=headers)
    text = (await resp.read()).decode("gb18030")
    echo = lxml_html.fromstring(text).get_element_by_id("echo").text_content()
    for label, value in [("姓名", "张三"), ("标题", "建议"), ("内容", "统战工作做得好")]:
        assert f"{label}：{value}" in echo
    raw = lxml_html.fromstring(text).get_element_by_id("raw-body").text_content()
    assert "%D5%C5%C8%FD" in raw  # 张三 in GBK


async def test_received_records_raw_requests(client: Client) -> None:
    await client.post(
        "/liuyan?x=%B0%A1",
        data=b"name=%D5%C5",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Test": "1"},
    )
    await client.get("/no/such/page")
    received = client.app[RECEIVED]
    assert [r.method for r in received] == ["POST", "GET"]
    assert received[0].path_qs == "/liuyan?x=%B0%A1"
    assert received[0].body == b"name=%D5%C5"
    assert received[0].headers["X-Test"] == "1"
    assert received[1].path_qs == "/no/such/page"


@pytest.mark.parametrize(
    ("path", "location"),
    [("/old-article", ARTICLE_URL), ("/go-external", "http://www.gov.cn/")],
    ids=["old-article", "go-external"],
)
async def test_redirects(client: Client, path: str, location: str) -> None:
    resp = await client.get(path, allow_redirects=False)
    assert resp.status == 302
    assert resp.headers["Location"] == location


async def test_front_sets_domain_cookie(client: Client) -> None:
    resp = await client.get("/")
    assert resp.headers.getall("Set-Cookie") == [
        "JSESSIONID=abc123; Domain=.xiuzhiben.com; Path=/; HttpOnly"
    ]


@pytest.mark.parametrize(
    ("path", "content_type", "magic"),
    [
        ("/css/style.css", "text/css", b"body{"),
        ("/js/jquery.min.js", "application/javascript", b"/*"),
        ("/js/czfx.js", "application/javascript", b"/*"),
        ("/files/report.pdf", "application/pdf", b"%PDF-1.4"),
        ("/images/spacer.gif", "image/gif", b"GIF89a"),
        ("/images/banner.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("/images/erweima.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ],
    ids=["css", "jquery", "czfx", "pdf", "spacer", "banner", "erweima"],
)
async def test_static_files(client: Client, path: str, content_type: str, magic: bytes) -> None:
    resp = await client.get(path)
    body = await resp.read()
    assert resp.status == 200
    assert resp.headers["Content-Type"] == content_type
    assert body.startswith(magic)
    assert resp.headers["ETag"] and resp.headers["Last-Modified"]


async def test_css_is_gbk_without_charset_rule(client: Client) -> None:
    body = await (await client.get("/css/style.css")).read()
    assert b"@charset" not in body
    assert 'content:"提示："'.encode("gbk") in body
    assert 'font-family:"宋体"'.encode("gbk") in body
    assert "font-size:12px" in body.decode("gbk")


@pytest.mark.parametrize(
    ("range_header", "status", "content_range", "expected"),
    [
        ("bytes=0-3", 206, "bytes 0-3/{size}", slice(0, 4)),
        ("bytes=-4", 206, "bytes {tail}-{last}/{size}", slice(-4, None)),
        ("bytes=10-", 206, "bytes 10-{last}/{size}", slice(10, None)),
        ("bytes=999999-", 416, "bytes */{size}", slice(0, 0)),
    ],
    ids=["head", "suffix", "open-end", "unsatisfiable"],
)
async def test_range(
    client: Client, range_header: str, status: int, content_range: str, expected: slice
) -> None:
    full = await (await client.get("/files/report.pdf")).read()
    resp = await client.get("/files/report.pdf", headers={"Range": range_header})
    size = len(full)
    assert resp.status == status
    assert resp.headers["Content-Range"] == content_range.format(
        size=size, last=size - 1, tail=size - 4
    )
    if status == 206:
        assert await resp.read() == full[expected]


async def test_conditional_get_and_head(client: Client) -> None:
    first = await client.get("/css/style.css")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        resp = await client.get("/css/style.css", headers=headers)
        assert resp.status == 304
        assert await resp.read() == b""
    head = await client.head("/css/style.css")
    assert head.status == 200 and int(head.headers["Content-Length"]) == len(await first.read())


async def test_not_found_is_gbk_html(client: Client) -> None:
    resp, text = await get_text(client, "/no/such/page.html")
    assert resp.status == 404 and resp.headers["Content-Type"] == "text/html"
    assert "页面不存在" in text


async def test_hit_counter(client: Client) -> None:
    first = await (await client.get("/hits?id=5678")).text()
    second = await (await client.get("/hits?id=5678")).text()
    assert re.fullmatch(r"document\.getElementById\('hits'\)\.innerHTML='\d+';\n", first)
    assert first != second


async def test_big_bin_streams_exact_length(client: Client) -> None:
    resp = await client.get("/big.bin?mb=3")
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert int(resp.headers["Content-Length"]) == 3 * 1024 * 1024
    total = 0
    async for chunk in resp.content.iter_chunked(65536):
        total += len(chunk)
    assert total == 3 * 1024 * 1024
    head = await client.head("/big.bin")
    assert int(head.headers["Content-Length"]) == 200 * 1024 * 1024


async def test_pages_load_nothing_from_other_hosts(client: Client) -> None:
    for path in ["/", LIST_PATH, ARTICLE_PATH, "/statics/wza/index.html", "/liuyan"]:
        _, text = await get_text(client, path)
        tree = lxml_html.fromstring(text)
        for attr in tree.xpath("//@src | //link/@href | //form/@action"):
            assert attr.startswith("/") and not attr.startswith("//"), (path, attr)


async def test_start_demo_origin_serves_on_loopback() -> None:
    runner, url = await start_demo_origin()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        async with aiohttp.ClientSession() as session, session.get(url + "/") as resp:
            assert resp.status == 200
            assert "常州市委统战部" in (await resp.read()).decode("gb18030")
    finally:
        await runner.cleanup()
