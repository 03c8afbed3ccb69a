"""Text alternatives for images, image buttons and image-map areas; nothing invented.

First, lazy-loaded images get their real address (lazy_images.py), and an `alt` of only
spaces (the author's "no text", which screen readers may read as "space") becomes `alt=""`.

Order for an image without `alt`:
1. the site rule's `alt`;
2. no picture at all: no `src`, or a known tracking pixel (TRACKING_HOSTS) -> `alt=""`;
3. a spacer or shim (a side <= MAX_SPACER_PX, from attributes or style; SPACER_IMAGES) -> "";
4. its `title`;
5. inside a link (or button) that has other text or another named image, `alt=""`: the link
   says it, and a second name would be read twice;
6. the only content of a link whose address a nearby text link also has (the picture-news
   pattern `<li><a href=X><img></a><a href=X>标题</a></li>`): `alt=""`, and the image link
   leaves the tab order and the accessibility tree -- the text link names the destination once
   (WCAG H2: adjacent image and text links for the same resource are one link);
7. the only content of a link: the link's title, its target page's title (fetched before the
   rewrite, see semantics_links.gather_titles), else a readable form of its URL ("weibo.com",
   "bszs.conac.cn/sitename", "zwgk/tzgg") -- where following the link goes is what the image
   stands for, and the address is a fact, not a description;
8. a figure's caption;
9. a well-known service's logo or QR code named by its own file or class name, or its
   wrapper's class (`IMAGE_SERVICE_NAMES`: wechat/weixin/wx -> 微信, tsina -> 新浪微博,
   qrcode/ewm -> 二维码 ...): that name, less what the short text beside it already says
   (nothing left: `alt=""`). It is the label the file carries, not a description of the picture;
10. a caption right after the image's paragraph: the next block has a caption class
   (CAPTION_CLASSES: desc, caption, tuzhu ...) or reads like one (starts with 图为/图：/▲ ...,
   ends with 摄/供图 ...; CAPTION_STARTS, CAPTION_ENDS), at most MAX_CAPTION characters;
11. a short label in the same small box (the image's nearest ancestor with text, within
   MAX_CLIMB levels, holds no other image and at most MAX_LABEL characters: the icon before
   当前位置, a QR code above 官方微信, an icon in 手机版): `alt=""`, the label is read right there;
12. decoration: an icon-sized image (every known side <= MAX_ICON_PX) or one whose file or class
   name says icon/arrow/bullet/background (DECORATION_WORDS) gets `alt=""`.

A content image with no name source at all keeps NO alt (a carousel slide, an article photo
without a caption, a sliced layout graphic that may hold text, an image map's picture whose
purpose nothing states). Reason: the HTML standard's case of "images whose contents are not
known" (HTML 4.8.4.4.13) -- a placeholder such as "图片" would claim a text alternative that
does not exist, `alt=""` would hide a picture that may carry information, and a description
would be invented. Left as it is, assistive technology reports an unlabelled image and audits
(axe image-alt) keep showing the gap to whoever can fix the source.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..page import Page
from .hints import Hints, words
from .lazy_images import load_lazy_images
from .semantics_forms import button_function, search_words_of
from .semantics_links import SR_ONLY_CLASS, target_title, url_name

NO_ALT = etree.XPath("//body//img[not(@alt)]")
BLANK_ALT = etree.XPath("//body//img[@alt!=''][normalize-space(@alt)='']")
IMAGE_INPUTS = etree.XPath("//body//input[translate(@type,'IMAGE','image')='image']"
                           "[not(@alt) or normalize-space(@alt)='']")
AREAS = etree.XPath("//body//area[@href][not(@alt) or normalize-space(@alt)='']")
LINK = etree.XPath("ancestor::*[self::a[@href] or self::button][1]")
#: the link's own text, without the notes we add for screen readers (new window, file type)
OWN_TEXT = etree.XPath(f".//text()[not(ancestor::*[@class='{SR_ONLY_CLASS}'])]")
NAMED_IMAGES = etree.XPath(".//img[normalize-space(@alt)!='']")
ANY_IMAGE = etree.XPath("count(.//img)")
#: the cell after a cell that holds only this image (an icon column beside its label)
_NEXT_CELL_OF_ICON = etree.XPath(
    "parent::td[count(*) = 1][not(normalize-space())]/following-sibling::td[1]")
SAME_ADDRESS = etree.XPath(".//a[@href=$href]")
LINKS_IN = etree.XPath(".//a[@href]")
CAPTION = etree.XPath("normalize-space(ancestor::figure[1]/figcaption)")
#: an image this small (either side, in px) is a spacer or a rule line, not content
MAX_SPACER_PX = 4
#: an image this small on every known side, outside a link, is an icon beside text
MAX_ICON_PX = 16
#: ancestors looked at for a nearby link to the same address, or a label in the same box
MAX_CLIMB = 3
#: a label beside an image is this short; a caption under a photo at most MAX_CAPTION
MAX_LABEL, MAX_CAPTION = 30, 120
#: a label names something: at least this many letters (a lone slide number "1" does not)
MIN_LABEL_LETTERS = 2
#: closing brackets and punctuation after a caption's last word: "（新华社记者 才扬 摄）"
_CAPTION_TRAIL = "）)】] 。."
_CSS_SIDE = re.compile(r"(?<![-\w])(width|height)\s*:\s*(\d+)(?:\.\d+)?px", re.I)
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LETTER = re.compile(r"[^\W\d_]")


def repair(page: Page) -> None:
    root = page.tree
    known = Hints.of(page.rules).derived("images", _Known)
    load_lazy_images(page, known.spacers)
    for img in BLANK_ALT(root):
        img.set("alt", "")
    for selector, text in page.rules.alt:
        for img in selector(root):
            img.set("alt", text)
    for img in NO_ALT(root):
        alt = _alt_for(img, page, known)
        if alt is not None:
            img.set("alt", alt)
    for button in IMAGE_INPUTS(root):
        button.set("alt", button.get("title") or button.get("value") or button_function(
            button, Hints.of(page.rules).derived("search_words", search_words_of)))
    for area in AREAS(root):
        name = area.get("title") or target_title(page, area.get("href")) or \
            url_name(page.url, area.get("href"))
        if name:
            area.set("alt", name)


class _Known:
    """The vocabulary of one rule set, in the form the checks use (built once per rule set:
    `Hints.derived`)."""

    def __init__(self, hints: Hints) -> None:
        self.spacers = tuple(s.lower() for s in hints.texts("SPACER_IMAGES"))
        self.decoration = frozenset(w.lower() for w in hints.texts("DECORATION_WORDS"))
        self.trackers = tuple(h.lower() for h in hints.texts("TRACKING_HOSTS"))
        self.services = _service_table(hints.texts("IMAGE_SERVICE_NAMES"))
        self.caption_classes = frozenset(w.lower() for w in hints.texts("CAPTION_CLASSES"))
        self.caption_starts = hints.texts("CAPTION_STARTS")
        self.caption_ends = hints.texts("CAPTION_ENDS")


def _service_table(entries: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """("weixin=微信", ...) -> (("weixin", "微信"), ...), in the file's order."""
    pairs = (entry.split("=", 1) for entry in entries if "=" in entry)
    return tuple((word.strip().lower(), name.strip()) for word, name in pairs)


def _alt_for(img: Any, page: Page, known: _Known) -> str | None:
    if _shows_nothing(img, known.trackers) or _is_spacer(img, known.spacers):
        return ""
    if (img.get("title") or "").strip():
        return img.get("title").strip()
    links = LINK(img)
    if links:
        link = links[0]
        if "".join(OWN_TEXT(link)).strip() or len(NAMED_IMAGES(link)):
            return ""
        if link.tag == "a" and _repeats_a_text_link(link):
            link.set("aria-hidden", "true")
            link.set("tabindex", "-1")
            return ""
        href = link.get("href")
        name = (link.get("title") or "").strip() or target_title(page, href) or \
            url_name(page.url, href)
        if name:
            return name
    caption = CAPTION(img)
    if caption:
        return caption
    label = None if links else _label(img)
    service = _service_name(img, known.services, label or "")
    if service is not None and (service or not links):
        return service
    if links:
        return None
    caption = _caption_after(img, known)
    if caption:
        return caption
    if label is not None or _is_decoration(img, known.decoration):
        return ""
    return None


def _shows_nothing(img: Any, trackers: tuple[str, ...]) -> bool:
    """No picture to describe: no address at all, or a counter's invisible pixel."""
    src = (img.get("src") or "").strip()
    if not src:
        # lxml's HTML parser nests the img in <source>: any <picture> ancestor shows it
        return not (img.get("srcset") or "").strip() and \
            next(img.iterancestors("picture"), None) is None
    try:
        host = (urlsplit(src).hostname or "").lower()
    except ValueError:
        return False
    return any(host == t or host.endswith("." + t) for t in trackers)


def _repeats_a_text_link(link: Any) -> bool:
    """A text link to the same address in the image link's item: a parent or grandparent
    whose links all go there (a site logo beside a menu's 首页 is not such an item)."""
    href = link.get("href") or ""
    if not href.strip() or href.strip().startswith("#") or \
            href.strip().lower().startswith("javascript:"):
        return False
    box = link
    for _ in range(MAX_CLIMB - 1):
        box = box.getparent()
        if box is None or box.tag in ("body", "html") or \
                LINKS_IN(box) != SAME_ADDRESS(box, href=href):
            return False
        if any(other is not link and "".join(OWN_TEXT(other)).strip()
               for other in SAME_ADDRESS(box, href=href)):
            return True
    return False


def _label(img: Any) -> str | None:
    """The short text in the image's box: its nearest ancestor with text (MAX_CLIMB levels),
    if that ancestor holds no other image and the text is a label, not prose. In a layout
    table the box is the icon's cell and the cell beside it (`<td><img></td><td>打印</td>`)."""
    beside = _NEXT_CELL_OF_ICON(img)
    if beside:
        text = " ".join("".join(OWN_TEXT(beside[0])).split())
        if _is_label(text) and not ANY_IMAGE(beside[0]):
            return text
    box = img
    for _ in range(MAX_CLIMB):
        box = box.getparent()
        if box is None or box.tag in ("body", "html") or ANY_IMAGE(box) > 1:
            return None
        text = " ".join("".join(OWN_TEXT(box)).split())
        if text:
            return text if _is_label(text) else None
    return None


def _is_label(text: str) -> bool:
    return 0 < len(text) <= MAX_LABEL and len(_LETTER.findall(text)) >= MIN_LABEL_LETTERS


def _service_name(img: Any, services: tuple[tuple[str, str], ...], label: str) -> str | None:
    """The service's name the file or class names, minus what the label beside it says."""
    stem = urlsplit(img.get("src") or "").path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if (img.get("src") or "").lower().startswith("data:"):
        stem = ""
    parent = img.getparent()
    said = _name_words(f"{stem} {img.get('class') or ''} {parent.get('class') or ''}")
    names = list(dict.fromkeys(name for word, name in services if word in said))
    if not names:
        return None
    names = [n for n in names if not any(n != other and n in other for other in names)]
    return "".join(n for n in names if n not in label)


def _name_words(value: str) -> set[str]:
    """Words of file and class names: 'szf_weixin bds-tsina' -> {szf, weixin, bds, tsina};
    camelCase is split only in words of letters ('ewmWb' -> ewm, wb), so a hashed file name
    ('oBWUX_-Qq2bF') yields no accidental 'qq'."""
    found = set()
    for token in re.split(r"[\s_\-.:]+", value):
        found.add(token.lower())
        if token.isalpha():
            found.update(w.lower() for w in _CAMEL.findall(token))
    return found


def _caption_after(img: Any, known: _Known) -> str | None:
    """The caption paragraph right after the block that holds only this image."""
    block = img
    while block.getparent() is not None and block.getparent().tag not in ("body", "html") \
            and not "".join(block.getparent().itertext()).strip() \
            and ANY_IMAGE(block.getparent()) == 1:
        block = block.getparent()
    following = block.getnext()
    if following is None or not isinstance(following.tag, str) or (block.tail or "").strip():
        return None
    text = " ".join(following.text_content().split())
    if not text or len(text) > MAX_CAPTION:
        return None
    if set(words(following.get("class") or "")) & known.caption_classes:
        return text
    core = text.rstrip(_CAPTION_TRAIL)
    if text.startswith(known.caption_starts) or core.endswith(known.caption_ends):
        return text
    return None


def _sides(img: Any) -> list[int]:
    """The sides the page gives the image, in px: attributes, else inline style."""
    found = {name: _px(img.get(name)) for name in ("width", "height")}
    for name, value in _CSS_SIDE.findall(img.get("style") or ""):
        found[name.lower()] = int(value)
    return [s for s in found.values() if s is not None]


def _is_spacer(img: Any, spacers: tuple[str, ...]) -> bool:
    src = urlsplit(img.get("src") or "").path.lower()
    if src.rsplit("/", 1)[-1] in spacers:
        return True
    return any(s <= MAX_SPACER_PX for s in _sides(img))


def _is_decoration(img: Any, decoration: frozenset[str]) -> bool:
    sides = _sides(img)
    if sides and max(sides) <= MAX_ICON_PX:
        return True
    file_name = urlsplit(img.get("src") or "").path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return bool(set(words(f"{file_name} {img.get('class') or ''}")) & decoration)


def _px(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None
