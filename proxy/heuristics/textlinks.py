"""Links inside running text, which must not be told apart by colour alone (WCAG 1.4.1).

Legacy pages set `a{text-decoration:none}` and give links almost the text's colour, so a link
in a sentence or a breadcrumb (当前位置：首页 > 工作动态 > 正文) is invisible as a link. Underlining
every link would change menus and lists too, so only links *in running text* are marked: the test
axe-core's `link-in-text-block` uses. A link's block is its nearest block-level ancestor; the
block's text is cut into segments at `<br>`/`<hr>`; a link is in running text when the
non-link text of its segment is longer than the link text of that segment (a menu
"首页 | 新闻 | 公告" has more link text, a breadcrumb or a sentence has more plain text).
Marked links get `TEXT_LINK_CLASS`, which our stylesheet underlines in the default scheme.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

TEXT_LINK_CLASS = "a11y-text-link"
#: elements laid out as blocks by default (a link's nearest one is its text block)
BLOCK_TAGS = frozenset({
    "p", "div", "td", "th", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "address", "center", "form", "fieldset", "legend", "nav", "section", "article",
    "aside", "header", "footer", "main", "body", "caption", "figure", "figcaption", "table",
    "ul", "ol", "dl", "details", "summary", "html"})
SEGMENT_BREAKS = frozenset({"br", "hr"})
NOT_TEXT = frozenset({"script", "style", "noscript", "template", "select", "textarea"})
#: inline elements around a link (`<font><a>`) whose parent's text counts as the link's
INLINE_WRAPPERS = ("font", "span", "b", "strong", "em", "i")
#: candidate links, found in C: their parent (or the parent of an inline wrapper such as
#: `<font>` around them) has text of its own, so the block is measured only for those; a link
#: alone in its cell or list item (menus, link lists) is never in running text. Ours (the skip
#: link: OurToolbar finds it by its exact class on a second pass) are left out.
#: Written for libxml2's evaluation (the same links as the plain query would find): the
#: wrapper is one string test of the parent's name, not six `self::` tests in a nested
#: predicate; the class test, which keeps nearly all, comes last, on the few candidates; and
#: it runs from the <body> element (`//body` alone walked the whole tree to find it).
LINKS = etree.XPath(
    "descendant::a[@href][../text()[normalize-space()] or "
    f"contains('|{'|'.join(INLINE_WRAPPERS)}|', concat('|', name(..), '|')) and "
    "../../text()[normalize-space()]][not(starts-with(@class, 'a11y-'))]")
BLOCK_LINKS = etree.XPath(".//a[@href]")
TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")  #: in C, no Python strings
#: blocks with a `<br>` up to this many characters are cut into segments (a Python walk);
#: longer ones (a page-wide wrapper) are measured whole, which can only mark more links
WALK_LIMIT = 2000


class _Segment:
    __slots__ = ("text", "link_text", "links")

    def __init__(self) -> None:
        self.text: list[str] = []
        self.link_text: list[str] = []
        self.links: list[Any] = []

    def in_text(self) -> bool:
        return len(_squash(self.text)) > len(_squash(self.link_text))


def mark_text_links(root: Any) -> int:
    """Give every link in running text the class; returns how many links were marked."""
    by_block: dict[Any, list[Any]] = {}
    for link in candidate_links(root):
        block = _nearest_block(link)
        if block is not None:
            by_block.setdefault(block, []).append(link)
    lengths: dict[Any, float] = {}  # link -> its squashed text length, measured once
    marked = 0
    for block, links in by_block.items():
        for link in _in_text(block, links, lengths):
            marked += _add_class(link)
    return marked


def candidate_links(root: Any) -> list[Any]:
    """LINKS of the document's <body> (the HTML parser puts it directly under <html>)."""
    return [link for body in root.getroottree().getroot().iterchildren("body")
            for link in LINKS(body)]


def _in_text(block: Any, links: list[Any], lengths: dict[Any, float]) -> list[Any]:
    """Which of `links` (those whose nearest block is `block`) sit in running text."""
    total = TEXT_LENGTH(block)
    # an lxml walk stops at the first break; the XPath `boolean(.//br | .//hr)` read both
    # node-sets of the block to the end
    if total <= WALK_LIMIT and next(block.iterdescendants(*SEGMENT_BREAKS), None) is not None:
        own = set(links)
        return [link for segment in _segments(block) if segment.in_text()
                for link in segment.links if link in own]
    link_total = 0.0
    for link in BLOCK_LINKS(block):
        if link not in lengths:
            lengths[link] = TEXT_LENGTH(link)
        link_total += lengths[link]
        if link_total * 2 >= total:  # the links' text is half or more already: no running text
            return []
    return links if total - link_total > link_total else []


def _nearest_block(el: Any) -> Any:
    for ancestor in el.iterancestors():
        if ancestor.tag in BLOCK_TAGS:
            return ancestor
    return None


def _segments(block: Any) -> list[_Segment]:
    segments = [_Segment()]

    def walk(el: Any) -> None:
        if el.text:
            segments[-1].text.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in NOT_TEXT:
                pass  # comments, scripts: no visible text (their tail still is)
            elif tag in SEGMENT_BREAKS:
                segments.append(_Segment())
            elif tag == "a" and child.get("href") is not None:
                segments[-1].link_text.append(child.text_content())
                segments[-1].links.append(child)
            else:
                walk(child)
            if child.tail:
                segments[-1].text.append(child.tail)

    walk(block)
    return segments


def _squash(parts: list[str]) -> str:
    """Text as axe-core compares it: whitespace (and no-break spaces) collapsed, trimmed."""
    return " ".join("".join(parts).split())


def _add_class(link: Any) -> int:
    classes = (link.get("class") or "").split()
    if TEXT_LINK_CLASS in classes:
        return 0
    link.set("class", " ".join([*classes, TEXT_LINK_CLASS]))
    return 1
