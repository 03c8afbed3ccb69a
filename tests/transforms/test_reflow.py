"""Reflow: a device-width viewport, layout tables marked for one column, data tables in a
focusable, named region that scrolls, and our narrow-screen CSS once."""

from __future__ import annotations

import pytest

from proxy.pipeline import Pipeline
from proxy.transforms import default_pipeline
from proxy.transforms.reflow import (
    BREAKPOINT_PX,
    FLOW_CLASS,
    SCROLL_CLASS,
    STYLE_ID,
    VIEWPORT,
    Reflow,
)
from tests.factories import page_from_body

LAYOUT = '<table width="1000"><tr><td width="700">正文</td><td width="300">边栏</td></tr></table>'
DATA = ("<table><caption>2019年预算</caption><tr><th>项目</th><th>金额</th></tr>"
        "<tr><td>一</td><td>1</td></tr></table>")


def run(body: str, head: str = ""):
    page = page_from_body(body)
    if head:
        page.head.append(page_from_body("").tree.makeelement("meta", {}))
        page.head[-1].attrib.update(dict(a.split("=", 1) for a in head.split("|")))
    Pipeline([Reflow()]).run(page)
    return page


def viewports(page) -> list[str]:
    return [m.get("content") for m in page.tree.xpath("//meta[@name='viewport']")]


@pytest.mark.parametrize(("head", "content"), [
    ("", VIEWPORT),  # none: ours
    ("name=viewport|content=width=1000", VIEWPORT),  # a fixed width would keep it a desktop
    ("name=viewport|content=width=device-width, initial-scale=1.0", "width=device-width, "
                                                                    "initial-scale=1.0"),
])
def test_one_viewport_as_wide_as_the_device(head, content):
    assert viewports(run("<p>x</p>", head)) == [content]


def test_layout_tables_are_marked_and_data_tables_get_a_named_scrolling_region():
    page = run(LAYOUT + DATA + DATA.replace("<caption>2019年预算</caption>", ""))
    layout, *data = page.tree.xpath("//table")
    assert FLOW_CLASS in layout.get("class")
    regions = [t.getparent() for t in data]
    assert [r.get("class") for r in regions] == [SCROLL_CLASS] * 2
    assert all(r.get("role") == "region" and r.get("tabindex") == "0" for r in regions)
    assert "overflow-x:auto" in regions[0].get("style")
    labels = [r.get("aria-label") for r in regions]
    assert labels[0].startswith("2019年预算") and all(la.endswith("表格") for la in labels)
    assert len(set(labels)) == 2  # each region named apart


def test_semantic_repairs_decide_which_table_is_layout():
    page = page_from_body('<table border="1"><tr><td>长长的正文</td></tr><tr><td>x</td></tr>'
                          "</table>")
    default_pipeline().run(page)
    table = page.tree.find(".//table")
    assert table.get("role") == "presentation" and FLOW_CLASS in table.get("class")


def test_the_narrow_css_is_inserted_once_and_a_second_pass_changes_nothing():
    page = run(DATA)
    Pipeline([Reflow()]).run(page)
    styles = page.tree.xpath(f"//style[@id='{STYLE_ID}']")
    assert len(styles) == 1 and f"@media (max-width:{BREAKPOINT_PX}px)" in styles[0].text
    assert len(page.tree.xpath(f"//div[@class='{SCROLL_CLASS}']")) == 1
    assert len(viewports(page)) == 1


def test_visually_hidden_notes_are_never_released():
    css = run("<p>x</p>").tree.xpath(f"//style[@id='{STYLE_ID}']")[0].text
    assert css.count(".a11y-visually-hidden") >= 5
