"""Coverage-guided fuzzing with atheris (optional; not run in CI; `pip install atheris`).

    python bench/fuzz_atheris.py pipeline|decoder|rules [atheris/libFuzzer flags, e.g. -runs=100000]

The same properties as tests/security/test_fuzz.py: no exception escapes (the pipeline may
raise only RewriteAborted), the decoder returns str, the rule loader reports problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris
import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from proxy.encoding.detect import decode_html
    from proxy.page import Page, parse_html, serialize
    from proxy.pipeline import RewriteAborted
    from proxy.siterules.file import parse_rule_text
    from proxy.transforms import default_pipeline

PIPELINE = default_pipeline()
LABELS = ["gbk", "utf-8", "utf-16", "big5", "x-user-defined", "\x00", "", "auto"]


def fuzz_pipeline(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = decode_html(fdp.ConsumeBytes(fdp.remaining_bytes()), "text/html").text
    page = Page(url="http://origin.example/a.html", tree=parse_html(text))
    try:
        PIPELINE.run(page)
    except RewriteAborted:
        return
    out = serialize(page.tree)
    assert out.startswith(b"<!DOCTYPE html>")
    assert not lxml.html.document_fromstring(out.decode()).xpath("//script")


def fuzz_decoder(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    label = LABELS[fdp.ConsumeIntInRange(0, len(LABELS) - 1)]
    override = fdp.ConsumeUnicodeNoSurrogates(12) or None
    decoded = decode_html(fdp.ConsumeBytes(fdp.remaining_bytes()),
                          f"text/html; charset={label}", override)
    assert isinstance(decoded.text, str)


def fuzz_rules(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    result = parse_rule_text(fdp.ConsumeUnicode(fdp.remaining_bytes()), "fuzz.yaml")
    assert all(p.message for p in result.problems)


TARGETS = {"pipeline": fuzz_pipeline, "decoder": fuzz_decoder, "rules": fuzz_rules}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: {sys.argv[0]} {'|'.join(TARGETS)} [libFuzzer flags]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
