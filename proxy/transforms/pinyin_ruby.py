"""拼音: pinyin over the Chinese text of the page (the visitor's `pinyin` preference).

Each run of Han characters becomes one `<ruby>` with a base character and its `<rt>` reading
per character, tone-marked, read with pypinyin's phrase dictionary (proxy/reading/pinyin.py).
The `<rt>` is `aria-hidden`, so a screen reader reads each word once, as the characters.

Only text nodes of the body change: never an attribute (URLs, `alt`, form values), the
`<title>`, scripts, styles, form fields, or our own toolbar (inserted after this step, and
skipped by id on a second pass, as is an existing `<ruby>`).
"""

from __future__ import annotations

from typing import Any

import lxml.html

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.reading import pinyin, textnodes

RUBY_CLASS = "a11y-pinyin"
#: besides textnodes.NOT_TEXT: existing annotations, and buttons whose text is their value
SKIP = ("ruby", "rt", "rp", "option", "button", "title", "head")


class PinyinRuby(Transform):
    name = "pinyin"

    def finish(self, page: Page) -> None:
        if not page.prefs.pinyin:
            return
        count = 0
        for slot in textnodes.slots(page.body, SKIP):
            text = textnodes.get(slot)
            if pinyin.has_han(text):
                count += annotate(slot, text)
        page.notes.append(f"pinyin: {count} runs annotated")


def ruby(run: str, readings: tuple[str, ...]) -> Any:
    el = lxml.html.Element("ruby", {"class": RUBY_CLASS})
    last = None
    for char, reading in zip(run, readings, strict=True):
        if last is None:
            el.text = char
        else:
            last.tail = char
        last = lxml.html.Element("rt", {"aria-hidden": "true"})
        last.text = reading
        el.append(last)
    return el


def annotate(slot: tuple[Any, str], text: str) -> int:
    """Replace the slot's text by text and <ruby> elements; the number of rubies made."""
    el, where = slot
    pieces = pinyin.segments(text)
    lead = pieces[0][0] if pieces[0][1] is None else ""
    rest = pieces[1:] if pieces[0][1] is None else pieces
    textnodes.put(slot, lead)
    made = 0
    anchor = None  # the last node inserted
    for piece, readings in rest:
        if readings is None:
            anchor.tail = piece  # type: ignore[union-attr]  # text follows a ruby
            continue
        node = ruby(piece, readings)
        if anchor is not None:
            anchor.addnext(node)
        elif where == "text":
            el.insert(0, node)
        else:
            el.addnext(node)
        anchor = node
        made += 1
    return made
