"""Our routes: /_a11y/set (cookie + 303, never an open redirect), settings, help, static files,
and the vendor toolbar's pages answered with our settings page."""

from __future__ import annotations

import pytest
from yarl import URL

from proxy.http.headers import CSP
from proxy.visitor.prefs import COOKIE_NAME, Preferences
from proxy.visitor.routes import is_vendor_toolbar_path, safe_next


@pytest.mark.parametrize(("raw", "expected"), [
    ("/art/1.html", "/art/1.html"),
    ("/art/1.html?a=1&b=2#top", "/art/1.html?a=1&b=2#top"),
    ("/_a11y/settings?next=%2F", "/_a11y/settings?next=%2F"),
    ("/中文", "/%E4%B8%AD%E6%96%87"),
    ("//evil.com", "/"),
    ("///evil.com", "/"),
    ("/\\evil.com", "/"),
    ("\\\\evil.com", "/"),
    ("/%5Cevil.com", "/"),
    ("/%2F/evil.com", "/"),
    ("%2F%2Fevil", "/"),
    ("http://evil", "/"),
    ("https:evil.com", "/"),
    ("javascript:alert(1)", "/"),
    ("/x\r\nSet-Cookie: a=1", "/"),
    ("/x%0d%0aSet-Cookie:%20a=1", "/"),
    ("/\t/evil.com", "/"),
    (" /x", "/"),
    ("evil.com", "/"),
    ("", "/"),
    (None, "/"),
], ids=["path", "path-query-fragment", "our-own-page", "non-ascii-quoted", "protocol-relative",
        "triple-slash", "backslash", "double-backslash", "encoded-backslash",
        "encoded-slash-after-slash", "encoded-double-slash", "scheme", "scheme-no-slashes",
        "javascript", "crlf", "encoded-crlf", "tab-inside", "leading-space", "bare-host",
        "empty", "missing"])
def test_next_is_only_ever_a_path_on_this_proxy(raw, expected):
    assert safe_next(raw) == expected


@pytest.mark.parametrize("evil", ["//evil.com", "/\\evil.com", "http://evil", "%2F%2Fevil",
                                  "javascript:alert(1)", "/x\r\nLocation: http://evil"],
                         ids=["protocol-relative", "backslash", "scheme", "encoded-slashes",
                              "javascript", "crlf"])
async def test_set_never_redirects_away(demo_proxy, evil):
    response = await demo_proxy.get("/_a11y/set", params={"text": "200", "next": evil},
                                    allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/"


async def test_set_stores_the_cookie_and_returns_to_next(demo_proxy):
    response = await demo_proxy.get("/_a11y/set", params={"text": "200", "scheme": "blue",
                                                          "next": "/col/col1234/index.html"},
                                    allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/col/col1234/index.html"
    assert response.headers["Cache-Control"] == "no-store"
    morsel = response.cookies[COOKIE_NAME]
    assert Preferences.from_cookie(morsel.value) == Preferences(text=200, scheme="blue")
    assert morsel["path"] == "/" and morsel["samesite"] == "Lax" and morsel["httponly"]


async def test_set_builds_on_the_current_cookie_and_reset_clears_it(demo_proxy):
    demo_proxy.session.cookie_jar.update_cookies({COOKIE_NAME: "text:175"},
                                                 URL(str(demo_proxy.make_url("/"))))
    response = await demo_proxy.get("/_a11y/set?cursor=1&next=/", allow_redirects=False)
    assert Preferences.from_cookie(response.cookies[COOKIE_NAME].value) == Preferences(
        text=175, cursor=True)
    response = await demo_proxy.get("/_a11y/set?reset=1&next=/", allow_redirects=False)
    assert response.cookies[COOKIE_NAME]["max-age"] == "0"  # deleted


async def test_settings_page_is_a_form_of_every_preference(demo_proxy):
    response = await demo_proxy.get("/_a11y/settings", params={"next": "/art/1.html"},
                                    cookies={COOKIE_NAME: "scheme:cream"})
    assert response.status == 200
    assert response.headers["Content-Security-Policy"] == CSP
    assert "private" in response.headers["Cache-Control"]
    html = await response.text()
    assert '<form action="/_a11y/set" method="get">' in html
    assert '<input type="hidden" name="next" value="/art/1.html">' in html
    assert 'name="scheme" value="cream" checked' in html
    for key in ("text", "scheme", "spacing", "cursor", "underline", "view"):
        assert f'name="{key}"' in html
    assert 'id="a11y-toolbar"' in html and "<script" not in html


async def test_help_page_is_chinese_and_english(demo_proxy):
    response = await demo_proxy.get("/_a11y/help")
    html = await response.text()
    assert response.status == 200
    assert "无障碍浏览帮助" in html and '<section lang="en">' in html and "text size" in html
    assert "preset=elder" in html


@pytest.mark.parametrize(("path", "content_type"), [
    ("/_a11y/toolbar.css", "text/css"),
    ("/_a11y/static/cursor.svg", "image/svg+xml"),
    ("/_a11y/static/pointer.svg", "image/svg+xml"),
], ids=["toolbar-css", "cursor", "pointer"])
async def test_static_files(demo_proxy, path, content_type):
    response = await demo_proxy.get(path)
    assert response.status == 200
    assert response.content_type == content_type
    assert len(await response.read()) > 100


async def test_unknown_static_file_is_404(demo_proxy):
    assert (await demo_proxy.get("/_a11y/static/..%2Fprefs.py")).status == 404
    assert (await demo_proxy.get("/_a11y/static/other.css")).status == 404


async def test_vendor_frameset_answers_with_our_settings(demo_proxy):
    response = await demo_proxy.get("/statics/wza/index.html")
    html = await response.text()
    assert response.status == 200
    assert "<h1>无障碍设置</h1>" in html
    assert "frameset" not in html.lower() and "x-toolbar" not in html


@pytest.mark.parametrize(("path", "matches"), [
    ("/statics/wza/index.html", True),
    ("/AiWza/index.html", True),
    ("/art/wzatool.html", False),  # 'wzatool' is not a path pattern: only '/...' patterns count
    ("/index.html", False),
], ids=["statics-wza", "aiwza", "non-path-pattern", "ordinary"])
def test_vendor_path_matching(path, matches):
    assert is_vendor_toolbar_path(path, ("/statics/wza/", "/AiWza/", "wzatool")) is matches
