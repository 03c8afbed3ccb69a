"""Whether a CSS selector can match a page at all, from the page's attribute values alone.

A rule selector such as `#cniil_wza` or `[onclick*='aria.start']` compiles to an XPath with a
predicate that libxml2 tests on every element; most pages have none of the ids, classes and
attribute values the selector names. Joining every attribute value of a page once (one C
query) and looking for those strings in it rules most selectors out for a fraction of one
query's cost. The test is a necessary condition only: True means "run the selector".
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache

from cssselect import SelectorError, parse
from cssselect.parser import Attrib, Class, CombinedSelector, Hash

log = logging.getLogger(__name__)

#: attribute operators whose value must occur, as written, in the attribute's value
_VALUE_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})


#: a substring shared by this many patterns is looked for first (see `occurring`)
MIN_SHARED = 3
MIN_KEY_LENGTH = 3  #: shorter shared substrings are too common to rule anything out
_ASCII_BYTES = bytes(range(0x80))


def may_match(selector: str, attributes: str | frozenset[str]) -> bool:
    """False only if `selector` cannot match: some selector of the group has all its required
    strings in `attributes` (every attribute value of the page, joined; or the set of the
    selector's required strings that occur there, from `occurring`)."""
    groups = required_strings(selector)
    return groups is None or any(all(s in attributes for s in group) for group in groups)


def occurring(patterns: tuple[str, ...], text: str) -> frozenset[str]:
    """`{p for p in patterns if p in text}`, with fewer scans of a long text: patterns that
    share a substring (wza in wza.js, direct_wza, cniil_wza ...) are looked for only when it
    occurs. A pattern holds its key, so a missing key rules all of its group out."""
    return frozenset(member for key, members in scan_plan(patterns) if key in text
                     for member in members if member == key or member in text)


def non_ascii_characters(text: str) -> str:
    """`text` without its ASCII characters (dropped from its UTF-8 in C). A pattern made of
    non-ASCII characters only that occurs in `text` occurs here (no run of such characters is
    split); one may also occur here only (无<b>障碍 -> 无障碍): a necessary test, not exact."""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode(
        "utf-8", "surrogatepass")


@lru_cache(maxsize=256)
def scan_plan(patterns: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(key, the patterns holding it) pairs covering every pattern once. Greedy, among the
    substrings held by at least MIN_SHARED patterns (or two when it is a pattern itself and
    costs no extra scan): the most patterns times the key's length first. A short key is
    common (`ont` of font is on nearly every page) and then rules nothing out, so `fontZoom`
    (four patterns) goes before `ont` (seven); the rest alone."""
    left = list(dict.fromkeys(patterns))
    plan = []
    while left:
        counts = Counter(key for pattern in left for key in _substrings(pattern))
        eligible = [(count * len(key), count, key)
                    for key, count in counts.items()
                    if count >= (2 if key in left else MIN_SHARED)]
        if not eligible:
            break
        key = max(eligible)[2]
        plan.append((key, tuple(p for p in left if key in p)))
        left = [p for p in left if key not in p]
    return tuple(plan) + tuple((p, (p,)) for p in left)


def _substrings(pattern: str) -> set[str]:
    return {pattern[start:start + size] for size in range(MIN_KEY_LENGTH, len(pattern) + 1)
            for start in range(len(pattern) - size + 1)}


@lru_cache(maxsize=1024)
def required_strings(selector: str) -> tuple[tuple[str, ...], ...] | None:
    """Per selector of the group, the ids, class names and attribute values its compounds
    require (exact, case-sensitive in the compiled XPath); None if the text does not parse."""
    try:
        parsed = parse(selector)
    except SelectorError:
        return None
    groups = []
    for one in parsed:
        found: list[str] = []
        try:
            _collect(one.parsed_tree, found)
        except AttributeError:  # a parse tree unlike the one this reads: run the selector
            log.warning("selector_gate cannot read cssselect's parse of %r", selector)
            return None
        groups.append(tuple(found))
    return tuple(groups)


def _collect(node: object, found: list[str]) -> None:
    """Strings required by `node` and the compounds it is built on. Negations and functional
    pseudo-classes only pass through to the compound they qualify (`:not(.x)` requires no x).

    cssselect has no public API for what a selector requires; its parse tree (`parse()` ->
    `Selector.parsed_tree`, the node classes of cssselect.parser) is the only source, stable
    since 1.0 except for additions. `Attrib.flag` (`[a=b i]`) came in cssselect 1.6: earlier
    releases cannot parse a flag at all, so a missing attribute means no flag. Any other
    surprise in the tree makes `required_strings` answer None (run the selector): this is a
    shortcut, never a reason to skip a selector that might match."""
    if isinstance(node, CombinedSelector):
        _collect(node.selector, found)
        _collect(node.subselector, found)
        return
    if isinstance(node, Hash):
        found.append(node.id)
    elif isinstance(node, Class) and not _spaced(node.class_name):
        found.append(node.class_name)  # compared after normalize-space: no space in it
    elif isinstance(node, Attrib) and node.operator in _VALUE_OPERATORS \
            and getattr(node, "flag", None) is None \
            and node.value is not None and node.value.value \
            and not (node.operator == "~=" and _spaced(node.value.value)):
        found.append(node.value.value)
    inner = getattr(node, "selector", None)
    if inner is not None:
        _collect(inner, found)


def _spaced(text: str) -> bool:
    return any(c.isspace() for c in text)
