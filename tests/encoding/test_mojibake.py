"""Mojibake repair: certain repairs only; correct text in any language is never touched."""

from __future__ import annotations

import json

import pytest

from proxy.encoding import mojibake
from proxy.encoding.detect import normalize_label
from proxy.encoding.mojibake import repair_mojibake
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


def test_latin_pre_check_on_utf8_finds_exactly_the_pairs_the_text_pattern_finds():
    pairs = [(chr(lead), "\x80") for lead in range(0x20, 0x800)] + [
        (lead, chr(trail)) for lead in "\u00c1\u00c2\u00c3\u00ef\u00f0"
        for trail in (*range(0x20, 0x2200), *range(0x2200, 0xD800, 7), *range(0xE000, 0x10000, 7))]
    for lead, trail in pairs:
        text = f"a{lead}{trail}b"
        assert bool(mojibake._LATIN_HINT.search(text)) == bool(
            mojibake._LATIN_HINT_UTF8.search(text.encode("utf-8"))), text


def test_gbk_repair_starts_at_the_first_anchor_and_repairs_every_run():
    broken = "文章".encode().decode("gbk")  # 鏂囩珷
    text = "正常的中文" + broken + "，再说" + broken
    assert mojibake.repair_mojibake(text)[0] == "正常的中文文章，再说文章"


def test_every_repairable_run_holds_the_pair_the_gbk_pre_check_looks_for():
    anchors, _, _, pair = mojibake._misread_tables()
    for word in ("文章", "通知公告", "政务公开", "无障碍", "锟斤拷", "首页", "联系我们"):
        broken = word.encode().decode("gbk", "replace")
        if repair_mojibake(broken)[0] != broken:
            assert pair.search(broken), word
    rare = "鏂鏂鏂"  # anchors only: no continuation-led character after any of them
    assert anchors.search(rare) and not pair.search(rare)
    assert repair_mojibake(rare)[0] == rare


def test_gbk_pre_check_on_the_non_ascii_characters_keeps_every_repairable_page():
    broken = "文章".encode().decode("gbk")  # 鏂囩珷: a pair (鏂 then 囩)
    page = f"<p class='x'>{broken}</p><a href='/a'>正常</a>"
    assert mojibake.may_hold_gbk_mojibake(page.encode())
    assert repair_mojibake(page)[0] == "<p class='x'>文章</p><a href='/a'>正常</a>"
    assert not mojibake.may_hold_gbk_mojibake("<p>鏂 x 鏂</p>正常的中文".encode())
    # an anchor and a continuation-led character parted by ASCII only look like a pair here
    assert mojibake.may_hold_gbk_mojibake("鏂<b>囩</b>".encode())
    assert repair_mojibake("鏂<b>囩</b>")[0] == "鏂<b>囩</b>"
