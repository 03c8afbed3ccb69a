"""Make a page's own CSS honour the visitor's text size: scale fixed font sizes, let boxes yield.

Legacy pages fix every size in `px` (`body{font-size:12px}`), so neither the browser's text
zoom nor a root `font-size` reaches them. At a text step above 100 % each declaration block is
rewritten through tinycss2 (a real CSS parser, never regular expressions over CSS structure):

- `font-size`, the `font` shorthand, `line-height`, `letter-spacing`, `text-indent`, `max-height`
  in `px`/`pt`, and the absolute size keywords (`small`, …), are multiplied by the factor;
- a fixed `width` becomes `max-width` (the box may narrow, the text wraps instead of spilling),
  a fixed `height` becomes `min-height` (the box grows with its text instead of clipping it),
  `white-space:nowrap` becomes `normal` — except on replaced elements (images keep their box).

Blocks with nothing to change keep their original text. At factor 1 no size is touched.

The same single pass applies the contrast floor (proxy/css/contrast.py) when asked (`floor=True`,
the default colour scheme): each block's `color` is checked against the background the rule
declares, so a stylesheet is parsed once for both jobs. Results are cached by text, since every
page of a site repeats the same stylesheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import tinycss2
from tinycss2.ast import (
    AtRule,
    Declaration,
    DimensionToken,
    IdentToken,
    Node,
    ParseError,
    PercentageToken,
    QualifiedRule,
)

from proxy.css.contrast import block_fixes, dark_compounds, in_dark_context

#: units of absolute length that text sizes are written in on legacy pages
SCALED_UNITS = frozenset({"px", "pt"})
#: CSS absolute-size keywords in px at the default 16 px medium (CSS Fonts 4, §2.5); they do
#: not follow the root font size, so they are turned into scaled px
KEYWORD_PX = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
              "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
#: properties whose px/pt values (and size keywords) are multiplied by the factor
SCALED_PROPERTIES = frozenset({"font-size", "font", "line-height", "letter-spacing",
                               "text-indent", "max-height"})
#: below this a fixed width is an icon or a rule line, not a text box: keep it exact
MIN_YIELDING_WIDTH_PX = 40.0
#: elements whose fixed box is their picture, not a text container
REPLACED_TAGS = frozenset({"img", "video", "iframe", "embed", "object", "canvas", "svg",
                           "image", "picture"})
#: relative units scaled too when the rule styles the root element (`html{font-size:62.5%}`
#: would otherwise replace our root size and leave every rem-sized text as it was)
ROOT_RELATIVE_UNITS = frozenset({"em", "rem"})
ROOT_SELECTORS = frozenset({"html", ":root"})
#: at-rules whose blocks hold ordinary style rules (others, e.g. @font-face, stay as they are)
NESTING_AT_RULES = frozenset({"media", "supports", "document", "-moz-document", "layer",
                              "container", "scope"})
STYLESHEET_CACHE_SIZE = 256  #: rewritten stylesheets kept (keyed by text, factor, floor)
STYLE_ATTRIBUTE_CACHE_SIZE = 4096  #: rewritten style attributes kept (short strings)
NO_FLOOR: frozenset[str] | None = None  #: `dark` argument meaning "no contrast floor"


def scale_stylesheet(css: str, factor: float, floor: bool = False) -> str:
    """A whole stylesheet (a `<style>` element or a linked `.css`) rewritten for `factor`, and
    with the contrast floor when `floor`."""
    if (factor == 1 and not floor) or not css.strip():
        return css
    return _rewrite_stylesheet(css, factor, floor)


@lru_cache(maxsize=STYLESHEET_CACHE_SIZE)
def _rewrite_stylesheet(css: str, factor: float, floor: bool) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    return _serialize_rules(rules, factor, dark_compounds(rules) if floor else NO_FLOOR)


def scale_style_attribute(style: str, factor: float, tag: str = "") -> str:
    """A `style="…"` attribute rewritten for `factor` (unchanged text if nothing applies)."""
    if factor == 1 or not style.strip():
        return style
    return _rewrite_style_attribute(style, factor, tag in REPLACED_TAGS)


@lru_cache(maxsize=STYLE_ATTRIBUTE_CACHE_SIZE)
def _rewrite_style_attribute(style: str, factor: float, replaced: bool) -> str:
    """Cached: a pure function of its arguments, and pages repeat the same few inline styles
    on every row (uncached, each of them would be parsed anew)."""
    nodes = tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True)
    rewritten = _rewrite_block(nodes, factor, replaced=replaced)
    return style if rewritten is None else rewritten


def scaled_px(px: float, factor: float) -> str:
    """`px` times `factor` as a CSS length, e.g. `scaled_px(12, 2) == "24px"`."""
    return f"{_number(px * factor)}px"


def _serialize_rules(rules: Iterable[Node], factor: float,
                     dark: frozenset[str] | None = NO_FLOOR) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, QualifiedRule) and rule.content is not None:
            out.append(_rewrite_qualified(rule, factor, dark))
        elif (isinstance(rule, AtRule) and rule.content is not None
              and rule.lower_at_keyword in NESTING_AT_RULES):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=False,
                                             skip_whitespace=False)
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                       f"{{{_serialize_rules(inner, factor, dark)}}}")
        elif not isinstance(rule, ParseError):  # invalid rules are dropped, as browsers do
            out.append(rule.serialize())
    return "".join(out)


def _rewrite_qualified(rule: QualifiedRule, factor: float,
                       dark: frozenset[str] | None = NO_FLOOR) -> str:
    nodes = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
    selector = tinycss2.serialize(rule.prelude)
    tags = _last_compound_tags(selector)
    fixes = None if dark is None else block_fixes(nodes, in_dark_context(selector, dark))
    block = _rewrite_block(nodes, factor, replaced=tags <= REPLACED_TAGS,
                           root=tags <= ROOT_SELECTORS, fixes=fixes, dark=dark)
    if block is None:
        return rule.serialize()
    return f"{tinycss2.serialize(rule.prelude)}{{{block}}}"


def _last_compound_tags(selector: str) -> set[str]:
    """The element each selector of the list ends in: `.logo img, p` -> {"img", "p"};
    a compound without a type selector yields "" (or ":root" for `:root`)."""
    return {_last_compound_tag(s) for s in selector.lower().split(",")}


def _last_compound_tag(selector: str) -> str:
    last = selector.replace(">", " ").replace("+", " ").replace("~", " ").split()
    if not last:
        return ""
    compound = last[-1]
    if compound == ":root":
        return compound
    end = len(compound)
    for mark in ".#[:":
        pos = compound.find(mark)
        if pos != -1:
            end = min(end, pos)
    return compound[:end]


def _rewrite_block(nodes: list[Node], factor: float, replaced: bool = False,
                   root: bool = False, fixes: dict[int, str] | None = None,
                   dark: frozenset[str] | None = NO_FLOOR) -> str | None:
    """The block's declarations rewritten (sizes scaled unless `factor` is 1; `fixes` from the
    contrast floor, by node index), or None when nothing in it changes."""
    out: list[str] = []
    changed = False
    for index, node in enumerate(nodes):
        if isinstance(node, Declaration):
            new = fixes.get(index) if fixes else None
            if new is None and factor != 1:
                new = _rewrite_declaration(node, factor, replaced, root)
            changed = changed or new is not None
            out.append(new if new is not None else node.serialize())
        elif isinstance(node, (QualifiedRule, AtRule)):  # CSS nesting: recurse
            text = _serialize_rules([node], factor, dark)
            changed = changed or text != node.serialize()
            out.append(text)
        # parse errors (IE hacks such as `*zoom:1`) are dropped: browsers ignore them too
    return ";".join(out) if changed else None


def _rewrite_declaration(decl: Declaration, factor: float, replaced: bool,
                         root: bool) -> str | None:
    name = decl.lower_name
    important = " !important" if decl.important else ""
    if name in SCALED_PROPERTIES:
        sizes = name in ("font-size", "font")
        value = _scale_tokens(decl.value, factor, keywords=sizes, relative=sizes and root)
        return None if value is None else f"{decl.name}:{value}{important}"
    if replaced:
        return None
    if name == "width" and (px := _single_px(decl.value)) is not None \
            and px >= MIN_YIELDING_WIDTH_PX:
        return f"width:auto{important};max-width:{_number(px)}px{important}"
    if name == "height" and (px := _single_px(decl.value)) is not None:
        return f"height:auto{important};min-height:{_number(px)}px{important}"
    if name == "white-space" and _single_ident(decl.value) == "nowrap":
        return f"white-space:normal{important}"
    return None


def _scale_tokens(tokens: list[Node], factor: float, keywords: bool,
                  relative: bool = False) -> str | None:
    """The value with every px/pt length (and size keyword; and %/em/rem when `relative`)
    scaled; None if there was nothing to scale."""
    out = []
    changed = False
    for token in tokens:
        if isinstance(token, DimensionToken) and (
                token.lower_unit in SCALED_UNITS
                or relative and token.lower_unit in ROOT_RELATIVE_UNITS):
            out.append(f"{_number(token.value * factor)}{token.lower_unit}")
            changed = True
        elif relative and isinstance(token, PercentageToken):
            out.append(f"{_number(token.value * factor)}%")
            changed = True
        elif keywords and isinstance(token, IdentToken) and token.lower_value in KEYWORD_PX:
            out.append(scaled_px(KEYWORD_PX[token.lower_value], factor))
            changed = True
        else:
            out.append(token.serialize())
    return "".join(out).strip() if changed else None


def _significant(tokens: list[Node]) -> list[Node]:
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _single_px(tokens: list[Node]) -> float | None:
    value = _significant(tokens)
    if len(value) == 1 and isinstance(value[0], DimensionToken) and value[0].lower_unit == "px":
        return float(value[0].value)
    return None


def _single_ident(tokens: list[Node]) -> str | None:
    value = _significant(tokens)
    return value[0].lower_value if len(value) == 1 and isinstance(value[0], IdentToken) else None


def _number(value: float) -> str:
    """A CSS number without float noise: 24.0 -> "24", 16.6666 -> "16.667"."""
    return f"{value:.3f}".rstrip("0").rstrip(".")
