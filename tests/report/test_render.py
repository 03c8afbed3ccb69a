"""The HTML report and the summary from a report dict, without a browser."""

from __future__ import annotations

import lxml.html

from proxy.report.render import html_report, summary

SIDE = {"status": 200, "axe": {"rules": 0, "nodes": 0, "severe_nodes": 0, "by_impact": {},
                               "by_rule": {}},
        "visible_chars": 10, "landmarks": {}, "headings": 0, "h1": 0, "images_without_name": 0,
        "fields_without_label": 0, "font_median_px": 12.5, "horizontal_scroll_320": False,
        "scroll_width_320": 320, "scripts_ran": 0, "script_urls": [], "site_toolbar": [],
        "blocked_hosts": []}
REPORT = {"tool": {"name": "t", "version": "0", "axe_core": "4.14.1", "chromium": "1",
                   "playwright": "1"},
          "origin": "http://127.0.0.1:1", "rules": "default", "generated": "now",
          "not_judged": ["meaning"],
          "pages": [{"path": "/<x>", "title": "", "original_url": "http://127.0.0.1:1/<x>",
                     "original": SIDE, "barrier_free": {**SIDE, "font_median_px_200": None},
                     "text_kept": 1.0, "screenshots": {k: f"shots/{k}.jpg" for k in
                                                        ("original", "barrier-free", "200",
                                                         "phone")}}]}


def test_a_page_without_violations_or_screenshots_still_reads_well(tmp_path):
    html = html_report(REPORT, tmp_path)
    root = lxml.html.fromstring(html)
    assert "axe found no violation on either side." in html
    assert not root.xpath("//img") and "&lt;x&gt;" in html
    cells = {tr[0].text_content(): tr[2].text_content() for tr in root.xpath("//tbody/tr")
             if len(tr) == 3}
    assert cells["median font size at 100 %"] == "12.5 px"
    assert cells["median font size at the 200 % step"] == "-"
    assert cells["the site's own accessibility toolbar"] == "gone"


def test_pages_that_failed_are_named(tmp_path):
    report = {**REPORT, "failed": [{"path": "/broken", "error": "net::ERR_EMPTY_RESPONSE"}]}
    assert "<li>/broken: net::ERR_EMPTY_RESPONSE</li>" in html_report(report, tmp_path)
    assert "not measured: /broken: net::ERR_EMPTY_RESPONSE" in summary(report)


def test_the_summary_fits_one_screen():
    text = summary({**REPORT, "pages": REPORT["pages"] * 30})
    assert len(text.splitlines()) <= 40 and all(len(line) <= 100 for line in text.splitlines())
    assert "0 → 0" in text and "certified" in text
