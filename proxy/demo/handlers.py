"""Request handlers and middlewares of the demo origin."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qsl, quote

from aiohttp import hdrs, web

from proxy.demo import pages
from proxy.demo.assets import BIG_BLOCK, BIG_BLOCK_SIZE
from proxy.demo.static import StaticFile, serve


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as it reached the demo origin."""

    method: str
    path_qs: str  # raw, as on the wire (percent-encoding untouched)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


RECEIVED_LIMIT = 1000
RECEIVED: web.AppKey[list[ReceivedRequest]] = web.AppKey("demo_received", list)
STATIC: web.AppKey[dict[str, StaticFile]] = web.AppKey("demo_static", dict)
HITS: web.AppKey[dict[str, int]] = web.AppKey("demo_hits", dict)

SESSION_COOKIE = "JSESSIONID=abc123; Domain=.xiuzhiben.com; Path=/; HttpOnly"
FIELD_LABELS = {"name": "姓名", "title": "标题", "content": "内容"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def html(body: bytes, status: int = 200) -> web.Response:
    """An HTML response the legacy way: GBK bytes, ``text/html`` without a charset."""
    return web.Response(body=body, status=status, headers={hdrs.CONTENT_TYPE: "text/html"})


@web.middleware
async def record_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    body = await request.read() if request.can_read_body else b""
    received = request.app[RECEIVED]
    received.append(ReceivedRequest(request.method, request.raw_path, dict(request.headers), body))
    if len(received) > RECEIVED_LIMIT:
        del received[:-RECEIVED_LIMIT]
    return await handler(request)


@web.middleware
async def not_found_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return html(pages.not_found_page(), status=404)


async def front(request: web.Request) -> web.Response:
    response = html(pages.front_page())
    response.headers.add(hdrs.SET_COOKIE, SESSION_COOKIE)
    return response


async def column_list(request: web.Request) -> web.Response:
    column = pages.COLUMNS.get(int(request.match_info["cid"]))
    if column is None:
        raise web.HTTPNotFound()
    return html(pages.list_page(column))


async def article(request: web.Request) -> web.Response:
    found = pages.find_article(int(request.match_info["aid"]))
    if found is None or found.path != request.path:
        raise web.HTTPNotFound()
    return html(pages.article_page(found))


def raw_query(request: web.Request) -> str:
    return request.raw_path.partition("?")[2]


async def search(request: web.Request) -> web.Response:
    raw = raw_query(request)
    fields = dict(parse_qsl(raw, keep_blank_values=True, encoding="gbk", errors="replace"))
    return html(pages.search_page(fields.get("q", "").strip(), raw))


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """(name, value decoded as GBK) of each part; a file part's value names the file."""
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        raise web.HTTPBadRequest(text="multipart without boundary")
    parts: list[tuple[str, str]] = []
    for chunk in body.split(b"--" + m.group(1).encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.partition(b"\r\n\r\n")
        name = re.search(rb';\s*name="([^"]*)"', head)
        filename = re.search(rb';\s*filename="([^"]*)"', head)
        data = data.removesuffix(b"\r\n")
        value = data.decode("gbk", "replace")
        if filename:
            value = f"[文件] {filename.group(1).decode('gbk', 'replace')}，{len(data)} 字节"
        parts.append((name.group(1).decode("gbk", "replace") if name else "?", value))
    return parts


async def liuyan_form(request: web.Request) -> web.Response:
    return html(pages.page(f"网上留言 - {pages.SITE_NAME}", "liuyan.html"))


async def liuyan_post(request: web.Request) -> web.Response:
    body = await request.read()
    content_type = request.headers.get(hdrs.CONTENT_TYPE, "")
    if content_type.lower().startswith("multipart/form-data"):
        fields = parse_multipart(body, content_type)
    else:
        fields = parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, encoding="gbk", errors="replace"
        )
    echo = "<br>\n".join(
        f'<b>{escape(FIELD_LABELS.get(k, k))}：</b><span class="v" title="{escape(k)}">'
        f"{escape(v)}</span>"
        for k, v in fields
    )
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return html(
        pages.page(
            f"留言结果 - {pages.SITE_NAME}",
            "liuyan_result.html",
            echo=echo,
            ctype=escape(content_type),
            raw=escape(quote(body, safe=printable)),
            hex=body[:65536].hex(),
        )
    )


async def hits(request: web.Request) -> web.Response:
    aid = request.query.get("id", "0")
    counter = request.app[HITS]
    counter[aid] = counter.get(aid, 1000) + 1
    script = f"document.getElementById('hits').innerHTML='{counter[aid]}';\n"
    return web.Response(
        body=script.encode("ascii"),
        headers={hdrs.CONTENT_TYPE: "application/javascript", hdrs.CACHE_CONTROL: "no-cache"},
    )


async def old_article(request: web.Request) -> web.Response:
    raise web.HTTPFound(pages.ARTICLE_URL)


async def go_external(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://www.gov.cn/")


async def big(request: web.Request) -> web.StreamResponse:
    try:
        mb = int(request.query.get("mb", "200"))
    except ValueError:
        raise web.HTTPBadRequest(text="mb must be an integer") from None
    if not 0 <= mb <= 100_000:
        raise web.HTTPBadRequest(text="mb out of range")
    response = web.StreamResponse(headers={hdrs.CONTENT_TYPE: "application/octet-stream"})
    response.content_length = mb * 1024 * 1024
    await response.prepare(request)
    if request.method != hdrs.METH_HEAD:
        for _ in range(mb * 1024 * 1024 // BIG_BLOCK_SIZE):
            await response.write(BIG_BLOCK)
    await response.write_eof()
    return response


async def static_file(request: web.Request) -> web.Response:
    return serve(request, request.app[STATIC][request.path])


def add_routes(app: web.Application) -> None:
    router = app.router
    for path in ("/", "/index.html", "/tzb/", "/tzb/index.html"):
        router.add_get(path, front)
    router.add_get(r"/col/col{cid:\d+}/index.html", column_list)
    router.add_get(r"/art/{y:\d+}/{m:\d+}/{d:\d+}/art_{cid:\d+}_{aid:\d+}.html", article)
    router.add_get("/search", search)
    router.add_get("/liuyan", liuyan_form)
    router.add_post("/liuyan", liuyan_post)
    router.add_get("/hits", hits)
    router.add_get("/old-article", old_article)
    router.add_get("/go-external", go_external)
    router.add_get("/big.bin", big)
    for path in app[STATIC]:
        router.add_get(path, static_file)
