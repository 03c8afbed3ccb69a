"""One rewrite per page for every visitor: the preferences are spliced into it, not rewritten.

The rewrite (proxy/rewrite.py) leaves three holes in the page it serializes, and the page cache
keeps that one template for every preference set (only the view, which changes the content,
keys apart):

- `base`: the first `<style>` of <head> (EnlargeFonts' `a11y-font-base`, before the site's
  CSS): the custom properties the rewritten CSS reads (proxy/css/fonts.py) and, above 100 %, the
  rules for text the page does not size itself;
- `prefs`: the preference stylesheet (proxy/visitor/style.py), after every site stylesheet;
- `toolbar`: our toolbar, whose chosen options are marked (`aria-current`).

Serving the page to a visitor is `splice(template, prefs)`: the bytes around the holes joined
with the three texts made for `prefs` (each cached per preference set), no parse and no
transform. The holes are found by a per-process random token, so no origin text can pose as one;
the template keeps their offsets, so another process (a shared Redis cache) splices it too.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import quote

from proxy.css.fonts import (
    AUTO_VAR,
    FLOOR_VAR,
    KEYWORD_VAR,
    ON_VAR,
    SCHEME_VAR,
    TEXT_VAR,
    UNCAP_VAR,
    WRAP_VAR,
    scaled_px,
)
from proxy.css.valid import KEYWORD_PX
from proxy.reading.speech import available as speech_available
from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import colours
from proxy.visitor.style import preference_css
from proxy.visitor.toolbar import NEXT_STAND_IN, ORIGINAL_STAND_IN, render_toolbar

BASE, PREFS, TOOLBAR = "base", "prefs", "toolbar"
KINDS = (BASE, PREFS, TOOLBAR)
_TOKEN = f"a11y-hole-{secrets.token_hex(8)}-"
#: a legacy `<font size>`, as its CSS keyword, for the rules that scale it above 100 %
FONT_ATTRIBUTE = "data-a11y-font"
#: what a table or cell with a fixed size gives up above 100 % (words: w, nowrap, frame)
YIELD_ATTRIBUTE = "data-a11y-yield"
FRAME_VAR = "--a11y-frame"  #: a page-frame table's own width, its max-width above 100 %
#: Chromium's UA sheet gives form controls a fixed 13.333px that the root size does not reach
FORM_CONTROL_PX = 40 / 3
CSS_CACHE = 256  #: preference sets whose texts are kept


def content_prefs(prefs: Preferences) -> Preferences:
    """The part of the preferences the rewrite itself depends on, and the page cache keys on:
    the view, pinyin and the 简/繁 script, which change the content. A new preference that
    changes the content (not only its CSS) belongs here too; everything else is spliced."""
    return Preferences(view=prefs.view, pinyin=prefs.pinyin, script=prefs.script)


def placeholder(kind: str) -> str:
    """The text put where a hole is (a style's text, a comment's text for the toolbar)."""
    return f"{_TOKEN}{kind}"


def _marker(kind: str) -> bytes:
    text = placeholder(kind)
    return (f"<!--{text}-->" if kind == TOOLBAR else text).encode()


@dataclass(frozen=True)
class Template:
    """A rewritten page without the visitor's preferences, and what filling it needs."""

    body: bytes  #: the serialized page with the holes cut out
    holes: tuple[tuple[int, str], ...] = ()  #: (offset in body, kind), ascending
    next_path: str = "/"  #: the page's path on the proxy (the toolbar's `next=`)
    original_url: str | None = None  #: the toolbar's link to the original page
    prefix: str = "/_a11y/"
    scaled: bool = True  #: the page's sizes follow the text step (EnlargeFonts ran)
    floored: bool = True  #: the contrast floor ran (its switches need the base hole)

    def meta(self) -> str:
        """Everything but the body, as one line (kept next to the body in a cache entry)."""
        return json.dumps([self.holes, self.next_path, self.original_url, self.prefix,
                           self.scaled, self.floored], separators=(",", ":"))

    @classmethod
    def from_meta(cls, body: bytes, meta: str) -> Template:
        holes, next_path, original, prefix, scaled, floored = json.loads(meta)
        return cls(body, tuple((int(at), str(kind)) for at, kind in holes), next_path,
                   original, prefix, bool(scaled), bool(floored))


def make_template(html: bytes, next_path: str = "/", original_url: str | None = None,
                  prefix: str = "/_a11y/", scaled: bool = True,
                  floored: bool = True) -> Template:
    """Cut the holes out of a serialized page."""
    found = []
    for kind in KINDS:
        marker = _marker(kind)
        at = html.find(marker)
        while at != -1:
            found.append((at, kind, len(marker)))
            at = html.find(marker, at + len(marker))
    found.sort()
    pieces, holes, last = [], [], 0
    removed = 0
    for at, kind, length in found:
        pieces.append(html[last:at])
        holes.append((at - removed, kind))
        removed += length
        last = at + length
    pieces.append(html[last:])
    return Template(b"".join(pieces), tuple(holes), next_path, original_url, prefix, scaled,
                    floored)


def splice(template: Template, prefs: Preferences) -> bytes:
    """The page for `prefs`: the template's bytes with the three texts made for them."""
    if not template.holes:
        return template.body
    out, last = [], 0
    body = template.body
    for at, kind in template.holes:
        out.append(body[last:at])
        out.append(fill(kind, prefs, template))
        last = at
    out.append(body[last:])
    return b"".join(out)


def fill(kind: str, prefs: Preferences, template: Template) -> bytes:
    if kind == BASE:
        return base_css(prefs, template.scaled, template.floored).encode()
    if kind == PREFS:
        return preference_css(prefs, template.prefix).encode()
    return toolbar_html(prefs, template.next_path, template.prefix,
                        template.original_url).encode()


@lru_cache(maxsize=CSS_CACHE)
def base_css(prefs: Preferences, scaled: bool = True, floored: bool = True) -> str:
    """The base hole: the switches on `:root` for `prefs`, and above 100 % the rules for text
    the page does not size itself (before the site's CSS, so its own rules still win)."""
    switches = []
    if floored:
        switches.append(f"{SCHEME_VAR if colours(prefs.scheme) else FLOOR_VAR}: ")
    factor = prefs.text / 100
    big = scaled and factor != 1
    if big:
        switches += [f"{TEXT_VAR}:{factor:g}", f"{AUTO_VAR}:auto", f"{WRAP_VAR}:normal",
                     f"{ON_VAR}:1", f"{UNCAP_VAR}:0px"]
        switches += [f"{KEYWORD_VAR}{k}:{scaled_px(px, factor)}" for k, px in KEYWORD_PX.items()]
    css = f":root{{{';'.join(switches)}}}" if switches else ""
    return css + big_text_css(factor) if big else css


def big_text_css(factor: float) -> str:
    """Above 100 %: unsized text, form controls and boxes that must let bigger text wrap."""
    fonts = "".join(f":where([{FONT_ATTRIBUTE}={k}]){{font-size:var({KEYWORD_VAR}{k})!important}}"
                    for k in KEYWORD_PX)
    return (
        f"html{{font-size:{factor * 100:g}%}}"
        f"input,select,textarea,button{{font-size:{scaled_px(FORM_CONTROL_PX, factor)}}}"
        # a radio button or check box is drawn at a fixed 13 px whatever its font size
        "input[type=radio],input[type=checkbox]{width:1em;height:1em}"
        # a select is as wide as its longest option: a row of them would push the page wide
        "img,input,textarea{max-width:100%}img{height:auto}select{max-width:15em}"
        "pre{white-space:pre-wrap}"
        # `anywhere` (unlike break-word) also narrows auto tables: a long URL wraps instead of
        # widening its layout table past the window
        "body{overflow-wrap:anywhere}"
        # what an inline style would do: zero specificity and `!important` beat every normal
        # rule of the site and yield to its `!important` ones, as an inline declaration does;
        # a removed HTML width or nowrap lets the site's rules (or inheritance) decide
        + fonts
        + f":where([{YIELD_ATTRIBUTE}~=w]){{width:auto}}"
        f":where([{YIELD_ATTRIBUTE}~=nowrap]){{white-space:inherit}}"
        f":where([{YIELD_ATTRIBUTE}~=frame]){{width:100%!important;"
        f"max-width:var({FRAME_VAR})!important}}")


def toolbar_html(prefs: Preferences, next_path: str, prefix: str = "/_a11y/",
                 original_url: str | None = None) -> str:
    """Our toolbar for `prefs` on the page at `next_path` (rendered once per preference set)."""
    with_original = bool(original_url and original_url.startswith(("http://", "https://")))
    html = _toolbar(prefs, prefix, with_original, speech_available()).replace(NEXT_STAND_IN,
                                                          quote(next_path, safe=""))
    if with_original:
        html = html.replace(ORIGINAL_STAND_IN, escape(original_url or ""))
    return html


@lru_cache(maxsize=CSS_CACHE)
def _toolbar(prefs: Preferences, prefix: str, with_original: bool, listen: bool) -> str:
    # `listen`: whether the speech engine is there (the 朗读 link), part of the key only
    # stripped as parsing it into the page strips it: the spliced page is byte for byte the
    # page rewritten for `prefs` (tests/visitor/test_splice.py)
    return render_toolbar(prefs, NEXT_STAND_IN, prefix,
                          ORIGINAL_STAND_IN if with_original else None).strip()
