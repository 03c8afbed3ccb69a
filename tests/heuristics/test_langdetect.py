"""proxy/heuristics/langdetect.py: the C-level counting agrees with a per-character reference."""

from __future__ import annotations

import random

import pytest

from proxy.heuristics import langdetect


def _reference_script(ch: str) -> str | None:
    """The definition, one character at a time (what the fast counting must reproduce)."""
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "hangul"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if ch.isascii() and ch.isalpha() or 0x00C0 <= code <= 0x024F:
        return "latin"
    if 0x0600 <= code <= 0x06FF:
        return "arabic"
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    return None


def _reference_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if (script := _reference_script(ch)) is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


#: every range edge, its neighbours, and characters that share a high byte with a counted
#: script without being one (CJK punctuation 、。, Yijing hexagrams, Hangul Jamo Extended-B)
EDGES = [chr(c) for c in (0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0xBF, 0xC0, 0xD7,
                          0xF7, 0x24F, 0x250, 0x3FF, 0x400, 0x4FF, 0x500, 0x5FF, 0x600, 0x6FF,
                          0x700, 0xDFF, 0xE00, 0xE7F, 0xE80, 0x10FF, 0x1100, 0x11FF, 0x1200,
                          0x3001, 0x3002, 0x303F, 0x3040, 0x30FF, 0x3100, 0x33FF, 0x3400,
                          0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0xABFF, 0xAC00,
                          0xD7AF, 0xD7B0, 0xD7FF, 0xE000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00,
                          0xFFFD, 0x1F600, 0x20000)]


def _random_text(rng: random.Random, size: int) -> str:
    pools = [EDGES, list("国会发國會發的了是在中华人民共和国"), list("ひらがなカタカナ"),
             list("한국어"), list("Русский"), list("English text, 2019."), list(" \n\t，。")]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(size))


@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"seed{s}")
def test_counts_match_the_per_character_definition(seed: int) -> None:
    text = _random_text(random.Random(seed), 300)
    assert langdetect.script_counts(text) == _reference_counts(text)
    assert list(langdetect.script_counts(text)) == list(_reference_counts(text))  # order too


def test_lone_surrogates_and_astral_characters_are_not_counted() -> None:
    assert langdetect.script_counts("\ud800a\udfff\U00020000") == {"latin": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("中华人民共和国国务院办公厅关于发展的通知", "zh-CN"),
    ("中華人民共和國國務院辦公廳關於發展的通知", "zh-TW"),
    ("日本語のテキストです", "ja"),
    ("한국어 텍스트입니다", "ko"),
    ("Русский текст", "ru"),
    ("An English sentence about the site.", "en"),
    ("12345 ,.;", None),
    ("abcd中", "en"),  # a tie (1.0 each): the script seen first wins
    ("中abcd", "zh-CN"),
], ids=["simplified", "traditional", "japanese", "korean", "russian", "english", "no-letters",
        "tie-latin-first", "tie-han-first"])
def test_detect(text: str, expected: str | None) -> None:
    assert langdetect.detect(text) == expected
