"""Text slots: the page's text, in document order, outside scripts, form fields and ours."""

from __future__ import annotations

import lxml.html

from proxy.reading.textnodes import get, put, slots


def test_text_and_tails_in_document_order_without_skipped_elements():
    root = lxml.html.fromstring(
        '<div>a<b>b<!--c-->d</b>e<script>x</script>f<textarea>g</textarea>h'
        '<nav id="a11y-toolbar">ours</nav>i<select><option>o</option></select>j'
        '<i>k</i></div>')
    assert [get(s) for s in slots(root)] == list("abdefhijk")
    assert [get(s) for s in slots(root, ("i",))] == list("abdefhij")


def test_put_writes_back_and_deep_nesting_is_no_recursion():
    root = el = lxml.html.Element("div")
    for _ in range(3000):  # deeper than Python's recursion limit
        el = lxml.html.etree.SubElement(el, "div")
    el.text = "x"
    found = slots(root)
    assert [get(s) for s in found] == ["x"]
    put(found[0], "y")
    assert root.text_content() == "y"
