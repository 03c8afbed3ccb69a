"""Make a page's own CSS honour the visitor's text size, written once for every visitor.

Legacy pages fix every size in `px` (`body{font-size:12px}`), so neither the browser's text
zoom nor a root `font-size` reaches them. Each declaration block is rewritten through tinycss2
(a real CSS parser, never regular expressions over CSS structure) into a form that custom
properties switch, so one rewritten stylesheet serves every preference set (issue 18); the
properties are set on `:root` by the preference splice (proxy/visitor/splice.py, `SWITCHES`):

- `font-size`, the `font` shorthand, `line-height`, `letter-spacing`, `text-indent`, `max-height`
  in `px`/`pt` become `calc(12px * var(--a11y-text, 1))`; the absolute size keywords (`small`,
  …) become `var(--a11y-fs-small, small)` (a keyword does not follow the root size, so above
  100 % the splice gives it a scaled px value; at 100 % it stays the keyword);
- a fixed `width` yields above 100 % (`width:var(--a11y-auto, 300px)` plus a `max-width` that only
  caps then), a fixed `height` grows (`min-height`), `white-space:nowrap` wraps — except on
  replaced elements (images keep their box).

A declaration the browser would drop as invalid is left as it is: with a var() in it, it would
instead be invalid at computed-value time and reset the property, which is not what the page
did. Blocks with nothing to change keep their original text.

The same single pass applies the contrast floor (proxy/css/contrast.py) when asked (`floor=True`):
each block's `color` is checked against the background the rule declares, so a stylesheet is
parsed once for both jobs. A floored colour is written as is where a colour scheme's
`!important` overrides it anyway, and as a switch (`floor_switch`) where the site's own colour
would survive a scheme (`!important`, pseudo-elements). Results are cached by text, since every
page of a site repeats the same stylesheets.
"""

from __future__ import annotations

import re
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
    QualifiedRule,
)

from proxy.css.contrast import block_fixes, dark_compounds, in_dark_context
from proxy.css.valid import (
    scalable,
    significant,
    single_ident,
    valid_sized,
)

#: properties whose px/pt values (and size keywords) follow the text step
SCALED_PROPERTIES = frozenset({"font-size", "font", "line-height", "letter-spacing",
                               "text-indent", "max-height"})
#: below this a fixed width is an icon or a rule line, not a text box: keep it exact
MIN_YIELDING_WIDTH_PX = 40.0
#: elements whose fixed box is their picture, not a text container
REPLACED_TAGS = frozenset({"img", "video", "iframe", "embed", "object", "canvas", "svg",
                           "image", "picture"})
ROOT_SELECTORS = frozenset({"html", ":root"})
#: at-rules whose blocks hold ordinary style rules (others, e.g. @font-face, stay as they are)
NESTING_AT_RULES = frozenset({"media", "supports", "document", "-moz-document", "layer",
                              "container", "scope"})
STYLESHEET_CACHE_SIZE = 256  #: rewritten stylesheets kept (keyed by text and jobs)
STYLE_ATTRIBUTE_CACHE_SIZE = 4096  #: rewritten style attributes kept (short strings)
NO_FLOOR: frozenset[str] | None = None  #: `dark` argument meaning "no contrast floor"
#: the custom properties the rewritten CSS reads (values: proxy/visitor/splice.py)
TEXT_VAR = "--a11y-text"  #: the text step as a factor (unset: 1)
KEYWORD_VAR = "--a11y-fs-"  #: + keyword: the keyword's scaled px above 100 %
AUTO_VAR = "--a11y-auto"  #: `auto` above 100 %: fixed boxes yield
WRAP_VAR = "--a11y-wrap"  #: `normal` above 100 %: nowrap text wraps
ON_VAR = "--a11y-on"  #: 1 above 100 % (a min-height is the fixed height times this)
UNCAP_VAR = "--a11y-uncap"  #: 0px above 100 %; unset, a yielding max-width caps nothing
UNCAPPED = "100000px"  #: a max-width no layout reaches: at 100 % the cap is not there
SCHEME_VAR, FLOOR_VAR = "--a11y-scheme", "--a11y-floor"  #: empty in a scheme / the default
#: a selector that styles a pseudo-element: a colour scheme's `body *` does not reach it
PSEUDO_ELEMENT = re.compile(r"::|:(before|after|first-line|first-letter)\b", re.I)


def text_scaled(length: str) -> str:
    """A length that follows the visitor's text step: `calc(12px * var(--a11y-text, 1))`."""
    return f"calc({length} * var({TEXT_VAR}, 1))"


def floor_switch(floored: str, original: str) -> str:
    """A colour that is `floored` in the default scheme and `original` under a colour scheme
    (two custom properties, one empty and one unset: the unset one's fallback is the value)."""
    return f"var({SCHEME_VAR}, {floored}) var({FLOOR_VAR}, {original})"


def rewrite_stylesheet(css: str, scale: bool = True, floor: bool = False) -> str:
    """A whole stylesheet (a `<style>` element or a linked `.css`) with its sizes switched by
    the text step (`scale`) and with the contrast floor (`floor`)."""
    if not (scale or floor) or not css.strip():
        return css
    return _rewrite_stylesheet(css, scale, floor)


@lru_cache(maxsize=STYLESHEET_CACHE_SIZE)
def _rewrite_stylesheet(css: str, scale: bool, floor: bool) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    return _serialize_rules(rules, scale, dark_compounds(rules) if floor else NO_FLOOR)


def rewrite_style_attribute(style: str, tag: str = "") -> str:
    """A `style="…"` attribute with its sizes switched (unchanged text if nothing applies)."""
    if not style.strip():
        return style
    return _rewrite_style_attribute(style, tag in REPLACED_TAGS)


@lru_cache(maxsize=STYLE_ATTRIBUTE_CACHE_SIZE)
def _rewrite_style_attribute(style: str, replaced: bool) -> str:
    """Cached: a pure function of its arguments, and pages repeat the same few inline styles
    on every row (uncached, each of them would be parsed anew)."""
    nodes = tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True)
    rewritten = _rewrite_block(nodes, True, replaced=replaced)
    return style if rewritten is None else rewritten


def scaled_px(px: float, factor: float) -> str:
    """`px` times `factor` as a CSS length, e.g. `scaled_px(12, 2) == "24px"`."""
    return f"{_number(px * factor)}px"


def _serialize_rules(rules: Iterable[Node], scale: bool,
                     dark: frozenset[str] | None = NO_FLOOR) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, QualifiedRule) and rule.content is not None:
            out.append(_rewrite_qualified(rule, scale, dark))
        elif (isinstance(rule, AtRule) and rule.content is not None
              and rule.lower_at_keyword in NESTING_AT_RULES):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=False,
                                             skip_whitespace=False)
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                       f"{{{_serialize_rules(inner, scale, dark)}}}")
        elif not isinstance(rule, ParseError):  # invalid rules are dropped, as browsers do
            out.append(rule.serialize())
    return "".join(out)


def _rewrite_qualified(rule: QualifiedRule, scale: bool,
                       dark: frozenset[str] | None = NO_FLOOR) -> str:
    nodes = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
    selector = tinycss2.serialize(rule.prelude)
    tags = _last_compound_tags(selector)
    fixes = None if dark is None else block_fixes(nodes, in_dark_context(selector, dark))
    if fixes:
        fixes = _switched_fixes(nodes, fixes, bool(PSEUDO_ELEMENT.search(selector)))
    block = _rewrite_block(nodes, scale, replaced=tags <= REPLACED_TAGS,
                           root=tags <= ROOT_SELECTORS, fixes=fixes, dark=dark)
    if block is None:
        return rule.serialize()
    return f"{selector}{{{block}}}"


def _switched_fixes(nodes: list[Node], fixes: dict[int, str], pseudo: bool) -> dict[int, str]:
    """Floored colours a scheme's `!important` would not override become switches."""
    out = {}
    for index, fix in fixes.items():
        decl = nodes[index]
        if decl.important or pseudo:
            name, _, value = fix.partition(":")
            floored = value.removesuffix(" !important")
            original = tinycss2.serialize(decl.value).strip()
            important = " !important" if decl.important else ""
            fix = f"{name}:{floor_switch(floored, original)}{important}"
        out[index] = fix
    return out


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


def _rewrite_block(nodes: list[Node], scale: bool, replaced: bool = False,
                   root: bool = False, fixes: dict[int, str] | None = None,
                   dark: frozenset[str] | None = NO_FLOOR) -> str | None:
    """The block's declarations rewritten (sizes switched when `scale`; `fixes` from the
    contrast floor, by node index), or None when nothing in it changes."""
    out: list[str] = []
    changed = False
    declared = {n.lower_name for n in nodes if isinstance(n, Declaration)} if scale else ()
    for index, node in enumerate(nodes):
        if isinstance(node, Declaration):
            new = fixes.get(index) if fixes else None
            if new is None and scale:
                new = _rewrite_declaration(node, replaced, root, declared)
            changed = changed or new is not None
            out.append(new if new is not None else node.serialize())
        elif isinstance(node, (QualifiedRule, AtRule)):  # CSS nesting: recurse
            text = _serialize_rules([node], scale, dark)
            changed = changed or text != node.serialize()
            out.append(text)
        # parse errors (IE hacks such as `*zoom:1`) are dropped: browsers ignore them too
    return ";".join(out) if changed else None


def _rewrite_declaration(decl: Declaration, replaced: bool, root: bool,
                         declared: Iterable[str] = ()) -> str | None:
    name = decl.lower_name
    important = " !important" if decl.important else ""
    if name in SCALED_PROPERTIES:
        sizes = name in ("font-size", "font")
        relative = sizes and root
        if not valid_sized(name, decl.value, relative):
            return None
        value = _scale_tokens(decl.value, keywords=sizes, relative=relative)
        return None if value is None else f"{decl.name}:{value}{important}"
    if replaced:
        return None
    if name == "width" and (px := _single_px(decl.value)) is not None \
            and px >= MIN_YIELDING_WIDTH_PX:
        cap = "" if "max-width" in declared else \
            f";max-width:calc({_number(px)}px + var({UNCAP_VAR}, {UNCAPPED})){important}"
        return f"width:var({AUTO_VAR}, {_number(px)}px){important}{cap}"
    if name == "height" and (px := _single_px(decl.value)) is not None and px >= 0:
        grow = "" if "min-height" in declared else \
            f";min-height:calc({_number(px)}px * var({ON_VAR}, 0)){important}"
        return f"height:var({AUTO_VAR}, {_number(px)}px){important}{grow}"
    if name == "white-space" and single_ident(decl.value) == "nowrap":
        return f"white-space:var({WRAP_VAR}, nowrap){important}"
    return None


def _scale_tokens(tokens: list[Node], keywords: bool, relative: bool = False) -> str | None:
    """The value with every px/pt length (and size keyword; and %/em/rem when `relative`)
    switched by the text step; None if there was nothing to scale."""
    out = []
    changed = False
    for token in tokens:
        if scalable(token, keywords, relative):
            if isinstance(token, IdentToken):
                keyword = token.lower_value
                out.append(f"var({KEYWORD_VAR}{keyword}, {keyword})")
            else:
                out.append(text_scaled(token.serialize().lower()))
            changed = True
        else:
            out.append(token.serialize())
    return "".join(out).strip() if changed else None


def _single_px(tokens: list[Node]) -> float | None:
    value = significant(tokens)
    if len(value) == 1 and isinstance(value[0], DimensionToken) and value[0].lower_unit == "px":
        return float(value[0].value)
    return None


def _number(value: float) -> str:
    """A CSS number without float noise: 24.0 -> "24", 16.6666 -> "16.667"."""
    return f"{value:.3f}".rstrip("0").rstrip(".")
