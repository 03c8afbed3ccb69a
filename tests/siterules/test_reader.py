"""Selector lint: pseudo-classes that never match, and removals that would empty the page."""

from __future__ import annotations

import cssselect
import pytest

from proxy.siterules.model import Selector
from proxy.siterules.reader import lint_selector


def _parses(text: str) -> bool:
    try:
        cssselect.parse(text)
    except cssselect.SelectorError:
        return False
    return True


PSEUDO_IN_HAS = _parses("a:has(> b:target)")  #: cssselect >= 1.6 (pyproject allows older)


@pytest.mark.parametrize(("text", "removes", "warned"), [
    ("a:hover", False, [":hover"]),
    ("li:not(:focus) > a:active", False, [":active", ":focus"]),
    (":is(a:visited, b)", False, [":visited"]),
    pytest.param("a:has(> b:target)", False, [":target"], marks=pytest.mark.skipif(
        not PSEUDO_IN_HAS, reason="cssselect < 1.6 cannot parse a pseudo-class in :has()")),
    ("a:link", False, []),  # cssselect's HTML translator matches a[href]: fine
    ("#nav li:first-child", False, []),
    ("body", True, ["page"]),
    ("html body.home", True, ["page"]),
    ("*", True, ["page"]),
    (":root", True, ["page"]),
    ("div, body", True, ["page"]),
    ("body > .ad", True, []),
    ("body", False, []),  # only removing <body> is a mistake; a landmark on it is not
])
def test_lint_selector(text: str, removes: bool, warned: list[str]) -> None:
    warnings = lint_selector(Selector.compile(text), removes=removes)
    assert len(warnings) == len(warned)
    for warning, word in zip(warnings, warned, strict=True):
        assert word in warning
