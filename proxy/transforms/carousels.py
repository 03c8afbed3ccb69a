"""Carousels, sliders and script-driven tab boxes, read from the page's markup and scripts.

Without its script a slider shows one slide (the others wait off-screen behind `overflow:
hidden`, or `display:none` until the library adds a class); the barrier-free page shows every
slide, one after the other, as a plain list. Two ways to know a slider:

- the class words of the common libraries (Swiper, Owl, Slick, FlexSlider, Bootstrap): an
  override stylesheet lays their slides out in one column; their copies made for endless
  looping and their arrows and dots are hidden (they would repeat or do nothing);
- jQuery SuperSlide, everywhere on Chinese government portals, is configured in the page's
  scripts: `jQuery(".box").slide({mainCell: ".bd ul", titCell: ".hd li", effect: "leftLoop"})`.
  The call names the box, its slides (`mainCell`'s children) and its tab labels (`titCell`);
  a `type: "menu"` call names a hover menu (`titCell` opens `targetCell`), which gets its
  keyboard twin (`:focus-within`). A box whose labels are words (要闻, 通知公告), as many as its
  panels, is a tab box: Reveal puts each panel under its label.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.cssselect import CSSSelector

#: class word that marks a library's slider -> (its containers, its slides)
LIBRARIES = {
    "swiper-wrapper": (".swiper-container,.swiper,.swiper-wrapper", ".swiper-slide"),
    "owl-carousel": (".owl-carousel,.owl-stage-outer,.owl-stage", ".owl-carousel .owl-item"),
    "slick-track": (".slick-list,.slick-track", ".slick-slide"),
    "flexslider": (".flexslider,.flexslider .slides", ".flexslider .slides>li"),
    "carousel-inner": (".carousel-inner", ".carousel-inner>.carousel-item,.carousel-inner>.item"),
}
#: loop copies and controls of those libraries
COPIES_AND_CONTROLS = (".swiper-slide-duplicate,.swiper-pagination,.swiper-button-prev,"
                       ".swiper-button-next,.owl-item.cloned,.owl-nav,.owl-dots,.slick-cloned,"
                       ".slick-dots,.slick-arrow,.flex-control-nav,.flex-direction-nav,"
                       ".carousel-indicators,.carousel-control-prev,.carousel-control-next")
CONTAINER_CSS = ("{height:auto!important;max-height:none!important;overflow:visible!important;"
                 "transform:none!important;display:block!important;width:auto!important}")
SLIDE_CSS = ("{display:block!important;float:none!important;position:static!important;"
             "width:auto!important;height:auto!important;opacity:1!important;"
             "visibility:visible!important;transform:none!important;margin:0 0 .5em!important}")
_SLIDE_CALL = re.compile(r"""(?:jQuery|\$)\s*\(\s*(['"])([^'"]+)\1\s*\)\s*\.\s*slide\s*\(\s*"""
                         r"""\{([^{}]*)\}""")
_OPTION = re.compile(r"""(\w+)\s*:\s*(?:(['"])([^'"]*)\2|(\w+))""")
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*")
MAX_CALLS = 32  #: slide() calls read per page


def library_rules(classes: set[str]) -> list[str]:
    """Override rules for the slider libraries whose marker class the page uses."""
    found = [LIBRARIES[word] for word in LIBRARIES if word in classes]
    if not found:
        return []
    containers = ",".join(c for c, _ in found)
    slides = ",".join(s for _, s in found)
    return [containers + CONTAINER_CSS, slides + SLIDE_CSS,
            COPIES_AND_CONTROLS + "{display:none!important}"]


def slide_calls(scripts: list[str]) -> list[tuple[str, dict[str, str]]]:
    """(box selector, options) of every SuperSlide `.slide({...})` call in the scripts."""
    calls = []
    for script in scripts:
        if ".slide" not in script:
            continue
        for match in _SLIDE_CALL.finditer(script):
            options = {m.group(1): m.group(3) if m.group(3) is not None else m.group(4)
                       for m in _OPTION.finditer(_COMMENT.sub("", match.group(3)))}
            calls.append((match.group(2).strip(), options))
            if len(calls) >= MAX_CALLS:
                return calls
    return calls


def superslide(root: Any, scripts: list[str]) -> tuple[list[str], list[tuple[list, list]]]:
    """Override rules for SuperSlide sliders and menus, and the tab boxes found:
    [(labels, panels)] for Reveal to lay out."""
    rules: list[str] = []
    tabs: list[tuple[list, list]] = []
    for box, options in slide_calls(scripts):
        # SuperSlide's own defaults; with autoPage the titles are page numbers it writes
        main, titles = options.get("mainCell", ".bd"), options.get("titCell", ".hd li")
        if options.get("autoPage", "false") not in ("false", "0"):
            titles = None
        if options.get("type") == "menu":
            target = options.get("targetCell")
            if titles and target:
                rules.append(f"{box} {titles}:focus-within {target}"
                             "{display:block!important}")
            continue
        found = _tabs(root, box, main, titles) if titles else None
        if found:
            tabs.append(found)
            continue
        rules.append(f"{box} .tempWrap,{box} {main}" + CONTAINER_CSS)
        rules.append(f"{box} {main}>*" + SLIDE_CSS)
    return rules, tabs


def _select(root: Any, selector: str) -> list[Any]:
    try:
        return CSSSelector(selector)(root)
    except Exception:  # a selector cssselect cannot read (jQuery extensions): no box
        return []


def _tabs(root: Any, box: str, main: str, titles: str) -> tuple[list, list] | None:
    boxes = _select(root, box)
    if len(boxes) != 1:
        return None
    labels = _select(boxes[0], titles)
    holders = _select(boxes[0], main)
    # one holder: its children are the panels; several: mainCell names the panels themselves
    panels = [c for c in holders[0] if isinstance(c.tag, str)] if len(holders) == 1 else holders
    texts = [" ".join(el.text_content().split()) for el in labels]
    if len(labels) < 2 or len(labels) != len(panels) or not all(texts) \
            or all(t.isdigit() for t in texts) or len(set(texts)) != len(texts):
        return None
    return labels, panels
