"""What the rewrite's floor is made of, and what the steps every rewrite must take cost next to
it, over the bench pages (bench_rewrite.pages()), in CPU time of this process.

    python bench/floor_parts.py [--rounds 7]

Issue 8 asks for the full rewrite in at most 1.5x the floor (decode + lxml parse + lxml
serialize): everything else must fit in half a floor. This prints the parts that no transform
can skip -- charset detection (labels lie: issue 4), our pre-parse repairs (proxy.page), one
look at every element's tag and attribute names (script removal must judge each: issue 5) --
and the price of one whole-tree query in libxml2, each as a share of the floor.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

import lxml.html  # noqa: E402
from bench_rewrite import LXML_PARSER, pages  # noqa: E402
from lxml import etree  # noqa: E402

from proxy.encoding.detect import decode_html  # noqa: E402
from proxy.page import parse_html  # noqa: E402

ANCHORS = etree.XPath("//a")
WITH_ATTRIBUTES = etree.XPath("//*[@*]")


def look_at_every_element(root) -> None:
    """The least a script remover does per element: its tag and its attribute names."""
    for el in root.iter():
        if el.tag.__class__ is str:
            for _name in el.keys():  # noqa: SIM118
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (the minimum counts)")
    args = parser.parse_args()
    bodies = []
    for _name, body, _host in pages():
        decoded = decode_html(body, "text/html", None)
        bodies.append((body, decoded.encoding, decoded.text))
    trees = [lxml.html.document_fromstring(text, parser=LXML_PARSER) for _, _, text in bodies]
    parts: dict[str, Callable[[], object]] = {
        "bytes.decode (the floor's decode)": lambda: [b.decode(c, "replace") for b, c, _ in bodies],
        "lxml parse": lambda: [lxml.html.document_fromstring(t, parser=LXML_PARSER)
                               for _, _, t in bodies],
        "lxml serialize": lambda: [lxml.html.tostring(r, encoding="utf-8", method="html")
                                   for r in trees],
        "decode_html (charset detection + mojibake repair)": lambda: [
            decode_html(b, "text/html", None) for b, _, _ in bodies],
        "parse_html (lxml parse + our pre-parse repairs)": lambda: [
            parse_html(t) for _, _, t in bodies],
        "Python look at every element (tag, attribute names)": lambda: [
            look_at_every_element(r) for r in trees],
        "one whole-tree XPath query (//a)": lambda: [ANCHORS(r) for r in trees],
        "one whole-tree XPath query (//*[@*])": lambda: [WITH_ATTRIBUTES(r) for r in trees],
    }
    best = dict.fromkeys(parts, float("inf"))
    for _ in range(args.rounds):
        for label, run in parts.items():
            started = time.process_time()
            run()
            best[label] = min(best[label], time.process_time() - started)
    floor = sum(best[k] for k in ("bytes.decode (the floor's decode)", "lxml parse",
                                  "lxml serialize"))
    elements = sum(1 for r in trees for _ in r.iter())
    print(f"{len(bodies)} bench pages, {elements} nodes; CPU ms, best of {args.rounds} rounds; "
          f"floor (decode + parse + serialize) {floor * 1000:.1f} ms, budget beyond it at 1.5x: "
          f"{floor * 500:.1f} ms")
    for label, seconds in best.items():
        print(f"{label:55} {seconds * 1000:7.1f} ms  {seconds / floor:5.2f}x floor")


if __name__ == "__main__":
    main()
