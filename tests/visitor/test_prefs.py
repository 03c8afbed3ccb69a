"""Preferences: query keys, the elder preset, reset, and a cookie that round-trips."""

from __future__ import annotations

import pytest

from proxy.visitor.prefs import ELDER, SCHEMES, TEXT_STEPS, VIEWS, Preferences


@pytest.mark.parametrize(("query", "expected"), [
    ({"text": "200"}, Preferences(text=200)),
    ({"text": "150", "scheme": "yellow"}, Preferences(text=150, scheme="yellow")),
    ({"spacing": "1", "cursor": "on", "underline": "true"},
     Preferences(spacing=True, cursor=True, underline=True)),
    ({"view": "reading"}, Preferences(view="reading")),
    ({"preset": "elder"}, Preferences(**ELDER)),
    ({"preset": "elder", "text": "200"}, Preferences(**{**ELDER, "text": 200})),
    ({"text": "999"}, Preferences()),
    ({"text": "-100"}, Preferences()),
    ({"scheme": "<script>"}, Preferences()),
    ({"view": "READING"}, Preferences(view="reading")),
    ({"spacing": "maybe"}, Preferences()),
    ({"colour": "blue"}, Preferences()),
], ids=["text", "text-scheme", "flags", "view", "elder", "elder-200", "text-out-of-steps",
        "text-negative", "scheme-unknown", "view-case", "flag-garbage", "unknown-key"])
def test_query_sets_only_valid_values(query, expected):
    assert Preferences.from_query(query) == expected


def test_query_starts_from_the_cookie_and_reset_comes_first():
    base = Preferences(text=175, scheme="blue")
    assert Preferences.from_query({"spacing": "1"}, base) == Preferences(
        text=175, scheme="blue", spacing=True)
    assert Preferences.from_query({"reset": "1"}, base) == Preferences()
    assert Preferences.from_query({"reset": "1", "text": "125"}, base) == Preferences(text=125)


@pytest.mark.parametrize("prefs", [
    Preferences(),
    Preferences(text=200),
    Preferences(**ELDER),
    Preferences(text=125, scheme="cream", underline=True, view="text"),
], ids=["default", "text-200", "elder", "mixed"])
def test_cookie_round_trips(prefs):
    assert Preferences.from_cookie(prefs.to_cookie()) == prefs


def test_cookie_holds_only_changed_keys_in_cookie_safe_characters():
    value = Preferences(text=200, scheme="yellow").to_cookie()
    assert value == "text:200|scheme:yellow"
    assert Preferences().to_cookie() == ""
    assert not set(value) & set(' ",;\\=')  # never quoted by a cookie library


@pytest.mark.parametrize(("cookie", "expected"), [
    (None, Preferences()),
    ("", Preferences()),
    ("garbage", Preferences()),
    ("text=200", Preferences(text=200)),
    ("text=200&scheme=blue", Preferences(text=200, scheme="blue")),
    ("text:abc|scheme:", Preferences()),
    ("reset:1|text:150", Preferences(text=150)),
], ids=["none", "empty", "garbage", "legacy-query-form", "legacy-two-keys", "bad-values",
        "reset-ignored-in-cookie"])
def test_cookie_reading_never_fails(cookie, expected):
    assert Preferences.from_cookie(cookie) == expected


def test_offered_values():
    assert TEXT_STEPS == (100, 125, 150, 175, 200)
    assert set(SCHEMES) == {"default", "contrast", "yellow", "blue", "cream"}
    assert VIEWS == ("normal", "text", "reading")


def test_elder_preset_is_recognised_with_larger_text_too():
    assert Preferences(**ELDER).is_elder
    assert Preferences(**{**ELDER, "text": 200}).is_elder
    assert not Preferences(**{**ELDER, "text": 125}).is_elder
    assert not Preferences().is_elder
    assert Preferences().is_default and not Preferences(text=125).is_default


def test_reading_aid_keys_parse_round_trip_and_reject_junk():
    prefs = Preferences.from_query({"pinyin": "1", "script": "Traditional"})
    assert prefs.pinyin and prefs.script == "traditional"
    assert Preferences.from_cookie(prefs.to_cookie()) == prefs
    assert prefs.to_cookie() == "pinyin:1|script:traditional"
    assert Preferences.from_query({"script": "klingon", "pinyin": "maybe"}) == Preferences()
    assert Preferences.from_query({"script": "hk"}).script == "hk"
    assert hash(prefs) != hash(Preferences())  # the cache key follows the preferences
