"""ChineseScript: 简/繁 with OpenCC on the text people read; URLs, data and form values stay the
origin's, and `lang` says the script."""

from __future__ import annotations

import lxml.html
import opencc
from aiohttp import web

from proxy.demo import ARTICLE_PATH
from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline
from proxy.transforms.chinese_script import ChineseScript
from proxy.visitor.prefs import COOKIE_NAME, Preferences
from tests.browser import chromium, requires_chromium

FORM = """<html lang="zh-CN"><head><meta charset="utf-8"><title>头发</title></head><body>
<p data-k="发展" title="发展">头发<img src="/头发.png" alt="头发"></p>
<form action="/go" method="post" accept-charset="utf-8">
<input type="hidden" name="h" value="头发"><input name="q" value="发展" placeholder="发展">
<select name="o"><option>头发</option><option value="面条">面条</option></select>
<textarea name="t">后来</textarea><button name="b" value="干部">干部</button></form>
<script>var s = "头发";</script><style>p:after{content:"头发"}</style></body></html>"""


def run(html: str, script: str) -> Page:
    page = Page(url="http://www.site.gov.cn/", tree=parse_html(html),
                prefs=Preferences(script=script))
    Pipeline([ChineseScript()]).run(page)
    return page


def test_text_and_read_attributes_converted_values_and_urls_kept():
    page = run(FORM, "traditional")
    tree = page.tree
    assert tree.get("lang") == "zh-Hant" and tree.find(".//title").text == "頭髮"
    p = page.body.find("p")
    assert p.text == "頭髮" and p.get("title") == "發展" and p.get("data-k") == "发展"
    assert p.find("img").get("alt") == "頭髮" and p.find("img").get("src") == "/头发.png"
    form = page.body.find("form")
    assert [i.get("value") for i in form.iter("input")] == ["头发", "发展"]
    assert form.xpath(".//input[@name='q']")[0].get("placeholder") == "發展"
    options = form.findall(".//option")
    assert [(o.get("value"), o.text) for o in options] == [("头发", "頭髮"), ("面条", "麪條")]
    assert form.find("textarea").text == "后来" and form.find("button").get("value") == "干部"
    assert form.find("button").text == "幹部"
    assert tree.find(".//script").text == 'var s = "头发";'
    assert "头发" in tree.find(".//style").text


def test_original_changes_nothing_and_simplified_sets_zh_hans():
    before = lxml.html.tostring(parse_html(FORM))
    assert lxml.html.tostring(run(FORM, "original").tree) == before
    back = run(FORM.replace("头发", "頭髮"), "simplified")
    assert back.tree.get("lang") == "zh-Hans" and back.body.find("p").text == "头发"


async def test_demo_article_equals_opencc_own_output(demo_proxy):
    plain = lxml.html.fromstring(await (await demo_proxy.get(ARTICLE_PATH)).text())
    for script, config in (("traditional", "s2t.json"), ("tw", "s2twp.json")):
        response = await demo_proxy.get(ARTICLE_PATH, cookies={COOKIE_NAME: f"script:{script}"})
        converted = lxml.html.fromstring(await response.text())
        own = opencc.OpenCC(config)
        before = list(plain.xpath("//main")[0].itertext())
        after = list(converted.xpath("//main")[0].itertext())
        assert len("".join(before)) > 1000
        assert after == [own.convert(t) for t in before]
        assert after != before
        assert converted.get("lang").startswith("zh-Hant")


@requires_chromium
async def test_form_submits_the_origins_characters(aiohttp_server, make_proxy):
    got: list[list[tuple[str, str]]] = []

    async def form(request: web.Request) -> web.Response:
        return web.Response(text=FORM, content_type="text/html", charset="utf-8")

    async def go(request: web.Request) -> web.Response:
        got.append(list((await request.post()).items()))
        return web.Response(text="<html><body><p>ok</p></body></html>",
                            content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/", form)
    app.router.add_post("/go", go)
    origin = await aiohttp_server(app)
    proxy = await make_proxy(str(origin.make_url("")).rstrip("/"))
    async with chromium() as browser:
        context = await browser.new_context()
        await context.add_cookies([{"name": COOKIE_NAME, "value": "script:traditional",
                                    "url": str(proxy.make_url("/"))}])
        page = await context.new_page()
        await page.goto(str(proxy.make_url("/")))
        assert await page.inner_text("p") == "頭髮"
        async with page.expect_navigation():
            await page.click("button[name=b]")
    assert got == [[("h", "头发"), ("q", "发展"), ("o", "头发"), ("t", "后来"), ("b", "干部")]]
