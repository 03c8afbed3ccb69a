"""`python -m proxy report` on the embedded demo origin, for real: the proxy in-process, Debian's
Chromium, axe-core. The figures in report.json are checked against what the demo is known to
be, the HTML report against axe itself and against report.json."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from pathlib import Path

import lxml.html
import pytest

from proxy.report.run import TargetError, build_report, proxy_settings, resolve_origin
from proxy.settings import Origin, Settings
from tests.browser import chromium, requires_chromium, run_axe
from tests.conftest import REPO


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> tuple[dict, Path]:
    """One run for the module's tests (a run is five page loads per page in Chromium)."""
    out = tmp_path_factory.mktemp("report")
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    return asyncio.run(build_report(settings, ["/"], out, crawl=2)), out


@requires_chromium
def test_report_json_holds_the_demo_figures(demo_report):
    report, out = demo_report
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == report
    assert re.fullmatch(r"\d+\.\d+\.\d+", report["tool"]["axe_core"])
    assert report["tool"]["chromium"] and report["origin"] == "demo"
    first, second = report["pages"]
    assert first["path"] == "/" and second["path"] != "/"  # the crawl followed a link
    for page in report["pages"]:
        before, after = page["original"], page["barrier_free"]
        assert before["axe"]["nodes"] > 0 and after["axe"]["nodes"] == 0
        assert before["scripts_ran"] > 0 and after["scripts_ran"] == 0
        assert any("direct_wza" in found for found in before["site_toolbar"])
        assert after["site_toolbar"] == []
        assert before["landmarks"] == {} and after["landmarks"]["main"] == 1
        assert after["h1"] == 1 and after["images_without_name"] == 0
        assert after["fields_without_label"] == 0
        assert after["font_median_px_200"] >= 1.9 * after["font_median_px"]
        assert page["text_kept"] >= 0.95
        assert before["blocked_hosts"] == [] and after["blocked_hosts"] == []
        for shot in page["screenshots"].values():
            assert (out / shot).stat().st_size > 1000


def _cells(root, caption: str) -> dict[str, list[str]]:
    table = root.xpath(f"//table[caption='{caption}']")[0]
    return {tr[0].text_content(): [td.text_content() for td in tr[1:]]
            for tr in table.xpath("./tbody/tr")}


@requires_chromium
def test_html_report_shows_the_json_figures(demo_report):
    report, out = demo_report
    root = lxml.html.fromstring((out / "report.html").read_bytes())
    assert root.get("lang") == "en" and len(root.xpath("//h1")) == 1
    assert not root.xpath("//script | //*[@onclick] | //link | //iframe")
    assert all(t.xpath("./caption") for t in root.iter("table"))
    images = root.xpath("//img")
    assert len(images) == 8 and all(i.get("alt") and i.get("src").startswith("data:image/jpeg")
                                    for i in images)
    text = root.text_content().lower()
    assert "compliant" not in text and "compliance" not in text
    assert report["tool"]["axe_core"] in text and "cannot judge" in text
    for n, page in enumerate(report["pages"], 1):
        rows = _cells(root, f"Page {n}: original and barrier-free")
        before, after = page["original"], page["barrier_free"]
        assert rows["axe violations: elements"] == [str(before["axe"]["nodes"]),
                                                    str(after["axe"]["nodes"])]
        assert rows["axe elements, impact critical"] == [
            str(before["axe"]["by_impact"].get("critical", 0)), "0"]
        assert rows["median font size at the 200 % step"][1] == \
            f"{after['font_median_px_200']:g} px"
        assert rows["scripts of the page that ran"] == [str(before["scripts_ran"]), "0"]
        assert rows["share of the original's visible text kept"][1] == f"{page['text_kept']:.1%}"
        by_rule = _cells(root, f"Page {n}: axe-core violations by rule (elements)")
        assert {rule: cells[1] for rule, cells in by_rule.items()} == {
            rule: str(v["nodes"]) for rule, v in before["axe"]["by_rule"].items()}
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert f"{report['pages'][0]['original']['axe']['nodes']} → 0" in summary


@requires_chromium
async def test_html_report_passes_axe(demo_report):
    _, out = demo_report
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto((out / "report.html").as_uri())
        violations = await run_axe(page)
    assert violations == [], violations


def test_targets_must_share_one_origin():
    settings = Settings(upstream="demo")
    assert resolve_origin(settings, ["/a", "/b?q=1"]) == ("demo", ["/a", "/b?q=1"])
    assert resolve_origin(settings, ["http://x.cn:81/p?q=1"]) == ("http://x.cn:81", ["/p?q=1"])
    with pytest.raises(TargetError, match="one origin per report"):
        resolve_origin(settings, ["http://a.cn/", "http://b.cn/"])
    with pytest.raises(TargetError, match="expected a URL"):
        resolve_origin(settings, ["www.a.cn"])
    with pytest.raises(TargetError, match="paths need an origin"):
        resolve_origin(Settings(upstream=None), ["/"])


@requires_chromium
def test_a_page_that_cannot_load_is_named_not_fatal(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    settings = Settings(upstream=None, rules_dir=str(REPO / "rules"), watch_rules=False)
    report = asyncio.run(build_report(settings, [closed + "/a.html", closed + "/b.html"],
                                      tmp_path))
    assert report["pages"] == []
    assert [f["path"] for f in report["failed"]] == ["/a.html", "/b.html"]
    assert all("ERR_CONNECTION_REFUSED" in f["error"] for f in report["failed"])
    assert "Pages that could not be measured" in (tmp_path / "report.html").read_text("utf-8")


def test_a_configured_site_keeps_its_aliases_and_tls():
    site = Origin("https://www.a.gov.cn", ("a.example",), ("a.gov.cn",), False, "/ca.pem")
    settings = Settings(upstream="demo", sites=(site,))
    proxied = proxy_settings(settings, "https://www.a.gov.cn")
    assert (proxied.upstream, proxied.sites, proxied.upstream_aliases) == (
        "https://www.a.gov.cn", (), ("a.gov.cn",))
    assert (proxied.verify_tls, proxied.ca_bundle) == (False, "/ca.pem")
    assert proxy_settings(settings, "http://other.cn").upstream_aliases == ()
