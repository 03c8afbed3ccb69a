"""Heuristics that find landmark candidates on a page no site rule describes.

They read the conventions of Chinese CMS templates (id/class words, 当前位置 breadcrumbs,
ICP/公安备案 footer lines, search forms) and the shape of the text (how much of it, how much is
link text). Every function returns elements; placing roles is landmark_dom's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from proxy.heuristics.hints import Hints
from proxy.transforms.landmarks.dom import RIGID, TABLE_PARTS

TEXT_LEN = etree.XPath("string-length(normalize-space(.))")
LINK_COUNT = etree.XPath("count(.//a[@href])")
LINK_TEXT = etree.XPath(".//a[@href]//text()", smart_strings=False)
CELLS = etree.XPath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tfoot/tr/td")
#: a layout table's cell holding this share of its text is the content, the rest sidebars
DOMINANT_CELL_SHARE = 0.7
#: `count(.//input[not(@type='hidden')] | .//select | .//textarea)`, as `control_count` counts
CONTROL_TAGS = ("input", "select", "textarea")
#: a form control weighs as much as this many characters when looking for the main content
CONTROL_WEIGHT = 20
TEXT_INPUTS = etree.XPath(".//input[not(@type) or @type='text' or @type='search']")
_TEXTAREAS = etree.XPath(".//textarea")
_BUTTON_WORDS = etree.XPath(".//input/@value | .//button//text() | .//input/@alt",
                           smart_strings=False)
_PRECEDING_TEXT = etree.XPath("preceding::text()[not(ancestor::head) and "
                              "not(ancestor::script) and not(ancestor::style)]",
                              smart_strings=False)
#: the text nodes below the body as plain strings, and the n-th of them as a node
_TEXTS = etree.XPath("descendant::text()", smart_strings=False)
_NTH_TEXT = etree.XPath("descendant::text()[$n]")
_STRING = etree.XPath("string(.)")  #: the text nodes below, joined
_SEPARATOR = "\0"  #: joins the text nodes: no text node or marker holds it (lxml refuses it)
SEARCH_WORDS = ("搜索", "检索", "查询", "搜 索", "search", "Search", "搜一下")
SEARCH_FIELD_NAMES = ("q", "wd", "kw", "keyword", "keywords", "searchword", "query", "key",
                      "searchkey", "search")
#: a banner or footer holds at most this share of the page's text
MAX_EDGE_SHARE = 0.3
#: text before a banner: at most this share of the page's text (it sits at the top)
MAX_TEXT_BEFORE_BANNER = 0.1
#: share of a navigation's text that is link text
MIN_NAV_LINK_SHARE = 0.5
#: a breadcrumb's block is at most this many characters
MAX_CRUMB_TEXT = 200
#: a footer climbs from its marker line while the block stays under this many characters
MAX_FOOTER_TEXT = 800
#: cap on heuristic navigations per page (portal pages have dozens of link lists)
MAX_NAVS = 6
#: tags never taken as a landmark by heuristics (inline bits, form fields, images)
NOT_BLOCKS = frozenset({"a", "img", "input", "select", "option", "textarea", "button", "label",
                        "br", "script", "style", "b", "strong", "i", "em", "font", "span",
                        "html", "body", "head", "title", "meta", "link"})


def outermost(elements: Iterable[Any]) -> list[Any]:
    """The `elements` (in document order) that are not inside another of them."""
    chosen: list[Any] = []
    for el in elements:
        # In document order an element's descendants follow it before anything after it, so
        # one inside a chosen element is inside the last one chosen: only that one is tested
        if not chosen or not _contains(chosen[-1], el):
            chosen.append(el)
    return chosen


def _contains(outer: Any, inner: Any) -> bool:
    return outer is inner or any(a is outer for a in inner.iterancestors())


def related(el: Any, others: Iterable[Any]) -> bool:
    """True if `el` contains, or is inside, any of `others`."""
    return any(o is not None and (_contains(el, o) or _contains(o, el)) for o in others)


def hinted(root: Any, hints: Hints, role: str) -> list[Any]:
    return hints.hinted(root, role, NOT_BLOCKS)


class BodyText:
    """The body's text, read once per page while the heuristics run (the tree does not change
    until the landmarks are hosted): text lengths are remembered per element, and markers
    are looked for with Python's string search in the joined text nodes. libxml2's contains()
    copies each text node once per marker and tests every byte that starts a CJK character;
    Python's search runs once over one string."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self._lengths: dict[Any, int] = {}  # lxml proxies hash by identity; kept alive here
        self._controls: dict[Any, int] = {}
        self._string: str | None = None
        self._joined: str | None = None

    def length(self, el: Any) -> int:
        """string-length(normalize-space(el))."""
        found = self._lengths.get(el)
        if found is None:
            found = self._lengths[el] = int(TEXT_LEN(el))
        return found

    def controls(self, el: Any) -> int:
        """control_count(el) (blocks are weighed more than once while looking for the main)."""
        found = self._controls.get(el)
        if found is None:
            found = self._controls[el] = control_count(el)
        return found

    def containing(self, markers: tuple[str, ...], last: bool = False) -> Any | None:
        """The first (or last) text node below the body that holds any of `markers` (what
        `.//text()[contains(., m1) or ...]` finds, first or last), or None."""
        markers = tuple(map(str, markers))
        # A text node that holds a marker puts it in the body's string value too. That one
        # string, joined in C, is cheaper than the text nodes as Python strings, and most
        # pages have no marker
        if self._string is None:
            self._string = _STRING(self.body)
        if not any(m in self._string for m in markers):
            return None
        if self._joined is None:
            self._joined = _SEPARATOR.join(_TEXTS(self.body))
        joined = self._joined
        found = [joined.rfind(m) if last else joined.find(m) for m in markers]
        found = [at for at in found if at >= 0]
        if not found:
            return None
        at = max(found) if last else min(found)
        hits = _NTH_TEXT(self.body, n=joined.count(_SEPARATOR, 0, at) + 1)
        return hits[0] if hits else None


def control_count(el: Any) -> int:
    """`count(.//input[not(@type='hidden')] | .//select | .//textarea)`: one walk of lxml's C
    tag iterator instead of the union's three walks of the block; a proxy is made only for
    the few controls."""
    return sum(1 for control in el.iterdescendants(*CONTROL_TAGS)
               if control.tag != "input" or control.get("type") != "hidden")


def link_share(el: Any, text: BodyText) -> float:
    total = text.length(el)
    links = sum(len("".join(t.split())) for t in LINK_TEXT(el))
    return links / total if total else 0.0


def _text_before(el: Any) -> int:
    return sum(len(t.strip()) for t in _PRECEDING_TEXT(el))


def find_contentinfo(root: Any, text: BodyText, hints: Hints) -> Any | None:
    body = text.body
    total = max(text.length(body), 1)
    for el in reversed(outermost(hinted(root, hints, "contentinfo"))):
        if text.length(el) <= max(MAX_EDGE_SHARE * total, MAX_FOOTER_TEXT) and text.length(el):
            return el
    markers = hints.texts("FOOTER_MARKERS")
    hit = text.containing(markers, last=True) if markers else None
    if hit is None:
        return None
    el = hit.getparent()
    while el.getparent() is not None and el.getparent() is not body \
            and text.length(el.getparent()) <= MAX_FOOTER_TEXT:
        el = el.getparent()
    return el


def find_banner(root: Any, text: BodyText, hints: Hints, footer: Any) -> Any | None:
    total = max(text.length(text.body), 1)
    for el in outermost(hinted(root, hints, "banner")):
        if related(el, [footer]) or text.length(el) > MAX_EDGE_SHARE * total:
            continue
        if _text_before(el) <= MAX_TEXT_BEFORE_BANNER * total:
            return el
        return None
    return None


def find_breadcrumb(text: BodyText, hints: Hints) -> Any | None:
    body = text.body
    markers = hints.texts("BREADCRUMB_MARKERS")
    if not markers:
        return None
    hit = text.containing(markers)
    if hit is None:
        return None
    el = hit.getparent()
    while el.tag in NOT_BLOCKS and el.getparent() is not None and el.getparent() is not body:
        el = el.getparent()
    while (parent := el.getparent()) is not None and parent is not body \
            and parent.tag not in RIGID and text.length(parent) <= MAX_CRUMB_TEXT:
        el = parent
    return el


def find_main(root: Any, text: BodyText, hints: Hints, avoid: list[Any], crumb: Any) -> Any:
    total = max(text.length(text.body), 1)
    need = min(int(hints.get("MIN_MAIN_TEXT")), total // 3 or 1)
    candidates = [el for el in outermost(hinted(root, hints, "main"))
                  if text.length(el) >= need and not related(el, avoid)]
    if candidates:
        return max(candidates, key=text.length)
    if crumb is not None:
        after = _after_crumb(crumb, avoid, text)
        if after is not None:
            return after
    return _largest_block(text, avoid)


def _after_crumb(crumb: Any, avoid: list[Any], text: BodyText) -> Any | None:
    """The content usually follows the breadcrumb: the fullest block after it (climbing out of
    the breadcrumb's own cell and table), before the footer."""
    el = crumb
    while el is not None and el.tag != "body":
        following = []
        for sibling in el.itersiblings():
            if not isinstance(sibling.tag, str) or sibling.tag in NOT_BLOCKS:
                continue
            if related(sibling, avoid):
                break
            following.append(sibling)
        weighed = [(_weight(s, text), s) for s in following]
        weighed = [(w, s) for w, s in weighed if w]
        if weighed:
            best = max(weighed, key=lambda ws: ws[0])[1]
            return _narrow(best, text)
        el = el.getparent()
    return None


def _weight(el: Any, text: BodyText) -> int:
    """Text, with a form control counting as a line of text (a form page has little text)."""
    return text.length(el) + CONTROL_WEIGHT * text.controls(el)


def _largest_block(text: BodyText, avoid: list[Any]) -> Any:
    """The fullest block, going down through wrappers of the whole page and layout tables."""
    el = text.body
    while True:
        kids = [c for c in el if isinstance(c.tag, str) and c.tag not in NOT_BLOCKS
                and not any(c is a for a in avoid)]
        best = max(kids, key=lambda c: _weight(c, text)) if kids else None
        if best is None or not _weight(best, text):
            return el
        if related(best, avoid) or best.tag in TABLE_PARTS:
            el = best
            continue
        return _narrow(best, text)


def _narrow(el: Any, text: BodyText) -> Any:
    cell = _dominant_cell(el, text) if el.tag == "table" else None
    return el if cell is None else cell


def _dominant_cell(table: Any, text: BodyText) -> Any | None:
    """In a layout table, the cell with most of the text (the others are sidebars)."""
    cells = CELLS(table)
    if len(cells) < 2:
        return None
    best = max(cells, key=lambda c: _weight(c, text))
    return best if _weight(best, text) >= DOMINANT_CELL_SHARE * _weight(table, text) else None


def find_navs(root: Any, hints: Hints, avoid: list[Any], text: BodyText) -> list[Any]:
    need = int(hints.get("MIN_NAV_LINKS"))
    found = []
    for el in outermost(hinted(root, hints, "navigation")):
        if LINK_COUNT(el) >= need and not related(el, avoid) \
                and link_share(el, text) >= MIN_NAV_LINK_SHARE:
            found.append(el)
    return found[:MAX_NAVS]


def find_searches(forms: Iterable[Any], hints: Hints) -> list[Any]:
    """The search forms among the page's `forms`."""
    found = []
    for form in forms:
        fields = TEXT_INPUTS(form)
        if not fields or len(fields) > 2 or _TEXTAREAS(form):
            continue
        words = " ".join(filter(None, [form.get("action"), form.get("name"), form.get("id"),
                                       form.get("class")]))
        buttons = " ".join(_BUTTON_WORDS(form))
        names = {(f.get("name") or "").lower() for f in fields}
        if "search" in hints.roles_of(form) or any(w in words.lower() for w in ("search", "sou")) \
                or any(w in buttons for w in SEARCH_WORDS) or names & set(SEARCH_FIELD_NAMES):
            found.append(form)
    return found
