"""The colour-scheme registry: every scheme is offered, named in zh/en, and readable (>= 7:1)."""

from __future__ import annotations

import pytest

from proxy.visitor.pages import help_page
from proxy.visitor.prefs import SCHEMES as SCHEME_KEYS
from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import SCHEMES, colours
from proxy.visitor.toolbar import GROUPS

AAA = 7.0


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_preferences_offer_every_scheme_and_the_default_first():
    assert tuple(s.key for s in SCHEMES) == SCHEME_KEYS
    assert SCHEMES[0].key == Preferences().scheme and colours(SCHEMES[0].key) is None


def test_every_scheme_is_named_in_both_languages_once():
    assert len({s.key for s in SCHEMES}) == len(SCHEMES)
    assert all(s.label and s.label_en for s in SCHEMES)


@pytest.mark.parametrize("scheme", [s for s in SCHEMES if s.overrides_colours],
                         ids=[s.key for s in SCHEMES if s.overrides_colours])
def test_scheme_text_and_links_reach_7_to_1(scheme):
    assert contrast(scheme.fg, scheme.bg) >= AAA
    assert contrast(scheme.link, scheme.bg) >= AAA


def test_toolbar_and_help_page_are_made_from_the_registry():
    offered = next(g for g in GROUPS if g.key == "scheme")
    assert [key for key, _ in offered.options] == [s.key for s in SCHEMES]
    page = help_page(Preferences(), "/_a11y/", "/")
    for scheme in SCHEMES:
        assert scheme.label in page and scheme.label_en in page
    assert "scheme=" + "|".join(SCHEME_KEYS) in page
