"""Landmarks: one main, one banner, one contentinfo, named navigations, a search, and every piece
of content inside some landmark, so a screen-reader user can move through the page by region.

Per-site rules first (`landmarks:` role -> selectors, with labels), heuristics second
(landmark_find), then the rest of the content is covered (landmark_cover). The main always has
an id (MAIN_ID unless it had one) and tabindex=-1: the skip link, inserted last by our toolbar,
targets it. Runs in `finish`, after scripts are gone and includes are in place.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.heuristics.hints import Hints
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.landmarks import find
from proxy.transforms.landmarks.cover import find_runs, wrap
from proxy.transforms.landmarks.dom import (
    INLINE,
    IS_OURS,
    OURS_CLASS,
    OURS_ID,
    WRAPPER_TAG,
    host,
    in_document_order,
    is_landmark,
    landmarks_and_tagged,
    name,
    role_of,
    top_level,
)

MAIN_ID = "a11y-main"  #: the skip link's target when the main has no id of its own
#: names of the landmarks a page has one of or several of (Chinese UI, like the sites)
NAMES = {"banner": None, "contentinfo": None, "main": None,
         "search": "站内搜索", "menu": "主菜单", "crumb": "当前位置", "navigation": "栏目导航",
         "region": "内容区域"}
#: roles a page has exactly one of
UNIQUE = ("main", "banner", "contentinfo")


class Landmarks(Transform):
    name = "landmarks"

    def finish(self, page: Page) -> None:
        root, body = page.tree, page.body
        # Rules only choose: the tree is as it was until hosting, but for demoting a second
        # main (a tag or role: no id, class or form changes). So one walk over the id/class
        # elements serves the heuristics and finds our own UI elements (`named`), which
        # hosting leaves ours; and the forms found here are the ones to look at for a search
        hints = Hints.of(page.rules).on(root, frozenset({OURS_ID}), frozenset({OURS_CLASS}))
        ours = _Ours(body, hints.named())
        placed = _Placed(page, ours)
        existing, forms = landmarks_and_tagged(body, "form")
        _apply_rules(page, placed, _existing_unique(existing, ours))
        _keep_existing(placed, existing)
        text = find.BodyText(body)  # the tree does not change until hosting
        if placed.one("contentinfo") is None:
            placed.add("contentinfo", find.find_contentinfo(root, text, hints))
        if placed.one("banner") is None:
            placed.add("banner", find.find_banner(root, text, hints, placed.one("contentinfo")))
        crumb = find.find_breadcrumb(text, hints)
        if placed.one("main") is None:
            avoid = [placed.one("banner"), placed.one("contentinfo")] + placed.roles["navigation"]
            avoid = [a for a in avoid if a is not None]
            placed.add("main", find.find_main(root, text, hints, avoid, crumb))
        if crumb is not None and not find.related(crumb, placed.edges()):
            placed.add("navigation", crumb, NAMES["crumb"])
        avoid = [el for el in (placed.one("main"), placed.one("banner"),
                               placed.one("contentinfo")) if el is not None]
        for nav in find.find_navs(root, hints, avoid + placed.roles["navigation"], text):
            placed.add("navigation", nav)
        for form in find.find_searches(forms, hints):
            placed.add("search", form)
        landmarks = placed.host_all()
        # Hosting makes no landmark but the hosted ones, and covering none but its wrappers:
        # the landmarks are known from here on without querying the page again
        below = _landmarks_below(body, existing, landmarks)
        wrappers = _cover(body, landmarks, placed, below, hints.named())
        page.notes.append("landmarks: " + ", ".join(
            f"{role_of(el)}={el.get('aria-label') or el.tag}"
            for el in in_document_order(body, _landmarks_below(body, below + wrappers, []))))


class _Ours:
    """IS_OURS for the elements of one page (each XPath call has a fixed set-up cost, and
    the candidates are tested many times): true for an element in or below one of our own UI
    elements. `below`: those below the body, which is where the walk up stops."""

    def __init__(self, body: Any, below: list[Any]) -> None:
        self.body = body
        self.below = set(below)  # lxml proxies hash by identity; the set keeps them alive
        self._body_ours: bool | None = None  # the body or the html element is ours

    def __call__(self, el: Any) -> bool:
        for element in (el, *el.iterancestors()):
            if element is self.body:
                if self._body_ours is None:
                    self._body_ours = bool(IS_OURS(self.body))
                return self._body_ours
            if element in self.below:
                return True
        return bool(IS_OURS(el))  # outside the body (in the head, say)


class _Placed:
    """Candidates per role, in the order found; hosted (made landmarks) at the end."""

    def __init__(self, page: Page, ours: _Ours) -> None:
        self.page = page
        self.ours = ours
        self.roles: dict[str, list[Any]] = {r: [] for r in
                                            ("banner", "navigation", "main", "contentinfo",
                                             "search", "complementary", "region")}
        self.labels: dict[int, str] = {}

    def one(self, role: str) -> Any | None:
        return self.roles[role][0] if self.roles[role] else None

    def edges(self) -> list[Any]:
        return [el for r in ("main", "banner", "contentinfo") if (el := self.one(r)) is not None]

    def add(self, role: str, el: Any | None, label: str | None = None) -> None:
        if el is None or el.tag in ("html", "head") or self.ours(el):
            return
        if any(el is other for els in self.roles.values() for other in els):
            if label and id(el) not in self.labels:
                self.labels[id(el)] = label
            return
        if role == "navigation" and any(find.related(el, [n]) for n in self.roles[role]):
            return
        self.roles[role].append(el)
        if label:
            self.labels[id(el)] = label

    def host_all(self) -> list[Any]:
        hosted = []
        used: set[str] = set()
        for role in ("main", "banner", "contentinfo", "navigation", "search", "complementary",
                     "region"):
            for i, el in enumerate(self.roles[role]):
                label = self.labels.get(id(el)) or _default_label(role, i, self)
                landmark = host(el, role, _unique(label, used))
                if role == "main":
                    landmark.set("id", landmark.get("id") or MAIN_ID)
                    landmark.set("tabindex", landmark.get("tabindex") or "-1")
                hosted.append(landmark)
        return hosted


def _default_label(role: str, index: int, placed: _Placed) -> str | None:
    if role == "navigation":  # the first navigation nobody named is the main menu
        if NAMES["menu"] not in placed.labels.values():
            placed.labels[id(placed.roles[role][index])] = NAMES["menu"]
            return NAMES["menu"]
        return NAMES["navigation"]
    if role in ("search", "region", "complementary"):
        return NAMES.get(role) or None
    return None


def _unique(label: str | None, used: set[str]) -> str | None:
    if not label:
        return label
    candidate, n = label, 2
    while candidate in used:
        candidate, n = f"{label} {n}", n + 1
    used.add(candidate)
    return candidate


def _apply_rules(page: Page, placed: _Placed, existing: dict[str, list[Any]]) -> None:
    """Rule selectors name the regions. On a page that has (or we gave, on an earlier pass) a
    landmark for the rule's region, that landmark is used and no second one is made: a match
    inside, or wrapping, a landmark of the same role is that landmark, and for a role a page has
    one of, a match elsewhere loses to the landmark already there (a positional selector such as
    `body > table:first-of-type` points elsewhere once the first table has been wrapped)."""
    labels = dict(page.rules.labels)
    for role, selectors in page.rules.landmarks.items():
        unique = role in UNIQUE
        for selector in selectors:
            for el in selector(page.tree)[: 1 if unique else None]:
                el = _same_role_landmark(el, role)
                if unique and existing[role] and not any(el is e for e in existing[role]):
                    continue
                label = labels.get(selector) or page.rules.landmark_labels.get(role)
                placed.add(role, el, label)
            if unique and placed.roles[role]:
                break


def _existing_unique(landmarks: list[Any], ours: _Ours) -> dict[str, list[Any]]:
    """The page's main, banner and contentinfo landmarks that are not nested in others."""
    found: dict[str, list[Any]] = {role: [] for role in UNIQUE}
    for el in landmarks:
        role = role_of(el)
        if role in found and not ours(el) and top_level(el):
            found[role].append(el)
    return found


def _same_role_landmark(el: Any, role: str) -> Any:
    """`el` itself, or the landmark of `role` it is in or that holds all its content."""
    if role_of(el) == role:
        return el
    landmark = next((a for a in el.iterancestors() if role_of(a)), None)
    if landmark is not None and role_of(landmark) == role:
        return landmark
    kids = [c for c in el if isinstance(c.tag, str)]
    if len(kids) == 1 and role_of(kids[0]) == role and not (el.text or "").strip():
        return kids[0]
    return el


def _keep_existing(placed: _Placed, landmarks: list[Any]) -> None:
    """The page's own landmarks stay; a second main is demoted (a page has one).
    `landmarks`: the page's landmarks in document order (`//body//*[LANDMARK_SELF]`)."""
    for el in landmarks:
        role = role_of(el)
        if role is None or placed.ours(el):
            continue
        if role == "main" and placed.one("main") is not None and placed.one("main") is not el:
            _demote(el)
            continue
        placed.add(role, el)
    # what `//body//main | //body//*[@role='main']` finds now: every match of it is a
    # landmark, and demoting only unmatches
    mains = [el for el in landmarks if el.tag == "main" or el.get("role") == "main"]
    for el in mains[1:]:
        if el is not placed.one("main"):
            _demote(el)


def _landmarks_below(body: Any, below: list[Any], hosted: list[Any]) -> list[Any]:
    """The landmarks (LANDMARK_SELF) among `below` (elements below `body`) and `hosted` (which
    may be the body itself, or in the head), each once: what `//body//*[LANDMARK_SELF]`
    finds when they are the page's own landmarks and the hosted ones."""
    found: dict[Any, None] = {}  # lxml proxies hash by identity; insertion order kept
    for el in below:
        if el not in found and is_landmark(el):
            found[el] = None
    for el in hosted:
        if el not in found and is_landmark(el) and any(a is body for a in el.iterancestors()):
            found[el] = None
    return list(found)


def _demote(el: Any) -> None:
    if el.get("role") == "main":
        del el.attrib["role"]
    if el.tag == "main":
        el.tag = "div"


def _cover(body: Any, landmarks: list[Any], placed: _Placed, below: list[Any],
           ours: list[Any]) -> list[Any]:
    """Wrap the content no landmark holds; returns the wrappers (new elements below `body`).
    `below`/`ours`: the landmarks and our own UI elements below `body`."""
    main = next((el for el in landmarks if role_of(el) == "main"), None)
    runs = find_runs(body, below, ours)
    if not runs:
        return []
    order = _Order(body)
    def at(run): return order.of(run.inside if run.inside is not None else
                                 (run.parent[run.start] if run.start < len(run.parent)
                                  else run.parent))
    roles = ["region"] * len(runs)
    if placed.one("banner") is None and at(runs[0]) < order.of(main):
        roles[0] = "banner"
    if placed.one("contentinfo") is None and at(runs[-1]) > order.of(main) \
            and roles[-1] == "region":
        roles[-1] = "contentinfo"
    used: set[str] = {el.get("aria-label") for el in landmarks if el.get("aria-label")}
    wrappers = []
    for run, role in reversed(list(zip(runs, roles, strict=True))):
        inline = run.inside is None and run.parent.tag in INLINE
        wrapper = lxml.html.Element("span" if inline else WRAPPER_TAG[role])
        if inline or role == "search":
            wrapper.set("role", role)
        if role == "region":
            name(wrapper, _unique(run.label or NAMES["region"], used))
        wrap(run, wrapper)
        wrappers.append(wrapper)
    return wrappers


#: a node's place in document order among the nodes `iter()` yields (all but text)
_PLACE = etree.XPath("count(preceding::node()[not(self::text())]) + count(ancestor::node())")


class _Order:
    """A node's index in `body.iter()` (0 for the body, None or a node outside it), asked for
    a few nodes only: counted in C instead of indexing every element of the page."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self._body_at: float | None = None

    def of(self, node: Any) -> float:
        if node is None or node is self.body \
                or not any(a is self.body for a in node.iterancestors()):
            return 0
        if not isinstance(node.tag, str):  # a comment: lxml evaluates XPath on elements only
            return next(i for i, el in enumerate(self.body.iter()) if el is node)
        if self._body_at is None:
            self._body_at = _PLACE(self.body)
        return _PLACE(node) - self._body_at
