"""Detection + decoding cost per page over the corpus, next to a bare `bytes.decode`.

    python -m bench.bench_encoding [--repeat N]

Prints the median microseconds per 100 KB of `decode_html` (prescan, verification, detection
where needed, mojibake checks) and of `body.decode(true codec)` over the same pages:
/work/shared/corpus/pages plus the legacy-encoded files of tests/data/encoding/chardet.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from proxy.encoding.detect import decode_html, normalize_label

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "corpus" / "pages"
CHARDET = REPO / "tests" / "data" / "encoding" / "chardet"
PER = 100 * 1024  #: bytes the figures are normalised to


def corpus() -> list[tuple[str, bytes, str]]:
    """(name, bytes, true Python codec) of every page with a known, decodable encoding."""
    items = []
    for page in json.loads((PAGES / "index.json").read_text())["pages"]:
        codec = normalize_label(page["true_encoding_guess"]) or "ascii"
        items.append((page["file"], (PAGES / page["file"]).read_bytes(), codec))
    for entry in json.loads((CHARDET / "labels.json").read_text())["files"]:
        codec = normalize_label(entry["true_encoding"])
        if codec and "/" in entry["file"] and not entry["file"].startswith("no-declaration"):
            items.append((entry["file"], (CHARDET / entry["file"]).read_bytes(), codec))
    return items


def best_of(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    items = corpus()
    decode_html(b"\xe6\x96\x87")  # build the lookup tables once, as a running proxy has
    ours, bare = [], []
    for _name, body, codec in items:
        scale = PER / len(body)
        ours.append(best_of(lambda b=body: decode_html(b), args.repeat) * scale * 1e6)
        bare.append(best_of(lambda b=body, c=codec: b.decode(c, "replace"), args.repeat)
                    * scale * 1e6)
    print(f"pages: {len(items)}, {sum(len(b) for _, b, _ in items) / 1024:.0f} KB")
    print(f"decode_html (detection + decoding): median {statistics.median(ours):8.1f} µs "
          f"per 100 KB, p90 {statistics.quantiles(ours, n=10)[-1]:8.1f}")
    print(f"bare bytes.decode (true codec):      median {statistics.median(bare):8.1f} µs "
          f"per 100 KB, p90 {statistics.quantiles(bare, n=10)[-1]:8.1f}")


if __name__ == "__main__":
    main()
