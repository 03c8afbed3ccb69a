"""Output fingerprint of the whole rewrite, for refactors that must not change what visitors get.

Rewrites every bench page (the demo pages and `shared/corpus/pages`) and every golden case's
source under four preference sets (default; elder; text-only + underline; reading + yellow +
200 % + spacing + cursor) and records a SHA-256 of each output:

    python bench/same_output.py --save before.json      # on the old tree
    python bench/same_output.py --compare before.json   # on the new tree: lists what differs

Exit status 1 when any output differs, so it can gate a refactor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from bench_rewrite import Rewriter, pages  # noqa: E402

from proxy.visitor.prefs import Preferences  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PREFERENCE_SETS = {
    "default": "",
    "elder": "text:150|scheme:contrast|spacing:1|cursor:1",
    "text-underline": "view:text|underline:1",
    "reading-yellow-200": "view:reading|scheme:yellow|text:200|spacing:1|cursor:1",
}


def inputs() -> list[tuple[str, bytes, str]]:
    found = list(pages())
    for case in sorted((REPO / "tests" / "golden" / "cases").iterdir()):
        if (case / "source.html").exists():
            found.append((f"golden/{case.name}", (case / "source.html").read_bytes(), "127.0.0.1"))
    return found


def fingerprints() -> dict[str, str]:
    rewriter = Rewriter(REPO / "rules")
    found = {}
    for name, body, host in inputs():
        for label, cookie in PREFERENCE_SETS.items():
            output = rewriter.full(body, host, Preferences.from_cookie(cookie))
            found[f"{name} [{label}]"] = hashlib.sha256(output).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found = fingerprints()
    if args.save:
        args.save.write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(found)} outputs saved to {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differing = sorted(k for k in before.keys() | found.keys() if before.get(k) != found.get(k))
    for key in differing:
        print("differs:", key)
    print(f"{len(found)} outputs, {len(differing)} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
