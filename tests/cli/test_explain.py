"""`python -m proxy check --explain URL` against the embedded demo origin."""

from __future__ import annotations

import io

from proxy.cli.explain import explain_url
from proxy.settings import Settings
from tests.conftest import REPO


async def test_explain_lists_matches_and_misses_with_their_lines(unused_tcp_port):
    out = io.StringIO()
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    code = await explain_url(settings, "http://127.0.0.1:8080/art/2019/9/20/art_1234_5678.html",
                             out)
    text = out.getvalue()
    assert code == 0, text
    assert "decoded as gb18030" in text
    assert "site rules: demo" in text
    assert "include[0] /images/system/sites_top.html '#site_top_nav_div': 1 element" in text
    assert "matched nothing" in text  # the vendor toolbars of other sites are not on the demo


async def test_explain_reports_a_dead_origin_without_a_traceback(unused_tcp_port, empty_rules):
    out = io.StringIO()
    settings = Settings(upstream=f"http://127.0.0.1:{unused_tcp_port}",
                        rules_dir=str(empty_rules), watch_rules=False)
    assert await explain_url(settings, "/", out) == 1
    assert "could not fetch the page" in out.getvalue()


async def test_explain_says_whether_the_page_would_be_rendered_and_why():
    out = io.StringIO()
    settings = Settings(upstream="demo", rules_dir=str(REPO / "rules"), watch_rules=False)
    await explain_url(settings, "http://127.0.0.1:8080/art/2019/9/20/art_1234_5678.html", out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("render: "))
    # the demo article writes content from an inline script; this settings renders nothing
    assert line.startswith("render: browser (auto: ") and "render.pool_size is 0" in line
