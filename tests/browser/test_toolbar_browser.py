"""Our toolbar in real Chromium through the proxy on the demo article: first after the skip
link, no script, every control works by keyboard alone, >= contrast in every colour scheme,
text-only and reading mode keep the article, and the site's old toolbar is gone."""

from __future__ import annotations

import pytest

from proxy.demo import ARTICLE_PATH
from proxy.demo.pages import find_article
from proxy.visitor.prefs import COOKIE_NAME, Preferences
from proxy.visitor.schemes import SCHEMES
from tests.browser import chromium, requires_chromium, run_axe

pytestmark = requires_chromium

SEED = find_article(5678)
MAX_TABS = 60  #: more Tab presses than the skip link, toolbar and header links together
OLD_TOOLBAR_TRACES = ("direct_wza", "/statics/wza/", "x-toolbar", "czfxfontzoom")


async def open_article(browser, proxy, cookie: str | None = None, path: str = ARTICLE_PATH):
    context = await browser.new_context()
    if cookie:
        await context.add_cookies([{"name": COOKIE_NAME, "value": cookie,
                                    "url": str(proxy.make_url("/"))}])
    page = await context.new_page()
    response = await page.goto(str(proxy.make_url(path)))
    assert response.status == 200
    return page


async def focused(page) -> dict:
    return await page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, text:"
        " e.textContent.trim(), cls: e.className, inToolbar: !!e.closest('#a11y-toolbar')}; }")


async def tab_to(page, label: str) -> None:
    """Press Tab until the focused control's text is `label` (keyboard only, no clicks)."""
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if (await focused(page))["text"].lstrip("✓") == label:
            return
    raise AssertionError(f"{label!r} not reachable by Tab")


async def prefs_cookie(page) -> Preferences:
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    return Preferences.from_cookie(cookies.get(COOKIE_NAME))


async def test_skip_link_then_toolbar_are_the_first_focusables_and_no_script_runs(demo_proxy):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy)
        await page.keyboard.press("Tab")
        first = await focused(page)
        assert (first["tag"], first["text"], first["cls"]) == ("A", "跳到主要内容", "a11y-skip")
        await page.keyboard.press("Tab")
        assert (await focused(page))["inToolbar"]
        assert await page.evaluate("document.scripts.length") == 0
        assert await page.evaluate(
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some("
            "a => a.name.startsWith('on'))).length") == 0
        landmark = await page.evaluate(
            "(() => { const n = document.getElementById('a11y-toolbar');"
            " return [n.tagName, n.getAttribute('aria-label')]; })()")
        assert landmark == ["NAV", "无障碍工具栏"]
        # the skip link lands in the main landmark
        await page.keyboard.press("Shift+Tab")
        await page.keyboard.press("Enter")
        target = await page.evaluate("location.hash.slice(1)")
        assert await page.evaluate(
            f"!!document.getElementById('{target}').closest('main, [role=main]')")


async def test_every_toolbar_control_is_reachable_by_tab_with_a_visible_focus(demo_proxy):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy)
        controls = await page.evaluate(
            "[...document.querySelectorAll('#a11y-toolbar a')].map(a => a.textContent.trim())")
        reached = []
        await page.keyboard.press("Tab")  # skip link
        for _ in range(len(controls)):
            await page.keyboard.press("Tab")
            state = await focused(page)
            assert state["inToolbar"]
            outline = await page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
            assert outline[0] != "none" and outline[1] >= 2
            reached.append(state["text"])
        assert reached == controls and len(controls) >= 20


@pytest.mark.parametrize(("label", "expected"), [
    ("大字 200%", Preferences(text=200)),
    ("黄字黑底", Preferences(scheme="yellow")),
    ("加宽", Preferences(spacing=True)),
    ("纯文本", Preferences(view="text")),
    ("长辈模式", Preferences(text=150, scheme="contrast", spacing=True, cursor=True)),
], ids=["text-200", "scheme", "spacing", "text-only", "elder"])
async def test_tab_and_enter_change_the_preference(demo_proxy, label, expected):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy)
        await tab_to(page, label)
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        assert page.url == str(demo_proxy.make_url(ARTICLE_PATH))
        assert await prefs_cookie(page) == expected
        current = await page.evaluate(
            "[...document.querySelectorAll('#a11y-toolbar a[aria-current]')]"
            ".map(a => a.textContent.replace('✓', '').trim())")
        assert label in current


async def test_underline_cursor_and_reset_by_keyboard(demo_proxy):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy, cookie="text:175|underline:1")
        await tab_to(page, "重置")
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        assert await prefs_cookie(page) == Preferences()


CHOSEN_SCHEMES = [scheme.key for scheme in SCHEMES if scheme.overrides_colours]


@pytest.mark.parametrize("scheme", CHOSEN_SCHEMES, ids=CHOSEN_SCHEMES)
async def test_no_contrast_violation_in_any_scheme(demo_proxy, scheme):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy, cookie=f"scheme:{scheme}")
        violations = [v for v in await run_axe(page) if v["id"] == "color-contrast"]
        assert violations == []


async def test_default_scheme_keeps_site_colours_and_our_toolbar_passes(demo_proxy):
    """"default" is the site's own colours (the demo's #999 date line fails AA: the site's
    problem, which the other schemes fix); our skip link and toolbar must pass in it too."""
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy)
        nodes = [n for v in await run_axe(page) if v["id"] == "color-contrast"
                 for n in v["nodes"]]
        ours = [n for n in nodes if await page.evaluate(
            "(sel) => !!document.querySelector(sel).closest('#a11y-toolbar, .a11y-skip')",
            n["target"][0])]
        assert ours == []


@pytest.mark.parametrize("view", ["text", "reading"])
async def test_text_only_and_reading_mode_keep_every_paragraph(demo_proxy, view):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy, cookie=f"view:{view}")
        text = " ".join((await page.inner_text("body")).split())
        for paragraph in SEED.body:
            assert " ".join(paragraph.split()) in text
        assert await page.evaluate("document.images.length") == 0 or view == "reading"
        assert "附件" in text and "发布日期" in text


async def test_old_toolbar_leads_to_our_settings_and_leaves_no_trace(demo_proxy):
    async with chromium() as browser:
        page = await open_article(browser, demo_proxy)
        html = await page.content()
        for trace in OLD_TOOLBAR_TRACES:
            assert trace not in html
        await tab_to(page, "无障碍浏览")
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        assert "/_a11y/settings" in page.url
        assert await page.inner_text("h1") == "无障碍设置"
        response = await page.goto(str(demo_proxy.make_url("/statics/wza/index.html")))
        assert response.status == 200
        assert await page.inner_text("h1") == "无障碍设置"
        assert len(page.frames) == 1
        for trace in OLD_TOOLBAR_TRACES:
            assert trace not in await page.content()
