"""Mojibake repair: certain repairs only; correct text in any language is never touched."""

from __future__ import annotations

import json

import pytest

from proxy.encoding import normalize_label
from proxy.mojibake import repair_mojibake
from tests.conftest import SHARED
from tests.encoding.samples import ZH, ZH_HANT

PAGES = SHARED / "corpus" / "pages"


def gbk_misread(text: str) -> str:
    """What a CMS that read UTF-8 as GBK stored."""
    return text.encode("utf-8").decode("gbk", "replace")


@pytest.mark.parametrize(("broken", "fixed"), [
    (gbk_misread("文章"), "文章"),
    (gbk_misread("新的社会阶层"), "新的社会阶层"),
    ("<p>爱" + gbk_misread("文章") + "</p>", "<p>爱文章</p>"),
    (ZH + gbk_misread("统战工作"), ZH + "统战工作"),
    ("锟斤拷", "\ufffd\ufffd"),
    ("CafÃ© crÃ¨me", "Café crème"),
    ("<p>donâ€™t</p><p>ok</p>", "<p>don’t</p><p>ok</p>"),
], ids=["wenzhang", "phrase", "after-genuine-char", "inside-correct-text", "kunjinkao",
        "latin", "latin-quote"])
def test_certain_mojibake_is_repaired(broken: str, fixed: str):
    text, notes = repair_mojibake(broken)
    assert text == fixed
    assert notes


@pytest.mark.parametrize("text", [
    ZH, ZH_HANT, "鏂", "锟", "Ã", "naïve café, Straße, Ærø", "Â", "暗岸胺案肮昂", "爱碍安按暗岸",
    "Привет, мир", "ÃO PAULO",
], ids=["zh", "zh-hant", "one-misread-char", "one-kun", "lone-A-tilde", "latin",
        "lone-A-circumflex", "gbk-continuation-leads", "more-b0-leads", "cyrillic", "caps"])
def test_correct_text_is_left_alone(text: str):
    assert repair_mojibake(text) == (text, [])


def _pages() -> list[tuple[str, str]]:
    index = PAGES / "index.json"
    pages = json.loads(index.read_text())["pages"] if index.exists() else []
    return [(p["file"], p["true_encoding_guess"]) for p in pages]


@pytest.mark.parametrize(("name", "encoding"), _pages(), ids=[p[0] for p in _pages()])
def test_clean_corpus_pages_pass_through_unchanged(name: str, encoding: str):
    text = (PAGES / name).read_bytes().decode(normalize_label(encoding) or "ascii", "replace")
    assert repair_mojibake(text) == (text, [])
