"""Pinyin readings: the issue's polyphones, and accuracy on CC-CEDICT's readings of polyphone
words (tests/reading/data/polyphones.tsv: a public source, not pypinyin's own data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.reading.pinyin import has_han, readings, segments

DATA = Path(__file__).parent / "data" / "polyphones.tsv"
#: what the issue asks for on the list; the measured figure is reported in bench/README.md
WANTED = 0.95
#: the figure measured when the list was made: a drop below it is a regression
FLOOR = 0.92
MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}


def marked(numbered: str) -> str:
    """CEDICT's `hang2` as `háng` (the standard placement rule: a or e, the o of ou, else the
    last vowel; tone 5 is neutral, unmarked)."""
    syllable = numbered.lower().replace("u:", "ü")
    tone, base = int(syllable[-1]), syllable[:-1]
    if tone == 5:
        return base
    vowel = next((v for v in "ae" if v in base), None) or ("o" if "ou" in base else None)
    at = base.index(vowel) if vowel else max(i for i, c in enumerate(base) if c in MARKS)
    return base[:at] + MARKS[base[at]][tone - 1] + base[at + 1:]


def polyphones() -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in DATA.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, numbered = line.split("\t")
            rows.append((word, tuple(marked(s) for s in numbered.split())))
    return rows


def test_marked_follows_the_placement_rule():
    assert [marked(s) for s in ("hang2", "zou3", "liu2", "gui4", "lu:4", "de5", "lou2")] == \
        ["háng", "zǒu", "liú", "guì", "lǜ", "de", "lóu"]


@pytest.mark.parametrize(("word", "expected"), [
    ("银行", ("yín", "háng")), ("行走", ("xíng", "zǒu")), ("长大", ("zhǎng", "dà")),
    ("长城", ("cháng", "chéng")), ("重庆", ("chóng", "qìng"))])
def test_the_issues_polyphones(word, expected):
    assert readings(word) == expected


def _accuracy() -> tuple[float, list[str]]:
    rows = polyphones()
    wrong = [f"{w}: {' '.join(readings(w))} (CEDICT {' '.join(e)})" for w, e in rows
             if readings(w) != e]
    return 1 - len(wrong) / len(rows), wrong


def test_polyphone_list_is_large_enough_and_public():
    assert len(polyphones()) >= 200
    assert "CC-CEDICT" in DATA.read_text("utf-8").splitlines()[0]


def test_polyphone_accuracy_does_not_regress():
    accuracy, wrong = _accuracy()
    assert accuracy >= FLOOR, f"{accuracy:.1%}\n" + "\n".join(wrong)


@pytest.mark.xfail(strict=True, reason="pypinyin's phrase dictionary reads 92.5 % of the list "
                   "as CEDICT does (为 wéi/wèi, 得 de/dé, neutral tones): below the issue's 95 %")
def test_polyphone_accuracy_reaches_the_issues_target():
    accuracy, wrong = _accuracy()
    assert accuracy >= WANTED, f"{accuracy:.1%}\n" + "\n".join(wrong)


def test_segments_keep_every_character_and_read_only_han():
    text = "2019年9月，我在银行 work。"
    pieces = segments(text)
    assert "".join(p for p, _ in pieces) == text
    for piece, read in pieces:
        assert (read is not None) == has_han(piece)
        if read is not None:
            assert len(read) == len(piece)
    assert ("银行", None) not in pieces and any(r and "háng" in r for _, r in pieces)


def test_no_han_no_reading():
    assert not has_han("abc 123 ，。") and not has_han(None) and segments("") == []
