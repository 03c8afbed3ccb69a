"""The heuristics' vocabulary: id/class hints and text markers of Chinese CMS templates.

The lists are data in rules/default.yaml (`tunables`); the constants here are the fallback when
a tunable is missing, so the transforms still work with no rule files at all. `Hints.of(rules)`
builds the compiled form once per SiteRules object (rules are frozen and reloaded as a whole).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from proxy.siterules.model import SiteRules

#: fallbacks for the `tunables` of rules/default.yaml (same names, same meaning)
DEFAULTS: dict[str, Any] = {
    "BANNER_HINTS": ("top", "head", "header", "banner", "logo", "toubu"),
    "NAV_HINTS": ("nav", "navbar", "menu", "daohang", "dh", "lanmu", "column"),
    "MAIN_HINTS": ("main", "content", "con", "article", "zw", "zhengwen", "wzy", "detail",
                   "artcontent", "zoom"),
    "FOOTER_HINTS": ("foot", "footer", "bottom", "copyright", "dibu", "banquan"),
    "SEARCH_HINTS": ("search", "sousuo", "ss"),
    "FOOTER_MARKERS": ("ICP备", "公网安备", "公安备案", "版权所有", "主办单位", "承办单位",
                       "Copyright"),
    "BREADCRUMB_MARKERS": ("当前位置", "您的位置", "您现在的位置", "所在位置"),
    "SPACER_IMAGES": ("spacer.gif", "space.gif", "blank.gif", "pixel.gif", "s.gif", "dot.gif",
                      "navline.gif", "line.gif", "kong.gif"),
    "DECORATION_WORDS": ("icon", "ico", "arrow", "arow", "bullet", "dot", "bg", "jiantou",
                         "corner", "shadow", "divider"),
    "TRACKING_HOSTS": ("scorecardresearch.com", "hm.baidu.com", "cnzz.com",
                       "google-analytics.com", "doubleclick.net"),
    "IMAGE_SERVICE_NAMES": ("weixin=微信", "wechat=微信", "wx=微信", "tsina=新浪微博",
                            "weibo=微博", "qzone=QQ空间", "zone=QQ空间", "qq=QQ",
                            "douban=豆瓣", "douyin=抖音", "toutiao=今日头条", "qr=二维码",
                            "qrcode=二维码", "ewm=二维码", "erweima=二维码"),
    "CAPTION_CLASSES": ("caption", "figcaption", "desc", "tuzhu", "tushuo", "imgtitle",
                        "pictitle", "imgdesc", "picdesc"),
    "CAPTION_STARTS": ("图为", "图：", "图:", "上图", "下图", "图片来源", "▲", "△"),
    "CAPTION_ENDS": ("摄", "摄影", "供图", "资料图", "图片来源网络"),
    "PROMPT_STARTS": ("请输入", "请填写", "请键入", "请在此输入", "在此输入", "输入关键"),
    "MIN_NAV_LINKS": 4,
    "MIN_MAIN_TEXT": 200,
}
#: a hint of this length or more also matches as a word's start or end ("topnav", "zwcon")
MIN_AFFIX_HINT = 3
#: words that start or end like a hint but mean something else ("container" is not "con")
HINT_STOPWORDS = frozenset({
    "container", "contain", "contact", "contacts", "context", "consult", "control", "controls",
    "headline", "headlines", "topic", "topics", "menuitem", "maintain", "contents-hidden",
    "navigator", "columnist", "stop", "desktop", "laptop", "shadow", "bottomline"})
#: camelCase boundaries and separators split id/class values into words
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_ROLE_HINTS = (("navigation", "NAV_HINTS"), ("contentinfo", "FOOTER_HINTS"),
               ("search", "SEARCH_HINTS"), ("banner", "BANNER_HINTS"), ("main", "MAIN_HINTS"))
#: id/class values (and words) whose roles are remembered per Hints: a site uses a few
#: hundred, many sites together some thousands. A memo is emptied when full, so a page of
#: unique class names cannot grow it without bound; entries share their role sets (at most 32
#: distinct), so a full memo is a few MB
MAX_MEMO = 16384
#: `//body/descendant::*[...]`, not `//body//*[...]`: the same elements, but libxml2 tests the
#: predicate once per element instead of per child step
HINTED = etree.XPath("//body/descendant::*[@id or @class]")


def words(value: str) -> list[str]:
    """'topNav main_con' -> ['top', 'nav', 'main', 'con'], plus each raw lower-case token."""
    found: list[str] = []
    for token in re.split(r"[\s_\-.:]+", value):
        if token:
            found.append(token.lower())
            found.extend(w.lower() for w in _WORDS.findall(token))
    return found


@dataclass(frozen=True)
class Hints:
    tunables: dict[str, Any]
    role_words: dict[str, frozenset[str]]
    #: id/class value -> its roles, and one word of a value -> its roles (the matching is done
    #: once per distinct value and word)
    _memo: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    _token_memo: dict[str, frozenset[str]] = field(default_factory=dict, compare=False,
                                                   repr=False)
    #: forms of the tunables a transform builds for its checks (sets, tables), built once per
    #: rule set instead of once per page
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, rules: SiteRules) -> Hints:
        entry = _CACHE.get(id(rules))
        if entry is not None and entry[0]() is rules:
            return entry[1]
        tunables = {**DEFAULTS, **dict(rules.tunables)}
        role_words = {role: frozenset(h.lower() for h in _as_tuple(tunables[key]))
                      for role, key in _ROLE_HINTS}
        hints = cls(tunables, role_words)
        _CACHE[id(rules)] = (weakref.ref(rules), hints)
        return hints

    def get(self, name: str) -> Any:
        return self.tunables[name]

    def texts(self, name: str) -> tuple[str, ...]:
        return _as_tuple(self.tunables[name])

    def derived(self, name: str, build: Callable[[Hints], Any]) -> Any:
        """`build(self)`, computed on first use and kept for this rule set's lifetime."""
        value = self._derived.get(name)
        if value is None:
            value = self._derived[name] = build(self)
        return value

    def roles_of(self, el: Any) -> frozenset[str]:
        """The landmark roles an element's id and class names hint at."""
        return self._roles_of_names(el.get("id"), el.get("class"))

    def _roles_of_names(self, ident: str | None, classes: str | None) -> frozenset[str]:
        value = f"{ident or ''} {classes or ''}".strip()
        if not value:
            return frozenset()
        roles = self._memo.get(value)
        if roles is None:
            roles = frozenset().union(*map(self._token_roles, words(value)))
            _remember(self._memo, value, roles)
        return roles

    def _token_roles(self, token: str) -> frozenset[str]:
        """The roles one id/class word hints at (words recur across values: remembered too)."""
        roles = self._token_memo.get(token)
        if roles is None:
            roles = frozenset(role for role, hints in self.role_words.items()
                              if _matches(token, hints))
            _remember(self._token_memo, token, roles)
        return roles

    def hinted(self, root: Any, role: str, skip: frozenset[str] = frozenset()) -> list[Any]:
        """Body elements (not of a `skip` tag) whose id/class hint at `role`, document order."""
        return [el for el in HINTED(root) if el.tag not in skip and role in self.roles_of(el)]

    def on(self, root: Any, ids: frozenset[str] = frozenset(),
           classes: frozenset[str] = frozenset()) -> PageHints:
        """These hints bound to one page, which `hinted` then reads in one pass; the same pass
        finds the elements `named` by one of `ids` or `classes`."""
        # by keyword: positionally `root` would land in `_derived` and every `hinted` call
        # would fall back to a walk of its own
        return PageHints(self.tunables, self.role_words, self._memo, self._token_memo,
                         self._derived, root=root, ids=ids, classes=classes)


@dataclass(frozen=True)
class PageHints(Hints):
    """Hints for one page whose tree does not change while it is used: the hinted elements
    of every role, and the elements with one of the given ids or class names, are collected
    in one walk over the id/class elements, not one whole-tree query each."""

    root: Any = None
    ids: frozenset[str] = frozenset()  #: ids whose elements `named` lists
    classes: frozenset[str] = frozenset()  #: class names whose elements `named` lists
    #: "roles": role -> (element, tag) of the elements hinting at it; "named": the named
    #: elements (the one walk's results: the dataclass is frozen)
    _walked: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def hinted(self, root: Any, role: str, skip: frozenset[str] = frozenset()) -> list[Any]:
        if root is not self.root:
            return super().hinted(root, role, skip)
        return [el for el, tag in self._walk()["roles"].get(role, ()) if tag not in skip]

    def named(self) -> list[Any]:
        """Body elements whose id is one of `ids` or whose class attribute has one of
        `classes` among its names, in document order: what `//body//*[@id='i' or
        contains(concat(' ', normalize-space(@class), ' '), ' c ')]` selects."""
        return list(self._walk()["named"])

    def _walk(self) -> dict[str, Any]:
        if self._walked:
            return self._walked
        by_role: dict[str, list[tuple[Any, Any]]] = {r: [] for r in self.role_words}
        named: list[Any] = []
        ids = self.ids
        # a C-level substring search picks the class values that may hold a name
        maybe_named = re.compile("|".join(map(re.escape, self.classes))).search \
            if self.classes else None
        for el in HINTED(self.root):
            ident, classes = el.get("id"), el.get("class")
            if ident in ids or (classes and maybe_named and maybe_named(classes)
                                and not self.classes.isdisjoint(_XML_SPACE.split(classes))):
                named.append(el)
            roles = self._roles_of_names(ident, classes)
            if roles:
                entry = (el, el.tag)
                for r in roles:
                    by_role[r].append(entry)
        self._walked.update(roles=by_role, named=named)
        return self._walked


_XML_SPACE = re.compile("[ \t\r\n]+")  #: what normalize-space() collapses (not \xa0)


def _remember(memo: dict[str, frozenset[str]], key: str, roles: frozenset[str]) -> None:
    if len(memo) >= MAX_MEMO:
        memo.clear()
    memo[key] = _ROLE_SETS.setdefault(roles, roles)


_ROLE_SETS: dict[frozenset[str], frozenset[str]] = {}  #: one shared object per distinct role set


def _matches(token: str, hints: frozenset[str]) -> bool:
    if token in hints:
        return True
    if token in HINT_STOPWORDS:
        return False
    return any(len(h) >= MIN_AFFIX_HINT and (token.startswith(h) or token.endswith(h))
               for h in hints)


def _as_tuple(value: Any) -> tuple:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)


#: id(rules) -> (weak reference, hints); SiteRules hold mappings, so they are not hashable
_CACHE: dict[int, tuple[weakref.ref, Hints]] = {}
