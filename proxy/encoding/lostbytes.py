"""The bytes a UTF-8-read-as-GBK misreading lost: chosen back from context.

A CMS that read UTF-8 as GBK replaced each byte it could not pair with U+FFFD, dropping it:
the byte began a pair the GBK table does not hold (0x80, a user-defined lead such as 0xAB
before a UTF-8 lead byte, or any lead before an ASCII byte below 0x40). So one U+FFFD is one
lost byte, and the candidates for it are few: the bytes that (1) would have failed to pair with
the byte after them, as the CMS saw, and (2) make the UTF-8 around them valid. Among those, the
character the lost byte completes is chosen by how likely it is where it stands:

- context: how often the page's own text has it next to its neighbours, then at all (a page
  repeats its words: 人士 here makes 人士 likely there);
- frequency: the most frequent Chinese characters, Chinese punctuation, GB2312's level-1
  hanzi (the frequent 3755), the rest of GB2312, the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

#: the best partial choices kept while a run's lost bytes are chosen: a character that lost
#: two bytes keeps every choice of the first (64 continuation bytes) until the second decides
BEAM = 64
LOST_TOO = -1  #: "the next byte was lost as well"
WINDOW = 6  #: bytes looked at on each side of a lost one: its character and a neighbour
#: most frequent first
_PUNCTUATION = "，。、：“”；？！《》（）【】—…·‘’"
FREQUENCY_TABLE = "hanzi_frequency.txt"


@dataclass
class Context:
    """Character and neighbour counts of the text around the repairs."""

    chars: Counter[str]
    pairs: Counter[str]
    #: (character, left, right) -> _score, as the page's words come back
    scores: dict[tuple[str, str, str], tuple[int, int, int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> Context:
        cjk = "".join(ch if ord(ch) > 0x2FFF else " " for ch in text)
        return cls(Counter(cjk), Counter(cjk[i:i + 2] for i in range(len(cjk) - 1)))


def _gbk_pairs(lead: int, trail: int | None) -> bool:
    """Would the CMS's GBK decoder have paired `lead` with `trail`? (None: unknown, any)"""
    return trail is not None and _gbk_pair_table()[lead << 8 | trail] == 1


@cache
def _gbk_pair_table() -> bytes:
    """1 at lead * 256 + trail for every two bytes GBK decodes, built once from the codec."""
    table = bytearray(0x10000)
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            table[lead << 8 | trail] = 1
    return bytes(table)


@cache
def _language() -> tuple[dict[str, int], frozenset[str]]:
    """(character -> frequency rank, common two-character words), from the shipped table
    (bench/make_hanzi_frequency.py); Chinese punctuation ranks with the most frequent."""
    lines = (Path(__file__).parent / FREQUENCY_TABLE).read_text(encoding="utf-8").splitlines()
    chars, words = lines[1], lines[2].split()
    rank = {ch: i for i, ch in enumerate(_PUNCTUATION)}
    rank.update((ch, i) for i, ch in enumerate(chars) if ch not in rank)
    return rank, frozenset(words)


def _score(ch: str, before: str, after: str, context: Context) -> tuple[int, int, int, int]:
    """Likelier characters score higher: in a pair this page has, in a common word, on this
    page at all, frequent."""
    if (known := context.scores.get((ch, before, after))) is not None:
        return known
    rank, words = _language()
    in_page = context.pairs[before + ch] + context.pairs[ch + after]
    in_words = (before + ch in words) + (ch + after in words)
    score = in_page, in_words, min(context.chars[ch], 1), -rank.get(ch, len(rank))
    context.scores[ch, before, after] = score
    return score


def fill(pieces: list[bytes | None], following: int | None, context: Context) -> bytes | None:
    """`pieces`: the run's bytes with None where a byte was lost; `following`: the byte after
    the run (None: unknown, e.g. the end of the text). The bytes with the likeliest valid
    choices filled in, or None when no choice makes valid UTF-8.

    A beam search from left to right: a choice's score counts the choice before it as its
    neighbour (中 then 央 make the word 中央, 一 then 太 nothing), and the scores of a
    sequence of choices add up feature by feature, compared in the order of `_score`."""
    gaps, offsets, offset = [], [], 0
    for index, piece in enumerate(pieces):
        if piece is None:
            gaps.append(index)
            offsets.append(offset)
        offset += 1 if piece is None else len(piece)
    offsets.append(offset + WINDOW)  # after the last gap: nothing near
    beam: list[tuple[tuple[int, ...], dict[int, int]]] = [((0, 0, 0, 0), {})]
    for k, gap in enumerate(gaps):
        grown = []
        for total, chosen in beam:
            for score, byte in _candidates(pieces, gap, following, chosen, context):
                summed = tuple(map(sum, zip(total, score, strict=True)))
                grown.append((summed, {**chosen, gap: byte}))
        grown.sort(key=lambda state: state[0], reverse=True)
        # a choice is scored with its neighbours: what was chosen further back hardly changes
        # a later score, so of the states that agree on this choice only the best goes on
        # (and when the next lost byte is out of this one's window, nothing chosen here
        # changes its score: the best state alone goes on)
        width = BEAM if offsets[k + 1] - offsets[k] < WINDOW else 1
        seen: set[int] = set()
        beam = []
        for state in grown:
            key = state[1][gap]
            if key not in seen:
                seen.add(key)
                beam.append(state)
                if len(beam) == width:
                    break
        if not beam:
            return None
    for _, chosen in beam:
        data = _joined(pieces, chosen)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return data
    return None


def _joined(pieces: list[bytes | None], chosen: dict[int, int]) -> bytes:
    return b"".join(bytes((chosen[i],)) if p is None else p for i, p in enumerate(pieces))


def _next_byte(pieces: list[bytes | None], gap: int, following: int | None) -> int | None:
    for piece in pieces[gap + 1:]:
        if piece is None:
            return None  # lost too: any
        if piece:
            return piece[0]
    return following


def _candidates(pieces: list[bytes | None], gap: int, following: int | None,
                chosen: dict[int, int], context: Context) -> list[tuple[tuple[int, ...], int]]:
    """(score, byte) of each byte that could have been lost at `gap`."""
    before = b""
    for index in range(gap - 1, -1, -1):
        if len(before) >= WINDOW:
            break
        piece = pieces[index]
        before = (bytes((chosen[index],)) if piece is None else piece) + before
    before = before[-WINDOW:]
    after = b""
    for piece in pieces[gap + 1:]:
        if piece is None or len(after) >= WINDOW:
            break
        after += piece
    following_byte = _next_byte(pieces, gap, following)
    if gap + 1 < len(pieces) and pieces[gap + 1] is None:
        following_byte = LOST_TOO
    previous = chosen.get(gap - 1) if gap and pieces[gap - 1] is None else None
    return [(_score(ch, left, right, context), byte) for byte, ch, left, right
            in _possible(before, after[:WINDOW], following_byte, previous)]


@lru_cache(maxsize=4096)
def _possible(before: bytes, after: bytes, following: int | None,
              previous: int | None) -> tuple[tuple[int, str, str, str], ...]:
    """(byte, its character, the neighbours) of each byte that fits between `before` and
    `after` and that the CMS could not have paired with `following` (nor, when the byte
    before was lost too, that byte with it). Pages repeat their words: the same surroundings
    come back."""
    found = []
    # UTF-8 tells what the byte was: a continuation after an unfinished character, else a lead
    for byte in range(0x80, 0xC0) if _unfinished(before) else range(0xC2, 0xF5):
        if following == LOST_TOO:
            if byte not in _droppable_before_high_bytes():
                continue
        elif _gbk_pairs(byte, following):
            continue  # the CMS would have paired it, not dropped it
        if previous is not None and _gbk_pairs(previous, byte):
            continue  # the byte lost before this one would have paired with it
        if (around := _char_around(before, byte, after)) is not None:
            found.append((byte, *around))
    return tuple(found)


@cache
def _droppable_before_high_bytes() -> frozenset[int]:
    """Bytes that fail to pair with some byte UTF-8 can hold (0x80-0xF4): only those can be
    lost right before another lost byte."""
    return frozenset(b for b in range(0x80, 0x100)
                     if not all(_gbk_pairs(b, t) for t in range(0x80, 0xF5)))


def _unfinished(data: bytes) -> bool:
    """Does `data` end inside a UTF-8 character (a lead without all its continuations)?"""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return False
        if byte >= 0xC0:
            return back < (2 if byte < 0xE0 else 3 if byte < 0xF0 else 4)
    return False


def _char_around(before: bytes, byte: int, after: bytes) -> tuple[str, str, str] | None:
    """The character `byte` belongs to between `before` and `after` (its neighbours as far as
    they are whole), or None when no valid UTF-8 character can hold it there."""
    data = before + bytes((byte,)) + after
    at = len(before)
    start = at
    while start > 0 and at - start < 3 and 0x80 <= data[start] < 0xC0:
        start -= 1
    if 0x80 <= data[start] < 0xC0:
        return None
    lead = data[start]
    size = 2 if 0xC2 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if lead < 0xF5 \
        else 0
    if size == 0 or lead < 0x80 or start + size <= at:
        return None
    piece = data[start:start + size]
    if len(piece) < size:
        if not all(0x80 <= b < 0xC0 for b in piece[1:]):
            return None
        return ("\ufffd", "", "")  # completed by bytes beyond the window: valid so far
    try:
        ch = piece.decode("utf-8")
    except UnicodeDecodeError:
        return None
    left = data[:start].decode("utf-8", "ignore")[-1:]
    right = data[start + size:].decode("utf-8", "ignore")[:1]
    return ch, left, right
