"""Which language a page's text is in, from its scripts (Han, kana, Hangul, Latin, Cyrillic ...).

Chinese is told apart as zh-CN or zh-TW by counting characters that exist only in simplified or
only in traditional form (the most frequent pairs of the official simplification table). Latin
text is taken as English: the sites served here are Chinese government sites whose rare Latin
pages are English; anything subtler would need a statistical model we do not ship.
"""

from __future__ import annotations

import re

#: simplified form -> traditional form, the frequent pairs of the 简化字总表 (one string each)
SIMPLIFIED = ("国会发时这为个们来说对与区务门长东业开关经进动实现从于学单员机农书办报县网页"
              "号闻电话设请统战线华当间问题应该达边几点样简体万条级联众览护卫规划产传议让认识"
              "记还没见觉宁灵总热爱证据质变处语钱铁银车运输价专"
              "医药乡镇讯环态资财税贸饭馆")
TRADITIONAL = ("國會發時這為個們來說對與區務門長東業開關經進動實現從於學單員機農書辦報縣網頁"
               "號聞電話設請統戰線華當間問題應該達邊幾點樣簡體萬條級聯眾覽護衛規劃產傳議讓認識"
               "記還沒見覺寧靈總熱愛證據質變處語錢鐵銀車運輸價專"
               "醫藥鄉鎮訊環態資財稅貿飯館")
#: characters examined at most (a page's first few thousand letters are enough)
SAMPLE = 20000
#: a script must have this share of the letters to decide the language
MIN_SHARE = 0.3
#: Latin letters count as this many Han characters (a Han character carries about a word)
LATIN_WEIGHT = 0.25


#: the code point ranges of each script counted (a character is in at most one)
SCRIPT_RANGES = {
    "han": "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff",
    "kana": "\u3040-\u30ff",
    "hangul": "\uac00-\ud7af\u1100-\u11ff",
    "cyrillic": "\u0400-\u04ff",
    "latin": "A-Za-z\u00c0-\u024f",
    "arabic": "\u0600-\u06ff",
    "thai": "\u0e00-\u0e7f",
}
SCRIPT_LANG = {"kana": "ja", "hangul": "ko", "cyrillic": "ru", "arabic": "ar", "thai": "th",
               "latin": "en"}

# Counting runs in C, not per character in Python (a Python loop pays the interpreter's
# overhead on every character):
# 1. one regex pass drops the uncounted characters of the 256-blocks that are partly counted
#    (ASCII punctuation and digits, CJK punctuation 、。 ...);
# 2. in what is left, a character's script follows from its high byte alone (a block is now
#    all one script, or of none: full-width ，, “” and astral characters, as surrogate pairs,
#    are of none), so the UTF-16 high bytes, translated to one script letter each, are
#    counted with bytes.count. Dropping only the partial blocks' gaps, not every uncounted
#    character, leaves the regex fewer runs to cut out of Chinese text.
_SCRIPT_BYTE = {"han": b"h", "kana": b"k", "hangul": b"g", "cyrillic": b"c", "latin": b"l",
                "arabic": b"a", "thai": b"t"}


def _partial_block_gaps() -> re.Pattern[str]:
    counted = {code for ranges in SCRIPT_RANGES.values()
               for low, high in re.findall("(.)-(.)", ranges, re.S)
               for code in range(ord(low), ord(high) + 1)}
    gaps = sorted(code for block in {code >> 8 for code in counted}
                  for code in range(block << 8, (block + 1) << 8) if code not in counted)
    runs: list[list[int]] = []
    for code in gaps:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                                    for low, high in runs) + "]+")


_PARTIAL_BLOCK_GAPS = _partial_block_gaps()


def _high_byte_table() -> bytes:
    table = bytearray(b"?" * 256)
    for script, ranges in SCRIPT_RANGES.items():
        for low, high in re.findall("(.)-(.)", ranges, re.S):
            for block in range(ord(low) >> 8, (ord(high) >> 8) + 1):
                table[block] = _SCRIPT_BYTE[script][0]
    return bytes(table)


_HIGH_BYTE_SCRIPT = _high_byte_table()
_SIMPLIFIED_CHARS = re.compile(f"[{SIMPLIFIED}]")
_TRADITIONAL_CHARS = re.compile(f"[{TRADITIONAL}]")


def script_counts(text: str) -> dict[str, int]:
    """How many characters of each counted script `text` has, in the order the scripts first
    appear (scripts with none left out)."""
    letters = _PARTIAL_BLOCK_GAPS.sub("", text)
    # surrogatepass: a lone surrogate (of no script) is encoded, not an error
    scripts = letters.encode("utf-16-be", "surrogatepass")[::2].translate(_HIGH_BYTE_SCRIPT)
    found = [(scripts.find(mark), script, mark) for script, mark in _SCRIPT_BYTE.items()]
    return {script: scripts.count(mark) for first, script, mark in sorted(found) if first >= 0}


def detect(text: str) -> str | None:
    """BCP 47 tag for `text` (zh-CN, zh-TW, ja, ko, en, ...), or None when it cannot tell."""
    sample = text[:SAMPLE]
    counts: dict[str, float] = dict(script_counts(sample))
    if "latin" in counts:
        counts["latin"] *= LATIN_WEIGHT
    total = sum(counts.values())
    if not total:
        return None
    if counts.get("kana", 0) >= 0.05 * total:  # Japanese mixes kana into Han text
        return "ja"
    script, top = max(counts.items(), key=lambda kv: kv[1])
    if top < MIN_SHARE * total:
        return None
    if script == "han":
        simplified = len(_SIMPLIFIED_CHARS.findall(sample))
        traditional = len(_TRADITIONAL_CHARS.findall(sample))
        return "zh-TW" if traditional > simplified else "zh-CN"
    return SCRIPT_LANG.get(script)


def agrees(existing: str, detected: str) -> bool:
    """Is the page's own `lang` a correct (perhaps more precise) statement of `detected`?"""
    have = existing.strip().lower().replace("_", "-")
    want = detected.lower()
    if have.split("-")[0] != want.split("-")[0]:
        return False
    if want.startswith("zh") and "-" in have:
        traditional = any(tag in have for tag in ("-tw", "-hk", "-mo", "-hant"))
        return traditional == (want == "zh-tw")
    return True
