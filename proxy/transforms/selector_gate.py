"""Whether a CSS selector can match a page at all, from the page's attribute values alone.

A rule selector such as `#cniil_wza` or `[onclick*='aria.start']` compiles to an XPath with a
predicate that libxml2 tests on every element; most pages have none of the ids, classes and
attribute values the selector names. Joining every attribute value of a page once (one C
query) and looking for those strings in it rules most selectors out for a fraction of one
query's cost. The test is a necessary condition only: True means "run the selector".
"""

from __future__ import annotations

from functools import lru_cache

from cssselect import SelectorError, parse
from cssselect.parser import Attrib, Class, CombinedSelector, Hash

#: attribute operators whose value must occur, as written, in the attribute's value
_VALUE_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})


def may_match(selector: str, attributes: str) -> bool:
    """False only if `selector` cannot match: some selector of the group has all its required
    strings in `attributes` (every attribute value of the page, joined)."""
    groups = required_strings(selector)
    return groups is None or any(all(s in attributes for s in group) for group in groups)


@lru_cache(maxsize=1024)
def required_strings(selector: str) -> tuple[tuple[str, ...], ...] | None:
    """Per selector of the group, the ids, class names and attribute values its compounds
    require (exact, case-sensitive in the compiled XPath); None if the text does not parse."""
    try:
        parsed = parse(selector)
    except SelectorError:
        return None
    groups = []
    for one in parsed:
        found: list[str] = []
        _collect(one.parsed_tree, found)
        groups.append(tuple(found))
    return tuple(groups)


def _collect(node: object, found: list[str]) -> None:
    """Strings required by `node` and the compounds it is built on. Negations and functional
    pseudo-classes only pass through to the compound they qualify (`:not(.x)` requires no x)."""
    if isinstance(node, CombinedSelector):
        _collect(node.selector, found)
        _collect(node.subselector, found)
        return
    if isinstance(node, Hash):
        found.append(node.id)
    elif isinstance(node, Class) and not _spaced(node.class_name):
        found.append(node.class_name)  # compared after normalize-space: no space in it
    elif isinstance(node, Attrib) and node.operator in _VALUE_OPERATORS and node.flag is None \
            and node.value is not None and node.value.value \
            and not (node.operator == "~=" and _spaced(node.value.value)):
        found.append(node.value.value)
    inner = getattr(node, "selector", None)
    if inner is not None:
        _collect(inner, found)


def _spaced(text: str) -> bool:
    return any(c.isspace() for c in text)
