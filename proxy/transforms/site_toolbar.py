"""Remove the site's own (vendor) accessibility toolbar and turn its switches into ours.

What a toolbar looks like is data (`toolbar:` in rules/default.yaml and site files): selectors of
its elements, substrings of its loader scripts and URLs, the texts of its switch links, and the
names of the site's JavaScript font-size functions. The switch links (`javascript:direct_wza()`,
无障碍浏览) become links to our settings page; the site's 字号 大/中/小 links become links to our
text-size steps; everything else of the toolbar (scripts, frames, stylesheets, icons) is removed.
The XPath queries are built from the rules once per rule set (cached), and run in C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from lxml import etree

from proxy.heuristics.selector_gate import (
    may_match,
    non_ascii_characters,
    occurring,
    required_strings,
)
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.siterules.model import Selector, ToolbarRules
from proxy.transforms.scripts import danger
from proxy.visitor.prefs import TEXT_STEPS
from proxy.visitor.toolbar import set_url

SETTINGS_TEXT = "无障碍设置"  #: text of a converted switch link that had no text of its own
#: the site's size labels, smallest first; a link of one of these next to 字号/字体 is a size link
SIZE_LABELS = ("小", "中", "大", "特大")
SIZE_CONTEXT = ("字号", "字体")
SINGLE_STEP = 150  #: a lone "bigger text" link gets this step
NEVER_REMOVED = frozenset({"html", "head", "body"})
_CALL_ARGUMENT = re.compile(r"\(\s*['\"]?(\d+)")


def _literal(text: str) -> str:
    """An XPath string literal for any text."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def _any(attr: str, patterns: tuple[str, ...]) -> list[str]:
    return [f"contains({attr},{_literal(p)})" for p in dict.fromkeys(patterns) if p]


def _having(paths: tuple[str, ...], attrs: tuple[str, ...], patterns: tuple[str, ...]) -> str:
    """`path[contains(@attr, p1) or ...]` for each path and attribute, written as
    `path/@attr[contains(., p1) or ...]/..`: libxml2 then tests the attribute's string once
    where it exists, instead of evaluating `@attr` again for every pattern on every element
    (the same node-set, as a union is in document order)."""
    tests = " or ".join(_any(".", patterns))
    if not tests:
        return ""
    return " | ".join(f"{path}/@{attr}[{tests}]/.." for path in paths for attr in attrs)


def _union(*branches: str) -> etree.XPath | None:
    branches = tuple(b for b in branches if b)
    return etree.XPath(" | ".join(branches)) if branches else None


@dataclass(frozen=True)
class _Queries:
    switches: etree.XPath | None  #: links that open the vendor toolbar
    sizes: etree.XPath | None  #: the site's font-size links
    leftovers: etree.XPath | None  #: scripts, frames, stylesheets, icons, `remove:` matches


@dataclass(frozen=True)
class _Present:
    """The rules' patterns that occur on the page at all: a pattern found in no attribute value
    (or in none of the document's text) cannot match, so its tests are left out of the queries.
    Most pages have no vendor toolbar, and libxml2 copies an attribute's string once per
    `contains()`, so every pattern in a query is paid for on every attribute of a large page.
    A pattern kept here that cannot match after all only costs its test in the queries: the
    non-ASCII patterns (无障碍, 字号) are looked for in the text's non-ASCII characters
    alone, where 无<b>障碍 reads 无障碍 too."""

    in_attributes: tuple[str, ...]  #: script, URL and font-function patterns in some attribute
    scripts_in_text: tuple[str, ...]  #: script patterns in the text (inline scripts)
    link_texts: tuple[str, ...]  #: switch link texts whose first word is in the text
    sized: bool  #: 字号/字体 is in the text: size links are possible
    removable: tuple[Selector, ...]  #: `remove:` selectors whose #id, .class, [attr] occur

    @classmethod
    def of(cls, found: _Found, rules: ToolbarRules) -> _Present:
        in_attributes, in_text = found
        patterns = rules.script_patterns + rules.url_patterns + _calls(rules)
        return cls(
            tuple(p for p in dict.fromkeys(patterns) if p and p in in_attributes),
            tuple(p for p in dict.fromkeys(rules.script_patterns) if p and p in in_text),
            # normalize-space(.) = t needs t's first word (no XPath space in it) in the text
            tuple(t for t in rules.link_texts if t and (not t.split() or t.split()[0] in in_text)),
            any(c in in_text for c in SIZE_CONTEXT),
            tuple(s for s in rules.remove if may_match(s.text, in_attributes)))


#: (strings found in the attribute values, strings found in the text) of `_looked_for`
_Found = tuple[frozenset[str], frozenset[str]]


def _found(attributes: str, text: str, rules: ToolbarRules) -> _Found:
    """`attributes`: attribute values joined; `text`: text. For more values and text, the
    union of each part's answers is the joined parts' answer (no pattern holds the NUL
    they are joined with: no attribute value or text of a tree can)."""
    in_attributes_patterns, in_text_patterns, wide_patterns = _looked_for(rules)
    in_text = occurring(in_text_patterns, text) | occurring(wide_patterns,
                                                            non_ascii_characters(text))
    return occurring(in_attributes_patterns, attributes), in_text


@lru_cache(maxsize=64)
def _looked_for(rules: ToolbarRules) -> tuple[tuple[str, ...], tuple[str, ...],
                                              tuple[str, ...]]:
    """Every string `_Present.of` asks about (in the attributes; in the text; in the text's
    non-ASCII characters, a small share of a page's text: the patterns without an ASCII
    character), so that `occurring` answers each list in one plan (patterns sharing a
    substring share a scan)."""
    required = (s for selector in rules.remove
                for group in required_strings(selector.text) or () for s in group)
    in_attributes = (*rules.script_patterns, *rules.url_patterns, *_calls(rules), *required)
    first_words = (t.split()[0] for t in rules.link_texts if t.split())
    in_text = tuple(dict.fromkeys((*rules.script_patterns, *first_words, *SIZE_CONTEXT)))
    wide = tuple(p for p in in_text if p and not any(c.isascii() for c in p))
    return (tuple(dict.fromkeys(in_attributes)), tuple(p for p in in_text if p not in wide),
            wide)


#: every attribute value (plain strings: no element proxies) and the document's text
_ATTRIBUTE_VALUES = etree.XPath("//@*", smart_strings=False)
_DOCUMENT_TEXT = etree.XPath("string(/)")


def _calls(rules: ToolbarRules) -> tuple[str, ...]:
    return tuple(f"{name}(" for name in rules.font_functions if name)


def _only(patterns: tuple[str, ...], present: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in patterns if p in present)


@lru_cache(maxsize=256)
def _queries(rules: ToolbarRules, present: _Present) -> _Queries:
    """The queries for what `present` found (cached: pages of a site share a few shapes)."""
    found = present.in_attributes
    scripts, urls = _only(rules.script_patterns, found), _only(rules.url_patterns, found)
    both = scripts + urls
    texts = " or ".join(f"normalize-space(.)={_literal(t)}" for t in present.link_texts)
    switches = _union(_having(("//a",), ("href",), both), _having(("//a",), ("onclick",), scripts),
                      f"//a[{texts}]" if texts else "")
    calls = _only(_calls(rules), found)
    # a size label: the link's text without brackets is one of SIZE_LABELS (so it contains
    # one: a cheap test first), next to 字号/字体
    has_label = " or ".join(f"contains(.,{_literal(x)})" for x in SIZE_LABELS)
    labels = " or ".join(f"normalize-space(translate(.,'【】[]',''))={_literal(x)}"
                         for x in SIZE_LABELS)
    context = " or ".join(f"contains(string(..),{_literal(c)})" for c in SIZE_CONTEXT)
    sizes = _union(_having(("//a",), ("href", "onclick"), calls),
                   f"//a[{has_label}][{labels}][{context}]" if present.sized else "")
    # One union of narrow paths: each branch names its tag first, so libxml2 only runs the
    # contains() tests on the few scripts/frames/links/images there are, not on every element.
    # The `remove:` selectors join it: one query instead of one per selector (a union is the
    # same node-set, and dropping nested elements in any order leaves the same tree).
    scripted = " or ".join(_any(".", scripts))
    inline = " or ".join(_any(".", present.scripts_in_text))
    leftovers = _union(
        _having(("//script",), ("src",), both),
        f"//script[not(@src)][{inline}]" if inline else "",
        _having(("//frame", "//iframe"), ("src", "name", "id"), both),
        _having(("//link",), ("href",), both),
        _having(("//img",), ("src",), both),
        f"//@onclick[{scripted}]/parent::*[not(self::a)]" if scripted else "",
        *(selector.compiled.path for selector in present.removable),
    )
    return _Queries(switches, sizes, leftovers)


def page_path(url: str) -> str:
    """The path (and query) of a page: the same on the proxy as on its origin."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _goes_somewhere(el: Any) -> bool:
    """A link with a real target works without scripts: page content even when the site gave
    it a toolbar's id (`<a id="cniil_wza" href=".../jw_Mob/...">移动版</a>`)."""
    if el.tag != "a":
        return False
    href = (el.get("href") or "").strip()
    return bool(href) and not href.startswith("#") and not danger.is_script_url(href)


def _make_plain_link(link: Any, href: str, text: str) -> None:
    for name in list(link.attrib):
        if name not in ("id", "class", "title", "lang"):
            del link.attrib[name]
    for child in list(link):
        link.remove(child)
    link.text = text
    link.set("href", href)


def _size_rank(link: Any) -> tuple[int, int]:
    call = _CALL_ARGUMENT.search((link.get("href") or "") + (link.get("onclick") or ""))
    label = " ".join(link.text_content().split()).strip("【】[]")
    by_label = SIZE_LABELS.index(label) if label in SIZE_LABELS else 0
    return (int(call.group(1)) if call else by_label, by_label)


def _steps(count: int) -> list[int]:
    """`count` size links, smallest first, spread over our steps (大/中/小 -> 200/150/100)."""
    if count == 1:
        return [SINGLE_STEP]
    last = len(TEXT_STEPS) - 1
    return [TEXT_STEPS[round(i * last / (count - 1))] for i in range(count)]


class SiteToolbar(Transform):
    name = "site_toolbar"

    def prepare(self, page: Page) -> None:
        rules = page.rules.toolbar
        found = _found("\0".join(_ATTRIBUTE_VALUES(page.tree)), _DOCUMENT_TEXT(page.tree), rules)
        queries = _queries(rules, _Present.of(found, rules))
        here = page_path(page.url)
        settings_href = f"{page.prefix}settings?next={quote(here, safe='/')}"
        if queries.sizes is not None and (sizes := queries.sizes(page.tree)):
            self._convert_sizes(sizes, page.prefix, here)
            # the converted links carry new values and texts the other queries may match:
            # only those are searched, the page's answers stand
            added = _found("\0".join(v for a in sizes for v in a.attrib.values()),
                           "\0".join(a.text or "" for a in sizes), rules)
            found = (found[0] | added[0], found[1] | added[1])
            queries = _queries(rules, _Present.of(found, rules))
        switches = queries.switches(page.tree) if queries.switches is not None else []
        for link in switches:
            text = " ".join(link.text_content().split()) or SETTINGS_TEXT
            _make_plain_link(link, settings_href, text)
            page.notes.append(f"site_toolbar: switch link {text!r} -> settings")
        # `remove:` selectors are meant for controls left doing nothing, not for links that
        # lead somewhere: a converted switch (now ours) or a page link with a toolbar's id
        kept = set(switches)
        doomed = queries.leftovers(page.tree) if queries.leftovers is not None else []
        for el in doomed:
            if el.tag in NEVER_REMOVED or el in kept or _goes_somewhere(el):
                continue
            if el.getparent() is not None:
                el.drop_tree()

    @staticmethod
    def _convert_sizes(links: list[Any], prefix: str, here: str) -> None:
        groups: dict[Any, list[Any]] = {}
        for link in links:
            groups.setdefault(link.getparent(), []).append(link)
        for group in groups.values():
            ordered = sorted(group, key=_size_rank)
            for link, step in zip(ordered, _steps(len(ordered)), strict=True):
                text = " ".join(link.text_content().split()) or f"{step}%"
                _make_plain_link(link, set_url(prefix, {"text": str(step)}, here), text)
                link.set("aria-label", f"{text}（字号 {step}%）")
