"""The text a reading aid may change: text nodes of the page, never what the origin reads back.

A slot is (element, "text") for the text at the start of an element, or (element, "tail") for
the text after it (which belongs to its parent). Skipped, with all they hold: scripts and styles
(not text), form fields whose text is a value sent to the origin (`textarea`; `option` is
handled by the caller, as its text may be its value), our own toolbar and skip link, and what
the caller adds (e.g. `ruby` for pinyin, so a second pass does not annotate twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: never text to read or change
NOT_TEXT = frozenset({"script", "style", "textarea", "template", "noscript", "svg", "math",
                      "iframe", "object", "select", "code", "kbd", "samp", "pre"})
OUR_IDS = frozenset({"a11y-toolbar"})
OUR_CLASSES = frozenset({"a11y-skip"})


def skipped(el: Any, skip: frozenset[str]) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True  # comments and processing instructions: no text of the page
    return tag.lower() in skip or el.get("id") in OUR_IDS or el.get("class") in OUR_CLASSES


def slots(root: Any, skip: Iterable[str] = ()) -> list[tuple[Any, str]]:
    """Every non-empty text slot under `root` (in document order) outside skipped elements."""
    skip_all = NOT_TEXT | frozenset(skip)
    out: list[tuple[Any, str]] = []
    if skipped(root, skip_all):
        return out
    # an explicit stack: legacy pages nest deeper than Python's recursion limit
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, tail_only = stack.pop()
        if tail_only:
            if el.tail:
                out.append((el, "tail"))
            continue
        if el.text:
            out.append((el, "text"))
        for child in reversed(el):
            stack.append((child, True))
            if not skipped(child, skip_all):
                stack.append((child, False))
    return out


def get(slot: tuple[Any, str]) -> str:
    el, where = slot
    return (el.text if where == "text" else el.tail) or ""


def put(slot: tuple[Any, str], text: str) -> None:
    el, where = slot
    if where == "text":
        el.text = text
    else:
        el.tail = text
