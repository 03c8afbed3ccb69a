"""Which CSS values the size rewrite may touch, and which declarations a browser would accept.

A declaration the browser would drop as invalid must stay as written: with `var()` in it the
browser would no longer drop it but reset the property (css/fonts.py asks here first).
"""

from __future__ import annotations

from tinycss2.ast import (
    DimensionToken,
    IdentToken,
    LiteralToken,
    Node,
    NumberToken,
    PercentageToken,
    StringToken,
)

#: the `font` shorthand's words before the size (style, variant, weight, stretch)
FONT_PREFIX_WORDS = frozenset({
    "normal", "italic", "oblique", "small-caps", "bold", "bolder", "lighter",
    "ultra-condensed", "extra-condensed", "condensed", "semi-condensed", "semi-expanded",
    "expanded", "extra-expanded", "ultra-expanded"})
CSS_WIDE = frozenset({"inherit", "initial", "unset", "revert", "revert-layer", "default"})


def valid_sized(name: str, tokens: list[Node], relative: bool) -> bool:
    """Whether the browser keeps the declaration (only those are rewritten, see the module
    docstring): one length (text-indent: and its keywords), or a whole `font` shorthand."""
    value = significant(tokens)
    if name == "font":
        return valid_font(value)
    if not value or not scalable(value[0], name == "font-size", relative):
        return False
    if name in NON_NEGATIVE and negative(value[0]):
        return False
    if name == "text-indent":
        return all(isinstance(t, IdentToken) and t.lower_value in ("hanging", "each-line")
                   for t in value[1:])
    return len(value) == 1


def negative(token: Node) -> bool:
    return isinstance(token, (DimensionToken, PercentageToken, NumberToken)) and token.value < 0


def valid_font(value: list[Node]) -> bool:
    """`[style|variant|weight|stretch]* size[/line-height] family[, family]*`."""
    at = 0
    while at < len(value) and (
            isinstance(value[at], IdentToken) and value[at].lower_value in FONT_PREFIX_WORDS
            or isinstance(value[at], NumberToken) and 1 <= value[at].value <= 1000):
        at += 1
    if at >= len(value) or not isinstance(value[at], (DimensionToken, PercentageToken,
                                                      IdentToken)):
        return False
    size = value[at]
    if isinstance(size, IdentToken) and size.lower_value not in KEYWORD_PX \
            and size.lower_value not in ("larger", "smaller"):
        return False
    if negative(size):
        return False
    at += 1
    if at < len(value) and isinstance(value[at], LiteralToken) and value[at].value == "/":
        at += 2
        if at > len(value) or not isinstance(value[at - 1], (
                NumberToken, DimensionToken, PercentageToken, IdentToken)):
            return False
    families = value[at:]
    if not families:
        return False
    part: list[Node] = []
    for token in [*families, LiteralToken(0, 0, ",")]:
        if isinstance(token, LiteralToken) and token.value == ",":
            if not part or len(part) > 1 and not all(isinstance(t, IdentToken) for t in part) \
                    or isinstance(part[0], IdentToken) and part[0].lower_value in CSS_WIDE \
                    or not isinstance(part[0], (IdentToken, StringToken)):
                return False
            part = []
        else:
            part.append(token)
    return True


def significant(tokens: list[Node]) -> list[Node]:
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def single_ident(tokens: list[Node]) -> str | None:
    value = significant(tokens)
    return value[0].lower_value if len(value) == 1 and isinstance(value[0], IdentToken) else None
#: units of absolute length that text sizes are written in on legacy pages
SCALED_UNITS = frozenset({"px", "pt"})
#: CSS absolute-size keywords in px at the default 16 px medium (CSS Fonts 4, §2.5); they do
#: not follow the root font size, so above 100 % they are turned into scaled px
KEYWORD_PX = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
              "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
#: of those, the ones that take no negative length
NON_NEGATIVE = frozenset({"font-size", "line-height", "max-height"})
#: relative units scaled too when the rule styles the root element (`html{font-size:62.5%}`
#: would otherwise replace our root size and leave every rem-sized text as it was)
ROOT_RELATIVE_UNITS = frozenset({"em", "rem"})


def scalable(token: Node, keywords: bool, relative: bool) -> bool:
    if isinstance(token, DimensionToken):
        return token.lower_unit in SCALED_UNITS or relative and \
            token.lower_unit in ROOT_RELATIVE_UNITS
    if isinstance(token, PercentageToken):
        return relative
    return keywords and isinstance(token, IdentToken) and token.lower_value in KEYWORD_PX
