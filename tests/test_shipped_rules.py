"""The shipped rules/: every file validates, the docs are current, and the selectors match the
markup they were written for (the demo's templates, and real pages for the vendor toolbars)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from proxy.cli.check import rule_selectors, run_check
from proxy.demo import pages
from proxy.page import parse_html
from proxy.siterules.file import read_rule_file
from proxy.siterules.schema import rules_reference
from proxy.siterules.store import RuleStore
from tests.conftest import SHARED

RULES = Path(__file__).resolve().parent.parent / "rules"
SHIPPED = sorted(RULES.glob("*.yaml"))
CORPUS = SHARED / "corpus" / "pages"
#: a toolbar element with more text than this (spaces aside) is page content, not a control panel
MAX_TOOLBAR_TEXT = 200


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_rule_file_has_no_problems(path: Path) -> None:
    assert [str(p) for p in read_rule_file(path).problems] == []


def test_shipped_directory_checks_clean(capsys) -> None:
    assert run_check(str(RULES)) == 0
    assert capsys.readouterr().out.endswith(f"{len(SHIPPED)} files, 0 errors, 0 warnings\n")


def test_rules_readme_is_the_generated_reference() -> None:
    # Regenerate with: python -m proxy.cli.check --docs > rules/README.md
    assert (RULES / "README.md").read_text(encoding="utf-8") == rules_reference()


def _demo_pages() -> dict[str, lxml.html.HtmlElement]:
    raw = {"front": pages.front_page(), "list": pages.list_page(pages.COLUMNS[1230]),
           "article": pages.article_page(pages.articles()[0])}
    return {name: lxml.html.document_fromstring(body.decode("gb18030")) for name, body in
            raw.items()}


@pytest.mark.parametrize("page", ["front", "list", "article"])
def test_demo_rules_find_one_of_each_landmark(page: str) -> None:
    rules = RuleStore.from_directory(RULES).for_host("127.0.0.1:8081")
    tree = _demo_pages()[page]
    assert rules.name == "demo"
    for role, selectors in rules.landmarks.items():
        for selector in selectors:
            if selector.text == "td.leftbox" and page != "front":
                continue  # the column menu is only on the home page
            assert len(selector(tree)) == 1, (page, role, selector.text)
    assert len(rules.include[0].selector(tree)) == 1
    assert len(rules.remove[-1](tree)) == 1  # the QR-code box


def test_demo_article_heading_and_reading_mode() -> None:
    rules = RuleStore.from_directory(RULES).for_host("www.xiuzhiben.com")
    tree = _demo_pages()["article"]
    assert rules.heading(tree)[0].text_content().strip() == pages.articles()[0].title
    assert rules.reading_mode(tree)[0].get("id") == "zoom"
    toolbar = [el for sel in rules.toolbar.remove for el in sel(tree)]
    assert [el.text_content() for el in toolbar] == ["无障碍浏览"]


def _corpus() -> list[lxml.html.HtmlElement]:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside this checkout")
    found = []
    for path in sorted(CORPUS.glob("*.html")):
        raw = path.read_bytes()
        for codec in ("utf-8", "gb18030"):
            try:
                # the proxy's own parser: it keeps what follows an early </html>, as browsers do
                found.append(parse_html(raw.decode(codec)))
                break
            except (UnicodeDecodeError, ValueError):
                continue
    return found + list(_demo_pages().values())


def test_every_vendor_toolbar_selector_matches_real_markup_and_only_small_elements() -> None:
    default = RuleStore.from_directory(RULES).default
    trees = _corpus()
    for key, selector in rule_selectors(default):
        matches = [el for tree in trees for el in selector(tree)]
        assert matches, f"{selector.source}: {key} {selector.text!r} matches no known page"
        too_big = [el for el in matches
                   if len("".join(el.text_content().split())) > MAX_TOOLBAR_TEXT]
        assert not too_big, f"{key} {selector.text!r} would remove page content"
