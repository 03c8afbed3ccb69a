"""Finding the measuring tools, and clear answers when one is missing."""

from __future__ import annotations

import sys

import pytest

from proxy.report.tools import ToolMissing, axe_file, axe_version, chromium_path, playwright_api


def test_axe_comes_from_axe_js_or_the_vendored_copy(tmp_path):
    vendored = axe_file({})
    assert vendored.name == "axe.min.js" and vendored.parent.name == "vendor"
    assert axe_version(vendored.read_text(encoding="utf-8")) == "4.14.1"
    named = tmp_path / "axe.min.js"
    named.write_text("/*! axe v9.8.7\n */ var axe;", encoding="utf-8")
    assert axe_file({"AXE_JS": str(named)}) == named
    assert axe_version(named.read_text(encoding="utf-8")) == "9.8.7"
    assert axe_version("var axe;") == "unknown"


def test_a_wrong_axe_js_is_named(tmp_path):
    with pytest.raises(ToolMissing, match="AXE_JS=.*no such file.*npm install axe-core"):
        axe_file({"AXE_JS": str(tmp_path / "nothing.js")})


def test_a_missing_chromium_says_how_to_install_it(tmp_path):
    with pytest.raises(ToolMissing, match="apt-get install chromium"):
        chromium_path({"CHROMIUM": str(tmp_path / "chromium")})


def test_without_playwright_the_extra_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.async_api", None)  # import fails
    with pytest.raises(ToolMissing, match=r"pip install '\.\[report\]'"):
        playwright_api()
