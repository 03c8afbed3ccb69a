"""The stylesheet that makes a visitor's preferences real: colours, spacing, pointer, links, views.

Generated per preference set (a frozen, hashable value, so it is cached) and inserted inline by
the OurToolbar transform after every site stylesheet. Site colours are overridden with
`!important` on every element, because legacy pages set colours everywhere (`<font color>`,
`bgcolor`, inline styles) and one forgotten element would be unreadable.
Text size itself belongs to the EnlargeFonts transform; only our toolbar's size is set here.
"""

from __future__ import annotations

from functools import lru_cache

from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import colours

TOOLBAR_BASE_PX = 14  #: toolbar text at 100 % is max(this scaled, TOOLBAR_MIN_PX)
TOOLBAR_MIN_PX = 18  #: the MIIT elder rules ask for >= 18 px main text; our controls too
CURSOR_URL = "static/cursor.svg"  #: under our prefix; a 64 px arrow
POINTER_URL = "static/pointer.svg"  #: a 64 px hand for links and controls
CONTROLS = "a[href], button, input[type=submit], input[type=button], input[type=image], " \
           "input[type=checkbox], input[type=radio], select, summary, label"

SCHEME_CSS = """html, body, body * {{ color: {fg} !important; background-color: {bg} !important;
  background-image: none !important; border-color: {fg} !important;
  text-shadow: none !important; box-shadow: none !important; }}
body a, body a * {{ color: {link} !important; text-decoration: underline !important; }}
body input, body select, body textarea, body button {{ border: 2px solid {fg} !important; }}
body ::placeholder {{ color: {fg} !important; opacity: 1 !important; }}
body *:focus {{ outline: 3px solid {fg} !important; outline-offset: 2px !important; }}
"""
#: WCAG 1.4.12: line height 1.5, paragraph spacing 2x, letter 0.12em, word 0.16em
SPACING_CSS = """body, body * { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; }
body p { margin-bottom: 2em !important; }
"""
CURSOR_CSS = """html, body, body * {{ cursor: url({cursor}) 6 2, auto !important; }}
{controls} {{ cursor: url({pointer}) 22 4, pointer !important; }}
"""
UNDERLINE_CSS = "body a[href], body a[href] * { text-decoration: underline !important; }\n"
#: default scheme: links in running text (marked by ContrastFloor, heuristics/textlinks.py) are
#: underlined, so colour is not the only thing that tells them from the text (WCAG 1.4.1)
TEXT_LINK_CSS = "body a.a11y-text-link { text-decoration: underline !important; }\n"
#: text-only and reading views: one column; layout tables (marked by ReadingViews) become blocks.
#: Notes that are read but not shown (`a11y-visually-hidden`, semantics/shared.py) keep their
#: absolute position: static, their 1 px box no longer hides them
LINEAR_CSS = """body *:not(.a11y-visually-hidden) { float: none !important;
  position: static !important; max-width: 100% !important; background-image: none !important; }
body { max-width: 60em !important; margin: 0 auto !important; padding: 0 1em !important; }
table.a11y-linear, table.a11y-linear > * , table.a11y-linear > * > tr,
table.a11y-linear > * > tr > td, table.a11y-linear > * > tr > th {
  display: block !important; width: auto !important; height: auto !important; }
.a11y-alt { font-style: italic; }
a.a11y-speak { text-decoration: underline !important; margin-left: 0.5em; white-space: nowrap; }
"""

#: pinyin (PinyinRuby): the reading small above its character, lines open enough for it
PINYIN_CSS = """body ruby.a11y-pinyin { ruby-position: over; line-height: 2.4; }
body ruby.a11y-pinyin rt { font-size: 0.55em; letter-spacing: 0; word-spacing: 0;
  text-decoration: none; }
"""


def toolbar_px(prefs: Preferences) -> int:
    return max(TOOLBAR_MIN_PX, int(TOOLBAR_BASE_PX * prefs.text / 100 + 0.5))


@lru_cache(maxsize=256)
def preference_css(prefs: Preferences, prefix: str = "/_a11y/") -> str:
    """The CSS for `prefs` (toolbar size always; the rest only when chosen)."""
    size = toolbar_px(prefs)
    parts = [f"#a11y-toolbar, .a11y-skip {{ font-size: {size}px !important; }}\n"]
    scheme = colours(prefs.scheme)
    if scheme is not None:
        parts.append(SCHEME_CSS.format(fg=scheme.fg, bg=scheme.bg, link=scheme.link))
    else:
        parts.append(TEXT_LINK_CSS)
    if prefs.spacing:
        parts.append(SPACING_CSS)
    if prefs.cursor:
        parts.append(CURSOR_CSS.format(cursor=prefix + CURSOR_URL, pointer=prefix + POINTER_URL,
                                       controls=", ".join(f"body {c.strip()}" for c in
                                                          CONTROLS.split(","))))
    if prefs.underline:
        parts.append(UNDERLINE_CSS)
    if prefs.view != "normal":
        parts.append(LINEAR_CSS)
    if prefs.pinyin:
        parts.append(PINYIN_CSS)
    return "".join(parts)
