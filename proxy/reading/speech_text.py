"""What is read aloud, and how it is written for a speech engine.

The text is the page's main content in reading view, paragraph by paragraph (the innermost
blocks that hold text). Never read: our toolbar and skip link, notes hidden for screen readers
only, `aria-hidden` or `hidden` content, pinyin readings, scripts, styles and form fields.

Normalised for speech: URLs and e-mail addresses are left out (a string of letters read one by
one helps nobody); a year in 年 form or a numeric date is read as a date (二零一九年九月二十日);
percentages, common units and ranges are written as words; white space is collapsed.
"""

from __future__ import annotations

import re
from typing import Any

from proxy.reading.textnodes import NOT_TEXT, OUR_CLASSES, OUR_IDS

#: blocks whose text is one paragraph to read
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "blockquote",
                    "td", "th", "caption", "div", "section", "article", "figcaption", "pre",
                    "address", "main", "body"})
#: classes of notes meant for screen readers only (semantics' hidden headings and hints)
HIDDEN_CLASSES = frozenset({"a11y-visually-hidden", "a11y-speak"})
NOT_READ = NOT_TEXT - {"pre", "code", "kbd", "samp"} | {"rt", "rp", "head", "title"}
DIGITS = "零一二三四五六七八九"
URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u3000-\u303f\uff00-\uffef]+|"
                 r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
RANGE = re.compile(r"(?<=\d)\s*[-~～—]\s*(?=\d)")
UNITS = {"km²": "平方公里", "m²": "平方米", "㎡": "平方米", "km": "公里", "kg": "公斤",
         "cm": "厘米", "mm": "毫米", "℃": "摄氏度", "kW": "千瓦", "GB": "吉字节"}
_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
UNIT = re.compile(r"(?<=\d)\s*(" + _UNIT_NAMES + r")(?![A-Za-z])")
SPACE = re.compile(r"\s+")


def hidden(el: Any) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag.lower() in NOT_READ or el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    classes = set((el.get("class") or "").split())
    return bool(classes & (HIDDEN_CLASSES | OUR_CLASSES)) or el.get("id") in OUR_IDS


def spoken_text(el: Any) -> str:
    """The text of `el` a listener should hear (hidden parts left out), white space collapsed."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, tail_only = stack.pop()
        if tail_only:
            parts.append(node.tail or "")
            continue
        if hidden(node):
            continue
        if node.tag in ("br",):
            parts.append("\n")
        parts.append(node.text or "")
        for child in reversed(node):
            stack.append((child, True))
            stack.append((child, False))
    return SPACE.sub(" ", "".join(parts)).strip()


def paragraphs(main: Any) -> list[Any]:
    """The innermost blocks under `main` (itself included) that have text to read, in order."""
    found = []
    for el in main.iter():
        if not isinstance(el.tag, str) or el.tag not in BLOCKS:
            continue
        if any(hidden(a) for a in (el, *el.iterancestors())):
            continue
        if any(isinstance(d.tag, str) and d.tag in BLOCKS for d in el.iterdescendants()):
            continue
        if spoken_text(el):
            found.append(el)
    return found


def _year(m: re.Match) -> str:
    return "".join(DIGITS[int(d)] for d in m.group(1))


def _date(m: re.Match) -> str:
    year, month, day = m.groups()
    return f"{_year(m)}年{int(month)}月{int(day)}日" if year else m.group()


def normalise(text: str) -> str:
    """`text` written the way it should be said (see the module docstring)."""
    text = URL.sub(" ", text)
    text = ISO_DATE.sub(_date, text)
    text = YEAR.sub(_year, text)
    text = PERCENT.sub(lambda m: f"百分之{m.group(1)}", text)
    text = UNIT.sub(lambda m: UNITS[m.group(1)], text)
    text = RANGE.sub("至", text)
    return SPACE.sub(" ", text).strip()


def voice(lang: str | None, text: str) -> str:
    """espeak-ng's voice: Mandarin for Chinese (`lang` zh…, or Han text with no `lang`),
    English for `en…`."""
    tag = (lang or "").lower()
    if tag.startswith("en"):
        return "en"
    if tag.startswith("zh") or re.search("[\u4e00-\u9fff]", text):
        return "cmn"
    return "en"
