"""Pinyin for Chinese text: each run of Han characters read with pypinyin's phrase dictionary.

pypinyin segments a run by its phrase dictionary before it reads it, so a polyphone gets the
reading of the word it stands in (银行 yín háng, 行走 xíng zǒu, 长大 zhǎng dà); a character
alone gets its most common reading. Readings carry tone marks. Pages repeat the same text
(menus, footers on every page), so readings of a run are remembered.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, pinyin

#: one run of Han characters (CJK Unified Ideographs and extension A, compatibility ideographs)
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: distinct runs whose readings are remembered (bounded memory)
REMEMBERED_RUNS = 8192
#: a longer run is read as it is, not remembered (a page-long unpunctuated run is rare)
REMEMBERED_RUN_CHARS = 64


def has_han(text: str | None) -> bool:
    return bool(text) and HAN_RUN.search(text) is not None  # type: ignore[arg-type]


def readings(run: str) -> tuple[str, ...]:
    """One tone-marked syllable per character of `run` (a run of Han characters)."""
    if len(run) > REMEMBERED_RUN_CHARS:
        return _read(run)
    return _remembered(run)


@lru_cache(maxsize=REMEMBERED_RUNS)
def _remembered(run: str) -> tuple[str, ...]:
    return _read(run)


def _read(run: str) -> tuple[str, ...]:
    found = pinyin(run, style=Style.TONE, heteronym=False, errors=lambda chars: list(chars))
    syllables = tuple(item[0] for item in found)
    if len(syllables) != len(run):  # never expected; an unaligned reading is not shown
        return tuple("" for _ in run)
    return syllables


def segments(text: str) -> list[tuple[str, tuple[str, ...] | None]]:
    """`text` cut into (piece, readings): readings for each Han run, None for the rest."""
    out: list[tuple[str, tuple[str, ...] | None]] = []
    pos = 0
    for m in HAN_RUN.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], None))
        out.append((m.group(), readings(m.group())))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], None))
    return out
