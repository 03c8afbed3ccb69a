"""Readers for the rule file's composite keys: hosts, encoding, landmarks, include, actions ...

Each reader has the signature `(reader, data, key, path) -> value | None` so the schema table in
`ruleschema.py` can name it; it reports problems through the reader and returns only what is
valid. Security-relevant checks live here: includes never leave the origin, actions never
bring scripts back (script removal is a security boundary, see the style guide).
"""

from __future__ import annotations

import codecs
import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from proxy.siterules.model import (
    ACTION_VERBS,
    LANDMARK_ROLES,
    SWITCHABLE,
    Action,
    Include,
    Selector,
)
from proxy.siterules.reader import RuleReader, did_you_mean, join, one_item, type_name
from proxy.siterules.yamlload import MarkedDict, value_mark

#: WHATWG label aliases that Python spells differently or decodes more narrowly (Encoding spec
#: "legacy single-byte"/"gb18030" tables): GBK pages routinely contain GB18030-only characters.
ENCODING_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "iso-ir-58": "gb18030", "gb_2312-80": "gb18030",
    "iso-8859-1": "windows-1252", "latin1": "windows-1252", "l1": "windows-1252",
    "ascii": "windows-1252", "us-ascii": "windows-1252", "iso8859-1": "windows-1252",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-sjis": "shift_jis", "sjis": "shift_jis",
    "windows-31j": "shift_jis", "ms932": "shift_jis", "big5-hkscs": "big5", "x-euc-jp": "euc-jp",
    "ks_c_5601-1987": "euc-kr", "windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic",
}
HOST_RE = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
TAG_RE = re.compile(r"^[a-z][a-z0-9-]*$")
ATTR_RE = re.compile(r"^[^\s\"'>/=\x00-\x1f]+$")
#: markup that would bring scripts back into a page after script removal
SCRIPTY_RE = re.compile(r"<\s*script|\bon[a-z]+\s*=|javascript:", re.I)
#: which extra fields each action verb needs (required) and may take (optional)
ACTION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "remove": ((), ()), "remove_and_keep_content": ((), ()),
    "replace": (("content",), ("type",)), "set_inner_content": (("content",), ("type",)),
    "before": (("content",), ("type",)), "after": (("content",), ("type",)),
    "prepend": (("content",), ("type",)), "append": (("content",), ("type",)),
    "rename": (("name",), ()), "set_attribute": (("name", "value"), ()),
    "remove_attribute": (("name",), ()),
}
#: HTML words admins write for a role, and the ARIA role they mean
ROLE_BY_TAG = {"header": "banner", "nav": "navigation", "footer": "contentinfo",
               "aside": "complementary", "sidebar": "complementary", "content": "main"}
ACTION_FIELD_KEYS = ("content", "type", "name", "value")
INCLUDE_KEYS = ("selector", "url", "position")
INCLUDE_POSITIONS = ("inner", "replace", "append")
#: transforms that a site may not switch off, and why (said in the error message)
NOT_SWITCHABLE = {"strip_scripts": "script removal is a security boundary and is always on"}


def read_version(r: RuleReader, data: MarkedDict, key: str, path: str) -> int | None:
    if data[key] != 1 or isinstance(data[key], bool):
        r.at(data, key, path, f"unsupported version {data[key]!r}; this proxy reads version 1")
        return None
    return 1


def read_updated(r: RuleReader, data: MarkedDict, key: str, path: str) -> str | None:
    """A date written as YYYY-MM-DD (YAML reads it as a date; quoted, it is text)."""
    value = data[key]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    r.at(data, key, path, f"expected a date like 2024-03-01, got {value!r}")
    return None


def read_hosts(r: RuleReader, data: MarkedDict, key: str, path: str) -> tuple[str, ...] | None:
    names = r.items(data, key, path, "a list of host names")
    found = []
    for i, name in enumerate(names or ()):
        sub = f"{path}[{i}]"
        if not isinstance(name, str):
            r.at(names, i, sub, f"expected a host name, got {type_name(name)}")
        elif why := host_problem(name.strip().lower()):
            r.at(names, i, sub, why)
        else:
            found.append(name.strip().lower().rstrip("."))
    return tuple(found) if names is not None else None


def host_problem(name: str) -> str | None:
    if "://" in name or "/" in name:
        return f"{name!r}: give the host name only, without scheme or path"
    if ":" in name:
        return f"{name!r}: give the host name without port (rules match any port)"
    if "*" in name and not name.startswith("*.") or name.count("*") > 1:
        return f"{name!r}: a glob must start with '*.' like '*.example.gov.cn'"
    if not HOST_RE.match(name.rstrip(".")):
        return f"{name!r} is not a host name"
    return None


def read_encoding(r: RuleReader, data: MarkedDict, key: str, path: str) -> str | None:
    label = r.text(data, key, path)
    if label is None:
        return None
    label = label.strip().lower()
    if label == "auto":
        return "auto"
    label = ENCODING_ALIASES.get(label, label)
    try:
        codecs.lookup(label)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        r.at(data, key, path, f"unknown encoding {data[key]!r}; use 'auto' or a label such as "
             "'gb18030', 'utf-8', 'big5'")
        return None
    return label


def read_landmarks(r: RuleReader, data: MarkedDict, key: str,
                   path: str) -> dict[str, tuple[tuple[Selector, str | None], ...]] | None:
    """role -> selector | {selector, label} | list of those; returns role -> ((sel, label),)."""
    roles = r.expect(data, key, path, MarkedDict, "a mapping of role: selector")
    if roles is None:
        return None
    found = {}
    for role in roles:
        sub = join(path, role)
        if role not in LANDMARK_ROLES:
            hint = f"; did you mean {ROLE_BY_TAG[role]!r}?" if role in ROLE_BY_TAG else \
                did_you_mean(str(role), LANDMARK_ROLES)
            r.at(roles, role, sub, f"unknown landmark role{hint} (roles: "
                 f"{', '.join(LANDMARK_ROLES)})", on_key=True)
            continue
        value = roles[role]
        many = isinstance(value, list)
        entries = value if many else one_item(value, value_mark(roles, role))
        found[role] = tuple(e for i in range(len(entries)) if (
            e := _landmark_entry(r, entries, i, f"{sub}[{i}]" if many else sub)))
        if role == "main" and len(found[role]) > 1:
            r.at(roles, role, sub, f"a page has one main landmark, but {len(found[role])} "
                 "selectors are given; give one (a selector list 'a, b' can cover two templates)")
    return found


def _landmark_entry(r: RuleReader, entries: Any, i: int,
                    path: str) -> tuple[Selector, str | None] | None:
    entry = entries[i]
    if isinstance(entry, MarkedDict):
        r.unknown_keys(entry, ("selector", "label"), path)
        if "selector" not in entry:
            r.at(entries, i, path, "missing 'selector'")
            return None
        selector = r.selector(entry, "selector", join(path, "selector"))
        label = r.text(entry, "label", join(path, "label")) if "label" in entry else None
        return (selector, label.strip() if label else None) if selector else None
    selector = r.selector(entries, i, path)
    return (selector, None) if selector else None


def read_include(r: RuleReader, data: MarkedDict, key: str,
                 path: str) -> tuple[Include, ...] | None:
    items = r.expect(data, key, path, list, "a list of {selector, url, position}")
    found = []
    for i, entry in enumerate(items or ()):
        sub = f"{path}[{i}]"
        if not isinstance(entry, MarkedDict):
            r.at(items, i, sub, f"expected a mapping with selector and url, got {type_name(entry)}")
            continue
        r.unknown_keys(entry, INCLUDE_KEYS, sub)
        missing = [k for k in ("selector", "url") if k not in entry]
        for k in missing:
            r.at(items, i, sub, f"missing '{k}'")
        if missing:
            continue
        selector = r.selector(entry, "selector", f"{sub}.selector")
        url = _include_url(r, entry, f"{sub}.url")
        position = entry.get("position", "inner")
        if position not in INCLUDE_POSITIONS:
            r.at(entry, "position", f"{sub}.position", f"expected one of "
                 f"{', '.join(INCLUDE_POSITIONS)}, got {type_name(position)}")
        elif selector and url:
            found.append(Include(selector, url, position))
    return tuple(found) if items is not None else None


def _include_url(r: RuleReader, entry: MarkedDict, path: str) -> str | None:
    """A path on the origin. The proxy fetches it server-side, so another host would make the
    proxy an open relay (and leak the visitor's cookies there): never allowed."""
    url = r.text(entry, "url", path)
    if url is None:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("//"):
        r.at(entry, "url", path, f"{url!r} leaves the origin; give a path on the same site like "
             "/images/system/sites_top.html")
        return None
    if not url.startswith("/") or "\\" in url:
        r.at(entry, "url", path, f"{url!r}: give a path starting with '/' (no backslashes)")
        return None
    return url


def read_actions(r: RuleReader, data: MarkedDict, key: str,
                 path: str) -> tuple[Action, ...] | None:
    items = r.expect(data, key, path, list, "a list of actions like {remove: 'selector'}")
    found = (_action(r, items, i, f"{path}[{i}]") for i in range(len(items or ())))
    return tuple(a for a in found if a) if items is not None else None


def _action(r: RuleReader, items: list, i: int, path: str) -> Action | None:
    entry = items[i]
    if not isinstance(entry, MarkedDict):
        r.at(items, i, path, f"expected a mapping like {{remove: '#ad'}}, got {type_name(entry)}")
        return None
    verbs = [k for k in entry if k in ACTION_VERBS]
    if len(verbs) != 1:
        why = "no action verb" if not verbs else f"{len(verbs)} verbs ({', '.join(verbs)})"
        r.at(items, i, path, f"{why}; an action has exactly one of: {', '.join(ACTION_VERBS)}")
        r.unknown_keys(entry, ACTION_VERBS + ACTION_FIELD_KEYS, path)
        return None
    verb = verbs[0]
    required, optional = ACTION_FIELDS[verb]
    takes = (*required, *optional)
    for key in entry:
        if key in ACTION_FIELD_KEYS and key not in takes:
            what = f"it takes {', '.join(takes)}" if takes else "it takes only a selector"
            r.at(entry, key, join(path, key), f"'{verb}' takes no '{key}'; {what}", on_key=True)
    r.unknown_keys(entry, (verb, *ACTION_FIELD_KEYS), path)
    for field in required:
        if field not in entry:
            r.at(items, i, path, f"'{verb}' needs '{field}'")
    selector = r.selector(entry, verb, join(path, verb), removes=verb == "remove")
    fields = {f: r.text(entry, f, join(path, f), empty_ok=f in ("content", "value"))
              for f in (*required, *optional) if f in entry}
    if None in fields.values() or not selector or len(fields) < len(required):
        return None
    return _checked_action(r, entry, path, verb, selector, fields)


def _checked_action(r: RuleReader, entry: MarkedDict, path: str, verb: str, selector: Selector,
                    fields: dict[str, str]) -> Action | None:
    kind, name = fields.get("type", "text"), fields.get("name")
    ok = True
    if kind not in ("text", "html"):
        r.at(entry, "type", join(path, "type"), f"expected 'text' or 'html', got {kind!r}")
        ok = False
    if kind == "html" and SCRIPTY_RE.search(fields["content"]):
        r.at(entry, "content", join(path, "content"), "inserted HTML may not contain scripts, "
             "on* handlers or javascript: URLs (script removal is a security boundary)")
        ok = False
    if name is not None and not (TAG_RE if verb == "rename" else ATTR_RE).match(name):
        r.at(entry, "name", join(path, "name"), f"{name!r} is not a valid "
             f"{'tag' if verb == 'rename' else 'attribute'} name")
        ok = False
    if verb == "set_attribute" and name and (name.lower().startswith("on") or
                                             name.lower() == "srcdoc"):
        r.at(entry, "name", join(path, "name"), f"'{name}' would bring scripts back (script "
             "removal is a security boundary)")
        ok = False
    if verb == "set_attribute" and SCRIPTY_RE.search(fields["value"]):
        r.at(entry, "value", join(path, "value"), "a javascript: URL or markup with handlers "
             "would bring scripts back (script removal is a security boundary)")
        ok = False
    if not ok:
        return None
    return Action(verb, selector, fields.get("content"), kind, name, fields.get("value"))


def read_disable(r: RuleReader, data: MarkedDict, key: str, path: str) -> frozenset[str] | None:
    names = r.items(data, key, path, "a list of transform names")
    found = set()
    for i, name in enumerate(names or ()):
        sub = f"{path}[{i}]"
        if not isinstance(name, str):  # a list or mapping is unhashable: not a name at all
            r.at(names, i, sub, f"expected a transform name, got {type_name(name)}")
        elif name in NOT_SWITCHABLE:
            r.at(names, i, sub, f"'{name}' cannot be disabled: {NOT_SWITCHABLE[name]}")
        elif name not in SWITCHABLE:
            r.at(names, i, sub, f"unknown transform {type_name(name)}"
                 f"{did_you_mean(str(name), SWITCHABLE)} (known: {', '.join(SWITCHABLE)})")
        else:
            found.add(name)
    return frozenset(found) if names is not None else None


def read_css(r: RuleReader, data: MarkedDict, key: str, path: str) -> str | None:
    css = r.text(data, key, path, empty_ok=True)
    if css is not None and re.search(r"</\s*style|<\s*script|expression\s*\(|javascript:", css,
                                     re.I):
        r.at(data, key, path, "css may not contain '</style', '<script', expression() or "
             "javascript: (it is inserted into the page as a <style> element)")
        return None
    return css


def read_tunables(r: RuleReader, data: MarkedDict, key: str, path: str) -> dict | None:
    """Free-form heuristic knobs: a mapping of name -> number, text, true/false or a list."""
    knobs = r.expect(data, key, path, MarkedDict, "a mapping of name: value")
    if knobs is None:
        return None
    found: dict[str, Any] = {}
    for name, value in knobs.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float | bool) for v in values):
            r.at(knobs, name, join(path, name), "expected a number, text, true/false or a list "
                 f"of those, got {type_name(value)}")
            continue
        found[str(name)] = tuple(value) if isinstance(value, list) else value
    return found
