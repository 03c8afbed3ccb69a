"""Is a CJK decoding plausible? The share of its non-ASCII characters that are common ones.

Legacy double-byte encodings overlap: Big5 and Shift_JIS bytes almost always decode *strictly*
as GBK, into rare characters. Real text is dominated by each standard's frequent set (GB2312,
Big5 level 1, JIS X 0208 level 1 + kana, KS X 1001 hangul), so a strict decode whose characters
are mostly rare is the wrong encoding. The sets are built once from the codecs themselves.
"""

from __future__ import annotations

import re
from functools import cache

#: a decoding is plausible when at least this share of its non-ASCII characters is common
PLAUSIBLE_SHARE = 0.8
#: characters looked at (enough for a stable share, cheap on big pages)
SAMPLE_CHARS = 4000
WINDOW = 16 * SAMPLE_CHARS  #: text searched for them, from the first non-ASCII character
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
#: Unicode punctuation, spaces and symbols that every one of these pages uses
_NEUTRAL = frozenset("\u00a0\u00a9\u00ae\u00b7\u00d7\u2014\u2018\u2019\u201c\u201d\u2022\u2026"
                     "\u3000\u3001\u3002\u300a\u300b\u3010\u3011\uff01\uff08\uff09\uff0c"
                     "\uff1a\uff1b\uff1f\ufffd")
_TRAILS = bytes(range(0xA1, 0xFF))
_BIG5_TRAILS = bytes(range(0x40, 0x7F)) + _TRAILS

#: python codec -> (codec used to enumerate, lead bytes, trail bytes) of its frequent set
_FREQUENT = {
    "gb18030": ("gb2312", range(0xA1, 0xF8), _TRAILS),  # GB2312, all of it
    "big5hkscs": ("big5", range(0xA1, 0xC7), _BIG5_TRAILS),  # symbols + level 1 hanzi
    "cp932": ("euc-jp", range(0xA1, 0xD0), _TRAILS),  # JIS X 0208 rows 1-47
    "euc_jp": ("euc-jp", range(0xA1, 0xD0), _TRAILS),
    "cp949": ("euc-kr", range(0xA1, 0xC9), _TRAILS),  # symbols + 2350 hangul
}
for _alias, _table in (("big5", "big5hkscs"), ("shift_jis", "cp932"), ("euc_jis_2004", "euc_jp"),
                      ("euc_jisx0213", "euc_jp"), ("gbk", "gb18030"), ("gb2312", "gb18030"),
                      ("euc_kr", "cp949")):
    _FREQUENT[_alias] = _FREQUENT[_table]
CJK_CODECS = tuple(_FREQUENT)
#: a table, not a codec: GB2312's hanzi and its Chinese punctuation rows (A1, A3), without the
#: rows of kana, Greek, Cyrillic and box drawing that other double-byte text reads as
HANZI = "gb2312-hanzi"
_FREQUENT[HANZI] = ("gb2312", (0xA1, 0xA3, *range(0xB0, 0xF8)), _TRAILS)


@cache
def frequent(codec: str) -> frozenset[str]:
    source, leads, trails = _FREQUENT[codec]
    chars: set[str] = set(_NEUTRAL)
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(source))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def common_share(text: str, codec: str) -> tuple[float, int]:
    """(share of common characters among the sampled non-ASCII ones, how many were sampled).
    (1.0, 0) for text without non-ASCII characters; codecs without a table count as common."""
    if codec not in _FREQUENT:
        return 1.0, 0
    first = _NON_ASCII.search(text)
    if first is None:
        return 1.0, 0
    window = text[first.start():first.start() + WINDOW]
    sample = _ASCII_RUNS.sub("", window)[:SAMPLE_CHARS]
    rare = len(_rare_characters(codec).findall(sample))  # counted in C, not per character
    return (len(sample) - rare) / len(sample), len(sample)


@cache
def _rare_characters(codec: str) -> re.Pattern[str]:
    """Any one character outside `frequent(codec)`."""
    return re.compile(f"[^{re.escape(''.join(sorted(frequent(codec))))}]")


def plausible(text: str, codec: str) -> bool:
    return common_share(text, codec)[0] >= PLAUSIBLE_SHARE
