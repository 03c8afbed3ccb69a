"""Layout tables are announced as nothing; data tables keep (and gain) their headers.

A table is data when it says so (`th`, `caption`, `thead`, `summary`, headers/scope) or looks
like a grid of values: at least two rows and two columns, drawn borders, no nested tables, no
form controls, short cells. Everything else is layout and gets role="presentation". In a data
table without header cells, a first row that is visibly a header (bold, or its own background)
gets `th scope=col` cells.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform

ROWS = etree.XPath("./tr | ./tbody/tr | ./thead/tr | ./tfoot/tr")
CELLS = etree.XPath("./td | ./th")
DECLARED_DATA = etree.XPath(
    "boolean(./caption or ./thead or @summary[normalize-space()] or ./tr/th or ./tbody/tr/th "
    "or ./thead/tr/th or .//td[@headers or @scope])")
LAYOUT_SIGNS = etree.XPath("boolean(.//table or .//input or .//select or .//textarea or "
                           ".//form or .//iframe or .//h1 or .//h2 or .//h3 or .//ul or .//p "
                           "or .//*[@role='main' or @role='navigation' or @role='banner' or "
                           "@role='contentinfo' or @role='search' or @role='region'] or .//nav "
                           "or .//main or .//header or .//footer or .//section)")
BOLD = etree.XPath("boolean(./b or ./strong or ./font/b or ./b/font or ./strong/font or "
                   "contains(translate(@style, 'BOLD', 'bold'), 'bold'))")
#: a data cell holds at most this many characters
MAX_CELL_TEXT = 60
MIN_ROWS, MIN_COLS = 2, 2


class Tables(Transform):
    name = "semantics.tables"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Any) -> None:
    body = page.tree.find("body")
    if body is None:
        return
    # `//body//table[not(@role)]`, decided before any table is changed; lxml's iter by tag is
    # one C-level pass that makes proxies only for the tables
    for table in [t for t in body.iter("table") if t.get("role") is None]:
        if DECLARED_DATA(table):
            continue
        rows = ROWS(table)
        if _is_grid(table, rows):
            _promote_header_row(rows)
        else:
            table.set("role", "presentation")


def _is_grid(table: Any, rows: list[Any]) -> bool:
    # the tests are pure: cheapest first (most layout tables have no border, and LAYOUT_SIGNS
    # scans the table's whole subtree about twenty times)
    if len(rows) < MIN_ROWS:
        return False
    bordered = (table.get("border") or "0").strip() not in ("", "0") or "border" in (
        table.get("style") or "") or (table.get("cellspacing") or "0") not in ("", "0") and \
        table.get("bgcolor")
    if not bordered:
        return False
    widths = [len(CELLS(r)) for r in rows]
    if max(widths, default=0) < MIN_COLS or LAYOUT_SIGNS(table):
        return False
    return all(len(" ".join(c.text_content().split())) <= MAX_CELL_TEXT
               for r in rows for c in CELLS(r))


def _promote_header_row(rows: list[Any]) -> None:
    first, second = rows[0], rows[1]
    cells = CELLS(first)
    if not cells or not all(" ".join(c.text_content().split()) for c in cells):
        return
    distinct = first.get("bgcolor") and first.get("bgcolor") != second.get("bgcolor") or (
        first.get("class") and first.get("class") != second.get("class"))
    if not (distinct or all(BOLD(c) for c in cells)):
        return
    for cell in cells:
        cell.tag = "th"
        cell.set("scope", "col")
