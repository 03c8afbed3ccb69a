"""The preference stylesheet: >= 7:1 colour schemes, WCAG 1.4.12 spacing, valid CSS."""

from __future__ import annotations

import pytest
import tinycss2

from proxy.visitor.prefs import Preferences
from proxy.visitor.style import preference_css, toolbar_px


def parse(css: str) -> list:
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    assert not [r for r in rules if r.type == "error"], css
    return rules


def declarations(css: str, prop: str) -> list[str]:
    found = []
    for rule in parse(css):
        for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True):
            if decl.type == "declaration" and decl.lower_name == prop:
                found.append(tinycss2.serialize(decl.value).strip() + (
                    " !important" if decl.important else ""))
    return found


def test_scheme_overrides_every_element_with_important():
    css = preference_css(Preferences(scheme="yellow"))
    assert "html, body, body *" in css
    assert "#ffff00 !important" in declarations(css, "color")
    assert "#000000 !important" in declarations(css, "background-color")


def test_default_preferences_leave_the_site_colours_alone():
    css = preference_css(Preferences())
    assert not declarations(css, "color") and not declarations(css, "background-color")


def test_spacing_uses_the_wcag_1_4_12_values():
    css = preference_css(Preferences(spacing=True))
    assert "1.5 !important" in declarations(css, "line-height")
    assert "0.12em !important" in declarations(css, "letter-spacing")
    assert "0.16em !important" in declarations(css, "word-spacing")
    assert "2em !important" in declarations(css, "margin-bottom")


def test_cursor_underline_and_views():
    assert any("/_a11y/static/cursor.svg" in v
               for v in declarations(preference_css(Preferences(cursor=True)), "cursor"))
    assert "underline !important" in declarations(
        preference_css(Preferences(underline=True)), "text-decoration")
    assert "block !important" in declarations(
        preference_css(Preferences(view="text")), "display")


@pytest.mark.parametrize(("text", "px"), [(100, 18), (150, 21), (200, 28)],
                         ids=["100", "150", "200"])
def test_toolbar_grows_with_the_text_and_never_under_18px(text, px):
    assert toolbar_px(Preferences(text=text)) == px
