"""Every charset lie of issue 3, through the running proxy: the visitor gets correct UTF-8."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
import pytest
from aiohttp import web

from tests.encoding.samples import EURO, GB18030_ONLY, JA, ZH, ZH_HANT, meta, page

CASES: web.AppKey[dict] = web.AppKey("cases", dict)
LATE_META_PADDING = "<script>var x = '" + "x" * 2000 + "';</script>"


@dataclass(frozen=True)
class Lie:
    id: str
    body: bytes
    content_type: str
    expected: str  #: text the visitor must see
    media_type: str = "text/html"


def gbk(text: str) -> bytes:
    return text.encode("gb18030")


LIES = [
    Lie("header-latin1-meta-gbk", gbk(page(ZH, meta("gb2312"))),
        "text/html; charset=ISO-8859-1", ZH),
    Lie("header-latin1-gbk-bytes-no-meta", gbk(page(ZH)), "text/html; charset=iso-8859-1", ZH),
    Lie("header-utf8-gbk-bytes", gbk(page(ZH, meta("gb2312"))), "text/html; charset=utf-8", ZH),
    Lie("meta-gb2312-in-utf8-template", page(ZH, meta("gb2312")).encode(), "text/html", ZH),
    Lie("header-gbk-meta-gbk-but-bom-utf8", b"\xef\xbb\xbf" + page(ZH, meta("gbk")).encode(),
        "text/html; charset=gbk", ZH),
    Lie("no-label-gbk-bytes", gbk(page(ZH)), "text/html", ZH),
    Lie("late-meta-after-1024-bytes", gbk(page(ZH, LATE_META_PADDING + meta("gb2312"))),
        "text/html", ZH),
    Lie("xml-declaration-only", b'<?xml version="1.0" encoding="gb2312"?>\n' + gbk(page(ZH)),
        "text/html", ZH),
    Lie("big5-labelled-gb2312", page(ZH_HANT, meta("gb2312"), "測試頁面").encode("big5"),
        "text/html", ZH_HANT),
    Lie("shift-jis-labelled-gb2312", page(JA, meta("gb2312"), "テスト").encode("shift_jis"),
        "text/html; charset=gb2312", JA),
    Lie("gb18030-only-characters-labelled-gb2312",
        gbk(page(ZH + GB18030_ONLY, meta("gb2312"))).replace(gbk("。"), b"\x80", 1),
        "text/html", ZH.replace("。", EURO, 1) + GB18030_ONLY),
    Lie("one-broken-byte", gbk(page(ZH + "<b>X</b>" + ZH, meta("gb2312"))).replace(
        b"<b>X", b"<b>\xff", 1), "text/html", ZH + "\ufffd" + ZH[:10]),
    Lie("utf8-read-as-gbk-mojibake", page(ZH + "文章".encode().decode("gbk")).encode(),
        "text/html; charset=utf-8", ZH + "文章"),
    Lie("kunjinkao-lost-characters", page(ZH + "锟斤拷").encode(), "text/html",
        ZH + "\ufffd\ufffd"),
    Lie("utf8-read-as-cp1252-mojibake", page("Café crème".encode().decode("cp1252")).encode(),
        "text/html; charset=utf-8", "Café crème"),
    Lie("gbk-css-without-charset", gbk('body{font-family:"宋体"} .tip:before{content:"提示："}'),
        "text/css", 'font-family:"宋体"', "text/css"),
    Lie("gbk-css-with-charset-rule", b'@charset "gbk";\n' + gbk('p{content:"提示："}'),
        "text/css", 'p{content:"提示："}', "text/css"),
    Lie("gbk-plain-text-latin1-header", gbk(ZH), "text/plain; charset=iso-8859-1", ZH,
        "text/plain"),
]


@pytest.fixture
async def proxy(aiohttp_server, make_proxy):
    async def serve(request: web.Request) -> web.Response:
        lie = request.app[CASES][request.match_info["case"]]
        return web.Response(body=lie.body, headers={"Content-Type": lie.content_type})

    app = web.Application()
    app[CASES] = {lie.id: lie for lie in LIES}
    app.router.add_get("/{case}", serve)
    origin = await aiohttp_server(app)
    return await make_proxy(str(origin.make_url("/")).rstrip("/"))


@pytest.mark.parametrize("lie", LIES, ids=[lie.id for lie in LIES])
async def test_the_visitor_reads_the_right_characters(proxy, lie: Lie):
    response = await proxy.get(f"/{lie.id}")
    assert response.status == 200
    assert response.headers["Content-Type"] == f"{lie.media_type}; charset=utf-8"
    text = (await response.read()).decode("utf-8")  # strict: it must be UTF-8
    if lie.media_type != "text/html":
        assert lie.expected in text
        assert "@charset" not in text
        return
    root = lxml.html.document_fromstring(text)
    assert lie.expected in root.get_element_by_id("text").text_content()
    metas = root.xpath("//meta[@charset or @http-equiv]")
    assert [m.get("charset") for m in metas] == ["utf-8"]
    assert root.find("head")[0] is metas[0]
    assert "<?xml" not in text


async def test_undecidable_bytes_are_still_served(proxy, aiohttp_server, make_proxy):
    noise = bytes(range(128, 256)) * 40

    async def serve(request: web.Request) -> web.Response:
        return web.Response(body=b"<html><body><p>" + noise + b"</p></body></html>",
                            headers={"Content-Type": "text/html; charset=x-no-such-label"})

    app = web.Application()
    app.router.add_get("/", serve)
    client = await make_proxy(str((await aiohttp_server(app)).make_url("/")).rstrip("/"))
    response = await client.get("/")
    assert response.status == 200
    (await response.read()).decode("utf-8")
