"""Links and frames: accessible names, "opens a new window", attachment types, frame titles.

A link or frame with no name of its own is named from the title of the page it points to (a
few same-origin pages are fetched before the rewrite, in `gather_titles`), else from its
`title`; one that shows an icon, from another link of the page to the same place (a logo's
text twin), its URL, or for a link within the page from where it goes: its target's heading or
name, the label beside a collapse toggle, 返回顶部 for a link to the top that says so in its
class or icon. A link that has nothing visible and nothing to name it by is taken out of the
tab order and hidden from assistive technology (it is an invisible leftover, usually of a
script).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from proxy.heuristics.hints import words
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.scripts.links import PLACEHOLDER_HREFS, make_plain
from proxy.transforms.semantics.shared import FIRST_HEADING, SR_ONLY, SR_ONLY_CLASS, XML_SPACE
from proxy.transforms.semantics.titles import (
    MAX_URL_NAME,
    TitleCache,
    forget_titles,
    gather_titles,
    target_title,
    url_name,
)

NEW_WINDOW = "（在新窗口打开）"
#: file extensions of attachments and how they are announced
ATTACHMENT_TYPES = {"pdf": "PDF", "doc": "Word", "docx": "Word", "wps": "WPS", "xls": "Excel",
                    "xlsx": "Excel", "et": "WPS 表格", "ppt": "PowerPoint",
                    "pptx": "PowerPoint", "zip": "ZIP", "rar": "RAR", "7z": "7z", "txt": "文本",
                    "ofd": "OFD", "csv": "CSV"}
#: text that names a link: not blank (no-break and ideographic spaces are blank), not the CSS
#: or script inside an inline <svg> (a link holding <style> is checked again in Python: rare)
_BLANK = "not(normalize-space(translate({}, '\u00a0\u3000', '  ')))"
_NO_TEXT = f"({_BLANK.format('string(.)')} or .//style or .//script)"
_NAMELESS_TEST = (f"[{_NO_TEXT}][not(.//img[normalize-space(@alt)!=''])]"
                  "[not(normalize-space(@aria-label))][not(@aria-labelledby)]")
#: a link (with an href) that has no name; asked only of links with content elements (see
#: _is_nameless: the others are tested in Python, which is exact for them)
IS_NAMELESS = etree.XPath(f"boolean(self::*{_NAMELESS_TEST})")
#: the characters the `_BLANK` test treats as blank: XPath's white space (normalize-space), the
#: no-break space and the ideographic space
_BLANK_CHARS = " \t\r\n\u00a0\u3000"
_LINK_TEXT = etree.XPath("descendant::text()[not(ancestor::style or ancestor::script)]",
                         smart_strings=False)  # only joined
_SHOWN_TEXT = etree.XPath(f"boolean(descendant::text()[not({_BLANK.format('.')})]"
                          "[not(ancestor::style or ancestor::script)])")
#: the element a fragment points to (id, or the old <a name>); the query starts from the
#: attribute, so libxml2 compares only elements that have one
FRAGMENT_TARGET = etree.XPath("(descendant-or-self::*/@id[.=$name]/.. | "
                              "descendant::a/@name[.=$name]/..)[1]")  # from the root
#: id/class/src words of a link (or its icon) that goes back to the top of the page
TOP_WORDS = frozenset({"top", "gotop", "totop", "backtop", "backtotop", "fanhui", "scrolltop"})
TOP_NAME = "返回顶部"
_ICON_SRCS = etree.XPath(".//img/@src", smart_strings=False)  # only joined
_TOGGLE_LABEL = etree.XPath("preceding-sibling::*[1]")
#: ".pdf", ".doc" ...: present (in any case) in every href whose path ends in an attachment
#: type; urlsplit drops tab, CR and LF anywhere in a URL, so they are dropped before the search
_MAY_BE_ATTACHMENT = re.compile(
    r"\.(?:" + "|".join(sorted(map(re.escape, ATTACHMENT_TYPES), key=len, reverse=True)) + ")",
    re.I)
_URL_IGNORED = str.maketrans("", "", "\t\r\n")
_SHOWN_IN = etree.XPath(".//img | .//input | .//svg")


class Links(Transform):
    name = "semantics.links"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def __init__(self) -> None:
        #: per pipeline (one per app): titles of linked pages, so views do not refetch them
        self.titles = TitleCache()

    async def gather(self, page: Page, fetch: Any) -> None:
        await gather_titles(page, fetch, self.titles)

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Page) -> None:
    try:
        root = page.tree
        body = root.find("body")
        links, frames = _links_and_frames(root, body)
        # what each link needs is decided before any is changed, as the one query per kind
        # did: naming a link does not change its text, address or target
        nameless = [link for link in links if _is_nameless(link)]
        noted = [link for link in links if _may_need_note(link)]
        twins = None
        for link in nameless:
            if _SHOWN_TEXT(link):
                continue  # its text is a name (the XPath let it by for a <style> inside)
            shows = bool(_SHOWN_IN(link))
            href = (link.get("href") or "").strip()
            name = (link.get("title") or "").strip() or target_title(page, href)
            if not name and shows:  # a link showing nothing is a leftover: hidden below
                if href and not href.startswith(("#", "javascript:")):
                    twins = _TwinNames(links) if twins is None else twins
                    name = twins.get(href)
                name = name or url_name(page.url, href) or (
                    _fragment_name(link, href[1:]) if href.startswith("#") else None)
            if name:
                link.set("aria-label", name)
                for img in _UNNAMED_IMAGES(link):
                    img.set("alt", "")  # the link's name says it; the picture adds no second
            elif shows and href in PLACEHOLDER_HREFS:
                # `href="#"` whose script was its job (a widget's hook): with the scripts gone
                # it goes nowhere and says nothing, so it is shown content, not a link
                make_plain(link)
            elif not shows:
                link.set("tabindex", "-1")
                link.set("aria-hidden", "true")
        for frame in frames:
            if not (frame.get("title") or "").strip(XML_SPACE):
                name = target_title(page, frame.get("src")) or frame.get("name") or \
                    frame.get("id")
                frame.set("title", name or "嵌入内容")
        for link in noted:
            if link.get("href") is not None:  # not made plain content above
                _describe(link)
    finally:
        forget_titles(page)


def _links_and_frames(root: Any, body: Any | None) -> tuple[list[Any], list[Any]]:
    """The body's links with an address (`//body//a[@href]`) and the frames (`//body//iframe |
    //frame`), in document order, from one C-level pass over the body instead of two queries
    (lxml's iter by tag makes proxies only for the elements asked for)."""
    links, frames = [], []
    for child in root:
        if child is body:
            for el in body.iter("a", "iframe", "frame"):
                if el.tag != "a":
                    frames.append(el)
                elif el.get("href") is not None:
                    links.append(el)
        else:  # a <frameset> page has no body; a frame outside the body is still named
            frames.extend(child.iter("frame"))
    return links, frames


def _is_nameless(link: Any) -> bool:
    """`_NAMELESS_TEST` of a link. One with no content elements is tested in Python: its
    string value is its own text and it has no <style>, <script> or <img> inside; the few
    others are asked of libxml2 (a call per link costs more than the whole test)."""
    if len(link):
        return IS_NAMELESS(link)
    return not (link.text or "").strip(_BLANK_CHARS) and \
        not (link.get("aria-label") or "").strip(XML_SPACE) and \
        link.get("aria-labelledby") is None


class _TwinNames:
    """The name of the first named link to each address (a nameless twin takes it), as the
    links are when it is made. Only the addresses and labels are taken then; whether a link
    is named, and by what, is worked out when its address is asked for (a page asks for one
    or two, and has a few hundred links): naming nameless links since then changed labels,
    kept from the start here, but never any link's text."""

    def __init__(self, links: list[Any]) -> None:
        self._links: dict[str, list[tuple[Any, str]]] = {}
        for link in links:
            href = link.get("href")
            if href is not None:  # not made plain content since
                self._links.setdefault(href.strip(), []).append(
                    (link, link.get("aria-label") or ""))
        self._names: dict[str, str | None] = {}

    def get(self, href: str) -> str | None:
        if href not in self._names:
            self._names[href] = next((name for link, label in self._links.get(href, ())
                                      if (name := _twin_name(link, label))), None)
        return self._names[href]


def _twin_name(link: Any, label: str) -> str:
    """What a link with this label names its twins by: "" when it is not named (no label, no
    text: `not(blank(string(.))) or normalize-space(@aria-label)` is false), else its label or
    its text without <style>/<script>."""
    if not label.strip(XML_SPACE) and not string_value(link).strip(_BLANK_CHARS):
        return ""
    return label.strip() or " ".join("".join(_LINK_TEXT(link)).split())


def _fragment_name(link: Any, fragment: str) -> str | None:
    """A link within the page is named by where it goes: its target's heading or name; a
    collapse toggle by the label it sits beside; the page top by 返回顶部 when it says so."""
    root = link.getroottree().getroot()
    target = next(iter(FRAGMENT_TARGET(root, name=unquote(fragment))), None) if fragment \
        else None
    if target is not None:
        named = (target.get("aria-label") or "").strip()
        heading = next(iter(FIRST_HEADING(target)), None)
        if not named and heading is not None:
            named = " ".join(heading.text_content().split())
        if named:
            return named
        if link.get("aria-controls") == fragment or link.get("data-toggle"):
            label = next(iter(_TOGGLE_LABEL(link)), None)
            text = " ".join(label.text_content().split()) if label is not None else ""
            if text and len(text) <= MAX_URL_NAME:
                return text
    marks = " ".join([link.get("class") or "", link.get("id") or "", fragment,
                      *_ICON_SRCS(link), *(img.get("id") or "" for img in link.iter("img"))])
    if TOP_WORDS & set(words(marks.replace("/", " "))):
        return TOP_NAME
    return None


def string_value(el: Any) -> str:
    """`el.text_content()` (XPath's string value): an element without children holds only its
    own text, read without the XPath call that costs more than the rest of most link tests."""
    return el.text_content() if len(el) else el.text or ""


def _may_need_note(link: Any) -> bool:
    """Can `_describe` add a note? Not when the link neither opens a new window nor has an
    attachment's extension in its address: most links, which then skip the URL parsing and
    the text."""
    return (link.get("target") or "").lower() in ("_blank", "_new") or \
        _may_be_attachment(link.get("href") or "")


def _may_be_attachment(href: str) -> bool:
    """`_MAY_BE_ATTACHMENT` in `href` without the characters urlsplit drops. A match in the
    href as it is survives their removal (the extension has none of them), so the copy
    without them (str.translate, which costs more than the search itself) is made only for an
    href that has them."""
    if _MAY_BE_ATTACHMENT.search(href):
        return True
    if "\t" in href or "\r" in href or "\n" in href:
        return _MAY_BE_ATTACHMENT.search(href.translate(_URL_IGNORED)) is not None
    return False


def _describe(link: Any) -> None:
    """Say what following the link does that a sighted user sees from the icon or guesses
    (called for the links `_may_need_note` lets by)."""
    notes = []
    href = link.get("href") or ""
    ext = ""
    if _may_be_attachment(href):  # else no type can match
        path = urlsplit(href).path.lower()
        ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    text = string_value(link) + (link.get("aria-label") or "")  # a second pass adds nothing
    if ext in ATTACHMENT_TYPES and ATTACHMENT_TYPES[ext].lower() not in text.lower() \
            and f".{ext}" not in text.lower():
        notes.append(f"（{ATTACHMENT_TYPES[ext]} 文件）")
    if (link.get("target") or "").lower() in ("_blank", "_new") and NEW_WINDOW not in text:
        notes.append(NEW_WINDOW)
    if not notes:
        return
    if link.get("aria-label"):
        link.set("aria-label", link.get("aria-label") + "".join(notes))
        return
    hidden = etree.SubElement(link, "span", {"class": SR_ONLY_CLASS, "style": SR_ONLY})
    hidden.text = "".join(notes)


#: pictures in a link that the images step could not name (it runs before links are named)
_UNNAMED_IMAGES = etree.XPath("descendant::img[not(@alt)]")
