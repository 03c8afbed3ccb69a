"""Render our toolbar: a skip link, then a named <nav> of plain links, no script.

Every control is a link to `/_a11y/set?<key>=<value>&next=<this page>`, so it works by keyboard
(Tab, Enter), with JavaScript off, and can be shared. The chosen option of each group carries
`aria-current="true"` and a visible check mark. The option table `GROUPS` is shared with the
settings page (proxy/visitor/pages.py), which offers the same choices as a form.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import quote, urlencode

import lxml.html

from proxy.reading.speech import available as speech_available
from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import SCHEMES, colours

SKIP_TEXT = "跳到主要内容"
CURRENT_MARK = "✓"  #: shown before the chosen option (aria-current says it to screen readers)
#: stand-ins rendered into the cached toolbar tree, replaced per page: the next path is made of
#: unreserved characters, so quote() leaves it as it is inside every link's query
NEXT_STAND_IN = "a11yNEXTa11y"
ORIGINAL_STAND_IN = "http://a11y-original.invalid/"
#: parsed toolbars kept, one per (preferences, prefix, has original link)
TOOLBAR_TREES = 64


@dataclass(frozen=True)
class Group:
    key: str  #: the Preferences field (and query key)
    label: str  #: Chinese group label
    english: str  #: for the help page
    options: tuple[tuple[str, str], ...]  #: (query value, Chinese label)


GROUPS = (
    Group("text", "字号", "Text size",
          (("100", "100%"), ("125", "125%"), ("150", "150%"), ("175", "175%"),
           ("200", "大字 200%"))),
    Group("scheme", "配色", "Colours",
          tuple((s.key, s.label) for s in SCHEMES)),
    Group("spacing", "行距", "Line and letter spacing", (("0", "标准"), ("1", "加宽"))),
    Group("cursor", "大鼠标", "Large pointer", (("0", "关"), ("1", "开"))),
    Group("underline", "链接下划线", "Underlined links", (("0", "关"), ("1", "开"))),
    Group("view", "视图", "View",
          (("normal", "普通"), ("text", "纯文本"), ("reading", "阅读模式"))),
    Group("pinyin", "拼音", "Pinyin", (("0", "关"), ("1", "开"))),
    Group("script", "简繁", "Simplified / Traditional",
          (("original", "原文"), ("simplified", "简体"), ("traditional", "繁體"))),
)


@cache
def template(name: str) -> Template:
    return Template(resources.files(__package__).joinpath("templates", name)
                    .read_text("utf-8"))


def set_url(prefix: str, values: dict[str, str], next_path: str) -> str:
    """`/_a11y/set?...&next=...` (not HTML-escaped)."""
    return f"{prefix}set?{urlencode({**values, 'next': next_path}, quote_via=quote)}"


def current_value(prefs: Preferences, key: str) -> str:
    """The value in force, which is what the toolbar shows: a colour scheme underlines every
    link (visitor/style.py SCHEME_CSS), so underlining is on whatever the flag says."""
    value = getattr(prefs, key)
    if key == "underline" and colours(prefs.scheme) is not None:
        value = True
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


def current_choices(prefs: Preferences) -> str:
    """The choices in force in one line, for the compact toolbar: text size and colours
    always, the rest when on ("字号 150%，黑白高对比，加宽行距，大鼠标")."""
    labels = {g.key: dict(g.options) for g in GROUPS}
    parts = [f"字号 {prefs.text}%", labels["scheme"].get(prefs.scheme, prefs.scheme)]
    parts += [name for key, name in (("spacing", "加宽行距"), ("cursor", "大鼠标"),
                                     ("underline", "链接下划线")) if getattr(prefs, key)]
    if prefs.view != "normal":
        parts.append(labels["view"][prefs.view])
    return "，".join(parts)


def _link(href: str, text: str, current: bool = False) -> str:
    mark = f'<span aria-hidden="true">{CURRENT_MARK}</span>' if current else ""
    attr = ' aria-current="true"' if current else ""
    return f'<li><a href="{escape(href)}"{attr}>{mark}{escape(text)}</a></li>'


def _group(group: Group, prefs: Preferences, prefix: str, next_path: str) -> str:
    chosen = current_value(prefs, group.key)
    links = "".join(_link(set_url(prefix, {group.key: value}, next_path), label, value == chosen)
                    for value, label in group.options)
    gid = f"a11y-g-{group.key}"
    return (f'<li class="a11y-group"><span class="a11y-label" id="{gid}">{group.label}</span>'
            f'<ul aria-labelledby="{gid}">{links}</ul></li>')


def render_toolbar(prefs: Preferences, next_path: str, prefix: str = "/_a11y/",
                   original_url: str | None = None) -> str:
    """The <nav id="a11y-toolbar"> fragment for a page at `next_path` (a path on the proxy)."""
    groups = "\n".join(_group(g, prefs, prefix, next_path) for g in GROUPS)
    actions = [
        _link(set_url(prefix, {"preset": "elder"}, next_path), "长辈模式", prefs.is_elder),
        _link(set_url(prefix, {"reset": "1"}, next_path), "重置"),
        *([_link(f"{prefix}listen?{urlencode({'next': next_path}, quote_via=quote)}",
                 "朗读本页")] if speech_available() else []),  # 朗读: only with the engine
        _link(f"{prefix}settings?{urlencode({'next': next_path}, quote_via=quote)}", "设置"),
        _link(f"{prefix}help?{urlencode({'next': next_path}, quote_via=quote)}", "帮助"),
        _link(f"{prefix}statement?{urlencode({'next': next_path}, quote_via=quote)}", "无障碍声明"),
    ]
    if original_url and original_url.startswith(("http://", "https://")):
        actions.append(_link(original_url, "原网页"))
    return template("toolbar.html").substitute(groups=groups, actions="".join(actions),
                                               current=escape(current_choices(prefs)))


def toolbar_element(prefs: Preferences, next_path: str, prefix: str = "/_a11y/",
                    original_url: str | None = None) -> Any:
    """`render_toolbar(...)` parsed, from a tree rendered and parsed once per preferences:
    a copy with this page's links set (rendering + parsing are not repeated for every page)."""
    with_original = bool(original_url and original_url.startswith(("http://", "https://")))
    if with_original and not original_url.isprintable():  # type: ignore[union-attr]
        # the parser would clean what .set() refuses: parse it as rendered
        return lxml.html.fragment_fromstring(
            render_toolbar(prefs, next_path, prefix, original_url))
    nav = copy.deepcopy(_toolbar_tree(prefs, prefix, with_original, speech_available()))
    quoted = quote(next_path, safe="")
    for link in nav.iter("a"):
        href = link.get("href")
        if href == ORIGINAL_STAND_IN:
            link.set("href", original_url)
        elif NEXT_STAND_IN in href:
            link.set("href", href.replace(NEXT_STAND_IN, quoted))
    return nav


@lru_cache(maxsize=TOOLBAR_TREES)
def _toolbar_tree(prefs: Preferences, prefix: str, with_original: bool, listen: bool) -> Any:
    """Never handed out: toolbar_element copies it. Keyed by whether the speech engine is
    there too (the 朗读 link is shown only then)."""
    return lxml.html.fragment_fromstring(render_toolbar(
        prefs, NEXT_STAND_IN, prefix, ORIGINAL_STAND_IN if with_original else None))


def render_skip_link(target_id: str) -> str:
    return template("skip.html").substitute(target=escape(target_id))
