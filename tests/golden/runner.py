"""Run the whole pipeline offline on one golden case, and compare DOMs the Readability way.

A case is a directory: `source.html` (bytes as the origin served them), `meta.json` (optional:
url, content_type, rules (a shipped rule file name), prefs (cookie value), includes {path: file},
encodings (list of re-encodings to multiply the case by)), `expected.html` (normalized output,
written by `pytest tests/golden --update-golden` and reviewed as a diff).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from proxy.encoding.detect import decode_html
from proxy.page import Page, parse_html, serialize
from proxy.routing import Router
from proxy.settings import Origin
from proxy.siterules.store import RuleStore
from proxy.transforms import default_pipeline
from proxy.visitor.prefs import Preferences

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
ORIGIN_URL = "http://127.0.0.1:8001"  #: where the case pretends its origin runs


@dataclass
class Case:
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Case:
        meta_file = path / "meta.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        return cls(path, meta)

    @property
    def source(self) -> bytes:
        return (self.path / "source.html").read_bytes()

    @property
    def expected_file(self) -> Path:
        return self.path / "expected.html"


def rules_store() -> RuleStore:
    return RuleStore.from_directory(REPO / "rules")


async def run_case(case: Case, body: bytes | None = None, content_type: str | None = None,
                   store: RuleStore | None = None) -> bytes:
    """The full pipeline, as the handler runs it, minus the network."""
    store = store or rules_store()
    host = case.meta.get("host", "127.0.0.1")
    origin = Origin(ORIGIN_URL, (), (host, host.removeprefix("www.")))
    rules = store.for_host(host)
    content_type = content_type or case.meta.get("content_type", "text/html")
    decoded = decode_html(case.source if body is None else body, content_type, rules.encoding)
    page = Page(url=case.meta.get("url", ORIGIN_URL + "/"), tree=parse_html(decoded.text),
                host=host, rules=rules, encoding=decoded.encoding,
                prefs=Preferences.from_cookie(case.meta.get("prefs")),
                mapper=Router((origin,)).mapper(origin, "proxy.test"))
    includes = {path: (case.path / name).read_bytes()
                for path, name in case.meta.get("includes", {}).items()}

    async def fetch(path: str):
        return (includes[path], "text/html") if path in includes else None

    pipeline = default_pipeline()
    await pipeline.gather(page, fetch)
    pipeline.run(page)
    return serialize(page.tree)


def normalize(html: bytes | str) -> Any:
    """Parse, drop whitespace-only text, strip text ends; attributes compared sorted."""
    root = lxml.html.document_fromstring(html)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return root


def _label(el: Any) -> str:
    if not isinstance(el.tag, str):
        return "#comment"
    parent = el.getparent()
    index = parent.index(el) + 1 if parent is not None else 1
    ident = f"#{el.get('id')}" if el.get("id") else ""
    return f"{el.tag}{ident}:nth-child({index})"


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """Path of the first differing node, like `html > body > nav:nth-child(2)[role]`."""
    here = f"{path} > {_label(actual)}" if path else _label(actual)
    if expected.tag != actual.tag:
        return f"{here}: tag {expected.tag!r} != {actual.tag!r}"
    if isinstance(expected.tag, str):
        want, got = sorted(expected.attrib.items()), sorted(actual.attrib.items())
        if want != got:
            name = sorted({k for k, _ in set(want) ^ set(got)})[0]
            return f"{here}[{name}]: {dict(want).get(name)!r} != {dict(got).get(name)!r}"
    for what in ("text", "tail"):
        a, b = (getattr(expected, what) or "").strip(), (getattr(actual, what) or "").strip()
        if a != b:
            return f"{here} ({what}): {a[:60]!r} != {b[:60]!r}"
    if len(expected) != len(actual):
        return f"{here}: {len(expected)} children != {len(actual)}"
    for want, got in zip(expected, actual, strict=True):
        if diff := first_difference(want, got, here):
            return diff
    return None


def pretty(html: bytes) -> str:
    """The expected file's form: one normalized, indented serialization for readable diffs."""
    root = normalize(html)
    etree.indent(root, space=" ")
    return "<!DOCTYPE html>\n" + lxml.html.tostring(root, encoding="unicode") + "\n"
