"""proxy/css/contrast.py: WCAG contrast maths and the floor's choices; the floor in one CSS pass."""

from __future__ import annotations

import colorsys

import pytest

from proxy.css.contrast import (
    MIN_RATIO,
    TARGET_RATIO,
    WHITE,
    Background,
    adjusted,
    contrast,
    floor_value,
    luminance,
    parse_rgb,
    to_hex,
)
from proxy.css.fonts import rewrite_stylesheet
from proxy.http.resources import ResourceContext, scale_css_resource
from proxy.routing import UrlMapper
from proxy.visitor.prefs import Preferences

RATIO_CASES = [  # WCAG 2 formula; #767676 is the known lightest grey passing on white
    ("#000000", "#ffffff", 21.0),
    ("#999999", "#ffffff", 2.85),
    ("#767676", "#ffffff", 4.54),
    ("#ff0000", "#ffffff", 4.0),
    ("#b80000", "#ffffff", 6.91),
    ("#ffffff", "#b80000", 6.91),
    ("#777777", "#777777", 1.0),
]


@pytest.mark.parametrize("a, b, ratio", RATIO_CASES, ids=[f"{a}-{b}" for a, b, _ in RATIO_CASES])
def test_contrast_ratio_matches_wcag(a, b, ratio):
    assert contrast(parse_rgb(a), parse_rgb(b)) == pytest.approx(ratio, abs=0.01)


def test_luminance_of_white_and_black():
    assert luminance(WHITE) == pytest.approx(1.0)
    assert luminance((0.0, 0.0, 0.0)) == 0.0


PARSE_CASES = [("#999", (0.6, 0.6, 0.6)), ("red", (1.0, 0.0, 0.0)), ("999999", (0.6, 0.6, 0.6)),
               ("rgb(255,0,0)", (1.0, 0.0, 0.0)), ("transparent", None),
               ("rgba(0,0,0,.4)", None), ("currentColor", None), ("nonsense", None)]


@pytest.mark.parametrize("text, rgb", PARSE_CASES, ids=[t for t, _ in PARSE_CASES])
def test_colours_are_parsed_from_css_and_legacy_attributes(text, rgb):
    assert parse_rgb(text) == (pytest.approx(rgb) if rgb else None)


ADJUST_CASES = [("#999999", "#ffffff"), ("#ff0000", "#ffffff"), ("#3399ff", "#f7f7f7"),
                ("#ff6666", "#b80000"), ("#666666", "#333333"), ("#808080", "#808080")]


@pytest.mark.parametrize("text, bg", ADJUST_CASES, ids=[f"{t}-on-{b}" for t, b in ADJUST_CASES])
def test_adjusted_colour_meets_the_target_and_keeps_its_hue(text, bg):
    old, background = parse_rgb(text), parse_rgb(bg)
    new = adjusted(old, background)
    assert contrast(new, background) >= MIN_RATIO
    if new not in ((0.0, 0.0, 0.0), WHITE):  # the black/white fallback has no hue to keep
        assert colorsys.rgb_to_hls(*new)[0] == pytest.approx(colorsys.rgb_to_hls(*old)[0],
                                                             abs=0.01)


def test_adjusted_colour_moves_no_further_than_needed():
    new = adjusted(parse_rgb("#999999"), WHITE)
    assert TARGET_RATIO <= contrast(new, WHITE) < TARGET_RATIO + 0.1


FLOOR_CASES = [  # (text, background, changed?)
    ("#999999", Background(), True),  # grey date line on an assumed light page
    ("#ff0000", Background(), True),  # pure red notice: 4.0:1
    ("#333333", Background(), False),  # already readable
    ("#ffffff", Background(), False),  # white text: meant for a dark bar declared elsewhere
    ("#ffcc00", Background(), False),  # yellow menu text: same
    ("#cccccc", Background(), False),  # light grey: ambiguous, probably on a dark bar
    ("#999999", Background(parse_rgb("#333333")), True),  # known dark background: lightened
    ("#ffcc00", Background(parse_rgb("#ffffff")), True),  # known light background: darkened
    ("#ffffff", Background(parse_rgb("#ffffff")), False),  # invisible on purpose: stays hidden
    ("#999999", Background(image=True), False),  # text on a picture we cannot see
]


@pytest.mark.parametrize("text, background, changed", FLOOR_CASES,
                         ids=[f"{t}-{b.color and to_hex(b.color)}-{b.image}"
                              for t, b, _ in FLOOR_CASES])
def test_floor_changes_only_ambiguous_or_known_low_contrast_colours(text, background, changed):
    new = floor_value(text, background)
    assert (new is not None) == changed
    if new is not None:
        on = background.color or WHITE
        assert contrast(parse_rgb(new), on) >= MIN_RATIO
        assert floor_value(new, background) is None  # idempotent


SHEET_CASES = [
    (".date{font-size:12px;color:#999999}", ".date{font-size:12px;color:#6d6d6d}"),
    ("a{color:#999 !important}",
     "a{color:var(--a11y-scheme, #6d6d6d) var(--a11y-floor, #999) !important}"),
    ("@media screen{.d{color:#aaa}}", "@media screen{.d{color:#6d6d6d}}"),
    (".x{background:#b80000;color:#ff6666}", ".x{background:#b80000;color:#ffc4c4}"),
    (".x{background:#fff url(a.png);color:#999}", ".x{background:#fff url(a.png);color:#999}"),
    (".nav{background:#c00}.nav a{color:#999}", ".nav{background:#c00}.nav a{color:#999}"),
    ("body{background:#000}.d{color:#999}", "body{background:#000}.d{color:#999}"),
    ("a{color:inherit}.b{color:#fff}", "a{color:inherit}.b{color:#fff}"),
    ("a{color:#333} /* kept */", "a{color:#333} /* kept */"),
]


@pytest.mark.parametrize("css, expected", SHEET_CASES, ids=[c for c, _ in SHEET_CASES])
def test_stylesheet_floor_in_the_shared_pass(css, expected):
    assert rewrite_stylesheet(css, scale=False, floor=True) == expected
    assert rewrite_stylesheet(expected, scale=False, floor=True) == expected  # idempotent


def test_floor_and_scaling_share_one_pass():
    assert rewrite_stylesheet(".d{font-size:12px;color:#999}", floor=True) == \
        ".d{font-size:calc(12px * var(--a11y-text, 1));color:#6d6d6d}"


@pytest.mark.parametrize("css, expected", [
    (".d{color:#999 !important}",
     ".d{color:var(--a11y-scheme, #6d6d6d) var(--a11y-floor, #999) !important}"),
    ("a::before{color:#999}",
     "a::before{color:var(--a11y-scheme, #6d6d6d) var(--a11y-floor, #999)}"),
], ids=["important", "pseudo-element"])
def test_a_colour_a_scheme_would_not_override_is_switched(css, expected):
    """A scheme's `body *{color:… !important}` loses to these: the site's colour is kept there."""
    assert rewrite_stylesheet(css, scale=False, floor=True) == expected


def test_without_floor_colours_are_untouched():
    assert rewrite_stylesheet(".d{color:#999}") == ".d{color:#999}"


@pytest.mark.parametrize("scheme, expected", [("default", ".d{color:#6d6d6d}"),
                                              ("contrast", ".d{color:#6d6d6d}")],
                         ids=["default-floored", "scheme-overrides-anyway"])
def test_linked_stylesheet_gets_the_floor_for_every_scheme(scheme, expected):
    ctx = ResourceContext(url="http://o/a.css", media_type="text/css",
                          mapper=UrlMapper.__new__(UrlMapper),  # never maps here
                          prefs=Preferences(scheme=scheme))
    assert scale_css_resource(".d{color:#999}", ctx) == expected
    assert "Vary" not in ctx.response_headers
