"""The colour schemes a visitor can choose: the one registry.

Adding a scheme is one entry here (and its contrast is checked by tests/visitor/test_schemes.py):
the preference values, the toolbar and settings choices, the help page (zh/en) and the
stylesheet are all made from this tuple.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    key: str  #: the value in links and the cookie (`scheme=yellow`)
    label: str  #: Chinese name shown in the toolbar and on the help page
    label_en: str  #: English name on the help page
    fg: str | None = None  #: text (and borders, focus ring); None: the site's own colours
    bg: str | None = None  #: every background
    link: str | None = None  #: links (always underlined in a scheme: colour is never the only cue)

    @property
    def overrides_colours(self) -> bool:
        return self.fg is not None


#: every scheme but the site's own has text and link contrast >= 7:1 (WCAG AAA 1.4.6)
SCHEMES: tuple[Scheme, ...] = (
    Scheme("default", "原色", "site colours"),
    Scheme("contrast", "黑白高对比", "black on white", "#000000", "#ffffff", "#0000cc"),
    Scheme("yellow", "黄字黑底", "yellow on black", "#ffff00", "#000000", "#00ffff"),
    Scheme("blue", "白字蓝底", "white on blue", "#ffffff", "#003399", "#ffff00"),
    Scheme("cream", "黑字米色", "black on cream", "#000000", "#fdf6e3", "#00008b"),
)
BY_KEY = {s.key: s for s in SCHEMES}
KEYS = tuple(BY_KEY)
DEFAULT = SCHEMES[0].key


def colours(key: str) -> Scheme | None:
    """The scheme that replaces the site's colours, or None for the site's own (the default
    scheme, where the contrast floor applies instead)."""
    scheme = BY_KEY.get(key)
    return scheme if scheme is not None and scheme.overrides_colours else None
