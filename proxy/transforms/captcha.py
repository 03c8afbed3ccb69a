"""CAPTCHA images twice as large, and a refresh link that works without script.

The MIIT rules for elderly-friendly sites (适老化) ask for verification codes that can be read:
a 60 x 20 px picture of distorted digits is not. A CAPTCHA is an image named as one (its src,
id, class, alt or title says captcha, yzm, checkcode ...), or an image next to the word 验证码
in a block that also holds a text box. It is drawn at twice its size (`zoom`, which keeps its
proportions whatever size the page set). Its refresh was a script (`onclick` on the image, or a
`javascript:` link saying 换一张 / 看不清): that cannot run here, so a plain link reloads the
page, and the origin draws a new code.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform

SCALE = 2
REFRESH_CLASS = "a11y-captcha-refresh"
REFRESH_TEXT = "看不清？换一张（刷新页面）"
WORD = "验证码"
#: words in an image's src/id/class/alt/title that name a verification code
NAMES = re.compile(r"captcha|checkcode|validcode|validatecode|verifycode|vcode|yzm|authcode|"
                   r"randcode|imagecode|securitycode|验证码", re.I)
#: a block near an image that names it: the image's ancestors this far up
BLOCKS = ("p", "td", "tr", "div", "li", "label", "dd", "span", "form")
BLOCK_LEVELS = 3
TEXT_BOX = etree.XPath(".//input[not(@type) or @type='text' or @type='tel' or @type='number']")
HAS_WORD = etree.XPath(f"boolean(//body//text()[contains(., '{WORD}')])")
SCRIPT_REFRESH = re.compile(r"换|刷新|看不清")


class Captcha(Transform):
    name = "captcha"

    def prepare(self, page: Page) -> None:
        near_word = HAS_WORD(page.tree)  # else only an image's own name can say it
        for img in list(page.body.iter("img")):
            if _is_captcha(img, near_word):
                _enlarge(img)
                if _had_script_refresh(img):
                    _add_refresh(img, page.url)


def _is_captcha(img: Any, near_word: bool) -> bool:
    named = " ".join(img.get(a) or "" for a in ("src", "id", "class", "alt", "title", "name"))
    if NAMES.search(named):
        return True
    if not near_word:
        return False
    for level, block in enumerate(img.iterancestors(*BLOCKS)):
        if level >= BLOCK_LEVELS:
            break
        if WORD in block.text_content():
            return bool(TEXT_BOX(block))
    return False


def _enlarge(img: Any) -> None:
    style = (img.get("style") or "").strip().rstrip(";")
    if "zoom" not in style:
        img.set("style", f"{style};zoom:{SCALE}" if style else f"zoom:{SCALE}")


def _had_script_refresh(img: Any) -> bool:
    if img.get("onclick"):
        return True
    parent = img.getparent()
    for link in parent.iter("a") if parent is not None else ():
        href = (link.get("href") or "").strip().lower()
        if (href.startswith("javascript:") or link.get("onclick")) and SCRIPT_REFRESH.search(
                link.text_content()):
            return True
    return False


def _add_refresh(img: Any, url: str) -> None:
    link = lxml.html.Element("a", {"href": url, "class": REFRESH_CLASS})
    link.text = REFRESH_TEXT
    link.tail = img.tail
    img.tail = " "
    img.addnext(link)
