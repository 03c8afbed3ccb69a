"""`python -m proxy check`: validate every rule file, and explain what the rules did to a page.

`run_check` prints every problem as `path:line:col: key.path: message (level)` and a summary,
and returns the exit code (1 on any error; warnings alone pass). `explain` lists, for a parsed
page, how many elements each rule matched and which rules matched nothing, with the rule's
file:line, so an admin sees why a page looks as it does. `python -m proxy.cli.check --docs` prints
the option reference that `rules/README.md` holds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from proxy.errors import ConfigProblem
from proxy.siterules.model import Selector, SiteRules
from proxy.siterules.schema import rules_reference
from proxy.siterules.store import host_conflicts, scan

EXPLAIN_SAMPLES = 3  #: elements named per rule in --explain (enough to recognise them)


def check_directory(rules_dir: str | Path) -> tuple[int, list[ConfigProblem]]:
    """(number of files, every problem in them, including hosts claimed twice)."""
    directory = Path(rules_dir)
    if not directory.is_dir():
        return 0, [ConfigProblem(str(directory), 1, 1, "", "rules directory not found")]
    files = scan(directory)
    problems = [p for f in files.values() for p in f.problems]
    _, clashes = host_conflicts(files)  # all files: show every problem at once
    return len(files), sorted(problems + clashes)


def run_check(rules_dir: str, out: TextIO | None = None) -> int:
    """Print every problem and a summary line to `out` (stdout); 1 if any error, else 0."""
    out = out or sys.stdout
    count, problems = check_directory(rules_dir)
    for problem in problems:
        print(problem, file=out)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    label = rules_dir if rules_dir.endswith("/") else f"{rules_dir}/"
    print(f"{label}: {_n(count, 'file')}, {_n(errors, 'error')}, {_n(warnings, 'warning')}",
          file=out)
    return 1 if errors else 0


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def rule_selectors(rules: SiteRules) -> Iterable[tuple[str, Selector]]:
    """Every selector in the rules with the key it stands under, in file order of keys."""
    yield from ((f"remove[{i}]", s) for i, s in enumerate(rules.remove))
    for role, selectors in rules.landmarks.items():
        many = len(selectors) > 1
        yield from ((f"landmarks.{role}" + (f"[{i}]" if many else ""), s)
                    for i, s in enumerate(selectors))
    if rules.heading:
        yield "heading", rules.heading
    yield from ((f"alt[{i}] {text!r}", s) for i, (s, text) in enumerate(rules.alt))
    yield from ((f"labels[{i}] {text!r}", s) for i, (s, text) in enumerate(rules.labels))
    yield from ((f"include[{i}] {inc.url}", inc.selector) for i, inc in enumerate(rules.include))
    yield from ((f"actions[{i}].{a.verb}", a.selector) for i, a in enumerate(rules.actions))
    yield from ((f"toolbar.remove[{i}]", s) for i, s in enumerate(rules.toolbar.remove))
    if rules.reading_mode:
        yield "reading_mode", rules.reading_mode


def explain(rules: SiteRules, tree: Any) -> list[str]:
    """One line per rule: where it is written, what it is, and what it matched on `tree`
    (an lxml document or element, as parsed before the transforms change it)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    lines = [f"site rules: {rules.name} ({rules.source or 'built-in defaults'})"]
    unmatched = []
    for key, selector in rule_selectors(rules):
        found = selector(root)
        where = f"{selector.source or rules.source}: {key} {selector.text!r}"
        if not found:
            unmatched.append(f"{where}: matched nothing")
            continue
        names = ", ".join(_describe(el) for el in found[:EXPLAIN_SAMPLES])
        more = f", ... (+{len(found) - EXPLAIN_SAMPLES})" if len(found) > EXPLAIN_SAMPLES else ""
        lines.append(f"{where}: {_n(len(found), 'element')}: {names}{more}")
    if rules.disable:
        lines.append(f"disabled transforms: {', '.join(sorted(rules.disable))}")
    return lines + unmatched


def _describe(element: Any) -> str:
    """`div#main.content.left` plus the source line, the way devtools names an element."""
    name = str(element.tag)
    if element.get("id"):
        name += f"#{element.get('id')}"
    name += "".join(f".{c}" for c in (element.get("class") or "").split()[:2])
    line = getattr(element, "sourceline", None)
    return f"<{name}> (line {line})" if line else f"<{name}>"


def main(argv: list[str] | None = None) -> int:
    """`python -m proxy.cli.check [--rules DIR] [--docs]` (the `proxy check` command calls
    run_check itself; this entry point serves the docs generator and quick checks)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m proxy.cli.check")
    parser.add_argument("--rules", default="rules", help="rules directory (default: rules)")
    parser.add_argument("--docs", action="store_true", help="print the rule-file reference")
    args = parser.parse_args(argv)
    if args.docs:
        sys.stdout.write(rules_reference())
        return 0
    return run_check(args.rules)


if __name__ == "__main__":
    sys.exit(main())
