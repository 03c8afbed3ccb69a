"""Lost-byte mojibake: UTF-8 read as GBK, saved again, with U+FFFD for each byte the GBK
reading could not pair and dropped. The bytes are chosen back from context."""

from __future__ import annotations

import difflib

import pytest

from proxy.encoding import mojibake
from proxy.encoding.lostbytes import Context, fill
from proxy.encoding.mojibake import repair_mojibake
from tests.conftest import SHARED
from tests.encoding.samples import ZH

SEED = SHARED / "seed" / "000_9fd3433af4c1c817.txt"


def lossy_misread(text: str) -> str:
    """What a CMS that read UTF-8 as GBK (dropping each byte it could not pair) stored."""
    return text.encode("utf-8").decode("gbk", "replace")


def recovered(original: str, repaired: str) -> float:
    """The share of the original's non-ASCII characters found in place in the repair."""
    blocks = difflib.SequenceMatcher(None, original, repaired, autojunk=False)
    kept = sum(not ch.isascii() for block in blocks.get_matching_blocks()
               for ch in original[block.a:block.a + block.size])
    return kept / sum(not ch.isascii() for ch in original)


def test_seed_text_with_lost_bytes_is_recovered():
    text = SEED.read_text(encoding="utf-8")
    broken = lossy_misread(text)
    assert broken.count("\ufffd") > 300  # the sample really lost bytes
    repaired, notes = repair_mojibake(broken)
    assert recovered(text, repaired) >= 0.9, notes
    # the runs around each break alone (the repair without choosing bytes back) fall short
    assert recovered(text, mojibake._repair_gbk_runs(broken, [], None)) < 0.8


@pytest.mark.parametrize("text", ["新的社会阶层人士是伴随着改革开放", "党中央召开",
                                  "2019年", "各领域工作。</p>"])
def test_short_phrases_come_back_whole(text):
    broken = lossy_misread(text)
    assert "\ufffd" in broken
    assert repair_mojibake(broken)[0] == text


@pytest.mark.parametrize("text",
                         [ZH + "\ufffd" + ZH, "中\ufffd文", "\ufffd\ufffd", "暗岸\ufffd胺案"],
                         ids=["zh-with-replacement", "gbk-lead", "only-lost", "continuation-leads"])
def test_text_with_replacement_characters_but_no_misreading_is_left_alone(text):
    assert repair_mojibake(text) == (text, [])


def test_each_lost_byte_is_one_the_gbk_reading_could_not_pair():
    # 是 = E6 98 AF: AF before E4 (伴) is no GBK pair, so it was lost; 昭 (E6 98 AD) fits the
    # UTF-8 as well, but 是 is far more frequent
    data = fill([b"\xe6\x98", None, "伴".encode()], None, Context.of(""))
    assert data is not None and data.decode("utf-8", "ignore").startswith("是")
    # B0 before E4 would have been paired (B0E4 is a GBK character), never lost
    assert all(b != 0xB0 for b in data[2:3])


def test_context_of_the_page_decides_between_frequent_characters():
    pieces = [b"\xe4\xba\xba\xe5\xa3", None, "人".encode()]  # 人, 士/壮/壬 (E5 A3 ?), 人
    assert fill(pieces, None, Context.of("人壮"))[:6].decode() == "人壮"
    assert fill(pieces, None, Context.of("人士"))[:6].decode() == "人士"


def test_no_valid_choice_is_no_repair():
    assert fill([b"\xe4", None, b"abc"], None, Context.of("")) is None
