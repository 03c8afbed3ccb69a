"""Which language a page's text is in, from its scripts (Han, kana, Hangul, Latin, Cyrillic ...).

Chinese is told apart as zh-CN or zh-TW by counting characters that exist only in simplified or
only in traditional form (the most frequent pairs of the official simplification table). Latin
text is taken as English: the sites served here are Chinese government sites whose rare Latin
pages are English; anything subtler would need a statistical model we do not ship.
"""

from __future__ import annotations

#: simplified form -> traditional form, the frequent pairs of the 简化字总表 (one string each)
SIMPLIFIED = ("国会发时这为个们来说对与区务门长东业开关经进动实现从于学单员机农书办报县网页"
              "号闻电话设请统战线华当间问题应该达边几点样简体万条级联众览护卫规划产传议让认识"
              "记还没见觉宁灵总热爱证据质变处语钱铁银车运输价专"
              "医药乡镇讯环态资财税贸饭馆")
TRADITIONAL = ("國會發時這為個們來說對與區務門長東業開關經進動實現從於學單員機農書辦報縣網頁"
               "號聞電話設請統戰線華當間問題應該達邊幾點樣簡體萬條級聯眾覽護衛規劃產傳議讓認識"
               "記還沒見覺寧靈總熱愛證據質變處語錢鐵銀車運輸價專"
               "醫藥鄉鎮訊環態資財稅貿飯館")
_SIMPLIFIED = frozenset(SIMPLIFIED)
_TRADITIONAL = frozenset(TRADITIONAL)
#: characters examined at most (a page's first few thousand letters are enough)
SAMPLE = 20000
#: a script must have this share of the letters to decide the language
MIN_SHARE = 0.3
#: Latin letters count as this many Han characters (a Han character carries about a word)
LATIN_WEIGHT = 0.25


def _script(ch: str) -> str | None:
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


SCRIPT_LANG = {"kana": "ja", "hangul": "ko", "cyrillic": "ru", "arabic": "ar", "thai": "th",
               "latin": "en"}


def detect(text: str) -> str | None:
    """BCP 47 tag for `text` (zh-CN, zh-TW, ja, ko, en, ...), or None when it cannot tell."""
    counts: dict[str, float] = {}
    simplified = traditional = 0
    for ch in text[:SAMPLE]:
        script = _script(ch)
        if script is None:
            continue
        counts[script] = counts.get(script, 0) + (LATIN_WEIGHT if script == "latin" else 1)
        if script == "han":
            simplified += ch in _SIMPLIFIED
            traditional += ch in _TRADITIONAL
    total = sum(counts.values())
    if not total:
        return None
    if counts.get("kana", 0) >= 0.05 * total:  # Japanese mixes kana into Han text
        return "ja"
    script, top = max(counts.items(), key=lambda kv: kv[1])
    if top < MIN_SHARE * total:
        return None
    if script == "han":
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
