"""Show what the page's scripts would have revealed, without running them.

Script removal must not make content unreachable that the original shows, or lets a visitor
reach, once its scripts ran. Four kinds of it, each found from the page's own markup, inline
styles and stylesheets (linked ones are fetched from the origin in `gather`), never per site:

- anti-flicker and pre-hiding (Google Optimize's `async-hide` class, VWO/Adobe/chartbeat
  `body{opacity:0}` snippets, a body or page wrapper hidden until a script reveals it): the
  hiding class is removed and an override stylesheet shows `html` and `body`;
- reveal-on-scroll libraries (WOW.js `wow`, animate.css `animated`/`animate__`, AOS `data-aos`):
  their elements are shown still, without the entrance animation;
- tab widgets: a group of sibling panels of which one is shown and the others carry an inline
  `display:none` (what a tab script leaves in a saved page), with a strip of as many short
  labels before them, becomes every panel, in order, each under its label as a heading;
- carousels and sliders (Swiper, Owl, Slick, FlexSlider, Bootstrap, jQuery SuperSlide read
  from the page's own `.slide({...})` calls): every slide shown, one under the other
  (proxy/transforms/carousels.py); a SuperSlide box of word labels is a tab box as above;
- hover menus: a stylesheet rule `X:hover Y {display:block}` gets its `X:focus-within Y` twin,
  so a keyboard user opens the same submenu by tabbing into it.

Nothing hidden on purpose is exposed: the `hidden` attribute, `aria-hidden` content, templates,
dialogs and a lone hidden element (a "log out" link for signed-in visitors) are left alone; only
groups that look like a tab widget's panels are shown.

Runs in `prepare`, so the page's scripts are still there to read; the order in
proxy/transforms/__init__.py puts it before script removal.
"""

from __future__ import annotations

import asyncio
import copy
import re
from typing import Any

import lxml.html
from lxml import etree

from proxy.encoding.detect import decode_text_resource
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms import carousels
from proxy.transforms.includes import same_origin_path

STYLE_ID = "a11y-reveal"
_CLASS_VALUES = etree.XPath(".//@class", smart_strings=False)
_HAS_AOS = etree.XPath("boolean(.//@data-aos)")
_STYLED = etree.XPath(".//@style/..")
MAX_STYLESHEETS = 8  #: linked stylesheets read per page for hiding and hover rules
#: a label of a tab is a short word group (通知公告, 政策文件), never a paragraph
MAX_LABEL_CHARS = 16
TAB_HEADING = "data-a11y-tab"
TAB_PANEL = "data-a11y-panel"
WRITES_KEY = "script_writes"  #: where ScriptWrites keeps the external scripts it fetched
#: the class Google Optimize's snippet puts on <html> until the experiment is applied
ANTI_FLICKER_CLASSES = frozenset({"async-hide"})
_HIDING = re.compile(r"opacity\s*:\s*0(?:\.0*)?\s*(?:!important\s*)?(?:;|$)|"
                     r"visibility\s*:\s*hidden|display\s*:\s*none", re.I)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none\s*(?:!important)?\s*;?", re.I)
#: a rule in a stylesheet that hides html or body (pre-hiding snippets, "fade in on load")
_HIDDEN_ROOT_RULE = re.compile(
    r"(?:^|[},])\s*(?:html|body)(?:\s*,\s*(?:html|body))?\s*\{[^}]*?(?:opacity\s*:\s*0(?![.\d]*[1-9])"
    r"|visibility\s*:\s*hidden|display\s*:\s*none)", re.I)
#: marker (a class word, or `aos` for `data-aos`) -> what the override shows
_REVEAL_LIBS = {
    "wow": ".wow",
    "animated": ".animated",
    "aos": "[data-aos]",
    "animate__": "[class*='animate__']",
}
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
MAX_HOVER_TWINS = 200  #: a stylesheet is not a menu system beyond this
_HOVER = re.compile(r":hover\b", re.I)
_DISPLAY_BLOCK = re.compile(r"display\s*:\s*block", re.I)
#: class words that mark the active tab (the rest of the strip's classes are shared)
_STATE_WORDS = re.compile(r"^(?:on|active|cur|current|curr|hover|sel|select|selected|show|"
                          r"hot|now|focus|in|this)$|active|current|select", re.I)


class Reveal(Transform):
    name = "reveal"

    async def gather(self, page: Page, fetch: Any) -> None:
        wanted = []
        for link in page.tree.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            href = link.get("href")
            if "stylesheet" in rel and href:
                path = same_origin_path(href, page.url)
                if path:
                    wanted.append(path)
        wanted = wanted[:MAX_STYLESHEETS]
        answers = await asyncio.gather(*(fetch(path) for path in wanted))
        texts = page.includes.setdefault(self.name, [])
        for answer in answers:
            if answer is not None:
                texts.append(decode_text_resource(answer[0], answer[1],
                                                  referrer=page.encoding).text)

    def prepare(self, page: Page) -> None:
        css = "\n".join([*page.includes.get(self.name, ()),
                         *(style.text or "" for style in page.tree.iter("style"))])
        rules: list[str] = []
        hidden_root = _unhide_root(page, css)
        if hidden_root:
            rules.append("html,body{opacity:1!important;visibility:visible!important}")
        if hidden_root == "display":  # only then: the site's own body display is kept
            rules.append("html{display:block!important}body{display:block!important}")
        classes = _class_words(page)
        libs = [selector for marker, selector in _REVEAL_LIBS.items() if marker in classes]
        if libs:
            rules.append(",".join(libs) + "{visibility:visible!important;opacity:1!important;"
                         "transform:none!important;animation:none!important;"
                         "transition:none!important}")
        rules += carousels.library_rules(classes)
        slide_rules, slide_tabs = carousels.superslide(page.tree, _script_texts(page))
        rules += slide_rules
        tabs = sum(lay_out_tabs(labels, panels) for labels, panels in slide_tabs)
        tabs += _open_tabs(page)
        if tabs:
            # a panel a class hides (`.bd ul{display:none}`): shown as its element is
            rules.append(f"[{TAB_PANEL}]{{display:revert!important}}")
        rules += hover_twins(css)
        for old in page.head.findall(f"style[@id='{STYLE_ID}']"):
            old.drop_tree()
        if rules:
            style = lxml.html.Element("style", id=STYLE_ID)
            style.text = "\n".join(rules)
            page.head.append(style)
        if tabs or rules:
            page.notes.append(f"reveal: {tabs} tab panels opened, {len(rules)} override rules")


def _script_texts(page: Page) -> list[str]:
    """The page's inline scripts and the external ones ScriptWrites fetched."""
    texts = [script.text for script in page.tree.iter("script")
             if script.get("src") is None and script.text]
    fetched = page.includes.get(WRITES_KEY, {})
    return texts + [text for _, text in fetched.values()]


def _unhide_root(page: Page, css: str) -> str:
    """Takes the anti-flicker class and hiding inline styles off html and body. Whether the
    page's stylesheets hide them too, so an override is needed: "" (no), "display" (with
    `display:none`), "shown" (by opacity or visibility)."""
    found = ""
    for el in (page.tree, page.body):
        classes = (el.get("class") or "").split()
        if any(c in ANTI_FLICKER_CLASSES for c in classes):
            el.set("class", " ".join(c for c in classes if c not in ANTI_FLICKER_CLASSES))
            found = found or "shown"
        style = el.get("style") or ""
        if _HIDING.search(style):
            _set_style(el, _HIDING.sub("", style))
    rule = _HIDDEN_ROOT_RULE.search(css)
    if rule:
        found = "display" if "display" in rule.group(0).lower() else found or "shown"
    return found


def _set_style(el: Any, style: str) -> None:
    if style.strip(" ;"):
        el.set("style", style)
    else:
        el.attrib.pop("style", None)


def _class_words(page: Page) -> set[str]:
    """Every class word in <body>, plus `aos` when an element has `data-aos` and `animate__`
    when a class word starts with it (the markers `_REVEAL_LIBS` and the sliders look for).
    The attribute values come from libxml2 in one query; each distinct value is split once."""
    words: set[str] = set()
    for classes in set(_CLASS_VALUES(page.body)):
        words.update(classes.split())
        if "animate__" in classes:
            words.add("animate__")
    if _HAS_AOS(page.body):
        words.add("aos")
    return words


def hover_twins(css: str) -> list[str]:
    """`X:focus-within Y{...}` for every `X:hover Y{display:block ...}` rule: what a mouse
    opens, a keyboard opens too. Found from each `:hover` outwards (a pattern scanning for the
    selector first backtracks over every long run without braces, such as an inlined font)."""
    twins: list[str] = []
    text = _COMMENT.sub("", css)
    for match in _HOVER.finditer(text):
        at = match.start()
        start = max(text.rfind("}", 0, at), text.rfind("{", 0, at), text.rfind(",", 0, at)) + 1
        opening = text.find("{", at)
        closing = text.find("}", at)
        if opening < 0 or closing < opening or "," in text[at:opening]:
            continue
        selector, rest = text[start:at].strip(), text[match.end():opening]
        body = text[opening + 1:closing]
        if not selector or "@" in selector or ":hover" in rest \
                or not _DISPLAY_BLOCK.search(body):
            continue
        twins.append(f"{selector}:focus-within{rest}{{{body}}}")
        if len(twins) >= MAX_HOVER_TWINS:
            break
    return twins


def _hidden_inline(el: Any) -> bool:
    return bool(_DISPLAY_NONE.search(el.get("style") or ""))


def _words(el: Any) -> frozenset[str]:
    return frozenset(w for w in (el.get("class") or "").split() if not _STATE_WORDS.search(w))


def _on_purpose(el: Any) -> bool:
    return el.get("hidden") is not None or el.get("aria-hidden") == "true" \
        or el.tag in ("template", "dialog") or el.get("role") in ("dialog", "alertdialog")


def _open_tabs(page: Page) -> int:
    opened = 0
    seen: set[Any] = set()
    for el in _STYLED(page.body):  # only elements with a style attribute, found in C
        if el in seen or not _hidden_inline(el):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        panels = [c for c in parent if isinstance(c.tag, str) and c.tag == el.tag
                  and _words(c) == _words(el) and not _on_purpose(c)]
        seen.update(panels)
        shown = [p for p in panels if not _hidden_inline(p)]
        if len(panels) < 2 or len(shown) != 1 or el not in panels \
                or not all(p.text_content().strip() for p in panels):
            continue
        labels = _tab_labels(parent, panels)
        if labels is not None:
            opened += lay_out_tabs(labels, panels)
    return opened


def lay_out_tabs(labels: list[Any], panels: list[Any]) -> int:
    """Every panel shown, each after a heading made of its label; the strip of labels hidden
    (the headings say the same). Returns the panels laid out."""
    if any(panel.get(TAB_PANEL) is not None for panel in panels):
        return 0
    labels[0].getparent().set("hidden", "")
    for panel, label in zip(panels, labels, strict=True):
        _set_style(panel, _DISPLAY_NONE.sub("", panel.get("style") or ""))
        panel.set(TAB_PANEL, "1")
        panel.addprevious(_heading(label))
    return len(panels)


def _tab_labels(parent: Any, panels: list[Any]) -> list[Any] | None:
    """The strip of tab labels for `panels`: the nearest element before them (inside their
    parent, or before the parent) whose children are as many short labels, one of them marked
    active by a class word the others do not have."""
    candidates = [c for c in parent if isinstance(c.tag, str) and c not in panels
                  and panels[0].getparent() is parent and parent.index(c) < parent.index(panels[0])]
    outer = parent
    for _ in range(3):  # the strip may sit beside the panels' wrapper, a level or two up
        candidates += list(outer.itersiblings(preceding=True))
        outer = outer.getparent()
        if outer is None:
            break
    for candidate in candidates:
        for strip in [candidate, *candidate.iterdescendants()]:
            labels = [c for c in strip if isinstance(c.tag, str)]
            if len(labels) == len(panels) and _looks_like_labels(labels):
                return labels
    return None


def _looks_like_labels(labels: list[Any]) -> bool:
    texts = [" ".join(el.text_content().split()) for el in labels]
    if not all(0 < len(t) <= MAX_LABEL_CHARS for t in texts) or len(set(texts)) != len(texts):
        return False
    if len({el.tag for el in labels}) != 1:
        return False
    classes = [set((el.get("class") or "").split()) for el in labels]
    shared = set.intersection(*classes)
    marked = [c - shared for c in classes]
    return sum(1 for m in marked if any(_STATE_WORDS.search(w) for w in m)) == 1


def _heading(label: Any) -> Any:
    heading = lxml.html.Element("h3", {TAB_HEADING: "1"})
    heading.text = label.text
    for child in label:
        heading.append(copy.deepcopy(child))
    for el in heading.iterdescendants():
        el.attrib.pop("id", None)  # ids stay unique: the strip keeps its own
    return heading
