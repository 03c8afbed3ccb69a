"""Repair mojibake baked into a page: UTF-8 text a CMS once read as GBK (鏂囩珷 for 文章,
锟斤拷 for two U+FFFD) or as cp1252/Latin-1 (Ã© for é), then saved again.

Never "repair" correct text. The GBK case is ours (ftfy does not know GBK): a run of characters
that such a misreading produces is repaired only when its GBK bytes are strictly valid UTF-8,
the run starts with a rare GBK character (a UTF-8 lead byte read as a GBK lead), rare characters
are a good share of it, and the repaired text is common Chinese. Correct GBK text fails the
first two tests: its frequent characters begin with bytes that are UTF-8 continuation bytes.
The Latin case is ftfy's (`fix_encoding`, its careful badness heuristics), applied only to the
text between tags where a typical sequence (Ã followed by a continuation character) occurs.
"""

from __future__ import annotations

import re
from functools import cache

import ftfy

from proxy.encoding.lostbytes import Context, fill
from proxy.encoding.plausibility import PLAUSIBLE_SHARE, common_share, frequent

#: bytes of UTF-8 CJK text: lead bytes (U+3000-U+9FFF, U+FF00-) and continuation bytes
_UTF8_LEADS = bytes(range(0xE3, 0xEA)) + b"\xef"
_CONTINUATIONS = bytes(range(0x80, 0xC0))
_ASCII_BYTES = bytes(range(0x80))
#: share of rare (non-GB2312) characters a misread run has at least (genuine text: ~0)
MIN_RARE_SHARE = 0.3
MIN_RUN = 2
LOST = "\ufffd"  #: what the misreading left where it dropped a byte it could not pair
#: lost bytes a text may hold for them to be chosen back (each costs a search; a text with
#: more is repaired around them only)
MAX_LOST = 2000
#: the second character of a typical Latin mojibake pair: a UTF-8 continuation byte read as
#: cp1252 or Latin-1 (U+0080-U+00BF and cp1252's characters for 0x80-0x9F)
_LATIN_TRAILS = "".join(map(chr, range(0x80, 0xC0))) + (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    + "".join(map(chr, range(0x2018, 0x201F))) + "\u2020\u2021\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122")
#: typical Latin mojibake: a UTF-8 lead byte read as cp1252 (U+00C2-U+00EF), then a trail
_LATIN_HINT = re.compile(f"[\u00c2-\u00ef][{re.escape(_LATIN_TRAILS)}]")
#: the same pairs in the text's UTF-8, as a pre-check: a literal-led bytes pattern is scanned
#: at memchr speed, a character class over a str is tested at each character (UTF-8 is
#: self-synchronising, so a match here is a match of _LATIN_HINT in the text and back)
_LATIN_HINT_UTF8 = re.compile(rb"\xc3[\x82-\xaf](?:" + b"|".join(
    re.escape(trail.encode("utf-8")) for trail in _LATIN_TRAILS) + b")")


def _gbk_decoded(leads: bytes, trails: bytes) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars - set(" \t\r\n"))


@cache
def _misread_tables() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str],
                               re.Pattern[str]]:
    """(anchors: what a UTF-8 CJK lead byte + continuation byte read as GBK gives, the set of
    characters a misread run is made of, a pattern matching such a run, a pattern matching an
    anchor followed by a member whose GBK lead byte is a UTF-8 continuation byte). Only runs
    around an anchor are examined: correct Chinese text has runs of the others everywhere.

    Every repair holds such a pair: _gbk_fix decodes as UTF-8 from the run's first character
    led by a UTF-8 lead byte, and two characters (MIN_RUN) of valid UTF-8 from there are a
    lead, two continuation bytes and one more byte: an anchor, then a continuation-led member.
    Pages with rare characters (anchors) rarely hold a pair: the search for one is the cheap
    exact test that skips the scan of every anchor. A lost byte (U+FFFD) after the anchor is
    the pair of a run that lost its second character's bytes (年 = E5 B9 B4: 骞 U+FFFD)."""
    anchors = _gbk_decoded(_UTF8_LEADS, _CONTINUATIONS)
    members = _gbk_decoded(_UTF8_LEADS + _CONTINUATIONS,
                           _UTF8_LEADS + _CONTINUATIONS + bytes(range(0x40, 0x7F)))
    continued = "".join(sorted(ch for ch in members if ch.encode("gb18030")[0] in _CONTINUATIONS))
    anchor_class = f"[{re.escape(''.join(sorted(anchors)))}]"
    run = re.compile(f"[{re.escape(''.join(sorted(members)))}]+")
    pair = re.compile(f"{anchor_class}[{re.escape(continued)}{LOST}]")
    return re.compile(anchor_class), members, run, pair


def repair_mojibake(text: str, utf8: bytes | None = None) -> tuple[str, list[str]]:
    """(repaired text, notes of what was repaired); the text itself when nothing is certain.
    `utf8`: the text's UTF-8, when the caller has it (the body a page was decoded from)."""
    notes: list[str] = []
    if not text.isascii():
        if utf8 is None:
            utf8 = text.encode("utf-8", "surrogatepass")
        if may_hold_gbk_mojibake(utf8):
            repaired = _repair_gbk(text, notes)
            if repaired is not text:
                text, utf8 = repaired, repaired.encode("utf-8", "surrogatepass")
        if _LATIN_HINT_UTF8.search(utf8):
            text = _repair_latin(text, notes)
    return text, notes


def may_hold_gbk_mojibake(utf8: bytes) -> bool:
    """False only when the text (as UTF-8) cannot hold a GBK repair: its non-ASCII characters
    alone hold no anchor + continuation-led pair. A page is mostly ASCII markup: dropping the
    ASCII bytes in C and searching the rest is cheaper than searching the whole text, as the
    rest is short. A pair's two characters are
    adjacent non-ASCII characters, so they stay adjacent (dropping ASCII bytes from UTF-8
    leaves whole characters); pairs made adjacent by the drop only cost the full search."""
    return _misread_tables()[3].search(
        utf8.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")) is not None


def _repair_gbk(text: str, notes: list[str]) -> str:
    repaired = _repair_gbk_runs(text, notes, None)
    if LOST not in text or text.count(LOST) > MAX_LOST:
        return repaired
    # the misreading lost bytes (U+FFFD): choose them back with the first pass's text as
    # the context (lostbytes.py); runs whose choices fail are repaired as in the first pass
    gap_notes: list[str] = []
    refilled = _repair_gbk_runs(text, gap_notes, Context.of(repaired))
    if refilled is text:
        return repaired
    notes.extend(gap_notes)
    return refilled


def _repair_gbk_runs(text: str, notes: list[str], context: Context | None) -> str:
    anchors, members, run_pattern, pair_pattern = _misread_tables()
    # fast exits at C speed, cheapest first: a repair only ever starts at an anchor character,
    # and it holds an anchor + continuation-led pair (the pair search is slower per
    # character than the anchor search, so it starts at the first anchor)
    first = anchors.search(text)
    pair = pair_pattern.search(text, first.start()) if first is not None else None
    if pair is None:
        return text
    pieces, last, repaired, filled, tried = [], 0, 0, 0, 0
    # an anchor before the first pair is in a run without a pair (which cannot be repaired)
    # or in the pair's own run, which the pair's anchor examines the same way
    for anchor in anchors.finditer(text, pair.start()):
        if anchor.start() < last:
            continue  # inside a run already examined
        start = anchor.start()
        fixed = None
        if context is not None and start >= tried:  # each run across breaks once
            start, tried, fixed = _gap_run_fix(text, start, last, members, context)
            end = tried
            filled += fixed is not None
        if fixed is None:
            start = anchor.start()
            while start > last and text[start - 1] in members:
                start -= 1
            run = run_pattern.match(text, start)
            end = run.end()
            fixed = _gbk_fix(run.group()) if len(run.group()) >= MIN_RUN else None
        if fixed is not None:
            pieces += [text[last:start], fixed]
            last = end
            repaired += 1
    if not repaired:
        return text
    notes.append(f"repaired {repaired} UTF-8-read-as-GBK runs")
    if filled:
        notes.append(f"chose lost bytes back in {filled} of them")
    return "".join(pieces) + text[last:]


def _gbk_fix(run: str) -> str | None:
    # A run may start with genuine neighbours: skip to the first character whose GBK lead
    # byte is a UTF-8 lead byte, and stop where the UTF-8 stops being valid.
    start = next((i for i, ch in enumerate(run) if ch.encode("gb18030")[0] in _UTF8_LEADS), None)
    if start is None:
        return None
    data = run[start:].encode("gb18030")
    try:
        fixed, used = data.decode("utf-8"), len(run) - start
    except UnicodeDecodeError as err:
        fixed, used = _valid_prefix(data, err.start)
    if used < MIN_RUN or not _certain(run[start:start + used], fixed):
        return None
    return run[:start] + fixed + run[start + used:]


def _gap_run_fix(text: str, at: int, last: int, members: frozenset[str],
                 context: Context) -> tuple[int, int, str | None]:
    """(start, end, repair) of the run around `at` read across lost bytes (U+FFFD); the
    repair is None unless the run holds one and every lost byte is chosen back."""
    start = at
    while start > last and (text[start - 1] in members or text[start - 1] == LOST):
        start -= 1
    end = at
    while end < len(text) and (text[end] in members or text[end] == LOST):
        end += 1
    run = text[start:end]
    first = next((i for i, ch in enumerate(run)
                  if ch != LOST and ch.encode("gb18030")[0] in _UTF8_LEADS), None)
    if first is None or LOST not in run[first:] or len(run) - first < MIN_RUN:
        return start, end, None
    following = text[end] if end < len(text) else ""
    data = fill([None if ch == LOST else ch.encode("gb18030") for ch in run[first:]],
                ord(following) if following.isascii() and following else None, context)
    if data is None:
        return start, end, None
    fixed = data.decode("utf-8")
    misread = run[first:]
    if not _certain(misread.replace(LOST, ""), fixed, lost=misread.count(LOST)):
        return start, end, None
    return start, end, run[:first] + fixed


def _valid_prefix(data: bytes, error_at: int) -> tuple[str, int]:
    """The longest prefix that ends on both a GBK (2-byte) and a UTF-8 character boundary:
    (its text, how many run characters it covers)."""
    end = error_at - error_at % 2
    while end > 0:
        try:
            return data[:end].decode("utf-8"), end // 2
        except UnicodeDecodeError:
            end -= 2
    return "", 0


def _certain(misread: str, fixed: str, lost: int = 0) -> bool:
    """`lost`: bytes the misreading dropped (U+FFFD) in the run and lostbytes.py chose back.
    Such a run needs no rare characters: a byte GBK could not pair, whose choice makes the
    run's bytes valid UTF-8 of common text, is the misreading's own signature."""
    if set(fixed) <= {"\ufffd"}:
        return True  # 锟斤拷: the CMS had already lost these characters
    rare = sum(ch not in frequent("gb18030") for ch in misread) / len(misread)
    if (rare < MIN_RARE_SHARE and not lost) or fixed.isascii():
        return False
    share, _ = common_share(fixed, "gb18030")
    return share >= PLAUSIBLE_SHARE and "\ufffd" not in fixed


def _repair_latin(text: str, notes: list[str]) -> str:
    """ftfy on each text segment (between tags) that holds a typical sequence."""
    pieces, last, repaired = [], 0, 0
    for hint in _LATIN_HINT.finditer(text):
        if hint.start() < last:
            continue  # inside a segment already handled
        start = max(text.rfind(">", 0, hint.start()), text.rfind("<", 0, hint.start())) + 1
        end = min((i for i in (text.find("<", hint.end()), text.find(">", hint.end()))
                   if i >= 0), default=len(text))
        segment = text[start:end]
        fixed = ftfy.fix_encoding(segment)
        repaired += fixed != segment
        pieces += [text[last:start], fixed]
        last = end
    if not repaired:
        return text
    notes.append(f"repaired {repaired} UTF-8-read-as-cp1252 segments (ftfy)")
    return "".join(pieces) + text[last:]
