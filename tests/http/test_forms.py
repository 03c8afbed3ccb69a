"""UTF-8 form bodies reach a legacy origin in its charset, as a browser following our
`accept-charset` would send them; bodies already in the origin's charset are left alone."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from aiohttp import FormData

from proxy.demo import RECEIVED, start_demo_origin
from proxy.http import forms
from proxy.http.forms import convert

WORDS = "统战工作"
GBK = quote(WORDS.encode("gbk"))  # %CD%B3%D5%BD%B9%A4%D7%F7
UTF8 = quote(WORDS)  # %E7%BB%9F...
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("content_type", [f"{FORM}; charset=UTF-8", FORM])
def test_urlencoded_utf8_becomes_gbk(content_type):
    body = f"name=%E5%BC%A0%E4%B8%89&title={UTF8}+2019&x=a%26b".encode()
    out, out_type = convert(body, content_type, "gb18030")
    assert out == f"name={quote('张三'.encode('gbk'))}&title={GBK}+2019&x=a%26b".encode()
    assert out_type == (f"{FORM}; charset=gbk" if "charset" in content_type else FORM)


def test_characters_gbk_cannot_hold_become_numeric_references():
    out, _ = convert(f"q={quote('𠮷野家 😀')}".encode(), FORM, "gb18030")
    assert out == ("q=" + quote("&#134071;野家 &#128512;".encode("gbk"))).encode()


@pytest.mark.parametrize("body", [
    f"title={GBK}".encode(),  # what a browser following accept-charset sends
    b"title=%CD%A8%D6%AA",  # 通知 in GBK: valid UTF-8 by chance, still GBK
    b"title=abc&n=1",
    b"title=%FF%FE",  # neither: no conversion of broken bytes
], ids=["gbk", "gbk-valid-as-utf8", "ascii", "broken"])
def test_bodies_not_in_utf8_are_left_alone(body):
    assert convert(body, FORM, "gb18030") == (body, FORM)


def test_big5_and_single_byte_origins():
    out, _ = convert(f"q={quote('臺灣')}".encode(), FORM, "big5hkscs")
    assert out == f"q={quote('臺灣'.encode('big5'))}".encode()
    out, _ = convert(f"q={quote('café €')}".encode(), FORM, "cp1252")
    assert out == f"q={quote('café €'.encode('cp1252'))}".encode()


def test_multipart_text_fields_convert_and_files_stay_byte_for_byte():
    boundary = "----b0undary"
    file_bytes = "文件内容".encode()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{WORDS}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n"
            f"Content-Type: text/plain; charset=UTF-8\r\n\r\n通知\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + file_bytes + \
        f"\r\n--{boundary}--\r\n".encode()
    out, out_type = convert(body, f"multipart/form-data; boundary={boundary}", "gb18030")
    assert out == body.replace(WORDS.encode(), WORDS.encode("gbk")).replace(
        "通知".encode(), "通知".encode("gbk")).replace(b"charset=UTF-8", b"charset=gbk")
    assert file_bytes in out  # the file part was not touched
    assert out_type == f"multipart/form-data; boundary={boundary}"


def last_post(received):
    """The last POST the demo origin got (our pages' includes are GETs that may follow)."""
    return [r for r in received if r.method == "POST"][-1]


@pytest.fixture
async def demo(make_proxy, empty_rules):
    runner, url = await start_demo_origin()
    try:
        yield runner.app[RECEIVED], make_proxy, url
    finally:
        await runner.cleanup()


async def test_utf8_post_reaches_the_demo_origin_as_gbk(demo):
    received, make_proxy, url = demo
    proxy = await make_proxy(url)
    assert (await proxy.get("/liuyan")).status == 200  # the form's page: the site is GBK
    data = urlencode({"name": "张三", "title": WORDS, "content": f"关于{WORDS}的建议"})
    response = await proxy.post("/liuyan", data=data,
                                headers={"Content-Type": f"{FORM}; charset=UTF-8"})
    sent = last_post(received)
    assert sent.method == "POST" and sent.body == urlencode(
        {"name": "张三", "title": WORDS, "content": f"关于{WORDS}的建议"},
        encoding="gbk").encode()
    assert sent.headers["Content-Length"] == str(len(sent.body))
    assert sent.headers["Content-Type"] == f"{FORM}; charset=gbk"
    echo = await response.text()
    assert WORDS in echo and "张三" in echo and f"关于{WORDS}的建议" in echo


async def test_utf8_multipart_and_chunked_posts_reach_the_demo_origin_as_gbk(demo):
    received, make_proxy, url = demo
    proxy = await make_proxy(url)
    await proxy.get("/")
    form = FormData()
    form.add_field("name", WORDS)
    form.add_field("f", "原样".encode(), filename="a.txt", content_type="text/plain")
    response = await proxy.post("/liuyan", data=form)
    sent = last_post(received).body
    assert WORDS.encode("gbk") in sent and WORDS.encode() not in sent
    assert "原样".encode() in sent
    assert WORDS in await response.text()

    async def chunks():
        yield b"title="
        yield UTF8.encode()

    await proxy.post("/liuyan", data=chunks(), headers={"Content-Type": FORM})
    assert last_post(received).body == f"title={GBK}".encode()


async def test_rules_encoding_serves_a_post_before_any_page(demo, empty_rules):
    received, make_proxy, url = demo
    (empty_rules / "default.yaml").write_text("encoding: gb2312\n", encoding="utf-8")
    proxy = await make_proxy(url)
    await proxy.post("/liuyan", data=f"title={UTF8}", headers={"Content-Type": FORM})
    assert last_post(received).body == f"title={GBK}".encode()


async def test_unknown_charset_and_big_bodies_pass_unchanged(demo, monkeypatch):
    received, make_proxy, url = demo
    proxy = await make_proxy(url)
    await proxy.post("/liuyan", data=f"title={UTF8}", headers={"Content-Type": FORM})
    assert last_post(received).body == f"title={UTF8}".encode()  # no page seen, no rules: unknown
    await proxy.get("/")
    monkeypatch.setattr(forms, "MAX_FORM_BYTES", 16)
    big = f"title={UTF8}&pad={'x' * 64}".encode()
    await proxy.post("/liuyan", data=big, headers={"Content-Type": FORM})
    assert last_post(received).body == big  # larger than the buffer: streamed as it came

    async def chunks():
        yield big[:20]
        yield big[20:]

    await proxy.post("/liuyan", data=chunks(), headers={"Content-Type": FORM})
    assert last_post(received).body == big  # chunked, past the buffer: the start, then the rest
