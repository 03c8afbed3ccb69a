"""简 / 繁: Chinese text converted between Simplified and Traditional with OpenCC.

OpenCC converts phrase by phrase (头发 -> 頭髮, 发展 -> 發展), and its Taiwan and Hong Kong
configurations also use those places' characters and words (软件 -> 軟體 in Taiwan). One
converter per configuration is made once per process (loading the dictionaries is the costly
part) and reused.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import opencc

#: the `script` preference -> (OpenCC configuration, BCP 47 language tag of the result)
TARGETS = {
    "simplified": ("t2s.json", "zh-Hans"),
    "traditional": ("s2t.json", "zh-Hant"),
    "tw": ("s2twp.json", "zh-Hant-TW"),
    "hk": ("s2hk.json", "zh-Hant-HK"),
}
#: joins the texts of one page for one conversion call: a private-use character is in no
#: OpenCC dictionary, so no phrase spans two texts and each converts as it would alone
JOIN = "\ue000"


@cache
def converter(target: str) -> Any:
    return opencc.OpenCC(TARGETS[target][0])


def lang_tag(target: str) -> str:
    return TARGETS[target][1]


def convert(texts: list[str], target: str) -> list[str]:
    """Each of `texts` converted to `target` (a key of TARGETS)."""
    if not texts:
        return []
    conv = converter(target)
    joined = conv.convert(JOIN.join(texts))
    parts = joined.split(JOIN)
    if len(parts) != len(texts):  # never expected: fall back to one call per text
        return [conv.convert(t) for t in texts]
    return parts
