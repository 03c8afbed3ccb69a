"""Find the main content of a page without a site rule: a readability heuristic for Chinese pages.

Mozilla Readability scores paragraphs by length and commas and gives the score to their parent
and grandparent. Chinese government articles differ: many short paragraphs (one sentence each),
full-width punctuation, and text in `<td>`/`<div>` separated by `<br>` rather than `<p>`. So a
paragraph counts from a few characters on, full-width punctuation counts like commas, and a text
block without inner blocks scores for itself. Link-heavy blocks (menus, lists) are discounted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

MIN_PARAGRAPH_CHARS = 8  #: Chinese paragraphs are short; Readability's 25 would skip most
CHARS_PER_POINT = 40  #: one point per this many characters ...
MAX_LENGTH_POINTS = 3  #: ... up to this many (long paragraphs should not dominate)
PUNCTUATION = "，。、；：！？,;"  #: a paragraph full of sentences is prose, not a menu
GRANDPARENT_SHARE = 0.5
DEFAULT_MIN_MAIN_TEXT = 200  #: characters (tunables MIN_MAIN_TEXT overrides)
CANDIDATE_TAGS = frozenset({"div", "td", "article", "section", "main", "form", "body", "dd",
                            "li", "center", "font", "span"})
#: p elements, and text blocks that contain no other block (text separated by <br>)
PARAGRAPHS = etree.XPath(
    "//p | //div[not(.//p or .//div or .//table or .//ul)]"
    " | //td[not(.//p or .//div or .//table or .//ul)]")


def _candidate(el: Any) -> Any:
    while el is not None and el.tag not in CANDIDATE_TAGS:
        el = el.getparent()
    return el


def _score(text: str) -> float:
    return 1 + sum(text.count(mark) for mark in PUNCTUATION) + min(
        len(text) // CHARS_PER_POINT, MAX_LENGTH_POINTS)


def _link_density(el: Any, text_length: int) -> float:
    links = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return min(1.0, links / text_length) if text_length else 1.0


def find_content(body: Any, tunables: Mapping[str, Any] | None = None) -> Any | None:
    """The element holding the main content, or None when nothing is convincing."""
    minimum = int((tunables or {}).get("MIN_MAIN_TEXT", DEFAULT_MIN_MAIN_TEXT))
    scores: dict[Any, float] = {}
    for block in PARAGRAPHS(body):
        if block.tag in ("script", "style"):
            continue
        text = "".join(block.itertext()).strip()
        if len(text) < MIN_PARAGRAPH_CHARS:
            continue
        score = _score(text)
        holder = _candidate(block.getparent() if block.tag == "p" else block)
        if holder is None:
            continue
        scores[holder] = scores.get(holder, 0.0) + score
        upper = _candidate(holder.getparent())
        if upper is not None:
            scores[upper] = scores.get(upper, 0.0) + score * GRANDPARENT_SHARE
    best, best_score = None, 0.0
    for el, score in scores.items():
        length = len("".join(el.itertext()).strip())
        weighted = score * (1 - _link_density(el, length))
        if weighted > best_score:
            best, best_score = el, weighted
    if best is None or best.tag == "body" or len("".join(best.itertext()).strip()) < minimum:
        return None
    return best
