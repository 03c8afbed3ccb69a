"""The problem-collecting reader behind `rulefile.py`: types, selectors and selector lint.

Every check appends a `ConfigProblem` at the offending node's line:col and returns a usable
fallback (None), so one pass reports *every* mistake in a file; nothing here raises on bad
input. Selectors are compiled here, once, when rules load (never per request).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import cssselect
import lxml.html
from cssselect import GenericTranslator, HTMLTranslator

from proxy.errors import ConfigProblem
from proxy.siterules.model import Selector
from proxy.siterules.yamlload import MarkedDict, MarkedList, key_mark, value_mark

#: tag names whose removal empties the whole page (a `remove` rule hitting them is a likely typo)
PAGE_TAGS = frozenset({"html", "body", "head"})
#: a tiny page to try selectors on: a selector that matches its <html>/<body> would do so anywhere
_PROBE = lxml.html.document_fromstring("<html><head></head><body><p>x</p></body></html>")
_NEVER = GenericTranslator.pseudo_never_matches


def type_name(value: Any) -> str:
    """How an admin would name what they wrote (for 'expected X, got Y')."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"{value!r}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class RuleReader:
    """Reads one rule file's MarkedDict/MarkedList nodes and collects problems with positions."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[ConfigProblem] = []

    # -- reporting ---------------------------------------------------------------------------
    def at(self, container: Any, key: Any, path: str, message: str, level: str = "error",
           *, on_key: bool = False) -> None:
        """Report a problem at the value (or, with on_key, the key) `container[key]`."""
        line, col = key_mark(container, key) if on_key else value_mark(container, key)
        self.problems.append(ConfigProblem(self.filename, line, col, path, message, level))

    def source(self, container: Any, key: Any, *, on_key: bool = False) -> str:
        line, col = key_mark(container, key) if on_key else value_mark(container, key)
        return f"{self.filename}:{line}:{col}"

    def unknown_keys(self, data: MarkedDict, allowed: Iterable[str], path: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed) or \
                    f"; expected one of: {', '.join(allowed)}"
                self.at(data, key, join(path, key), f"unknown key{hint}", on_key=True)

    # -- types -------------------------------------------------------------------------------
    def expect(self, container: Any, key: Any, path: str, kind: type | tuple, what: str) -> Any:
        """Return container[key] if it is a `kind`, else report 'expected <what>' and None."""
        value = container[key]
        if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _types(kind)):
            return value
        self.at(container, key, path, f"expected {what}, got {type_name(value)}")
        return None

    def text(self, container: Any, key: Any, path: str, *, empty_ok: bool = False) -> str | None:
        value = container[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # `value: 2` in YAML means the text "2" to an admin
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            self.at(container, key, path, f"expected text, got {type_name(value)}")
            return None
        return value

    def items(self, container: Any, key: Any, path: str, what: str) -> MarkedList | None:
        """A list; a single scalar is accepted as a one-item list (a common shorthand)."""
        value = container[key]
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return one_item(value, value_mark(container, key))
        return self.expect(container, key, path, MarkedList, what)

    def text_list(self, container: Any, key: Any, path: str) -> tuple[str, ...] | None:
        values = self.items(container, key, path, "a list of texts")
        if values is None:
            return None
        found = (self.text(values, i, f"{path}[{i}]") for i in range(len(values)))
        return tuple(v for v in found if v is not None)

    # -- selectors ---------------------------------------------------------------------------
    def selector(self, container: Any, key: Any, path: str, *, on_key: bool = False,
                 removes: bool = False) -> Selector | None:
        """Compile the selector at container[key] (or the key itself with on_key)."""
        text = key if on_key else container[key]
        if not isinstance(text, str) or not text.strip():
            self.at(container, key, path, f"expected a CSS selector, got {type_name(text)}",
                    on_key=on_key)
            return None
        try:
            compiled = Selector.compile(text.strip(), self.source(container, key, on_key=on_key))
        except cssselect.SelectorError as exc:
            self.at(container, key, path, f"invalid selector {text!r}: {exc}", on_key=on_key)
            return None
        for warning in lint_selector(compiled, removes=removes):
            self.at(container, key, path, warning, "warning", on_key=on_key)
        return compiled

    def selector_list(self, container: Any, key: Any, path: str, *,
                      removes: bool = False) -> tuple[Selector, ...] | None:
        values = self.items(container, key, path, "a list of CSS selectors")
        if values is None:
            return None
        found = (self.selector(values, i, f"{path}[{i}]", removes=removes)
                 for i in range(len(values)))
        return tuple(s for s in found if s is not None)

    def selector_texts(self, container: Any, key: Any, path: str, *,
                       empty_ok: bool) -> tuple[tuple[Selector, str], ...] | None:
        """A mapping `selector: text` (alt texts, labels)."""
        data = self.expect(container, key, path, MarkedDict, "a mapping of selector: text")
        if data is None:
            return None
        pairs = []
        for sel_text in data:
            sub = join(path, sel_text)
            selector = self.selector(data, sel_text, sub, on_key=True)
            text = self.text(data, sel_text, sub, empty_ok=empty_ok)
            if selector is not None and text is not None:
                pairs.append((selector, text.strip()))
        return tuple(pairs)


def lint_selector(selector: Selector, *, removes: bool = False) -> list[str]:
    """Likely-but-legal mistakes in a compiled selector, as warning messages with a hint."""
    warnings = []
    for ident in sorted(_never_matching(selector.text)):
        warnings.append(f"':{ident}' never matches here (the proxy sees the page as served, "
                        f"without mouse, focus or history); remove it from the selector")
    if removes and _hits_page(selector):
        warnings.append("this selector matches <html>, <head> or <body>: removing it would empty "
                        "the page; name the element inside <body> instead")
    return warnings


def _never_matching(text: str) -> set[str]:
    """Pseudo-classes that cssselect accepts but translates to a condition that is never true."""
    found: set[str] = set()
    for parsed in cssselect.parse(text):
        for node in _walk(parsed.parsed_tree):
            ident = getattr(node, "ident", None)
            method = getattr(HTMLTranslator, f"xpath_{str(ident).replace('-', '_')}_pseudo", None)
            if isinstance(node, cssselect.parser.Pseudo) and method is _NEVER:
                found.add(ident)
    return found


def _walk(node: Any) -> Iterable[Any]:
    """Every parser node under `node`; arguments nest as lists of (token, Selector) tuples."""
    if isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)
    elif type(node).__module__ == "cssselect.parser" and hasattr(node, "__dict__"):
        yield node
        for child in vars(node).values():
            yield from _walk(child)


def _hits_page(selector: Selector) -> bool:
    """True if the selector's subject is <html>/<body>/<head>, or it matches them on a probe."""
    if any(el.tag in PAGE_TAGS for el in selector(_PROBE)):
        return True
    for parsed in cssselect.parse(selector.text):
        node = parsed.parsed_tree
        node = getattr(node, "subselector", node)  # rightmost compound of `a > b`
        while not isinstance(node, cssselect.parser.Element) and hasattr(node, "selector"):
            node = node.selector
        if getattr(node, "element", None) in PAGE_TAGS:
            return True
    return False


def one_item(value: Any, mark: tuple[int, int]) -> MarkedList:
    """Wrap a single value as a one-item marked list, so one code path reads both shapes."""
    one = MarkedList([value])
    one.mark, one.item_marks = mark, [mark]
    return one


def join(path: str, key: Any) -> str:
    """Breadcrumb `a.b` for mapping keys (index paths are built as `a[0]` by callers)."""
    return f"{path}.{key}" if path else str(key)


def _types(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)
