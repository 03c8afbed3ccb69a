"""Write proxy/encoding/hanzi_frequency.txt: the most frequent Chinese characters and
two-character words, in order.

The lost-byte repair (proxy/encoding/lostbytes.py) chooses between valid characters by how
likely they are: next to their neighbours (a common word), then alone (a common character).
Both rankings come from jieba's dictionary (MIT licence): its words' counts, each word's count
also added to each of its characters. jieba is needed only to run this script:

    python -m venv /tmp/jb && /tmp/jb/bin/pip install jieba==0.42.1
    /tmp/jb/bin/python bench/make_hanzi_frequency.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jieba

KEPT = 4000  #: GB2312's level 1 has 3755 characters: this covers ordinary text
WORDS_KEPT = 8000  #: the common two-character words
OUT = Path(__file__).resolve().parent.parent / "proxy" / "encoding" / "hanzi_frequency.txt"


def main() -> None:
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, count, *_ = line.split(" ")
        if len(word) == 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            words[word] += int(count)
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                counts[ch] += int(count)
    ranked = "".join(ch for ch, _ in counts.most_common(KEPT))
    pairs = " ".join(word for word, _ in words.most_common(WORDS_KEPT))
    OUT.write_text(f"# the {KEPT} most frequent hanzi, then the {WORDS_KEPT} most frequent "
                   f"two-character words, most frequent first; made by "
                   f"bench/make_hanzi_frequency.py from jieba {jieba.__version__}'s dictionary "
                   f"(MIT)\n{ranked}\n{pairs}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
