"""ScriptWrites: the markup a header.js writes for certain is put where the script stood."""

from __future__ import annotations

from pathlib import Path

from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline
from proxy.transforms.scripts.strip import StripScripts
from proxy.transforms.scripts.written import ScriptWrites

PAGE_URL = "http://origin.test/a/page.html"
DATA = Path(__file__).resolve().parent.parent.parent / "data" / "reveal"


async def written(html: str, answers: dict, encoding: str = "utf-8") -> tuple[Page, list[str]]:
    page = Page(url=PAGE_URL, tree=parse_html(html), host="origin.test", encoding=encoding)
    asked: list[str] = []

    async def fetch(path: str):
        asked.append(path)
        return answers.get(path)

    pipeline = Pipeline([ScriptWrites(), StripScripts()])
    await pipeline.gather(page, fetch)
    pipeline.run(page)
    return page, asked


async def test_a_real_header_js_becomes_the_header_without_any_script():
    header = (DATA / "djjiangsu_header.js").read_bytes()
    page, asked = await written(
        "<html><body><div id=wrap><script src='static/js/h.js'></script>"
        "<div class=bt-box>当前位置</div></div></body></html>",
        {"/a/static/js/h.js": (header, "application/javascript")})
    assert asked == ["/a/static/js/h.js"]
    wrap = page.tree.get_element_by_id("wrap")
    texts = wrap.xpath(".//a/text()")
    assert "首页" in texts and "省政府" in texts and "登录" in texts
    # in place: the header comes before what followed the script
    assert wrap.text_content().index("省政府") < wrap.text_content().index("当前位置")
    assert not page.tree.xpath("//script")  # the aria.js the header writes goes too
    assert b"govwza" not in serialize(page.tree)


async def test_gbk_script_is_decoded_by_our_arbitration():
    body = "document.write('<p>通知公告</p>');".encode("gbk")
    page, _ = await written("<html><body><script src='/w.js'></script></body></html>",
                            {"/w.js": (body, "application/javascript")}, encoding="gbk")
    assert page.tree.xpath("//p/text()") == ["通知公告"]


async def test_inline_writes_in_head_go_to_the_start_of_body():
    page, asked = await written(
        "<html><head><script>document.write('<div>站点名称</div>')</script></head>"
        "<body>正文<p>x</p></body></html>", {})
    assert asked == []
    body = page.tree.find("body")
    assert body[0].text == "站点名称" and body[0].tail == "正文"


async def test_style_written_in_head_stays_there_and_text_order_is_kept():
    page, _ = await written(
        "<html><head><script>document.write('<style>.a{}</style>')</script></head>"
        "<body><p>a<script>document.write('b<i>c</i>d')</script>e</p></body></html>", {})
    assert page.tree.find("head").xpath("style/text()") == [".a{}"]
    assert page.tree.xpath("string(//p)") == "abcde"


async def test_other_hosts_async_scripts_and_a_second_pass_are_left_alone():
    html = ("<html><body><script src='http://evil.test/h.js'></script>"
            "<script async src='/a.js'></script><script src='/h.js'></script></body></html>")
    answers = {"/a.js": (b"document.write('<p>async</p>')", None),
               "/h.js": (b"document.write('<p>once</p>')", None)}
    page, asked = await written(html, answers)
    assert asked == ["/h.js"]
    assert page.tree.xpath("//p/text()") == ["once"]
    again = Page(url=PAGE_URL, tree=parse_html(serialize(page.tree).decode()), host="origin.test")
    pipeline = Pipeline([ScriptWrites(), StripScripts()])
    await pipeline.gather(again, lambda path: None)
    pipeline.run(again)
    assert again.tree.xpath("//p/text()") == ["once"]


async def test_a_library_sized_script_is_not_read():
    from proxy.transforms.scripts.written import MAX_SCRIPT_BYTES

    big = b"document.write('<p>lib</p>');" + b"var x = 1;\n" * (MAX_SCRIPT_BYTES // 10)
    page, asked = await written("<html><body><script src='/lib.js'></script></body></html>",
                                {"/lib.js": (big, "application/javascript")})
    assert asked == ["/lib.js"] and not page.tree.xpath("//p")
