"""The visitor's reading preferences: one small value object, kept in our first-party cookie.

Every key can be set with a plain link, `/_a11y/set?<key>=<value>&next=/path`, so a preference is
shareable ("the site in big text"). The keys, their values and defaults:

=========  =============================================  =========  ===========================
key        values                                         default    meaning
=========  =============================================  =========  ===========================
text       100, 125, 150, 175, 200                        100        text size in percent
scheme     the keys of visitor/schemes.py                 default    colours: the site's own,
                                                                     or one of the schemes
spacing    0, 1                                           0          WCAG 1.4.12 line, paragraph,
                                                                     letter and word spacing
cursor     0, 1                                           0          extra-large mouse pointer
underline  0, 1                                           0          underline every link
view       normal, text, reading                          normal     text-only (images as their
                                                                     alt text, one column) or
                                                                     reading mode (main content)
pinyin     0, 1                                           0          拼音: pinyin over Chinese text
script     original, simplified, traditional, tw, hk      original   简/繁: the text converted
                                                                     (tw, hk: the Taiwan / Hong
                                                                     Kong standard and phrasing)
preset     elder                                          (none)     长辈模式: text=150,
                                                                     scheme=contrast, spacing=1,
                                                                     cursor=1
reset      1                                              (none)     back to every default
=========  =============================================  =========  ===========================

In one query `reset` applies first, then `preset`, then the single keys (so
`preset=elder&text=200` is the elder preset with 200 % text). Unknown keys and invalid values are
ignored: a mistyped shared link still opens the page. Flags also accept on/off and true/false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from proxy.visitor import schemes

COOKIE_NAME = "a11y_prefs"
COOKIE_MAX_AGE = 365 * 24 * 3600  #: a year: elderly visitors should not have to set it again

TEXT_STEPS = (100, 125, 150, 175, 200)  #: the text sizes offered (percent)
SCHEMES = schemes.KEYS  #: visitor/schemes.py is the one registry
VIEWS = ("normal", "text", "reading")
FLAGS = ("spacing", "cursor", "underline", "pinyin")
SCRIPTS = ("original", "simplified", "traditional", "tw", "hk")
PRESETS = ("elder",)
#: 长辈模式 as the MIIT elderly-friendly rules describe it: large text, high contrast, spacing,
#: large pointer
ELDER = {"text": 150, "scheme": "contrast", "spacing": True, "cursor": True}

_TRUE = ("1", "on", "true", "yes")
_FALSE = ("0", "off", "false", "no")
#: cookie syntax "text:200|scheme:yellow": ':' and '|' are legal cookie octets, so the value is
#: never quoted by the cookie library ('=' and '&' would be)
_PAIR, _ITEM = "|", ":"
#: distinct cookie values whose parse is remembered, each at most this long (bounded memory)
REMEMBERED_COOKIES, REMEMBERED_COOKIE_CHARS = 1024, 256


@dataclass(frozen=True)
class Preferences:
    text: int = 100  #: text size in percent, one of TEXT_STEPS
    scheme: str = "default"  #: one of SCHEMES
    spacing: bool = False  #: WCAG 1.4.12 text spacing
    cursor: bool = False  #: large pointer
    underline: bool = False  #: underlined links
    view: str = "normal"  #: one of VIEWS
    pinyin: bool = False  #: pinyin (ruby) over Chinese text
    script: str = "original"  #: one of SCRIPTS

    @property
    def is_default(self) -> bool:
        return self == Preferences()

    @property
    def is_elder(self) -> bool:
        """True when the elder preset is in force (possibly with a larger text size)."""
        return all(getattr(self, k) == v for k, v in ELDER.items() if k != "text") \
            and self.text >= ELDER["text"]

    def changed(self, values: Mapping[str, str]) -> Preferences:
        """A copy with `values` applied (reset, then preset, then single keys); bad values
        are ignored."""
        prefs = Preferences() if values.get("reset", "").lower() in _TRUE else self
        if values.get("preset") == "elder":
            prefs = replace(prefs, **ELDER)
        updates = {}
        for key in ("text", "scheme", "view", "script", *FLAGS):
            if key in values and (value := _parse(key, values[key])) is not None:
                updates[key] = value
        return replace(prefs, **updates)

    @classmethod
    def from_query(cls, values: Mapping[str, str],
                   base: Preferences | None = None) -> Preferences:
        """The preferences a `/_a11y/set` query asks for, starting from `base` (the cookie)."""
        return (base or cls()).changed(values)

    @classmethod
    def from_cookie(cls, value: str | None) -> Preferences:
        """Read our cookie; anything unreadable falls back to the defaults, never an error."""
        if not value:
            return cls()
        pairs = {}
        for item in value.replace("&", _PAIR).split(_PAIR):
            key, sep, val = item.replace("=", _ITEM).partition(_ITEM)
            if sep:
                pairs[key.strip()] = val.strip()
        pairs.pop("reset", None)  # only a link resets, never a stored cookie
        return cls().changed(pairs)

    def to_cookie(self) -> str:
        """The cookie value: only the keys that differ from the defaults ("" when none)."""
        default = Preferences()
        items = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                items.append(f"{f.name}{_ITEM}{_format(value)}")
        return _PAIR.join(items)

    def to_query(self) -> dict[str, str]:
        """Every key with its value, for links that set exactly these preferences."""
        return {f.name: _format(getattr(self, f.name)) for f in fields(self)}


def of_request(request: Any) -> Preferences:
    """This request's preferences, from our cookie. The cache key, the rewrite, stylesheets and
    our pages all ask; visitors share a few cookie values, so each value is parsed once (the
    result is frozen, so sharing it is safe) and junk-sized values are not remembered."""
    value = request.cookies.get(COOKIE_NAME)
    if value is not None and len(value) > REMEMBERED_COOKIE_CHARS:
        return Preferences.from_cookie(value)
    return _from_cookie(value)


@lru_cache(maxsize=REMEMBERED_COOKIES)
def _from_cookie(value: str | None) -> Preferences:
    return Preferences.from_cookie(value)


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _parse(key: str, raw: str) -> object | None:
    raw = raw.strip().lower()
    if key == "text":
        return int(raw) if raw.isdigit() and int(raw) in TEXT_STEPS else None
    if key == "scheme":
        return raw if raw in SCHEMES else None
    if key == "view":
        return raw if raw in VIEWS else None
    if key == "script":
        return raw if raw in SCRIPTS else None
    if raw in _TRUE:
        return True
    return False if raw in _FALSE else None
