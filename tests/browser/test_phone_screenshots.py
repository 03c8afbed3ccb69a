"""Screenshots of the demo article on a 320 px phone at 100 % and 200 % text, for review.

A full-page screenshot is as wide as the document: a page that scrolls sideways gives a wider
picture. So the golden check is the picture's own width (320 CSS px at device scale factor 2
is 640 pixels), read from the PNG header, plus the overflow measured in the page and a floor
on the article's height (a page that lost its text in the reflow would be short). The PNGs
(large: the article is long) go to test-artifacts/screenshots/, not into the repository.
"""

from __future__ import annotations

import struct

import pytest

from proxy.demo import ARTICLE_PATH
from proxy.visitor.prefs import Preferences
from tests.browser import REPO, chromium, requires_chromium
from tests.browser.phone import PHONES, phone_context, reflow

pytestmark = requires_chromium

OUT = REPO / "test-artifacts/screenshots"
SCALE = 2  #: the phone's device scale factor (tests/browser/phone.py)
#: the article's body is about 2,700 characters: at 320 px, even at 100 % text, more than
#: 20 screens of 640 px would mean something went very wrong, fewer than 4 that text is lost
MIN_SCREENS, MAX_SCREENS = 4, 60


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("text", [100, 200])
async def test_article_at_320_px_is_one_column_wide(demo_proxy, text):
    size = PHONES[0]
    base = str(demo_proxy.make_url("/"))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"phone-article-{size[0]}-{text}.png"
    async with chromium() as browser:
        context = await phone_context(browser, base, size, Preferences(text=text))
        page = await context.new_page()
        await page.goto(base + ARTICLE_PATH.lstrip("/"))
        found = await reflow(page)
        shot = await page.screenshot(path=str(path), full_page=True)
        await context.close()
    width, height = png_size(shot)
    assert not found.scrolls, str(found)
    assert width == size[0] * SCALE, f"{path}: {width} px wide, the page scrolls sideways"
    screens = height / (size[1] * SCALE)
    assert MIN_SCREENS <= screens <= MAX_SCREENS, f"{path}: {screens:.1f} screens tall"
