"""What counts as script in markup: URL schemes and CSS, judged the way a browser parses them.

Pure predicates and one CSS cleaner, shared by the removal (`strip_scripts`) and its final
verification, so both agree on one definition. Attribute values arrive entity-decoded by lxml.
"""

from __future__ import annotations

import re

import tinycss2

#: schemes that run code when a URL is followed or loaded
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:")
#: data: URL types that never run script, wherever they are used
SAFE_DATA_TYPES = ("image/png", "image/gif", "image/jpeg", "image/jpg", "image/pjpeg",
                   "image/webp", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon",
                   "image/avif", "font/", "application/font-", "application/x-font-")
#: elements where a data:image/svg+xml URL is only an image (an <iframe> would run its script)
DATA_SVG_TAGS = frozenset({"img", "image", "source", "input", "picture"})
#: every attribute a browser loads or follows as a URL (HTML, SVG, MathML, legacy IE); other
#: attributes holding `javascript:` are inert text once the page's scripts are gone
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "background", "poster", "data",
    "codebase", "cite", "longdesc", "lowsrc", "dynsrc", "datasrc", "srcset", "imagesrcset",
    "ping", "archive", "classid", "usemap", "manifest", "icon", "profile", "xml:base",
    "to", "from", "values", "by", "itemtype", "itemid", "code", "object", "src:href",
})
#: attributes that hold several URLs separated by commas or spaces
MULTI_URL_ATTRIBUTES = frozenset({"srcset", "imagesrcset", "ping", "archive", "values"})
#: WHATWG URL parsing: leading/trailing C0 controls and spaces are stripped; tab, LF and CR are
#: removed anywhere, so `java\tscript:` is still javascript
_EDGE = "".join(chr(c) for c in range(0x21))
_INSIDE = str.maketrans("", "", "\t\n\r")

#: CSS that runs script in some browser: IE expression()/behavior, old Firefox XBL bindings
DANGEROUS_PROPERTIES = frozenset({"behavior", "behaviour", "-moz-binding", "-ms-behavior"})
DANGEROUS_FUNCTIONS = frozenset({"expression", "javascript", "vbscript"})
#: at-rules whose block holds rules (not declarations)
NESTING_AT_RULES = frozenset({"media", "supports", "document", "-moz-document", "layer",
                              "container", "scope"})
#: cheap first look, after lowering and unescaping, before the token-level judgement: each
#: pattern starts with a literal (re then skips ahead fast; an alternation scans every char)
_CSS_HINTS = (("expression", re.compile(r"expression\s*\(")),
              ("behavio", re.compile(r"behaviou?r\s*:")),
              ("binding", re.compile(r"binding")),
              ("script", re.compile(r"script\s*:")),
              ("mocha", re.compile(r"mocha\s*:")))
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
#: an escape that can stand for a letter or ':' (the only characters a keyword needs)
_LETTER_ESCAPE = re.compile(r"\\(?:0{0,4}(?:[4-7][0-9a-f]|3a)(?![0-9a-f])|[g-z:])", re.I)
_CSS_COMMENT = re.compile(r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/")  # the unrolled C-comment loop


def clean_url(value: str) -> str:
    """The URL as a browser's parser reads it: trimmed, tabs and newlines gone."""
    return value.strip(_EDGE).translate(_INSIDE)


def normalize_url(value: str) -> str:
    """`clean_url`, lowercased: what the scheme is compared as."""
    return clean_url(value).lower()


def is_script_url(value: str, tag: str = "", attr: str = "") -> bool:
    """True for a URL that would run script (or render a document with script) when used."""
    if attr in MULTI_URL_ATTRIBUTES:
        return any(_is_script(part, tag) for part in re.split(r"[\s,]+", value) if part)
    return _is_script(value, tag)


def _is_script(value: str, tag: str) -> bool:
    url = normalize_url(value)
    if url.startswith(SCRIPT_SCHEMES):
        return True
    if not url.startswith("data:"):
        return False
    mime = url[5:].split(",", 1)[0].split(";", 1)[0].strip()
    if mime.startswith(SAFE_DATA_TYPES):
        return False
    return not (mime == "image/svg+xml" and tag in DATA_SVG_TAGS)


def _unescape_css(text: str) -> str:
    """CSS escapes decoded (comments are removed before)."""
    def one(m: re.Match) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code < 0x110000 else "\ufffd"
        return m.group(2)
    return _CSS_ESCAPE.sub(one, text)


#: `css_may_be_dangerous` remembers its verdict on this many short texts (style attributes:
#: a page repeats the same few dozen), then starts over; longer texts are judged each time
CSS_MEMO_SIZE = 2048
CSS_MEMO_CHARS = 256
_css_verdicts: dict[str, bool] = {}


def css_may_be_dangerous(text: str) -> bool:
    """A quick, over-inclusive look: False means certainly harmless."""
    if len(text) > CSS_MEMO_CHARS or text.__class__ is not str:  # (lxml strings hold trees)
        return _css_may_be_dangerous(text)
    verdict = _css_verdicts.get(text)
    if verdict is None:  # a pure function of the text: a remembered verdict is the verdict
        verdict = _css_may_be_dangerous(text)
        if len(_css_verdicts) >= CSS_MEMO_SIZE:
            _css_verdicts.clear()
        _css_verdicts[text] = verdict
    return verdict


def _css_may_be_dangerous(text: str) -> bool:
    if "/*" in text:  # a comment may split a keyword (IE read `expr/**/ession(`)
        text = _CSS_COMMENT.sub("", text)
    if "\\" in text and _LETTER_ESCAPE.search(text):  # not icon-font `\e600`: a hidden letter
        text = _unescape_css(text)
    low = text.lower()
    for word, hint in _CSS_HINTS:  # the substring test first: the pattern runs on few texts
        if word in low and any(_standalone(low, m.start()) for m in hint.finditer(low)):
            return True
    return False


def _standalone(low: str, start: int) -> bool:
    """`behavior:` counts, `scroll-behavior:` does not."""
    return start == 0 or not (low[start - 1].isalnum() or low[start - 1] in "-_") \
        or not low.startswith("behavio", start)


def _token_dangerous(token) -> bool:
    kind = token.type
    if kind == "function":
        if token.lower_name in DANGEROUS_FUNCTIONS:
            return True
        if token.lower_name in ("url", "src", "image", "image-set") and any(
                t.type in ("string", "url") and is_script_url(t.value) for t in token.arguments):
            return True
        return any(_token_dangerous(t) for t in token.arguments)
    if kind == "url":
        return is_script_url(token.value)
    if kind in ("() block", "[] block", "{} block"):
        return any(_token_dangerous(t) for t in token.content)
    return False


def _prelude_dangerous(rule) -> bool:
    """A selector or at-rule prelude; `@import "javascript:..."` names its URL as a string."""
    return any(_token_dangerous(t) or (t.type == "string" and rule.type == "at-rule"
                                       and is_script_url(t.value)) for t in rule.prelude)


def _declaration_dangerous(decl) -> bool:
    return decl.lower_name in DANGEROUS_PROPERTIES or any(_token_dangerous(t) for t in decl.value)


def clean_declarations(text: str) -> str:
    """A `style` attribute without its dangerous declarations."""
    items = tinycss2.parse_blocks_contents(text)
    kept = [i for i in items if not (i.type == "declaration" and _declaration_dangerous(i))
            and i.type != "error"]
    return tinycss2.serialize(kept).strip()


def clean_stylesheet(text: str) -> str:
    """A stylesheet without dangerous declarations, also inside @media and other blocks."""
    rules = tinycss2.parse_stylesheet(text)
    return tinycss2.serialize([r for r in (_clean_rule(r) for r in rules) if r is not None])


def _clean_rule(rule):
    if rule.type in ("error", "whitespace", "comment"):
        return rule if rule.type == "whitespace" else None
    if rule.type == "at-rule" and rule.content is None:  # @import, @charset ...
        return None if _prelude_dangerous(rule) else rule
    if rule.type == "at-rule" and rule.lower_at_keyword in NESTING_AT_RULES:
        inner = clean_stylesheet(tinycss2.serialize(rule.content))
        rule.content = tinycss2.parse_component_value_list(inner)
        return rule
    if _prelude_dangerous(rule):
        return None
    cleaned = clean_declarations(tinycss2.serialize(rule.content))
    rule.content = tinycss2.parse_component_value_list(cleaned)
    return rule


def declarations_dangerous(text: str) -> bool:
    """Precise check of a `style` attribute (used by the final verification)."""
    if not css_may_be_dangerous(text):
        return False
    return any(i.type == "declaration" and _declaration_dangerous(i)
               for i in tinycss2.parse_blocks_contents(text))


def stylesheet_dangerous(text: str) -> bool:
    """Precise check of a stylesheet (used by the final verification)."""
    return css_may_be_dangerous(text) and _rules_dangerous(tinycss2.parse_stylesheet(text))


def _rules_dangerous(rules) -> bool:
    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule"):
            continue
        if _prelude_dangerous(rule):
            return True
        if rule.content is None:
            continue
        inner = tinycss2.serialize(rule.content)
        if rule.type == "at-rule" and rule.lower_at_keyword in NESTING_AT_RULES:
            if _rules_dangerous(tinycss2.parse_stylesheet(inner)):
                return True
        elif declarations_dangerous(inner):
            return True
    return False
