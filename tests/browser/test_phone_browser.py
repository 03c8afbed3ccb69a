"""The demo site on a phone, in real Chromium with mobile emulation (320 x 640 and 375 x 667,
device scale factor 2, touch): the page reflows at 100 % and 200 % text (no horizontal page
scroll, WCAG 1.4.10; a 768 px tablet too), keeps the desktop view's visible text, has no
axe violation; our compact toolbar opens by keyboard and its touch targets are >= 44 x 44
CSS px (WCAG 2.5.5). Also the flaws seen on phones: form controls grow with the text, hidden
notes stay hidden in the text-only view, the toolbar shows the link underlining in force."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from proxy.demo import ARTICLE_PATH, LIST_PATH
from proxy.visitor.prefs import Preferences
from tests.browser import chromium, requires_chromium, run_axe
from tests.browser.phone import DESKTOP, PHONES, TABLET, phone_context, reflow, visible_chars

pytestmark = requires_chromium

PAGES = [("/", "front"), (LIST_PATH, "list"), (ARTICLE_PATH, "article"),
         ("/search?q=" + quote("统战".encode("gbk")), "search-result"), ("/liuyan", "liuyan"),
         ("/_a11y/settings", "settings")]
TEXT_STEPS = (100, 200)
KEEP_TEXT = 0.98  #: share of the desktop view's visible text the phone must show
TARGET_PX = 44  #: WCAG 2.5.5 target size


async def _open(browser, proxy, path: str, size, prefs: Preferences | None = None,
                mobile: bool = True):
    base = str(proxy.make_url("/"))
    context = await phone_context(browser, base, size, prefs, mobile=mobile)
    page = await context.new_page()
    response = await page.goto(base + path.lstrip("/"))
    assert response.status == 200
    return context, page


@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[i for _, i in PAGES])
async def test_demo_page_reflows_keeps_its_text_and_passes_axe_on_phones(demo_proxy, path):
    async with chromium() as browser:
        context, page = await _open(browser, demo_proxy, path, DESKTOP, mobile=False)
        desktop_text = await visible_chars(page)
        await context.close()
        for size in (*PHONES, TABLET):  # a tablet keeps the layout, fitted to the window
            for text in TEXT_STEPS:
                context, page = await _open(browser, demo_proxy, path, size,
                                            Preferences(text=text))
                where = f"{size[0]} px, {text} %"
                found = await reflow(page)
                # the viewport is honoured (without one the phone lays the page out 980 wide)
                assert found.inner_width == size[0], where
                assert not found.scrolls, f"{where}: {found}"
                if text == 100 and size != TABLET:
                    phone_text = await visible_chars(page)
                    assert phone_text >= KEEP_TEXT * desktop_text, (where, phone_text,
                                                                    desktop_text)
                    violations = await run_axe(page)
                    assert not violations, (where, [(v["id"], v["nodes"][:2])
                                                    for v in violations])
                await context.close()


async def _boxes(page, selector: str) -> list[dict]:
    return await page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility())"
        ".map(e => { const r = e.getBoundingClientRect(); return {text: e.textContent.trim(),"
        " w: r.width, h: r.height}; })", selector)


@pytest.mark.parametrize("size", PHONES, ids=[f"{w}px" for w, _ in PHONES])
async def test_compact_toolbar_opens_by_keyboard_with_large_touch_targets(demo_proxy, size):
    async with chromium() as browser:
        context, page = await _open(browser, demo_proxy, ARTICLE_PATH, size,
                                    Preferences(text=150, scheme="contrast"))
        # closed: the skip link, then one line saying what is chosen; no option shown yet
        assert await _boxes(page, "#a11y-toolbar a") == []
        summary = (await _boxes(page, "#a11y-toolbar summary"))[0]
        assert "无障碍设置" in summary["text"] and "150%" in summary["text"]
        assert "黑白高对比" in summary["text"]
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.className") == "a11y-skip"
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.tagName") == "SUMMARY"
        await page.keyboard.press("Enter")
        assert await page.evaluate("document.querySelector('#a11y-toolbar details').open")
        targets = await _boxes(page, "#a11y-toolbar a, #a11y-toolbar summary, .a11y-skip")
        assert len(targets) > 20
        small = [t for t in targets if t["w"] < TARGET_PX - 0.5 or t["h"] < TARGET_PX - 0.5]
        assert not small, small
        assert not (await reflow(page)).scrolls
        await page.keyboard.press("Tab")  # the first option is next, by keyboard
        assert await page.evaluate("!!document.activeElement.closest('#a11y-toolbar ul')")
        await context.close()


async def test_desktop_shows_the_full_toolbar_and_no_summary(demo_proxy):
    async with chromium() as browser:
        context, page = await _open(browser, demo_proxy, ARTICLE_PATH, DESKTOP, mobile=False)
        assert await _boxes(page, "#a11y-toolbar summary") == []
        assert len(await _boxes(page, "#a11y-toolbar a")) > 20
        await context.close()


async def test_settings_radio_buttons_grow_with_the_text(demo_proxy):
    sizes = {}
    async with chromium() as browser:
        for text in TEXT_STEPS:
            context, page = await _open(browser, demo_proxy, "/_a11y/settings", PHONES[0],
                                        Preferences(text=text))
            sizes[text] = (await _boxes(page, "input[type=radio]"))[0]["w"]
            await context.close()
    assert sizes[200] >= 1.9 * sizes[100], sizes


async def test_text_only_view_keeps_hidden_notes_hidden(demo_proxy):
    async with chromium() as browser:
        for size in (PHONES[0], DESKTOP):
            context, page = await _open(browser, demo_proxy, "/", size,
                                        Preferences(view="text"), mobile=size != DESKTOP)
            notes = await _boxes(page, ".a11y-visually-hidden")
            assert await page.locator(".a11y-visually-hidden").count() > 0
            # a note shown is a box as large as its text (innerText would count hidden ones)
            assert all(n["w"] <= 1 and n["h"] <= 1 for n in notes), notes
            assert any("在新窗口打开" in n["text"] for n in notes)
            await context.close()


async def test_toolbar_says_links_are_underlined_when_a_scheme_underlines_them(demo_proxy):
    async with chromium() as browser:
        context, page = await _open(browser, demo_proxy, ARTICLE_PATH, DESKTOP,
                                    Preferences().changed({"preset": "elder"}), mobile=False)
        current = await page.evaluate(
            "() => document.querySelector('[aria-labelledby=a11y-g-underline] "
            "[aria-current]').textContent")
        decoration = await page.evaluate(
            "() => getComputedStyle(document.querySelector('main a[href]'))"
            ".textDecorationLine")
        assert current.endswith("开") and "underline" in decoration
        await context.close()
