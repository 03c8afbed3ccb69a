"""A contrast floor for the site's own colours (the default scheme keeps the site's look).

Legacy pages write grey dates (`color:#999`, 2.85:1 on white) and pure red notices (`#ff0000`,
4.0:1). The floor moves such a text colour's lightness, keeping its hue and saturation, until it
reaches `TARGET_RATIO` (4.6, a margin over WCAG 1.4.3's 4.5:1) against its background; when no
lightness is enough it becomes black or white, whichever contrasts more.

Which background? Only what is *declared next to the colour* is known for sure:

- a CSS rule or `style=""` that declares both `color` and a background colour: that colour (the
  text is darkened on a light background, lightened on a dark one);
- in HTML, the nearest `bgcolor`/`style` background of the element or an ancestor (`<font
  color>` in a `<td bgcolor>`);
- a declared background *image* (or gradient): the text sits on a picture we cannot see, so
  the colour is left alone.

Without a known background the page's background is assumed light (legacy pages are dark text on
white or a light-grey panel, `ASSUMED_BACKGROUND`), but a colour is only touched when it is
*ambiguous*: readable neither on white nor clearly meant for a dark bar. Light text is very often
meant for a dark background declared elsewhere (white menu text on a red bar set on a parent,
a yellow `#ffcc00` link on a blue header), and darkening it would make it unreadable there. So:

- light text (contrast with white below `LIGHT_TEXT_RATIO`, 2.0: white, #ccc, #bbb, the yellow
  #ffcc00, the light blues #99ccff and #00ccff) is never touched without a known background:
  those are the colours of menu bars and headers; the greys of dates and sources (#999, #aaa)
  and pure red notices lie above it and are corrected;
- a CSS rule whose selector names a compound that another rule of the same stylesheet gives a
  dark background (`.nav{background:#c00}` … `.nav a{color:#ccc}`) is not touched either;
- text that is practically invisible on its declared background (ratio below
  `HIDDEN_TEXT_RATIO`) is hidden on purpose and stays hidden.

The floor is idempotent: a colour it produced already meets `MIN_RATIO`, so a second pass
changes nothing.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable
from typing import NamedTuple

from tinycss2.ast import Declaration, FunctionBlock, Node, QualifiedRule, URLToken
from tinycss2.color3 import parse_color

MIN_RATIO = 4.5  #: WCAG 1.4.3 (AA) for normal text
TARGET_RATIO = 4.6  #: what a corrected colour reaches (margin for rounding and panels)
LIGHT_TEXT_RATIO = 2.0  #: below this against white, text is meant for a dark background
HIDDEN_TEXT_RATIO = 1.1  #: below this against its own background, text is hidden on purpose
ASSUMED_BACKGROUND = (0xF2 / 255,) * 3  #: white or a light-grey panel (#f7f7f7, #f5f5f5, #f2f2f2)
WHITE = (1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0)
BACKGROUND_PROPERTIES = frozenset({"background", "background-color"})
IMAGE_FUNCTIONS = frozenset({"url", "linear-gradient", "radial-gradient", "conic-gradient",
                             "repeating-linear-gradient", "repeating-radial-gradient",
                             "image-set", "-webkit-gradient", "-webkit-linear-gradient"})
SEARCH_STEPS = 20  #: binary-search steps on lightness (2**-20: far below one 8-bit level)

RGB = tuple[float, float, float]


class Background(NamedTuple):
    """What is known about the background behind some text."""
    color: RGB | None = None  #: a declared opaque colour
    image: bool = False  #: a declared image or gradient: the text sits on a picture


UNKNOWN = Background()


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels in 0..1."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio, 1..21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(rgb: RGB) -> bool:
    """Dark enough that light text reads better on it than dark text."""
    return contrast(rgb, WHITE) > contrast(rgb, BLACK)


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def parse_rgb(value: str | Node) -> RGB | None:
    """An opaque colour from CSS text or a token (`#999`, `red`, `rgb()`), or from a legacy HTML
    attribute (`999999` without `#`); None for anything else (transparent, currentColor, …)."""
    color = parse_color(value)
    if color is None and isinstance(value, str):
        bare = value.strip()
        if len(bare) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in bare):
            color = parse_color("#" + bare)
    if color is None or isinstance(color, str) or color.alpha < 1:
        return None
    return (color.red, color.green, color.blue)


def adjusted(text: RGB, background: RGB, target: float = TARGET_RATIO) -> RGB:
    """`text` with its lightness moved (hue and saturation kept) until it reaches `target`
    against `background`; black or white when no lightness is enough."""
    hue, light, sat = colorsys.rgb_to_hls(*text)
    darken = not is_dark(background)
    low, high = (0.0, light) if darken else (light, 1.0)
    for _ in range(SEARCH_STEPS):  # keep the invariant: the far end always meets the target
        mid = (low + high) / 2
        meets = contrast(colorsys.hls_to_rgb(hue, mid, sat), background) >= target
        if darken:
            low, high = (low, mid) if not meets else (mid, high)
        else:
            low, high = (mid, high) if not meets else (low, mid)
    best = colorsys.hls_to_rgb(hue, low if darken else high, sat)
    rounded = tuple(round(c * 255) / 255 for c in best)
    if contrast(rounded, background) >= MIN_RATIO:
        return rounded
    return max((BLACK, WHITE), key=lambda c: contrast(c, background))


def floor_color(text: RGB, background: Background = UNKNOWN,
                dark_context: bool = False) -> RGB | None:
    """The colour `text` should become, or None to leave it (see the module docstring)."""
    if background.image:
        return None
    if background.color is not None:
        ratio = contrast(text, background.color)
        if ratio >= MIN_RATIO or ratio < HIDDEN_TEXT_RATIO:
            return None
        return adjusted(text, background.color)
    if dark_context or contrast(text, WHITE) < LIGHT_TEXT_RATIO:
        return None
    if contrast(text, ASSUMED_BACKGROUND) >= MIN_RATIO:
        return None
    return adjusted(text, ASSUMED_BACKGROUND)


def floor_value(value: str, background: Background = UNKNOWN,
                dark_context: bool = False) -> str | None:
    """A colour attribute's new value (`#rrggbb`), or None to keep it."""
    rgb = parse_rgb(value)
    new = None if rgb is None else floor_color(rgb, background, dark_context)
    return None if new is None else to_hex(new)


def declared_background(nodes: Iterable[Node]) -> Background:
    """The background a declaration block declares itself (the last one wins, as in CSS)."""
    found = UNKNOWN
    for node in nodes:
        if isinstance(node, Declaration) and node.lower_name in BACKGROUND_PROPERTIES:
            found = _background_of(node.value, found)
    return found


def _background_of(tokens: list[Node], before: Background) -> Background:
    color, image = None, False
    for token in tokens:
        if isinstance(token, URLToken) or (
                isinstance(token, FunctionBlock) and token.lower_name in IMAGE_FUNCTIONS):
            image = True
        elif token.type not in ("whitespace", "comment") and color is None:
            color = parse_rgb(token)
    if color is None and not image:
        return before  # `background: none` / `inherit`: nothing learnt
    return Background(color, image)


def block_fixes(nodes: list[Node], dark_context: bool = False,
                inherited: Background = UNKNOWN) -> dict[int, str]:
    """The `color` declarations of one block that need the floor: index -> new declaration.
    The block's own background wins over `inherited` (an HTML ancestor's)."""
    colours = [i for i, node in enumerate(nodes)
               if isinstance(node, Declaration) and node.lower_name == "color"]
    if not colours:
        return {}
    background = declared_background(nodes)
    if background == UNKNOWN:
        background = inherited
    fixes = {}
    for index in colours:
        decl = nodes[index]
        value = [t for t in decl.value if t.type not in ("whitespace", "comment")]
        rgb = parse_rgb(value[0]) if len(value) == 1 else None
        new = None if rgb is None else floor_color(rgb, background, dark_context)
        if new is not None:
            important = " !important" if decl.important else ""
            fixes[index] = f"{decl.name}:{to_hex(new)}{important}"
    return fixes


PAGE_SELECTORS = frozenset({"html", "body", ":root"})


def in_dark_context(selector: str, dark: frozenset[str]) -> bool:
    """Whether a rule's text probably sits on a dark background another rule declares: one of
    its compounds (`.nav` in `.nav a`) has one, or the whole page (`body`) has one."""
    if not dark:
        return False
    spaced = selector.lower().replace(">", " ").replace("+", " ").replace("~", " ")
    names = {c for part in spaced.split(",") for c in part.split()}
    return not names.isdisjoint(dark) or not dark.isdisjoint(PAGE_SELECTORS)


def dark_compounds(rules: Iterable[Node]) -> frozenset[str]:
    """The last compounds of rules that declare a dark background colour (`.nav` from
    `.nav{background:#c00}`); only rules that mention a background are parsed."""
    import tinycss2  # local: the module's pure colour maths needs no parser

    dark = set()
    for rule in rules:
        if not isinstance(rule, QualifiedRule) or not any(
                getattr(t, "lower_value", "").startswith("background") for t in rule.content):
            continue
        nodes = tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                               skip_whitespace=True)
        color = declared_background(nodes).color
        if color is not None and is_dark(color):
            selector = tinycss2.serialize(rule.prelude).lower()
            dark.update(part.split()[-1] for part in
                        selector.replace(">", " ").split(",") if part.split())
    return frozenset(dark)
