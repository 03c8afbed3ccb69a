"""A label whose value a script wrote goes with its empty slot ("浏览次数：" and nothing after).

Legacy CMS pages write counters and the like into an empty element by id
(`浏览次数：<span id="hits"></span>` and a script that sets its innerHTML). No origin script
runs through the proxy, so the slot stays empty and the label announces a value that is not
there. A slot is an empty inline element with an id (what a script finds it by) right after a
short label ending in a colon; both go. Only on pages that have scripts: without one, nothing
was going to fill the slot, and an empty element is the page's own business.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from proxy.page import Page, remove_keep_tail
from proxy.pipeline import Transform

#: empty inline elements with an id (no element inside, no text but blanks)
SLOTS = etree.XPath(
    "//body//*[self::span or self::font or self::b or self::strong or self::em or self::i]"
    "[@id][not(*)][not(normalize-space(translate(., '\u00a0\u3000', '  ')))]")
HAS_SCRIPT = etree.XPath("boolean(//script)")
#: a short label and its colon at the end of the text before the slot, after a space, a
#: separator or the start
LABEL = re.compile(r"(?:^|(?<=[\s\u00a0\u3000|｜/]))[^\s\u00a0\u3000|｜/：:]{1,8}[：:][\s\u00a0]*$")


class EmptiedSlots(Transform):
    name = "script_slots"

    def prepare(self, page: Page) -> None:
        if not HAS_SCRIPT(page.tree):
            return
        for slot in SLOTS(page.tree):
            if _drop_label(slot):
                remove_keep_tail(slot)
                page.notes.append(f"script_slots: removed empty #{slot.get('id')} and label")


def _drop_label(slot: Any) -> bool:
    """Remove the label before `slot`; False (nothing changed) when there is none."""
    before = slot.getprevious()
    text = (before.tail if before is not None else slot.getparent().text) or ""
    found = LABEL.search(text)
    if found is None:
        return False
    kept = text[:found.start()].rstrip(" \u00a0\u3000") or None
    if before is not None:
        before.tail = kept
    else:
        slot.getparent().text = kept
    return True
