"""Script dates: a header's date line is written on the server, nothing else a script does."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from proxy.page import Page, parse_html, serialize
from proxy.pipeline import Pipeline
from proxy.transforms import default_transforms
from proxy.transforms.scripts import dates as script_dates
from proxy.transforms.scripts.dates import CHINA, ScriptDates, date_line

DATA = Path(__file__).parents[2] / "data" / "script_dates"
FRIDAY = datetime(2026, 11, 27, 0, 30, tzinfo=CHINA)


def rewritten(script_html: str) -> Page:
    page = Page(url="http://www.example.gov.cn/", tree=parse_html(
        f'<html><head><title>t</title></head><body><div class="time">{script_html}</div>'
        "<p>after</p></body></html>"))
    ScriptDates(clock=lambda: FRIDAY).prepare(page)
    return page


@pytest.mark.parametrize(("sample", "line"), [
    ("hebei.html", "2026年11月27日 星期五"),
    ("honghu.html", "2026年11月27日 星期五"),
], ids=["switch-on-getDay", "weekday-array"])
def test_a_real_date_line_becomes_a_time_element(sample, line):
    page = rewritten((DATA / sample).read_text(encoding="utf-8"))
    times = page.tree.findall(".//time")
    assert [(t.text, t.get("datetime")) for t in times] == [(line, "2026-11-27")]
    assert page.tree.find(".//script") is None
    assert times[0].getparent().get("class") == "time"


@pytest.mark.parametrize("code", [
    'var d=new Date();document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()'
    '+"日<img src=/x.gif>")',
    'var d=new Date();document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()'
    '+"日");location.href="/next"',
    'var d=new Date(2030,0,1);var n=(d-new Date())/864e5;document.write("距2030年1月1日还有"+n)',
    'var d=new Date();$("#t").text(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日")',
], ids=["writes-markup-too", "also-navigates", "countdown-is-not-today", "no-document-write"])
def test_scripts_that_do_more_or_other_are_left_to_script_removal(code):
    page = rewritten(f"<script>{code}</script>")
    assert page.tree.find(".//time") is None
    assert page.tree.find(".//script") is not None  # StripScripts removes it later


def test_a_date_line_in_the_head_is_not_moved_into_text():
    page = Page(url="http://o.test/", tree=parse_html(
        "<html><head><script>var d=new Date();document.write(d.getFullYear()+'年'+"
        "(d.getMonth()+1)+'月'+d.getDate()+'日')</script></head><body>x</body></html>"))
    ScriptDates(clock=lambda: FRIDAY).prepare(page)
    assert page.tree.find(".//time") is None


@pytest.mark.parametrize(("when", "weekday", "line"), [
    (datetime(2026, 1, 4, tzinfo=CHINA), True, "2026年1月4日 星期日"),
    (datetime(2026, 1, 5, tzinfo=CHINA), False, "2026年1月5日"),
], ids=["sunday-unpadded", "without-weekday"])
def test_date_line_spells_the_date_as_the_scripts_did(when, weekday, line):
    assert date_line(when, weekday) == line


def test_in_the_pipeline_the_date_survives_script_removal():
    code = (DATA / "honghu.html").read_text(encoding="utf-8")
    page = Page(url="http://www.example.gov.cn/", tree=parse_html(
        f"<html><head><title>t</title></head><body><div>{code}</div></body></html>"))
    Pipeline(default_transforms()).run(page)
    html = serialize(page.tree).decode()
    assert "<script" not in html and "星期" in html and "年" in html


def test_candidates_are_what_the_xpath_selected():
    """The Python filter picks exactly the scripts of the XPath it replaced, in order."""
    code = "var d = new Date(); document.write(d.getFullYear() + '年')"
    tree = parse_html(
        f"<html><head><script>{code}</script></head><body><script>{code}</script>"
        f"<script src='/x.js'>{code}</script><div><script>{code}</script></div>"
        f"<script>document.write('no date')</script><script>new Date(); 年</script>"
        f"<script type='text/template'>{code}</script></body></html>")
    nested = tree.find("body/script")
    text, nested.text = nested.text, "new Date(); "  # a transform nested nodes in a script
    etree.SubElement(nested, "span").tail = "document.write('年')"
    assert text == code
    found = script_dates.candidates(tree)
    assert found == etree.XPath(
        "//body//script[not(@src)]"
        "[contains(., 'Date(') and contains(., 'write') and contains(., '年')]")(tree)
    assert len(found) == 3


def test_a_date_line_called_from_an_external_script_is_written_too():
    # zxwhongshan.gov.cn: showdate.js declares showDate() (with a `//` comment line and
    # `month <= 9`), the header calls it inline: <span><script>showDate();</script></span>
    source = (DATA / "zxwhongshan_showdate.js").read_text(encoding="utf-8")
    page = Page(url="http://www.example.gov.cn/", tree=parse_html(
        "<html><head><script src='/js/showdate.js'></script></head><body><div class=tit_l>"
        "<span><script>showDate();</script></span></div><script>other();</script>"
        "</body></html>"))
    external = page.tree.find(".//head/script")
    page.includes[script_dates.FETCHED_SCRIPTS] = {external: ("/js/showdate.js", source)}
    ScriptDates(clock=lambda: FRIDAY).prepare(page)
    assert [t.text for t in page.tree.iter("time")] == ["2026年11月27日 星期五"]
    assert page.tree.find(".//span/time") is not None
    assert len(page.tree.findall(".//body/script")) == 1  # other() is not a date line


def test_a_comparison_is_not_markup_but_a_tag_still_is():
    assert script_dates.is_date_line(
        "var d=new Date(); var m=d.getMonth()+1; if (m <= 9) m='0'+m;"
        "document.write(d.getFullYear()+'年'+m+'月'+d.getDate()+'日');")
    assert not script_dates.is_date_line(
        "var d=new Date(); document.write('<b>'+d.getFullYear()+'年'+d.getMonth()+'月'"
        "+d.getDate()+'日</b>');")
