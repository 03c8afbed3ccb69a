"""What a script writes for certain: top-level literal document.write calls, read statically."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.transforms.scripts.jswrites import top_level_writes

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "reveal"


def test_a_real_header_js_gives_its_header_markup():
    # djjiangsu.gov.cn's header: 163 writeln lines, a jQuery hover block, commented-out writes
    source = (DATA / "djjiangsu_header.js").read_text(encoding="utf-8")
    markup = top_level_writes(source)
    assert "<div class='nav_box'>" in markup and "省政府" in markup
    assert ".sub_nav_special02" not in markup  # a `//` commented-out write
    assert "#Formdh{" not in markup  # a write inside /* ... */
    assert markup.count("\n") >= 100  # writeln ends each line


def test_a_real_footer_written_by_a_function_called_once_at_top_level():
    # fjffoshan.gov.cn: `function createFoot2020(){ document.write('<style>'+ ... ) }` and
    # `createFoot2020();` at the end
    source = (DATA / "fjffoshan_foot_2020.js").read_text(encoding="utf-8")
    markup = top_level_writes(source)
    assert markup.startswith("<style>") and "技术支持" in markup


@pytest.mark.parametrize("source, expected", [
    ("function a(){ document.write('<p>a</p>') } a();", "<p>a</p>"),
    ("function a(){ document.write('<p>a</p>') } function b(){ a() } b()", "<p>a</p>"),
    ("document.write('<p>a</p>');", "<p>a</p>"),
    ('document.writeln("<p>" + \'b\' + "</p>")', "<p>b</p>\n"),
    ("document.write(`<p>c</p>`)", "<p>c</p>"),
    (r"document.write('\u4e2d\x41\'\"\\')", "中A'\"\\"),
    ("document.write('a\\\nb')", "ab"),  # a line continuation
    ("var re = /['\"(]/g; document.write('<i>x</i>')", "<i>x</i>"),
    ("x = a / b; document.write('<i>y</i>') /* ) */ // (", "<i>y</i>"),
])
def test_literal_writes_are_read(source, expected):
    assert top_level_writes(source) == expected


@pytest.mark.parametrize("source", [
    "function f(){ document.write('<p>never called</p>') }",
    "if (x) { document.write('<p>maybe</p>') }",
    "$(function(){ document.write('<p>later</p>') })",
    "document.write('<p>' + name + '</p>')",
    "document.write(`<p>${name}</p>`)",
    "my.document.write('<p>not the document</p>')",
    "document.write('<p>unterminated)",
    "mydocument.write('<p>x</p>')",
    "function a(x){ document.write('<p>x</p>') } a(1)",  # parameters: not a constant
    "function a(){ if (x) { document.write('<p>x</p>') } } a()",
    "function a(){ document.write('<p>x</p>') } o.a(); if (y) { a() }",
    "function a(){ a() } a()",  # recursion stops
])
def test_what_may_not_run_or_is_not_constant_is_left_out(source):
    assert top_level_writes(source) == ""


def test_a_script_it_cannot_follow_gives_nothing_rather_than_half():
    assert top_level_writes("document.write('<p>a</p>'); var s = 'open") == ""
