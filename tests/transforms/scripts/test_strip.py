"""StripScripts: no script survives the rewrite, whatever shape it arrives in; what the scripts
showed is kept; the removal is critical (a failure means a safe page, never the origin's)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline, RewriteAborted, Transform
from proxy.transforms.scripts import strip as strip_scripts
from proxy.transforms.scripts.danger import MULTI_URL_ATTRIBUTES, URL_ATTRIBUTES, is_script_url
from proxy.transforms.scripts.strip import StripScripts

XSS_VECTORS = json.loads(
    (Path(__file__).parents[2] / "data/xss/owasp_xss_filter_evasion_vectors.json")
    .read_text(encoding="utf-8"))


def rewrite(html: str, url: str = "http://origin.test/a/page.html") -> Page:
    page = Page(url=url, tree=parse_html(html), host="origin.test")
    Pipeline([StripScripts()]).run(page)
    return page


def leftovers(page: Page) -> list[str]:
    """Every trace of runnable script in a tree, judged independently of the transform."""
    found = []
    for el in page.tree.iter():
        if not isinstance(el.tag, str):
            found.append("comment")
            continue
        tag = el.tag.lower()
        if tag == "script" and (el.get("type") or "").lower() != "application/ld+json":
            found.append("script element")
        if tag in ("object", "embed", "applet", "base", "noscript", "marquee", "blink"):
            found.append(f"<{tag}>")
        if tag == "style" and "<" in (el.text or ""):
            found.append("markup in <style>")
        for name, value in el.items():
            low = name.lower()
            if low.startswith("on") or low == "srcdoc":
                found.append(f"{low} attribute")
            elif low in URL_ATTRIBUTES and is_script_url(value, tag, low):
                found.append(f"script URL in {low}")
            elif low == "style" and "expression(" in value.lower():
                found.append("css expression")
    return found


def round_trip(page: Page) -> Page:
    """What a browser parses: our serialization, parsed again."""
    return Page(url=page.url, tree=parse_html(serialize(page.tree).decode()))


def assert_second_pass_changes_nothing(page: Page) -> None:
    """The proxied page, as parsed again, goes through the pipeline unchanged."""
    once = serialize(page.tree).decode()
    assert serialize(rewrite(once).tree) == serialize(parse_html(once))


# --- a generator of tricky variants --------------------------------------------------------

SCHEMES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
           "\tjava\nscript:alert(1)", "java\rscript:alert(1)", "\x01javascript:alert(1)",
           "&#106;avascript:alert(1)", "&#x6A;&#x61;vascript:alert(1)",
           "jav&#x09;ascript:alert(1)",
           "javascript&colon;alert(1)", "java&Tab;script:alert(1)", "&#0000106avascript:alert(1)",
           "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
           "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
           "DATA:image/svg+xml,<svg onload=alert(1)>", "livescript:alert(1)"]
URL_SHAPES = ['<a href="{u}">x</a>', '<iframe src="{u}"></iframe>', '<form action="{u}"></form>',
              '<button formaction="{u}">b</button>',
              '<svg><a xlink:href="{u}"><text>t</text></a></svg>',
              '<math><mi xlink:href="{u}">m</mi></math>', '<img src="x" lowsrc="{u}">',
              '<table background="{u}"></table>', '<video poster="{u}"></video>',
              '<frameset><frame src="{u}"></frameset>', '<object data="{u}"></object>',
              '<embed src="{u}">', '<area href="{u}">', '<svg><use href="{u}"/></svg>',
              '<A HREF = "{u}" >x</A>']
ELEMENT_SHAPES = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.test/a.js></SCRIPT>",
    "<script type=module>alert(1)</script>", "<scr<script>ipt>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>", "<svg><script href=data:,alert(1) />",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<img src=x onerror=alert(1)>", "<IMG SRC=x OnErRoR=alert(1)>", "<svg/onload=alert(1)>",
    "<body onload=alert(1)>", "<img src=`x`onerror=alert(1)>", "<img src=x onerror\n=alert(1)>",
    "<details open ontoggle=alert(1)>", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:alert(1) /></svg>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>", "<object data=x.swf></object>",
    "<embed src=x.swf>", "<applet code=X></applet>", "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=import href=/x.html>", "<link rel=preload as=script href=/x.js>",
    "<link rel=modulepreload href=/x.js>", "<link rel=serviceworker href=/sw.js>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<div style=\"width:exp\\72 ession(alert(1))\">x</div>",
    "<div style=\"behavior:url(x.htc)\">x</div>", "<div style=\"-moz-binding:url(x.xml#x)\">",
    "<style>a{width:expression(alert(1))}</style>", "<style>@import 'javascript:alert(1)';</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\"></xmp>",
    "<textarea><b title=\"</textarea><img src=x onerror=alert(1)>\"></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<a \"onclick=alert(1)>x</a>", "<div/onclick=alert(1)>x</div>",
    "<table><td background=javascript:alert(1)>", "<p><svg><foreignObject><p onclick=alert(1)>",
    "<plaintext><img src=x onerror=alert(1)>", "<marquee onstart=alert(1)>x</marquee>",
    "<input autofocus onfocus=alert(1)>", "<isindex action=javascript:alert(1) type=submit>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<script type=application/ld+json>{\"a\":\"</script><img src=x onerror=alert(1)>\"}</script>",
]
WRAPPERS = ["{}", "<div>{}</div>", "<svg>{}</svg>", "<math>{}</math>", "<table>{}</table>",
            "<p>{}", "<select>{}</select>", "<template>{}</template>", "<noscript>{}</noscript>"]


def _variants() -> list[tuple[str, str]]:
    out = [(f"url-{i}-{j}", shape.format(u=scheme)) for (i, scheme), (j, shape)
           in itertools.product(enumerate(SCHEMES), enumerate(URL_SHAPES))]
    out += [(f"el-{i}-w{j}", wrap.format(shape)) for (i, shape), (j, wrap)
            in itertools.product(enumerate(ELEMENT_SHAPES), enumerate(WRAPPERS))]
    out += [(f"owasp-{i}", vector) for i, vector in enumerate(XSS_VECTORS)]
    return out


VARIANTS = _variants()


@pytest.mark.parametrize("html", [v for _, v in VARIANTS], ids=[i for i, _ in VARIANTS])
def test_no_script_survives_a_tricky_variant(html):
    page = rewrite(f"<html><head></head><body>{html}<p>after</p></body></html>")
    assert leftovers(page) == []
    assert leftovers(round_trip(page)) == []  # and none appears when a browser re-parses it


@pytest.mark.parametrize("html", [v for _, v in VARIANTS[::7]], ids=[i for i, _ in VARIANTS[::7]])
def test_a_second_pass_changes_nothing(html):
    assert_second_pass_changes_nothing(rewrite(html))


# --- property: random markup --------------------------------------------------------------

TAGS = st.sampled_from(["div", "a", "img", "svg", "math", "script", "style", "iframe", "p",
                        "noscript", "object", "form", "button", "table", "td", "animate",
                        "set", "meta", "link", "base", "textarea", "title", "xmp", "SCRIPT"])
ATTRS = st.sampled_from(["href", "src", "onclick", "onerror", "OnLoad", "style", "srcdoc",
                         "xlink:href", "action", "formaction", "attributename", "values",
                         "http-equiv", "content", "rel", "as", "type", "title", "data"])
VALUES = st.one_of(st.sampled_from(SCHEMES + ["refresh", "import", "script", "preload",
                                              "expression(alert(1))", "href", "/ok", "#"]),
                   st.text(alphabet="<>\"'=/ &#;:jJavscript\t\x01", max_size=20))


@st.composite
def markup(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 3)) if depth < 3 else 0
        if kind == 0:
            parts.append(draw(st.sampled_from(["text", "<", ">", "&", "<!--", "-->", "</p>",
                                               "alert(1)", "\"", "</style>", "</script>"])))
        else:
            tag = draw(TAGS)
            attrs = " ".join(f'{draw(ATTRS)}="{draw(VALUES)}"'
                             for _ in range(draw(st.integers(0, 3))))
            inner = draw(markup(depth + 1))
            parts.append(f"<{tag} {attrs}>{inner}</{tag}>" if draw(st.booleans())
                         else f"<{tag} {attrs}>{inner}")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_random_markup_leaves_no_script_and_is_stable(html):
    page = rewrite(html)
    assert leftovers(page) == []
    reparsed = round_trip(page)
    assert leftovers(reparsed) == []
    assert_second_pass_changes_nothing(page)


# --- what the scripts showed is kept ------------------------------------------------------

KEPT = [
    ("noscript-unwrapped", "<noscript><p>请开启脚本</p></noscript>", "//body/p[.='请开启脚本']"),
    ("marquee-static", "<marquee scrollamount=3>通知</marquee>",
     "//div[.='通知'][not(@scrollamount)]"),
    ("blink-static", "<blink>new</blink>", "//span[.='new']"),
    ("ld-json-kept", '<script type="application/ld+json">{"a":1}</script>',
     "//script[@type='application/ld+json']"),
    ("window-open-link", "<a href=\"javascript:window.open('/x.html')\">x</a>",
     "//a[@href='/x.html']"),
    ("location-href-link", "<a href=\"javascript:location.href='/y'\">y</a>", "//a[@href='/y']"),
    ("onclick-location", "<a href=\"#\" onclick=\"location='/z'\">z</a>", "//a[@href='/z']"),
    ("onclick-on-cell", "<table><tr><td onclick=\"window.location.href='/c'\">c</td></tr></table>",
     "//td/a[@href='/c'][.='c']"),
    ("button-open", "<button onclick=\"window.open('/b')\">b</button>", "//a[@href='/b'][.='b']"),
    ("void-becomes-text", "<a href=\"javascript:void(0)\" onclick=\"fav()\">收藏</a>",
     "//span[.='收藏'][not(@href)]"),
    ("unknown-becomes-text", '<a href="javascript:history.back()">返回</a>', "//span[.='返回']"),
    ("font-zoom-text", '<a href="javascript:czfxfontzoom(16)">大</a>', "//span[.='大']"),
    ("hash-handler-text", '<a href="#" onclick="doIt()">做</a>', "//span[.='做']"),
    ("concatenated-unknown", "<a href=\"javascript:location.href='/a?id='+id\">a</a>",
     "//span[.='a']"),
    ("timed-refresh-link", '<meta http-equiv="refresh" content="5; url=/new.html">',
     "//body/p[@role='note']/a[@href='/new.html']"),
    ("redirect-kept", '<meta http-equiv="refresh" content="0;url=/moved">',
     "//meta[@http-equiv='refresh']"),
    ("safe-style-kept", '<p style="color:red;width:expression(1)">p</p>',
     "//p[@style='color:red;']"),
    ("data-image-kept", '<img src="data:image/png;base64,AAAA">', "//img[@src]"),
]


@pytest.mark.parametrize(("html", "xpath"), [(h, x) for _, h, x in KEPT],
                         ids=[i for i, _, _ in KEPT])
def test_what_scripts_showed_is_kept(html, xpath):
    page = rewrite(f"<html><head></head><body>{html}</body></html>")
    assert page.tree.xpath(xpath), serialize(page.tree).decode()
    assert leftovers(page) == []


def test_a_same_site_base_is_removed_and_its_urls_keep_their_targets():
    page = rewrite('<html><head><base href="/root/"></head><body><a href="b.html">b</a>'
                   '<a href="#top">t</a></body></html>')
    assert not page.tree.xpath("//base")
    assert page.tree.xpath("//a/@href") == ["http://origin.test/root/b.html", "#top"]


def test_timed_refresh_without_target_is_just_removed():
    page = rewrite('<html><head><meta http-equiv="refresh" content="30"></head><body></body>')
    assert not page.tree.xpath("//meta") and not page.tree.xpath("//p[@role='note']")


# --- critical: survival means a safe page --------------------------------------------------

class PlantsScript(Transform):
    """A later transform that (wrongly) inserts a script after the walk."""

    name = "plants_script"

    def finish(self, page):
        page.body.append(page.body.makeelement("script", {}))


def test_a_surviving_script_aborts_the_rewrite():
    page = Page(url="http://origin.test/", tree=parse_html("<p>x</p>"))
    with pytest.raises(RewriteAborted):
        Pipeline([PlantsScript(), StripScripts()]).run(page)


class Breaks(StripScripts):
    def visit(self, el, page):
        raise RuntimeError("boom")


async def test_a_broken_removal_serves_a_safe_page_not_the_origins(aiohttp_server, make_proxy):
    async def origin(request):
        return web.Response(text="<p>secret<script>alert(1)</script></p>",
                            content_type="text/html")

    app = web.Application()
    app.router.add_get("/", origin)
    server = await aiohttp_server(app)
    client = await make_proxy(str(server.make_url("/")).rstrip("/"))
    from proxy.keys import PIPELINE
    client.server.app[PIPELINE].transforms = (Breaks(),)
    response = await client.get("/")
    body = await response.text()
    assert response.status == 502 and "<script" not in body and "alert(1)" not in body
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]


# --- the walk's quick verdicts never pass a script URL ------------------------------------

#: pieces of attribute values: schemes in any case, with the characters a browser skips or
#: deletes (controls, spaces, tab/LF/CR), the prefixes the quick test trusts (http, /)
_URL_PIECES = st.sampled_from(["javascript", "JaVaScRiPt", "java\tscript", "vbscript", "data",
                               "text/html", "image/svg+xml", ":", ",", ";", "http", "HTTP",
                               "/", "//", " ", "\x01", "\n", "alert(1)", "x.png", "s"])


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(URL_ATTRIBUTES)), st.sampled_from(["a", "img", "iframe", "svg"]),
       st.lists(_URL_PIECES, max_size=6).map("".join))
def test_a_url_the_walk_lets_through_unseen_is_never_script(name, tag, value):
    if name in strip_scripts._ONE_URL and strip_scripts._url_cannot_run(value):
        assert not is_script_url(value, tag, name)
    assert (strip_scripts._attribute_problem(tag, name, name, value, True) is not None) \
        == is_script_url(value, tag, name)


def test_multi_url_attributes_are_url_attributes():
    """`_ONE_URL` (the quick test's set) is the URL attributes minus the lists: a list
    attribute must be in both sets, or it would be judged as one URL."""
    assert MULTI_URL_ATTRIBUTES <= URL_ATTRIBUTES
