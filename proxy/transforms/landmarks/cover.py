"""Put every piece of content that no landmark holds into one (axe's `region` rule).

After the landmarks are placed, the tree is walked down only through the elements that hold a
landmark; next to the landmarks, each maximal run of sibling content without one is wrapped. A
run before `main` becomes the banner and the last run after it the contentinfo when the page has
none; the others become regions named by their first words (a box title such as 友情链接).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from proxy.transforms.landmarks.dom import IS_OURS, RIGID, TABLE_PARTS, wrap_inside, wrap_run

#: visible content: text outside script/style, named images, form controls, frames
HAS_CONTENT = etree.XPath(
    "boolean(descendant-or-self::text()[normalize-space()][not(ancestor::script or "
    "ancestor::style or ancestor::noscript or ancestor::template)] or "
    "descendant-or-self::img[not(@alt='')][not(number(@width) <= 2 or number(@height) <= 2)] "
    "or descendant-or-self::input[not(@type='hidden')] or "
    "descendant-or-self::select or descendant-or-self::textarea or descendant-or-self::iframe or "
    "descendant-or-self::button)")
FIRST_WORDS = etree.XPath("string(descendant-or-self::text()[normalize-space()]"
                          "[not(ancestor::script or ancestor::style)][1])")
#: a region name is the run's first words, cut at punctuation, at most this long
MAX_REGION_NAME = 16
_CUT = re.compile(r"[\s|｜:：,，。;；>»·•]+")
NON_CONTENT_TAGS = frozenset({"script", "style", "noscript", "template", "link", "meta"})


@dataclass
class _Marks:
    """Whether an element below the container is a landmark (landmark_dom's LANDMARK_SELF),
    has one below it or is our own UI (IS_OURS), as set look-ups: the tree does not change
    while runs are collected. (lxml element proxies hash by identity, and these sets keep
    them alive.)"""

    landmarks: set[Any]  #: is a landmark
    holders: set[Any]  #: has a landmark below it
    ours: set[Any]  #: is our own UI (its descendants are ours too: see _collect's `in_ours`)

    @classmethod
    def below(cls, landmarks: Iterable[Any], ours: Iterable[Any]) -> _Marks:
        """The marks below a container: `landmarks` and `ours` are the landmarks and our own
        UI elements below it (`.//*[LANDMARK_SELF]`, `.//*[OURS_SELF]`)."""
        found = set(landmarks)
        holders: set[Any] = set()
        for el in found:
            for ancestor in el.iterancestors():
                if ancestor in holders:
                    break  # its ancestors are in already
                holders.add(ancestor)
        return cls(found, holders, set(ours))


@dataclass
class Run:
    parent: Any
    start: int
    end: int
    leading_text: bool
    label: str = ""
    inside: Any = None  #: for a cell of a rigid container: wrap inside this element instead


def find_runs(container: Any, landmarks: Iterable[Any], ours: Iterable[Any]) -> list[Run]:
    """Runs of content without a landmark, in document order, below `container`.
    `landmarks`/`ours`: the landmarks and our own UI elements below it."""
    runs: list[Run] = []
    _collect(container, runs, _Marks.below(landmarks, ours),
             bool(IS_OURS(container)))
    return runs


def _collect(parent: Any, runs: list[Run], marks: _Marks, in_ours: bool) -> None:
    rigid = parent.tag in RIGID
    children = list(parent)
    start: int | None = None
    leading = not rigid and bool(parent.text and parent.text.strip())
    content = leading
    for i, child in enumerate(children):
        if rigid:  # table/list structure: no new element between its parts; look inside them
            if not isinstance(child.tag, str) or child in marks.landmarks:
                continue
            if child in marks.holders or child.tag in TABLE_PARTS:
                _collect(child, runs, marks, in_ours or child in marks.ours)
            elif HAS_CONTENT(child):
                runs.append(Run(child, 0, len(child), True, _label(child), inside=child))
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        landmark = bool(tag) and child in marks.landmarks
        ours = bool(tag) and (in_ours or child in marks.ours)
        if tag and tag not in NON_CONTENT_TAGS and (landmark or ours or child in marks.holders):
            if content:
                runs.append(_run(parent, i if start is None else start, i, leading))
            if not (landmark or ours):
                _collect(child, runs, marks, ours)
            start = None
            leading = content = bool(child.tail and child.tail.strip())
            continue
        if start is None:
            start = i
        content = content or bool(tag and tag not in NON_CONTENT_TAGS and HAS_CONTENT(child)) \
            or bool(child.tail and child.tail.strip())
    if content:
        end = len(children)
        runs.append(_run(parent, end if start is None else start, end, leading))


def _run(parent: Any, start: int, end: int, leading: bool) -> Run:
    run = Run(parent, start, end, leading)
    texts = []
    if leading:
        texts.append(parent.text if start == 0 else parent[start - 1].tail)
    for child in list(parent)[start:end]:
        if isinstance(child.tag, str) and child.tag not in NON_CONTENT_TAGS:
            texts.append(FIRST_WORDS(child))
        texts.append(child.tail)
        if any(t and t.strip() for t in texts):
            break
    run.label = _short(next((t for t in texts if t and t.strip()), ""))
    return run


def _label(el: Any) -> str:
    return _short(FIRST_WORDS(el))


def _short(text: str) -> str:
    words = [w for w in _CUT.split(text.strip()) if w]
    return words[0][:MAX_REGION_NAME] if words else ""


def wrap(run: Run, wrapper: Any) -> Any:
    if run.inside is not None:
        return wrap_inside(run.inside, wrapper)
    return wrap_run(run.parent, run.start, run.end, run.leading_text, wrapper)
