"""Heuristics that find landmark candidates on a page no site rule describes.

They read the conventions of Chinese CMS templates (id/class words, 当前位置 breadcrumbs,
ICP/公安备案 footer lines, search forms) and the shape of the text (how much of it, how much is
link text). Every function returns elements; placing roles is landmark_dom's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lxml import etree

from .hints import Hints
from .landmark_dom import RIGID, TABLE_PARTS

TEXT_LEN = etree.XPath("string-length(normalize-space(.))")
LINK_COUNT = etree.XPath("count(.//a[@href])")
LINK_TEXT = etree.XPath(".//a[@href]//text()")
CELLS = etree.XPath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tfoot/tr/td")
#: a layout table's cell holding this share of its text is the content, the rest sidebars
DOMINANT_CELL_SHARE = 0.7
CONTROL_COUNT = etree.XPath("count(.//input[not(@type='hidden')] | .//select | .//textarea)")
#: a form control weighs as much as this many characters when looking for the main content
CONTROL_WEIGHT = 20
FORMS = etree.XPath("//body//form")
TEXT_INPUTS = etree.XPath(".//input[not(@type) or @type='text' or @type='search']")
_TEXTAREAS = etree.XPath(".//textarea")
_BUTTON_WORDS = etree.XPath(".//input/@value | .//button//text() | .//input/@alt")
_PRECEDING_TEXT = etree.XPath("preceding::text()[not(ancestor::head) and "
                              "not(ancestor::script) and not(ancestor::style)]")
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
    chosen: list[Any] = []
    seen: set[Any] = set()  # lxml proxies hash by identity; `chosen` keeps them alive
    for el in elements:  # document order: an ancestor comes before its descendants
        if el not in seen and not any(a in seen for a in el.iterancestors()):
            chosen.append(el)
            seen.add(el)
    return chosen


def _contains(outer: Any, inner: Any) -> bool:
    return outer is inner or any(a is outer for a in inner.iterancestors())


def related(el: Any, others: Iterable[Any]) -> bool:
    """True if `el` contains, or is inside, any of `others`."""
    return any(o is not None and (_contains(el, o) or _contains(o, el)) for o in others)


def hinted(root: Any, hints: Hints, role: str) -> list[Any]:
    return hints.hinted(root, role, NOT_BLOCKS)


def text_len(el: Any) -> int:
    return int(TEXT_LEN(el))


def link_share(el: Any) -> float:
    total = text_len(el)
    links = sum(len("".join(t.split())) for t in LINK_TEXT(el))
    return links / total if total else 0.0


def _text_before(el: Any) -> int:
    return sum(len(t.strip()) for t in _PRECEDING_TEXT(el))


def find_contentinfo(root: Any, body: Any, hints: Hints) -> Any | None:
    total = max(text_len(body), 1)
    for el in reversed(outermost(hinted(root, hints, "contentinfo"))):
        if text_len(el) <= max(MAX_EDGE_SHARE * total, MAX_FOOTER_TEXT) and text_len(el):
            return el
    markers = hints.texts("FOOTER_MARKERS")
    hits = _texts_containing(markers)(body) if markers else []
    if not hits:
        return None
    el = hits[-1].getparent()
    while el.getparent() is not None and el.getparent() is not body \
            and text_len(el.getparent()) <= MAX_FOOTER_TEXT:
        el = el.getparent()
    return el


def find_banner(root: Any, body: Any, hints: Hints, footer: Any) -> Any | None:
    total = max(text_len(body), 1)
    for el in outermost(hinted(root, hints, "banner")):
        if related(el, [footer]) or text_len(el) > MAX_EDGE_SHARE * total:
            continue
        if _text_before(el) <= MAX_TEXT_BEFORE_BANNER * total:
            return el
        return None
    return None


def find_breadcrumb(body: Any, hints: Hints) -> Any | None:
    markers = hints.texts("BREADCRUMB_MARKERS")
    if not markers:
        return None
    hits = _texts_containing(markers)(body)
    if not hits:
        return None
    el = hits[0].getparent()
    while el.tag in NOT_BLOCKS and el.getparent() is not None and el.getparent() is not body:
        el = el.getparent()
    while (parent := el.getparent()) is not None and parent is not body \
            and parent.tag not in RIGID and text_len(parent) <= MAX_CRUMB_TEXT:
        el = parent
    return el


def find_main(root: Any, body: Any, hints: Hints, avoid: list[Any], crumb: Any) -> Any:
    total = max(text_len(body), 1)
    need = min(int(hints.get("MIN_MAIN_TEXT")), total // 3 or 1)
    candidates = [el for el in outermost(hinted(root, hints, "main"))
                  if text_len(el) >= need and not related(el, avoid)]
    if candidates:
        return max(candidates, key=text_len)
    if crumb is not None:
        after = _after_crumb(crumb, avoid)
        if after is not None:
            return after
    return _largest_block(body, avoid)


def _after_crumb(crumb: Any, avoid: list[Any]) -> Any | None:
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
        weighed = [(_weight(s), s) for s in following]
        weighed = [(w, s) for w, s in weighed if w]
        if weighed:
            best = max(weighed, key=lambda ws: ws[0])[1]
            return _narrow(best)
        el = el.getparent()
    return None


def _weight(el: Any) -> int:
    """Text, with a form control counting as a line of text (a form page has little text)."""
    return text_len(el) + CONTROL_WEIGHT * int(CONTROL_COUNT(el))


def _largest_block(body: Any, avoid: list[Any]) -> Any:
    """The fullest block, going down through wrappers of the whole page and layout tables."""
    el = body
    while True:
        kids = [c for c in el if isinstance(c.tag, str) and c.tag not in NOT_BLOCKS
                and not any(c is a for a in avoid)]
        best = max(kids, key=_weight) if kids else None
        if best is None or not _weight(best):
            return el
        if related(best, avoid) or best.tag in TABLE_PARTS:
            el = best
            continue
        return _narrow(best)


def _narrow(el: Any) -> Any:
    cell = _dominant_cell(el) if el.tag == "table" else None
    return el if cell is None else cell


def _dominant_cell(table: Any) -> Any | None:
    """In a layout table, the cell with most of the text (the others are sidebars)."""
    cells = CELLS(table)
    if len(cells) < 2:
        return None
    best = max(cells, key=_weight)
    return best if _weight(best) >= DOMINANT_CELL_SHARE * _weight(table) else None


def find_navs(root: Any, hints: Hints, avoid: list[Any]) -> list[Any]:
    need = int(hints.get("MIN_NAV_LINKS"))
    found = []
    for el in outermost(hinted(root, hints, "navigation")):
        if LINK_COUNT(el) >= need and not related(el, avoid) \
                and link_share(el) >= MIN_NAV_LINK_SHARE:
            found.append(el)
    return found[:MAX_NAVS]


def find_searches(root: Any, hints: Hints) -> list[Any]:
    found = []
    for form in FORMS(root):
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


def _texts_containing(markers: tuple[str, ...]) -> etree.XPath:
    """Text nodes below the context that contain any of `markers` (compiled once per list)."""
    try:
        return _texts_containing_cached(markers)
    except TypeError:  # an unhashable tunable value: compiled for this page only
        return _texts_containing_query(markers)


def _texts_containing_query(markers: tuple[str, ...]) -> etree.XPath:
    condition = " or ".join(f"contains(., {_quote(m)})" for m in markers)
    return etree.XPath(f".//text()[{condition}]")


_texts_containing_cached = lru_cache(maxsize=64)(_texts_containing_query)


def _quote(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"
