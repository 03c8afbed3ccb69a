"""The site charset memory: a stylesheet fetched on its own is decoded with its site's charset
(rules, then what any worker or replica learned from the site's pages, then the GBK prior)."""

from __future__ import annotations

from aiohttp import web

from proxy.encoding import site_charsets
from proxy.encoding.site_charsets import DirectoryLevel, SiteCharsets, shared_level
from proxy.settings import Cache
from tests.cache.test_middleware import redis_url  # noqa: F401 - the real Redis fixture

#: what legacy Chinese sites put in a stylesheet without `@charset`; detection alone reads
#: these few GBK bytes as Thai (cp874): 宋体 -> หฮฬๅ
GBK_CSS = 'body{font-family:"宋体","微软雅黑";color:#333}\n.nav a{font:12px/1.5 宋体}'
#: GBK bytes that are also valid UTF-8 (two rare combining marks): only the site's pages can
#: tell a stylesheet holding just these what it is
AMBIGUOUS_CSS = '.t:before{content:"通知"}'
PAGE = "<html><head><title>统战工作</title></head><body><p>新的社会阶层人士统战工作</p></body>"


async def _origin(aiohttp_server) -> str:
    async def page(request: web.Request) -> web.Response:
        return web.Response(body=PAGE.encode("gbk"), content_type="text/html")

    async def css(request: web.Request) -> web.Response:
        text = GBK_CSS if request.match_info["name"] == "main" else AMBIGUOUS_CSS
        return web.Response(body=text.encode("gbk"), content_type="text/css")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/{name}.css", css)
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/")


async def test_gbk_stylesheet_requested_first_of_all_arrives_as_utf8(aiohttp_server, make_proxy):
    proxy = await make_proxy(await _origin(aiohttp_server))
    response = await proxy.get("/main.css")  # nothing of the site was seen before
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    body = (await response.read()).decode("utf-8")
    assert '"宋体","微软雅黑"' in body and "1.5 宋体" in body
    assert "หฮฬๅ" not in body


async def test_rules_encoding_comes_before_anything_learned(aiohttp_server, make_proxy,
                                                           empty_rules):
    url = await _origin(aiohttp_server)
    (empty_rules / "default.yaml").write_text("encoding: gbk\n", encoding="utf-8")
    proxy = await make_proxy(url)
    response = await proxy.get("/ambiguous.css")
    assert AMBIGUOUS_CSS in (await response.read()).decode("utf-8")


async def test_replicas_share_what_one_learned_through_redis(aiohttp_server, make_proxy,
                                                            redis_url):  # noqa: F811
    url = await _origin(aiohttp_server)
    shared = Cache(redis_url=redis_url)
    first, second = await make_proxy(url, cache=shared), await make_proxy(url, cache=shared)
    alone = await make_proxy(url)
    assert (await first.get("/")).status == 200  # replica 1 rewrites a page of the site
    learned = (await (await second.get("/ambiguous.css")).read()).decode("utf-8")
    unknown = (await (await alone.get("/ambiguous.css")).read()).decode("utf-8")
    assert AMBIGUOUS_CSS in learned  # replica 2 never saw a page: it asked the shared level
    assert AMBIGUOUS_CSS not in unknown  # without it the bytes alone mislead


async def test_workers_of_one_machine_share_a_directory(tmp_path, monkeypatch):
    one, two = SiteCharsets(DirectoryLevel(tmp_path)), SiteCharsets(DirectoryLevel(tmp_path))
    assert await two.lookup("www.site.gov.cn") is None
    await one.learn("www.site.gov.cn", "gb18030")
    assert await two.lookup("www.site.gov.cn") is None  # an unknown site is asked again later
    monkeypatch.setattr(site_charsets, "ASK_AGAIN_SECONDS", 0.0)
    two = SiteCharsets(DirectoryLevel(tmp_path))
    assert await two.lookup("www.site.gov.cn") == "gb18030"
    await one.learn("www.site.gov.cn", "utf-8")  # the site moved to UTF-8
    assert await SiteCharsets(DirectoryLevel(tmp_path)).lookup("www.site.gov.cn") == "utf-8"


async def test_override_and_foreign_values(tmp_path, monkeypatch):
    monkeypatch.setattr(site_charsets, "ASK_AGAIN_SECONDS", 0.0)
    memory = SiteCharsets(DirectoryLevel(tmp_path))
    assert await memory.for_site("a.gov.cn", "GB2312") == "gb18030"
    assert await memory.for_site("a.gov.cn", "auto") is None
    (tmp_path / "site-charset-a.gov.cn").write_text("../../etc/passwd")
    assert await memory.lookup("a.gov.cn") is None  # not a charset: ignored
    (tmp_path / "site-charset-a.gov.cn").write_text("big5")
    assert await memory.lookup("a.gov.cn") == "big5hkscs"


async def test_unreachable_shared_levels_are_only_unknown(tmp_path):
    missing = SiteCharsets(DirectoryLevel(tmp_path / "gone"))
    await missing.learn("a.gov.cn", "gb18030")  # a warning, no exception
    assert await missing.lookup("a.gov.cn") == "gb18030"  # this process still knows
    assert shared_level(None, None) is None
    redis = SiteCharsets(shared_level("redis://127.0.0.1:1/0", None))
    assert await redis.lookup("b.gov.cn") is None
    await redis.close()
