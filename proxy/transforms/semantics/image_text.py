"""Text near an image that can name it: the short label in its box or the next table cell,
and the image's own text, with our visually hidden notes left out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from proxy.transforms.semantics.shared import SR_ONLY_CLASS

#: a label beside an image is this short
MAX_LABEL = 30
#: a label names something: at least this many letters (a lone slide number "1" does not)
MIN_LABEL_LETTERS = 2
_LETTER = re.compile(r"[^\W\d_]")


def label_of(img: Any) -> str | None:
    """The short text in the image's box: its nearest ancestor with text (MAX_CLIMB levels),
    if that ancestor holds no other image and the text is a label, not prose. In a layout
    table the box is the icon's cell and the cell beside it (`<td><img></td><td>打印</td>`)."""
    parent = img.getparent()
    beside = _NEXT_CELL_OF_ICON(img) if parent is not None and parent.tag == "td" else None
    if beside:
        text = _own_text(beside[0], MAX_LABEL)
        if text and _is_label(text) and next(beside[0].iterdescendants("img"), None) is None:
            return text
    box = img
    for _ in range(MAX_CLIMB):
        box = box.getparent()
        if box is None or box.tag in ("body", "html") or has_other_image(box):
            return None
        text = _own_text(box, MAX_LABEL)
        if text is None:  # longer than any label: prose
            return None
        if text:
            return text if _is_label(text) else None
    return None


def _own_text(el: Any, limit: int) -> str | None:
    """The element's own text (the text nodes `.//text()[not(ancestor::*[@class=SR_ONLY_CLASS])]`:
    without the notes we add for screen readers, new window, file type), whitespace collapsed;
    None once more than `limit` of its characters are not whitespace: the text is then longer
    than `limit`, and as a box can be a whole column, reading stops there. In Python: an
    XPath query returns every text node of the box before any is looked at."""
    text = squashed(_own_chunks(el), limit)
    # inside a note, none of it is its own; looked at only when there is text (rarely a note)
    if text != "" and any(node.get("class") == SR_ONLY_CLASS
                          for node in (el, *el.iterancestors())):
        return ""
    return text


def has_own_text(el: Any) -> bool:
    """Any own text (_own_text) that is not whitespace."""
    return _own_text(el, 0) is None


def _own_chunks(el: Any) -> Iterator[str]:
    """The text nodes under `el` in document order, less those inside our notes (a note's
    tail is not inside it); a comment's content is no text, its tail is. A loop with its own
    stack, not recursion: a page's nesting is not bounded by Python's recursion limit."""
    if el.text:
        yield el.text
    stack = [(el, iter(el))]
    while stack:
        parent, children = stack[-1]
        for child in children:
            if isinstance(child.tag, str) and child.get("class") != SR_ONLY_CLASS:
                if child.text:
                    yield child.text
                stack.append((child, iter(child)))  # its content, then its tail
                break
            if child.tail:
                yield child.tail
        else:
            stack.pop()
            if stack and parent.tail:  # (the tail of `el` itself is outside it)
                yield parent.tail


def squashed(chunks: Iterable[str], limit: int) -> str | None:
    """The chunks joined, whitespace collapsed (" ".join(text.split())); None as soon as they
    hold more than `limit` characters that are not whitespace (the result would be longer)."""
    parts = []
    solid = 0
    for chunk in chunks:
        solid += sum(map(len, chunk.split()))
        if solid > limit:
            return None
        parts.append(chunk)
    return " ".join("".join(parts).split())


def _is_label(text: str) -> bool:
    return 0 < len(text) <= MAX_LABEL and len(_LETTER.findall(text)) >= MIN_LABEL_LETTERS
#: the cell after a cell that holds only this image (an icon column beside its label)
_NEXT_CELL_OF_ICON = etree.XPath(
    "parent::td[count(*) = 1][not(normalize-space())]/following-sibling::td[1]")
#: ancestors looked at for a nearby link to the same address, or a label in the same box
MAX_CLIMB = 3


def has_other_image(box: Any) -> bool:
    """More than one image in the box, which holds the image being named: stops at the
    second, where counting them all read the whole box."""
    images = box.iterdescendants("img")
    return next(images, None) is not None and next(images, None) is not None
