"""Lost-byte mojibake recovery on real Chinese text: each UTF-8 Chinese page of the corpus
(and the seed) is turned into UTF-8-read-as-GBK mojibake with its lost bytes (U+FFFD), then
repaired; the share of its non-ASCII characters found back in place is printed, for the
repair around the breaks only ("runs") and with the lost bytes chosen back ("chosen").

    .venv/bin/python bench/lostbytes_corpus.py [MAX_PAGES]
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import time
from pathlib import Path

import lxml.html

from proxy.encoding import mojibake

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SHARED = SHARED if SHARED.is_dir() else Path("/work/shared")


def recovered(original: str, repaired: str) -> float:
    blocks = difflib.SequenceMatcher(None, original, repaired, autojunk=False)
    kept = sum(not ch.isascii() for block in blocks.get_matching_blocks()
               for ch in original[block.a:block.a + block.size])
    return kept / sum(not ch.isascii() for ch in original)


def texts(limit: int) -> list[tuple[str, str]]:
    seed = SHARED / "seed" / "000_9fd3433af4c1c817.txt"
    found = [("seed", seed.read_text(encoding="utf-8"))]
    pages = SHARED / "corpus" / "pages"
    for page in json.loads((pages / "index.json").read_text())["pages"]:
        if page.get("language") != "zh" or page["true_encoding_guess"] != "utf-8":
            continue
        text = re.sub(r"\s+", " ", lxml.html.fromstring(
            (pages / page["file"]).read_bytes().decode("utf-8")).text_content())
        if sum(not ch.isascii() for ch in text) >= 300:
            found.append((page["file"], text))
    return found[:limit]


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    total = runs_sum = chosen_sum = 0.0
    for name, text in texts(limit):
        broken = text.encode("utf-8").decode("gbk", "replace")
        started = time.perf_counter()
        repaired, _ = mojibake.repair_mojibake(broken)
        seconds = time.perf_counter() - started
        runs = recovered(text, mojibake._repair_gbk_runs(broken, [], None))
        chosen = recovered(text, repaired)
        count = sum(not ch.isascii() for ch in text)
        print(f"{name[:40]:40} {count:6} chars  {broken.count(chr(0xfffd)):5} lost  "
              f"runs {runs:.3f}  chosen {chosen:.3f}  {seconds:.2f} s")
        total += count
        runs_sum += runs * count
        chosen_sum += chosen * count
    print(f"all: {total:.0f} chars, runs {runs_sum / total:.3f}, chosen {chosen_sum / total:.3f}")


if __name__ == "__main__":
    main()
